import { describe, expect, it } from 'vitest';
import { parsePersonLine } from './parse-people.js';

const line = (text: string) => ({ line: 1, text });

describe('parsePersonLine', () => {
  it('reads an address spelled out against harvesters as the address, not as a role', () => {
    expect(parsePersonLine(line('David S. Miller (davem at davemloft.net, chair)'))).toEqual({
      name: 'David S. Miller',
      email: 'davem@davemloft.net',
      role: 'chair',
    });
    expect(parsePersonLine(line('Jamal Hadi Salim (hadi [at] cyberus [dot] ca)'))).toEqual({ name: 'Jamal Hadi Salim', email: 'hadi@cyberus.ca' });
    expect(parsePersonLine(line('Eric Dumazet <eric.dumazet AT gmail DOT com>'))).toEqual({ name: 'Eric Dumazet', email: 'eric.dumazet@gmail.com' });
  });

  it('keeps a role that merely has "at" in it', () => {
    expect(parsePersonLine(line('Tom Herbert (local arrangements at the venue)'))).toEqual({ name: 'Tom Herbert', role: 'local arrangements at the venue' });
  });
});

import { describe, expect, it } from 'vitest';
import { count } from './count.js';
import { footer } from './contributions/format.js';
import type { MineResult } from './contributions/mine.js';

describe('count', () => {
  it('says one thing in the singular, any other number in the plural', () => {
    expect([0, 1, 2].map((n) => count(n, 'reminder'))).toEqual(['0 reminders', '1 reminder', '2 reminders']);
    expect([1, 3].map((n) => count(n, 'person', 'people'))).toEqual(['1 person', '3 people']);
  });

  it('reads right in the miner’s footer for one commit by one person', () => {
    const one = { commits: 1, people: 1, query: 'HEAD', incremental: false, newCommits: 1, skippedTrailers: 1, excluded: 0, lines: true } as unknown as MineResult;
    expect(footer(one)).toBe('1 commit of HEAD (all read now); 1 person; 1 malformed trailer skipped');
  });
});

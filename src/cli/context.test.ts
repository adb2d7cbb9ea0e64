import { afterEach, describe, expect, it, vi } from 'vitest';
import { output } from './context.js';

describe('output', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints stored text without the control characters a terminal would act on, keeping tabs and lines', () => {
    const printed: unknown[] = [];
    vi.spyOn(console, 'log').mockImplementation((l: unknown) => void printed.push(l));
    // As `conclave mail inbound ID` prints a stranger's mail: a subject retitling the window,
    // a body clearing the screen.
    output(false, null, () => ['Subject: hi \u001b]0;owned\u0007 there', '', 'body\u001b[2J\tcleared\nnext line']);
    expect(printed).toEqual(['Subject: hi ]0;owned there', '', 'body[2J\tcleared\nnext line']);
  });

  it('prints JSON as it is: its escapes are text', () => {
    const printed: unknown[] = [];
    vi.spyOn(console, 'log').mockImplementation((l: unknown) => void printed.push(l));
    output(true, { subject: 'hi \u001b[2J' }, () => []);
    expect(printed).toEqual(['{\n  "subject": "hi \\u001b[2J"\n}']);
  });
});

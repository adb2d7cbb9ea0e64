import { describe, expect, it } from 'vitest';
import { pageReport } from './import.js';

describe('pageReport', () => {
  it('lists skipped lines and notes together, in the order of the page’s lines', () => {
    expect(
      pageReport({
        file: 'netconf-2011.txt',
        skipped: [{ line: 39, reason: 'a time with nothing after it: no title and no speaker', text: '11:00am' }],
        notes: [
          { line: 12, message: 'guessed speaker ‘Ada’' },
          { line: 43, message: '10:05 is earlier than the row above it (12:30)' },
        ],
      }),
    ).toEqual([
      '  netconf-2011.txt:12: note: guessed speaker ‘Ada’',
      '  netconf-2011.txt:39: skipped: a time with nothing after it: no title and no speaker: "11:00am"',
      '  netconf-2011.txt:43: note: 10:05 is earlier than the row above it (12:30)',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { andList, orList } from './word-list.js';

describe('andList and orList', () => {
  it('list none, one, two and more words as a sentence does', () => {
    expect([[], ['a'], ['a', 'b'], ['a', 'b', 'c']].map((w) => andList(w))).toEqual(['', 'a', 'a and b', 'a, b and c']);
    expect([[], ['--a'], ['--a', '--b'], ['--a', '--b', '--c']].map((w) => orList(w))).toEqual(['', '--a', '--a or --b', '--a, --b or --c']);
  });
});

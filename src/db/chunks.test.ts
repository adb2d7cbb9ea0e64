import { describe, expect, it } from 'vitest';
import { listChunks, readInChunks, MAX_PARAMETERS, statementChunks } from './chunks.js';

describe('statementChunks', () => {
  it('cuts rows into runs that bind at most the limit, every row once, in order', () => {
    const rows = Array.from({ length: 7 }, (_, i) => ({ a: i, b: `${i}` }));
    expect(statementChunks(rows, 6)).toEqual([rows.slice(0, 3), rows.slice(3, 6), rows.slice(6)]);
    expect(statementChunks(rows, 14)).toEqual([rows]);
    expect(statementChunks([], 6)).toEqual([]);
  });

  it('counts every column any row has, a row too wide going alone', () => {
    const rows = [{ a: 1 }, { b: 2 }, { a: 3, c: 4 }, { a: 5 }];
    expect(statementChunks(rows, 6)).toEqual([rows.slice(0, 2), rows.slice(2)]);
    expect(statementChunks([{ a: 1, b: 2, c: 3 }, { a: 4, b: 5, c: 6 }], 2)).toEqual([[{ a: 1, b: 2, c: 3 }], [{ a: 4, b: 5, c: 6 }]]);
  });

  it("stays within the 32,767 parameters a statement PGlite takes (PostgreSQL's 65,535)", () => {
    const rows = Array.from({ length: 9_000 }, (_, i) => ({ a: i, b: i, c: i, d: i, e: i, f: i, g: i, h: i, i }));
    const chunks = statementChunks(rows);
    expect(chunks.map((c) => c.length)).toEqual([3640, 3640, 1720]);
    expect(MAX_PARAMETERS).toBe(32_767);
  });
});

describe('listChunks', () => {
  it('cuts a list into runs that bind at most the limit with the parameters each item and the statement use', () => {
    const list = Array.from({ length: 7 }, (_, i) => i);
    expect(listChunks(list, 1, 0, 3)).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(listChunks(list, 2, 2, 8)).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(listChunks(list, 3, 0, 100)).toEqual([list]);
    expect(listChunks([], 2)).toEqual([]);
    expect(listChunks(Array.from({ length: 40_000 }, (_, i) => i), 3, 7).map((c) => c.length)).toEqual([10920, 10920, 10920, 7240]);
  });
});

describe('readInChunks', () => {
  it('reads each run that fits a statement and gives back every row, run after run', async () => {
    const list = Array.from({ length: 40_000 }, (_, i) => i);
    const runs: number[] = [];
    const rows = await readInChunks(list, async (run) => (runs.push(run.length), run.map((n) => n * 2)), 2);
    expect(runs).toEqual([16383, 16383, 7234]);
    expect(rows).toEqual(list.map((n) => n * 2));
    expect(await readInChunks([], async () => [1])).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import type { CommitRecord } from './log-parser.js';
import { Mailmap } from './mailmap.js';
import { SKIPPED_KEPT, Tally } from './tally.js';

/** A commit by one author, at `time`, whose trailers were all skipped. */
function commit(sha: string, time: number, lines: string[]): CommitRecord {
  return { sha, name: 'A', email: 'a@example.org', time, ctime: time, credits: [], skipped: lines.map((line) => ({ line, why: 'no address' })), raw: null };
}

describe('skipped trailers in a tally', () => {
  it('lists the newest, the same whatever order the commits come in, and across a save', () => {
    const commits = Array.from({ length: 2 * SKIPPED_KEPT + 50 }, (_, i) => commit(`c${String(i).padStart(5, '0')}`, 1_700_000_000 + Math.floor(i / 3) * 60, [`Reviewed-by: R${i % 7}`, 'Acked-by: Someone']));
    const mailmap = new Mailmap();
    const forward = new Tally(2);
    for (const c of commits) forward.addCommit(c, mailmap);
    const backward = new Tally(2);
    for (const c of [...commits].reverse()) backward.addCommit(c, mailmap);
    // Half read, saved, read back, and the rest added: as a cached tally grows.
    let grown = new Tally(2);
    for (const c of commits.slice(0, SKIPPED_KEPT)) grown.addCommit(c, mailmap);
    grown = Tally.fromJSON(grown.toJSON())!;
    for (const c of commits.slice(SKIPPED_KEPT)) grown.addCommit(c, mailmap);

    const list = forward.skippedTrailers();
    expect(forward.skipped).toBe(2 * commits.length);
    expect(list).toHaveLength(SKIPPED_KEPT);
    // The newest commit first; within a commit time, by id, then line.
    const newest = commits.at(-1)!;
    expect(list[0]).toEqual({ commit: newest.sha, time: newest.time, line: 'Acked-by: Someone', why: 'no address' });
    expect(list.every((s, i) => i === 0 || list[i - 1]!.time >= s.time)).toBe(true);
    expect(backward.skippedTrailers()).toEqual(list);
    expect(grown.skippedTrailers()).toEqual(list);
    expect(grown.skipped).toBe(forward.skipped);
  });

  it('reads a tally saved before they were listed only when it skipped none', () => {
    const old = (skipped: number) => JSON.stringify({ v: 1, h: 2, commits: 3, skipped, ids: [] });
    expect(Tally.fromJSON(old(0))?.skippedTrailers()).toEqual([]);
    expect(Tally.fromJSON(old(2))).toBeNull();
  });
});

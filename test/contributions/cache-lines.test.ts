/**
 * The miner's cache and its line counting: a second run returns what a cold run returns and
 * reads only the commits added since; a rewritten history is read again; lines and directories
 * are exact, the same with one line counter or several, and reused from the cache.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import zlib from 'node:zlib';
import { chunkRecords, SCANS_KEPT } from '../../src/domain/contributions/cache.js';
import { rewrite as dropPackedChunks } from '../../src/db/migrations/036-miner-skipped-trailers.js';
import { mineContributions, type MineInput, type MineResult } from '../../src/domain/contributions/mine.js';
import { testDatabases } from '../support/db.js';
import { isolateGit, repoTemplates, TestRepo } from './fixtures.js';

isolateGit();
const built = repoTemplates();

const NOW = new Date('2024-06-01T00:00:00Z');

/** A copy of the same three commits each time (repoTemplates): a repository of its own, with a cache of its own. */
function repo(): TestRepo {
  return built('three', buildThree);
}

function buildThree(r: TestRepo): void {
  r.commit({ author: 'Alice <alice@example.org>', date: '2024-01-01T00:00:00Z', message: 'a\n\nSigned-off-by: Alice <alice@example.org>\nSigned-off-by: Maint <maint@example.org>\n', files: { 'net/ipv4/tcp.c': 'one\ntwo\nthree\n' } });
  // Two malformed trailers, skipped: a cached run lists them as a cold one does.
  r.commit({ author: 'Bob <bob@example.org>', date: '2024-02-01T00:00:00Z', message: 'b\n\nReviewed-by: Alice <alice@example.org>\nTested-by: Tess <tess@example\nReported-by: Nobody\nSigned-off-by: Maint <maint@example.org>\n', files: { 'net/ipv4/tcp.c': 'one\n2\nthree\n', 'drivers/net/ethernet/acme/main.c': 'x\ny\n' } });
  r.git(['mv', 'net/ipv4/tcp.c', 'net/ipv4/tcp_main.c']);
  r.commit({ author: 'Alice <alice@example.org>', date: '2024-03-01T00:00:00Z', message: 'rename\n', files: {} });
}

describe.each(testDatabases())('miner cache and lines ($name)', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => {
    await handle?.close();
  });
  // One commit a counter in turn (block 1), so that several counters share even 3 commits.
  const mine = (input: MineInput, jobs?: number): Promise<MineResult> =>
    mineContributions({ db: handle.db, clock: () => NOW, block: 1, ...(jobs ? { jobs } : {}) }, { top: 100, ...input });
  /** What a run ranked, and the trailers it skipped: the same cached or cold. */
  const rows = (r: MineResult) => ({ rows: r.rows, skippedTrailers: r.skippedTrailers, skipped: r.skipped });
  /** Commits cached, over every chunk. */
  const cachedRows = async () => Number((await sql<{ n: number | null }>`select sum(n)::int as n from contribution_commits`.execute(handle.db)).rows[0]!.n ?? 0);
  /** A commit as its chunks store it (with lines, when counted): [added, removed, paths]. */
  const stored = async (gitDir: string, sha: string) => {
    const r = await sql<{ data: string; lines: boolean }>`
      select data, lines from contribution_commits
      where repo_id = (select id from contribution_repos where git_dir = ${gitDir})`.execute(handle.db);
    return r.rows.flatMap((c) => chunkRecords(c.data).filter((x) => x.rec.sha === sha).map((x) => [c.lines, x.lines && [x.lines.added, x.lines.removed, x.lines.paths]]));
  };

  it('returns what a cold run returns, and reads only the new commits', async () => {
    const r = repo();
    const first = await mine({ repo: r.dir });
    expect([first.incremental, first.newCommits, first.commits]).toEqual([false, 3, 3]);
    expect(first.skipped.map((s) => [s.date, s.line, s.why])).toEqual([
      ['2024-02-01', 'Reported-by: Nobody', 'no address'],
      ['2024-02-01', 'Tested-by: Tess <tess@example', 'no ">" closing the address'],
    ]);
    const before = await cachedRows();
    const again = await mine({ repo: r.dir });
    expect([again.incremental, again.newCommits]).toEqual([true, 0]);
    expect(rows(again)).toEqual(rows(first));
    expect(rows(again)).toEqual(rows(await mine({ repo: r.dir, cache: false })));

    r.commit({ author: 'Carol <carol@example.org>', date: '2024-04-01T00:00:00Z', message: 'c\n\nSigned-off-by: Maint <maint@example.org>\nAcked-by: Carol\n' });
    const grown = await mine({ repo: r.dir });
    expect([grown.incremental, grown.newCommits, grown.commits, grown.skippedTrailers]).toEqual([true, 1, 4, 3]);
    expect(grown.skipped[0]).toMatchObject({ commit: r.head(), line: 'Acked-by: Carol' });
    expect(await cachedRows()).toBe(before + 1);
    const cold = await mine({ repo: r.dir, cache: false });
    expect(cold.newCommits).toBe(4);
    expect(rows(grown)).toEqual(rows(cold));

    // A rewritten history: the last tally's tip is no longer an ancestor, the first one's is.
    r.git(['commit', '-q', '--amend', '-m', 'c again'], { GIT_COMMITTER_NAME: 'Carol', GIT_COMMITTER_EMAIL: 'carol@example.org', GIT_COMMITTER_DATE: '2024-04-02T00:00:00Z' });
    const rewritten = await mine({ repo: r.dir });
    expect([rewritten.incremental, rewritten.newCommits, rewritten.commits]).toEqual([true, 1, 4]);
    expect(rows(rewritten)).toEqual(rows(await mine({ repo: r.dir, cache: false })));
    // A history sharing nothing with any kept tally's tip is read again, whole.
    r.git(['checkout', '-q', '--orphan', 'other']);
    r.commit({ author: 'Dave <dave@example.org>', date: '2024-05-01T00:00:00Z', message: 'd\n' });
    const unrelated = await mine({ repo: r.dir });
    expect([unrelated.incremental, unrelated.newCommits]).toEqual([false, 1]);
  });

  it('starts from the tally of a tip that is an ancestor after moving to another branch, and keeps the newest few', async () => {
    const r = repo();
    const main = r.head();
    await mine({ repo: r.dir });
    // Another branch from main's parent, mined whole (main's tip is not its ancestor): its tally
    // is now the newest.
    r.git(['checkout', '-q', '-b', 'side', `${main}~1`]);
    r.commit({ author: 'Erin <erin@example.org>', date: '2024-05-01T00:00:00Z', message: 'e\n\nReviewed-by: Maint <maint@example.org>\n' });
    const side = await mine({ repo: r.dir });
    expect([side.incremental, side.newCommits]).toEqual([false, 3]);
    // Back on main, one commit later: main's own tally is still kept, and is the start.
    r.git(['checkout', '-q', 'main']);
    r.commit({ author: 'Frank <frank@example.org>', date: '2024-05-02T00:00:00Z', message: 'f\n' });
    const back = await mine({ repo: r.dir });
    expect([back.incremental, back.newCommits, back.commits]).toEqual([true, 1, 4]);
    expect(rows(back)).toEqual(rows(await mine({ repo: r.dir, cache: false })));

    for (let i = 0; i < SCANS_KEPT + 2; i++) {
      r.commit({ author: 'Frank <frank@example.org>', date: `2024-05-1${i}T00:00:00Z`, message: `g${i}\n` });
      expect((await mine({ repo: r.dir })).newCommits).toBe(1);
    }
    const kept = await sql<{ tip: string }>`select tip from contribution_scans where repo_id = (select id from contribution_repos where git_dir = ${r.git(['rev-parse', '--absolute-git-dir']).trim()})`.execute(handle.db);
    expect(kept.rows.length).toBe(SCANS_KEPT);
    expect(kept.rows.map((x) => x.tip)).toContain(r.head());
  });

  it('keeps one cached tally per query', async () => {
    const r = repo();
    await mine({ repo: r.dir });
    const net = await mine({ repo: r.dir, paths: ['drivers'] });
    expect([net.incremental, net.commits]).toEqual([false, 1]);
    expect((await mine({ repo: r.dir, paths: ['drivers'] })).incremental).toBe(true);
    expect((await mine({ repo: r.dir })).commits).toBe(3);
  });

  it('counts lines and directories exactly, with one counter or several, and caches them', async () => {
    const r = repo();
    const one = await mine({ repo: r.dir, lines: true, cache: false }, 1);
    const p = Object.fromEntries(one.rows.map((x) => [x.name, x]));
    // The rename counts no lines.
    expect(p.Alice!.lines).toEqual({ added: 3, removed: 0 });
    expect(p.Bob!.lines).toEqual({ added: 3, removed: 1 });
    expect(p.Bob!.topPaths).toEqual([
      { path: 'drivers/net/ethernet', commits: 1 },
      { path: 'net/ipv4', commits: 1 },
    ]);
    // Directories go to everyone a commit credits: Maint handled both.
    expect(p.Maint!.topPaths).toEqual([
      { path: 'net/ipv4', commits: 2 },
      { path: 'drivers/net/ethernet', commits: 1 },
    ]);
    expect(p.Bob!.summary).toContain('+3/-1 lines');
    expect(p.Bob!.points.lines).toBeGreaterThan(0);
    const many = await mine({ repo: r.dir, lines: true, cache: false }, 3);
    expect(rows(many)).toEqual(rows(one));

    const cached = await mine({ repo: r.dir, lines: true }, 2);
    expect(rows(cached)).toEqual(rows(one));
    const gitDir = r.git(['rev-parse', '--absolute-git-dir']).trim();
    expect(await stored(gitDir, r.head())).toEqual([[true, [0, 0, { 'net/ipv4': 0 }]]]);
    // Read again with lines, nothing more is cached.
    const cachedBefore = await cachedRows();
    expect(rows(await mine({ repo: r.dir, lines: true }, 2))).toEqual(rows(one));
    expect(await cachedRows()).toBe(cachedBefore);
    // Another query over the same commits takes their lines from the cache: same answer.
    const since = await mine({ repo: r.dir, lines: true, since: '2024-01-15' }, 2);
    expect(Object.fromEntries(since.rows.map((x) => [x.name, x.lines]))).toMatchObject({ Bob: { added: 3, removed: 1 }, Alice: { added: 0, removed: 0 } });
  });

  it('lists skipped trailers from the cache as a cold run does, reading again what an older cache did not keep', async () => {
    const r = repo();
    const cold = await mine({ repo: r.dir, lines: true, cache: false });
    expect(cold.skippedTrailers).toBe(2);
    const warm = await mine({ repo: r.dir, lines: true });
    // Every commit with lines in the cache: a new query takes them all from there.
    await sql`delete from contribution_scans`.execute(handle.db);
    const cached = await mine({ repo: r.dir, lines: true });
    expect([cached.incremental, cached.newCommits]).toEqual([false, 3]);
    expect(rows(cached)).toEqual(rows(cold));
    expect(rows(warm)).toEqual(rows(cold));

    // A tally saved before skipped trailers were listed counted them only: it is not the start.
    const scan = await sql<{ id: number; tally: string }>`select id, tally from contribution_scans`.execute(handle.db);
    expect(scan.rows).toHaveLength(1);
    const v1: Record<string, unknown> = { ...(JSON.parse(scan.rows[0]!.tally) as Record<string, unknown>), v: 1 };
    delete v1.skips;
    await sql`update contribution_scans set tally = ${JSON.stringify(v1)}`.execute(handle.db);
    const fromOld = await mine({ repo: r.dir, lines: true });
    expect([fromOld.incremental, fromOld.newCommits]).toEqual([false, 3]);
    expect(rows(fromOld)).toEqual(rows(cold));
    expect((await mine({ repo: r.dir, lines: true })).incremental).toBe(true);

    // A chunk in the older, packed form (what migration 036 removes) kept a number of skipped
    // trailers, not which: it goes, chunks of the present form stay.
    const gitDir = r.git(['rev-parse', '--absolute-git-dir']).trim();
    const repoId = (await sql<{ id: number }>`select id from contribution_repos where git_dir = ${gitDir}`.execute(handle.db)).rows[0]!.id;
    const packed = zlib.deflateRawSync(Buffer.from(`${'f'.repeat(40)}\x1f1704067200\x1f1704067200\x1fOld\x1fold@example.org\x1f[]\x1f1\x1f\x1f\x1f`, 'utf8')).toString('base64');
    await sql`insert into contribution_commits (repo_id, tmin, tmax, n, lines, data) values (${repoId}, 1704067200, 1704067200, 1, false, ${packed})`.execute(handle.db);
    const before = await cachedRows();
    await dropPackedChunks(handle.db);
    expect(await cachedRows()).toBe(before - 1);
    const left = await sql<{ data: string }>`select data from contribution_commits`.execute(handle.db);
    expect(left.rows.length).toBeGreaterThan(0);
    expect(left.rows.every((c) => c.data.startsWith('~'))).toBe(true);
  });
});

/**
 * The two ways of counting lines in parallel: `git log` over contiguous runs of the walk
 * (LogSplit, also when its runs are split again as gits finish) and `git diff-tree --stdin` fed
 * commit ids (LineCounter) read each commit exactly once and count the same lines and
 * directories, with merges, renames, binary files and a path filter (which must not narrow a
 * commit's own files).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRepo, runGit } from '../../src/domain/contributions/git.js';
import type { CommitRecord } from '../../src/domain/contributions/log-parser.js';
import { LineCounter, LogSplit, logNumstatArgs } from '../../src/domain/contributions/numstat.js';
import type { CommitLines } from '../../src/domain/contributions/tally.js';
import { isolateGit, repoTemplates, tmpDir, TestRepo } from './fixtures.js';

isolateGit();
const built = repoTemplates();

const MERGER = { GIT_AUTHOR_NAME: 'Merger', GIT_AUTHOR_EMAIL: 'merger@example.org', GIT_COMMITTER_NAME: 'Merger', GIT_COMMITTER_EMAIL: 'merger@example.org', GIT_AUTHOR_DATE: '2024-01-04T00:00:00Z', GIT_COMMITTER_DATE: '2024-01-04T00:00:00Z' };

/** A copy of the same history each time (repoTemplates). */
function history(): TestRepo {
  return built('history', buildHistory);
}

function buildHistory(r: TestRepo): void {
  r.commit({ author: 'Alice <alice@example.org>', date: '2024-01-01T00:00:00Z', message: 'a\n', files: { 'net/ipv4/tcp.c': '1\n2\n3\n', 'docs/a.txt': 'x\ny\n' } });
  r.git(['checkout', '-q', '-b', 'side']);
  r.commit({ author: 'Bob <bob@example.org>', date: '2024-01-02T00:00:00Z', message: 'b\n', files: { 'net/core/dev.c': 'a\nb\n', 'drivers/net/x.c': 'x\n' } });
  r.git(['checkout', '-q', 'main']);
  r.commit({ author: 'Carol <carol@example.org>', date: '2024-01-03T00:00:00Z', message: 'c\n', files: { 'net/ipv4/tcp.c': '1\ntwo\n3\n' } });
  r.git(['merge', '-q', '--no-ff', '-m', 'Merge side', 'side'], MERGER);
  r.git(['mv', 'docs/a.txt', 'docs/b.txt']);
  r.commit({ author: 'Alice <alice@example.org>', date: '2024-01-05T00:00:00Z', message: 'e\n', files: { 'net/fw.bin': '\0\x01\x02binary\0' } });
  r.commit({ author: 'Dave <dave@example.org>', date: '2024-01-06T00:00:00Z', message: 'f\n', files: { 'net/ipv4/a/b/c/udp.c': '1\n2\n3\n4\n' } });
  r.commit({ author: 'Bob <bob@example.org>', date: '2024-01-07T00:00:00Z', message: 'g\n', files: { 'drivers/net/x.c': 'x\ny\n' } });
}

type Seen = Map<string, [number, number, Record<string, number>]>;

async function viaDiffTree(dir: string, walk: string[]): Promise<Seen> {
  const repo = await openRepo('git', dir);
  const ids = (await runGit('git', ['rev-list', ...walk], { gitDir: repo.gitDir })).stdout.toString('utf8').trim().split('\n');
  const seen: Seen = new Map();
  const counter = new LineCounter(repo, 2, (rec, l) => seen.set(rec.sha, [l.added, l.removed, l.paths]), 1);
  for (const id of ids) counter.queue(id);
  counter.send();
  await counter.finish();
  return seen;
}

async function viaLog(dir: string, walk: string[], jobs: number, total: () => Promise<number | null>, worth?: number): Promise<{ seen: Seen; reads: string[] }> {
  const repo = await openRepo('git', dir);
  const seen: Seen = new Map();
  const reads: string[] = [];
  const split = new LogSplit(
    repo,
    jobs,
    (rec: CommitRecord, l: CommitLines) => {
      reads.push(rec.sha);
      seen.set(rec.sha, [l.added, l.removed, l.paths]);
    },
    worth,
  );
  await split.run(walk, total());
  return { seen, reads };
}

describe('line counters', () => {
  const walks: [string, string[]][] = [
    ['everything, with merges', ['HEAD', '--']],
    ['no merges, one path', ['--no-merges', 'HEAD', '--', 'net']],
  ];
  it.each(walks)('read each commit once and agree: %s', async (_, walk) => {
    const r = history();
    const expected = await viaDiffTree(r.dir, walk);
    const count = Number(r.git(['rev-list', '--count', ...walk]).trim());
    expect(expected.size).toBe(count);
    for (const jobs of [1, 2, 3, 5]) {
      // Counted before the first git has read anything, and never: the runs are cut either way.
      for (const total of [() => Promise.resolve(count), () => Promise.resolve(null)]) {
        const { seen, reads } = await viaLog(r.dir, walk, jobs, total);
        expect(reads.length).toBe(count);
        expect(seen).toEqual(expected);
      }
      // A git that is done makes the busiest one give away half of what it has left.
      const { seen, reads } = await viaLog(r.dir, walk, jobs, () => Promise.resolve(count), -1);
      expect(reads.length).toBe(count);
      expect(seen).toEqual(expected);
    }
  });

  it('counts a commit\'s own files in full under a path filter, renames and binary files as 0', async () => {
    const r = history();
    const { seen } = await viaLog(r.dir, ['--no-merges', 'HEAD', '--', 'net'], 2, async () => 5);
    const byMessage = (m: string) => seen.get(r.git(['log', '--format=%H', '-1', `--grep=^${m}$`, 'main']).trim());
    // Bob's first commit: net/core/dev.c and, outside the filter, drivers/net/x.c.
    expect(byMessage('b')).toEqual([3, 0, { 'net/core': 2, 'drivers/net': 1 }]);
    // A rename counts no lines, a binary file none either; its directory is still touched.
    expect(byMessage('e')).toEqual([0, 0, { docs: 0, net: 0 }]);
    expect(byMessage('f')).toEqual([4, 0, { 'net/ipv4/a': 4 }]);
    expect(byMessage('g')).toBeUndefined();
  });

  it('drops the commit a git was reading when a signal ended it, and fails', async () => {
    // Ctrl-C reaches the gits too: one ended in the middle of a commit's files, and the files
    // read so far were taken (and cached) as the whole commit.
    const r = history();
    const repo = await openRepo('git', r.dir);
    const walk = ['--no-merges', 'HEAD', '--'];
    const out = (await runGit('git', logNumstatArgs(walk), { gitDir: repo.gitDir })).stdout;
    // The last commit printed (the first one, with two files), cut after its first file.
    const header = out.lastIndexOf(Buffer.from([0, 1]));
    const firstFile = out.indexOf(0, out.indexOf(0, header + 2) + 1);
    const dir = tmpDir('conclave-git-killed-');
    const bin = path.join(dir, 'git');
    fs.writeFileSync(bin, `#!/bin/sh\ncase " $* " in\n*" --numstat "*) git "$@" | head -c ${firstFile + 1}; kill -TERM $$ ;;\n*) exec git "$@" ;;\nesac\n`, { mode: 0o755 });
    try {
      const expected = await viaDiffTree(r.dir, walk);
      const first = r.git(['rev-list', '--max-parents=0', 'HEAD']).trim();
      expect(expected.get(first)).toEqual([5, 0, { 'net/ipv4': 3, docs: 2 }]);
      // The commits after it are missing too: the run fails rather than end there.
      const seen: Seen = new Map();
      const split = new LogSplit(await openRepo(bin, r.dir), 1, (rec, l) => seen.set(rec.sha, [l.added, l.removed, l.paths]));
      await expect(split.run(walk, Promise.resolve(null))).rejects.toThrow(/^repo: git log was ended by SIGTERM before it was done$/);
      expect(seen.has(first)).toBe(false);
      expected.delete(first);
      expect(seen).toEqual(expected);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });
});

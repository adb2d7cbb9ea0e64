/**
 * The miner benchmark, in one run (results go to docs/benchmarks.md, "Contribution miner"):
 *
 *   npx tsx bench/miner/generate.ts /tmp/bench-repo 100000 500   # once
 *   npx tsx bench/miner/run.ts /tmp/bench-repo [postgres://…/db]
 *
 * Times, each as its own process under /usr/bin/time -v (wall time and peak RSS):
 * `git shortlog` grouped by author and the credited trailers; a single `git log --numstat`;
 * the miner without and with --lines (cold: empty cache); then one new commit and the miner
 * again (the cache reads only it). The miner's own time (database open) is printed beside the
 * process's. The new commit is taken back off HEAD at the end (it stays as an unreachable
 * object): use a generated repository.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [repo, pgUrl] = process.argv.slice(2);
if (!repo) {
  console.error('usage: run.ts REPO [postgres://…]');
  process.exit(2);
}
const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' };

interface Timed {
  wall: number;
  rssMB: number;
  out: string;
}

function timed(cmd: string[], cwd = root): Timed {
  const r = spawnSync('/usr/bin/time', ['-v', ...cmd], { cwd, env, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed: ${r.stderr}`);
  const wall = /Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr)!;
  const secs = Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]);
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)![1]) / 1024;
  return { wall: secs, rssMB: Math.round(rss), out: r.stdout };
}

const git = (args: string[]) => ['git', '--git-dir', repo, ...args];
const trailers = ['signed-off-by', 'reviewed-by', 'acked-by', 'tested-by', 'reported-by', 'suggested-by', 'co-developed-by'];
const commits = execFileSync('git', ['--git-dir', repo, 'rev-list', '--count', '--no-merges', 'HEAD'], { env, encoding: 'utf8' }).trim();
const data = pgUrl ?? fs.mkdtempSync(path.join(os.tmpdir(), 'miner-bench-db-'));
const miner = (flags: string[]) => {
  const t = timed([tsx, path.join(here, 'mine-once.ts'), repo, data, ...flags]);
  const j = JSON.parse(t.out.trim().split('\n').pop()!) as { ms: number; newCommits: number; maxRssMB: number };
  return { ...t, inner: j.ms / 1000, newCommits: j.newCommits };
};

// Warm the page cache so the first measured command does not pay for the disk.
timed(git(['log', '--format=%H', 'HEAD']));
const shortlog = timed(git(['shortlog', '-sne', '--no-merges', ...trailers.flatMap((t) => ['--group', `trailer:${t}`]), '--group=author', 'HEAD']));
const numstat = timed(git(['log', '--numstat', '--no-merges', '--format=%H', 'HEAD']));
const plain = miner([]);
const lines = miner(['--lines']);
const parent = execFileSync('git', ['--git-dir', repo, 'rev-parse', 'HEAD'], { env, encoding: 'utf8' }).trim();
const tree = execFileSync('git', ['--git-dir', repo, 'rev-parse', 'HEAD^{tree}'], { env, encoding: 'utf8' }).trim();
const commit = execFileSync('git', ['--git-dir', repo, 'commit-tree', tree, '-p', parent, '-m', 'bench: one more\n\nSigned-off-by: Bench <bench@example.org>'], {
  env: { ...env, GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@example.org', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'bench@example.org' },
  encoding: 'utf8',
}).trim();
execFileSync('git', ['--git-dir', repo, 'update-ref', 'HEAD', commit, parent], { env });
const rerun = miner([]);
execFileSync('git', ['--git-dir', repo, 'update-ref', 'HEAD', parent, commit], { env });

const f = (x: number) => x.toFixed(2);
const ratio = (a: number, b: number) => (a / b).toFixed(2);
console.log(`${commits} commits, ${os.availableParallelism()} cores, database ${pgUrl ? 'PostgreSQL' : 'PGlite'}; seconds (wall, whole process) and peak RSS\n`);
console.log('| run | wall s | miner s | peak RSS MB | ratio |');
console.log('|---|---|---|---|---|');
console.log(`| git shortlog (author + 7 trailers) | ${f(shortlog.wall)} | | ${shortlog.rssMB} | |`);
console.log(`| git log --numstat | ${f(numstat.wall)} | | ${numstat.rssMB} | |`);
console.log(`| miner, cold | ${f(plain.wall)} | ${f(plain.inner)} | ${plain.rssMB} | ${ratio(plain.wall, shortlog.wall)}× shortlog (miner alone ${ratio(plain.inner, shortlog.wall)}×) |`);
console.log(`| miner --lines, cold | ${f(lines.wall)} | ${f(lines.inner)} | ${lines.rssMB} | ${ratio(lines.wall, numstat.wall)}× numstat (miner alone ${ratio(lines.inner, numstat.wall)}×) |`);
console.log(`| miner after 1 new commit (${rerun.newCommits} read) | ${f(rerun.wall)} | ${f(rerun.inner)} | ${rerun.rssMB} | ${ratio(rerun.wall, plain.wall)}× first (miner alone ${ratio(rerun.inner, plain.inner)}×) |`);
if (!pgUrl) fs.rmSync(data, { recursive: true, force: true });

/**
 * The miner benchmark, in one run (results go to docs/benchmarks.md, "Contribution miner"):
 *
 *   npx tsx bench/miner/generate.ts /tmp/bench-repo 100000 500   # once
 *   npx tsx bench/miner/run.ts /tmp/bench-repo [postgres://…/scratch-db] [--reps N] [--wasm-tier-up]
 *
 * Each command runs as its own process under /usr/bin/time -v (wall time, CPU time with its
 * children, peak RSS), N times (default 3); the table shows the fastest run of each and the peak
 * RSS of all. Measured:
 *
 * - `git shortlog` grouped by author and the 7 credited trailers; a single `git log --numstat`;
 * - inside one process (bench/miner/mine-once.ts, database open and migrated, cache emptied
 *   before each cold run): the miner cold without and with --lines (--jobs 1, 2, 3), with and
 *   without the cache, then one new commit and the miner again;
 * - whole `conclave candidates` processes (the sources compiled with tsc into a directory of the
 *   benchmark's and bundled there as scripts/bundle.js bundles dist/, run as bin/conclave.js runs
 *   the bundle): the same runs, and on PGlite the first command of all, which creates the data
 *   directory.
 *
 * The new commit is taken back off HEAD after each re-run (it stays as an unreachable object):
 * use a generated repository. PostgreSQL: give a scratch database; its miner tables are emptied.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { timed as timeCommand, type Timed } from '../support/timed.js';

const args = process.argv.slice(2);
const repsAt = args.indexOf('--reps');
const reps = repsAt >= 0 ? Number(args.splice(repsAt, 2)[1]) : 3;
// PGlite as it ran before the commands stopped V8's optimizing recompilation of its WebAssembly
// (with CONCLAVE_PGLITE_BUFFERS_MB=128 in the environment, as it was in every way).
const tierAt = args.indexOf('--wasm-tier-up');
const tierUp = tierAt >= 0 && args.splice(tierAt, 1).length > 0;
function usage(): never {
  console.error('usage: run.ts REPO [postgres://…] [--reps N] [--wasm-tier-up]');
  process.exit(2);
}
const repo: string = args[0] ?? usage();
const pgUrl = args[1];
const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '../..');
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' };

/** A command of the benchmark, timed (bench/support/timed.ts) in the project's root, with `env`'s additions. */
const timed = (cmd: string[], extraEnv: Record<string, string> = {}): Timed => timeCommand(cmd, { cwd: root, env: { GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C', ...extraEnv } });

interface Best {
  wall: number;
  cpu: number;
  rssMB: number;
  inner: number;
  innerRss: number;
  newCommits: number;
}
const best = new Map<string, Best>();
function note(name: string, t: Timed, inner = NaN, innerRss = NaN, newCommits = NaN): void {
  const b = best.get(name);
  if (!b) best.set(name, { wall: t.wall, cpu: t.cpu, rssMB: t.rssMB, inner, innerRss, newCommits });
  else {
    b.wall = Math.min(b.wall, t.wall);
    b.cpu = Math.min(b.cpu, t.cpu);
    b.rssMB = Math.max(b.rssMB, t.rssMB);
    if (!(inner >= b.inner)) b.inner = inner;
    if (!(innerRss <= b.innerRss)) b.innerRss = innerRss;
  }
  console.error(`${name}: wall ${t.wall.toFixed(2)} s, cpu ${t.cpu.toFixed(2)} s, rss ${t.rssMB} MB${Number.isNaN(inner) ? '' : `, inside ${inner.toFixed(2)} s`}`);
}

const git = (a: string[]) => ['git', '--git-dir', repo, ...a];
const trailers = ['signed-off-by', 'reviewed-by', 'acked-by', 'tested-by', 'reported-by', 'suggested-by', 'co-developed-by'];
const commits = execFileSync('git', ['--git-dir', repo, 'rev-list', '--count', '--no-merges', 'HEAD'], { env, encoding: 'utf8' }).trim();

// The database: a PGlite data directory made and migrated once, or the scratch PostgreSQL database.
const data = pgUrl ?? fs.mkdtempSync(path.join(os.tmpdir(), 'miner-bench-db-'));
const dbEnv: Record<string, string> = pgUrl ? { DATABASE_URL: pgUrl } : { CONCLAVE_DATA: data };

// The sources (and mine-once.ts) compiled once, so that every run uses the same snapshot of a
// work tree others may be changing; conclave is run as bin/conclave.js runs the bundle.
const out = path.join(root, 'node_modules/.cache/conclave-miner-bench');
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(
  path.join(out, 'tsconfig.json'),
  JSON.stringify({
    extends: path.join(root, 'tsconfig.json'),
    compilerOptions: { rootDir: root, outDir: out, noEmit: false, sourceMap: false, declaration: false, declarationMap: false },
    include: [path.join(root, 'src/**/*'), path.join(here, 'mine-once.ts')],
  }),
);
spawnSync(path.join(root, 'node_modules/.bin/tsc'), ['-p', path.join(out, 'tsconfig.json')], { cwd: root, stdio: 'ignore' });
if (!fs.existsSync(path.join(out, 'src/cli/main.js'))) throw new Error(`tsc wrote no ${out}/src/cli/main.js`);
fs.writeFileSync(path.join(out, 'package.json'), '{"type":"module"}\n');
const { bundle } = (await import(path.join(root, 'scripts/bundle.js'))) as { bundle: (compiled: string, outdir: string) => Promise<void> };
await bundle(path.join(out, 'src'), path.join(out, 'bundle'));
fs.writeFileSync(path.join(out, 'run.mjs'), "import { run } from './bundle/cli.js';\nprocess.exitCode = await run(process.argv);\n");
// bin/conclave.js has V8 compile WebAssembly with Liftoff only for every command but serve.
const node = tierUp ? ['node'] : ['node', '--liftoff-only'];
const conclave = (flags: string[]) => timed([...node, path.join(out, 'run.mjs'), 'candidates', '--repo', repo, '--top', '15', ...flags], dbEnv);
const mineOnceJs = path.join(out, 'bench/miner/mine-once.js');

const mineOnce = (flags: string[]) => {
  const t = timed([...node, mineOnceJs, repo, data, ...flags]);
  const j = JSON.parse(t.out.trim().split('\n').pop()!) as { ms: number; newCommits: number; maxRssMB: number };
  return { t, inner: j.ms / 1000, rss: j.maxRssMB, newCommits: j.newCommits };
};
const reset = () => timed([...node, mineOnceJs, repo, data, '--only-reset']);

function withNewCommit<T>(fn: () => T): T {
  const parent = execFileSync('git', ['--git-dir', repo, 'rev-parse', 'HEAD'], { env, encoding: 'utf8' }).trim();
  const tree = execFileSync('git', ['--git-dir', repo, 'rev-parse', 'HEAD^{tree}'], { env, encoding: 'utf8' }).trim();
  const commit = execFileSync('git', ['--git-dir', repo, 'commit-tree', tree, '-p', parent, '-m', `bench: one more ${Date.now()}\n\nSigned-off-by: Bench <bench@example.org>`], {
    env: { ...env, GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@example.org', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'bench@example.org' },
    encoding: 'utf8',
  }).trim();
  execFileSync('git', ['--git-dir', repo, 'update-ref', 'HEAD', commit, parent], { env });
  try {
    return fn();
  } finally {
    execFileSync('git', ['--git-dir', repo, 'update-ref', 'HEAD', parent, commit], { env });
  }
}

// Warm the page cache so the first measured command does not pay for the disk.
timed(git(['log', '--format=%H', 'HEAD']));
if (!pgUrl) note('conclave, first command (creates the PGlite data directory)', conclave([]));
reset();

for (let i = 0; i < reps; i++) {
  note('git shortlog (author + 7 trailers)', timed(git(['shortlog', '-sne', '--no-merges', ...trailers.flatMap((t) => ['--group', `trailer:${t}`]), '--group=author', 'HEAD'])));
  note('git log --numstat', timed(git(['log', '--numstat', '--no-merges', '--format=%H', 'HEAD'])));

  let m = mineOnce(['--reset']);
  note('inside: miner, cold', m.t, m.inner, m.rss, m.newCommits);
  m = withNewCommit(() => mineOnce([]));
  note('inside: miner after 1 new commit', m.t, m.inner, m.rss, m.newCommits);
  m = mineOnce(['--no-cache']);
  note('inside: miner, cold, --no-cache', m.t, m.inner, m.rss, m.newCommits);
  for (const jobs of ['1', '2', '3']) {
    m = mineOnce(['--reset', '--lines', '--jobs', jobs]);
    note(`inside: miner --lines --jobs ${jobs}, cold`, m.t, m.inner, m.rss, m.newCommits);
  }
  m = mineOnce(['--lines', '--no-cache']);
  note('inside: miner --lines, cold, --no-cache', m.t, m.inner, m.rss, m.newCommits);

  reset();
  note('conclave candidates, cold', conclave([]));
  note('conclave candidates after 1 new commit', withNewCommit(() => conclave([])));
  reset();
  note('conclave candidates --lines, cold', conclave(['--lines']));
  note('conclave candidates --lines after 1 new commit', withNewCommit(() => conclave(['--lines'])));
}

const f = (x: number) => (Number.isNaN(x) ? '' : x.toFixed(2));
console.log(`${commits} commits, ${os.availableParallelism()} cores, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}, database ${pgUrl ? 'PostgreSQL' : `PGlite (shared_buffers ${process.env.CONCLAVE_PGLITE_BUFFERS_MB ?? 16} MB${tierUp ? ', WebAssembly tiered up' : ', Liftoff only'})`}, best of ${reps}\n`);
console.log('| run | wall s | CPU s | inside s | peak RSS MB (process / inside) |');
console.log('|---|---|---|---|---|');
for (const [name, b] of best) console.log(`| ${name} | ${f(b.wall)} | ${f(b.cpu)} | ${f(b.inner)} | ${b.rssMB}${Number.isNaN(b.innerRss) ? '' : ` / ${b.innerRss}`} |`);
const g = (k: string) => best.get(k)!;
const shortlog = g('git shortlog (author + 7 trailers)').wall;
const numstat = g('git log --numstat').wall;
const r = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
console.log('\nRatios (wall):');
console.log(`- without --lines vs shortlog: inside ${r(g('inside: miner, cold').inner, shortlog)}, --no-cache ${r(g('inside: miner, cold, --no-cache').inner, shortlog)}, process ${r(g('conclave candidates, cold').wall, shortlog)}`);
for (const jobs of ['1', '2', '3']) console.log(`- --lines --jobs ${jobs} vs numstat: inside ${r(g(`inside: miner --lines --jobs ${jobs}, cold`).inner, numstat)}`);
console.log(`- --lines (default jobs) vs numstat: --no-cache inside ${r(g('inside: miner --lines, cold, --no-cache').inner, numstat)}, process ${r(g('conclave candidates --lines, cold').wall, numstat)}`);
console.log(`- re-run after 1 commit vs first run: inside ${r(g('inside: miner after 1 new commit').inner, g('inside: miner, cold').inner)}, process ${r(g('conclave candidates after 1 new commit').wall, g('conclave candidates, cold').wall)}, --lines process ${r(g('conclave candidates --lines after 1 new commit').wall, g('conclave candidates --lines, cold').wall)}`);
if (!pgUrl) fs.rmSync(data, { recursive: true, force: true });

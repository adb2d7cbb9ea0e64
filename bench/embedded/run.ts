/**
 * What the embedded database costs a command (results in docs/benchmarks.md, "Embedded
 * database"): everyday commands, each its own process under /usr/bin/time -v, on a new PGlite data
 * directory, in two ways of running it:
 *
 * - now: `node bin/conclave.js …` as a user runs it (shared_buffers CONCLAVE_PGLITE_BUFFERS_MB,
 *   default 16 MB; every command but serve has V8 compile WebAssembly with Liftoff only);
 * - before: the same bundle, run without that V8 flag and with CONCLAVE_PGLITE_BUFFERS_MB=128
 *   (PostgreSQL's default, which PGlite used until then).
 *
 *   npm run build && npx tsx bench/embedded/run.ts [--repo GIT_REPO] [--reps N]
 *
 * The commands: the first of all (creates and migrates the data directory), importing the
 * bundled Netconf archive, listing the editions, a search, exporting the static site, and with
 * --repo `candidates` over that repository cold (it fills the miner's cache) and again. Each
 * sequence runs N times (default 3) from a new directory; the table shows the fastest wall time
 * of each command and the largest peak RSS.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { timed, type Timed } from '../support/timed.js';

const { values } = parseArgs({ options: { repo: { type: 'string' }, reps: { type: 'string', default: '3' } } });
const reps = Number(values.reps);
if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps ${values.reps}: must be a whole number of runs, at least 1`);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const bundle = path.join(root, 'dist/bundle/cli.js');
if (!fs.existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build first`);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-bench-embedded-'));
// "before": the bundle run directly, as bin/conclave.js ran it before it set the V8 flag.
const plain = path.join(work, 'run.mjs');
fs.writeFileSync(plain, `import { run } from ${JSON.stringify(new URL(`file://${bundle}`).href)};\nprocess.exitCode = await run(process.argv);\n`);
const archive = fs
  .readdirSync(path.join(root, 'archive/netconf'))
  .filter((f) => /\.(txt|html?)$/.test(f))
  .map((f) => path.join(root, 'archive/netconf', f));

const ways = {
  now: { node: ['node', path.join(root, 'bin/conclave.js')], env: {} },
  before: { node: ['node', plain], env: { CONCLAVE_PGLITE_BUFFERS_MB: '128' } },
} as const;

const steps: [string, string[]][] = [
  ['first command (creates the data directory)', ['edition', 'list']],
  ['import the bundled archive (5 pages)', ['import', ...archive]],
  ['edition list', ['edition', 'list']],
  ['search', ['search', 'netlink']],
  ['export the static site', ['export', '--out', '@SITE']],
  ...(values.repo
    ? ([
        ['candidates, cold (fills the cache)', ['candidates', '--repo', values.repo, '--top', '15']],
        ['candidates, again', ['candidates', '--repo', values.repo, '--top', '15']],
      ] as [string, string[]][])
    : []),
];

const best = new Map<string, Timed>();
try {
  for (let i = 0; i < reps; i++) {
    for (const [name, way] of Object.entries(ways)) {
      const data = path.join(work, `data-${name}-${i}`);
      for (const [label, args] of steps) {
        const site = path.join(work, `site-${name}-${i}`);
        const t = timed([...way.node, ...args.map((a) => (a === '@SITE' ? site : a))], { cwd: work, env: { ...way.env, CONCLAVE_DATA: data, LOG_LEVEL: 'silent' } });
        const key = `${label}\0${name}`;
        const b = best.get(key);
        best.set(key, b ? { ...t, wall: Math.min(b.wall, t.wall), cpu: Math.min(b.cpu, t.cpu), rssMB: Math.max(b.rssMB, t.rssMB) } : t);
      }
      fs.rmSync(data, { recursive: true, force: true });
    }
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}

console.log(`${os.availableParallelism()} cores, Node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}, best of ${reps}\n`);
console.log('| command | before: wall s | CPU s | peak RSS MB | now: wall s | CPU s | peak RSS MB |');
console.log('|---|---|---|---|---|---|---|');
for (const [label] of steps) {
  const b = best.get(`${label}\0before`)!;
  const n = best.get(`${label}\0now`)!;
  console.log(`| ${label} | ${b.wall.toFixed(2)} | ${b.cpu.toFixed(2)} | ${b.rssMB} | ${n.wall.toFixed(2)} | ${n.cpu.toFixed(2)} | ${n.rssMB} |`);
}

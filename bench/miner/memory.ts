/**
 * The miner's memory at several history sizes (results in docs/benchmarks.md, "Memory at any
 * history size"): `conclave candidates --repo R --top 15` cold (its cache emptied) and again, for
 * each repository given, on the embedded database and, given a scratch database, on PostgreSQL.
 *
 *   npx tsx bench/miner/generate.ts /tmp/bench-20k 20000 500      # and 100000, 300000, 1000000
 *   npm run build && npx tsx bench/miner/memory.ts [--bin PATH/bin/conclave.js] [--pg postgres://…/scratch] REPO…
 *
 * Each run is its own process. Shown: wall time; the conclave process's own peak resident set
 * (getrusage of itself, written at exit by a preloaded module: the miner's memory, without git's);
 * and the largest process of the run (/usr/bin/time, git included). The miner tables of the
 * scratch database are emptied first. --bin runs another checkout's build (an earlier commit).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { timed } from '../support/timed.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { bin: { type: 'string', default: path.join(root, 'bin/conclave.js') }, pg: { type: 'string' } },
});
if (!positionals.length) throw new Error('usage: memory.ts [--bin PATH] [--pg URL] REPO…');
const bin = path.resolve(values.bin);
if (!fs.existsSync(bin)) throw new Error(`${bin} does not exist`);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-bench-memory-'));
const peakFile = path.join(work, 'peak');
const preload = path.join(work, 'peak.mjs');
fs.writeFileSync(preload, `import fs from 'node:fs';\nprocess.on('exit', () => fs.writeFileSync(${JSON.stringify(peakFile)}, String(process.resourceUsage().maxRSS)));\n`);

interface Run {
  wall: number;
  selfMB: number;
  treeMB: number;
}

function run(args: string[], env: Record<string, string>): Run {
  fs.rmSync(peakFile, { force: true });
  const t = timed([process.execPath, '--import', preload, bin, ...args], { cwd: work, env: { ...env, LOG_LEVEL: 'silent' } });
  return { wall: t.wall, selfMB: Math.round(Number(fs.readFileSync(peakFile, 'utf8')) / 1024), treeMB: t.rssMB };
}

function commits(repo: string): number {
  const r = spawnSync('git', ['--git-dir', repo, 'rev-list', '--count', 'HEAD'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${repo}: ${r.stderr}`);
  return Number(r.stdout.trim());
}

const rows: string[] = [];
try {
  // One embedded data directory made (and migrated) once; each repository runs on a copy of it.
  const template = path.join(work, 'template');
  run(['db', 'migrate'], { CONCLAVE_DATA: template });
  for (const repo of positionals) {
    const n = commits(repo);
    const ways: [string, Record<string, string>, () => void][] = [];
    const data = path.join(work, 'data');
    ways.push([
      'embedded',
      { CONCLAVE_DATA: data },
      () => {
        fs.rmSync(data, { recursive: true, force: true });
        fs.cpSync(template, data, { recursive: true });
      },
    ]);
    if (values.pg) {
      const url = values.pg;
      ways.push([
        'PostgreSQL',
        { DATABASE_URL: url },
        () => {
          run(['db', 'migrate'], { DATABASE_URL: url });
          const r = spawnSync('psql', [url, '-qc', 'truncate contribution_commits, contribution_scans, contribution_repos cascade'], { encoding: 'utf8' });
          if (r.status !== 0) throw new Error(`emptying the miner tables: ${r.stderr}`);
        },
      ]);
    }
    for (const [name, env, reset] of ways) {
      reset();
      const cold = run(['candidates', '--repo', repo, '--top', '15'], env);
      const again = run(['candidates', '--repo', repo, '--top', '15'], env);
      rows.push(`| ${n.toLocaleString('en')} | ${name} | ${cold.wall.toFixed(2)} | ${cold.selfMB} | ${cold.treeMB} | ${again.wall.toFixed(2)} | ${again.selfMB} |`);
      console.error(rows.at(-1));
    }
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}

console.log(`${bin}\n${os.availableParallelism()} cores, Node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}\n`);
console.log('| commits | database | cold: wall s | conclave peak MB | largest process MB | again: wall s | conclave peak MB |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);

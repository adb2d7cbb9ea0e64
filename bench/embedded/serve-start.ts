/**
 * What the server holds in memory after it starts on the embedded database (results in
 * docs/benchmarks.md, "Embedded database"): `conclave serve --bootstrap` — what `npm start` runs
 * — on a new data directory (it creates the database and imports the Netconf archive), then again
 * on the same directory. For each start: the server's resident set once it has answered ten
 * requests for the front page, and its peak (VmRSS and VmHWM of /proc/PID/status; Linux only).
 *
 *   npm run build && npx tsx bench/embedded/serve-start.ts [--bin PATH/bin/conclave.js] [--reps N]
 *
 * --bin runs another checkout's build (to compare with an earlier commit); each sequence runs N
 * times (default 3) from a new directory, and the table shows the median of each.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const { values } = parseArgs({ options: { bin: { type: 'string', default: path.join(root, 'bin/conclave.js') }, reps: { type: 'string', default: '3' } } });
const reps = Number(values.reps);
if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps ${values.reps}: must be a whole number of runs, at least 1`);
const bin = path.resolve(values.bin);
if (!fs.existsSync(bin)) throw new Error(`${bin} does not exist`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function statusMB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`/proc/${pid}/status has no ${field}`);
  return Math.round(Number(m[1]) / 1024);
}

/** Starts the server on `data`, waits for ten answers from its front page, reads its memory, stops it. */
async function start(data: string): Promise<{ seconds: number; rssMB: number; peakMB: number }> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, [bin, 'serve', '--bootstrap'], { env: { ...process.env, CONCLAVE_DATA: data, PORT: String(port), LOG_LEVEL: 'silent' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const deadline = Date.now() + 120_000;
    let answered = 0;
    let seconds = 0;
    while (answered < 10) {
      if (child.exitCode !== null) throw new Error(`serve exited (${child.exitCode}): ${stderr}`);
      if (Date.now() > deadline) throw new Error(`serve did not answer in 120 s: ${stderr}`);
      const ok = await fetch(`http://127.0.0.1:${port}/`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok && !answered) seconds = (performance.now() - t0) / 1000;
      if (ok) answered++;
      else await new Promise((r) => setTimeout(r, 100));
    }
    return { seconds, rssMB: statusMB(child.pid!, 'VmRSS'), peakMB: statusMB(child.pid!, 'VmHWM') };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const runs = { first: [] as Awaited<ReturnType<typeof start>>[], later: [] as Awaited<ReturnType<typeof start>>[] };
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-bench-serve-'));
try {
  for (let i = 0; i < reps; i++) {
    const data = path.join(work, `data-${i}`);
    runs.first.push(await start(data));
    runs.later.push(await start(data));
    fs.rmSync(data, { recursive: true, force: true });
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}

console.log(`${bin}\n${os.availableParallelism()} cores, Node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}, median of ${reps}\n`);
console.log('| start | answers after s | resident MB | peak MB |');
console.log('|---|---|---|---|');
for (const [label, r] of [
  ['first (creates the database, imports the archive)', runs.first],
  ['later (same data directory)', runs.later],
] as const) {
  console.log(`| ${label} | ${median(r.map((x) => x.seconds)).toFixed(2)} | ${median(r.map((x) => x.rssMB))} | ${median(r.map((x) => x.peakMB))} |`);
}

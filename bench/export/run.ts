/**
 * The static-export benchmark: the seed archive alone, then with generated editions added up to
 * each size, a full export into a new directory each time; then the largest again into the same
 * directory (nothing changed: nothing written).
 *
 *   npx tsx bench/export/run.ts [--sizes 0,250,500,1000] [--database-url postgres://…]
 *                               [--concurrency 4] [--threads N] [--dir DIR]
 *
 * The export measured is the compiled one (dist/, built first with `npm run build`, which also
 * bundles it for `conclave export`), so that its worker threads start from compiled modules as
 * they do for a user; the archive is generated through the sources. Without --database-url: a fresh embedded PGlite in memory. With it: a new database is
 * created on that server and dropped at the end. The trees are written under --dir (default: the
 * system's temporary directory) and removed at the end. Prints a Markdown table: wall time, the
 * CPU time the process spent (all its threads), pages, the peak resident memory of the process
 * so far (it only grows), and the time per edition.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openPglite, type Db } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { bundledPages } from '../../src/domain/archive/bundled.js';
import { importPages } from '../../src/domain/archive/import-pages.js';
import type { exportSite as ExportSite } from '../../src/export/static-site.js';
import { openScratchPostgres } from '../support/scratch-database.js';
import { generateEditions } from './generate.js';

const root = path.resolve(import.meta.dirname, '../..');
execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
const { exportSite } = (await import(path.join(root, 'dist/export/static-site.js'))) as { exportSite: typeof ExportSite };

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '0,250,500,1000' },
    'database-url': { type: 'string' },
    concurrency: { type: 'string', default: '4' },
    threads: { type: 'string' },
    dir: { type: 'string', default: os.tmpdir() },
  },
});
const sizes = values.sizes!.split(',').map(Number);
const url = values['database-url'];

async function open(): Promise<Db> {
  if (!url) return openPglite({});
  return openScratchPostgres(url);
}

/** CPU time of the whole process (every thread: the export, PGlite, file I/O) since `from`. */
const cpuSeconds = (from: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(from);
  return ((u.user + u.system) / 1e6).toFixed(2);
};
const mb = () => (process.resourceUsage().maxRSS / 1024).toFixed(0);
const handle = await open();
const tmp = fs.mkdtempSync(path.join(values.dir!, 'conclave-bench-export-'));
const threads = values.threads === undefined ? undefined : Number(values.threads);
try {
  await migrateToLatest(handle.db);
  await importPages({ db: handle.db }, bundledPages());
  console.log(
    `# static export, ${url ? 'PostgreSQL' : 'PGlite'}, ${os.cpus().length} CPUs, Node ${process.version}, concurrency ${values.concurrency}, threads ${threads ?? 'default'}, into ${tmp}`,
  );
  console.log('| generated editions | files | wall time (s) | CPU time (s) | ms per edition | DB queries (asked/remembered) | peak RSS so far (MB) |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  const times: { n: number; s: number }[] = [];
  let last = '';
  for (const n of sizes) {
    const g0 = performance.now();
    await generateEditions(handle.db, n);
    const gen = (performance.now() - g0) / 1000;
    last = path.join(tmp, `site-${n}`);
    const cpu0 = process.cpuUsage();
    const r = await exportSite({ db: handle.db }, { outDir: last, baseUrl: 'https://netconf.example.org', concurrency: Number(values.concurrency), threads });
    if (r.brokenLinks.length) console.error(`! ${r.brokenLinks.length} broken links, first: ${JSON.stringify(r.brokenLinks[0])}`);
    times.push({ n, s: r.seconds });
    const per = n > 0 ? ((r.seconds * 1000) / (n + 5)).toFixed(1) : ((r.seconds * 1000) / 5).toFixed(1);
    console.log(`| ${n} | ${r.files} | ${r.seconds.toFixed(2)} | ${cpuSeconds(cpu0)} | ${per} | ${r.queries.asked}/${r.queries.remembered} | ${mb()} |`);
    console.error(`  (generating ${n} took ${gen.toFixed(1)} s)`);
  }
  const cpu1 = process.cpuUsage();
  const again = await exportSite({ db: handle.db }, { outDir: last, baseUrl: 'https://netconf.example.org', concurrency: Number(values.concurrency), threads });
  console.log(`\nAgain into the same directory (${sizes.at(-1)} editions, nothing changed): ${again.seconds.toFixed(2)} s (CPU ${cpuSeconds(cpu1)} s), ${again.written} written, ${again.unchanged} unchanged, ${again.removed} removed; peak RSS ${mb()} MB.`);
  const big = times.filter((t) => t.n > 0);
  if (big.length >= 2) {
    const a = big[0]!;
    const b = big.at(-1)!;
    console.log(`Growth: ${b.n / a.n}× the editions took ${(b.s / a.s).toFixed(2)}× the time (${a.n} → ${b.n}).`);
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
  await handle.close();
}

/**
 * One miner run for the benchmark, in its own process so its peak memory is its own:
 *
 *   npx tsx bench/miner/mine-once.ts REPO DATA_DIR|postgres://… [--lines] [--no-cache] [--jobs N] [--reset]
 *
 * --reset empties the miner's cache tables first (not timed); --only-reset empties them and
 * mines nothing. Prints JSON: the time mineContributions took (database already open), the CPU
 * time of this process's own thread in it (nodeCpuMs; git's is not in it), the commits read, and
 * the process's peak resident memory before mining and after.
 */
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.js';
import { openPglite, openPostgres } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { mineContributions } from '../../src/domain/contributions/mine.js';

const [repo, where, ...flags] = process.argv.slice(2);
// A flag where the database belongs would become a PGlite data directory named "--reset".
if (!repo || !where || where.startsWith('-')) {
  console.error('usage: mine-once.ts REPO DATA_DIR|postgres://… [--lines] [--no-cache] [--jobs N] [--reset] [--only-reset]');
  process.exit(2);
}
const jobsAt = flags.indexOf('--jobs');
const jobs = jobsAt >= 0 ? Number(flags[jobsAt + 1]) : undefined;
const handle = where.startsWith('postgres') ? await openPostgres(where) : await openPglite({ dir: where, buffersMB: loadConfig().pgliteBuffersMB });
await migrateToLatest(handle.db);
if (flags.includes('--reset') || flags.includes('--only-reset')) {
  await sql`delete from contribution_scans`.execute(handle.db);
  await sql`delete from contribution_commits`.execute(handle.db);
}
if (flags.includes('--only-reset')) {
  await handle.close();
  console.log(JSON.stringify({ reset: true }));
  process.exit(0);
}
const rssBefore = Math.round(process.resourceUsage().maxRSS / 1024);
const t = performance.now();
const cpu0 = process.cpuUsage();
const r = await mineContributions(
  { db: handle.db, clock: () => new Date(), ...(jobs ? { jobs } : {}) },
  { repo, lines: flags.includes('--lines'), cache: !flags.includes('--no-cache'), top: 15 },
);
const ms = performance.now() - t;
const cpu = process.cpuUsage(cpu0);
const heapMB = Math.round(process.memoryUsage().heapUsed / 2 ** 20);
await handle.close();
console.log(
  JSON.stringify({ ms: Math.round(ms), nodeCpuMs: Math.round((cpu.user + cpu.system) / 1000), commits: r.commits, newCommits: r.newCommits, incremental: r.incremental, top: r.rows[0]?.name, rssBeforeMB: rssBefore, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024), heapMB }),
);

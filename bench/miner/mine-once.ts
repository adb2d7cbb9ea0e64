/**
 * One miner run for the benchmark, in its own process so its peak memory is its own:
 *
 *   npx tsx bench/miner/mine-once.ts REPO DATA_DIR|postgres://… [--lines] [--no-cache]
 *
 * Prints JSON: the time mineContributions took (database already open), the commits read, and
 * the process's peak resident memory.
 */
import { openPglite, openPostgres } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { mineContributions } from '../../src/domain/contributions/mine.js';

const [repo, where, ...flags] = process.argv.slice(2);
if (!repo || !where) {
  console.error('usage: mine-once.ts REPO DATA_DIR|postgres://… [--lines] [--no-cache]');
  process.exit(2);
}
const handle = where.startsWith('postgres') ? await openPostgres(where) : await openPglite({ dir: where });
await migrateToLatest(handle.db);
const t = performance.now();
const r = await mineContributions({ db: handle.db, clock: () => new Date() }, { repo, lines: flags.includes('--lines'), cache: !flags.includes('--no-cache'), top: 15 });
const ms = performance.now() - t;
await handle.close();
console.log(JSON.stringify({ ms: Math.round(ms), commits: r.commits, newCommits: r.newCommits, incremental: r.incremental, top: r.rows[0]?.name, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }));

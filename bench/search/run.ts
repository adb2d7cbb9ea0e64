/**
 * The search benchmark: a generated archive (bench/search/generate.ts) in a fresh database, then a
 * set of queries through `search()`, the function the web pages and `conclave search` call, each
 * run N times after one warm-up; prints a Markdown table of the median and the 95th percentile
 * per query and database, with the hits found (total, as the page says).
 *
 *   npx tsx bench/search/run.ts [--editions 60] [--people 2000] [--reps 20]
 *                               [--database-url postgres://…] [--no-pglite] [--dir DIR]
 *
 * With --database-url: a new database is created on that server, analysed after the generation,
 * and dropped at the end. PGlite: a new embedded database in a temporary directory under --dir
 * (default: the system's), removed at the end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openPglite, type Db } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { search, type SearchInput } from '../../src/domain/search/search.js';
import { openScratchPostgres } from '../support/scratch-database.js';
import { generateArchive } from './generate.js';

const { values } = parseArgs({
  options: {
    editions: { type: 'string', default: '60' },
    people: { type: 'string', default: '2000' },
    reps: { type: 'string', default: '20' },
    'database-url': { type: 'string' },
    'no-pglite': { type: 'boolean', default: false },
    dir: { type: 'string', default: os.tmpdir() },
  },
});
const sizes = { editions: Number(values.editions), people: Number(values.people) };
const reps = Number(values.reps);

/** What people search for. */
const QUERIES: { name: string; input: SearchInput }[] = [
  { name: 'common word', input: { query: 'offload' } },
  { name: 'rare word', input: { query: 'quiescence' } },
  { name: 'phrase', input: { query: '"congestion control"' } },
  { name: 'person', input: { query: 'Priya Kowalski' } },
  { name: 'slide label word', input: { query: 'flamegraphs' } },
  { name: 'exclusion', input: { query: 'offload -xdp' } },
  { name: 'year filter', input: { query: 'offload', year: 1990 } },
];

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

interface Row {
  database: string;
  query: string;
  hits: number;
  median: number;
  p95: number;
}

async function bench(label: string, handle: Db, cleanup: () => void): Promise<Row[]> {
  const rows: Row[] = [];
  try {
    await migrateToLatest(handle.db);
    const t0 = performance.now();
    const counts = await generateArchive(handle.db, sizes);
    await sql`analyze`.execute(handle.db);
    console.error(`${label}: generated in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
    for (const q of QUERIES) {
      const first = await search({ db: handle.db }, q.input);
      const times: number[] = [];
      for (let i = 0; i < reps; i++) {
        const t = performance.now();
        await search({ db: handle.db }, q.input);
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      rows.push({ database: label, query: `${q.name}: \`${q.input.query}\`${q.input.year ? ` (year ${q.input.year})` : ''}`, hits: first.total, median: quantile(times, 0.5), p95: quantile(times, 0.95) });
      console.error(`${label}: ${q.name} done`);
    }
  } finally {
    await handle.close();
    cleanup();
  }
  return rows;
}

const results: Row[] = [];
if (values['database-url']) results.push(...(await bench('PostgreSQL', await openScratchPostgres(values['database-url']), () => {})));
if (!values['no-pglite']) {
  const tmp = fs.mkdtempSync(path.join(values.dir!, 'conclave-bench-search-'));
  results.push(...(await bench('PGlite', await openPglite({ dir: tmp }), () => fs.rmSync(tmp, { recursive: true, force: true }))));
}

console.log(`${sizes.editions} editions, ${sizes.people} people; ${reps} repetitions after one warm-up; milliseconds\n`);
console.log('| database | query | hits | median ms | p95 ms |');
console.log('|---|---|---|---|---|');
for (const r of results) console.log(`| ${r.database} | ${r.query} | ${r.hits} | ${r.median.toFixed(1)} | ${r.p95.toFixed(1)} |`);

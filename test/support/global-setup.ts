/**
 * Says once, loudly, what this run cannot test, and refuses to go on in CI when it matters:
 * .ci/run sets TEST_DATABASE_URL and REQUIRE_BROWSER=1 so that nothing skips silently there.
 * Then makes the migrated databases every test database is copied from.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { redactUrl } from '../../src/config.js';
import { openDb, openPostgres } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { chromiumPath } from './browser.js';
import { adminQuery, databaseUrl } from './pg-admin.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A file holding a migrated PGlite data directory (PGlite's tarball), made once per run. */
    pgliteTemplate: string;
    /** A data directory (CONCLAVE_DATA) holding the same database, closed: copy, never open. */
    dataDirTemplate: string;
    /** A migrated PostgreSQL database to create each test database from, when there is a server. */
    postgresTemplate: string;
  }
}

/**
 * Tests that run the `conclave` executable run what users run: bin/conclave.js → the bundle in
 * dist/bundle/ (scripts/bundle.js) when it is fresh, else the compiled modules in dist/.
 * `npm test` builds both before vitest starts; a run of vitest alone builds them here, once, so
 * that no test file has to (several building at once would write dist/ under each other's feet).
 */
function buildOnce(): void {
  if (process.env.npm_lifecycle_event === 'test') return;
  const root = path.resolve(import.meta.dirname, '../..');
  const steps = [
    [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'],
    [path.join(root, 'scripts/bundle.js')],
  ];
  for (const args of steps) {
    const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${path.basename(args[0]!)} failed; the executable's tests cannot run:\n${r.stdout}${r.stderr}`);
  }
}

/**
 * One migrated embedded database for the whole run, which every test database copies
 * (test/support/db.ts): PGlite's initdb and the migrations cost seconds, paid once here instead of
 * in every test file. Made as a user's first command makes it (openDb on a new data directory), so
 * creation and every migration still run on every run. Kept twice: as the data directory, for
 * tests that run the executable on one, and as PGlite's tarball, for databases in memory.
 */
async function pgliteTemplate(dir: string): Promise<{ dataDir: string; tarball: string }> {
  const dataDir = path.join(dir, 'data');
  const handle = await openDb({ dataDir });
  try {
    const tarball = path.join(dir, 'pglite-template.tar');
    fs.writeFileSync(tarball, new Uint8Array(await (await handle.dump!()).arrayBuffer()));
    return { dataDir, tarball };
  } finally {
    await handle.close();
  }
}

async function postgresTemplate(url: string): Promise<{ name: string; drop: () => Promise<void> }> {
  const name = `conclave_template_${process.pid}_${randomBytes(4).toString('hex')}`;
  try {
    await adminQuery(url, `create database ${name}`);
  } catch (err) {
    throw new Error(`TEST_DATABASE_URL ${redactUrl(url)}: cannot create the tests' template database: ${(err as Error).message}`);
  }
  const handle = await openPostgres(databaseUrl(url, name));
  try {
    await migrateToLatest(handle.db);
  } finally {
    await handle.close();
  }
  return { name, drop: () => adminQuery(url, `drop database if exists ${name} with (force)`) };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  buildOnce();
  const ci = !!process.env.CI;
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const msg = 'PostgreSQL: TEST_DATABASE_URL is not set; database tests run on embedded PGlite only.';
    if (ci) throw new Error(`CI: ${msg}`);
    console.warn(`\n!!! ${msg}\n`);
  }
  if (!fs.existsSync(chromiumPath())) {
    const msg = `Chromium: ${chromiumPath()} not found; browser tests are skipped (apt-get install chromium).`;
    if (process.env.REQUIRE_BROWSER === '1') throw new Error(`REQUIRE_BROWSER=1: ${msg}`);
    console.warn(`\n!!! ${msg}\n`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-test-templates-'));
  const [pglite, postgres] = await Promise.allSettled([pgliteTemplate(dir), url ? postgresTemplate(url) : undefined]);
  const teardown = async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (postgres.status === 'fulfilled') await postgres.value?.drop();
  };
  if (pglite.status === 'rejected' || postgres.status === 'rejected') {
    await teardown();
    throw pglite.status === 'rejected' ? pglite.reason : (postgres as PromiseRejectedResult).reason;
  }
  project.provide('pgliteTemplate', pglite.value.tarball);
  project.provide('dataDirTemplate', pglite.value.dataDir);
  project.provide('postgresTemplate', postgres.value?.name ?? '');
  return teardown;
}

/**
 * Fresh databases for tests: embedded PGlite always, PostgreSQL too when TEST_DATABASE_URL is set.
 * PGlite's initdb and the migrations cost seconds, so the global setup (global-setup.ts) makes
 * one migrated database of each kind for the whole run, and each test database is a copy: loaded
 * from its tarball on PGlite, created from it as a template on PostgreSQL (and dropped after).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject, onTestFinished } from 'vitest';
import { openPglite, openPostgres, type Db } from '../../src/db/connect.js';
import { adminQuery, databaseUrl } from './pg-admin.js';

let template: Blob | undefined;

/** The migrated data directory the global setup made, as PGlite's tarball. */
function pgliteTemplate(): Blob {
  template ??= new Blob([fs.readFileSync(inject('pgliteTemplate'))]);
  return template;
}

export async function freshPglite(): Promise<Db> {
  return openPglite({ loadDataDir: pgliteTemplate() });
}

/**
 * Makes `dataDir` (CONCLAVE_DATA) hold a migrated embedded database, copied from the run's: for
 * tests that run the executable on a data directory but are not about making one (a new one
 * costs its first command seconds of initdb). Returns `dataDir`.
 */
export function copyDataDir(dataDir: string): string {
  fs.cpSync(path.join(inject('dataDirTemplate'), 'pgdata'), path.join(dataDir, 'pgdata'), { recursive: true });
  return dataDir;
}

/** A new data directory in the temporary folder, as copyDataDir makes it; removing it is the caller's. */
export function freshDataDir(prefix = 'conclave-data-'): string {
  return copyDataDir(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

/**
 * The environment of a command test about what commands do and say, not about the embedded
 * database: a PostgreSQL database of its own (DATABASE_URL, dropped when the test ends) when the
 * run has a server (TEST_DATABASE_URL), beside a data directory for the mailbox and stored
 * files; else an embedded one (freshDataDir). A command on PostgreSQL does not start PGlite's
 * WebAssembly, half of what a command costs (docs/benchmarks.md, "Test suite").
 */
export async function commandData(prefix = 'conclave-cli-'): Promise<CommandData['env']> {
  const made = await makeCommandData(prefix);
  onTestFinished(made.drop);
  return made.env;
}

/** A command test's environment (commandData) for several tests: `drop` ends it, the caller's (afterAll). */
export interface CommandData {
  env: Record<string, string> & { CONCLAVE_DATA: string };
  drop: () => Promise<void>;
}

export async function makeCommandData(prefix = 'conclave-cli-'): Promise<CommandData> {
  const url = process.env.TEST_DATABASE_URL;
  const dir = url ? fs.mkdtempSync(path.join(os.tmpdir(), prefix)) : freshDataDir(prefix);
  const made = url ? await freshPostgresDatabase(url) : null;
  return {
    env: made ? { CONCLAVE_DATA: dir, DATABASE_URL: made.url } : { CONCLAVE_DATA: dir },
    drop: async () => {
      await made?.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A new PostgreSQL database on the server of `url`, created from the run's migrated template:
 * its URL, for a process of its own (the executable's DATABASE_URL), and `drop`, the caller's.
 */
export async function freshPostgresDatabase(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `conclave_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(url, `create database ${name} template ${inject('postgresTemplate')}`);
  return { url: databaseUrl(url, name), drop: () => adminQuery(url, `drop database if exists ${name} with (force)`) };
}

export async function freshPostgres(url: string): Promise<Db> {
  const made = await freshPostgresDatabase(url);
  const handle = await openPostgres(made.url);
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await made.drop();
    },
  };
}

export interface TestDb {
  name: 'pglite' | 'postgres';
  open: () => Promise<Db>;
}

/** The databases every database test runs on: `describe.each(testDatabases())`. */
export function testDatabases(): TestDb[] {
  const list: TestDb[] = [{ name: 'pglite', open: freshPglite }];
  const url = process.env.TEST_DATABASE_URL;
  if (url) list.push({ name: 'postgres', open: () => freshPostgres(url) });
  return list;
}

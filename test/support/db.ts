/**
 * Fresh databases for tests: embedded PGlite always, PostgreSQL too when TEST_DATABASE_URL is set.
 * PGlite's initdb costs seconds, so a migrated template is made once per worker and copied (as a
 * data-directory dump) for each database. On PostgreSQL each database is a new one, dropped after.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPglite, openPostgres, type Db } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';

let template: Promise<Blob> | undefined;

async function pgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    const handle = await openPglite({});
    await migrateToLatest(handle.db);
    const blob = await handle.dump!();
    await handle.close();
    return blob;
  })();
  return template;
}

export async function freshPglite(): Promise<Db> {
  return openPglite({ loadDataDir: await pgliteTemplate() });
}

export async function freshPostgres(url: string): Promise<Db> {
  const name = `conclave_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  const handle = await openPostgres(u.toString());
  await migrateToLatest(handle.db);
  return {
    ...handle,
    close: async () => {
      await handle.close();
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
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

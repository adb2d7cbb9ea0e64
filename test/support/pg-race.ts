/**
 * For races on PostgreSQL (PGlite runs one transaction at a time and would hide them): a database
 * of the tests' template reached through a pool of several connections, and a way to tell that a
 * session waits for a lock another one holds.
 */
import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import type { Database } from '../../src/db/schema.js';
import { adminQuery, databaseUrl } from './pg-admin.js'; // also loads connect.ts, which sets the date parsers

/** A new database copied from the migrated template, over `connections` pooled connections; `drop` ends it. */
export async function raceDatabase(url: string, connections: number): Promise<{ db: Kysely<Database>; pool: pg.Pool; drop: () => Promise<void> }> {
  const name = `conclave_race_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(url, `create database ${name} template ${inject('postgresTemplate')}`);
  const pool = new pg.Pool({ connectionString: databaseUrl(url, name), max: connections });
  // Dropping the database at the end ends connections the pool is still closing.
  pool.on('error', (err: Error & { code?: string }) => {
    if (err.code !== '57P01') throw err;
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    pool,
    drop: async () => {
      await db.destroy();
      await adminQuery(url, `drop database if exists ${name} with (force)`);
    },
  };
}

/** Whether a session of this database waits for a lock. */
export async function waitingOnLock(db: Kysely<Database>): Promise<boolean> {
  const r = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
  return r.rows[0]!.n > 0;
}

/** Waits (up to two seconds) until some session waits for a lock; whether one does. */
export async function someoneWaits(db: Kysely<Database>): Promise<boolean> {
  for (let i = 0; i < 100 && !(await waitingOnLock(db)); i++) await new Promise((r) => setTimeout(r, 20));
  return waitingOnLock(db);
}

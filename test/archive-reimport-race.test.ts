/**
 * A re-import racing a schedule write, on PostgreSQL only (PGlite runs one transaction at a
 * time and would hide it): a slot added while the import runs is never deleted by it unseen.
 * The import locks the edition, as every schedule write does, before it looks for what was made
 * in conclave; so it sees the slot and refuses, instead of deleting it with the old agenda.
 */
import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Database } from '../src/db/schema.js';
import { recordAudit } from '../src/domain/audit/record.js';
import { bundledPages } from '../src/domain/archive/bundled.js';
import { importPages } from '../src/domain/archive/import-pages.js';
import { ImportError } from '../src/domain/errors.js';
import { testDatabases } from './support/db.js';
import { adminQuery, databaseUrl } from './support/pg-admin.js';

const postgres = testDatabases().filter((d) => d.name === 'postgres');

async function waitingOnLock(db: Kysely<Database>): Promise<boolean> {
  const r = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
  return r.rows[0]!.n > 0;
}

describe.skipIf(postgres.length === 0)('re-import racing a schedule write on postgres', () => {
  const url = process.env.TEST_DATABASE_URL!;
  const name = `conclave_reimport_${process.pid}_${randomBytes(4).toString('hex')}`;
  let pool: pg.Pool;
  let db: Kysely<Database>;

  beforeAll(async () => {
    await adminQuery(url, `create database ${name} template ${inject('postgresTemplate')}`);
    pool = new pg.Pool({ connectionString: databaseUrl(url, name), max: 4 });
    pool.on('error', (err: Error & { code?: string }) => {
      if (err.code !== '57P01') throw err;
    });
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  });
  afterAll(async () => {
    await db?.destroy();
    await adminQuery(url, `drop database if exists ${name} with (force)`);
  });

  it('sees a slot added while it waited for the edition, and refuses instead of deleting it', async () => {
    const page = bundledPages().filter((p) => p.file.endsWith('2015.txt'));
    const [first] = await importPages({ db }, page);
    const day = await db.selectFrom('agenda_days').select('id').where('edition_id', '=', first!.editionId).orderBy('id').executeTakeFirstOrThrow();
    let reimport: Promise<unknown> | undefined;
    // What addSlot does, held open: the edition locked, a slot written and its audit recorded.
    await db.transaction().execute(async (trx) => {
      await trx.selectFrom('editions').select('id').where('id', '=', first!.editionId).forUpdate().execute();
      reimport = importPages({ db }, page).catch((e: unknown) => e);
      for (let i = 0; i < 100 && !(await waitingOnLock(db)); i++) await new Promise((r) => setTimeout(r, 20));
      expect(await waitingOnLock(db)).toBe(true);
      await trx.insertInto('slots').values({ day_id: day.id, start_time: '19:00', end_time: '21:00', kind: 'meal', title: 'Committee dinner', position: 99 }).execute();
      await recordAudit(trx, { accountId: null, label: 'test' }, { action: 'schedule.slot.add', entity: 'schedule', editionId: first!.editionId });
    });
    const err = await reimport;
    expect(err).toBeInstanceOf(ImportError);
    expect((err as Error).message).toContain('its schedule was changed in conclave once');
    const dinner = await db.selectFrom('slots').select('id').where('title', '=', 'Committee dinner').execute();
    expect(dinner).toHaveLength(1);
  });
});

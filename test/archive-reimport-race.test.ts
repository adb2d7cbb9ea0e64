/**
 * A re-import racing a schedule write, on PostgreSQL only (PGlite runs one transaction at a
 * time and would hide it): a slot added while the import runs is never deleted by it unseen.
 * The import locks the edition, as every schedule write does, before it looks for what was made
 * in conclave; so it sees the slot and refuses, instead of deleting it with the old agenda.
 */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/schema.js';
import { recordAudit } from '../src/domain/audit/record.js';
import { bundledPages } from '../src/domain/archive/bundled.js';
import { importPages } from '../src/domain/archive/import-pages.js';
import { ImportError } from '../src/domain/errors.js';
import { testDatabases } from './support/db.js';
import { raceDatabase, someoneWaits } from './support/pg-race.js';

const postgres = testDatabases().filter((d) => d.name === 'postgres');

describe.skipIf(postgres.length === 0)('re-import racing a schedule write on postgres', () => {
  let db: Kysely<Database>;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ db, drop } = await raceDatabase(process.env.TEST_DATABASE_URL!, 4));
  });
  afterAll(async () => {
    await drop?.();
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
      expect(await someoneWaits(db)).toBe(true);
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

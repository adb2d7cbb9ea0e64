/**
 * Two sends of one form key at once, on PostgreSQL with a connection each (PGlite runs one
 * transaction at a time and would hide the race): the second waits for the first's transaction
 * at the key, then writes nothing if the first committed, and writes itself if the first was
 * rolled back (a refused send does not keep the key).
 */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/schema.js';
import { newFormKey, saveOnce } from '../src/domain/form-once.js';
import { testDatabases } from './support/db.js';
import { raceDatabase, someoneWaits } from './support/pg-race.js';

const postgres = testDatabases().filter((d) => d.name === 'postgres');

describe.skipIf(postgres.length === 0)('one form key sent twice at once, on postgres', () => {
  let db: Kysely<Database>;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ db, drop } = await raceDatabase(process.env.TEST_DATABASE_URL!, 4));
  });
  afterAll(async () => {
    await drop?.();
  });

  /**
   * A write adding a series named `slug`, held open until `go` settles (rejected: the write
   * fails); `reached` is called once it has written (the key is taken by then).
   */
  const held = (slug: string, go: Promise<void>, reached: () => void = () => {}) => async (trxDb: Kysely<Database>) => {
    const row = await trxDb.transaction().execute((trx) => trx.insertInto('series').values({ slug, name: slug }).returning('id').executeTakeFirstOrThrow());
    reached();
    await go;
    return { result: row.id, landing: `/admin/?notice=${slug}` };
  };
  const rows = async (slug: string) => (await db.selectFrom('series').select('id').where('slug', '=', slug).execute()).length;

  it('writes once: the second send waits for the first, then lands where it did', async () => {
    const key = newFormKey();
    let open!: () => void;
    let reached!: () => void;
    const written = new Promise<void>((r) => (reached = r));
    const first = saveOnce({ db }, key, held('once-a', new Promise<void>((r) => (open = r)), reached));
    // The first holds the key; the second, sent now, waits for it.
    await written;
    const second = saveOnce({ db }, key, held('once-a', Promise.resolve()));
    expect(await someoneWaits(db)).toBe(true);
    open();
    expect(await first).toMatchObject({ again: false, landing: '/admin/?notice=once-a' });
    expect(await second).toEqual({ again: true, landing: '/admin/?notice=once-a' });
    expect(await rows('once-a')).toBe(1);
  });

  it('lets the second send write when the first is refused', async () => {
    const key = newFormKey();
    let refuse!: (e: Error) => void;
    let reached!: () => void;
    const written = new Promise<void>((r) => (reached = r));
    const first = saveOnce({ db }, key, held('once-b', new Promise<void>((_, r) => (refuse = r)), reached)).catch((e: unknown) => e);
    await written;
    const second = saveOnce({ db }, key, held('once-b', Promise.resolve()));
    expect(await someoneWaits(db)).toBe(true);
    refuse(new Error('a field refused'));
    expect(await first).toBeInstanceOf(Error);
    expect(await second).toMatchObject({ again: false, landing: '/admin/?notice=once-b' });
    expect(await rows('once-b')).toBe(1);
  });
});

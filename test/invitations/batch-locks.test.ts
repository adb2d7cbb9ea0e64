/**
 * A held batch released or discarded while a re-send takes one of its drafts back, on PostgreSQL
 * only (PGlite runs one transaction at a time and would hide it). The re-send locks the edition,
 * then the invitation, then deletes the draft; the release and the discard must wait for the
 * edition before they lock the drafts, or each waits for the other and PostgreSQL ends one of
 * them as a deadlock. Here the invitation's row is held by a third transaction so that the
 * re-send is stopped between the edition and the draft, and the batch's write comes in then.
 */
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/schema.js';
import { discardHeldBatch, releaseHeldBatch, resendInvitation, sendInvitations } from '../../src/domain/invitations/send.js';
import { addCandidate } from '../../src/domain/invitations/candidates.js';
import { testDatabases } from '../support/db.js';
import { raceDatabase } from '../support/pg-race.js';
import { COMMITTEE, guestEmail, guestName, makeDeps, makeEdition } from './fixtures.js';

const postgres = testDatabases().filter((d) => d.name === 'postgres');

/** Waits (up to five seconds) until `n` sessions of this database wait for a lock. */
async function waiters(db: Kysely<Database>, n: number): Promise<number> {
  let count = 0;
  for (let i = 0; i < 250; i++) {
    const r = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
    count = r.rows[0]!.n;
    if (count >= n) break;
    await new Promise((res) => setTimeout(res, 20));
  }
  return count;
}

describe.skipIf(postgres.length === 0)('a held batch and a re-send at once on postgres', () => {
  let db: Kysely<Database>;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ db, drop } = await raceDatabase(process.env.TEST_DATABASE_URL!, 6));
  });

  afterAll(async () => {
    await drop?.();
  });

  /** Two guests invited in one held batch; their invitation ids and the batch. */
  async function heldBatch() {
    const deps = makeDeps(db);
    const editionId = await makeEdition(db);
    const ids: number[] = [];
    for (const k of [1, 2]) ids.push((await addCandidate(deps, COMMITTEE, { editionId, name: guestName(k), email: guestEmail(k) })).id);
    const sent = await sendInvitations(deps, COMMITTEE, { editionId, ids: 'all-candidates', hold: true });
    return { deps, ids: ids as [number, number], batch: sent.batch! };
  }

  /**
   * Runs `batchWrite` while a re-send of the first invitation holds its edition and waits for
   * the invitation's row; then lets the re-send go on. Both are settled.
   */
  async function race<T>(first: number, deps: ReturnType<typeof makeDeps>, batchWrite: () => Promise<T>) {
    let letGo!: () => void;
    const gate = new Promise<void>((res) => (letGo = res));
    let held!: () => void;
    const holding = new Promise<void>((res) => (held = res));
    const holder = db.transaction().execute(async (trx) => {
      await trx.selectFrom('invitations').select('id').where('id', '=', first).forUpdate().execute();
      held();
      await gate;
    });
    await holding;
    const resend = resendInvitation(deps, COMMITTEE, { id: first });
    expect(await waiters(db, 1)).toBe(1);
    const write = batchWrite();
    expect(await waiters(db, 2)).toBe(2);
    letGo();
    await holder;
    return Promise.allSettled([resend, write]);
  }

  it('discards the rest of the batch after the re-send, with no deadlock', async () => {
    const { deps, ids, batch } = await heldBatch();
    const [resend, discard] = await race(ids[0], deps, () => discardHeldBatch(deps, COMMITTEE, batch));
    expect(resend.status === 'rejected' ? String(resend.reason) : 'fulfilled').toBe('fulfilled');
    expect(discard.status === 'rejected' ? String(discard.reason) : 'fulfilled').toBe('fulfilled');
    expect(discard.status === 'fulfilled' && discard.value).toEqual({ discarded: 1, uninvited: [{ id: ids[1], name: guestName(2), email: guestEmail(2) }] });
    const states = await db.selectFrom('invitations').select(['id', 'state']).where('id', 'in', ids).orderBy('id').execute();
    expect(states.map((s) => s.state)).toEqual(['invited', 'candidate']);
  });

  it('releases the rest of the batch after the re-send, with no deadlock', async () => {
    const { deps, ids, batch } = await heldBatch();
    const [resend, release] = await race(ids[0], deps, () => releaseHeldBatch(deps, COMMITTEE, batch));
    expect(resend.status === 'rejected' ? String(resend.reason) : 'fulfilled').toBe('fulfilled');
    expect(release.status === 'rejected' ? String(release.reason) : 'fulfilled').toBe('fulfilled');
    expect(release.status === 'fulfilled' && release.value).toEqual({ released: 1 });
  });
});

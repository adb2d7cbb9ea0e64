/**
 * The schedule against a topic decided at the same moment, on PostgreSQL only (PGlite runs one
 * transaction at a time and would hide it): a slot added for a topic that another committee
 * member is declining waits for the decision, and is then refused; the topic never ends up
 * declined yet on the schedule.
 */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/schema.js';
import { InvalidForm } from '../../src/domain/errors.js';
import { acceptInvitation } from '../../src/domain/invitations/rsvp.js';
import { addSlot } from '../../src/domain/program/schedule-edit.js';
import { decideTopic } from '../../src/domain/program/topics.js';
import { COMMITTEE, inviteGuests, makeDeps, makeEdition } from '../invitations/fixtures.js';
import { testDatabases } from '../support/db.js';
import { raceDatabase, someoneWaits } from '../support/pg-race.js';

const postgres = testDatabases().filter((d) => d.name === 'postgres');

describe.skipIf(postgres.length === 0)('scheduling a topic while it is declined, on postgres', () => {
  let db: Kysely<Database>;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ db, drop } = await raceDatabase(process.env.TEST_DATABASE_URL!, 4));
  });
  afterAll(async () => {
    await drop?.();
  });

  async function acceptedTopic(): Promise<{ deps: ReturnType<typeof makeDeps>; ref: { series: string; year: number }; topicId: number }> {
    const deps = makeDeps(db);
    const editionId = await makeEdition(db);
    const { year } = await db.selectFrom('editions').select('year').where('id', '=', editionId).executeTakeFirstOrThrow();
    const [guest] = await inviteGuests(deps, editionId, 1);
    await acceptInvitation(deps, { token: guest!.token });
    const { person_id } = await db.selectFrom('invitations').select('person_id').where('id', '=', guest!.id).executeTakeFirstOrThrow();
    const t = await db
      .insertInto('topics')
      .values({ edition_id: editionId, number: 1, title: 'XDP offloads', origin: 'proposal', state: 'accepted', proposer_id: person_id })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('topic_presenters').values({ topic_id: t.id, person_id, position: 0 }).execute();
    return { deps, ref: { series: 'invtest', year }, topicId: t.id };
  }

  it('refuses the slot of a topic declined while the slot was being added', async () => {
    const { deps, ref, topicId } = await acceptedTopic();
    let add: Promise<unknown> | undefined;
    // The decision under way, as decideTopic makes it: the topic's row locked, its state changed.
    await db.transaction().execute(async (trx) => {
      await trx.selectFrom('topics').select('id').where('id', '=', topicId).forUpdate().execute();
      await trx.updateTable('topics').set({ state: 'declined', decision_comment: 'Out of scope' }).where('id', '=', topicId).execute();
      add = addSlot(deps, COMMITTEE, ref, { date: '2026-05-12', start: '10:00', end: '10:30', kind: 'talk', topicId }).catch((e: unknown) => e);
      expect(await someoneWaits(db)).toBe(true);
    });
    const err = await add;
    expect(err).toBeInstanceOf(InvalidForm);
    expect((err as InvalidForm).fields).toEqual({ topicId: '“XDP offloads” is declined, not accepted: only accepted topics can be scheduled' });
    expect(await db.selectFrom('slots').select('id').where('topic_id', '=', topicId).execute()).toEqual([]);
  });

  it.each([1, 2, 3])('round %i: a slot added and a decline made at once never leave a declined topic on the schedule', async () => {
    const { deps, ref, topicId } = await acceptedTopic();
    const [added, declined] = await Promise.all([
      addSlot(deps, COMMITTEE, ref, { date: '2026-05-12', start: '10:00', end: '10:30', kind: 'talk', topicId }).then(() => true, () => false),
      decideTopic(deps, COMMITTEE, { topicId, decision: 'decline', comment: 'Out of scope' }).then(() => true, () => false),
    ]);
    // Either may go first, and the other is refused.
    expect([added, declined].filter(Boolean)).toHaveLength(1);
    const { state } = await db.selectFrom('topics').select('state').where('id', '=', topicId).executeTakeFirstOrThrow();
    const slots = await db.selectFrom('slots').select('id').where('topic_id', '=', topicId).execute();
    expect([state, slots.length]).toEqual(added ? ['accepted', 1] : ['declined', 0]);
  });
});

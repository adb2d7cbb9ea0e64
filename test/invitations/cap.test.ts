/**
 * Changing the cap: a raised cap promotes the waiting list at once, in order, mailed and audited
 * as a freed place is; an accept never takes a place someone is waiting for; a cap below the
 * places taken is refused, naming both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { updateEdition } from '../../src/domain/editions/edit-edition.js';
import { InvalidForm } from '../../src/domain/errors.js';
import { overrideState } from '../../src/domain/invitations/committee-actions.js';
import { acceptInvitation, declineInvitation, findByToken } from '../../src/domain/invitations/rsvp.js';
import { testDatabases } from '../support/db.js';
import { COMMITTEE, guestEmail, guestName, inviteGuests, makeDeps, makeEdition, row } from './fixtures.js';

describe.each(testDatabases())('changing the cap on $name', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => handle?.close());

  /** The edition's series and year, as updateEdition names it. */
  async function ref(editionId: number) {
    const e = await handle.db.selectFrom('editions').select('year').where('id', '=', editionId).executeTakeFirstOrThrow();
    return { series: 'invtest', year: e.year };
  }

  const promotions = (editionId: number) =>
    handle.db.selectFrom('outbox').select('to_address').where('kind', '=', 'waitlist-promoted').where('edition_id', '=', editionId).orderBy('id').execute();

  /** Cap 2: two accepted, one waiting, one declined (the tester's Yolanda and Zed). */
  async function fullWithOneWaiting() {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db, { cap: 2 });
    const [a, b, yolanda, zed] = (await inviteGuests(deps, editionId, 4)) as [Sent, Sent, Sent, Sent];
    for (const s of [a, b, yolanda]) await acceptInvitation(deps, { token: s.token });
    await declineInvitation(deps, { token: zed.token });
    expect(await findByToken(deps, yolanda.token)).toMatchObject({ state: 'waitlisted', waitlistRank: 1 });
    return { deps, editionId, yolanda, zed };
  }
  type Sent = Awaited<ReturnType<typeof inviteGuests>>[number];

  it('promotes the first waiting when the cap goes up, so a later accept waits behind nobody', async () => {
    const { deps, editionId, yolanda, zed } = await fullWithOneWaiting();
    const up = await updateEdition(deps, COMMITTEE, { ...(await ref(editionId)), fields: { cap: '3' } });
    expect(up.edition.cap).toBe(3);
    expect(up.promoted).toEqual([{ invitationId: yolanda.id, name: guestName(3), email: guestEmail(3) }]);
    expect(await row(handle.db, yolanda.id)).toMatchObject({ state: 'accepted', waitlist_position: null });
    // The same mail and audit as a place freed by a decline.
    expect(await promotions(editionId)).toEqual([{ to_address: yolanda.email }]);
    const audit = await handle.db.selectFrom('audit_log').selectAll().where('action', '=', 'invitation.promote').where('entity_id', '=', String(yolanda.id)).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'system', before: { state: 'waitlisted', waitlistPosition: 1 }, after: { state: 'accepted', waitlistPosition: null } });
    const attendees = await handle.db.selectFrom('attendances').select('person_id').where('edition_id', '=', editionId).execute();
    expect(attendees).toHaveLength(3);

    // Zed changes his mind: every place is taken, so he waits.
    expect(await acceptInvitation(deps, { token: zed.token })).toMatchObject({ state: 'waitlisted', waitlistRank: 1 });
  });

  it('promotes in order as far as the new cap goes, and leaves the rest free', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db, { cap: 1 });
    const sent = await inviteGuests(deps, editionId, 5, 20);
    for (const s of sent.slice(0, 4)) await acceptInvitation(deps, { token: s.token });
    const up = await updateEdition(deps, COMMITTEE, { ...(await ref(editionId)), fields: { cap: 3 } });
    expect(up.promoted.map((p) => p.invitationId)).toEqual([sent[1]!.id, sent[2]!.id]);
    expect(await findByToken(deps, sent[3]!.token)).toMatchObject({ state: 'waitlisted', waitlistRank: 1 });
    expect((await updateEdition(deps, COMMITTEE, { ...(await ref(editionId)), fields: { cap: 10 } })).promoted.map((p) => p.invitationId)).toEqual([sent[3]!.id]);
    expect(await acceptInvitation(deps, { token: sent[4]!.token })).toMatchObject({ state: 'accepted' });
    expect((await promotions(editionId)).map((m) => m.to_address)).toEqual([sent[1]!.email, sent[2]!.email, sent[3]!.email]);
    // Other fields change without moving anybody.
    expect((await updateEdition(deps, COMMITTEE, { ...(await ref(editionId)), fields: { title: 'Netconf 2026, renamed', cap: 10 } })).promoted).toEqual([]);
  });

  it('gives places found free to those waiting before an accept, which then waits behind them', async () => {
    const { deps, editionId, yolanda, zed } = await fullWithOneWaiting();
    // A cap raised without promotion (as before it came with it): one place free, Yolanda waiting.
    await handle.db.updateTable('editions').set({ cap: 3 }).where('id', '=', editionId).execute();
    expect(await acceptInvitation(deps, { token: zed.token })).toMatchObject({ state: 'waitlisted', waitlistRank: 1 });
    expect(await row(handle.db, yolanda.id)).toMatchObject({ state: 'accepted' });
    expect(await promotions(editionId)).toEqual([{ to_address: yolanda.email }]);
  });

  it('refuses a cap below the places taken, naming both; down to them is allowed', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db, { cap: 5 });
    const sent = await inviteGuests(deps, editionId, 3, 30);
    for (const s of sent) await acceptInvitation(deps, { token: s.token });
    const edition = await ref(editionId);
    const refused = await updateEdition(deps, COMMITTEE, { ...edition, fields: { cap: '1', title: 'Lowered' } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvalidForm);
    expect((refused as InvalidForm).fields).toEqual({ cap: 'cannot be 1: 3 people have accepted already (keep it at 3 or more, or revoke invitations first)' });
    expect(await handle.db.selectFrom('editions').select(['cap', 'title']).where('id', '=', editionId).executeTakeFirstOrThrow()).toEqual({ cap: 5, title: 'Netconf 2026' });
    expect((await updateEdition(deps, COMMITTEE, { ...edition, fields: { cap: 3 } })).edition.cap).toBe(3);

    // Past the cap by the committee's force, the edition still takes edits that leave the cap be.
    const extra = (await inviteGuests(deps, editionId, 1, 40))[0]!;
    await overrideState(deps, COMMITTEE, { id: extra.id, state: 'accepted', reason: 'keynote speaker', force: true });
    expect((await updateEdition(deps, COMMITTEE, { ...edition, fields: { cap: '3', title: 'Netconf 2026, over' } })).edition.title).toBe('Netconf 2026, over');
    const below = await updateEdition(deps, COMMITTEE, { ...edition, fields: { cap: 2 } }).catch((e: unknown) => e);
    expect((below as InvalidForm).fields.cap).toBe('cannot be 2: 4 people have accepted already (keep it at 4 or more, or revoke invitations first)');
  });
});

/**
 * Places at an edition: the cap counts accepted invitations; past it, or while others wait, an
 * accept joins the waiting list at the next position. Every write that may take or free a place,
 * or change the cap (cap.ts), first locks the edition's row (lockEdition), so that concurrent
 * accepts are counted one after the other and never both take the last place. An accepted
 * invitation is also an attendance (source 'invitation'), which is what the public edition page
 * lists.
 */
import { sql } from 'kysely';
import { NotFound } from '../errors.js';
import { invitationNotFound, type Edition, type InvitationRow, type Trx } from './deps.js';

/**
 * Loads the edition and holds its row lock until the transaction ends: the one point where
 * seat-changing writes of an edition queue up. Lock the edition before any invitation row.
 */
export async function lockEdition(trx: Trx, editionId: number): Promise<Edition> {
  const edition = await trx.selectFrom('editions').selectAll().where('id', '=', editionId).forUpdate().executeTakeFirst();
  if (!edition) throw new NotFound(`edition ${editionId} not found`);
  return edition;
}

/** Loads one invitation and locks its row (after its edition's: see lockEdition). */
export async function lockInvitation(trx: Trx, id: number): Promise<InvitationRow> {
  const inv = await trx.selectFrom('invitations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!inv) throw invitationNotFound(id);
  return inv;
}

/** How many places are taken (accepted invitations) at an edition. */
export async function countAccepted(trx: Trx, editionId: number): Promise<number> {
  const r = await trx
    .selectFrom('invitations')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('edition_id', '=', editionId)
    .where('state', '=', 'accepted')
    .executeTakeFirstOrThrow();
  return r.n;
}

/** How many wait for a place (waitlisted invitations) at an edition. */
export async function countWaiting(trx: Trx, editionId: number): Promise<number> {
  const r = await trx
    .selectFrom('invitations')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('edition_id', '=', editionId)
    .where('state', '=', 'waitlisted')
    .executeTakeFirstOrThrow();
  return r.n;
}

/**
 * Whether an accept now would join the waiting list rather than take a place: every place under
 * the cap is taken, or someone waits already (nobody jumps the queue). acceptInvitation decides by
 * it, and a decline's confirmation says what an accept would do.
 */
export async function acceptWouldWait(trx: Trx, edition: Pick<Edition, 'id' | 'cap'>): Promise<boolean> {
  return (await countAccepted(trx, edition.id)) >= edition.cap || (await countWaiting(trx, edition.id)) > 0;
}

/**
 * Where an accept now would put one on the waiting list, as the rank they would have there (1 for
 * the next to move up), or null when it would take a place. Counted as acceptInvitation decides:
 * the free places go first to those waiting (fillOpenSeats), then acceptWouldWait's rule; so one
 * waits exactly when those accepted and those waiting fill the cap.
 */
export async function acceptWaitRank(trx: Trx, edition: Pick<Edition, 'id' | 'cap'>): Promise<number | null> {
  const free = Math.max(0, edition.cap - (await countAccepted(trx, edition.id)));
  const waiting = await countWaiting(trx, edition.id);
  return waiting >= free ? waiting - free + 1 : null;
}

/** The position a newcomer to the waiting list gets: one past the last. */
export async function nextWaitlistPosition(trx: Trx, editionId: number): Promise<number> {
  const r = await trx
    .selectFrom('invitations')
    .select(sql<number>`coalesce(max(waitlist_position), 0)::int`.as('n'))
    .where('edition_id', '=', editionId)
    .executeTakeFirstOrThrow();
  return r.n + 1;
}

/**
 * Where a waiting invitation stands, 1 for the next to be promoted (positions keep gaps when
 * people leave the list; the rank does not). Null when it is not waiting.
 */
export async function waitlistRank(trx: Trx, inv: Pick<InvitationRow, 'edition_id' | 'waitlist_position'>): Promise<number | null> {
  if (inv.waitlist_position === null) return null;
  const r = await trx
    .selectFrom('invitations')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('edition_id', '=', inv.edition_id)
    .where('state', '=', 'waitlisted')
    .where('waitlist_position', '<=', inv.waitlist_position)
    .executeTakeFirstOrThrow();
  return r.n;
}

/**
 * Lists the accepted person as an attendee, after those already listed. A person already
 * listed (e.g. imported from the edition's page) keeps that entry.
 */
export async function addAttendance(trx: Trx, inv: InvitationRow): Promise<void> {
  const person = await trx.selectFrom('people').select('name').where('id', '=', inv.person_id).executeTakeFirstOrThrow();
  const last = await trx
    .selectFrom('attendances')
    .select(sql<number>`coalesce(max(position), -1)::int`.as('n'))
    .where('edition_id', '=', inv.edition_id)
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('attendances')
    .values({ edition_id: inv.edition_id, person_id: inv.person_id, name_as_listed: person.name, source: 'invitation', position: last.n + 1 })
    .onConflict((oc) => oc.columns(['edition_id', 'person_id']).doNothing())
    .execute();
}

/** Takes the person off the attendees again (only the entry their invitation made). */
export async function removeAttendance(trx: Trx, inv: InvitationRow): Promise<void> {
  await trx
    .deleteFrom('attendances')
    .where('edition_id', '=', inv.edition_id)
    .where('person_id', '=', inv.person_id)
    .where('source', '=', 'invitation')
    .execute();
}

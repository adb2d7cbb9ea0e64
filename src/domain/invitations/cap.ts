/**
 * Changing an edition's cap, inside the edition's write (editions/edit-edition.ts) and under
 * the edition's row lock, the one every accept takes first (seats.lockEdition): a cap below the
 * places already taken is refused, and the places a raised cap opens go to the waiting list at
 * once, in order, each promoted person mailed and audited as when a place is freed
 * (promotion.ts). So a later accept cannot take a place someone is waiting for.
 */
import { InvalidForm } from '../errors.js';
import type { Edition, InvitationDeps, Trx } from './deps.js';
import { fillOpenSeats } from './promotion.js';
import { countAccepted } from './seats.js';

/** Someone moved up from the waiting list, as the committee is told. */
export interface Promoted {
  invitationId: number;
  name: string;
  email: string;
}

/**
 * Refuses, as an InvalidForm on `cap`, a new cap below the number of people accepted: they
 * keep their places, so the committee revokes someone (or they withdraw) first. The caller
 * holds the edition's lock.
 */
export async function checkNewCap(trx: Trx, edition: Pick<Edition, 'id'>, cap: number): Promise<void> {
  const taken = await countAccepted(trx, edition.id);
  if (cap < taken) {
    const people = taken === 1 ? '1 person has' : `${taken} people have`;
    throw new InvalidForm({ cap: `cannot be ${cap}: ${people} accepted already (keep it at ${taken} or more, or revoke invitations first)` });
  }
}

/**
 * Gives the places free under the edition's cap, as just written, to the first on the waiting
 * list; returns who moved up, in order. The caller holds the edition's lock and passes the
 * edition as updated.
 */
export async function promoteWaiting(trx: Trx, deps: InvitationDeps, edition: Edition): Promise<Promoted[]> {
  const promoted = await fillOpenSeats(trx, deps, edition);
  if (promoted.length === 0) return [];
  const people = await trx.selectFrom('people').select(['id', 'name']).where('id', 'in', promoted.map((p) => p.person_id)).execute();
  const names = new Map(people.map((p) => [p.id, p.name]));
  return promoted.map((p) => ({ invitationId: p.id, name: names.get(p.person_id) ?? p.email, email: p.email }));
}

/**
 * The sentence that tells the committee who moved up (none when nobody did), for web and CLI;
 * `cause` is what made the room ("The raised cap", "The freed place").
 */
export function promotedSentence(promoted: readonly Promoted[], cause = 'The raised cap'): string[] {
  if (promoted.length === 0) return [];
  const who = promoted.length === 1 ? '1 person' : `${promoted.length} people`;
  return [`${cause} moved ${who} up from the waiting list, each mailed: ${promoted.map((p) => `${p.name} <${p.email}>`).join(', ')}.`];
}

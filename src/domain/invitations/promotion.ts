/**
 * The waiting list moves up: whenever a place is free (someone left the accepted, or the
 * committee raised the cap), the first on the list is accepted and mailed that they are in,
 * with a fresh link to change their mind. Runs in the caller's transaction, edition locked.
 */
import { todayIn } from './dates.js';
import { SYSTEM, type Edition, type InvitationDeps, type InvitationRow, type Trx } from './deps.js';
import { mailInvitee } from './invitee-mail.js';
import { countAccepted } from './seats.js';
import { changeState } from './state-change.js';
import { editionLastDay, issueToken } from './tokens.js';

/**
 * Promotes from the waiting list, in order, until the cap is reached or the list is empty;
 * returns who was promoted. Nothing moves once the edition is over. The caller must hold the
 * edition's lock (seats.lockEdition) and pass the edition as locked.
 */
export async function fillOpenSeats(trx: Trx, deps: InvitationDeps, edition: Edition): Promise<InvitationRow[]> {
  const lastDay = editionLastDay(edition);
  if (lastDay !== null && todayIn(edition.time_zone, deps.clock()) > lastDay) return [];
  const promoted: InvitationRow[] = [];
  let free = edition.cap - (await countAccepted(trx, edition.id));
  while (free > 0) {
    const next = await trx
      .selectFrom('invitations')
      .selectAll()
      .where('edition_id', '=', edition.id)
      .where('state', '=', 'waitlisted')
      .orderBy('waitlist_position')
      .limit(1)
      .forUpdate()
      .executeTakeFirst();
    if (!next) break;
    const inv = await changeState(trx, deps, next, 'accepted', { actor: SYSTEM, action: 'invitation.promote' });
    const token = await issueToken(trx, inv.id, 'promotion', deps.clock());
    await mailInvitee(trx, deps, { invitation: inv, edition, key: 'waitlist-promoted', token, threadUnder: inv.invitation_message_id });
    promoted.push(inv);
    free--;
  }
  return promoted;
}

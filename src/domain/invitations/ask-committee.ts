/**
 * Whom an invitee asks when their page can do nothing more for them: the committee, at the
 * address replies to invitations go to (MAIL_REPLY_TO, else MAIL_FROM) when the site has one.
 * One wording for every page that says it (the invitee's page, topics, materials, a dead link).
 */
import type { InvitationState } from '../../db/schema.js';
import { splitAddress } from '../inbound/reply-address.js';

/** The committee's address, bare (`committee@example.org`), or null when none is configured. */
export function committeeAddress(mail: { replyTo?: string | null }): string | null {
  if (!mail.replyTo) return null;
  const { local, domain } = splitAddress(mail.replyTo);
  return local && domain ? `${local}@${domain}` : null;
}

/** The end of a sentence saying how to reach the committee: "write to the committee at …", else "reply to the invitation mail". */
export function howToAskCommittee(mail: { replyTo?: string | null }): string {
  const address = committeeAddress(mail);
  return address ? `write to the committee at ${address}` : 'reply to the invitation mail';
}

/**
 * What a page of an expired invitation says instead of "once you have accepted": it can no
 * longer be accepted, so `what` cannot be done, and whom to ask. `what` ends the first clause:
 * "you cannot propose topics".
 */
export function expiredInvitationNotice(editionTitle: string, what: string, mail: { replyTo?: string | null }): string {
  return `Your invitation to ${editionTitle} has expired: it can no longer be accepted, so ${what}. To ask whether a place is still free, ${howToAskCommittee(mail)}.`;
}

/**
 * What a page that needs an accepted invitation (topics, materials) says to one whose invitation
 * is not accepted and who cannot simply accept it now, in words that fit where it stands: `what`
 * cannot be done (it ends a clause: "you cannot propose topics"), why, and what is left to do.
 * Null when accepting is what they can do (`canAccept`): the page's own "once you have accepted"
 * fits then.
 */
export function notAcceptedNotice(state: InvitationState, canAccept: boolean, editionTitle: string, what: string, mail: { replyTo?: string | null }): string | null {
  if (canAccept) return null;
  switch (state) {
    case 'expired':
      return expiredInvitationNotice(editionTitle, what, mail);
    case 'invited':
      return `The answer-by date of your invitation to ${editionTitle} has passed: it can no longer be accepted, so ${what}. To ask whether a place is still free, ${howToAskCommittee(mail)}.`;
    case 'declined':
      return `You declined the invitation to ${editionTitle}, and its answer-by date has passed, so ${what}. To come after all, ${howToAskCommittee(mail)}.`;
    case 'withdrawn':
      return `You withdrew from ${editionTitle}, so ${what}. To come after all, ${howToAskCommittee(mail)}.`;
    case 'waitlisted':
      return `You are on the waiting list of ${editionTitle}, so ${what} until a place is yours; we will mail you as soon as it is.`;
    default:
      return null;
  }
}

/**
 * Whom an invitee asks when their page can do nothing more for them: the committee, at the
 * address replies to invitations go to (MAIL_REPLY_TO, else MAIL_FROM) when the site has one.
 * One wording for every page that says it (the invitee's page, topics, materials, a dead link).
 */
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

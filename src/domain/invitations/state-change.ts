/**
 * The one place an invitation's state is written. Checks the transition (unless the committee
 * overrides), keeps what depends on the state in step (waiting-list position, attendance,
 * live links) and records the change in the audit log with before and after.
 */
import type { Updateable } from 'kysely';
import type { InvitationsTable } from '../../db/schema.js';
import type { Actor } from '../audit/record.js';
import { recordAudit } from '../audit/record.js';
import type { InvitationDeps, InvitationRow, Trx } from './deps.js';
import { addAttendance, nextWaitlistPosition, removeAttendance } from './seats.js';
import { assertTransition, type InvitationState } from './states.js';
import { revokeTokens } from './tokens.js';

export interface ChangeOptions {
  actor: Actor;
  /** The audit log's action, e.g. 'invitation.accept'. */
  action: string;
  reason?: string | null;
  /** Skip the transition table (committee override only). */
  override?: boolean;
  /** Why the table refuses, in words for the person, when it does. */
  why?: string;
  /** The invitee answered (sets answered_at). */
  answered?: boolean;
  /** Other columns written with the state (answer_by and invited_at when sending). */
  set?: Pick<Updateable<InvitationsTable>, 'answer_by' | 'invited_at' | 'reminders_sent' | 'last_reminder_at' | 'invitation_message_id'>;
}

/** What the audit log keeps of an invitation, before and after a change. */
export function auditView(inv: InvitationRow): Record<string, unknown> {
  return { state: inv.state, waitlistPosition: inv.waitlist_position, answerBy: inv.answer_by, email: inv.email };
}

/**
 * Moves `inv` to `to` in the caller's transaction and returns the new row. The caller holds the
 * edition's lock when places are involved (seats.ts) and decides accepted versus waitlisted;
 * freed places are filled by the caller too (promotion.ts), after the change.
 */
export async function changeState(trx: Trx, deps: InvitationDeps, inv: InvitationRow, to: InvitationState, opts: ChangeOptions): Promise<InvitationRow> {
  if (!opts.override) {
    // Named, as a command or a form may be about any invitation of the edition.
    const which = `invitation ${inv.id} (${inv.email})`;
    assertTransition(inv.state, to, opts.why ?? (inv.state === to ? `${which} is ${to} already` : `${which} is ${inv.state}: it cannot go to ${to}`));
  }
  const now = deps.clock();
  if (inv.state === 'accepted' && to !== 'accepted') await removeAttendance(trx, inv);
  if (to === 'accepted' && inv.state !== 'accepted') await addAttendance(trx, inv);
  if (to === 'revoked' || to === 'candidate') await revokeTokens(trx, inv.id, now);
  const position = to === 'waitlisted' ? (inv.state === 'waitlisted' ? inv.waitlist_position : await nextWaitlistPosition(trx, inv.edition_id)) : null;
  const after = await trx
    .updateTable('invitations')
    .set({
      state: to,
      state_since: inv.state === to ? inv.state_since : now,
      waitlist_position: position,
      ...(opts.answered ? { answered_at: now } : {}),
      ...opts.set,
    })
    .where('id', '=', inv.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(trx, opts.actor, {
    action: opts.action,
    entity: 'invitation',
    entityId: inv.id,
    editionId: inv.edition_id,
    before: auditView(inv),
    after: auditView(after),
    reason: opts.reason ?? null,
  });
  return after;
}

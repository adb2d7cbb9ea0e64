/**
 * The invitation's states and the transitions between them, as one table. Every write that
 * moves an invitation checks its start state here (the committee's override is the one way
 * around it, with a reason, audited).
 *
 *   candidate → invited (sent) | revoked
 *   invited   → accepted | waitlisted (cap full) | declined | expired | revoked
 *   accepted  → declined (change of mind until answer-by) | withdrawn | revoked
 *   waitlisted→ accepted (promoted) | declined | withdrawn | revoked
 *   declined  → accepted | waitlisted (change of mind until answer-by) | revoked
 *   expired   → invited (the committee re-sends) | revoked
 *   withdrawn, revoked: final
 */
import type { InvitationState } from '../../db/schema.js';
import { InvalidTransition } from '../errors.js';

export type { InvitationState };

/** Every state, in the order the pipeline shows them. */
export const INVITATION_STATES = [
  'candidate',
  'invited',
  'accepted',
  'waitlisted',
  'declined',
  'expired',
  'withdrawn',
  'revoked',
] as const satisfies readonly InvitationState[];

/** Where each state may go. A state missing from a list cannot be reached from it. */
export const TRANSITIONS: Readonly<Record<InvitationState, readonly InvitationState[]>> = {
  candidate: ['invited', 'revoked'],
  invited: ['accepted', 'waitlisted', 'declined', 'expired', 'revoked'],
  accepted: ['declined', 'withdrawn', 'revoked'],
  waitlisted: ['accepted', 'declined', 'withdrawn', 'revoked'],
  declined: ['accepted', 'waitlisted', 'revoked'],
  expired: ['invited', 'revoked'],
  withdrawn: [],
  revoked: [],
};

/** States in which a person holds, or waits for, a place: the ones an invitee can still leave. */
export const SEAT_STATES = ['accepted', 'waitlisted'] as const satisfies readonly InvitationState[];

/**
 * States in which an invitation's links have ended and no mail brings a new one: the committee
 * took it back (revoked) or made it a candidate again. Its mail not sent yet is not to be sent.
 */
export const LINKS_ENDED_STATES = ['candidate', 'revoked'] as const satisfies readonly InvitationState[];

/** Whether an invitation in `state` has its links ended (LINKS_ENDED_STATES). */
export function linksEnded(state: InvitationState): boolean {
  return (LINKS_ENDED_STATES as readonly InvitationState[]).includes(state);
}

/**
 * Why such an invitation's mail not sent yet is not sent (or an expired one's, by the outbox
 * worker): the reason its discard is audited with.
 */
export function unsentMailReason(inv: { id: number; state: InvitationState }): string {
  const what = inv.state === 'revoked' ? 'was revoked' : inv.state === 'expired' ? 'expired' : 'is a candidate again';
  return `invitation ${inv.id} ${what}: its unsent mail is not to be sent`;
}

/** Why an invitation's earlier mail is not sent, or is superseded: a re-send replaced it. */
export function resentMailReason(invitationId: number): string {
  return `replaced by a re-send of invitation ${invitationId}`;
}

/** Tells whether the table allows going from `from` to `to`. */
export function canTransition(from: InvitationState, to: InvitationState): boolean {
  return TRANSITIONS[from].includes(to);
}

/**
 * Throws InvalidTransition unless the table allows `from` → `to`. `why`, when given, is the
 * message shown instead of the generic one (e.g. "the answer-by date has passed").
 */
export function assertTransition(from: InvitationState, to: InvitationState, why?: string): void {
  if (!canTransition(from, to)) throw new InvalidTransition(from, to, why);
}

/** Narrows a string to a state (for CLI and form input). */
export function isInvitationState(s: string): s is InvitationState {
  return (INVITATION_STATES as readonly string[]).includes(s);
}

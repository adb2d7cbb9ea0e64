/**
 * Every transition of the state machine done by the domain function that does it, and every
 * other one refused by that same function, on a real database. For each pair (from, to) an
 * invitation is brought into `from` the way it happens in life, then the action that leads to
 * `to` is tried: it lands in `to` exactly when the table allows it, and otherwise leaves the
 * invitation where it was (refused with InvalidTransition, LinkInvalid when there is no live
 * link to act through, or untouched by a job that does not apply to it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { InvalidTransition, LinkInvalid } from '../../src/domain/errors.js';
import { addCandidate } from '../../src/domain/invitations/candidates.js';
import { revokeInvitation } from '../../src/domain/invitations/committee-actions.js';
import { expireOverdue } from '../../src/domain/invitations/reminders.js';
import { acceptInvitation, declineInvitation, withdrawInvitation } from '../../src/domain/invitations/rsvp.js';
import { resendInvitation, sendInvitations } from '../../src/domain/invitations/send.js';
import { canTransition, INVITATION_STATES, type InvitationState } from '../../src/domain/invitations/states.js';
import { newToken } from '../../src/domain/invitations/tokens.js';
import { testDatabases } from '../support/db.js';
import { COMMITTEE, guestEmail, guestName, makeDeps, makeEdition, row, tokenOf } from './fixtures.js';

type Pair = [InvitationState, InvitationState];
const pairs: Pair[] = INVITATION_STATES.flatMap((from) =>
  INVITATION_STATES.filter((to) => to !== from && to !== 'candidate').map((to): Pair => [from, to]),
);
const INVITEE_TARGETS: InvitationState[] = ['accepted', 'waitlisted', 'declined', 'withdrawn'];

/** How a refused pair is refused. */
function refusal(from: InvitationState, to: InvitationState): 'InvalidTransition' | 'LinkInvalid' | 'untouched' {
  if (to === 'expired') return 'untouched'; // expiry looks at invited invitations only
  if (from === 'accepted' && to === 'waitlisted') return 'untouched'; // accepting again keeps the place
  if ((from === 'candidate' || from === 'revoked') && INVITEE_TARGETS.includes(to)) return 'LinkInvalid';
  return 'InvalidTransition';
}

describe.each(testDatabases())('invitation transitions on $name', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => handle?.close());

  /**
   * An edition with one place; F (a filler) and S (the subject) invited. F takes the place first
   * when S must find it taken. S is then brought into `from`.
   */
  async function subjectIn(from: InvitationState, to: InvitationState) {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db, { cap: 1 });
    const f = await addCandidate(deps, COMMITTEE, { editionId, name: guestName(1), email: guestEmail(1) });
    const s = await addCandidate(deps, COMMITTEE, { editionId, name: guestName(2), email: guestEmail(2) });
    const sent = await sendInvitations(deps, COMMITTEE, { editionId, ids: from === 'candidate' ? [f.id] : [f.id, s.id] });
    const fToken = tokenOf(sent.invitations[0]!.link);
    const sToken = sent.invitations[1] ? tokenOf(sent.invitations[1].link) : newToken();
    if ((from === 'waitlisted' || to === 'waitlisted') && from !== 'accepted') await acceptInvitation(deps, { token: fToken });
    switch (from) {
      case 'accepted':
        await acceptInvitation(deps, { token: sToken });
        break;
      case 'waitlisted':
        await acceptInvitation(deps, { token: sToken });
        break;
      case 'declined':
        await declineInvitation(deps, { token: sToken });
        break;
      case 'expired':
        deps.set('2026-04-11T12:00:00Z');
        await expireOverdue(deps, { editionId });
        break;
      case 'withdrawn':
        await acceptInvitation(deps, { token: sToken });
        await withdrawInvitation(deps, { token: sToken });
        break;
      case 'revoked':
        await revokeInvitation(deps, COMMITTEE, { id: s.id, reason: 'test' });
        break;
      default:
        break;
    }
    expect((await row(handle.db, s.id)).state).toBe(from);
    return { deps, editionId, id: s.id, sToken, fToken };
  }

  /** The action that leads to `to`. */
  async function act(to: InvitationState, from: InvitationState, c: Awaited<ReturnType<typeof subjectIn>>): Promise<unknown> {
    const { deps } = c;
    switch (to) {
      case 'invited':
        return from === 'expired'
          ? resendInvitation(deps, COMMITTEE, { id: c.id, answerBy: '2026-04-20' })
          : sendInvitations(deps, COMMITTEE, { editionId: c.editionId, ids: [c.id] });
      case 'accepted':
        // From the waiting list one is accepted when the place frees up: F declines.
        return from === 'waitlisted' ? declineInvitation(deps, { token: c.fToken }) : acceptInvitation(deps, { token: c.sToken });
      case 'waitlisted':
        return acceptInvitation(deps, { token: c.sToken });
      case 'declined':
        return declineInvitation(deps, { token: c.sToken });
      case 'expired':
        deps.set('2026-04-11T12:00:00Z');
        return expireOverdue(deps, { editionId: c.editionId });
      case 'withdrawn':
        return withdrawInvitation(deps, { token: c.sToken });
      case 'revoked':
        return revokeInvitation(deps, COMMITTEE, { id: c.id, reason: 'test' });
      default:
        throw new Error(`no action leads to ${to}`);
    }
  }

  it.each(pairs.filter(([a, b]) => canTransition(a, b)))('does %s → %s', async (from, to) => {
    const c = await subjectIn(from, to);
    await act(to, from, c);
    expect((await row(handle.db, c.id)).state).toBe(to);
  });

  it.each(pairs.filter(([a, b]) => !canTransition(a, b)))('refuses %s → %s', async (from, to) => {
    const c = await subjectIn(from, to);
    const outcome = await act(to, from, c).then(
      () => 'untouched',
      (e: unknown) => (e instanceof InvalidTransition ? 'InvalidTransition' : e instanceof LinkInvalid ? 'LinkInvalid' : String(e)),
    );
    expect(outcome).toBe(refusal(from, to));
    expect((await row(handle.db, c.id)).state).toBe(from);
  });

  it('has no way back to candidate but the committee override', () => {
    expect(INVITATION_STATES.filter((s) => canTransition(s, 'candidate'))).toEqual([]);
  });
});

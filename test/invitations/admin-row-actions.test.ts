/**
 * The invitations page offers on each row only the actions the rules allow: no Re-send or Revoke
 * on a final invitation (withdrawn, revoked), where either is always refused; the override
 * remains the way back.
 */
import { describe, expect, it } from 'vitest';
import type { Pipeline, PipelineRow } from '../../src/domain/invitations/pipeline.js';
import { INVITATION_STATES, type InvitationState } from '../../src/domain/invitations/states.js';
import { InvitationsPage } from '../../src/web/views/admin/invitations.js';

function rowOf(id: number, state: InvitationState): PipelineRow {
  return {
    id,
    personSlug: `p-${id}`,
    hasPage: id % 2 === 0,
    name: `Person ${id}`,
    email: `p${id}@example.org`,
    state,
    since: new Date('2100-01-02T03:04:00Z'),
    answerBy: state === 'candidate' ? null : '2100-03-01',
    waitlistRank: state === 'waitlisted' ? 1 : null,
    remindersSent: 0,
    promoted: false,
    heldIn: null,
    source: 'manual',
    evidence: null,
    note: null,
  };
}

/** The buttons of a row's action form, by their value. */
function buttonsOf(html: string, id: number): string[] {
  const row = new RegExp(`<tr id="invitation-${id}"[^>]*>([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? '';
  return [...row.matchAll(/<button type="submit" name="act" value="([a-z]+)"/g)].map((m) => m[1]!);
}

describe('the invitations page', () => {
  it('offers re-send and revoke only where the rules allow them', async () => {
    const rows = INVITATION_STATES.map((s, i) => rowOf(i + 1, s));
    const counts = Object.fromEntries(INVITATION_STATES.map((s) => [s, 1])) as Record<InvitationState, number>;
    const pipeline: Pipeline = { editionId: 1, title: 'Netconf 2100', counts, cap: 15, accepted: 1, rows };
    const html = String(
      await InvitationsPage({ account: { accountId: 1, email: 'c@example.org', name: 'C' }, csrf: 'x', pipeline, base: '/admin/editions/netconf/2100/invitations', errors: {}, values: {} }),
    );
    // Re-sent with the field empty, an invitation keeps its own date (send.ts resendInvitation).
    expect(html).toContain(`title="For a re-send; empty: the invitation's own date, or the edition's once that has passed (YYYY-MM-DD)"`);
    const offered = Object.fromEntries(rows.map((r) => [r.state, buttonsOf(html, r.id)]));
    expect(offered).toEqual({
      candidate: ['revoke', 'override'],
      invited: ['resend', 'revoke', 'override'],
      accepted: ['resend', 'revoke', 'override'],
      waitlisted: ['resend', 'revoke', 'override'],
      declined: ['resend', 'revoke', 'override'],
      expired: ['resend', 'revoke', 'override'],
      withdrawn: ['override'],
      revoked: ['override'],
    });
  });

  it('links a name to its public page only where there is one', async () => {
    const rows = [rowOf(1, 'candidate'), rowOf(2, 'accepted')];
    const counts = Object.fromEntries(INVITATION_STATES.map((s) => [s, 0])) as Record<InvitationState, number>;
    const pipeline: Pipeline = { editionId: 1, title: 'Netconf 2100', counts, cap: 15, accepted: 1, rows };
    const html = String(
      await InvitationsPage({ account: { accountId: 1, email: 'c@example.org', name: 'C' }, csrf: 'x', pipeline, base: '/admin/editions/netconf/2100/invitations', errors: {}, values: {} }),
    );
    // rowOf: an even id has a page. The name cell still names the row's buttons (aria-labelledby).
    expect(html).toContain('<a href="/people/p-2/" id="invitation-2-name">Person 2</a>');
    expect(html).not.toContain('/people/p-1/');
    expect(html).toContain('<span id="invitation-1-name">Person 1</span>');
  });
});

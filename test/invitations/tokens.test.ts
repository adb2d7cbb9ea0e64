/**
 * Personal links: 256 random bits, only their hash in the database; refused with a sentence for
 * the person when wrong, of a revoked invitation, after the edition ended, or replaced by a
 * re-send. An expired invitation's link still opens its page, without buttons.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { LinkInvalid } from '../../src/domain/errors.js';
import { revokeInvitation } from '../../src/domain/invitations/committee-actions.js';
import { expireOverdue } from '../../src/domain/invitations/reminders.js';
import { acceptInvitation, declineInvitation, findByToken, updateInviteeDetails, withdrawInvitation } from '../../src/domain/invitations/rsvp.js';
import { resendInvitation } from '../../src/domain/invitations/send.js';
import { LINK_MESSAGES, newToken } from '../../src/domain/invitations/tokens.js';
import { testDatabases } from '../support/db.js';
import { COMMITTEE, inviteGuests, makeDeps, makeEdition, tokenOf } from './fixtures.js';

const UNKNOWN = 'This link is not valid. Check that you copied all of it, or ask the committee for a new one.';

async function linkError(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'no error',
    (e: unknown) => (e instanceof LinkInvalid ? e.message : `not LinkInvalid: ${String(e)}`),
  );
}

describe('newToken', () => {
  it('is 256 random bits, URL-safe', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const t = newToken();
      expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(t, 'base64url')).toHaveLength(32);
      seen.add(t);
    }
    expect(seen.size).toBe(1000);
  });
});

describe.each(testDatabases())('invitation links on $name', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => handle?.close());

  it('keeps only the hash of a token, nowhere its clear value', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    const sent = await inviteGuests(deps, editionId, 3);
    for (const s of sent) {
      expect(s.link).toBe(`https://netconf.example.org/invitation/${s.token}`);
      expect(Buffer.from(s.token, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    }
    const invitations = JSON.stringify(await handle.db.selectFrom('invitations').selectAll().execute());
    const tokens = await handle.db.selectFrom('invitation_tokens').selectAll().execute();
    const audit = JSON.stringify(await handle.db.selectFrom('audit_log').selectAll().execute());
    for (const s of sent) {
      expect(invitations).not.toContain(s.token);
      expect(JSON.stringify(tokens)).not.toContain(s.token);
      expect(audit).not.toContain(s.token);
      const hash = createHash('sha256').update(s.token).digest('hex');
      expect(tokens.filter((t) => t.invitation_id === s.id).map((t) => [t.token_hash, t.purpose, t.revoked_at])).toEqual([[hash, 'invitation', null]]);
    }
    // The mail carries the link: that is what it is for.
    const body = (await handle.db.selectFrom('outbox').select('body').where('id', '=', sent[0]!.outboxId).executeTakeFirstOrThrow()).body;
    expect(body).toContain(sent[0]!.link);
  });

  it('refuses a wrong token, whatever its shape, on every action', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    const [s] = await inviteGuests(deps, editionId, 1, 10);
    const flipped = s!.token.slice(0, -1) + (s!.token.endsWith('A') ? 'B' : 'A');
    for (const bad of [newToken(), flipped, s!.token.slice(0, 20), '', 'x'.repeat(5000), `${s!.token}=`, '../../etc/passwd']) {
      expect(await linkError(findByToken(deps, bad))).toBe(UNKNOWN);
    }
    expect(await linkError(acceptInvitation(deps, { token: flipped }))).toBe(UNKNOWN);
    expect(await linkError(declineInvitation(deps, { token: flipped }))).toBe(UNKNOWN);
    expect(await linkError(withdrawInvitation(deps, { token: flipped }))).toBe(UNKNOWN);
    expect(await linkError(updateInviteeDetails(deps, { token: flipped, affiliation: 'x', showEmail: true }))).toBe(UNKNOWN);
    expect((await findByToken(deps, s!.token)).state).toBe('invited');
  });

  it('refuses the link of a revoked invitation, saying so', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    const [s] = await inviteGuests(deps, editionId, 1, 20);
    await acceptInvitation(deps, { token: s!.token });
    await revokeInvitation(deps, COMMITTEE, { id: s!.id, reason: 'sent to the wrong address' });
    expect(await linkError(findByToken(deps, s!.token))).toBe(LINK_MESSAGES.revoked);
    expect(await linkError(acceptInvitation(deps, { token: s!.token }))).toBe(LINK_MESSAGES.revoked);
    expect(await handle.db.selectFrom('attendances').select('id').where('edition_id', '=', editionId).execute()).toEqual([]);
  });

  it('works until the edition’s last day ends, where it takes place', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db, { time_zone: 'Asia/Tokyo' });
    const [s] = await inviteGuests(deps, editionId, 1, 30);
    await acceptInvitation(deps, { token: s!.token });
    deps.set('2026-05-13T14:59:00Z'); // 23:59 in Tokyo on May 13, the last day
    expect((await findByToken(deps, s!.token)).state).toBe('accepted');
    deps.set('2026-05-13T15:00:00Z');
    const ended = 'This link has expired: Netconf 2026 ended on May 13, 2026.';
    expect(await linkError(findByToken(deps, s!.token))).toBe(ended);
    expect(await linkError(withdrawInvitation(deps, { token: s!.token }))).toBe(ended);
  });

  it('stops the old link when the invitation is sent again; the new one works', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    const [s] = await inviteGuests(deps, editionId, 1, 40);
    const again = await resendInvitation(deps, COMMITTEE, { id: s!.id });
    const fresh = tokenOf(again.invitations[0]!.link);
    expect(fresh).not.toBe(s!.token);
    expect(await linkError(findByToken(deps, s!.token))).toBe(LINK_MESSAGES.replaced);
    expect(await linkError(acceptInvitation(deps, { token: s!.token }))).toBe(LINK_MESSAGES.replaced);
    expect((await acceptInvitation(deps, { token: fresh })).state).toBe('accepted');
    // A re-sent accepted invitation keeps its state and answer-by date.
    const third = await resendInvitation(deps, COMMITTEE, { id: s!.id });
    expect(third.invitations[0]!.answerBy).toBe('2026-04-10');
    expect((await findByToken(deps, tokenOf(third.invitations[0]!.link))).state).toBe('accepted');
    expect(await linkError(findByToken(deps, fresh))).toBe(LINK_MESSAGES.replaced);
  });

  it('opens the page of an expired invitation, without buttons, saying why', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    const [s] = await inviteGuests(deps, editionId, 1, 50);
    deps.set('2026-04-12T10:00:00Z');
    await expireOverdue(deps, { editionId });
    const view = await findByToken(deps, s!.token);
    expect(view).toMatchObject({ state: 'expired', actions: [], canChange: false, canEditDetails: false });
    expect(view.notice).toBe(
      'The answer-by date, April 10, 2026, has passed: this invitation can no longer be answered. To ask whether a place is still free, reply to the invitation mail.',
    );
  });
});

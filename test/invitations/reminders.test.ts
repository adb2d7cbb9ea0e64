/**
 * The clock's jobs: one reminder to those who have not answered, `reminder_days` before the
 * answer-by date, threaded under the invitation and carrying a working link; and expiry of what
 * is still open after the answer-by date. Both run again without doing anything twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { addCandidate } from '../../src/domain/invitations/candidates.js';
import { expireOverdue, sendReminders } from '../../src/domain/invitations/reminders.js';
import { timeLeft } from '../../src/domain/invitations/dates.js';
import { acceptInvitation, declineInvitation, findByToken } from '../../src/domain/invitations/rsvp.js';
import { releaseHeldBatch, sendInvitations } from '../../src/domain/invitations/send.js';
import { testDatabases } from '../support/db.js';
import { COMMITTEE, guestEmail, guestName, inviteGuests, makeDeps, makeEdition, row, tokenOf } from './fixtures.js';

describe.each(testDatabases())('reminders and expiry on $name', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => handle?.close());

  it('reminds those who have not answered, once, in the invitation’s thread', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db, { reminder_days: 7 });
    const other = await makeEdition(handle.db, { reminder_days: 7 });
    const [quiet, yes, no] = await inviteGuests(deps, editionId, 3);
    await inviteGuests(deps, other, 1, 100);
    await acceptInvitation(deps, { token: yes!.token });
    await declineInvitation(deps, { token: no!.token });

    deps.set('2026-04-02T23:59:00Z');
    expect(await sendReminders(deps, { editionId })).toEqual({ reminded: [] });

    deps.set('2026-04-03T08:00:00Z');
    const { reminded } = await sendReminders(deps, { editionId });
    expect(reminded.map((r) => r.id)).toEqual([quiet!.id]);
    const mail = await handle.db.selectFrom('outbox').selectAll().where('id', '=', reminded[0]!.outboxId).executeTakeFirstOrThrow();
    expect(mail).toMatchObject({
      kind: 'reminder',
      edition_id: editionId,
      to_address: quiet!.email,
      to_name: 'Guest 1',
      subject: 'Re: Invitation to Netconf 2026',
      in_reply_to: quiet!.messageId,
      references_ids: quiet!.messageId,
      state: 'queued',
    });
    expect(mail.body).toContain('Please answer by April 10, 2026, in 7 days:');
    const link = /https:\/\/netconf\.example\.org\/invitation\/([A-Za-z0-9_-]{43})/.exec(mail.body)!;
    expect(link[1]).not.toBe(quiet!.token);
    expect((await findByToken(deps, link[1]!)).state).toBe('invited');
    expect((await findByToken(deps, quiet!.token)).state).toBe('invited');
    expect(await row(handle.db, quiet!.id)).toMatchObject({ reminders_sent: 1, last_reminder_at: new Date('2026-04-03T08:00:00Z') });

    deps.set('2026-04-08T08:00:00Z');
    expect(await sendReminders(deps, { editionId })).toEqual({ reminded: [] });
    expect(await handle.db.selectFrom('outbox').select('id').where('kind', '=', 'reminder').where('edition_id', '=', editionId).execute()).toHaveLength(1);
    // Without an edition, every edition's due reminders go: here the other one's.
    expect((await sendReminders(deps)).reminded.map((r) => r.email)).toEqual([guestEmail(100)]);
  });

  it('says when the answer date is in words, for one day and for none', () => {
    expect([7, 2, 1, 0].map(timeLeft)).toEqual(['in 7 days', 'in 2 days', 'tomorrow', 'today']);
  });

  it('does not remind someone invited after the reminder was due, nor when reminders are off', async () => {
    const deps = makeDeps(handle.db);
    const late = await makeEdition(handle.db, { reminder_days: 7 });
    const off = await makeEdition(handle.db, { reminder_days: 0 });
    deps.set('2026-04-05T09:00:00Z');
    const c = await addCandidate(deps, COMMITTEE, { editionId: late, name: guestName(200), email: guestEmail(200) });
    await sendInvitations(deps, COMMITTEE, { editionId: late, ids: [c.id] });
    deps.set('2026-03-01T09:00:00Z');
    await inviteGuests(deps, off, 1, 201);
    for (const day of ['2026-04-06', '2026-04-09', '2026-04-10']) {
      deps.set(`${day}T09:00:00Z`);
      expect(await sendReminders(deps)).toEqual({ reminded: [] });
    }
  });

  it('does not remind someone whose invitation is still held as a draft', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db, { reminder_days: 7 });
    const c = await addCandidate(deps, COMMITTEE, { editionId, name: guestName(300), email: guestEmail(300) });
    const held = await sendInvitations(deps, COMMITTEE, { editionId, ids: [c.id], hold: true });
    deps.set('2026-04-05T09:00:00Z');
    // Nobody has read the invitation yet: "we have not heard from you" would come first.
    expect(await sendReminders(deps, { editionId })).toEqual({ reminded: [] });
    expect(await row(handle.db, c.id)).toMatchObject({ reminders_sent: 0 });
    // Released in the last week, it is as late an invitation as one sent then: no reminder.
    await releaseHeldBatch(deps, COMMITTEE, held.batch!);
    expect(await row(handle.db, c.id)).toMatchObject({ invited_at: new Date('2026-04-05T09:00:00Z') });
    deps.set('2026-04-08T09:00:00Z');
    expect(await sendReminders(deps, { editionId })).toEqual({ reminded: [] });
  });

  it('reminds someone whose held invitation was released before the last week', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db, { reminder_days: 7 });
    const c = await addCandidate(deps, COMMITTEE, { editionId, name: guestName(310), email: guestEmail(310) });
    const held = await sendInvitations(deps, COMMITTEE, { editionId, ids: [c.id], hold: true });
    deps.set('2026-03-20T09:00:00Z');
    await releaseHeldBatch(deps, COMMITTEE, held.batch!);
    deps.set('2026-04-05T09:00:00Z');
    expect((await sendReminders(deps, { editionId })).reminded.map((r) => r.id)).toEqual([c.id]);
  });

  it('expires open invitations after the answer-by date, not on it, once', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    const [open1, yes, open2] = await inviteGuests(deps, editionId, 3, 300);
    await acceptInvitation(deps, { token: yes!.token });

    deps.set('2026-04-10T23:59:59Z');
    expect(await expireOverdue(deps, { editionId })).toEqual({ expired: [] });
    deps.set('2026-04-11T00:00:00Z');
    expect(await expireOverdue(deps, { editionId })).toEqual({
      expired: [
        { id: open1!.id, email: open1!.email },
        { id: open2!.id, email: open2!.email },
      ],
    });
    expect(await expireOverdue(deps, { editionId })).toEqual({ expired: [] });
    expect((await row(handle.db, open1!.id)).state).toBe('expired');
    expect((await row(handle.db, yes!.id)).state).toBe('accepted');
    expect(await row(handle.db, open2!.id)).toMatchObject({ state: 'expired', state_since: new Date('2026-04-11T00:00:00Z') });

    const audit = await handle.db.selectFrom('audit_log').selectAll().where('action', '=', 'invitation.expire').where('edition_id', '=', editionId).orderBy('id').execute();
    expect(audit.map((a) => [a.actor, a.entity_id, a.before, a.after])).toEqual([
      ['system', String(open1!.id), expect.objectContaining({ state: 'invited' }), expect.objectContaining({ state: 'expired' })],
      ['system', String(open2!.id), expect.objectContaining({ state: 'invited' }), expect.objectContaining({ state: 'expired' })],
    ]);
    // Nobody expired is reminded.
    expect(await sendReminders(deps, { editionId })).toEqual({ reminded: [] });
  });

  it('counts the answer-by date in the edition’s time zone', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db, { time_zone: 'Pacific/Auckland' });
    const [s] = await inviteGuests(deps, editionId, 1, 400);
    deps.set('2026-04-10T11:59:00Z'); // 23:59 on April 10 in Auckland
    expect((await expireOverdue(deps, { editionId })).expired).toEqual([]);
    deps.set('2026-04-10T12:00:00Z'); // midnight: April 11 there
    expect((await expireOverdue(deps, { editionId })).expired.map((e) => e.id)).toEqual([s!.id]);
    expect(tokenOf(s!.link)).toBe(s!.token);
  });
});

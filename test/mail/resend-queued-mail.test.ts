/**
 * A re-send ends an invitation's links. Its reminder and its "you are in" mail, queued while the
 * SMTP server refused them, carry such a link: once the server is back, the invitee must not
 * receive them with a dead link. They are superseded by the re-sent invitation, which says what
 * the "you are in" mail said, and the outbox says so rather than "failed". So is the confirmation
 * of an answer on the page, which points to that link and replies to its token. Its invitation mail
 * that no worker has tried yet is taken back: the invitee gets the re-sent one alone, as the
 * first invitation it is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { listAudit } from '../../src/domain/audit/record.js';
import { addCandidate } from '../../src/domain/invitations/candidates.js';
import { sendReminders } from '../../src/domain/invitations/reminders.js';
import { overrideState } from '../../src/domain/invitations/committee-actions.js';
import { acceptInvitation, declineInvitation, findByToken } from '../../src/domain/invitations/rsvp.js';
import { resendInvitation, sendInvitations, type SentInvitation } from '../../src/domain/invitations/send.js';
import { getMessage, messageForCommittee, retryFailed } from '../../src/domain/mail/outbox.js';
import { createTransport, type MailTransport } from '../../src/domain/mail/transport.js';
import { sendDueMail } from '../../src/domain/mail/worker.js';
import { testDatabases } from '../support/db.js';
import { COMMITTEE, guestEmail, guestName, makeDeps, makeEdition, tokenOf } from '../invitations/fixtures.js';
import { freePort, startSink, type Sink } from './smtp-sink.js';

const LINK = /https:\/\/netconf\.example\.org\/invitation\/([A-Za-z0-9_-]{43})/g;

describe.each(testDatabases())('re-send while invitee mail waits for the SMTP server, on $name', ({ open }) => {
  let handle: Db;
  let transport: MailTransport;
  let sink: Sink | undefined;
  let port: number;
  beforeAll(async () => {
    handle = await open();
    port = await freePort();
    transport = createTransport({ smtpUrl: `smtp://127.0.0.1:${port}` });
  });
  afterAll(async () => {
    transport?.close();
    await sink?.close();
    await handle?.close();
  });

  it('supersedes the queued reminder and "you are in" mail: no dead link arrives', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db, { reminder_days: 7, cap: 1 });
    for (const k of [1, 2, 3]) await addCandidate(deps, COMMITTEE, { editionId, name: guestName(k), email: guestEmail(k) });
    const sent = (await sendInvitations(deps, COMMITTEE, { editionId, ids: 'all-candidates' })).invitations;
    const [quiet, waiting, leaving] = sent.map((s) => ({ ...s, token: tokenOf(s.link) }));
    // Guest 3 takes the one place, guest 2 waits for it.
    await acceptInvitation(deps, { token: leaving!.token });
    await acceptInvitation(deps, { token: waiting!.token });
    expect((await findByToken(deps, waiting!.token)).state).toBe('waitlisted');
    // The outbox's times are the machine's (enqueueMail), not the invitations' clock.
    const send = (laterMs: number) => sendDueMail({ db: handle.db, transport, clock: () => new Date(Date.now() + laterMs), workerId: 'w' });

    // The invitations go out while the server is up.
    sink = await startSink({ port });
    expect(await send(0)).toMatchObject({ sent: 3 });
    await sink.close();
    sink = undefined;

    // Server down: the reminder to guest 1 and the "you are in" to guest 2 (guest 3 leaves) wait.
    deps.set('2026-04-03T08:00:00Z');
    const { reminded } = await sendReminders(deps, { editionId });
    expect(reminded.map((r) => r.id)).toEqual([quiet!.id]);
    await declineInvitation(deps, { token: leaving!.token });
    const promoted = await handle.db.selectFrom('outbox').selectAll().where('kind', '=', 'waitlist-promoted').where('edition_id', '=', editionId).executeTakeFirstOrThrow();
    expect(promoted.invitation_id).toBe(waiting!.id);
    expect(await send(0)).toMatchObject({ sent: 0, deferred: 2 });
    // One of them fails for good (a committee member may retry it): it is superseded all the same.
    await handle.db.updateTable('outbox').set({ state: 'failed' }).where('id', '=', promoted.id).execute();

    // The committee re-sends both invitations: new links, the old ones end.
    deps.set('2026-04-03T09:00:00Z');
    const again: SentInvitation[] = [];
    for (const inv of [quiet!, waiting!]) again.push((await resendInvitation(deps, COMMITTEE, { id: inv.id })).invitations[0]!);
    const reminder = await getMessage(handle, reminded[0]!.outboxId);
    expect(reminder).toMatchObject({ state: 'superseded', superseded_by: again[0]!.outboxId, invitation_id: quiet!.id });
    expect(messageForCommittee(reminder).headers).toContainEqual(['State', `superseded, not sent: message ${again[0]!.outboxId} went in its place`]);
    expect(reminder.body).not.toMatch(LINK);
    expect(await getMessage(handle, promoted.id)).toMatchObject({ state: 'superseded', superseded_by: again[1]!.outboxId });
    // Not failed, so not retried.
    expect((await retryFailed(handle, 'all')).retried).toBe(0);
    const audit = await listAudit(handle, { action: 'mail.supersede' });
    expect(audit.map((a) => Number(a.entity_id)).sort()).toEqual([reminder.id, promoted.id].sort());
    expect(audit.every((a) => a.edition_id === editionId && a.actor === COMMITTEE.label)).toBe(true);

    // The server is back; every retry is due.
    sink = await startSink({ port });
    expect(await send(4 * 3600_000)).toMatchObject({ sent: 2, failed: 0 });
    const arrived = sink.accepted.map((a) => a.mail);
    expect(arrived.map((m) => m.messageId).sort()).toEqual(again.map((a) => a.messageId).sort());
    // Every link that arrived works.
    const links = arrived.flatMap((m) => [...(m.text ?? '').matchAll(LINK)].map((l) => l[1]!));
    expect(links).toHaveLength(2);
    for (const token of links) await expect(findByToken(deps, token)).resolves.toMatchObject({ state: expect.stringMatching(/invited|accepted/) });
    // Guest 2 hears that they are in, in the invitation's thread.
    const toWaiting = arrived.find((m) => m.messageId === again[1]!.messageId)!;
    expect(toWaiting.text!.replace(/\s+/g, ' ')).toMatch(/the first on the waiting list, you are in/);
    expect(toWaiting.inReplyTo).toBe(waiting!.messageId);
  });

  it('takes back the invitation mail a re-send replaced before the worker came round: one first invitation arrives', async () => {
    const deps = makeDeps(handle.db, '2100-03-01T12:00:00Z');
    const editionId = await makeEdition(handle.db, { start_date: '2100-05-11', end_date: '2100-05-13', answer_by: '2100-04-10' });
    await addCandidate(deps, COMMITTEE, { editionId, name: guestName(5), email: guestEmail(5) });
    const [first] = (await sendInvitations(deps, COMMITTEE, { editionId, ids: 'all-candidates' })).invitations;
    expect(await getMessage(handle, first!.outboxId)).toMatchObject({ state: 'queued', attempts: 0 });
    // Before the worker comes round (no server running, say), the committee re-sends it: the
    // first mail never went, so it goes now, audited, and the re-send is the invitation.
    const again = (await resendInvitation(deps, COMMITTEE, { id: first!.id })).invitations[0]!;
    await expect(getMessage(handle, first!.outboxId)).rejects.toThrow(`outbox message ${first!.outboxId} not found`);
    const why = `replaced by a re-send of invitation ${first!.id}`;
    const audit = await listAudit(handle, { action: 'mail.discard', editionId });
    expect(audit.map((a) => [a.actor, Number(a.entity_id), a.reason])).toEqual([[COMMITTEE.label, first!.outboxId, why]]);
    expect(audit[0]).toMatchObject({ before: { state: 'queued', kind: 'invitation', attempts: 0, to_address: guestEmail(5) } });

    await sink?.close();
    sink = await startSink({ port });
    const log: string[] = [];
    expect(await sendDueMail({ db: handle.db, transport, clock: () => new Date(), workerId: 'w', log: (l) => log.push(l) })).toMatchObject({ sent: 1, discarded: 0, failed: 0 });
    expect(log).toEqual([]);
    // The invitee receives one mail: a first invitation, which replaces and answers no mail of ours.
    const arrived = sink.accepted.filter((a) => a.rcptTo.includes(guestEmail(5))).map((a) => a.mail);
    expect(arrived.map((m) => m.messageId)).toEqual([again.messageId]);
    expect(arrived[0]!.inReplyTo).toBeUndefined();
    expect(arrived[0]!.references).toBeUndefined();
    expect(arrived[0]!.text).not.toMatch(/replaces/);
    expect(arrived[0]!.text).toMatch(/^Hello Guest 5,\n/);
    const links = [...(arrived[0]!.text ?? '').matchAll(LINK)].map((l) => l[1]!);
    expect(links).toHaveLength(1);
    await expect(findByToken(deps, links[0]!)).resolves.toMatchObject({ state: 'invited' });
    await sink.close();
    sink = undefined;
  });

  it('supersedes the queued confirmation of an answer: the re-sent mail says what of it still holds', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    for (const k of [6, 7]) await addCandidate(deps, COMMITTEE, { editionId, name: guestName(k), email: guestEmail(k) });
    const sent = (await sendInvitations(deps, COMMITTEE, { editionId, ids: 'all-candidates' })).invitations;
    const [noer, yeser] = sent.map((s) => ({ ...s, token: tokenOf(s.link) }));
    const send = (laterMs: number) => sendDueMail({ db: handle.db, transport, clock: () => new Date(Date.now() + laterMs), workerId: 'w' });
    await sink?.close();
    sink = await startSink({ port });
    expect(await send(0)).toMatchObject({ sent: 2 });
    await sink.close();
    sink = undefined;

    // Server down: guest 6 declines and guest 7 accepts on their pages; the confirmations wait.
    deps.set('2026-03-20T08:00:00Z');
    await declineInvitation(deps, { token: noer!.token }, { confirm: true });
    await acceptInvitation(deps, { token: yeser!.token }, { confirm: true });
    const confirmation = async (id: number) =>
      handle.db.selectFrom('outbox').selectAll().where('kind', '=', 'answer-confirmed').where('invitation_id', '=', id).executeTakeFirstOrThrow();
    const [toNoer, toYeser] = [await confirmation(noer!.id), await confirmation(yeser!.id)];
    expect(toYeser.body).toMatch(/You are on the list of attendees/);
    expect(await send(0)).toMatchObject({ sent: 0, deferred: 2 });
    // The committee sets guest 7 back to invited: what their confirmation says is no longer so.
    await overrideState(deps, COMMITTEE, { id: yeser!.id, state: 'invited', reason: 'accepted by mistake, they said' });

    // Both re-sent, guest 7 with a new date to answer by.
    deps.set('2026-03-21T09:00:00Z');
    const again = [
      (await resendInvitation(deps, COMMITTEE, { id: noer!.id })).invitations[0]!,
      (await resendInvitation(deps, COMMITTEE, { id: yeser!.id, answerBy: '2026-04-20' })).invitations[0]!,
    ];
    for (const [was, by] of [
      [toNoer, again[0]!],
      [toYeser, again[1]!],
    ] as const) {
      const now = await getMessage(handle, was.id);
      expect(now).toMatchObject({ state: 'superseded', superseded_by: by.outboxId });
      expect(messageForCommittee(now).headers).toContainEqual(['State', `superseded, not sent: message ${by.outboxId} went in its place`]);
    }
    const audit = await listAudit(handle, { action: 'mail.supersede', editionId });
    expect(audit.map((a) => [Number(a.entity_id), a.reason]).sort()).toEqual([
      [toNoer.id, `replaced by a re-send of invitation ${noer!.id}`],
      [toYeser.id, `replaced by a re-send of invitation ${yeser!.id}`],
    ]);
    expect(audit.every((a) => a.actor === COMMITTEE.label)).toBe(true);

    // The server is back: the re-sent invitations arrive, nothing else.
    sink = await startSink({ port });
    expect(await send(4 * 3600_000)).toMatchObject({ sent: 2, discarded: 0, failed: 0 });
    const arrived = sink.accepted.map((a) => a.mail);
    expect(arrived.map((m) => m.messageId).sort()).toEqual(again.map((a) => a.messageId).sort());
    const text = (a: SentInvitation) => arrived.find((m) => m.messageId === a.messageId)!.text!.replace(/\s+/g, ' ');
    // Guest 6's no still holds, as the confirmation said, and so does its date.
    expect(text(again[0]!)).toMatch(/Your answer is no: thank you for letting us know\. Should your plans change, you can still change it on your page until April 10, 2026: the link below opens it\./);
    // Guest 7 is asked again, by the new date, and told of no answer.
    expect(text(again[1]!)).toMatch(/Please let us know by April 20, 2026 whether you can come/);
    expect(text(again[1]!)).not.toMatch(/Your answer is|accepted already|list of attendees/);
    await sink.close();
    sink = undefined;
  });
});

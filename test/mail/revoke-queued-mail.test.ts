/**
 * Revoking an invitation, or setting it back to a candidate, ends its links. Its reminder and its
 * "you are in" mail, queued or failed while the SMTP server refused them, carry such a link: once
 * the server is back (or the failed mail retried), the invitee must not receive them and land on
 * a "withdrawn" page after the committee took the invitation back. They are taken back as the
 * invitation mail itself is: deleted, each audited as mail.discard saying why; so is an
 * invitation mail queued and not tried yet. Mail being sent at that moment is left alone; if the
 * server does not take it, the worker deletes it when its turn comes again, rather than send it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { listAudit } from '../../src/domain/audit/record.js';
import { addCandidate } from '../../src/domain/invitations/candidates.js';
import { overrideState, revokeInvitation } from '../../src/domain/invitations/committee-actions.js';
import { sendReminders } from '../../src/domain/invitations/reminders.js';
import { acceptInvitation, declineInvitation, findByToken } from '../../src/domain/invitations/rsvp.js';
import { resendInvitation, sendInvitations } from '../../src/domain/invitations/send.js';
import { getMessage, retryFailed } from '../../src/domain/mail/outbox.js';
import { createTransport, type MailTransport } from '../../src/domain/mail/transport.js';
import { sendDueMail } from '../../src/domain/mail/worker.js';
import { testDatabases } from '../support/db.js';
import { COMMITTEE, guestEmail, guestName, makeDeps, makeEdition, tokenOf } from '../invitations/fixtures.js';
import { freePort, startSink, type Sink } from './smtp-sink.js';

describe.each(testDatabases())('revoke while invitee mail waits for the SMTP server, on $name', ({ open }) => {
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

  it('takes back the queued reminder and "you are in" mail: no dead link arrives', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db, { reminder_days: 7, cap: 1 });
    for (const k of [1, 2, 3, 4]) await addCandidate(deps, COMMITTEE, { editionId, name: guestName(k), email: guestEmail(k) });
    const sent = (await sendInvitations(deps, COMMITTEE, { editionId, ids: 'all-candidates' })).invitations;
    const [quiet, waiting, leaving, resent] = sent.map((s) => ({ ...s, token: tokenOf(s.link) }));
    // Guest 3 takes the one place, guest 2 waits for it.
    await acceptInvitation(deps, { token: leaving!.token });
    await acceptInvitation(deps, { token: waiting!.token });
    expect((await findByToken(deps, waiting!.token)).state).toBe('waitlisted');
    // The outbox's times are the machine's (enqueueMail), not the invitations' clock.
    const send = (laterMs: number) => sendDueMail({ db: handle.db, transport, clock: () => new Date(Date.now() + laterMs), workerId: 'w' });

    // The invitations go out while the server is up.
    sink = await startSink({ port });
    expect(await send(0)).toMatchObject({ sent: 4 });
    await sink.close();
    sink = undefined;

    // Server down: the reminders to guests 1 and 4 and the "you are in" to guest 2 (guest 3
    // leaves) wait.
    deps.set('2026-04-03T08:00:00Z');
    const { reminded } = await sendReminders(deps, { editionId });
    expect(reminded.map((r) => r.id)).toEqual([quiet!.id, resent!.id]);
    await declineInvitation(deps, { token: leaving!.token });
    const promoted = await handle.db.selectFrom('outbox').selectAll().where('kind', '=', 'waitlist-promoted').where('edition_id', '=', editionId).executeTakeFirstOrThrow();
    expect(promoted.invitation_id).toBe(waiting!.id);
    expect(await send(0)).toMatchObject({ sent: 0, deferred: 3 });
    // One of them fails for good (a committee member may retry it): it is taken back all the same.
    await handle.db.updateTable('outbox').set({ state: 'failed' }).where('id', '=', promoted.id).execute();
    // Guest 4's is superseded by a re-send held as a draft, which the revoke takes back: what it
    // superseded, which names that draft as gone in its place, goes with it.
    deps.set('2026-04-03T09:00:00Z');
    const draft = (await resendInvitation(deps, COMMITTEE, { id: resent!.id, hold: true })).invitations[0]!;
    expect(await getMessage(handle, reminded[1]!.outboxId)).toMatchObject({ state: 'superseded', superseded_by: draft.outboxId });

    // The committee takes the three invitations back; each took back one mail that would have
    // gone (guest 4's superseded reminder would not have: the draft would have gone instead).
    expect(await revokeInvitation(deps, COMMITTEE, { id: quiet!.id, reason: 'not this year' })).toMatchObject({ state: 'revoked', withdrawn: 1 });
    expect(await overrideState(deps, COMMITTEE, { id: waiting!.id, state: 'candidate', reason: 'invited by mistake' })).toMatchObject({ state: 'candidate', withdrawn: 1 });
    expect(await revokeInvitation(deps, COMMITTEE, { id: resent!.id, reason: 'not this year' })).toMatchObject({ state: 'revoked', withdrawn: 1 });

    const gone = [reminded[0]!.outboxId, promoted.id, reminded[1]!.outboxId];
    for (const id of [...gone, draft.outboxId]) await expect(getMessage(handle, id)).rejects.toThrow(`outbox message ${id} not found`);
    const audit = await listAudit(handle, { action: 'mail.discard', editionId });
    const why = (id: number) => audit.find((a) => a.entity === 'outbox' && Number(a.entity_id) === id);
    expect(why(reminded[0]!.outboxId)).toMatchObject({ actor: COMMITTEE.label, reason: `invitation ${quiet!.id} was revoked: its unsent mail is not to be sent`, before: { state: 'queued', kind: 'reminder', to_address: guestEmail(1) } });
    expect(why(promoted.id)).toMatchObject({ actor: COMMITTEE.label, reason: `invitation ${waiting!.id} is a candidate again: its unsent mail is not to be sent`, before: { state: 'failed', kind: 'waitlist-promoted', to_address: guestEmail(2) } });
    expect(why(reminded[1]!.outboxId)).toMatchObject({ actor: COMMITTEE.label, reason: `invitation ${resent!.id} was revoked: its unsent mail is not to be sent`, before: { state: 'superseded', kind: 'reminder', to_address: guestEmail(4) } });
    expect(why(draft.outboxId)).toMatchObject({ reason: `invitation ${resent!.id} was revoked: its unsent mail is not to be sent` });
    // Nothing failed is left to retry.
    expect((await retryFailed(handle, 'all')).retried).toBe(0);

    // The server is back; every retry is due. Nothing goes to the three.
    sink = await startSink({ port });
    expect(await send(4 * 3600_000)).toMatchObject({ sent: 0, failed: 0 });
    expect(sink.accepted.map((a) => a.rcptTo)).toEqual([]);
    await sink.close();
    sink = undefined;
  });

  it('takes back an invitation mail queued and not yet tried: only the others are invited', async () => {
    const deps = makeDeps(handle.db, '2100-03-01T12:00:00Z');
    const editionId = await makeEdition(handle.db, { start_date: '2100-05-11', end_date: '2100-05-13', answer_by: '2100-04-10' });
    for (const k of [5, 6, 7]) await addCandidate(deps, COMMITTEE, { editionId, name: guestName(k), email: guestEmail(k) });
    const [revoked, back, kept] = (await sendInvitations(deps, COMMITTEE, { editionId, ids: 'all-candidates' })).invitations;
    for (const s of [revoked!, back!]) expect(await getMessage(handle, s.outboxId)).toMatchObject({ state: 'queued', attempts: 0 });

    // Before the worker comes round, the committee takes two of them back.
    expect(await revokeInvitation(deps, COMMITTEE, { id: revoked!.id, reason: 'not this year' })).toMatchObject({ withdrawn: 1 });
    expect(await overrideState(deps, COMMITTEE, { id: back!.id, state: 'candidate', reason: 'invited by mistake' })).toMatchObject({ withdrawn: 1 });
    for (const s of [revoked!, back!]) await expect(getMessage(handle, s.outboxId)).rejects.toThrow(`outbox message ${s.outboxId} not found`);
    const audit = await listAudit(handle, { action: 'mail.discard', editionId });
    expect(audit).toHaveLength(2);
    const why = (id: number) => audit.find((a) => a.entity === 'outbox' && Number(a.entity_id) === id);
    expect(why(revoked!.outboxId)).toMatchObject({ reason: `invitation ${revoked!.id} was revoked: its unsent mail is not to be sent`, before: { state: 'queued', kind: 'invitation', to_address: guestEmail(5) } });
    expect(why(back!.outboxId)).toMatchObject({ reason: `invitation ${back!.id} is a candidate again: its unsent mail is not to be sent`, before: { state: 'queued', kind: 'invitation', to_address: guestEmail(6) } });

    sink = await startSink({ port });
    expect(await sendDueMail({ db: handle.db, transport, clock: () => new Date(), workerId: 'w' })).toMatchObject({ sent: 1, failed: 0 });
    expect(sink.accepted.map((a) => a.rcptTo)).toEqual([[guestEmail(7)]]);
    expect(sink.accepted[0]!.messageId).toBe(kept!.messageId);
    await sink.close();
    sink = undefined;
  });

  it('does not send, on a retry, a reminder being sent when the invitation was revoked', async () => {
    const deps = makeDeps(handle.db, '2100-03-01T12:00:00Z');
    const editionId = await makeEdition(handle.db, { start_date: '2100-05-11', end_date: '2100-05-13', answer_by: '2100-04-10', reminder_days: 7 });
    for (const k of [8, 9, 10]) await addCandidate(deps, COMMITTEE, { editionId, name: guestName(k), email: guestEmail(k) });
    const invited = (await sendInvitations(deps, COMMITTEE, { editionId, ids: 'all-candidates' })).invitations;
    sink = await startSink({ port });
    expect(await sendDueMail({ db: handle.db, transport, clock: () => new Date(), workerId: 'w' })).toMatchObject({ sent: 3 });
    await sink.close();
    sink = undefined;

    deps.set('2100-04-03T08:00:00Z');
    const { reminded } = await sendReminders(deps, { editionId });
    expect(reminded.map((r) => r.email)).toEqual([guestEmail(8), guestEmail(9), guestEmail(10)]);
    // The worker claims the three reminders in one round. While it sends the first (the server
    // is down: it is deferred), the committee revokes the first two invitations: both reminders
    // are being sent, so the revoke leaves them alone.
    const sending: number[] = [];
    const leftAlone: number[] = [];
    const withdrawn: number[] = [];
    const revoking: MailTransport = {
      kind: transport.kind,
      close: () => {},
      send: async (mail, opts) => {
        sending.push(mail.id);
        if (sending.length === 1) {
          for (const inv of invited.slice(0, 2)) {
            withdrawn.push((await revokeInvitation(deps, COMMITTEE, { id: inv.id, reason: 'not this year' })).withdrawn);
            leftAlone.push(...(await handle.db.selectFrom('outbox').select('id').where('invitation_id', '=', inv.id).where('state', '=', 'sending').execute()).map((r) => r.id));
          }
        }
        return transport.send(mail, opts);
      },
    };
    const first = await sendDueMail({ db: handle.db, transport: revoking, clock: () => new Date(), workerId: 'w' });
    expect(first).toMatchObject({ claimed: 3, sent: 0, deferred: 2, discarded: 1 });
    expect(leftAlone).toEqual([reminded[0]!.outboxId, reminded[1]!.outboxId]);
    // Nor do the revokes say they withdrew them.
    expect(withdrawn).toEqual([0, 0]);
    // The second was not even tried: its invitation had been revoked when its turn came.
    expect(sending).toEqual([reminded[0]!.outboxId, reminded[2]!.outboxId]);

    // The server is back and the retries are due: only guest 10's reminder goes.
    sink = await startSink({ port });
    const log: string[] = [];
    const retry = await sendDueMail({ db: handle.db, transport, clock: () => new Date(Date.now() + 4 * 3600_000), workerId: 'w', log: (l) => log.push(l) });
    expect(retry).toMatchObject({ claimed: 2, sent: 1, discarded: 1, deferred: 0, failed: 0 });
    expect(sink.accepted.map((a) => a.rcptTo)).toEqual([[guestEmail(10)]]);
    expect(log).toEqual([`mail #${reminded[0]!.outboxId} to ${guestEmail(8)} not sent: invitation ${invited[0]!.id} was revoked: its unsent mail is not to be sent`]);
    for (const r of reminded.slice(0, 2)) await expect(getMessage(handle, r.outboxId)).rejects.toThrow(`outbox message ${r.outboxId} not found`);
    const audit = await listAudit(handle, { action: 'mail.discard', editionId });
    expect(audit.map((a) => [a.actor, Number(a.entity_id), a.reason])).toEqual([
      ['system', reminded[0]!.outboxId, `invitation ${invited[0]!.id} was revoked: its unsent mail is not to be sent`],
      ['system', reminded[1]!.outboxId, `invitation ${invited[1]!.id} was revoked: its unsent mail is not to be sent`],
    ]);
    expect(audit[0]).toMatchObject({ before: { state: 'sending', kind: 'reminder', to_address: guestEmail(8), attempts: 1 } });
  });

  it('takes back a re-sent invitation mail not tried yet and the reminder it superseded, counted once', async () => {
    const deps = makeDeps(handle.db, '2100-03-01T12:00:00Z');
    const editionId = await makeEdition(handle.db, { start_date: '2100-05-11', end_date: '2100-05-13', answer_by: '2100-04-10', reminder_days: 7 });
    await addCandidate(deps, COMMITTEE, { editionId, name: guestName(11), email: guestEmail(11) });
    const [inv] = (await sendInvitations(deps, COMMITTEE, { editionId, ids: 'all-candidates' })).invitations;
    await sink?.close();
    sink = await startSink({ port });
    expect(await sendDueMail({ db: handle.db, transport, clock: () => new Date(), workerId: 'w' })).toMatchObject({ sent: 1 });
    await sink.close();
    sink = undefined;

    // Server down: the reminder waits after a refusal. The committee re-sends the invitation:
    // the reminder is superseded by the new mail, which no worker has tried yet.
    deps.set('2100-04-03T08:00:00Z');
    const { reminded } = await sendReminders(deps, { editionId });
    expect(await sendDueMail({ db: handle.db, transport, clock: () => new Date(), workerId: 'w' })).toMatchObject({ sent: 0, deferred: 1 });
    deps.set('2100-04-03T09:00:00Z');
    const again = (await resendInvitation(deps, COMMITTEE, { id: inv!.id })).invitations[0]!;
    expect(await getMessage(handle, reminded[0]!.outboxId)).toMatchObject({ state: 'superseded', superseded_by: again.outboxId });
    expect(await getMessage(handle, again.outboxId)).toMatchObject({ state: 'queued', attempts: 0 });

    // Revoked before the worker comes round: the re-sent mail goes, and with it the reminder that
    // names it as gone in its place. One mail would have reached them, and the revoke says one.
    expect(await revokeInvitation(deps, COMMITTEE, { id: inv!.id, reason: 'not this year' })).toMatchObject({ state: 'revoked', withdrawn: 1 });
    for (const id of [again.outboxId, reminded[0]!.outboxId]) await expect(getMessage(handle, id)).rejects.toThrow(`outbox message ${id} not found`);
    const audit = await listAudit(handle, { action: 'mail.discard', editionId });
    const why = `invitation ${inv!.id} was revoked: its unsent mail is not to be sent`;
    expect(audit.map((a) => [a.actor, Number(a.entity_id), a.reason]).sort()).toEqual(
      [
        [COMMITTEE.label, again.outboxId, why],
        [COMMITTEE.label, reminded[0]!.outboxId, why],
      ].sort(),
    );
    expect(audit.find((a) => Number(a.entity_id) === again.outboxId)).toMatchObject({ before: { state: 'queued', kind: 'invitation', attempts: 0 } });
    expect(audit.find((a) => Number(a.entity_id) === reminded[0]!.outboxId)).toMatchObject({ before: { state: 'superseded', kind: 'reminder' } });

    // The server is back and every retry is due: nothing goes to them.
    sink = await startSink({ port });
    await sendDueMail({ db: handle.db, transport, clock: () => new Date(Date.now() + 4 * 3600_000), workerId: 'w' });
    expect(sink.accepted.filter((a) => a.rcptTo.includes(guestEmail(11)))).toEqual([]);
    await sink.close();
    sink = undefined;
  });
});

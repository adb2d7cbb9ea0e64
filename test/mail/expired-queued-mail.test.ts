/**
 * An invitation mail that waits in the outbox (the server stopped, or the SMTP server down) past
 * the invitation's answer-by date, while the invitation expires, must not go out once mail flows
 * again: it would ask for an answer no longer taken, with a link that no longer takes one. The
 * worker deletes it instead of sending it, audited as mail.discard by `system`, as it does the
 * mail of a revoked invitation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { listAudit } from '../../src/domain/audit/record.js';
import { addCandidate } from '../../src/domain/invitations/candidates.js';
import { expireOverdue } from '../../src/domain/invitations/reminders.js';
import { acceptInvitation } from '../../src/domain/invitations/rsvp.js';
import { sendInvitations } from '../../src/domain/invitations/send.js';
import { getMessage } from '../../src/domain/mail/outbox.js';
import { createTransport, type MailTransport } from '../../src/domain/mail/transport.js';
import { sendDueMail } from '../../src/domain/mail/worker.js';
import { testDatabases } from '../support/db.js';
import { COMMITTEE, guestEmail, guestName, makeDeps, makeEdition, tokenOf } from '../invitations/fixtures.js';
import { freePort, startSink, type Sink } from './smtp-sink.js';

describe.each(testDatabases())('invitation mail queued past its expiry, on $name', ({ open }) => {
  let handle: Db;
  let transport: MailTransport;
  let sink: Sink | undefined;
  beforeAll(async () => {
    handle = await open();
    const port = await freePort();
    transport = createTransport({ smtpUrl: `smtp://127.0.0.1:${port}` });
    sink = await startSink({ port });
  });
  afterAll(async () => {
    transport?.close();
    await sink?.close();
    await handle?.close();
  });

  it('is not sent once the invitation expired; the mail of one answered meanwhile still goes', async () => {
    const deps = makeDeps(handle.db, '2100-03-01T12:00:00Z');
    const editionId = await makeEdition(handle.db, { start_date: '2100-05-11', end_date: '2100-05-13', answer_by: '2100-04-10' });
    for (const k of [1, 2]) await addCandidate(deps, COMMITTEE, { editionId, name: guestName(k), email: guestEmail(k) });
    // Sent with the server stopped: both invitation mails wait in the outbox.
    const [late, answered] = (await sendInvitations(deps, COMMITTEE, { editionId, ids: 'all-candidates', answerBy: '2100-03-05' })).invitations;
    await acceptInvitation(deps, { token: tokenOf(answered!.link) });
    deps.set('2100-03-06T00:00:00Z');
    expect(await expireOverdue(deps, { editionId })).toEqual({ expired: [{ id: late!.id, email: guestEmail(1) }] });

    // The server starts: only the answered guest's invitation goes.
    const log: string[] = [];
    const round = await sendDueMail({ db: handle.db, transport, clock: () => new Date(), workerId: 'w', log: (l) => log.push(l) });
    expect(round).toMatchObject({ claimed: 2, sent: 1, discarded: 1, deferred: 0, failed: 0 });
    expect(sink!.accepted.map((a) => a.rcptTo)).toEqual([[guestEmail(2)]]);
    const why = `invitation ${late!.id} expired: its unsent mail is not to be sent`;
    expect(log).toEqual([`mail #${late!.outboxId} to ${guestEmail(1)} not sent: ${why}`]);
    await expect(getMessage(handle, late!.outboxId)).rejects.toThrow(`outbox message ${late!.outboxId} not found`);
    const audit = await listAudit(handle, { action: 'mail.discard', editionId });
    expect(audit.map((a) => [a.actor, Number(a.entity_id), a.reason])).toEqual([['system', late!.outboxId, why]]);
    expect(audit[0]).toMatchObject({ before: { state: 'sending', kind: 'invitation', to_address: guestEmail(1) } });
  });
});

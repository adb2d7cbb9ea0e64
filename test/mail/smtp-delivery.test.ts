/**
 * Real SMTP on loopback: what the worker sends arrives at the right recipient, with the subject,
 * the body's link and the headers people's mail programs need (Message-ID as in the row, Date,
 * Reply-To, a reminder threaded under its invitation, text/plain in UTF-8 as written, 8bit with
 * BODY=8BITMIME); the server's refusals are recorded as temporary or permanent.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { enqueueMail, getMessage, messageForCommittee } from '../../src/domain/mail/outbox.js';
import { renderMail } from '../../src/domain/mail/templates.js';
import { createTransport, type MailTransport } from '../../src/domain/mail/transport.js';
import { runOutboxOnce, sendDueMail } from '../../src/domain/mail/worker.js';
import { testDatabases } from '../support/db.js';
import { BASE_URL, invitation, makeEdition, split, writtenBodies } from './fixtures.js';
import { startSink, type Sink } from './smtp-sink.js';

describe.each(testDatabases())('SMTP delivery on $name', ({ open }) => {
  let handle: Db;
  let sink: Sink;
  let transport: MailTransport;
  let edition: number;
  beforeAll(async () => {
    handle = await open();
    edition = await makeEdition(handle.db, 2026);
    sink = await startSink({
      verdict: (_, a) =>
        a.rcptTo[0] === 'gone@example.net'
          ? { code: 550, message: '5.1.1 <gone@example.net>: no such user' }
          : a.rcptTo[0] === 'busy@example.net'
            ? { code: 451, message: '4.3.0 mailbox busy, try later' }
            : 'accept',
    });
    transport = createTransport({ smtpUrl: sink.url });
  });
  beforeEach(async () => {
    await handle.db.deleteFrom('outbox').execute();
    sink.accepted.length = 0;
  });
  afterAll(async () => {
    transport?.close();
    await sink?.close();
    await handle?.close();
  });

  const round = () => runOutboxOnce({ db: handle.db, transport, clock: () => new Date(), workerId: 'test', batchSize: 10 });

  it('delivers an invitation and a reminder threaded under it, with the right headers', async () => {
    const link = `${BASE_URL}/i/Kq7ZxLw`;
    const text = await renderMail(
      { db: handle.db },
      {
        editionId: edition,
        key: 'invitation',
        values: {
          name: 'Jürgen Müller',
          edition_title: 'Netconf 2026',
          edition_dates: 'May 11-13, 2026',
          edition_place: 'Lisbon',
          link,
          answer_by: 'April 10',
          committee: 'The committee',
          edition_held_with: '',
        },
      },
    );
    const inv = await enqueueMail(handle.db, invitation(1, { ...text, editionId: edition, to: { address: 'jurgen@example.net', name: 'Jürgen Müller' } }));
    const rem = await enqueueMail(handle.db, invitation(1, { kind: 'reminder', subject: 'Re: Invitation to Netconf 2026', threadUnder: inv.id }));
    expect(await round()).toMatchObject({ claimed: 2, sent: 2 });

    expect(sink.accepted.map((a) => a.messageId)).toEqual([inv.message_id, rem.message_id]);
    const [first, second] = sink.accepted as [(typeof sink.accepted)[0], (typeof sink.accepted)[0]];
    expect(first.rcptTo).toEqual(['jurgen@example.net']);
    expect(first.mailFrom).toBe('netconf@example.org');
    expect(first.mail.to && !Array.isArray(first.mail.to) ? first.mail.to.value : undefined).toEqual([
      { address: 'jurgen@example.net', name: 'Jürgen Müller' },
    ]);
    expect(first.mail.subject).toBe('Invitation to Netconf 2026');
    expect(first.mail.text).toContain('Hello Jürgen Müller,');
    expect(first.mail.text).toContain(`\n  ${link}\n`);
    expect(first.mail.replyTo?.value).toEqual([{ address: 'netconf-committee@example.org', name: '' }]);
    expect(first.mail.from?.value).toEqual([{ address: 'netconf@example.org', name: 'Netconf committee' }]);
    const sent = await getMessage({ db: handle.db }, inv.id);
    expect(sent).toMatchObject({ state: 'sent', transport: 'smtp', attempts: 0 });
    expect(sent.smtp_response).toMatch(/^250 OK queued as \d+$/);
    expect(first.mail.date?.getTime()).toBe(Math.floor(sent.sent_at!.getTime() / 1000) * 1000);

    const raw = first.raw.toString('latin1');
    expect(raw).toMatch(/^Content-Type: text\/plain; charset=utf-8\r$/m);
    expect(raw).toMatch(/^Date: .+\r$/m);
    expect(raw).not.toMatch(/^Auto-Submitted:/im);
    expect(first.mail.inReplyTo).toBeUndefined();
    expect(first.mail.references).toBeUndefined();

    expect(second.mail.inReplyTo).toBe(inv.message_id);
    expect(second.mail.references).toBe(inv.message_id);
    expect(second.mail.subject).toBe('Re: Invitation to Netconf 2026');
  });

  it('delivers an invitation with a long title reflowed: within 72 columns, no stub, the link whole', async () => {
    const link = `${BASE_URL}/i/Kq7ZxLw`;
    const values = { name: 'Ana', edition_title: 'Netconf 2027; Lisbon, Portugal', edition_dates: 'March 27–28, 2027', edition_place: 'Lisbon, Portugal', link, answer_by: 'April 10', committee: 'The committee', edition_held_with: '' };
    const text = await renderMail({ db: handle.db }, { editionId: edition, key: 'invitation', values });
    const m = await enqueueMail(handle.db, invitation(2, { ...text, editionId: edition }));
    expect(await round()).toMatchObject({ claimed: 1, sent: 1 });
    const got = sink.accepted.find((a) => a.messageId === m.message_id)!.mail.text!;
    expect(got).toContain('\nwe would like to invite you to Netconf 2027; Lisbon, Portugal, March\n27–28, 2027, in Lisbon, Portugal.\n');
    expect(got.split('\n').every((l) => l.length <= 72)).toBe(true);
    expect(got).toContain(`\n  ${link}\n`);
  });

  it('sends a long line and text outside ASCII as written (8bit, BODY=8BITMIME), past 998 octets quoted-printable', async () => {
    const { line, body, tooLong } = writtenBodies();
    const m = await enqueueMail(handle.db, invitation(5, { to: { address: 'hanako@example.net', name: '山田 花子' }, subject: '“Netconf” 2026', body }));
    const q = await enqueueMail(handle.db, invitation(6, { body: tooLong }));
    expect(await round()).toMatchObject({ claimed: 2, sent: 2 });

    const a = sink.accepted.find((x) => x.messageId === m.message_id)!;
    const [head, text] = split(a.raw);
    expect(head).toMatch(/^Content-Type: text\/plain; charset=utf-8\r?$/m);
    expect(head).toMatch(/^Content-Transfer-Encoding: 8bit\r?$/m);
    // Headers stay ASCII: the subject and the name are RFC 2047 encoded words.
    expect(head).toMatch(/^[\x00-\x7f]*$/);
    expect(head).toMatch(/^Subject: =\?UTF-8\?Q\?/m);
    expect(text.split('\r\n')).toContain(line);
    expect(text).toBe(body.replace(/\n/g, '\r\n'));
    expect(a.mailFromArgs).toMatchObject({ BODY: '8BITMIME' });
    expect(a.mail.text).toBe(body);
    expect(a.mail.subject).toBe('“Netconf” 2026');
    expect(a.mail.to && !Array.isArray(a.mail.to) ? a.mail.to.value : undefined).toEqual([{ address: 'hanako@example.net', name: '山田 花子' }]);

    const b = sink.accepted.find((x) => x.messageId === q.message_id)!;
    expect(split(b.raw)[0]).toMatch(/^Content-Transfer-Encoding: quoted-printable\r?$/m);
    expect(split(b.raw)[1].split('\r\n').every((l) => l.length <= 76)).toBe(true);
    expect(b.mailFromArgs).not.toHaveProperty('BODY');
    expect(b.mail.text).toBe(tooLong);
  });

  it('sends 8bit to a server that does not announce 8BITMIME too, declaring nothing (Nodemailer does not tell)', async () => {
    const old = await startSink({ no8BitMime: true });
    const to = createTransport({ smtpUrl: old.url });
    try {
      const { line, body } = writtenBodies();
      const m = await enqueueMail(handle.db, invitation(7, { body }));
      expect(await runOutboxOnce({ db: handle.db, transport: to, clock: () => new Date(), workerId: 'test' })).toMatchObject({ claimed: 1, sent: 1 });
      expect(old.accepted.map((x) => x.messageId)).toEqual([m.message_id]);
      const [head, text] = split(old.accepted[0]!.raw);
      expect(head).toMatch(/^Content-Transfer-Encoding: 8bit\r?$/m);
      expect(text.split('\r\n')).toContain(line);
      expect(old.accepted[0]!.mailFromArgs).not.toHaveProperty('BODY');
      expect(old.accepted[0]!.mail.text).toBe(body);
    } finally {
      to.close();
      await old.close();
    }
  });

  it('carries the whole References chain of a second reminder', async () => {
    const inv = await enqueueMail(handle.db, invitation(2));
    const r1 = await enqueueMail(handle.db, invitation(2, { kind: 'reminder', threadUnder: inv.id }));
    const r2 = await enqueueMail(handle.db, invitation(2, { kind: 'reminder', threadUnder: r1.id }));
    await round();
    expect(await round()).toMatchObject({ claimed: 0 });
    const last = sink.accepted.find((a) => a.messageId === r2.message_id)!;
    expect(last.mail.inReplyTo).toBe(r1.message_id);
    expect(last.mail.references).toEqual([inv.message_id, r1.message_id]);
  });

  it('fails a 5xx refusal for good and keeps a 4xx one queued, recording the reply', async () => {
    const gone = await enqueueMail(handle.db, invitation(3, { to: { address: 'gone@example.net' } }));
    const busy = await enqueueMail(handle.db, invitation(4, { to: { address: 'busy@example.net' } }));
    expect(await round()).toMatchObject({ claimed: 2, failed: 1, deferred: 1 });
    const g = await getMessage({ db: handle.db }, gone.id);
    expect(g).toMatchObject({ state: 'failed', attempts: 1, sent_at: null });
    expect(g.last_error).toContain('550 5.1.1 <gone@example.net>: no such user');
    const b = await getMessage({ db: handle.db }, busy.id);
    expect(b).toMatchObject({ state: 'queued', attempts: 1, sent_at: null });
    expect(b.last_error).toContain('451 4.3.0 mailbox busy, try later');
    expect(sink.accepted).toEqual([]);
  });

  it('keeps a sent mail without its personal link and answer address, which only the invitee got', async () => {
    const token = 'Kq7ZxLw'.repeat(6) + 'A';
    const plus = `rsvp+${'a2'.repeat(26)}@netconf.example.org`;
    const body = `Hello,\n\n  ${BASE_URL}/invitation/${token}\n\nThanks\n`;
    const sent = await enqueueMail(handle.db, invitation(40, { body, replyTo: `Netconf RSVP <${plus}>` }));
    const held = await enqueueMail(handle.db, invitation(41, { body, hold: true, batch: 'later' }));
    expect(await round()).toMatchObject({ claimed: 1, sent: 1 });
    expect(sink.accepted[0]!.mail.text).toContain(`${BASE_URL}/invitation/${token}`);
    expect(sink.accepted[0]!.mail.replyTo?.value[0]?.address).toBe(plus);
    const kept = await getMessage({ db: handle.db }, sent.id);
    expect(kept.body).toBe(`Hello,\n\n  ${BASE_URL}/invitation/[hidden: sent to the invitee only]\n\nThanks\n`);
    expect(kept.reply_to).toBe('Netconf RSVP <rsvp+[hidden]@netconf.example.org>');
    expect(messageForCommittee(kept).body).toBe(kept.body);
    // Held mail keeps it until it is sent.
    expect((await getMessage({ db: handle.db }, held.id)).body).toBe(body);
    expect(messageForCommittee(await getMessage({ db: handle.db }, held.id)).body).toBe(body);
  });

  it('sends the due mail behind rounds that all failed or were deferred, trying each once', async () => {
    for (let i = 0; i < 4; i++) await enqueueMail(handle.db, invitation(10 + i, { to: { address: i % 2 ? 'busy@example.net' : 'gone@example.net' } }));
    const good = [];
    for (let i = 0; i < 3; i++) good.push(await enqueueMail(handle.db, invitation(20 + i)));
    await enqueueMail(handle.db, invitation(30, { notBefore: new Date(Date.now() + 3600_000) }));
    const before = sink.dataCount();
    const r = await sendDueMail({ db: handle.db, transport, clock: () => new Date(), workerId: 'test', batchSize: 2 });
    // Two rounds found nothing to send; the third and fourth found the good mail.
    expect(r).toEqual({ claimed: 7, sent: 3, deferred: 2, failed: 2, discarded: 0, queued: 3 });
    expect(sink.accepted.map((a) => a.messageId)).toEqual(good.map((m) => m.message_id));
    expect(sink.dataCount() - before).toBe(7);
  });
});

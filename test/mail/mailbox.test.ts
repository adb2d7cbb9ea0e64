/**
 * Without SMTP_URL mail goes to the local mailbox: one .eml file per message under the
 * directory, parsing back with the same headers, the row sent with transport 'mailbox'; and a
 * message written just before a crash is not written twice. The file holds the text as written
 * (7bit or 8bit), quoted-printable only past SMTP's 998 octets a line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { readMailboxMessage } from '../../src/domain/mail/mailbox.js';
import { enqueueMail, getMessage, listOutbox, messageForCommittee } from '../../src/domain/mail/outbox.js';
import { COMMITTEE_NOTICE_KEYS } from '../../src/domain/mail/template-keys.js';
import { createTransport } from '../../src/domain/mail/transport.js';
import { runOutboxOnce } from '../../src/domain/mail/worker.js';
import { testDatabases } from '../support/db.js';
import { invitation, split, writtenBodies } from './fixtures.js';

describe.each(testDatabases())('local mailbox on $name', ({ open }) => {
  let handle: Db;
  let dir: string;
  beforeAll(async () => {
    handle = await open();
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-mailbox-')), 'mailbox');
  });
  afterAll(async () => {
    await handle?.close();
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('shows the committee every header the .eml has, in its order, and the Date in the house format', async () => {
    const own = path.join(path.dirname(dir), 'headers');
    const transport = createTransport({ mailboxDir: own });
    const at = new Date('2026-12-06T20:55:01.000Z');
    const first = await enqueueMail(handle.db, invitation(30, { notBefore: at }));
    const notice = await enqueueMail(handle.db, invitation(31, { kind: 'inbound-rsvp', subject: 'Re: Invitation', threadUnder: first.id, notBefore: at }));
    try {
      const before = messageForCommittee(await getMessage({ db: handle.db }, notice.id)).headers;
      expect(before).toContainEqual(['Date', 'when it is sent']);
      expect(await runOutboxOnce({ db: handle.db, transport, clock: () => at, workerId: 'w' })).toMatchObject({ sent: 2 });
      const raw = fs.readFileSync(path.join(own, `2026-12-06T205501.000Z-${notice.id}.eml`), 'latin1');
      const mime = ['Content-Type', 'Content-Transfer-Encoding', 'MIME-Version'];
      const inFile = split(Buffer.from(raw, 'latin1'))[0].split(/\r?\n/).filter((l) => /^[A-Za-z-]+:/.test(l)).map((l) => l.slice(0, l.indexOf(':'))).filter((h) => !mime.includes(h));
      const shown = messageForCommittee(await getMessage({ db: handle.db }, notice.id)).headers;
      expect(shown.map(([h]) => h).filter((h) => h !== 'State')).toEqual(inFile);
      expect(before.map(([h]) => h).filter((h) => h !== 'State')).toEqual(inFile);
      expect(shown).toContainEqual(['Auto-Submitted', 'auto-replied']);
      expect(shown).toContainEqual(['Date', '2026-12-06 20:55 UTC']);
    } finally {
      await handle.db.deleteFrom('outbox').where('id', 'in', [first.id, notice.id]).execute();
    }
  });

  it('writes each message as an .eml file that parses back with its headers', async () => {
    const transport = createTransport({ mailboxDir: dir });
    const at = new Date('2026-03-01T09:30:15.250Z');
    const inv = await enqueueMail(handle.db, invitation(1, { to: { address: 'ana@example.net', name: 'Ana Peña' }, notBefore: at }));
    const rem = await enqueueMail(handle.db, invitation(1, { kind: 'reminder', subject: 'Re: Invitation', threadUnder: inv.id, notBefore: at }));
    expect(await runOutboxOnce({ db: handle.db, transport, clock: () => at, workerId: 'w' })).toMatchObject({ claimed: 2, sent: 2 });

    expect(fs.readdirSync(dir).sort()).toEqual([`2026-03-01T093015.250Z-${inv.id}.eml`, `2026-03-01T093015.250Z-${rem.id}.eml`]);
    const raw = fs.readFileSync(path.join(dir, `2026-03-01T093015.250Z-${inv.id}.eml`));
    expect(raw.toString('latin1')).toMatch(/^Content-Type: text\/plain; charset=utf-8\r$/m);
    const mail = await simpleParser(raw);
    expect(mail.messageId).toBe(inv.message_id);
    expect(mail.date?.toISOString()).toBe('2026-03-01T09:30:15.000Z');
    expect(mail.subject).toBe(inv.subject);
    expect(mail.text).toContain('https://netconf.example.org/i/token1');
    expect(mail.replyTo?.value).toEqual([{ address: 'netconf-committee@example.org', name: '' }]);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value : undefined).toEqual([{ address: 'ana@example.net', name: 'Ana Peña' }]);

    const reply = await simpleParser(fs.readFileSync(path.join(dir, `2026-03-01T093015.250Z-${rem.id}.eml`)));
    expect(reply.inReplyTo).toBe(inv.message_id);
    expect(reply.references).toBe(inv.message_id);
    // Mail the committee sends is answered by people; only conclave's own answers are automatic.
    expect(mail.headers.has('auto-submitted')).toBe(false);
    expect(reply.headers.has('auto-submitted')).toBe(false);

    const row = await getMessage({ db: handle.db }, inv.id);
    expect(row).toMatchObject({ state: 'sent', transport: 'mailbox', smtp_response: `mailbox: 2026-03-01T093015.250Z-${inv.id}.eml` });
    expect(row.sent_at?.toISOString()).toBe(at.toISOString());
    expect((await listOutbox({ db: handle.db }, { transport: 'mailbox', state: 'sent' })).map((r) => r.id)).toEqual([inv.id, rem.id]);
    expect(await readMailboxMessage(dir, inv.id)).toEqual(raw);
    expect(await readMailboxMessage(dir, 999_999)).toBeUndefined();
  });

  it('marks the answers conclave writes by itself to inbound mail as automatic (RFC 3834)', async () => {
    const transport = createTransport({ mailboxDir: dir });
    const at = new Date('2026-03-02T09:30:15.250Z');
    const answer = await enqueueMail(handle.db, invitation(2, { kind: 'inbound-topic-refused', subject: 'Re: [TOPIC] XDP', notBefore: at }));
    expect(await runOutboxOnce({ db: handle.db, transport, clock: () => at, workerId: 'w' })).toMatchObject({ sent: 1 });
    const mail = await simpleParser(fs.readFileSync(path.join(dir, `2026-03-02T093015.250Z-${answer.id}.eml`)));
    expect(mail.headers.get('auto-submitted')).toBe('auto-replied');
    // Its notice to the committee of mail to read is no reply, but automatic all the same.
    const notice = await enqueueMail(handle.db, invitation(3, { kind: 'inbound-review', subject: 'Mail to read', notBefore: at }));
    expect(await runOutboxOnce({ db: handle.db, transport, clock: () => at, workerId: 'w' })).toMatchObject({ sent: 1 });
    const told = await simpleParser(fs.readFileSync(path.join(dir, `2026-03-02T093015.250Z-${notice.id}.eml`)));
    expect(told.headers.get('auto-submitted')).toBe('auto-generated');
    // So is every other notice conclave writes to the committee on its own, and the committee's
    // page of the message says so; its mail to a person (a topic's decision) is personal.
    const kinds = [...COMMITTEE_NOTICE_KEYS, 'topic-decision'];
    const rows = [];
    for (const [k, kind] of kinds.entries()) rows.push(await enqueueMail(handle.db, invitation(4 + k, { kind, subject: `About ${kind}`, notBefore: at })));
    expect(await runOutboxOnce({ db: handle.db, transport, clock: () => at, workerId: 'w' })).toMatchObject({ sent: kinds.length });
    const headers = [];
    for (const r of rows) {
      const parsed = await simpleParser(fs.readFileSync(path.join(dir, `2026-03-02T093015.250Z-${r.id}.eml`)));
      headers.push([r.kind, parsed.headers.get('auto-submitted') ?? null, messageForCommittee(await getMessage({ db: handle.db }, r.id)).headers.find(([h]) => h === 'Auto-Submitted')?.[1] ?? null]);
    }
    expect(headers).toEqual([
      ['topic-revised', 'auto-generated', 'auto-generated'],
      ['speaker-left', 'auto-generated', 'auto-generated'],
      ['inbound-review', 'auto-generated', 'auto-generated'],
      ['topic-decision', null, null],
    ]);
  });

  it('does not write a message twice when the worker died before recording it', async () => {
    const transport = createTransport({ mailboxDir: dir });
    const at = new Date('2026-03-02T08:00:00.000Z');
    const row = await enqueueMail(handle.db, invitation(2, { notBefore: at }));
    await runOutboxOnce({ db: handle.db, transport, clock: () => at, workerId: 'w' });
    // As if the process died between writing the file and the 'sent' update.
    await handle.db.updateTable('outbox').set({ state: 'sending', claimed_by: 'w', claimed_at: at, sent_at: null }).where('id', '=', row.id).execute();
    const later = new Date(at.getTime() + 10 * 60_000);
    expect(await runOutboxOnce({ db: handle.db, transport, clock: () => later, workerId: 'w2' })).toMatchObject({ claimed: 1, sent: 1 });
    expect(fs.readdirSync(dir).filter((n) => n.endsWith(`-${row.id}.eml`))).toEqual([`2026-03-02T080000.000Z-${row.id}.eml`]);
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
    expect((await getMessage({ db: handle.db }, row.id)).smtp_response).toBe(`mailbox: 2026-03-02T080000.000Z-${row.id}.eml (already delivered)`);
  });

  it('writes a message whose outbox id another database’s mail in the same directory already has', async () => {
    const transport = createTransport({ mailboxDir: dir });
    const at = new Date('2026-03-03T08:00:00.000Z');
    const row = await enqueueMail(handle.db, invitation(2, { notBefore: at }));
    // Left by the embedded database before the same data directory served PostgreSQL: its
    // outbox numbers from 1 too.
    const other = `2026-01-01T000000.000Z-${row.id}.eml`;
    fs.writeFileSync(path.join(dir, other), 'Message-ID: <other@db.example>\r\nSubject: another\r\n\r\nnot this one\r\n');
    expect(await runOutboxOnce({ db: handle.db, transport, clock: () => at, workerId: 'w' })).toMatchObject({ sent: 1 });
    const mine = `2026-03-03T080000.000Z-${row.id}.eml`;
    expect(fs.readdirSync(dir).filter((n) => n.endsWith(`-${row.id}.eml`)).sort()).toEqual([other, mine]);
    expect((await getMessage({ db: handle.db }, row.id)).smtp_response).toBe(`mailbox: ${mine}`);
    const sent = await getMessage({ db: handle.db }, row.id);
    expect((await readMailboxMessage(dir, row.id, sent.message_id))?.toString()).toContain(`Message-ID: ${sent.message_id}`);
  });

  it('writes a text mostly outside ASCII as it is (8bit), not base64, its headers encoded', async () => {
    const own = path.join(path.dirname(dir), 'mailbox-8bit');
    const transport = createTransport({ mailboxDir: own });
    const at = new Date('2100-03-01T09:30:15.250Z');
    const body = 'Здравствуйте, Юлия!\n\nПриглашаем вас на Netconf 2100.\n\nКомитет\n';
    const m = await enqueueMail(handle.db, invitation(7, { to: { address: 'julia@example.net', name: '山田 花子' }, subject: 'Приглашение на Netconf 2100', body, notBefore: at }));
    expect(await runOutboxOnce({ db: handle.db, transport, clock: () => at, workerId: 'w' })).toMatchObject({ claimed: 1, sent: 1 });
    const raw = (await readMailboxMessage(own, m.id, m.message_id))!;
    const [head, text] = split(raw);
    expect(head).toMatch(/^Content-Transfer-Encoding: 8bit\r?$/m);
    expect(text).toBe(body.replace(/\n/g, '\r\n'));
    // Headers stay ASCII: the subject and the name are RFC 2047 encoded words, Q not B.
    expect(head).toMatch(/^[\x00-\x7f]*$/);
    expect(head).toMatch(/^Subject: =\?UTF-8\?Q\?/m);
    expect(head).not.toMatch(/=\?UTF-8\?B\?/i);
    const mail = await simpleParser(raw);
    expect(mail.text).toBe(body);
    expect(mail.subject).toBe('Приглашение на Netconf 2100');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value : undefined).toEqual([{ address: 'julia@example.net', name: '山田 花子' }]);
  });

  it('writes a long line with a link unbroken (8bit), and quoted-printable only past 998 octets', async () => {
    const own = path.join(path.dirname(dir), 'mailbox-lines');
    const transport = createTransport({ mailboxDir: own });
    const at = new Date('2100-03-02T09:30:15.250Z');
    const { link, line, body, tooLong } = writtenBodies();
    expect(line.length).toBe(200);
    const ascii = `Hello,\n\n${link}\n`;
    const m = await enqueueMail(handle.db, invitation(8, { to: { address: 'hanako@example.net', name: '山田 花子' }, subject: '“Netconf” 2100', body, notBefore: at }));
    const a = await enqueueMail(handle.db, invitation(9, { body: ascii, notBefore: at }));
    const q = await enqueueMail(handle.db, invitation(10, { body: tooLong, notBefore: at }));
    expect(await runOutboxOnce({ db: handle.db, transport, clock: () => at, workerId: 'w' })).toMatchObject({ claimed: 3, sent: 3 });

    const raw = (await readMailboxMessage(own, m.id, m.message_id))!;
    const [head, text] = split(raw);
    expect(head).toMatch(/^Content-Type: text\/plain; charset=utf-8\r?$/m);
    expect(head).toMatch(/^Content-Transfer-Encoding: 8bit\r?$/m);
    expect(head).toMatch(/^[\x00-\x7f]*$/);
    expect(text.split('\r\n')).toContain(line);
    expect(text).toBe(body.replace(/\n/g, '\r\n'));
    const mail = await simpleParser(raw);
    expect(mail.text).toBe(body);
    expect(mail.subject).toBe('“Netconf” 2100');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value : undefined).toEqual([{ address: 'hanako@example.net', name: '山田 花子' }]);

    // ASCII needs no 8BITMIME: 7bit, the link unbroken all the same.
    const plain = (await readMailboxMessage(own, a.id, a.message_id))!;
    expect(split(plain)[0]).toMatch(/^Content-Transfer-Encoding: 7bit\r?$/m);
    expect(split(plain)[1].split('\r\n')).toContain(link);
    expect((await simpleParser(plain)).text).toBe(ascii);

    // A line longer than SMTP allows cannot go as it is.
    const encoded = (await readMailboxMessage(own, q.id, q.message_id))!;
    expect(split(encoded)[0]).toMatch(/^Content-Transfer-Encoding: quoted-printable\r?$/m);
    expect(split(encoded)[1].split('\r\n').every((l) => l.length <= 76)).toBe(true);
    expect((await simpleParser(encoded)).text).toBe(tooLong);
  });
});

/**
 * The Subject as mail tools write it, over real SMTP and in the mailbox: its plain words as they
 * are, a straight `"` included, and only the words outside ASCII as RFC 2047 encoded words, folded
 * at 78 columns; mailparser reads back the subject as written. Nodemailer encoded the whole subject
 * for one such word ("=?UTF-8?Q?Toke_H=C3=B8iland-J=C3=B8rgensen_will_no?=" …). The other headers,
 * threading included, are as before and in the same order.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTransport, type MailTransport, type OutgoingMail } from '../../src/domain/mail/transport.js';
import { split } from './fixtures.js';
import { startSink, type Sink } from './smtp-sink.js';

/** Subjects and the Subject field each must be written as, its lines joined by CRLF. */
const CASES: { subject: string; field: string }[] = [
  {
    subject: 'Topic #3 for Netconf 2026 revised: XDP "multi-buffer"',
    field: 'Subject: Topic #3 for Netconf 2026 revised: XDP "multi-buffer"',
  },
  {
    subject: 'Toke Høiland-Jørgensen will not come to Netconf 2026, and is on its schedule',
    field: 'Subject: Toke =?UTF-8?Q?H=C3=B8iland-J=C3=B8rgensen?= will not come to Netconf\r\n 2026, and is on its schedule',
  },
  {
    subject: 'Your topic for Netconf 2026 (accepted): Offloading metadata to the NIC driver queues, a naïve first look at it',
    field: 'Subject: Your topic for Netconf 2026 (accepted): Offloading metadata to the\r\n NIC driver queues, a =?UTF-8?Q?na=C3=AFve?= first look at it',
  },
  {
    subject: 'Netconf 2026 schedule: 网络协议栈的未来 与 XDP 多缓冲区 设计',
    field:
      'Subject: Netconf 2026 schedule: =?UTF-8?Q?=E7=BD=91=E7=BB=9C=E5=8D=8F?=\r\n' +
      ' =?UTF-8?Q?=E8=AE=AE=E6=A0=88=E7=9A=84=E6=9C=AA=E6=9D=A5_=E4=B8=8E?= XDP\r\n' +
      ' =?UTF-8?Q?=E5=A4=9A=E7=BC=93=E5=86=B2=E5=8C=BA_=E8=AE=BE=E8=AE=A1?=',
  },
  { subject: 'Jesper Dangaard Brouer will not come to Netconf 2026', field: 'Subject: Jesper Dangaard Brouer will not come to Netconf 2026' },
];

/** A notice to the committee in a thread, as the outbox hands it to a transport. */
function mail(n: number, subject: string): OutgoingMail {
  return {
    id: n,
    kind: 'speaker-left',
    message_id: `<subject-${n}@netconf.example.org>`,
    to_address: 'toke@example.net',
    to_name: 'Toke Høiland-Jørgensen',
    from_address: 'Netconf committee <netconf@example.org>',
    reply_to: 'netconf-committee@example.org',
    subject,
    body: 'Hello,\n\nthe body.\n',
    in_reply_to: `<answer-${n}@example.net>`,
    references_ids: `<root-${n}@netconf.example.org> <answer-${n}@example.net>`,
  };
}

/** The header block's fields, each with its folded lines, in order. */
function fields(raw: Buffer): string[] {
  return split(raw)[0].split(/\r\n(?![ \t])/);
}

const date = new Date('2026-04-01T10:00:00.000Z');

describe('the Subject field', () => {
  let sink: Sink;
  let smtp: MailTransport;
  let dir: string;
  beforeAll(async () => {
    sink = await startSink();
    smtp = createTransport({ smtpUrl: sink.url });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-subject-words-'));
  });
  afterAll(async () => {
    smtp?.close();
    await sink?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('encodes only the words that need it, folds at 78 columns and reads back as written, over SMTP', async () => {
    for (const [i, c] of CASES.entries()) await smtp.send(mail(i + 1, c.subject), { date });
    expect(sink.accepted).toHaveLength(CASES.length);
    for (const [i, c] of CASES.entries()) {
      const a = sink.accepted[i]!;
      const subject = fields(a.raw).find((f) => f.startsWith('Subject:'));
      expect(subject, c.subject).toBe(c.field);
      for (const line of subject!.split('\r\n')) expect(line.length, line).toBeLessThanOrEqual(78);
      expect(a.mail.subject).toBe(c.subject);
    }
  });

  it('leaves every other header as it was, in its order, threading included', async () => {
    await smtp.send(mail(2, CASES[1]!.subject), { date });
    const a = sink.accepted.at(-1)!;
    const head = fields(a.raw);
    expect(head.map((f) => f.slice(0, f.indexOf(':')))).toEqual([
      'Auto-Submitted',
      'From',
      'To',
      'Reply-To',
      'In-Reply-To',
      'References',
      'Subject',
      'Message-ID',
      'Date',
      'Content-Transfer-Encoding',
      'MIME-Version',
      'Content-Type',
    ]);
    expect(head).toContain('Message-ID: <subject-2@netconf.example.org>');
    expect(head).toContain('In-Reply-To: <answer-2@example.net>');
    expect(head).toContain('References: <root-2@netconf.example.org> <answer-2@example.net>');
    expect(head).toContain('To: =?UTF-8?Q?Toke_H=C3=B8iland-J=C3=B8rgensen?= <toke@example.net>');
    expect(a.mail.inReplyTo).toBe('<answer-2@example.net>');
    expect(a.mail.references).toEqual(['<root-2@netconf.example.org>', '<answer-2@example.net>']);
  });

  it('writes the same Subject field in the mailbox', async () => {
    const mailbox = createTransport({ mailboxDir: dir });
    try {
      for (const [i, c] of CASES.entries()) await mailbox.send(mail(100 + i, c.subject), { date });
    } finally {
      mailbox.close();
    }
    const files = fs.readdirSync(dir).sort((x, y) => Number(/-(\d+)\.eml$/.exec(x)![1]) - Number(/-(\d+)\.eml$/.exec(y)![1]));
    expect(files).toHaveLength(CASES.length);
    for (const [i, c] of CASES.entries()) {
      const raw = fs.readFileSync(path.join(dir, files[i]!));
      expect(fields(raw).find((f) => f.startsWith('Subject:')), c.subject).toBe(c.field);
      expect((await simpleParser(raw)).subject).toBe(c.subject);
    }
  });
});

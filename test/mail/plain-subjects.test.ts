/**
 * Subjects in plain text: a built-in subject whose values are plain ASCII is written as it
 * reads, never as an RFC 2047 encoded word (=?UTF-8?Q?…?=) that raw mail shows and a filter on the
 * subject misses; a name outside ASCII may still need one, and parses back. Migration 037 gives a
 * committee's text still equal to an old default the new subject, and leaves its own words alone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { PLAIN_SUBJECTS, rewrite } from '../../src/db/migrations/037-plain-subjects.js';
import { enqueueMail } from '../../src/domain/mail/outbox.js';
import { placeholderNames, SUBJECT_TITLE_MAX, templateKeys, type TemplateKey } from '../../src/domain/mail/template-keys.js';
import { renderMail } from '../../src/domain/mail/templates.js';
import { createTransport } from '../../src/domain/mail/transport.js';
import { runOutboxOnce } from '../../src/domain/mail/worker.js';
import { cutAtWord } from '../../src/domain/mail/wrap.js';
import { testDatabases } from '../support/db.js';
import { invitation, makeEdition, split } from './fixtures.js';

/** Plain ASCII values for every placeholder of a key, as a committee's ASCII data gives them. */
function asciiValues(key: TemplateKey): Record<string, string> {
  return Object.fromEntries(placeholderNames(key).map((n) => [n, n === 'edition_title' ? 'Netconf 2026' : `XDP ${n}`]));
}

/** The Subject header of a raw message as written, its folded lines joined. */
function rawSubject(raw: Buffer): string {
  const head = split(raw)[0].replace(/\r\n[ \t]+/g, ' ');
  return /^Subject: (.*)$/m.exec(head)![1]!;
}

describe.each(testDatabases())('plain subjects on $name', ({ open }) => {
  let handle: Db;
  let dir: string;
  beforeAll(async () => {
    handle = await open();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-subjects-'));
  });
  afterAll(async () => {
    await handle?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Sends one message with `subject` to the mailbox; the raw .eml and the parsed mail. */
  async function written(n: number, subject: string, name = `Invitee ${n}`) {
    const at = new Date('2026-04-01T10:00:00.000Z');
    await enqueueMail(handle.db, invitation(n, { subject, to: { address: `invitee${n}@example.net`, name }, notBefore: at }));
    const mailbox = path.join(dir, String(n));
    expect(await runOutboxOnce({ db: handle.db, transport: createTransport({ mailboxDir: mailbox }), clock: () => at, workerId: 'w' })).toMatchObject({ sent: 1 });
    const raw = fs.readFileSync(path.join(mailbox, fs.readdirSync(mailbox)[0]!));
    return { raw, mail: await simpleParser(raw) };
  }

  it('writes every built-in subject as it reads when the values are plain ASCII', async () => {
    let n = 100;
    for (const key of templateKeys) {
      const { subject } = await renderMail({ db: handle.db }, { editionId: null, key, values: asciiValues(key) });
      const { raw, mail } = await written(n++, subject);
      expect(rawSubject(raw), key).toBe(subject);
      expect(rawSubject(raw), key).not.toContain('=?');
      expect(mail.subject, key).toBe(subject);
    }
  });

  it('keeps a long topic title’s first words in the subject, and the whole title in the body', async () => {
    const title = 'XDP fast path, and a very long title about offloading metadata to the NIC driver queues';
    for (const [key, prefix] of [
      ['topic-decision', 'Your topic for Netconf 2026 (accepted): '],
      ['topic-revised', 'Topic #3 for Netconf 2026 revised: '],
    ] as const) {
      const m = await renderMail({ db: handle.db }, { editionId: null, key, values: { ...asciiValues(key), topic_number: '3', decision: 'accepted', topic_title: title } });
      expect(m.subject, key).toBe(`${prefix}XDP fast path, and a very long...`);
      expect(m.subject.length, key).toBeLessThanOrEqual(78);
      expect(m.body.replace(/\s+/g, ' '), key).toContain(title);
    }
    // The schedule-change headline's title is cut by the same rule.
    expect(cutAtWord(title, SUBJECT_TITLE_MAX)).toBe('XDP fast path, and a very long...');
  });

  it('names a topic’s title unquoted, and encodes a subject only for what a name needs', async () => {
    const { subject } = await renderMail({ db: handle.db }, { editionId: null, key: 'topic-decision', values: { ...asciiValues('topic-decision'), topic_title: 'XDP offloads', decision: 'accepted' } });
    expect(subject).toBe('Your topic for Netconf 2026 (accepted): XDP offloads');
    const revised = await renderMail({ db: handle.db }, { editionId: null, key: 'topic-revised', values: { ...asciiValues('topic-revised'), topic_number: '3', topic_title: 'XDP offloads' } });
    expect(revised.subject).toBe('Topic #3 for Netconf 2026 revised: XDP offloads');
    // A person's name outside ASCII is encoded, as it must be, and reads back as written.
    const left = await renderMail({ db: handle.db }, { editionId: null, key: 'speaker-left', values: { ...asciiValues('speaker-left'), name: 'Jesús Sánchez' } });
    const { raw, mail } = await written(200, left.subject);
    expect(rawSubject(raw)).toMatch(/=\?UTF-8\?/i);
    expect(mail.subject).toBe('Jesús Sánchez will not come to Netconf 2026, and is on its schedule');
  });

  it('gives a saved text still equal to an old default the new subject, and keeps a committee’s own (migration 037)', async () => {
    const db = handle.db;
    const ed = await makeEdition(db, 2036);
    const other = await makeEdition(db, 2037);
    const [decision, revised, change] = PLAIN_SUBJECTS;
    const body = 'Hello {{name}},\n\n{{decision}}\n';
    const rows = [
      { edition_id: null, key: decision!.key, subject: decision!.was, body },
      { edition_id: ed, key: revised!.key, subject: revised!.was, body: '{{name}} revised it: {{link}}\n' },
      { edition_id: other, key: decision!.key, subject: 'Netconf: “{{topic_title}}” {{decision}}', body },
      { edition_id: other, key: change!.key, subject: change!.was, body: '{{change}}\n' },
    ];
    await db.insertInto('mail_templates').values(rows).execute();
    await rewrite(db);
    const after = await db.selectFrom('mail_templates').select(['edition_id', 'key', 'subject', 'body']).orderBy('id').execute();
    expect(after).toEqual([
      { edition_id: null, key: 'topic-decision', subject: 'Your topic for {{edition_title}} ({{decision}}): {{topic_title}}', body },
      { edition_id: ed, key: 'topic-revised', subject: 'Topic #{{topic_number}} for {{edition_title}} revised: {{topic_title}}', body: '{{name}} revised it: {{link}}\n' },
      { edition_id: other, key: 'topic-decision', subject: 'Netconf: “{{topic_title}}” {{decision}}', body },
      { edition_id: other, key: 'schedule-change', subject: '{{edition_title}} schedule: {{headline}}', body: '{{change}}\n' },
    ]);
    // Again, as after a restore of a backup made before it: nothing more changes.
    await rewrite(db);
    expect(await db.selectFrom('mail_templates').select(['edition_id', 'key', 'subject', 'body']).orderBy('id').execute()).toEqual(after);
    await db.deleteFrom('mail_templates').execute();
  });
});

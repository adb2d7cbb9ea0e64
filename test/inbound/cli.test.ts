/**
 * `conclave mail ingest` as an MTA pipe runs it: the built executable (bin/conclave.js → the bundle)
 * reading one message on standard input, an mbox of 1,000 messages and a maildir, against a
 * database of its own (commandData); `mail inbound` lists what each did and `mail review`
 * decides. And `conclave serve --smtp-port`: a reply over SMTP, answered into the local mailbox.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDb } from '../../src/db/connect.js';
import { BASE_URL } from '../invitations/fixtures.js';
import { cleanEnv, conclaveBin, projectRoot, runConclave } from '../support/cli.js';
import { runCommand, withStandardInput } from '../support/cli-in-process.js';
import { makeCommandData, type CommandData } from '../support/db.js';
import { COMMITTEE_ADDRESS, compose, inboundDeps, invitedGuests, newId, reply, RSVP, type Guest } from './fixtures.js';

const root = projectRoot;
const bin = conclaveBin;

/** An ISO date `days` from today (the CLI runs on the real clock). */
function fromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

let data: CommandData;
let dir: string;
let env: Record<string, string>;
let guests: Guest[];
let editionId: number;

/** Runs the executable with `input` on its standard input, as an MTA's pipe does. */
function executable(args: string[], input?: Buffer): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: cleanEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? Buffer.alloc(0));
  });
}

/**
 * Runs a command in this process, `input` on its standard input: what these tests check is what
 * ingest, inbound and review do and say, not the executable, which the first message of the
 * first test, the exits an MTA reads and `serve --smtp-port` still run (a Node process and the
 * bundle's loading for each of some thirty commands, otherwise).
 */
function conclave(args: string[], input?: Buffer): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return input === undefined ? runCommand(args, env) : withStandardInput(input, () => runCommand(args, env));
}

async function ingest(raw: Buffer, run = conclave) {
  const r = await run(['mail', 'ingest', '--json'], raw);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as { id: number; status: string; action: string | null; reason: string; duplicateOf: number | null };
}

/** Opens the database for a look, and closes it (an embedded one the CLI needs free). */
async function look<T>(fn: (db: Awaited<ReturnType<typeof openDb>>['db']) => Promise<T>): Promise<T> {
  const h = await openDb(loadConfig(env));
  try {
    return await fn(h.db);
  } finally {
    await h.close();
  }
}

const stateOf = (id: number) => look(async (db) => (await db.selectFrom('invitations').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state);

beforeAll(async () => {
  // The executable runs the compiled program (built by npm test, or by the global setup).
  expect(fs.existsSync(path.join(root, 'dist/domain/inbound/ingest.js'))).toBe(true);
  data = await makeCommandData('conclave-inbound-cli-');
  dir = data.env.CONCLAVE_DATA;
  env = { ...data.env, BASE_URL, MAIL_RSVP_ADDRESS: RSVP, MAIL_REPLY_TO: COMMITTEE_ADDRESS, MAIL_FROM: 'Netconf committee <netconf@example.org>' };
  const h = await openDb(loadConfig(env));
  try {
    const deps = inboundDeps(h.db);
    deps.set(new Date().toISOString());
    const made = await invitedGuests(deps, 20, { answer_by: fromToday(30), start_date: fromToday(60), end_date: fromToday(62), cap: 15 });
    guests = made.guests;
    editionId = made.editionId;
  } finally {
    await h.close();
  }
}, 180_000);

afterAll(() => data?.drop());

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

describe('conclave mail ingest', () => {
  it('accepts, declines and takes a change of mind from standard input, answering each', async () => {
    const [a, b] = guests as [Guest, Guest];
    // The first as the MTA's pipe gives it to the executable.
    expect(await ingest(await reply(a.invitation, "Yes, I'll be there"), executable)).toMatchObject({ status: 'applied', action: 'accept' });
    expect(await ingest(await reply(b.invitation, 'No, sorry.'))).toMatchObject({ status: 'applied', action: 'decline' });
    expect(await stateOf(a.id)).toBe('accepted');
    expect(await stateOf(b.id)).toBe('declined');
    expect(await ingest(await reply(b.invitation, 'Count me in after all!'))).toMatchObject({ status: 'applied', action: 'accept' });
    expect(await ingest(await reply(a.invitation, "I can't make it, sorry"))).toMatchObject({ status: 'applied', action: 'decline' });
    expect(await stateOf(a.id)).toBe('declined');
    expect(await stateOf(b.id)).toBe('accepted');
    const answers = await look((db) => db.selectFrom('outbox').select(['to_address', 'in_reply_to', 'state']).where('kind', '=', 'inbound-rsvp').where('edition_id', '=', editionId).orderBy('id').execute());
    expect(answers.map((x) => x.to_address)).toEqual([a.email, b.email, b.email, a.email]);
    expect(answers.every((x) => x.in_reply_to?.startsWith('<reply-') && x.state === 'queued')).toBe(true);
  }, 240_000);

  it('sends unclear, forged and From-only mail to review, ignores auto-replies and duplicates, refuses garbage', async () => {
    const g = guests[2]!;
    const unclear = await ingest(await reply(g.invitation, 'Maybe, depends on travel budget'));
    expect(unclear.status).toBe('review');
    const auto = await ingest(await reply(g.invitation, 'Yes', { subject: 'Automatic reply: Invitation', headers: { 'Auto-Submitted': 'auto-replied' } }));
    expect(auto.status).toBe('ignored');
    // A stolen Message-ID with another From, sent to the committee's plain address (no token).
    const forged = await ingest(await reply(g.invitation, 'No', { from: 'mallory@evil.example', to: COMMITTEE_ADDRESS }));
    expect(forged.status).toBe('review');
    expect(forged.reason).toContain('comes from mallory@evil.example');
    const garbage = await ingest(Buffer.from('\x00\x01garbage that is not mail at all\n'));
    expect(garbage.status).toBe('refused');
    const once = await reply(g.invitation, 'Yes');
    const first = await ingest(once);
    const second = await ingest(once);
    expect(first).toMatchObject({ status: 'applied', action: 'accept' });
    expect(second).toMatchObject({ status: 'ignored', duplicateOf: first.id });
    expect(await stateOf(g.id)).toBe('accepted');
    // The committee sees each, with what it did, and decides on what waits.
    const list = await conclave(['mail', 'inbound', '--status', 'queue', '--json']);
    const queue = JSON.parse(list.stdout) as { id: number; status: string }[];
    expect(queue.map((m) => m.id)).toEqual(expect.arrayContaining([unclear.id, forged.id, garbage.id]));
    const text = await conclave(['mail', 'inbound']);
    expect(text.stdout).toMatch(/^ID\s+STATUS\s+RECEIVED \(UTC\)\s+FROM\s+SUBJECT\s+WHAT IT DID/m);
    // Times as every other list of the command writes them (mail list, audit).
    expect(text.stdout).toMatch(new RegExp(`^${unclear.id}\\s+\\S+( \\(\\w+\\))?\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s`, 'm'));
    expect(text.stdout).not.toMatch(/rsvp\+[a-z2-7]{52}/);
    const one = await conclave(['mail', 'inbound', String(unclear.id)]);
    expect(one.stdout).toContain('Maybe, depends on travel budget');
    expect(one.stdout).toMatch(/^#\d+ .*, received \d{4}-\d\d-\d\d \d\d:\d\d UTC by /);
    expect(one.stdout).toContain(`Invitations it may be about: ${g.id} `);
    const dismissed = await conclave(['mail', 'review', String(garbage.id), 'dismiss']);
    expect(dismissed.code).toBe(0);
    expect(dismissed.stdout).toContain(`#${garbage.id} dismissed`);
    const refused = await conclave(['mail', 'review', String(garbage.id), 'accept']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('only messages waiting for review');
    // The unclear message is older than the yes that came after it: deciding it would undo that
    // answer, and the way on is said as a command (the web links the invitation's row instead).
    const older = await conclave(['mail', 'review', String(unclear.id), 'decline']);
    expect(older.code).toBe(1);
    expect(older.stderr).toContain(`${g.email} answered later: #${first.id}, accept, applied `);
    expect(older.stderr).toContain(
      `This message, #${unclear.id}, arrived before that answer and would undo it: dismiss it; to change the answer, override the invitation's state (conclave invite override ${g.id} STATE --reason WHY)\n`,
    );
    expect(older.stderr).not.toContain('invitations page');
    expect(await stateOf(g.id)).toBe('accepted');
    // An answer the committee read from a later message counts from its decision, and is named.
    const later = await ingest(await reply(g.invitation, 'Let me check and get back to you'));
    expect(later.status).toBe('review');
    expect((await conclave(['mail', 'review', String(later.id), 'decline'])).code).toBe(0);
    expect(await stateOf(g.id)).toBe('declined');
    const undo = await conclave(['mail', 'review', String(unclear.id), 'accept']);
    expect(undo.code).toBe(1);
    expect(undo.stderr).toContain(`${g.email} answered later: #${later.id}, decline, applied `);
    expect(await stateOf(g.id)).toBe('declined');
  }, 240_000);

  it('reads every id of mail and invite send as bad usage when it is not one', async () => {
    const mail = 'a message id such as 12 (see conclave mail list)';
    const inbound = 'an inbound message id such as 12 (see conclave mail inbound)';
    const invitation = 'an invitation id such as 12 (see conclave invite list)';
    for (const [args, field, typed, what] of [
      [['mail', 'retry', 'x'], 'id', 'x', mail],
      [['mail', 'retry', '3', '0'], 'id', '0', mail],
      [['mail', 'inbound', 'abc'], 'id', 'abc', inbound],
      [['mail', 'inbound', '1.5', '--raw'], 'id', '1.5', inbound],
      [['mail', 'review', 'abc', 'accept'], 'id', 'abc', inbound],
      [['mail', 'review', '1', 'accept', '--invitation', 'x'], '--invitation', 'x', invitation],
      [['invite', 'send', '2100', 'abc'], 'id', 'abc', invitation],
    ] as const) {
      const r = await conclave([...args]);
      expect([r.code, r.stderr], args.join(' ')).toEqual([2, `conclave: ${field}: "${typed}" is not ${what}\n`]);
    }
  }, 240_000);

  it('turns a [TOPIC] reply from an accepted invitee into a proposal', async () => {
    const g = guests[1]!; // accepted above
    const r = await ingest(await reply(g.invitation, 'What page_pool should learn next.', { subject: '[TOPIC] Page pool, the next steps' }));
    expect(r).toMatchObject({ status: 'applied', action: 'topic' });
    const topics = await look((db) => db.selectFrom('topics').select(['title', 'abstract', 'state']).where('edition_id', '=', editionId).execute());
    expect(topics).toEqual([{ title: 'Page pool, the next steps', abstract: 'What page_pool should learn next.', state: 'proposed' }]);
  }, 240_000);

  it('takes in a 1,000-message mbox in one process', async () => {
    const kinds = ['yes', 'no', 'unclear', 'auto', 'cold'] as const;
    const parts: Buffer[] = [];
    for (let i = 0; i < 1000; i++) {
      const g = guests[5 + (i % 15)]!; // the guests 6..20, untouched so far; each gets one kind
      const kind = kinds[(5 + (i % 15)) % 5]!;
      const body = i === 10 ? 'From here on the body has a line that mbox escapes.' : '';
      let raw: Buffer;
      if (kind === 'yes') raw = await reply(g.invitation, `Yes, I'll be there\n\n${body}`);
      else if (kind === 'no') raw = await reply(g.invitation, 'No, sorry');
      else if (kind === 'unclear') raw = await reply(g.invitation, 'Let me check and get back to you');
      else if (kind === 'auto') raw = await reply(g.invitation, 'I am away', { headers: { 'Auto-Submitted': 'auto-replied' } });
      else raw = await compose({ from: g.email, to: COMMITTEE_ADDRESS, subject: 'A question', messageId: newId(), text: 'yes' });
      const escaped = raw.toString('latin1').replace(/\r\n/g, '\n').replace(/^(>*From )/gm, '>$1');
      parts.push(Buffer.from(`From ${g.email} Sat Nov 21 12:00:00 2026\n${escaped}\n`, 'latin1'));
    }
    const mbox = path.join(dir, 'batch.mbox');
    fs.writeFileSync(mbox, Buffer.concat(parts));
    const r = await conclave(['mail', 'ingest', '--mbox', mbox, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { total: number; counts: Record<string, number>; results: { id: number; status: string }[] };
    expect(out.total).toBe(1000);
    expect(out.counts).toEqual({ applied: 400, review: 400, ignored: 200 });
    const states = await look((db) => db.selectFrom('invitations').select(['id', 'state']).where('edition_id', '=', editionId).orderBy('id').execute());
    const byKind = (k: number) => states.filter((_, idx) => idx >= 5 && idx % 5 === k).map((s) => s.state);
    expect(new Set(byKind(0))).toEqual(new Set(['accepted']));
    expect(new Set(byKind(1))).toEqual(new Set(['declined']));
    expect(new Set([...byKind(2), ...byKind(3), ...byKind(4)])).toEqual(new Set(['invited']));
    const escapedLine = await look((db) => db.selectFrom('inbound_messages').select('text_body').where('id', '=', out.results[10]!.id).executeTakeFirstOrThrow());
    expect(escapedLine.text_body).toContain('\nFrom here on the body has a line that mbox escapes.');
  }, 300_000);

  it('takes in a maildir, new/ and cur/', async () => {
    const md = path.join(dir, 'Maildir');
    for (const d of ['new', 'cur', 'tmp']) fs.mkdirSync(path.join(md, d), { recursive: true });
    const g = guests[3]!;
    fs.writeFileSync(path.join(md, 'new', '1.host'), await reply(g.invitation, 'I will attend'));
    fs.writeFileSync(path.join(md, 'new', '2.host'), Buffer.from([0xff, 0xfe, 0x00, 0x41]));
    fs.writeFileSync(path.join(md, 'cur', '3.host:2,S'), await reply(g.invitation, 'no', { headers: { Precedence: 'junk' } }));
    fs.writeFileSync(path.join(md, 'tmp', '4.host'), await reply(g.invitation, 'no'));
    const r = await conclave(['mail', 'ingest', '--maildir', md]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^#\d+ applied \(accept\): /);
    expect(lines[1]).toMatch(/^#\d+ refused: malformed/);
    expect(lines[2]).toMatch(/^#\d+ ignored: an automatic message \(Precedence: junk\)/);
    expect(lines[3]).toBe('3 messages: 1 applied, 1 refused, 1 ignored');
    expect(await stateOf(g.id)).toBe('accepted');
  }, 240_000);
});

describe('conclave mail ingest while the database cannot be opened', () => {
  /** `mail ingest` of one message with DATABASE_URL set to `url`, in a directory of no data. */
  const ingestWith = (url: string) =>
    runConclave(['mail', 'ingest'], { DATABASE_URL: url, CONCLAVE_DATA: path.join(dir, 'unused') }, 'From: a@example.org\nSubject: Re: x\n\nyes\n');

  it('exits 75 when the server does not answer, so that the MTA keeps the mail and tries again', () => {
    // Port 9 on loopback: nothing listens there.
    const r = ingestWith('postgres://nobody@127.0.0.1:9/none');
    expect([r.code, r.stderr]).toEqual([75, 'conclave: DATABASE_URL: cannot connect to postgres://nobody@127.0.0.1:9/none: connect ECONNREFUSED 127.0.0.1:9\n']);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)('exits 1 for a database that does not exist, which trying again will not mend', () => {
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = '/conclave_no_such_database';
    const r = ingestWith(url.toString());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^conclave: DATABASE_URL: cannot connect to .*conclave_no_such_database: database "conclave_no_such_database" does not exist\n$/);
  });
});

describe('conclave serve --smtp-port', () => {
  it('takes a reply over SMTP and answers it into the local mailbox, threaded', async () => {
    const g = guests[4]!;
    const child = spawn(process.execPath, [bin, 'serve', '--smtp-port', '0', '--smtp-host', '127.0.0.1'], { cwd: root, env: cleanEnv({ ...env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn' }) });
    children.push(child);
    let out = '';
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 90_000);
      const onData = (d: Buffer) => {
        out += d.toString();
        const m = /inbound mail over SMTP on 127\.0\.0\.1:(\d+)/.exec(out);
        if (m && /conclave: open/.test(out)) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
    });
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    const raw = await reply(g.invitation, "Yes, I'll be there");
    const messageId = /^Message-ID: (<[^>]+>)/im.exec(raw.toString())![1]!;
    const sent = await transport.sendMail({ envelope: { from: g.email, to: [g.invitation.reply_to!.replace(/^.*<|>$/g, '')] }, raw });
    expect(sent.response).toMatch(/^250 .*recorded as #\d+/);
    // Mail for other domains is not taken.
    await expect(transport.sendMail({ envelope: { from: g.email, to: ['someone@elsewhere.example'] }, raw })).rejects.toThrow(/550/);
    transport.close();
    // The worker delivers the answer to the local mailbox within a poll or two.
    const mailbox = path.join(dir, 'mailbox');
    let found: string | undefined;
    for (let i = 0; i < 60 && !found; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const files = fs.existsSync(mailbox) ? fs.readdirSync(mailbox).filter((f) => f.endsWith('.eml')) : [];
      found = files.map((f) => fs.readFileSync(path.join(mailbox, f), 'utf8')).find((t) => t.includes(`In-Reply-To: ${messageId}`));
    }
    expect(found, out).toBeDefined();
    expect(found).toMatch(new RegExp(`^To: "?Guest 5"? <${g.email}>`, 'm'));
    expect(found).toMatch(/You are on the list of attendees/);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    expect(await stateOf(g.id)).toBe('accepted');
  }, 180_000);
});

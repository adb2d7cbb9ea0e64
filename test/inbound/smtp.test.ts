/**
 * The SMTP listener (domain/inbound/smtp-listener.ts) on both databases, with nodemailer as the
 * sending MTA: each case of issue 7 delivered over SMTP, the size limit answered 552 and kept,
 * recipients at other domains refused.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startInboundSmtp } from '../../src/cli/mail.js';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/connect.js';
import { listInbound } from '../../src/domain/inbound/review.js';
import { DEFAULT_PER_ADDRESS, startSmtpListener, type SmtpListener } from '../../src/domain/inbound/smtp-listener.js';
import { testDatabases } from '../support/db.js';
import { COMMITTEE_ADDRESS, inboundDeps, invitedGuests, mailOfKind, reply, stateOf, type Guest } from './fixtures.js';

const bare = (address: string) => address.replace(/^.*<|>$/g, '');

/** A raw connection to the listener on `port`, with the first line it answered (its greeting, or a refusal). */
async function connect(port: number): Promise<{ socket: net.Socket; first: string; closed: Promise<void> }> {
  const socket = net.connect(port, '127.0.0.1');
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const first = await new Promise<string>((resolve, reject) => {
    let got = '';
    socket.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      if (got.includes('\r\n')) resolve(got.slice(0, got.indexOf('\r\n')));
    });
    socket.once('error', reject);
    socket.once('close', () => resolve(got));
  });
  return { socket, first, closed };
}

describe.each(testDatabases())('the SMTP listener on $name', ({ open }) => {
  let handle: Db;
  let listener: SmtpListener;
  let deps: ReturnType<typeof inboundDeps>;
  let guests: Guest[];
  let send: (raw: Buffer, from: string, to: string) => Promise<string>;

  beforeAll(async () => {
    handle = await open();
    deps = inboundDeps(handle.db, { maxBytes: 100_000 });
    guests = (await invitedGuests(deps, 6)).guests;
    listener = await startSmtpListener(deps, { port: 0, host: '127.0.0.1', domains: ['netconf.example.org', 'example.org'] });
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true });
    send = async (raw, from, to) => (await transport.sendMail({ envelope: { from, to: [to] }, raw })).response;
  });
  afterAll(async () => {
    await listener?.close();
    await handle?.close();
  });

  it('accepts, declines and takes a change of mind, each answered in its thread', async () => {
    const [a, b] = guests as [Guest, Guest];
    expect(await send(await reply(a.invitation, 'Yes'), a.email, bare(a.invitation.reply_to!))).toMatch(/^250 .*recorded as #\d+/);
    expect(await send(await reply(b.invitation, 'I cannot attend'), b.email, bare(b.invitation.reply_to!))).toMatch(/^250 /);
    expect(await stateOf(handle.db, a.id)).toBe('accepted');
    expect(await stateOf(handle.db, b.id)).toBe('declined');
    await send(await reply(a.invitation, 'No, sorry'), a.email, bare(a.invitation.reply_to!));
    await send(await reply(b.invitation, 'Yes after all'), b.email, bare(b.invitation.reply_to!));
    expect(await stateOf(handle.db, a.id)).toBe('declined');
    expect(await stateOf(handle.db, b.id)).toBe('accepted');
    const answers = (await mailOfKind(handle.db, 'inbound-rsvp')).filter((m) => m.edition_id === a.invitation.edition_id);
    expect(answers).toHaveLength(4);
    const rows = await listInbound(deps, { limit: 4 });
    expect(rows.every((r) => r.via === 'smtp' && r.status === 'applied')).toBe(true);
  });

  it('reads the token from the envelope recipient even when the headers do not carry it', async () => {
    const g = guests[2]!;
    // A reply whose To is the committee's plain address; the MTA delivered it to the token address.
    const raw = await reply(g.invitation, 'Count me in', { to: COMMITTEE_ADDRESS, inReplyTo: undefined, references: undefined });
    await send(raw, g.email, bare(g.invitation.reply_to!));
    expect(await stateOf(handle.db, g.id)).toBe('accepted');
    const [last] = await listInbound(deps, { limit: 1 });
    expect(last).toMatchObject({ matched_by: 'token', status: 'applied' });
  });

  it('keeps unclear, forged and automatic mail from changing anything, and acts once on a duplicate', async () => {
    const g = guests[3]!;
    await send(await reply(g.invitation, 'Hmm, which week was it again?'), g.email, COMMITTEE_ADDRESS);
    await send(await reply(g.invitation, 'Yes', { from: 'mallory@evil.example', to: COMMITTEE_ADDRESS }), 'mallory@evil.example', COMMITTEE_ADDRESS);
    await send(await reply(g.invitation, 'No', { headers: { 'X-Autoreply': 'yes' } }), g.email, COMMITTEE_ADDRESS);
    expect(await stateOf(handle.db, g.id)).toBe('invited');
    const seen = await listInbound(deps, { limit: 3 });
    expect(seen.map((r) => r.status)).toEqual(['ignored', 'review', 'review']);
    // The invitee's unclear mail alone is acknowledged, in its thread; the forged and automatic ones are not.
    const acks = (await mailOfKind(handle.db, 'inbound-unclear')).filter((m) => m.edition_id === g.invitation.edition_id);
    expect(acks.map((m) => [m.to_address, m.in_reply_to])).toEqual([[g.email, seen[2]!.message_id]]);
    const raw = await reply(g.invitation, 'yes');
    await send(raw, g.email, COMMITTEE_ADDRESS);
    await send(raw, g.email, COMMITTEE_ADDRESS);
    const [dup, first] = await listInbound(deps, { limit: 2 });
    expect(first).toMatchObject({ status: 'applied', action: 'accept' });
    expect(dup).toMatchObject({ status: 'ignored', duplicate_of: first!.id });
  });

  it('ignores a bounce by its null envelope sender, whatever its headers say', async () => {
    const g = guests[4]!;
    await send(await reply(g.invitation, 'No'), '', COMMITTEE_ADDRESS);
    const [bounce] = await listInbound(deps, { limit: 1 });
    expect(bounce).toMatchObject({ status: 'ignored', auto_reply: 'a null envelope sender (MAIL FROM:<>)' });
    expect(await stateOf(handle.db, g.id)).toBe('invited');
  });

  it('makes a [TOPIC] proposal of an accepted invitee’s mail', async () => {
    const g = guests[2]!; // accepted above
    await send(await reply(g.invitation, 'Abstract here.', { subject: '[TOPIC] Netlink specs' }), g.email, bare(g.invitation.reply_to!));
    const [last] = await listInbound(deps, { limit: 1 });
    expect(last).toMatchObject({ status: 'applied', action: 'topic' });
    const t = await handle.db.selectFrom('topics').select(['title', 'abstract']).where('id', '=', last!.topic_id!).executeTakeFirstOrThrow();
    expect(t).toEqual({ title: 'Netlink specs', abstract: 'Abstract here.' });
  });

  it('refuses garbage, oversize mail (552, kept in part) and other domains (550)', async () => {
    await send(randomBytes(3000), 'x@example.com', COMMITTEE_ADDRESS);
    expect((await listInbound(deps, { limit: 1 }))[0]).toMatchObject({ status: 'refused' });
    const big = await reply(guests[4]!.invitation, `yes\n${'y'.repeat(150_000)}`);
    await expect(send(big, guests[4]!.email, COMMITTEE_ADDRESS)).rejects.toThrow(/552/);
    const [kept] = await listInbound(deps, { limit: 1 });
    expect(kept).toMatchObject({ status: 'refused', raw_truncated: true, size_bytes: expect.any(Number) });
    expect(kept!.reason).toContain('too large');
    expect(await stateOf(handle.db, guests[4]!.id)).toBe('invited');
    await expect(send(await reply(guests[5]!.invitation, 'yes'), guests[5]!.email, 'rsvp@elsewhere.example')).rejects.toThrow(/550/);
    expect(await stateOf(handle.db, guests[5]!.id)).toBe('invited');
  });

  it('takes so many connections at once from one address, answers the next 421, and takes one again once one closes', async () => {
    const lines: string[] = [];
    const limited = await startSmtpListener({ ...deps, log: (l) => lines.push(l) }, { port: 0, host: '127.0.0.1', perAddress: 2 });
    const sockets: net.Socket[] = [];
    try {
      const a = await connect(limited.port);
      const b = await connect(limited.port);
      sockets.push(a.socket, b.socket);
      expect([a.first, b.first]).toEqual([expect.stringMatching(/^220 /), expect.stringMatching(/^220 /)]);
      const c = await connect(limited.port);
      sockets.push(c.socket);
      expect(c.first).toBe('421 Too many connections from 127.0.0.1: at most 2 at once from one address; try again later');
      await c.closed;
      expect(lines).toEqual(['inbound smtp: refused a connection from 127.0.0.1: it has 2 open already, the most one address may have']);
      // One leaves (QUIT): its place is free again, and the refused one took none.
      a.socket.write('QUIT\r\n');
      await a.closed;
      const d = await connect(limited.port);
      sockets.push(d.socket);
      expect(d.first).toMatch(/^220 /);
      const e = await connect(limited.port);
      sockets.push(e.socket);
      expect(e.first).toMatch(/^421 Too many connections from 127\.0\.0\.1/);
      expect(lines).toHaveLength(2);
    } finally {
      for (const s of sockets) s.destroy();
      await limited.close();
    }
  });

  it('refuses the one too many as it connects, not after the wait for early talkers', async () => {
    const limited = await startSmtpListener({ ...deps, log: () => {} }, { port: 0, host: '127.0.0.1', perAddress: 2 });
    const sockets: net.Socket[] = [];
    /** A socket that talks at once: counted only after smtp-server's wait, it would be answered "You talk too soon". */
    const opened = (talk: boolean) => new Promise<{ first: Promise<string> }>((resolve, reject) => {
      const socket = net.connect(limited.port, '127.0.0.1');
      sockets.push(socket);
      const first = new Promise<string>((done) => {
        let got = '';
        socket.on('data', (d: Buffer) => {
          got += d.toString('latin1');
          if (got.includes('\r\n')) done(got.slice(0, got.indexOf('\r\n')));
        });
        socket.once('close', () => done(got));
      });
      socket.once('error', reject);
      socket.once('connect', () => {
        if (talk) socket.write('EHLO early.example\r\n');
        resolve({ first });
      });
    });
    try {
      // Two that say nothing yet, still in smtp-server's wait; the third talks before any greeting.
      const a = await opened(false);
      const b = await opened(false);
      const c = await opened(true);
      expect(await c.first).toBe('421 Too many connections from 127.0.0.1: at most 2 at once from one address; try again later');
      expect([await a.first, await b.first]).toEqual([expect.stringMatching(/^220 /), expect.stringMatching(/^220 /)]);
    } finally {
      for (const s of sockets) s.destroy();
      await limited.close();
    }
  });

  it('takes the limit per address from CONCLAVE_INBOUND_CONNECTIONS_PER_ADDRESS', async () => {
    expect(loadConfig({}).inboundPerAddress).toBe(DEFAULT_PER_ADDRESS);
    for (const [value, why] of [['0', 'must be at least 1'], ['2.5', 'must be a whole number of connections'], ['many', 'must be a whole number of connections'], ['101', 'must be at most 100, the connections the listener takes in all']]) {
      expect(() => loadConfig({ CONCLAVE_INBOUND_CONNECTIONS_PER_ADDRESS: value })).toThrow(`CONCLAVE_INBOUND_CONNECTIONS_PER_ADDRESS="${value}": ${why}`);
    }
    // As `conclave serve --smtp-port` starts it, refusals logged on standard error.
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => {});
    const stdout = vi.spyOn(console, 'log').mockImplementation(() => {});
    const config = loadConfig({ CONCLAVE_INBOUND_CONNECTIONS_PER_ADDRESS: '1', MAIL_REPLY_TO: 'committee@example.org' });
    const served = (await startInboundSmtp(handle, config, { smtpPort: '0', smtpHost: '127.0.0.1' }))!;
    const sockets: net.Socket[] = [];
    try {
      const first = await connect(served.port);
      sockets.push(first.socket);
      expect(first.first).toMatch(/^220 /);
      const second = await connect(served.port);
      sockets.push(second.socket);
      expect(second.first).toBe('421 Too many connections from 127.0.0.1: at most 1 at once from one address; try again later');
      expect(stderr.mock.calls.map((c) => String(c[0]))).toEqual(['conclave: inbound smtp: refused a connection from 127.0.0.1: it has 1 open already, the most one address may have']);
    } finally {
      for (const s of sockets) s.destroy();
      await served.close();
      stderr.mockRestore();
      stdout.mockRestore();
    }
  });
});

/**
 * `conclave mail send` says what it did not send, and why: invitee mail whose invitation was
 * revoked, or re-sent since (an invitation mail a worker died sending, then re-sent), is deleted
 * by the worker rather than sent with a dead link. And an invitation re-sent from the terminal
 * before any mail was sent reaches its invitee once, as a first invitation.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDb } from '../../src/db/connect.js';
import { addCandidate } from '../../src/domain/invitations/candidates.js';
import { resendInvitation, sendInvitations } from '../../src/domain/invitations/send.js';
import type { MailTransport } from '../../src/domain/mail/transport.js';
import { claimDue } from '../../src/domain/mail/worker.js';
import { runCommand } from '../support/cli-in-process.js';
import { commandData } from '../support/db.js';
import { COMMITTEE, guestEmail, guestName, makeDeps, makeEdition } from '../invitations/fixtures.js';
import { startSink } from './smtp-sink.js';

/**
 * The commands run in this process, on a database of the test's own (commandData): what they
 * check is what `mail send` does and says, not the executable (a Node process and the bundle's
 * loading each) or the embedded database (PGlite's start each).
 */
describe('conclave mail send', () => {
  it('says how many invitee mails it deleted instead of sending, and why', async () => {
    const env = await commandData('conclave-mail-send-');
    const handle = await openDb(loadConfig(env));
    try {
      const deps = makeDeps(handle.db, '2100-03-01T12:00:00Z');
      const editionId = await makeEdition(handle.db, { start_date: '2100-05-11', end_date: '2100-05-13', answer_by: '2100-04-10' });
      await addCandidate(deps, COMMITTEE, { editionId, name: guestName(1), email: guestEmail(1) });
      const [first] = (await sendInvitations(deps, COMMITTEE, { editionId, ids: 'all-candidates' })).invitations;
      // A worker claimed the first mail an hour ago and died sending it: the server may have it,
      // so the re-send leaves it alone and replaces it.
      const unused: MailTransport = { kind: 'mailbox', send: () => Promise.reject(new Error('not used')), close: () => {} };
      expect((await claimDue({ db: handle.db, transport: unused, clock: () => new Date(), workerId: 'dead:1' })).map((m) => m.id)).toEqual([first!.outboxId]);
      await handle.db.updateTable('outbox').set({ claimed_at: new Date(Date.now() - 3600_000) }).where('id', '=', first!.outboxId).execute();
      await resendInvitation(deps, COMMITTEE, { id: first!.id });
    } finally {
      await handle.close();
    }
    // Taken over after the lease, it is not sent again: its link has ended.
    const r = await runCommand(['mail', 'send'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('sent 1, deferred 0');
    expect(r.stdout).toContain(
      '1 message not sent, and deleted: the invitation each was about was revoked, is a candidate again, or was re-sent since (conclave audit --action mail.discard)',
    );
  });

  it('sends an invitation re-sent before its first mail went once, as a first invitation', async () => {
    const env = { ...(await commandData('conclave-mail-send-')), BASE_URL: 'https://netconf.example.org' };
    expect((await runCommand(['edition', 'create', '2095', '--series', 'Netconf', '--start', '2095-07-14', '--end', '2095-07-15', '--answer-by', '2095-06-01'], env)).code).toBe(0);
    expect((await runCommand(['invite', 'add', '2095', 'alice@example.org', '--name', 'Alice Kernel'], env)).code).toBe(0);
    const sent = await runCommand(['invite', 'send', '2095', '--json'], env);
    expect(sent.code, sent.stderr).toBe(0);
    const { id } = (JSON.parse(sent.stdout) as { invitations: { id: number }[] }).invitations[0]!;
    // No server has sent it yet when the committee re-sends it.
    const resent = await runCommand(['invite', 'resend', String(id), '--json'], env);
    expect(resent.code, resent.stderr).toBe(0);
    const again = (JSON.parse(resent.stdout) as { invitations: { messageId: string; link: string }[] }).invitations[0]!;
    const queued = JSON.parse((await runCommand(['mail', 'list', '--state', 'queued', '--json'], env)).stdout) as { message_id: string }[];
    expect(queued.map((m) => m.message_id)).toEqual([again.messageId]);

    const sink = await startSink();
    try {
      // Sent from here over SMTP, to the sink answering in this process.
      const out = await runCommand(['mail', 'send', '--json'], { ...env, SMTP_URL: sink.url });
      expect(out.code, out.stderr).toBe(0);
      expect(JSON.parse(out.stdout)).toMatchObject({ sent: 1, discarded: 0, failed: 0, queued: 0 });
      // Alice receives one mail: the invitation, not a replacement of one she never got.
      expect(sink.accepted.map((a) => a.rcptTo)).toEqual([['alice@example.org']]);
      const mail = sink.accepted[0]!.mail;
      expect(mail.messageId).toBe(again.messageId);
      expect(mail.inReplyTo).toBeUndefined();
      expect(mail.references).toBeUndefined();
      expect(mail.text).not.toMatch(/replaces/);
      expect(mail.text).toMatch(/^Hello Alice Kernel,\n/);
      expect(mail.text).toContain(again.link);
    } finally {
      await sink.close();
    }
  });
});

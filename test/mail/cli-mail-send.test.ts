/**
 * `conclave mail send` says what it did not send, and why: invitee mail whose invitation was
 * revoked, or re-sent since (an invitation mail a worker died sending, then re-sent), is deleted
 * by the worker rather than sent with a dead link. And an invitation re-sent from the terminal
 * before any mail was sent reaches its invitee once, as a first invitation.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/connect.js';
import { addCandidate } from '../../src/domain/invitations/candidates.js';
import { resendInvitation, sendInvitations } from '../../src/domain/invitations/send.js';
import type { MailTransport } from '../../src/domain/mail/transport.js';
import { claimDue } from '../../src/domain/mail/worker.js';
import { cleanEnv, conclaveBin, projectRoot, runConclave } from '../support/cli.js';
import { freshDataDir } from '../support/db.js';
import { COMMITTEE, guestEmail, guestName, makeDeps, makeEdition } from '../invitations/fixtures.js';
import { startSink } from './smtp-sink.js';

describe('conclave mail send', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('says how many invitee mails it deleted instead of sending, and why', async () => {
    const dir = freshDataDir('conclave-mail-send-');
    dirs.push(dir);
    const handle = await openDb({ dataDir: dir });
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
    const r = runConclave(['mail', 'send'], { CONCLAVE_DATA: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('sent 1, deferred 0');
    expect(r.stdout).toContain(
      '1 message not sent, and deleted: the invitation each was about was revoked, is a candidate again, or was re-sent since (conclave audit --action mail.discard)',
    );
  });

  it('sends an invitation re-sent before its first mail went once, as a first invitation', async () => {
    const dir = freshDataDir('conclave-mail-send-');
    dirs.push(dir);
    const env = { CONCLAVE_DATA: dir, BASE_URL: 'https://netconf.example.org' };
    expect(runConclave(['edition', 'create', '2095', '--series', 'Netconf', '--start', '2095-07-14', '--end', '2095-07-15', '--answer-by', '2095-06-01'], env).code).toBe(0);
    expect(runConclave(['invite', 'add', '2095', 'alice@example.org', '--name', 'Alice Kernel'], env).code).toBe(0);
    const sent = runConclave(['invite', 'send', '2095', '--json'], env);
    expect(sent.code, sent.stderr).toBe(0);
    const { id } = (JSON.parse(sent.stdout) as { invitations: { id: number }[] }).invitations[0]!;
    // No server has sent it yet when the committee re-sends it.
    const resent = runConclave(['invite', 'resend', String(id), '--json'], env);
    expect(resent.code, resent.stderr).toBe(0);
    const again = (JSON.parse(resent.stdout) as { invitations: { messageId: string; link: string }[] }).invitations[0]!;
    const queued = JSON.parse(runConclave(['mail', 'list', '--state', 'queued', '--json'], env).stdout) as { message_id: string }[];
    expect(queued.map((m) => m.message_id)).toEqual([again.messageId]);

    const sink = await startSink();
    try {
      // Sent from here over SMTP (run beside the sink, which answers in this process).
      const out = await promisify(execFile)(process.execPath, [conclaveBin, 'mail', 'send', '--json'], { cwd: projectRoot, env: cleanEnv({ ...env, SMTP_URL: sink.url }) });
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

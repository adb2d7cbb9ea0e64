import { randomBytes } from 'node:crypto';
import { Argument, Command, Option } from 'commander';
import { ConfigError, type Config } from '../config.js';
import { Conflict } from '../domain/errors.js';
import type { Db } from '../db/connect.js';
import { utcMinute } from '../domain/invitations/dates.js';
import type { InboundDeps } from '../domain/inbound/deps.js';
import { ingestMessage, ingestOversize, type IngestResult } from '../domain/inbound/ingest.js';
import { getInbound, INBOUND_FILTERS, listInbound, rawInbound, REVIEW_ACTIONS, reviewInbound, UndoesLaterChange, type InboundFilter } from '../domain/inbound/review.js';
import { splitAddress } from '../domain/inbound/reply-address.js';
import { startSmtpListener, type SmtpListener } from '../domain/inbound/smtp-listener.js';
import { readMaildir, readMbox, readMessage, type ReadMessage } from '../domain/inbound/sources.js';
import { countOutbox, getMessage, listOutbox, messageForCommittee, OUTBOX_STATES, queuedByDue, retryFailed, supersededText } from '../domain/mail/outbox.js';
import { serverTransport } from '../domain/mail/server-settings.js';
import type { OutboxState } from '../db/schema.js';
import { createTransport } from '../domain/mail/transport.js';
import { sendDueMail } from '../domain/mail/worker.js';
import { discardHeldBatch, discardSentence, releaseHeldBatch } from '../domain/invitations/send.js';
import { cliActor, commandMail, commandSiteName, idArgument, idValue, idValues, invitationDeps, mailSettings, output, table, withDb } from './context.js';
import { UsageError, wholeNumberOption, wholeNumberValue } from './usage-error.js';
import { count } from '../domain/count.js';

/** What inbound mail takes, from the configuration (errors and outcomes logged on stderr). */
function inboundDeps(handle: Db, config: Config, mail: InboundDeps['mail'], log?: (line: string) => void): InboundDeps {
  return {
    db: handle.db,
    clock: () => new Date(),
    mail,
    maxBytes: config.maxInboundBytes,
    ...(log ? { log } : {}),
  };
}

/**
 * `conclave serve --smtp-port N [--smtp-host H]`: the SMTP listener for inbound mail, taking
 * mail for the domains of MAIL_RSVP_ADDRESS and MAIL_REPLY_TO; null without --smtp-port.
 */
export async function startInboundSmtp(handle: Db, config: Config, opts: { smtpPort?: string | undefined; smtpHost?: string | undefined }): Promise<SmtpListener | null> {
  if (opts.smtpPort === undefined) return null;
  const port = wholeNumberOption(opts.smtpPort, '--smtp-port', 0, 65535);
  const host = opts.smtpHost ?? config.host;
  const domains = [...new Set([config.mailRsvpAddress, config.mailReplyTo].filter((a): a is string => !!a).map((a) => splitAddress(a).domain.toLowerCase()))];
  try {
    const listener = await startSmtpListener(inboundDeps(handle, config, mailSettings(config, await commandSiteName(handle, config)), (line) => console.error(`conclave: ${line}`)), { port, host, domains, perAddress: config.inboundPerAddress });
    console.log(`conclave: inbound mail over SMTP on ${host}:${listener.port}, for ${domains.join(', ')}`);
    return listener;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new ConfigError(`--smtp-port ${port}: the port is in use on ${host}`);
    if (code === 'EACCES') throw new ConfigError(`--smtp-port ${port}: not allowed to listen on it (ports below 1024 need privileges; let the MTA listen on 25 and relay to this port)`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new ConfigError(`--smtp-host ${host}: no such address on this machine`);
    throw err;
  }
}

const MESSAGE_ID = 'is not a message id such as 12 (see conclave mail list)';
const INBOUND_ID = 'is not an inbound message id such as 12 (see conclave mail inbound)';
const INVITATION_ID = 'is not an invitation id such as 12 (see conclave invite list)';

function ingestLine(r: IngestResult): string {
  return `#${r.id} ${r.status}${r.action ? ` (${r.action})` : ''}: ${r.reason}`;
}

/** `conclave mail ingest`, `mail inbound` and `mail review`: answers by mail (docs/inbound-mail.md). */
function inboundCommands(cmd: Command): void {
  cmd
    .command('ingest')
    .description('Take in mail: one message on standard input (for .forward, procmail or an MTA pipe), or an mbox or maildir.')
    .option('--mbox <file>', 'every message of an mbox file')
    .option('--maildir <dir>', 'every message of a maildir (new/ and cur/)')
    .option('--json', 'print as JSON')
    .action(async (opts: { mbox?: string; maildir?: string; json?: boolean }) => {
      // Bad usage, said before the database is opened.
      if (opts.mbox && opts.maildir) throw new UsageError('--mbox', 'give --mbox or --maildir, not both');
      return withDb(async (handle, config) => {
        const deps = inboundDeps(handle, config, await commandMail(handle, config));
        const take = (m: ReadMessage, via: 'stdin' | 'mbox' | 'maildir') =>
          m.oversize ? ingestOversize(deps, m.bytes, m.size, { via }) : ingestMessage(deps, m.bytes, { via });
        if (!opts.mbox && !opts.maildir) {
          const r = await take(await readMessage(process.stdin, config.maxInboundBytes), 'stdin');
          output(opts.json, r, () => [ingestLine(r)]);
          return;
        }
        const results: IngestResult[] = [];
        const source = opts.mbox ? readMbox(opts.mbox, config.maxInboundBytes) : readMaildir(opts.maildir!, config.maxInboundBytes);
        for await (const m of source) {
          const r = await take(m, opts.mbox ? 'mbox' : 'maildir');
          results.push(r);
          if (!opts.json) console.log(ingestLine(r));
        }
        const counts: Record<string, number> = {};
        for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
        const summary = Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ');
        output(opts.json, { total: results.length, counts, results }, () => [`${count(results.length, 'message')}: ${summary || 'none'}`]);
      });
    });
  cmd
    .command('inbound')
    .description('Inbound mail and what it did, newest first; with an id, one message and its text.')
    .argument('[id]', 'one message', idValue('id', INBOUND_ID))
    .addOption(new Option('--status <status>', 'only these (queue: review and refused)').choices(INBOUND_FILTERS))
    .option('--limit <n>', 'at most this many', wholeNumberValue('--limit', 1, 5000), 50)
    .option('--raw', 'with an id: print the message as it arrived, its tokens hidden')
    .option('--json', 'print as JSON')
    .action(async (id: string | undefined, opts: { status?: string; limit: string | number; raw?: boolean; json?: boolean }) => {
      // --raw prints the message as it arrived, --json what conclave made of it: one or the other.
      if (opts.raw && opts.json) throw new UsageError('--raw', 'give --raw or --json, not both');
      // --raw prints one message: without its id it is bad usage, before the database is opened.
      if (opts.raw && id === undefined) throw new UsageError('--raw', 'give the id of the message to print as it arrived (conclave mail inbound ID --raw)');
      return withDb(async ({ db }) => {
        if (id !== undefined) {
          const n = idArgument(id, 'id', INBOUND_ID);
          if (opts.raw) {
            process.stdout.write(await rawInbound({ db }, n));
            return;
          }
          const m = await getInbound({ db }, n);
          output(opts.json, m, () => [
            `#${m.id} ${m.status}${m.action ? ` (${m.action})` : ''}, received ${utcMinute(m.received_at)} UTC by ${m.via}`,
            `From: ${m.from_name ? `${m.from_name} <${m.from_address}>` : (m.from_address ?? '?')}`,
            `Subject: ${m.subject ?? ''}`,
            `Message-ID: ${m.message_id}`,
            `What it did: ${m.reason}`,
            ...(m.decided_by ? [`Decided by: ${m.decided_by}`] : []),
            ...(m.reviewable ? [`Invitations it may be about: ${m.choices.map((c) => `${c.id} ${c.name} <${c.email}> (${c.editionTitle}, ${c.state})`).join('; ') || 'none'}`] : []),
            '',
            m.text,
          ]);
          return;
        }
        const rows = await listInbound({ db }, { status: opts.status as InboundFilter | undefined, limit: wholeNumberOption(opts.limit, '--limit', 1, 5000) });
        output(opts.json, rows, () =>
          table([
            ['ID', 'STATUS', 'RECEIVED (UTC)', 'FROM', 'SUBJECT', 'WHAT IT DID'],
            ...rows.map((r) => [String(r.id), r.status + (r.action ? ` (${r.action})` : ''), utcMinute(r.received_at), r.from_address ?? '?', (r.subject ?? '').slice(0, 50), r.reason]),
          ]),
        );
      });
    });
  cmd
    .command('review')
    .description('Decide on a message waiting for review: accept, decline, propose (its topic) or dismiss.')
    .argument('<id>', 'the message', idValue('id', INBOUND_ID))
    .addArgument(new Argument('<action>', 'what to do with it').choices(REVIEW_ACTIONS))
    .option('--invitation <id>', 'the invitation it is about (default: the one it was matched to)', idValue('--invitation', INVITATION_ID))
    .option('--json', 'print as JSON')
    .action(async (id: string, action: string, opts: { invitation?: string; json?: boolean }) =>
      withDb(async (handle, config) => {
        const m = await reviewInbound(inboundDeps(handle, config, await commandMail(handle, config)), cliActor(), {
          id: idArgument(id, 'id', INBOUND_ID),
          action: action as never,
          ...(opts.invitation !== undefined ? { invitationId: idArgument(opts.invitation, '--invitation', INVITATION_ID) } : {}),
        }).catch((err: unknown) => {
          if (!(err instanceof UndoesLaterChange)) throw err;
          throw new Conflict(`${err.message.replace(/\.$/, '')} (conclave invite override ${err.invitation.id} STATE --reason WHY)`);
        });
        output(opts.json, m, () => [`#${m.id} ${m.status}${m.action ? ` (${m.action})` : ''}: ${m.reason}`]);
      }),
    );
}

/** When a message went, or, waiting, when it goes (a change notice waits ten minutes); else when it was written. */
function whenOf(r: { state: string; sent_at: Date | null; created_at: Date; next_attempt_at: Date }): string {
  if (r.sent_at) return utcMinute(r.sent_at);
  return r.state === 'queued' ? `due ${utcMinute(r.next_attempt_at)}` : utcMinute(r.created_at);
}

/** The queued mail as the server will send it: what is due within seconds, what later and when. */
function queuedSentence(q: { due: number; later: number; nextAt: Date | null }): string {
  const later = q.nextAt ? `due ${q.later > 1 ? 'from ' : ''}${utcMinute(q.nextAt)} UTC` : '';
  if (q.later === 0) return `${count(q.due, 'message')} queued, which the server sends within seconds while it runs`;
  if (q.due === 0) return `${count(q.later, 'message')} queued, ${later}, which the server sends when due while it runs`;
  return `${count(q.due + q.later, 'message')} queued: ${q.due} due now, which the server sends within seconds while it runs, and ${q.later} ${later}`;
}

export function mailCommand(): Command {
  const cmd = new Command('mail').description('The outbox: list, show, send and retry mail; inbound mail: ingest, list, review.');
  cmd
    .command('list')
    .description('List mail, newest first.')
    .addOption(new Option('--state <state>', 'only this state').choices(OUTBOX_STATES))
    .option('--batch <batch>', 'only this batch of drafts')
    .option('--limit <n>', 'at most this many', wholeNumberValue('--limit', 1, 5000), 50)
    .option('--json', 'print as JSON (with bodies)')
    .action(async (opts: { state?: string; batch?: string; limit: string | number; json?: boolean }) =>
      withDb(async ({ db }) => {
        const rows = await listOutbox({ db }, { ...(opts.state ? { state: opts.state as OutboxState } : {}), ...(opts.batch ? { batch: opts.batch } : {}), limit: wholeNumberOption(opts.limit, '--limit', 1, 5000), newestFirst: true });
        output(opts.json, rows, () =>
          table([
            ['ID', 'STATE', 'WHEN (UTC)', 'TO', 'SUBJECT', 'LAST ERROR'],
            ...rows.map((r) => [String(r.id), r.state === 'superseded' ? supersededText(r) : r.state + (r.batch && r.state === 'draft' ? ` (${r.batch})` : ''), whenOf(r), r.to_address, r.subject, r.state === 'sent' ? '' : (r.last_error ?? '')]),
          ]),
        );
      }),
    );
  cmd
    .command('show')
    .description('Show one message of the outbox: its headers, state (when queued mail is due) and body.')
    .argument('<id>', 'its id (see conclave mail list)', idValue('id', MESSAGE_ID))
    .option('--json', 'print as JSON')
    .action(async (id: string, opts: { json?: boolean }) =>
      withDb(async ({ db }) => {
        const m = await getMessage({ db }, idArgument(id, 'id', MESSAGE_ID));
        const shown = messageForCommittee(m);
        output(opts.json, { ...m, body: shown.body }, () => [...shown.headers.map(([k, v]) => `${k}: ${v}`), '', ...shown.body.replace(/\n$/, '').split('\n')]);
      }),
    );
  cmd
    .command('send')
    .description('Send queued mail now (and, with --batch, release a batch of drafts first).')
    .option('--batch <batch>', 'release this batch of drafts')
    .option('--json', 'print as JSON')
    .action(async (opts: { batch?: string; json?: boolean }) =>
      withDb(async (handle, config) => {
        const { db } = handle;
        const released = opts.batch ? (await releaseHeldBatch(await invitationDeps(handle, config), cliActor(), opts.batch)).released : 0;
        const server = await serverTransport(db);
        if (!config.smtpUrl && server?.kind === 'smtp') {
          // Sent from here it would land in this process's mailbox, unread: the server sends it.
          const { queued, draft: held } = await countOutbox({ db });
          const sentence = `not sent from here: the server on this database sends mail over SMTP (${server.where}), and this command has no SMTP_URL. ${queuedSentence(await queuedByDue({ db }, new Date()))} (conclave mail list --state queued); to send from here, set SMTP_URL as the server has it`;
          output(opts.json, { released, sent: 0, deferred: 0, failed: 0, discarded: 0, queued, held, leftToServer: server.where }, () => [
            ...(opts.batch ? [`released ${count(released, 'draft')} of ${opts.batch}`] : []),
            sentence,
            ...(held > 0 ? [`${count(held, 'draft')} held, not sent: read them with conclave mail list --state draft, send with --batch BATCH`] : []),
          ]);
          return;
        }
        // Without SMTP, mail goes where the server's goes: the mailbox its admin shows.
        const mailboxDir = server?.kind === 'mailbox' ? server.dir : config.mailboxDir;
        const transport = createTransport(config.smtpUrl ? { smtpUrl: config.smtpUrl } : { mailboxDir });
        let r;
        try {
          r = await sendDueMail({ db, transport, clock: () => new Date(), workerId: `cli-${process.pid}-${randomBytes(2).toString('hex')}` });
        } finally {
          await transport.close();
        }
        const { queued, ...done } = r;
        // Drafts are never sent by this alone: said, so that a held batch is not forgotten.
        const held = (await countOutbox({ db })).draft;
        output(opts.json, { released, ...done, queued, held }, () => [
          ...(opts.batch ? [`released ${count(released, 'draft')} of ${opts.batch}`] : []),
          `sent ${done.sent}, deferred ${done.deferred} (temporary errors, retried later), failed ${done.failed}`,
          ...(done.discarded > 0 ? [`${count(done.discarded, 'message')} not sent, and deleted: the invitation each was about was revoked, is a candidate again, or was re-sent since (conclave audit --action mail.discard)`] : []),
          ...(queued > 0 ? [`${queued} still queued, not due yet (conclave mail list --state queued)`] : []),
          ...(held > 0 ? [`${count(held, 'draft')} held, not sent: read them with conclave mail list --state draft, send with --batch BATCH`] : []),
        ]);
      }),
    );
  cmd
    .command('discard')
    .description('Discard a held batch of drafts: none of its mail is sent, and those it invited are candidates again.')
    .argument('<batch>')
    .option('--json', 'print as JSON')
    .action(async (batch: string, opts: { json?: boolean }) =>
      withDb(async (handle, config) => {
        const r = await discardHeldBatch(await invitationDeps(handle, config), cliActor(), batch);
        output(opts.json, r, () => [`${batch}: ${discardSentence(r)}`]);
      }),
    );
  cmd
    .command('retry')
    .description('Queue failed mail again.')
    .argument('[ids...]', 'outbox ids (default: every failed message)', idValues('id', MESSAGE_ID))
    .option('--json', 'print as JSON')
    .action(async (ids: string[], opts: { json?: boolean }) =>
      withDb(async ({ db }) => {
        const r = await retryFailed({ db }, ids.length ? ids.map((id) => idArgument(id, 'id', MESSAGE_ID)) : 'all', cliActor());
        output(opts.json, r, () => [`${count(r.retried, 'message')} queued again`]);
      }),
    );
  inboundCommands(cmd);
  return cmd;
}

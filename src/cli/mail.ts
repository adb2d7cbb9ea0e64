import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import { listOutbox, OUTBOX_STATES, releaseBatch, retryFailed } from '../domain/mail/outbox.js';
import type { OutboxState } from '../db/schema.js';
import { InvalidInput } from '../domain/errors.js';
import { createTransport } from '../domain/mail/transport.js';
import { runOutboxOnce } from '../domain/mail/worker.js';
import { cliActor, output, table, withDb } from './context.js';

export function mailCommand(): Command {
  const cmd = new Command('mail').description('The outbox: list, send and retry mail.');
  cmd
    .command('list')
    .description('List mail, newest first.')
    .option('--state <state>', `only this state (${OUTBOX_STATES.join(', ')})`)
    .option('--batch <batch>', 'only this batch of drafts')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print as JSON (with bodies)')
    .action(async (opts: { state?: string; batch?: string; limit: string; json?: boolean }) =>
      withDb(async ({ db }) => {
        if (opts.state && !OUTBOX_STATES.includes(opts.state as OutboxState)) throw new InvalidInput('--state', `must be one of ${OUTBOX_STATES.join(', ')}`);
        const rows = await listOutbox({ db }, { ...(opts.state ? { state: opts.state as OutboxState } : {}), ...(opts.batch ? { batch: opts.batch } : {}), limit: Number(opts.limit) });
        output(opts.json, rows, () =>
          table([
            ['ID', 'STATE', 'WHEN', 'TO', 'SUBJECT', 'LAST ERROR'],
            ...rows.map((r) => [String(r.id), r.state + (r.batch && r.state === 'draft' ? ` (${r.batch})` : ''), (r.sent_at ?? r.created_at).toISOString().slice(0, 16), r.to_address, r.subject, r.last_error ?? '']),
          ]),
        );
      }),
    );
  cmd
    .command('send')
    .description('Send queued mail now (and, with --batch, release a batch of drafts first).')
    .option('--batch <batch>', 'release this batch of drafts')
    .option('--json', 'print as JSON')
    .action(async (opts: { batch?: string; json?: boolean }) =>
      withDb(async ({ db }, config) => {
        const released = opts.batch ? (await releaseBatch({ db }, opts.batch, cliActor())).released : 0;
        const transport = createTransport(config.smtpUrl ? { smtpUrl: config.smtpUrl } : { mailboxDir: config.mailboxDir });
        const total = { claimed: 0, sent: 0, deferred: 0, failed: 0 };
        try {
          for (;;) {
            const r = await runOutboxOnce({ db, transport, clock: () => new Date(), workerId: `cli-${process.pid}-${randomBytes(2).toString('hex')}` });
            total.claimed += r.claimed;
            total.sent += r.sent;
            total.deferred += r.deferred;
            total.failed += r.failed;
            if (r.claimed === 0 || r.sent === 0) break;
          }
        } finally {
          await transport.close();
        }
        output(opts.json, { released, ...total }, () => [
          ...(opts.batch ? [`released ${released} drafts of ${opts.batch}`] : []),
          `sent ${total.sent}, deferred ${total.deferred} (temporary errors, retried later), failed ${total.failed}`,
        ]);
      }),
    );
  cmd
    .command('retry')
    .description('Queue failed mail again.')
    .argument('[ids...]', 'outbox ids (default: every failed message)')
    .option('--json', 'print as JSON')
    .action(async (ids: string[], opts: { json?: boolean }) =>
      withDb(async ({ db }) => {
        const r = await retryFailed({ db }, ids.length ? ids.map(Number) : 'all', cliActor());
        output(opts.json, r, () => [`${r.retried} messages queued again`]);
      }),
    );
  return cmd;
}

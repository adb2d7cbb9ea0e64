/**
 * The outbox worker: sends queued rows, several processes over one PostgreSQL.
 *
 * A round claims up to `batchSize` due rows in one short transaction (`for update skip locked`:
 * two workers never claim the same row, and neither waits for the other), marks them 'sending'
 * with its id and the time, and commits. Then it sends them one by one and records each outcome
 * in its own statement right after the server's answer: 'sent' on acceptance, back to 'queued'
 * with a back-off on a temporary failure, 'failed' on a permanent one or after MAX_ATTEMPTS.
 *
 * Just before each send the worker renews its claim on the row, in a transaction that also reads
 * the invitation an invitee mail is about: mail of an invitation revoked or set back to a
 * candidate since it was queued (while it was being sent, say, and the server deferred it), or
 * re-sent since (its link ended), is deleted there instead of sent, as the revoke deletes such
 * mail not claimed yet; so is mail of an invitation that expired while it waited (the server
 * stopped, or the SMTP server down, past the answer-by date): it asks for an answer no longer
 * taken.
 *
 * A worker that dies leaves its unfinished rows 'sending'. Once their claim is older than the
 * lease, another worker (or the same one restarted) takes them over. Rows recorded 'sent' are
 * never taken again, so a restart does not resend what the server has already accepted.
 *
 * The one window for a duplicate: the process dies (or loses the database) after the SMTP
 * server replied 250 to the message's data and before the 'sent' update commits, a few
 * milliseconds. The row is still 'sending' and is sent again after the lease. No ordering of our
 * writes can close this: "the server accepted it" and "we recorded it" are two systems, and
 * without a transaction spanning both, one of them happens first. Recording 'sent' before the
 * send would trade the duplicate for a lost message. Closing it needs the receiver's help: it
 * would have to recognise the Message-ID it already accepted (few servers do) or take part in
 * a two-phase handoff (SMTP has none). A per-send deadline aborted right after the server took
 * the data falls in the same window: the row is retried and the receiver sees the mail twice.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { recordAudit } from '../audit/record.js';
import { SIGNIN_MINUTES } from '../committee/signin.js';
import { SYSTEM } from '../invitations/deps.js';
import { INVITEE_MAIL_KEYS } from '../invitations/invitee-mail.js';
import { linksEnded, resentMailReason, unsentMailReason } from '../invitations/states.js';
import { withoutSecrets, type OutboxMessage } from './outbox.js';
import { SendFailed, type MailTransport } from './transport.js';

export interface WorkerDeps {
  db: Kysely<Database>;
  transport: MailTransport;
  clock: () => Date;
  /** Who claims rows (host:pid, say); kept in claimed_by for the admin and for debugging. */
  workerId: string;
  /** Rows claimed per round (default 10). */
  batchSize?: number;
  /** After this long a 'sending' claim is taken to be dead and taken over (default 5 minutes). */
  leaseMs?: number;
  /** A single send is given up after this long (default 2 minutes; must be well below leaseMs). */
  sendTimeoutMs?: number;
  /** Aborting stops the round at once: the send under way is dropped, its row left 'sending'. */
  signal?: AbortSignal;
  /** Aborting stops the round gently: the send under way finishes, the rest go back to the queue. */
  stopSignal?: AbortSignal;
  /** Claim only rows due by then (default: the clock's now); see sendDueMail. */
  dueBy?: Date;
  /** Told of each message deferred or failed, in a sentence (the server's log). */
  log?: (line: string) => void;
}

export interface RoundResult {
  claimed: number;
  sent: number;
  /** Temporary failures put back in the queue for later. */
  deferred: number;
  failed: number;
  /** Claimed rows not sent, and deleted: invitee mail whose invitation was revoked, re-sent or expired meanwhile. */
  discarded: number;
  /** Claimed rows left alone: taken over by another worker, or the round was aborted. */
  skipped: number;
}

/** Temporary failures a message may have; the last one marks it 'failed'. */
export const MAX_ATTEMPTS = 8;
/** Wait before attempt n+1 after n temporary failures: 1m, 5m, 15m, 1h, then 4h. */
export const BACKOFF_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000, 4 * 60 * 60_000] as const;
const DEFAULT_LEASE_MS = 5 * 60_000;
const DEFAULT_SEND_TIMEOUT_MS = 2 * 60_000;

/** The back-off after `attempts` failed attempts. */
export function backoffMs(attempts: number): number {
  return BACKOFF_MS[Math.min(Math.max(attempts, 1), BACKOFF_MS.length) - 1]!;
}

/**
 * Claims up to `batchSize` due rows for this worker: queued and due, or 'sending' under a claim
 * older than the lease (its worker died). One short transaction; PGlite runs it too, since it
 * only ever uses `trx`, never the outer db (which would wait for this transaction forever).
 */
export async function claimDue(deps: WorkerDeps): Promise<OutboxMessage[]> {
  const now = deps.clock();
  const staleBefore = new Date(now.getTime() - (deps.leaseMs ?? DEFAULT_LEASE_MS));
  return deps.db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('outbox')
      .select(['id', 'state', 'claimed_by', 'claimed_at', 'attempts'])
      .where((eb) =>
        eb.or([
          eb.and([eb('state', '=', 'queued'), eb('next_attempt_at', '<=', deps.dueBy ?? now)]),
          eb.and([eb('state', '=', 'sending'), eb('claimed_at', '<', staleBefore)]),
        ]),
      )
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(deps.batchSize ?? 10)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length === 0) return [];
    const stale = due.filter((r) => r.state === 'sending');
    const givenUp = new Set<number>();
    for (const r of stale) {
      // Say why a row is sent again; it may or may not have reached the server before. The
      // interrupted send counts as an attempt: a message that kills its worker each time (or
      // hangs it past the lease) would otherwise be taken over and tried for ever.
      const attempts = r.attempts + 1;
      const why = `interrupted: ${r.claimed_by} claimed it at ${r.claimed_at?.toISOString()} and did not finish`;
      const fail = attempts >= MAX_ATTEMPTS;
      if (fail) givenUp.add(r.id);
      await trx
        .updateTable('outbox')
        .set(
          fail
            ? { state: 'failed', attempts, claimed_by: null, claimed_at: null, next_attempt_at: now, last_error: `${why}; failed after ${attempts} attempts; not tried again (conclave mail retry ${r.id})` }
            : { attempts, last_error: why },
        )
        .where('id', '=', r.id)
        .execute();
    }
    const ids = due.map((r) => r.id).filter((id) => !givenUp.has(id));
    if (ids.length === 0) return [];
    return trx
      .updateTable('outbox')
      .set({ state: 'sending', claimed_by: deps.workerId, claimed_at: now })
      .where('id', 'in', ids)
      .returningAll()
      .execute()
      .then((rows) => rows.sort((a, b) => a.id - b.id));
  });
}

/**
 * Renews this worker's claim on a row just before sending it, so the lease counts from the send
 * rather than from the claim of the whole batch: 'ours', or 'lost' when the row is no longer ours
 * (another worker took it over), and then it must not be sent.
 *
 * Or the reason it is not to be sent at all: an invitee mail (invitation, reminder, "you are in")
 * whose invitation was revoked or set back to a candidate since it was queued (while it was being
 * sent, say, which the revoke leaves alone), or re-sent since (a re-send takes back or supersedes
 * such mail not sent yet, but not mail being sent: the invitation mail it replaced, which the
 * server then deferred, say), or that expired while the mail waited. Sent now, or on a retry
 * after the server deferred it, it would bring the invitee a link that no longer works. It is deleted in the same transaction and
 * audited as the revoke's own discards are (mail.discard, by `system`). The invitation is read
 * under a share lock, before the row is touched (the order of a revoke: invitation, then its
 * mail): a revoke under way is waited for, and one that comes after finds the row 'sending'.
 */
async function renewClaim(deps: WorkerDeps, row: OutboxMessage): Promise<'ours' | 'lost' | { discarded: string }> {
  return deps.db.transaction().execute(async (trx) => {
    if (row.invitation_id !== null && (INVITEE_MAIL_KEYS as readonly string[]).includes(row.kind)) {
      // With the invitation's latest invitation mail: one queued after this row means a re-send since.
      const inv = await trx
        .selectFrom('invitations')
        .leftJoin('outbox as latest', 'latest.message_id', 'invitations.invitation_message_id')
        .select(['invitations.id', 'invitations.state', 'latest.id as latestId'])
        .where('invitations.id', '=', row.invitation_id)
        // Only the invitation is locked (the outer join's other side cannot be).
        .modifyEnd(sql`for share of invitations`)
        .executeTakeFirst();
      const why = !inv ? null : linksEnded(inv.state) || inv.state === 'expired' ? unsentMailReason(inv) : inv.latestId !== null && inv.latestId > row.id ? resentMailReason(inv.id) : null;
      if (why !== null) {
        const gone = await trx
          .deleteFrom('outbox')
          .where('id', '=', row.id)
          .where('state', '=', 'sending')
          .where('claimed_by', '=', deps.workerId)
          .returning(['id', 'state', 'kind', 'to_address', 'subject', 'attempts', 'last_error'])
          .executeTakeFirst();
        if (!gone) return 'lost';
        await recordAudit(trx, SYSTEM, { action: 'mail.discard', entity: 'outbox', entityId: row.id, editionId: row.edition_id, before: { ...gone, subject: withoutSecrets(gone.subject) }, reason: why });
        return { discarded: why };
      }
    }
    const renewed = await trx
      .updateTable('outbox')
      .set({ claimed_at: deps.clock() })
      .where('id', '=', row.id)
      .where('state', '=', 'sending')
      .where('claimed_by', '=', deps.workerId)
      .returning('id')
      .executeTakeFirst();
    return renewed ? 'ours' : 'lost';
  });
}

/** Puts claimed rows not yet tried back in the queue, as they were; returns how many. */
async function unclaim(deps: WorkerDeps, ids: number[]): Promise<number> {
  await deps.db
    .updateTable('outbox')
    .set({ state: 'queued', claimed_by: null, claimed_at: null })
    .where('id', 'in', ids)
    .where('state', '=', 'sending')
    .where('claimed_by', '=', deps.workerId)
    .execute();
  return ids.length;
}

/** Records the outcome of one send, in its own statement, only while the row is still ours. */
async function record(
  deps: WorkerDeps,
  row: OutboxMessage,
  outcome: { response: string } | SendFailed,
  sentAt: Date,
): Promise<'sent' | 'deferred' | 'failed'> {
  const now = deps.clock();
  const update = () => deps.db.updateTable('outbox');
  const mine = (q: ReturnType<typeof update>) => q.where('id', '=', row.id).where('state', '=', 'sending');
  if (!(outcome instanceof SendFailed)) {
    // Recorded even if another worker took the row over meanwhile: the server has it. What it
    // has is the only copy of the personal link from now on (withoutSecrets).
    const kept = { subject: withoutSecrets(row.subject), body: withoutSecrets(row.body), reply_to: row.reply_to === null ? null : withoutSecrets(row.reply_to) };
    await mine(update().set({ state: 'sent', sent_at: sentAt, smtp_response: outcome.response, transport: deps.transport.kind, ...kept })).execute();
    return 'sent';
  }
  const attempts = row.attempts + 1;
  const fail = !outcome.temporary || attempts >= MAX_ATTEMPTS;
  await mine(
    update().set({
      state: fail ? 'failed' : 'queued',
      attempts,
      last_error: outcome.message,
      next_attempt_at: fail ? now : new Date(now.getTime() + backoffMs(attempts)),
      claimed_by: null,
      claimed_at: null,
    }),
  )
    .where('claimed_by', '=', deps.workerId)
    .execute();
  return fail ? 'failed' : 'deferred';
}

/**
 * Why a message is no longer worth sending, as a permanent failure; or null. A sign-in mail
 * deferred (the mail server down a while) until its link has expired would bring a dead link,
 * as if the site were broken: the person asks for a new one instead.
 */
function staleness(row: OutboxMessage, now: Date): SendFailed | null {
  if (row.kind !== 'signin' || now.getTime() - row.created_at.getTime() < SIGNIN_MINUTES * 60_000) return null;
  return new SendFailed(`not sent: the sign-in link it carries expired ${SIGNIN_MINUTES} minutes after it was asked for; a new one is asked for at /signin`, false);
}

/** What the server's log says of a message not sent: why, and what happens to it next. */
function failureLine(row: OutboxMessage, outcome: SendFailed, done: 'deferred' | 'failed'): string {
  const attempts = row.attempts + 1;
  const what = `mail #${row.id} to ${row.to_address}`;
  if (done === 'failed') return `${what} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${outcome.message}; not tried again (conclave mail retry ${row.id})`;
  const wait = backoffMs(attempts) / 60_000;
  return `${what} deferred (attempt ${attempts} of ${MAX_ATTEMPTS}): ${outcome.message}; tried again in ${wait >= 60 ? `${wait / 60} h` : `${wait} min`}`;
}

/**
 * One round: claim due rows, send each, record each right after the server's answer. Returns
 * what happened; the worker loop calls it again at once while rounds come back full.
 */
export async function runOutboxOnce(deps: WorkerDeps): Promise<RoundResult> {
  const result: RoundResult = { claimed: 0, sent: 0, deferred: 0, failed: 0, discarded: 0, skipped: 0 };
  if (deps.signal?.aborted) return result;
  const rows = await claimDue(deps);
  result.claimed = rows.length;
  for (const [i, row] of rows.entries()) {
    if (deps.signal?.aborted) {
      result.skipped += rows.length - i;
      break;
    }
    if (deps.stopSignal?.aborted) {
      result.skipped += await unclaim(deps, rows.slice(i).map((r) => r.id));
      break;
    }
    const claim = await renewClaim(deps, row);
    if (claim === 'lost') {
      result.skipped++;
      continue;
    }
    if (claim !== 'ours') {
      result.discarded++;
      deps.log?.(`mail #${row.id} to ${row.to_address} not sent: ${claim.discarded}`);
      continue;
    }
    const deadline = AbortSignal.timeout(deps.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS);
    const signal = deps.signal ? AbortSignal.any([deps.signal, deadline]) : deadline;
    // One moment for the Date header, the mailbox file's name and sent_at.
    const date = deps.clock();
    let outcome: { response: string } | SendFailed;
    const stale = staleness(row, date);
    try {
      outcome = stale ?? (await deps.transport.send(row, { date, signal }));
    } catch (err) {
      outcome = err instanceof SendFailed ? err : new SendFailed(err instanceof Error ? err.message : String(err), true);
    }
    if (outcome instanceof SendFailed && deps.signal?.aborted) {
      // Stopped on purpose, as if killed: leave the row 'sending' for the lease to recover.
      result.skipped++;
      continue;
    }
    const done = await record(deps, row, outcome, date);
    result[done]++;
    if (outcome instanceof SendFailed && done !== 'sent') deps.log?.(failureLine(row, outcome, done));
  }
  return result;
}

export interface SendResult {
  claimed: number;
  sent: number;
  deferred: number;
  failed: number;
  /** Not sent, and deleted: invitee mail whose invitation was revoked, re-sent or expired meanwhile (RoundResult). */
  discarded: number;
  /** What is left in the queue afterwards: deferred, due later, or taken by another worker. */
  queued: number;
}

/**
 * Sends what is due now, round after round, until a round finds nothing more (`conclave mail
 * send`). A round whose mail all failed or was deferred is no reason to stop: there may be due
 * mail behind it. Nor does it go round for ever: only rows due when it started are claimed, and
 * a failed row is not queued, a deferred one queued for after its back-off, so neither is taken
 * again in the same run.
 */
export async function sendDueMail(deps: Omit<WorkerDeps, 'dueBy' | 'signal' | 'stopSignal'>): Promise<SendResult> {
  const total: SendResult = { claimed: 0, sent: 0, deferred: 0, failed: 0, discarded: 0, queued: 0 };
  const dueBy = deps.clock();
  for (;;) {
    const r = await runOutboxOnce({ ...deps, dueBy });
    if (r.claimed === 0) break;
    total.claimed += r.claimed;
    total.sent += r.sent;
    total.deferred += r.deferred;
    total.failed += r.failed;
    total.discarded += r.discarded;
  }
  const { n } = await deps.db.selectFrom('outbox').select((eb) => eb.fn.countAll<string>().as('n')).where('state', '=', 'queued').executeTakeFirstOrThrow();
  total.queued = Number(n);
  return total;
}

export interface OutboxWorker {
  /** Stops after the send under way (or, with abort, drops it unrecorded); resolves when idle. */
  stop(opts?: { abort?: boolean }): Promise<void>;
  /** Starts a round now instead of at the next poll (after enqueueing, say). */
  wake(): void;
}

/**
 * Runs rounds until stopped: at once while rounds come back full, else every `pollMs`. A round
 * that fails (database gone) is reported to `onError` and tried again at the next poll.
 */
export function startOutboxWorker(
  deps: Omit<WorkerDeps, 'signal' | 'stopSignal'> & { pollMs?: number; onError?: (err: unknown) => void },
): OutboxWorker {
  const abort = new AbortController();
  const gentle = new AbortController();
  let stopping = false;
  let wakeUp: (() => void) | undefined;
  const onError = deps.onError ?? ((err: unknown) => console.error('conclave: outbox worker:', err));
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });

  const loop = (async () => {
    while (!stopping) {
      let full = false;
      try {
        const r = await runOutboxOnce({ ...deps, signal: abort.signal, stopSignal: gentle.signal });
        full = r.claimed > 0 && r.claimed >= (deps.batchSize ?? 10);
      } catch (err) {
        if (!stopping) onError(err);
      }
      if (!full && !stopping) await pause(deps.pollMs ?? 5_000);
    }
  })();

  return {
    async stop(opts = {}) {
      stopping = true;
      gentle.abort();
      if (opts.abort) abort.abort(new Error('outbox worker stopped'));
      wakeUp?.();
      await loop;
    },
    wake: () => wakeUp?.(),
  };
}

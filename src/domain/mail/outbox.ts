/**
 * The outbox: every message is a row before it is sent, so that sending can be retried, held for
 * the committee to read, and looked at afterwards. Rows are written here; worker.ts sends them.
 *
 * States: draft (held in a named batch) → queued → sending → sent | failed; failed → queued on
 * retry; queued or failed → superseded, never sent, when a later mail went in its place (a
 * re-sent invitation, invitations/send.ts). Each transition below checks the state it starts from.
 * An invitee mail not sent yet is deleted instead, once its invitation is revoked or a candidate
 * again: by that change (invitations/committee-actions.ts), or by the worker before it sends it.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import { recordAudit, type Actor } from '../audit/record.js';
import type { Database, MailTransportKind, OutboxState, OutboxTable } from '../../db/schema.js';
import { Conflict, InvalidInput, NotFound } from '../errors.js';
import { parseInput } from '../validate.js';
import { utcMinute } from '../invitations/dates.js';
import { COMMITTEE_NOTICE_KEYS } from './template-keys.js';

export type OutboxMessage = Selectable<OutboxTable>;
type Deps = { db: Kysely<Database> };

/** Every state, in the order a message goes through them (for filters and counts). */
export const OUTBOX_STATES = ['draft', 'queued', 'sending', 'sent', 'failed', 'superseded'] as const satisfies readonly OutboxState[];

const address = z.string().trim().min(3).max(320).refine((s) => !/[\r\n]/.test(s), 'must be a single line');
/**
 * The longest subject a message may have: RFC 5322's limit for a line. Template mail is cut to it
 * (templates.ts), since a value such as an inbound mail's own subject has no limit of its own.
 */
export const MAX_MAIL_SUBJECT = 998;

const line = (max: number) => z.string().trim().max(max).refine((s) => !/[\r\n]/.test(s), 'must be a single line');

/** What enqueueMail takes: one rendered message, its addresses and how it is sent. */
export const EnqueueInput = z.object({
  editionId: z.number().int().positive().nullable().default(null),
  /** The invitation an invitee mail is about: a re-send supersedes its mail not sent yet. */
  invitationId: z.number().int().positive().nullable().default(null),
  /** What the message is for: 'invitation', 'reminder', 'signin' … (free text, for filtering). */
  kind: z.string().trim().min(1).max(64),
  /** BASE_URL: its host is the right-hand side of the Message-ID. */
  baseUrl: z.url(),
  to: z.object({ address: address.refine((s) => s.includes('@'), 'must be an address'), name: line(200).nullish() }),
  /** The From header as given, "Name <address>" or a bare address. */
  from: address,
  replyTo: address.nullish(),
  subject: line(MAX_MAIL_SUBJECT).min(1),
  body: z.string().min(1),
  /** Thread under a parent: its outbox id, or its Message-ID ("<…>") when it was not sent by us. */
  threadUnder: z.union([z.number().int().positive(), z.string().regex(/^<[^<>\s]+>$/, 'must be a Message-ID such as <id@host>')]).nullish(),
  /** With a Message-ID parent: the parent's own References, so that ours carries the whole chain. */
  parentReferences: z.array(z.string().regex(/^<[^<>\s]+>$/)).max(100).optional(),
  /** Hold the message as a draft in this batch (requires `batch`) until releaseBatch. */
  hold: z.boolean().default(false),
  batch: line(120).min(1).nullish(),
  /** First moment it may be sent (default: now). */
  notBefore: z.date().optional(),
});
export type EnqueueInput = z.input<typeof EnqueueInput>;

export interface OutboxFilter {
  state?: OutboxState | OutboxState[];
  batch?: string;
  editionId?: number;
  kind?: string;
  transport?: MailTransportKind;
  limit?: number;
  offset?: number;
  /**
   * Newest first by when sent, else written (the lists' When column, so that the limit keeps the
   * recent mail), ties by id; else oldest first, in the order written.
   */
  newestFirst?: boolean;
}


/**
 * A new Message-ID, `<random@domain>`: unique without coordination between processes. Its domain
 * is the From address's (MAIL_FROM: the domain the mail is sent from, as mail programs and spam
 * filters expect), else the host of BASE_URL.
 */
export function newMessageId(baseUrl: string, from?: string): string {
  return `<${Date.now().toString(36)}.${randomBytes(12).toString('hex')}@${messageIdDomain(baseUrl, from)}>`;
}

/** The right-hand side of our Message-IDs: the From address's domain, else BASE_URL's host. */
function messageIdDomain(baseUrl: string, from?: string): string {
  const domain = from ? /@([A-Za-z0-9.-]+\.[A-Za-z0-9-]+)>?\s*$/.exec(from)?.[1]?.toLowerCase() : undefined;
  return domain ?? (new URL(baseUrl).hostname || 'localhost');
}

/**
 * The Message-ID of a thread about one thing (`local` names it: "topic-12.…"), the same every
 * time it is asked: every mail about the thing gives it as In-Reply-To and References, so that
 * they read as one thread whether or not a first mail of that id was ever sent (none is: it
 * stands for the thing itself, as a mail program shows a missing parent). Its domain is
 * newMessageId's.
 */
export function threadRootId(baseUrl: string, from: string, local: string): string {
  if (!/^[A-Za-z0-9.-]+$/.test(local)) throw new InvalidInput('local', 'must be letters, digits, dots and hyphens');
  return `<conclave.${local}@${messageIdDomain(baseUrl, from)}>`;
}

/**
 * Writes one message into the outbox, inside the caller's transaction (the caller's write and
 * its mail commit together or not at all). With `threadUnder` the message answers its parent:
 * In-Reply-To is the parent's Message-ID and References the parent's chain plus it.
 */
export async function enqueueMail(trx: Kysely<Database>, input: EnqueueInput): Promise<OutboxMessage> {
  const m = parseInput(EnqueueInput, input);
  if (m.hold && !m.batch) throw new InvalidInput('batch', 'a held message needs a batch name');
  let inReplyTo: string | null = null;
  let references: string | null = null;
  if (typeof m.threadUnder === 'number') {
    const parent = await trx
      .selectFrom('outbox')
      .select(['message_id', 'references_ids'])
      .where('id', '=', m.threadUnder)
      .executeTakeFirst();
    if (!parent) throw new NotFound(`outbox message ${m.threadUnder} not found (threadUnder)`);
    inReplyTo = parent.message_id;
    references = [parent.references_ids, parent.message_id].filter(Boolean).join(' ');
  } else if (typeof m.threadUnder === 'string') {
    // RFC 5322 3.6.4: the parent's References (else its In-Reply-To) followed by its Message-ID.
    // A parent of ours (the invitation a decision or schedule notice answers) gives its own chain,
    // so that the thread keeps its root however many re-sends came between.
    inReplyTo = m.threadUnder;
    let chain = m.parentReferences;
    if (chain === undefined) {
      const parent = await trx.selectFrom('outbox').select('references_ids').where('message_id', '=', m.threadUnder).executeTakeFirst();
      const ids = parent?.references_ids?.split(/\s+/).filter(Boolean) ?? [];
      // At most 50 (parentReferences takes 100): the root, which RFC 5322 says to keep, and the latest.
      chain = ids.length <= 50 ? ids : [ids[0]!, ...ids.slice(-49)];
    }
    references = [...new Set([...chain, m.threadUnder])].join(' ');
  }
  return trx
    .insertInto('outbox')
    .values({
      edition_id: m.editionId,
      invitation_id: m.invitationId,
      kind: m.kind,
      batch: m.batch ?? null,
      to_address: m.to.address,
      to_name: m.to.name || null,
      from_address: m.from,
      reply_to: m.replyTo || null,
      subject: m.subject,
      body: m.body.replace(/\r\n?/g, '\n'),
      message_id: newMessageId(m.baseUrl, m.from),
      in_reply_to: inReplyTo,
      references_ids: references,
      state: m.hold ? 'draft' : 'queued',
      // This process's clock, as the workers' (ms); the database's now() has microseconds
      // and would make a row enqueued in the same millisecond not yet due.
      next_attempt_at: m.notBefore ?? new Date(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Outbox rows matching a filter, oldest first unless asked newest first: the drafts of a batch
 * to read, what was sent, what failed. The local mailbox is `{ transport: 'mailbox', state: 'sent' }`.
 * Rows as the committee reads them: a secret in a subject hidden (shownSubject).
 */
export async function listOutbox(deps: Deps, filter: OutboxFilter = {}): Promise<OutboxMessage[]> {
  let q = deps.db.selectFrom('outbox').selectAll();
  if (filter.state !== undefined) q = q.where('state', 'in', Array.isArray(filter.state) ? filter.state : [filter.state]);
  if (filter.batch !== undefined) q = q.where('batch', '=', filter.batch);
  if (filter.editionId !== undefined) q = q.where('edition_id', '=', filter.editionId);
  if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
  if (filter.transport !== undefined) q = q.where('transport', '=', filter.transport);
  // Newest first by what the lists show as "When": sent, else written (a re-send queued early
  // but not yet sent goes by when it was written), ties by id.
  const ordered = filter.newestFirst ? q.orderBy((eb) => eb.fn.coalesce('sent_at', 'created_at'), 'desc').orderBy('id', 'desc') : q.orderBy('id', 'asc');
  const rows = await ordered
    .limit(Math.min(Math.max(filter.limit ?? 500, 1), 5000))
    .offset(Math.max(filter.offset ?? 0, 0))
    .execute();
  return rows.map(shownSubject);
}

/**
 * A row with a secret in its subject hidden, whatever its state: a subject is listed to every
 * member (/admin/mail, `conclave mail list`), so a link in it (a template saved before a secret
 * was refused there, templates.ts) must not be readable by any but its owner, who has the mail.
 */
function shownSubject(m: OutboxMessage): OutboxMessage {
  return { ...m, subject: withoutSecrets(m.subject) };
}

/** How many rows are in each state (for the admin's outbox summary), optionally for one edition. */
export async function countOutbox(deps: Deps, filter: { editionId?: number; batch?: string } = {}): Promise<Record<OutboxState, number>> {
  let q = deps.db.selectFrom('outbox').select((eb) => ['state', eb.fn.countAll<number>().as('n')]).groupBy('state');
  if (filter.editionId !== undefined) q = q.where('edition_id', '=', filter.editionId);
  if (filter.batch !== undefined) q = q.where('batch', '=', filter.batch);
  const out = Object.fromEntries(OUTBOX_STATES.map((s) => [s, 0])) as Record<OutboxState, number>;
  for (const r of await q.execute()) out[r.state] = Number(r.n);
  return out;
}

/**
 * The queued mail by when it is due at `now`: how many are due (a worker sends them within seconds),
 * how many later (a change notice that waits for more changes, a retry after a failure), and when
 * the first of those is due.
 */
export async function queuedByDue(deps: Deps, now: Date): Promise<{ due: number; later: number; nextAt: Date | null }> {
  const rows = await deps.db
    .selectFrom('outbox')
    .where('state', '=', 'queued')
    .select((eb) => [
      eb.fn.countAll<number>().filterWhere('next_attempt_at', '<=', now).as('due'),
      eb.fn.countAll<number>().filterWhere('next_attempt_at', '>', now).as('later'),
      eb.fn.min<Date | null>('next_attempt_at').filterWhere('next_attempt_at', '>', now).as('next'),
    ])
    .executeTakeFirstOrThrow();
  return { due: Number(rows.due), later: Number(rows.later), nextAt: rows.next === null ? null : new Date(rows.next) };
}

/** One message with its state and last error, its subject as listOutbox shows it; NotFound when there is none with that id. */
export async function getMessage(deps: Deps, id: number): Promise<OutboxMessage> {
  const row = await deps.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFound(`outbox message ${id} not found`);
  return shownSubject(row);
}

/**
 * The text of a sent message as it is kept: the secret of every personal link (an invitation's,
 * a reminder's, a sign-in link) and of every answer address (rsvp+TOKEN@) left out. The database
 * keeps only a hash of each token, so that a copy of it (a backup, an export) opens nobody's
 * page; once the mail has gone, the recipient's copy is the only one. Queued and held mail keep
 * the secret until they are sent: they must still be sendable.
 */
export function withoutSecrets(text: string): string {
  return text
    .replace(/\/invitation\/[A-Za-z0-9_-]{43}/g, '/invitation/[hidden: sent to the invitee only]')
    .replace(/\/signin\/[A-Za-z0-9_-]{20,100}/g, '/signin/[hidden: a one-time link for its owner only]')
    .replace(/\+[a-z2-7]{52}@/gi, '+[hidden]@');
}

/**
 * A message as the committee reads it (the admin's message page, `conclave mail show`): its
 * headers, with when queued mail is due, and its body, a sign-in link hidden (it is its owner's
 * alone: another member must not be able to use it), and every secret of sent mail (kept without
 * them, see withoutSecrets; a row sent before they were left out shows them hidden all the same).
 */
export function messageForCommittee(m: OutboxMessage): { headers: [string, string][]; body: string } {
  const state =
    m.state === 'queued'
      ? `queued, due ${utcMinute(m.next_attempt_at)} UTC${m.attempts ? ` (attempt ${m.attempts + 1})` : ''}`
      : m.state === 'superseded'
        ? supersededText(m)
        : `${m.state}${m.batch && m.state === 'draft' ? ` in batch ${m.batch}` : ''}${m.transport ? ` via ${m.transport}` : ''}${m.sent_at ? ` at ${utcMinute(m.sent_at)} UTC` : ''}`;
  // Every header the delivered mail has (or will have), in the order it has them (transport.ts).
  const headers: [string, string | null][] = [
    ['Auto-Submitted', autoSubmitted(m.kind)],
    ['From', m.from_address],
    ['To', m.to_name ? `${m.to_name} <${m.to_address}>` : m.to_address],
    ['Reply-To', m.reply_to && (m.state === 'sent' ? withoutSecrets(m.reply_to) : m.reply_to)],
    ['In-Reply-To', m.in_reply_to],
    // What a reply written by hand needs to stay in the thread.
    ['References', m.references_ids],
    ['Subject', withoutSecrets(m.subject)],
    ['Message-ID', m.message_id],
    ['Date', m.sent_at ? `${utcMinute(m.sent_at)} UTC` : 'when it is sent'],
    ['State', state],
    ['Last error', m.state === 'sent' ? null : m.last_error],
  ];
  return {
    headers: headers.filter((h): h is [string, string] => !!h[1]),
    body: m.state === 'sent' || m.state === 'superseded' || m.kind === 'signin' ? withoutSecrets(m.body) : m.body,
  };
}

/**
 * The Auto-Submitted header of a kind of mail (RFC 3834), or null for none: every notice conclave
 * writes to the committee on its own (COMMITTEE_NOTICE_KEYS: mail to read, a speaker who left, a
 * topic revised) is generated, an answer to the sender of inbound mail a reply; the committee's
 * own mail to people (invitations, decisions, schedule notices) is personal mail and has none.
 */
export function autoSubmitted(kind: string): 'auto-generated' | 'auto-replied' | null {
  if ((COMMITTEE_NOTICE_KEYS as readonly string[]).includes(kind)) return 'auto-generated';
  return kind.startsWith('inbound-') ? 'auto-replied' : null;
}

/** A superseded row's state in words (the outbox lists, `conclave mail list` and `show`). */
export function supersededText(m: Pick<OutboxMessage, 'superseded_by'>): string {
  return `superseded, not sent: ${m.superseded_by ? `message ${m.superseded_by} went in its place` : 'a later mail went in its place'}`;
}

/**
 * Supersedes messages not sent yet (queued, or failed) in the caller's transaction: they will
 * never be sent, because `by` (an outbox id) carries what they carried. Their secrets are left
 * out as a sent row's are (the links they carried have ended). A message being sent right now
 * is left alone: the server may have it already. Audited as mail.supersede, with `why`.
 */
export async function supersedeMail(
  trx: Kysely<Database>,
  actor: Actor,
  rows: Pick<OutboxMessage, 'id' | 'edition_id' | 'kind' | 'to_address' | 'subject' | 'state' | 'last_error' | 'body' | 'reply_to'>[],
  by: number,
  why: string,
): Promise<number[]> {
  const done: number[] = [];
  for (const r of rows) {
    const row = await trx
      .updateTable('outbox')
      .set({ state: 'superseded', superseded_by: by, subject: withoutSecrets(r.subject), body: withoutSecrets(r.body), reply_to: r.reply_to === null ? null : withoutSecrets(r.reply_to) })
      .where('id', '=', r.id)
      .where('state', 'in', ['queued', 'failed'])
      .returning('id')
      .executeTakeFirst();
    if (!row) continue;
    done.push(row.id);
    await recordAudit(trx, actor, {
      action: 'mail.supersede',
      entity: 'outbox',
      entityId: r.id,
      editionId: r.edition_id,
      before: { id: r.id, state: r.state, kind: r.kind, to_address: r.to_address, subject: withoutSecrets(r.subject), last_error: r.last_error },
      after: { state: 'superseded', superseded_by: by },
      reason: why,
    });
  }
  return done;
}

/**
 * Sends a held batch: its drafts become queued, due now. Returns how many; NotFound when the
 * batch holds no drafts (unknown name, or released already).
 */
export async function releaseBatch(deps: Deps, batch: string, actor?: Actor): Promise<{ released: number }> {
  return deps.db.transaction().execute((trx) => releaseDrafts(trx, batch, actor));
}

/** releaseBatch in the caller's transaction. */
export async function releaseDrafts(trx: Kysely<Database>, batch: string, actor?: Actor): Promise<{ released: number }> {
  const rows = await trx
    .updateTable('outbox')
    .set({ state: 'queued', next_attempt_at: new Date() })
    .where('batch', '=', batch)
    .where('state', '=', 'draft')
    .returning('id')
    .execute();
  if (rows.length === 0) throw new NotFound(`batch "${batch}" holds no drafts`);
  if (actor) await recordAudit(trx, actor, { action: 'mail.release', entity: 'outbox-batch', entityId: batch, after: { ids: rows.map((r) => r.id) } });
  return { released: rows.length };
}

/**
 * Throws a held batch away: its drafts are deleted, nothing else in the batch is touched. What
 * the drafts were written for is the caller's to undo (invitations/send.ts discardHeldBatch).
 */
export async function discardBatch(deps: Deps, batch: string, actor?: Actor): Promise<{ discarded: number }> {
  return deps.db.transaction().execute((trx) => discardDrafts(trx, batch, actor));
}

/** The drafts of a held batch, locked; NotFound when it holds none. */
export async function lockDrafts(trx: Kysely<Database>, batch: string): Promise<Pick<OutboxMessage, 'id' | 'edition_id' | 'kind' | 'message_id'>[]> {
  const rows = await trx.selectFrom('outbox').select(['id', 'edition_id', 'kind', 'message_id']).where('batch', '=', batch).where('state', '=', 'draft').orderBy('id').forUpdate().execute();
  if (rows.length === 0) throw new NotFound(`batch "${batch}" holds no drafts`);
  return rows;
}

/** discardBatch in the caller's transaction. */
export async function discardDrafts(trx: Kysely<Database>, batch: string, actor?: Actor): Promise<{ discarded: number }> {
  const rows = await trx.deleteFrom('outbox').where('batch', '=', batch).where('state', '=', 'draft').returning(['id', 'to_address', 'subject']).execute();
  if (rows.length === 0) throw new NotFound(`batch "${batch}" holds no drafts`);
  if (actor) await recordAudit(trx, actor, { action: 'mail.discard', entity: 'outbox-batch', entityId: batch, before: rows.map((r) => ({ ...r, subject: withoutSecrets(r.subject) })) });
  return { discarded: rows.length };
}

/**
 * Puts failed messages back in the queue, due now, with a fresh count of attempts; the last
 * error stays visible until a send succeeds. Given ids, all must exist and be failed (Conflict
 * names the others) and nothing changes otherwise; 'all' retries every failed message.
 */
export async function retryFailed(deps: Deps, ids: number[] | 'all', actor?: Actor): Promise<{ retried: number }> {
  return deps.db.transaction().execute(async (trx) => {
    let q = trx.updateTable('outbox').set({ state: 'queued', attempts: 0, next_attempt_at: new Date() }).where('state', '=', 'failed');
    if (ids !== 'all') {
      if (ids.length === 0) return { retried: 0 };
      const rows = await trx.selectFrom('outbox').select(['id', 'state']).where('id', 'in', ids).forUpdate().execute();
      const missing = ids.filter((id) => !rows.some((r) => r.id === id));
      if (missing.length) throw new NotFound(`outbox message ${missing.join(', ')} not found`);
      const other = rows.filter((r) => r.state !== 'failed');
      if (other.length) throw new Conflict(`not failed, so not retried: ${other.map((r) => `${r.id} (${r.state})`).join(', ')}`);
      q = q.where('id', 'in', ids);
    }
    const done = await q.returning('id').execute();
    if (actor && done.length) await recordAudit(trx, actor, { action: 'mail.retry', entity: 'outbox', entityId: ids === 'all' ? 'all' : ids.join(','), after: { ids: done.map((r) => r.id) } });
    return { retried: done.length };
  });
}

/**
 * The committee's view of inbound mail: every message with what it did, and the review queue
 * (status review or refused) where a person decides what a message meant — accept, decline or
 * propose its topic for an invitation they choose, or dismiss it. Each decision is one
 * transaction, audited, and answered to the invitee as an automatic match would be.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database, InboundStatus } from '../../db/schema.js';
import { recordAudit, type Actor } from '../audit/record.js';
import { Conflict, InvalidInput, NotFound } from '../errors.js';
import { parseInput, recordId } from '../validate.js';
import { answerInvitation, proposeByMail, replyToInvitee, rsvpNextStep, topicReplyValues } from './act.js';
import type { InboundDeps, InboundRow } from './deps.js';
import { withoutSecrets } from '../mail/outbox.js';
import { utcMinute } from '../invitations/dates.js';
import { invitationNotFound, type InvitationRow } from '../invitations/deps.js';
import type { Trx } from './deps.js';

export const INBOUND_STATUSES = ['applied', 'review', 'ignored', 'refused', 'dismissed'] as const satisfies readonly InboundStatus[];
/** The filters of the list: a status, or the review queue (review and refused). */
export const INBOUND_FILTERS = ['queue', ...INBOUND_STATUSES] as const;
export type InboundFilter = (typeof INBOUND_FILTERS)[number];
export const REVIEW_ACTIONS = ['accept', 'decline', 'propose', 'dismiss'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

/** A message as the lists show it: without its raw bytes, tokens hidden. */
export type InboundSummary = Omit<InboundRow, 'raw' | 'text_body'>;

export interface InvitationChoice {
  id: number;
  email: string;
  name: string;
  state: string;
  editionTitle: string;
}

export interface InboundDetail extends InboundSummary {
  /** The decoded text, tokens hidden. */
  text: string;
  /** The invitations a decision may apply to: the matched one and those of the From address. */
  choices: InvitationChoice[];
  /** It waits for the committee. */
  reviewable: boolean;
}

const SUMMARY_COLUMNS = [
  'id', 'received_at', 'via', 'message_id', 'duplicate_of', 'status', 'action', 'reason', 'from_address', 'from_name', 'subject', 'sent_at',
  'in_reply_to', 'references_ids', 'auto_reply', 'size_bytes', 'raw_truncated', 'matched_by', 'invitation_id', 'edition_id', 'topic_id',
  'reply_outbox_id', 'decided_by', 'decided_at',
] as const;

/** A record as shown: a secret in its reason or its subject (a reply to mail whose subject carried a link, kept before subjects were hidden) hidden. */
function hide<T extends { reason: string; subject: string | null }>(row: T): T {
  return { ...row, reason: withoutSecrets(row.reason), subject: row.subject === null ? null : withoutSecrets(row.subject) };
}

/** Messages, newest first; `filter` 'queue' is what waits for the committee. */
export async function listInbound(deps: { db: Kysely<Database> }, filter: { status?: InboundFilter | undefined; limit?: number; offset?: number } = {}): Promise<InboundSummary[]> {
  let q = deps.db.selectFrom('inbound_messages').select(SUMMARY_COLUMNS);
  if (filter.status === 'queue') q = q.where('status', 'in', ['review', 'refused']);
  else if (filter.status) q = q.where('status', '=', filter.status);
  const rows = await q
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(filter.limit ?? 100, 1), 5000))
    .offset(Math.max(filter.offset ?? 0, 0))
    .execute();
  return rows.map(hide);
}

/** How many messages are in each status, and in the queue. */
export async function countInbound(deps: { db: Kysely<Database> }): Promise<Record<InboundFilter, number>> {
  const rows = await deps.db.selectFrom('inbound_messages').select((eb) => ['status', eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  const out = Object.fromEntries(INBOUND_FILTERS.map((s) => [s, 0])) as Record<InboundFilter, number>;
  for (const r of rows) out[r.status] = Number(r.n);
  out.queue = out.review + out.refused;
  return out;
}

/** One message with its text and the invitations a decision may apply to. */
export async function getInbound(deps: { db: Kysely<Database> }, id: number): Promise<InboundDetail> {
  const row = await deps.db
    .selectFrom('inbound_messages')
    .select([...SUMMARY_COLUMNS, 'text_body'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new NotFound(`inbound message ${id} not found`);
  const { text_body, ...summary } = row;
  let q = deps.db
    .selectFrom('invitations')
    .innerJoin('people', 'people.id', 'invitations.person_id')
    .innerJoin('editions', 'editions.id', 'invitations.edition_id')
    .select(['invitations.id', 'invitations.email', 'people.name', 'invitations.state', 'editions.title as editionTitle'])
    .where('invitations.state', '<>', 'candidate');
  q = q.where((eb) =>
    eb.or([
      eb('invitations.id', '=', row.invitation_id ?? -1),
      eb(eb.fn('lower', ['invitations.email']), '=', (row.from_address ?? '').toLowerCase()),
    ]),
  );
  const choices = await q.orderBy('invitations.id', 'desc').limit(20).execute();
  return { ...hide(summary), text: withoutSecrets(text_body ?? ''), choices, reviewable: row.status === 'review' || row.status === 'refused' };
}

/** The raw message as it arrived (for `conclave mail inbound ID --raw`), its secrets hidden. */
export async function rawInbound(deps: { db: Kysely<Database> }, id: number): Promise<Buffer> {
  const row = await deps.db.selectFrom('inbound_messages').select('raw').where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFound(`inbound message ${id} not found`);
  return row.raw ? Buffer.from(row.raw) : Buffer.alloc(0);
}

export const ReviewInput = z.object({
  id: recordId,
  action: z.enum(REVIEW_ACTIONS, { error: `must be one of: ${REVIEW_ACTIONS.join(', ')}` }),
  /** The invitation it applies to (default: the one it was matched or linked to). */
  invitationId: z.preprocess((v) => (v === '' ? undefined : v), recordId.optional()),
});
export type ReviewInput = z.input<typeof ReviewInput>;

/**
 * Why an answer read from message `row` may not be applied to `inv`: the invitee answered after
 * that message arrived (by mail, matched or decided by the committee, or on their page), and
 * the older message would undo the newer answer. Null when nothing was answered since. The
 * message keeps waiting (to be read, dismissed); the state is the committee's override to change.
 */
async function answeredSince(trx: Trx, inv: InvitationRow, row: { id: number; received_at: Date }): Promise<string | null> {
  if (!inv.answered_at || inv.answered_at <= row.received_at) return null;
  const mail = await trx
    .selectFrom('inbound_messages')
    .select(['id', 'action', (eb) => eb.fn.coalesce('decided_at', 'received_at').as('applied_at')])
    .where('invitation_id', '=', inv.id)
    .where('status', '=', 'applied')
    .where('action', 'in', ['accept', 'decline', 'withdraw'])
    .where('id', '<>', row.id)
    .orderBy('applied_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  const by =
    mail && new Date(mail.applied_at) >= inv.answered_at
      ? `#${mail.id}, ${mail.action}, applied ${utcMinute(new Date(mail.applied_at))} UTC`
      : `on their page, at ${utcMinute(inv.answered_at)} UTC (now ${inv.state})`;
  return (
    `${inv.email} answered later: ${by}. This message, #${row.id}, arrived before that answer and would undo it: ` +
    `dismiss it; to change the answer, override the invitation's state.`
  );
}

/**
 * An answer read from a message refused because it would undo a later change of the invitation's
 * state (answeredSince, changedByCommitteeSince). How to override the state is said by each
 * interface in its own words (the CLI's command, the web's invitations row): the message here is
 * the fact and the way on in words of neither.
 */
export class UndoesLaterChange extends Conflict {
  override name = 'UndoesLaterChange';
  constructor(
    message: string,
    readonly invitation: { id: number; series: string; year: number },
  ) {
    super(message);
  }
}

/** The invitation and where the committee finds it: its edition's series and year. */
async function invitationPlace(trx: Trx, inv: InvitationRow) {
  const e = await trx
    .selectFrom('editions')
    .innerJoin('series', 'series.id', 'editions.series_id')
    .select(['series.slug', 'editions.year'])
    .where('editions.id', '=', inv.edition_id)
    .executeTakeFirstOrThrow();
  return { id: inv.id, series: e.slug, year: e.year };
}

/** The committee's own changes of an invitation's state, which an older message must not undo. */
const COMMITTEE_CHANGES = ['invitation.override', 'invitation.revoke'];

/**
 * Why an answer read from message `row` may not be applied to `inv`: the committee set the
 * invitation's state (an override, a revoke) after that message arrived, and deciding the older
 * message would silently undo the committee's own later change. Null when the latest change of
 * state is older than the message, or not the committee's (an answer: answeredSince).
 */
async function changedByCommitteeSince(trx: Trx, inv: InvitationRow, row: { id: number; received_at: Date }): Promise<string | null> {
  if (inv.state_since <= row.received_at) return null;
  // The latest entry that changed the state is the change made at state_since.
  const entries = await trx
    .selectFrom('audit_log')
    .select(['action', 'actor', 'reason', 'before', 'after'])
    .where('entity', '=', 'invitation')
    .where('entity_id', '=', String(inv.id))
    .orderBy('id', 'desc')
    .limit(50)
    .execute();
  const stateOf = (v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as { state?: unknown }) : (v as { state?: unknown } | null))?.state;
  const last = entries.find((e) => stateOf(e.before) !== stateOf(e.after));
  if (!last || !COMMITTEE_CHANGES.includes(last.action)) return null;
  const what = last.action === 'invitation.revoke' ? 'revoked it' : `set it to ${inv.state} by an override`;
  return (
    `the committee changed invitation #${inv.id} (${inv.email}) later: ${last.actor} ${what} at ${utcMinute(inv.state_since)} UTC` +
    `${last.reason ? ` (reason: ${last.reason})` : ''}. This message, #${row.id}, arrived before that, at ${utcMinute(row.received_at)} UTC, and would undo it: ` +
    `dismiss it; to change the state anyway, override it again.`
  );
}

/**
 * The committee decides on a message waiting for review: accept, decline or propose its topic
 * for an invitation (the invitee is answered in the thread), or dismiss it. Conflict when the
 * message does not wait (any more), or when the invitee answered or the committee changed the
 * invitation's state after it arrived (an older message must not undo a newer answer, nor the
 * committee's own later override or revoke); the rules' refusals come back as they are.
 */
export async function reviewInbound(deps: InboundDeps, actor: Actor, input: ReviewInput): Promise<InboundDetail> {
  const r = parseInput(ReviewInput, input);
  await deps.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('inbound_messages').selectAll().where('id', '=', r.id).forUpdate().executeTakeFirst();
    if (!row) throw new NotFound(`inbound message ${r.id} not found`);
    if (row.status !== 'review' && row.status !== 'refused') throw new Conflict(`inbound message ${r.id} is ${row.status}: only messages waiting for review can be decided on`);
    const now = deps.clock();
    const before = { status: row.status, action: row.action, invitationId: row.invitation_id };
    if (r.action === 'dismiss') {
      await trx.updateTable('inbound_messages').set({ status: 'dismissed', decided_by: actor.label, decided_at: now }).where('id', '=', row.id).execute();
      await recordAudit(trx, actor, { action: 'inbound.dismiss', entity: 'inbound', entityId: row.id, editionId: row.edition_id, before, after: { status: 'dismissed' } });
      return;
    }
    const invitationId = r.invitationId ?? row.invitation_id;
    if (!invitationId) throw new InvalidInput('invitationId', 'choose the invitation this message is about');
    const inv = await trx.selectFrom('invitations').selectAll().where('id', '=', invitationId).executeTakeFirst();
    if (!inv) throw invitationNotFound(invitationId);
    // Threaded as an automatic answer is: under the message, with the chain it carried.
    const chain = row.references_ids ? row.references_ids.split(/\s+/).filter(Boolean) : row.in_reply_to ? [row.in_reply_to] : [];
    const reply = { inv, subject: row.subject ?? '', messageId: row.message_id, references: chain, token: null };
    let set;
    if (r.action === 'propose') {
      // Sent again put right, as its refusal asked, and proposed by that: not a second time. The
      // later mail's References name this one, or our refusal of it, which it answers.
      const refusalId = row.reply_outbox_id
        ? (await trx.selectFrom('outbox').select('message_id').where('id', '=', row.reply_outbox_id).executeTakeFirst())?.message_id
        : undefined;
      const like = (id: string) => `%${id.replace(/[\\%_]/g, '\\$&')}%`;
      const later = await trx
        .selectFrom('inbound_messages')
        .innerJoin('topics', 'topics.id', 'inbound_messages.topic_id')
        .select(['inbound_messages.id', 'topics.number', 'topics.title'])
        .where('inbound_messages.invitation_id', '=', inv.id)
        .where('inbound_messages.id', '>', row.id)
        .where((eb) => eb.or([row.message_id, ...(refusalId ? [refusalId] : [])].map((id) => eb('inbound_messages.references_ids', 'like', like(id)))))
        .executeTakeFirst();
      if (later) throw new Conflict(`mail #${later.id}, later in its thread, proposed it already as topic #${later.number} “${later.title}”: dismiss this one`);
      // The committee is never stuck: lines the form refuses are left out, and said (to the sender too).
      const { topic: t, leftOut } = await proposeByMail(trx, deps, inv, null, actor, { subject: row.subject ?? '', text: row.text_body ?? '' }, { lenient: true });
      const sent = await replyToInvitee(trx, deps, reply, 'inbound-topic', topicReplyValues(t, leftOut));
      const without = leftOut.length ? ` (left out: ${leftOut.join('; ')})` : '';
      set = { action: 'topic' as const, topic_id: t.id, reply_outbox_id: sent.id, reason: `${actor.label} proposed it as topic #${t.number} “${t.title}” for ${inv.email}${without}` };
    } else {
      const later = (await changedByCommitteeSince(trx, inv, row)) ?? (await answeredSince(trx, inv, row));
      if (later) throw new UndoesLaterChange(later, await invitationPlace(trx, inv));
      // Answered at the decision's instant (decided_at), as ingest answers at the message's.
      const done = await answerInvitation(trx, { ...deps, clock: () => now }, inv, null, r.action, actor, { messageId: row.message_id, references: chain });
      const sent = await replyToInvitee(trx, deps, reply, 'inbound-rsvp', { answer: r.action === 'accept' ? 'yes' : 'no', status: done.sentence, next_step: rsvpNextStep(done.action) });
      set = { action: done.action, reply_outbox_id: sent.id, reason: `${actor.label} read it as ${r.action === 'accept' ? 'yes' : 'no'} for ${inv.email}; now ${done.view.state}` };
    }
    await trx
      .updateTable('inbound_messages')
      .set({ ...set, status: 'applied', invitation_id: inv.id, edition_id: inv.edition_id, decided_by: actor.label, decided_at: now })
      .where('id', '=', row.id)
      .execute();
    await recordAudit(trx, actor, { action: 'inbound.apply', entity: 'inbound', entityId: row.id, editionId: inv.edition_id, before, after: { status: 'applied', action: set.action, invitationId: inv.id } });
  });
  return getInbound(deps, r.id);
}

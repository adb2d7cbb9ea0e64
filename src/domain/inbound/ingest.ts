/**
 * Taking in one message: recorded, matched, acted on and answered in one transaction, with a
 * status and a reason the committee reads on /admin/inbound and in `conclave mail inbound`:
 *
 * - applied: an answer (accept, decline, withdraw) or a topic proposal was made;
 * - review: waiting for the committee (unclear, unmatched, refused by the rules, a topic from
 *   someone not proven to be an accepted invitee); an invitee's unclear answer is acknowledged;
 * - ignored: an automatic reply, or a Message-ID seen before (it acted once);
 * - refused: too large or malformed, kept (an oversize one in part) for the committee to read;
 * - dismissed: the committee read it and let it be.
 */
import { sql, type Insertable } from 'kysely';
import { listChunks } from '../../db/chunks.js';
import type { InboundAction, InboundMessagesTable, InboundStatus, InboundVia } from '../../db/schema.js';
import { answerInvitation, isTopicSubject, REFUSED_NEXT_STEP, proposeByMail, refusal, replyToInvitee, rsvpNextStep, topicRefusedNextStep, topicReplyValues, topicTitle, trimReferences, type Answered } from './act.js';
import { DEFAULT_MAX_INBOUND_BYTES, OVERSIZE_KEEP_BYTES, type InboundDeps, type Trx } from './deps.js';
import { matchInvitation } from './match.js';
import { MalformedMail, parseInbound, syntheticMessageId, type InboundMail } from './parse.js';
import { classifyReply, ownLines } from './reply-text.js';
import { cutToFit } from '../mail/wrap.js';
import { withoutSecrets } from '../mail/outbox.js';
import { hideSecrets } from './hide-secrets.js';
import { mailCommittee } from '../committee/accounts.js';
import { absoluteUrl } from '../exports/schedule.js';
import { REACH_COMMITTEE } from '../invitations/rsvp.js';
import { editionOver, todayIn, utcMinute } from '../invitations/dates.js';
import type { InvitationRow } from '../invitations/deps.js';

export interface IngestOptions {
  via: InboundVia;
  /** Envelope recipients (RCPT TO), when known: they may carry the token address. */
  envelopeTo?: readonly string[];
  /** The envelope sender (MAIL FROM), when known: '' is the null sender of a bounce. */
  envelopeFrom?: string;
}

export interface IngestResult {
  id: number;
  messageId: string;
  status: InboundStatus;
  action: InboundAction | null;
  reason: string;
  duplicateOf: number | null;
  invitationId: number | null;
  topicId: number | null;
  replyOutboxId: number | null;
}

type Outcome = Pick<Insertable<InboundMessagesTable>, 'status' | 'action' | 'reason' | 'matched_by' | 'invitation_id' | 'edition_id' | 'topic_id' | 'reply_outbox_id'>;

function sizeText(bytes: number): string {
  return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/**
 * Inserts the record of a message, unless its Message-ID was taken in before: then a duplicate
 * record pointing at the first is written instead, and `first` says so.
 */
async function record(trx: Trx, values: Insertable<InboundMessagesTable>): Promise<{ id: number; first: boolean; duplicateOf: number | null }> {
  const row = await trx
    .insertInto('inbound_messages')
    .values(values)
    .onConflict((oc) => oc.column('message_id').where('duplicate_of', 'is', null).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (row) return { id: row.id, first: true, duplicateOf: null };
  const original = await trx.selectFrom('inbound_messages').select('id').where('message_id', '=', values.message_id).where('duplicate_of', 'is', null).executeTakeFirstOrThrow();
  const dup = await trx
    .insertInto('inbound_messages')
    .values({
      ...values,
      raw: null,
      text_body: null,
      duplicate_of: original.id,
      status: 'ignored',
      action: null,
      reason: `delivered again: the same Message-ID as #${original.id}, which alone counts`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: dup.id, first: false, duplicateOf: original.id };
}

function fieldsOf(mail: InboundMail, raw: Buffer, opts: IngestOptions, size: number, truncated: boolean, now: Date): Insertable<InboundMessagesTable> {
  return {
    // The clock the answers it may be checked against are written by (answered_at, decided_at).
    received_at: now,
    via: opts.via,
    message_id: mail.messageId,
    status: 'review',
    reason: 'being read',
    from_address: mail.from.slice(0, 320),
    from_name: mail.fromName?.slice(0, 200) ?? null,
    // A reply quotes our subject: one that carried a link (a template saved before that was
    // refused, mail/templates.ts) is kept without it, as the raw bytes and the text are.
    subject: withoutSecrets(mail.subject.slice(0, 998)),
    sent_at: mail.date,
    in_reply_to: mail.inReplyTo,
    references_ids: mail.references.join(' ') || null,
    text_body: withoutSecrets(mail.text.slice(0, 200_000)),
    auto_reply: mail.autoReply,
    size_bytes: size,
    raw,
    raw_truncated: truncated,
  };
}

/**
 * The topic a mail of this thread proposed, when one did: the proposal, or our confirmation of
 * it; the latest. The thread's ids are the sender's (a References header may name thousands):
 * they go as statements that fit (listChunks).
 */
async function topicOfThread(trx: Trx, threadIds: string[]): Promise<{ number: number; title: string } | undefined> {
  let latest: { id: number; number: number; title: string } | undefined;
  for (const ids of listChunks(threadIds, 2)) {
    const found = await trx
      .selectFrom('inbound_messages')
      .innerJoin('topics', 'topics.id', 'inbound_messages.topic_id')
      .leftJoin('outbox', 'outbox.id', 'inbound_messages.reply_outbox_id')
      .select(['inbound_messages.id', 'topics.number', 'topics.title'])
      .where((eb) => eb.or([eb('inbound_messages.message_id', 'in', ids), eb('outbox.message_id', 'in', ids)]))
      .orderBy('inbound_messages.id', 'desc')
      .executeTakeFirst();
    if (found && (!latest || found.id > latest.id)) latest = found;
  }
  return latest && { number: latest.number, title: latest.title };
}

/** At most this many automatic refusals to one invitation in a day. */
const REFUSALS_A_DAY = 10;
/** No refusal to a mail answering this many refusals in a row, each answering the last. */
const REFUSALS_IN_A_ROW = 2;

/**
 * Why no refusal may answer this mail, or null if one may. A refusal is a reply we wrote to a
 * mail we could not act on (its record has a reply and no action). An auto-responder that answers
 * one without saying it is automatic would be refused again, and answer again, for ever. So a
 * mail that answers a refusal that answered a mail answering a refusal gets none (a person
 * putting a proposal right in reply is told twice), and an invitation gets a few a day at most
 * (a person sending a new mail each time is told each time). The mail waits for the committee
 * either way.
 */
async function noRefusal(trx: Trx, invitationId: number, threadIds: readonly string[], now: Date): Promise<string | null> {
  // The latest refusal named by `ids`: the sender's, as many as they wrote (listChunks).
  const refusalIn = async (ids: readonly string[]) => {
    let latest: { id: number; in_reply_to: string | null; references_ids: string | null } | undefined;
    for (const chunk of listChunks(ids, 1, 2)) {
      const found = await trx
        .selectFrom('inbound_messages')
        .innerJoin('outbox', 'outbox.id', 'inbound_messages.reply_outbox_id')
        .select(['inbound_messages.id', 'inbound_messages.in_reply_to', 'inbound_messages.references_ids'])
        .where('inbound_messages.invitation_id', '=', invitationId)
        .where('inbound_messages.action', 'is', null)
        .where('outbox.message_id', 'in', chunk)
        .orderBy('inbound_messages.id', 'desc')
        .executeTakeFirst();
      if (found && (!latest || found.id > latest.id)) latest = found;
    }
    return latest;
  };
  const chain: number[] = [];
  for (let ids = threadIds; ids.length > 0 && chain.length < REFUSALS_IN_A_ROW; ) {
    const r = await refusalIn(ids);
    if (!r || chain.includes(r.id)) break;
    chain.push(r.id);
    ids = [...(r.in_reply_to ? [r.in_reply_to] : []), ...(r.references_ids ?? '').split(/\s+/).filter(Boolean)];
  }
  if (chain.length >= REFUSALS_IN_A_ROW) return `not answered: it replies to our refusal of #${chain[0]}, which answered a reply to our refusal of #${chain[1]}; perhaps an auto-responder's`;
  const since = new Date(now.getTime() - 24 * 3600_000);
  const { n } = await trx
    .selectFrom('inbound_messages')
    .innerJoin('outbox', 'outbox.id', 'inbound_messages.reply_outbox_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('inbound_messages.invitation_id', '=', invitationId)
    .where('inbound_messages.action', 'is', null)
    .where('outbox.created_at', '>', since)
    .executeTakeFirstOrThrow();
  if (Number(n) >= REFUSALS_A_DAY) return `not answered: the invitation had ${n} automatic refusals in the last day, the most it is sent`;
  return null;
}

/**
 * Why no acknowledgement (template `inbound-unclear`) may answer this unclear mail, or null if
 * one may. It is a reply to a mail we could not act on, as a refusal is, and is bounded as one
 * (noRefusal); and an invitation gets one a day at most: the first tells the sender all it can,
 * and a robot answering it, or a person writing twice, is told nothing new by a second. The day
 * is counted by the clock the mails were taken in by (received_at), as the answers are.
 */
async function noAcknowledgement(trx: Trx, invitationId: number, threadIds: readonly string[], now: Date): Promise<string | null> {
  const quiet = await noRefusal(trx, invitationId, threadIds, now);
  if (quiet) return quiet;
  const since = new Date(now.getTime() - 24 * 3600_000);
  const told = await trx
    .selectFrom('inbound_messages')
    .innerJoin('outbox', 'outbox.id', 'inbound_messages.reply_outbox_id')
    .select('inbound_messages.id')
    .where('inbound_messages.invitation_id', '=', invitationId)
    .where('outbox.kind', '=', 'inbound-unclear')
    .where('inbound_messages.received_at', '>', since)
    .orderBy('inbound_messages.id', 'desc')
    .executeTakeFirst();
  return told ? `not answered: the sender was told of #${told.id}, within the last day, that the committee will read their mail` : null;
}

/**
 * Why the rules refused an answer, in the committee's terms (the refusal the sender is told is
 * in theirs): where the invitation stands and since when, and what the committee can do.
 */
async function refusedForCommittee(trx: Trx, inv: InvitationRow, now: Date): Promise<string> {
  const edition = await trx.selectFrom('editions').select(['title', 'start_date', 'end_date', 'time_zone']).where('id', '=', inv.edition_id).executeTakeFirstOrThrow();
  const stands = `invitation #${inv.id} is ${inv.state} since ${utcMinute(inv.state_since)} UTC`;
  if (editionOver(edition, now)) return `${stands}, and ${edition.title} is over (it ended ${edition.end_date ?? edition.start_date}): it takes no more answers`;
  const passed = inv.answer_by !== null && inv.answer_by < todayIn(edition.time_zone, now);
  const resend = inv.state === 'expired' || passed ? `re-send it with a later answer-by date (conclave invite resend ${inv.id} --answer-by DATE), or ` : '';
  return (
    `${stands}${passed ? `, and its answer-by date, ${inv.answer_by}, has passed` : ''}. ` +
    `To let the answer count, ${resend}set its state (conclave invite override ${inv.id} STATE --reason WHY), or do so on the invitations page`
  );
}

/** What a parsed, first-seen message does (see the head of this file). */
async function decide(trx: Trx, deps: InboundDeps, mail: InboundMail, opts: IngestOptions): Promise<Outcome> {
  if (mail.autoReply) return { status: 'ignored', reason: `an automatic message (${mail.autoReply}): recorded, neither acted on nor answered` };
  const now = deps.clock();
  const topic = isTopicSubject(mail.subject);
  const { match, candidateId, why } = await matchInvitation(trx, mail, opts.envelopeTo ?? [], now, topic ? 'topic' : 'answer');
  if (!match) {
    // The invitation it may be about names the edition: its list in the admin, and its own
    // inbound-review template for the committee's notice.
    const candidate = candidateId === null ? undefined : await trx.selectFrom('invitations').select('edition_id').where('id', '=', candidateId).executeTakeFirst();
    return { status: 'review', invitation_id: candidateId, edition_id: candidate?.edition_id ?? null, reason: `${topic ? 'a topic proposal' : 'a reply'} for the committee to read: ${why}` };
  }
  const inv = match.invitation;
  const base = { matched_by: match.by, invitation_id: inv.id, edition_id: inv.edition_id } as const;
  const by = match.by === 'token' ? 'by its reply address' : 'by its thread and From';
  const reply = { inv, subject: mail.subject, messageId: mail.messageId, references: mail.references.length > 0 ? mail.references : mail.inReplyTo ? [mail.inReplyTo] : [], token: match.token, replyKey: match.replyKey };
  if (topic) {
    const earlier = await topicOfThread(trx, mail.threadIds);
    if (earlier) {
      // "Re: [TOPIC] …" answering our confirmation (or the proposal itself) is not a new proposal.
      return { ...base, status: 'review', reason: `a reply in the thread of topic #${earlier.number} “${earlier.title}”, proposed by mail already: for the committee to read (nothing was proposed again)` };
    }
    try {
      const { topic: t } = await proposeByMail(trx, deps, inv, match.token, null, { subject: mail.subject, text: withoutSecrets(mail.text) });
      const sent = await replyToInvitee(trx, deps, reply, 'inbound-topic', topicReplyValues(t));
      return { ...base, status: 'applied', action: 'topic', topic_id: t.id, reply_outbox_id: sent.id, reason: `proposed topic #${t.number} “${t.title}” for ${inv.email} (matched ${by})` };
    } catch (err) {
      const why = refusal(err);
      if (why === null) throw err;
      const reason = `a topic proposal from ${inv.email} (matched ${by}) that could not be made: ${why}`;
      const quiet = await noRefusal(trx, inv.id, mail.threadIds, now);
      if (quiet) return { ...base, status: 'review', reason: `${reason}; ${quiet}` };
      // The sender is told why, as for a refused answer: the mail waits for the committee meanwhile.
      const sent = await replyToInvitee(trx, deps, reply, 'inbound-topic-refused', { topic_title: topicTitle(mail.subject), reason: why, next_step: topicRefusedNextStep(err) });
      return { ...base, status: 'review', reply_outbox_id: sent.id, reason };
    }
  }
  const { answer, line } = classifyReply(mail.text);
  const quoted = JSON.stringify(line.slice(0, 120));
  if (answer === 'unclear') {
    const reason = `the first line, ${line ? quoted : '(none)'}, says neither yes nor no clearly: for the committee to read`;
    const quiet = await noAcknowledgement(trx, inv.id, mail.threadIds, now);
    if (quiet) return { ...base, status: 'review', reason: `${reason}; ${quiet}` };
    // The sender would otherwise hear nothing, and take their answer for recorded.
    const sent = await replyToInvitee(trx, deps, reply, 'inbound-unclear', {});
    return { ...base, status: 'review', reply_outbox_id: sent.id, reason: `${reason}; the sender was told so` };
  }
  let done: Answered;
  try {
    done = await answerInvitation(trx, deps, inv, match.token, answer, undefined, { messageId: mail.messageId, references: reply.references });
  } catch (err) {
    const why = refusal(err);
    if (why === null) throw err;
    const reason = `${inv.email} answered ${answer === 'accept' ? 'yes' : 'no'} (${quoted}, matched ${by}), which the rules refuse: ${await refusedForCommittee(trx, inv, now)}`;
    const quiet = await noRefusal(trx, inv.id, mail.threadIds, now);
    if (quiet) return { ...base, status: 'review', reason: `${reason}; ${quiet}` };
    const sent = await replyToInvitee(trx, deps, reply, 'inbound-rsvp', {
      answer: answer === 'accept' ? 'yes' : 'no',
      status: `Your answer could not be recorded. ${why.replace(REACH_COMMITTEE, '').trim()} The committee has your mail and will get back to you.`,
      next_step: REFUSED_NEXT_STEP,
    });
    return { ...base, status: 'review', reply_outbox_id: sent.id, reason };
  }
  const sent = await replyToInvitee(trx, deps, reply, 'inbound-rsvp', { answer: answer === 'accept' ? 'yes' : 'no', status: done.sentence, next_step: rsvpNextStep(done.action) });
  const verb = { accept: 'accepted', decline: 'declined', withdraw: 'withdrew', topic: 'proposed' }[done.action];
  return { ...base, status: 'applied', action: done.action, reply_outbox_id: sent.id, reason: `${inv.email} ${verb} (${quoted}, matched ${by}); now ${done.view.state}` };
}

/** At most this many of the sender's own lines go into the committee's notice. */
const NOTICE_LINES = 30;
/** The sender's name and subject in the notice's subject line, cut to these (the admin has them whole). */
const NOTICE_NAME = 100;
const NOTICE_SUBJECT = 200;

/**
 * A mail from an invitee that conclave did not act on (a question, an unclear or refused answer,
 * a reply in a topic's thread) would wait in the admin unseen: each active committee member is
 * mailed (template `inbound-review`) with the sender's own lines and a link to it. A reply to
 * that mail goes to the sender, in their mail's thread. Mail from nobody invited (spam to the answer address, say) only
 * waits in the admin.
 */
async function tellCommittee(trx: Trx, deps: InboundDeps, id: number, mail: InboundMail, o: Outcome): Promise<void> {
  // The mail gave no name: the invitation knows it when the mail is from the invited address.
  const invited =
    mail.fromName || o.invitation_id == null
      ? undefined
      : await trx
          .selectFrom('invitations')
          .innerJoin('people', 'people.id', 'invitations.person_id')
          .select('people.name')
          .where('invitations.id', '=', o.invitation_id)
          .where((eb) => eb(eb.fn('lower', ['invitations.email']), '=', mail.from.trim().toLowerCase()))
          .executeTakeFirst();
  const fromName = mail.fromName || invited?.name || null;
  const own = ownLines(mail.text);
  const shown = own.slice(0, NOTICE_LINES).map((l) => (l === '' ? '>' : `> ${l.slice(0, 200)}`));
  if (own.length > NOTICE_LINES) shown.push(`> [… ${own.length - NOTICE_LINES} more lines: see the admin]`);
  const values = {
    name: cutToFit(fromName || mail.from, NOTICE_NAME),
    address: mail.from,
    // "Bob <bob@example.org>", or the address once when neither the mail nor the invitation gave a name.
    from: fromName ? `${cutToFit(fromName, NOTICE_NAME)} <${mail.from}>` : mail.from,
    subject: cutToFit(withoutSecrets(mail.subject) || '(no subject)', NOTICE_SUBJECT),
    reason: o.reason.replace(/[.:]\s*$/, ''),
    text: shown.length > 0 ? withoutSecrets(shown.join('\n')) : '(the mail has no text of its own)',
    link: absoluteUrl(deps.mail.baseUrl, `/admin/inbound/${id}`),
  };
  // In the sender's thread: a member's reply, which goes to the sender, then reaches them as an
  // answer to their mail, under the invitation it replied to, not as a new conversation.
  const chain = mail.references.length > 0 ? mail.references : mail.inReplyTo ? [mail.inReplyTo] : [];
  await mailCommittee(trx, deps.mail, {
    editionId: o.edition_id ?? null,
    key: 'inbound-review',
    values,
    replyTo: mail.from,
    notBefore: deps.clock(),
    threadUnder: /^<[^<>\s]+>$/.test(mail.messageId) ? mail.messageId : null,
    parentReferences: trimReferences(chain.filter((x) => /^<[^<>\s]+>$/.test(x))),
  });
}

/** The committee is mailed about one message of a sender (its From) in this long at most. */
export const NOTICE_PER_SENDER_MS = 3600_000;

/**
 * The message of the same sender (its From address, in any case) the committee was mailed about
 * within the last NOTICE_PER_SENDER_MS, if any: its number. A notice answers the message it is
 * about (In-Reply-To: its Message-ID), which tells the ones the committee was mailed about.
 */
async function noticedLately(trx: Trx, id: number, from: string, now: Date): Promise<number | null> {
  const row = await trx
    .selectFrom('inbound_messages')
    .innerJoin('outbox', 'outbox.in_reply_to', 'inbound_messages.message_id')
    .select('inbound_messages.id')
    .where('outbox.kind', '=', 'inbound-review')
    .where('inbound_messages.duplicate_of', 'is', null)
    .where('inbound_messages.id', '<>', id)
    .where((eb) => eb(eb.fn('lower', ['inbound_messages.from_address']), '=', from.trim().toLowerCase()))
    .where('inbound_messages.received_at', '>', new Date(now.getTime() - NOTICE_PER_SENDER_MS))
    .where('inbound_messages.received_at', '<=', now)
    .orderBy('inbound_messages.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? row.id : null;
}

/**
 * tellCommittee, undone alone when it fails: the notice is a courtesy, the message is what must
 * not be lost (a pipe would bounce it, SMTP would have it sent again to fail again). It waits in
 * the admin, its reason saying that the committee was not mailed, and why. One notice per sender
 * an hour: twenty mails with one From (forged, say: the From proves nothing) would otherwise mail
 * every member twenty times; the rest wait in the admin, their reason naming the one mailed about.
 */
async function tryTellCommittee(trx: Trx, deps: InboundDeps, id: number, mail: InboundMail, o: Outcome): Promise<Outcome> {
  const lately = await noticedLately(trx, id, mail.from, deps.clock());
  if (lately !== null) {
    const reason = `${o.reason}; the committee was not mailed about it: it was mailed about #${lately} from the same sender within the hour (one notice per sender an hour)`;
    await trx.updateTable('inbound_messages').set({ reason }).where('id', '=', id).execute();
    return { ...o, reason };
  }
  await sql`savepoint committee_notice`.execute(trx);
  try {
    await tellCommittee(trx, deps, id, mail, o);
    await sql`release savepoint committee_notice`.execute(trx);
    return o;
  } catch (err) {
    await sql`rollback to savepoint committee_notice`.execute(trx);
    const reason = `${o.reason}; the committee could not be mailed about it: ${(err as Error).message}`;
    deps.log?.(`inbound #${id}: the committee could not be mailed about it: ${(err as Error).message}`);
    await trx.updateTable('inbound_messages').set({ reason }).where('id', '=', id).execute();
    return { ...o, reason };
  }
}

function resultOf(id: number, messageId: string, duplicateOf: number | null, o: Outcome): IngestResult {
  return {
    id,
    messageId,
    status: o.status,
    action: o.action ?? null,
    reason: o.reason,
    duplicateOf,
    invitationId: o.invitation_id ?? null,
    topicId: o.topic_id ?? null,
    replyOutboxId: o.reply_outbox_id ?? null,
  };
}

function logged(deps: InboundDeps, r: IngestResult): IngestResult {
  deps.log?.(`inbound #${r.id} ${r.status}${r.action ? ` (${r.action})` : ''}: ${r.reason}`);
  return r;
}

/**
 * Takes in one message (its bytes, whole). Larger than the limit: refused and kept in part;
 * malformed: refused and kept. Otherwise recorded and acted on, in one transaction.
 */
export async function ingestMessage(deps: InboundDeps, raw: Buffer, opts: IngestOptions): Promise<IngestResult> {
  const max = deps.maxBytes ?? DEFAULT_MAX_INBOUND_BYTES;
  if (raw.length > max) return ingestOversize(deps, raw.subarray(0, OVERSIZE_KEEP_BYTES), raw.length, opts);
  let mail: InboundMail;
  try {
    mail = await parseInbound(raw);
  } catch (err) {
    if (!(err instanceof MalformedMail)) throw err;
    return refuse(deps, raw, raw.length, false, opts, `malformed: ${err.message}; kept for the committee to read`);
  }
  // Bounces come from the null sender, whatever their headers say (RFC 5321 4.5.5).
  if (opts.envelopeFrom === '' && !mail.autoReply) mail = { ...mail, autoReply: 'a null envelope sender (MAIL FROM:<>)' };
  const kept = await hideSecrets(raw);
  // One instant for the whole message: an answer it applies is made when it was received, so
  // that a later look (review's answeredSince) finds the message and the answer at one time.
  const now = deps.clock();
  const at = { ...deps, clock: () => now };
  const r = await deps.db.transaction().execute(async (trx) => {
    const rec = await record(trx, fieldsOf(mail, kept, opts, raw.length, false, now));
    if (!rec.first) return resultOf(rec.id, mail.messageId, rec.duplicateOf, { status: 'ignored', reason: `delivered again: the same Message-ID as #${rec.duplicateOf}, which alone counts` });
    const decided = await decide(trx, at, mail, opts);
    const o = { ...decided, reason: withoutSecrets(decided.reason) };
    await trx.updateTable('inbound_messages').set(o).where('id', '=', rec.id).execute();
    const told = o.status === 'review' && o.invitation_id != null ? await tryTellCommittee(trx, deps, rec.id, mail, o) : o;
    return resultOf(rec.id, mail.messageId, null, told);
  });
  return logged(deps, r);
}

/**
 * Records a message refused for its size: `head` is its start (what was kept), `size` its full
 * length. Its headers are read from the head when they can be, for the committee.
 */
export async function ingestOversize(deps: InboundDeps, head: Buffer, size: number, opts: IngestOptions): Promise<IngestResult> {
  const max = deps.maxBytes ?? DEFAULT_MAX_INBOUND_BYTES;
  return refuse(deps, head.subarray(0, OVERSIZE_KEEP_BYTES), size, true, opts, `too large: ${sizeText(size)}, over the limit of ${sizeText(max)}; its first ${sizeText(Math.min(size, OVERSIZE_KEEP_BYTES))} kept for the committee to read`);
}

async function refuse(deps: InboundDeps, raw: Buffer, size: number, truncated: boolean, opts: IngestOptions, why: string): Promise<IngestResult> {
  const reason = withoutSecrets(why);
  const kept = await hideSecrets(raw);
  let mail: InboundMail | null = null;
  try {
    mail = await parseInbound(raw);
  } catch {
    mail = null;
  }
  const values: Insertable<InboundMessagesTable> = mail
    ? { ...fieldsOf(mail, kept, opts, size, truncated, deps.clock()), status: 'refused', reason }
    : { received_at: deps.clock(), via: opts.via, message_id: syntheticMessageId(raw), status: 'refused', reason, size_bytes: size, raw: kept, raw_truncated: truncated };
  const r = await deps.db.transaction().execute(async (trx) => {
    const rec = await record(trx, values);
    if (!rec.first) return resultOf(rec.id, values.message_id, rec.duplicateOf, { status: 'ignored', reason: `delivered again: the same Message-ID as #${rec.duplicateOf}` });
    return resultOf(rec.id, values.message_id, null, { status: 'refused', reason });
  });
  return logged(deps, r);
}

/**
 * Which invitation a message answers, and how sure: by the reply key in the address it was sent to
 * (rsvp+KEY@…, or the token itself in mail sent before reply keys; its token must still open the
 * invitation, as a link would) AND coming from one of
 * the invited person's addresses (a reply-all from a colleague keeps the address), or by naming in
 * In-Reply-To / References a mail of the invitation's thread (the invitation, a reminder or
 * promotion sent under it, a confirmation we sent) AND coming from the invited address. A thread
 * with another From, or a From alone, only names a candidate for the committee: nothing changes.
 */
import { sql } from 'kysely';
import { listChunks, readInChunks } from '../../db/chunks.js';
import { LinkInvalid } from '../errors.js';
import type { InvitationRow } from '../invitations/deps.js';
import { utcMinute } from '../invitations/dates.js';
import { INVITEE_MAIL_KEYS } from '../invitations/invitee-mail.js';
import { findReplyKey, resolveTokenRow, type ReplyKey } from '../invitations/tokens.js';
import type { Trx } from './deps.js';
import type { InboundMail } from './parse.js';
import { keyFromAddress } from './reply-address.js';

export interface Match {
  invitation: InvitationRow;
  by: 'token' | 'thread';
  /** The token in clear when the reply address carried it (mail sent before reply keys); else null. */
  token: string | null;
  /** The reply key the reply address carried (to answer to the same address); else null. */
  replyKey: ReplyKey | null;
}

export interface MatchResult {
  match: Match | null;
  /** Without a match: the invitation the committee may mean, for the review page. */
  candidateId: number | null;
  /** Why there is no match (a sentence for the committee), or null. */
  why: string | null;
}

function sameAddress(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * The invitations whose thread names one of `ids`. With `asking`, only by the mails that ask for
 * an answer: the invitation, reminders, promotions and confirmations of answers on the page
 * (INVITEE_MAIL_KEYS), our confirmations of answers by mail. The thread also holds mail about the program (topic decisions, the schedule
 * and its changes); a "no" to those ("no, 10:00 does not work") is not an answer to the invitation.
 */
async function threadInvitations(trx: Trx, threadIds: string[], asking: boolean): Promise<InvitationRow[]> {
  // The thread's ids are the sender's (a References header may name thousands): the three
  // queries bind each once, a run of them that fits a statement at a time (listChunks).
  const found = new Set<number>();
  for (const ids of listChunks(threadIds, 3, INVITEE_MAIL_KEYS.length + 2)) {
    for (const f of await threadInvitationIds(trx, ids, asking)) found.add(Number(f.id));
  }
  const rows = await readInChunks([...found], (ids) => trx.selectFrom('invitations').selectAll().where('id', 'in', ids).execute());
  return rows.sort((a, b) => b.id - a.id);
}

/** threadInvitations' ids for a run of the thread's ids. */
function threadInvitationIds(trx: Trx, ids: string[], asking: boolean) {
  const direct = trx.selectFrom('invitations').select('id').where('invitation_message_id', 'in', ids);
  // Reminders, promotions (and the program's mail) answer the invitation's Message-ID.
  const under = trx
    .selectFrom('invitations')
    .innerJoin('outbox', 'outbox.in_reply_to', 'invitations.invitation_message_id')
    .select('invitations.id')
    .where('outbox.message_id', 'in', ids)
    .$if(asking, (q) => q.where('outbox.kind', 'in', INVITEE_MAIL_KEYS));
  // Our confirmations of earlier answers by mail, since the invitation's current mail: a re-send
  // ends the earlier links, and with them the threads that came before it.
  const confirmed = trx
    .selectFrom('inbound_messages')
    .innerJoin('outbox', 'outbox.id', 'inbound_messages.reply_outbox_id')
    .innerJoin('invitations', 'invitations.id', 'inbound_messages.invitation_id')
    .select(sql<number>`inbound_messages.invitation_id`.as('id'))
    .where('outbox.message_id', 'in', ids)
    .where((eb) =>
      eb.or([
        eb('invitations.invitation_message_id', 'is', null),
        eb('outbox.id', '>', eb.fn.coalesce(eb.selectFrom('outbox as current').select('current.id').whereRef('current.message_id', '=', 'invitations.invitation_message_id').limit(1), eb.lit(0))),
      ]),
    )
    .$if(asking, (q) => q.where('outbox.kind', '=', 'inbound-rsvp'));
  return direct.union(under).union(confirmed).execute();
}

/** Whether `from` is the invited address or another address of the same person in the archive. */
async function fromInvitee(trx: Trx, inv: InvitationRow, from: string): Promise<boolean> {
  if (sameAddress(inv.email, from)) return true;
  const other = await trx
    .selectFrom('person_emails')
    .select('id')
    .where('person_id', '=', inv.person_id)
    .where((eb) => eb(eb.fn('lower', ['email']), '=', from.trim().toLowerCase()))
    .executeTakeFirst();
  return other !== undefined;
}

/**
 * For a message that no current thread takes: the invitation whose earlier thread it replies in,
 * and why that does not count, in words for the committee. `ids` are the mails it may reply to
 * (its parent; for a topic, its whole thread): one of ours that asked the invitee for an answer
 * (the invitation mail, a reminder, a promotion, or our confirmation of an answer by mail),
 * written before the invitation's current invitation mail, a re-send, which ends the links and
 * the thread before it. Not applied, as a reply to the old mail's link would not be; but the
 * reason names the invitation it is about, so that the committee decides it in one step.
 */
async function replacedThread(trx: Trx, ids: string[], from: string): Promise<{ invitationId: number; why: string } | null> {
  let old: { id: number; subject: string; at: Date; invitationId: number } | undefined;
  for (const chunk of listChunks(ids, 1)) {
    const found = await trx
      .selectFrom('outbox')
      .leftJoin('inbound_messages', 'inbound_messages.reply_outbox_id', 'outbox.id')
      .select(['outbox.id', 'outbox.subject', 'outbox.sent_at', 'outbox.created_at', (eb) => eb.fn.coalesce('outbox.invitation_id', 'inbound_messages.invitation_id').as('invitation_id')])
      .where('outbox.message_id', 'in', chunk)
      .where((eb) =>
        eb.or([
          eb.and([eb('outbox.kind', 'in', INVITEE_MAIL_KEYS), eb('outbox.invitation_id', 'is not', null)]),
          eb.and([eb('outbox.kind', '=', 'inbound-rsvp'), eb('inbound_messages.invitation_id', 'is not', null)]),
        ]),
      )
      .orderBy('outbox.id', 'desc')
      .executeTakeFirst();
    if (found?.invitation_id != null && (!old || found.id > old.id)) old = { id: found.id, subject: found.subject, at: found.sent_at ?? found.created_at, invitationId: Number(found.invitation_id) };
  }
  if (!old) return null;
  const inv = await trx.selectFrom('invitations').selectAll().where('id', '=', old.invitationId).executeTakeFirst();
  if (!inv) return null;
  const current = inv.invitation_message_id
    ? await trx.selectFrom('outbox').select(['id', 'sent_at', 'created_at']).where('message_id', '=', inv.invitation_message_id).executeTakeFirst()
    : undefined;
  const mine = `our mail “${old.subject}” of ${utcMinute(old.at)} UTC (mail #${old.id}) of invitation #${inv.id} to ${inv.email}`;
  let since: string;
  let notApplied: string;
  if (current && current.id > old.id) {
    since = `since replaced by its re-send of ${utcMinute(current.sent_at ?? current.created_at)} UTC (mail #${current.id})`;
    notApplied = `not applied, as a re-send ends the links and the thread before it; decide it for invitation #${inv.id} (${inv.state} when it came)`;
  } else if (!inv.invitation_message_id) {
    since = `which had no invitation mail when it came (it was ${inv.state === 'candidate' ? 'a candidate again' : inv.state} then)`;
    notApplied = 'not applied, as it answers no invitation sent now';
  } else {
    return null;
  }
  const why = sameAddress(inv.email, from)
    ? `it replies to ${mine}, ${since}: ${notApplied}`
    : `it replies to ${mine}, ${since}, and comes from ${from}: a reply counts only from the invited address, in the invitation’s current thread`;
  return { invitationId: inv.id, why };
}

/**
 * Finds the invitation a message answers (see the head of this file). By thread, an answer
 * (`purpose: 'answer'`) counts only as a reply to a mail that asks for one: its In-Reply-To (else
 * its last Reference) is the invitation, a reminder, a promotion or our confirmation. A topic
 * proposal may reply to any mail of ours in the thread.
 */
export async function matchInvitation(trx: Trx, mail: InboundMail, envelopeTo: readonly string[], now: Date, purpose: 'answer' | 'topic' = 'answer'): Promise<MatchResult> {
  let why: string | null = null;
  let candidateId: number | null = null;
  for (const address of [...envelopeTo, ...mail.recipients]) {
    const carried = keyFromAddress(address);
    if (!carried) continue;
    const known = await findReplyKey(trx, carried);
    if (!known) {
      why ??= 'the reply address carries a key that opens no invitation';
      continue;
    }
    try {
      const { invitation } = await resolveTokenRow(trx, known, now);
      if (await fromInvitee(trx, invitation, mail.from)) return { match: { invitation, by: 'token', token: known.token, replyKey: known.replyKey }, candidateId: invitation.id, why: null };
      // A reply-all keeps the reply address: a colleague's "I can't make it" is not the invitee's.
      candidateId = invitation.id;
      why = `it was sent to the reply address of the invitation to ${invitation.email}, but comes from ${mail.from}, none of that person's addresses (a reply-all by someone else?)`;
    } catch (err) {
      if (!(err instanceof LinkInvalid)) throw err;
      candidateId = known.invitation_id;
      why = `the reply address's link no longer works (${err.message})`;
    }
  }
  const parent = mail.inReplyTo ?? mail.references.at(-1) ?? null;
  const threads = purpose === 'topic' ? await threadInvitations(trx, mail.threadIds, false) : await threadInvitations(trx, parent ? [parent] : [], true);
  const mine = threads.find((inv) => sameAddress(inv.email, mail.from));
  if (mine) return { match: { invitation: mine, by: 'thread', token: null, replyKey: null }, candidateId: mine.id, why: null };
  if (purpose === 'answer' && threads.length === 0) {
    // In the thread, but replying to our mail about the program: read by a person.
    const wider = (await threadInvitations(trx, mail.threadIds, false)).find((inv) => sameAddress(inv.email, mail.from));
    if (wider) {
      const about = parent ? await trx.selectFrom('outbox').select('subject').where('message_id', '=', parent).executeTakeFirst() : undefined;
      return {
        match: null,
        candidateId: candidateId ?? wider.id,
        why:
          why ??
          `it replies to ${about ? `our mail “${about.subject}”` : 'a mail of the invitation’s thread'}, which asks no yes or no: only a reply to the invitation, a reminder or our confirmation answers it`,
      };
    }
  }
  if (threads.length) {
    return {
      match: null,
      candidateId: threads[0]!.id,
      why: `it replies in the thread of the invitation to ${threads[0]!.email}, but comes from ${mail.from}: a reply counts only from the invited address`,
    };
  }
  const replaced = await replacedThread(trx, purpose === 'topic' ? mail.threadIds : parent ? [parent] : [], mail.from);
  if (replaced) return { match: null, candidateId: replaced.invitationId, why: replaced.why };
  if (candidateId === null) {
    const byFrom = await trx
      .selectFrom('invitations')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['email']), '=', mail.from.toLowerCase()))
      .where('state', '<>', 'candidate')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    candidateId = byFrom?.id ?? null;
  }
  return {
    match: null,
    candidateId,
    why: why ?? 'it is matched to no invitation: neither sent to a reply address with a working token nor a reply in an invitation’s thread from the invited address (the From alone changes nothing)',
  };
}

/**
 * What a matched message does, through the same commands as the web: an answer (accept, decline,
 * or withdraw when the answer-by date has passed, exactly as the invitee's page offers), or a
 * topic proposal; and the reply that tells the sender, in their thread, through the outbox.
 * Each runs in the caller's transaction (joinTransaction): a refusal is rolled back alone.
 */
import type { InboundAction } from '../../db/schema.js';
import type { Actor } from '../audit/record.js';
import { DomainError, InvalidForm, InvalidInput, LinkInvalid } from '../errors.js';
import { inviteeActor, type Edition, type InvitationRow } from '../invitations/deps.js';
import { answerStatus } from '../invitations/answer-mail.js';
import { editionMailValues } from '../invitations/invitee-mail.js';
import type { InviteeView } from '../invitations/invitee-view.js';
import { acceptInvitation, declineInvitation, findByToken, withdrawInvitation } from '../invitations/rsvp.js';
import { countWaiting } from '../invitations/seats.js';
import { hashToken, issueToken, replyKeyFor, replyKeyOf, resolveToken, type ReplyKey } from '../invitations/tokens.js';
import { withoutSecrets, type OutboxMessage } from '../mail/outbox.js';
import { sendTemplate } from '../mail/templates.js';
import { checkCoPresenters, checkProposer, ProposeInput, proposeTopic, type TopicView } from '../program/topics.js';
import { parseFields } from '../validate.js';
import type { InboundDeps, Trx } from './deps.js';
import { joinTransaction } from '../../db/join-transaction.js';
import { rsvpReplyAddress } from './reply-address.js';
import { asMailRefusal, coPresenterIdsOf, readTopicMail, topicDetails, wishedMinutesOf } from './topic-mail.js';

/** "Re: Fwd: [TOPIC] x" → "[TOPIC] x". */
export function bareSubject(subject: string): string {
  return subject.replace(/^(\s*(re|aw|sv|fwd?|wg)\s*(\[\d+\])?\s*:\s*)+/i, '').trim();
}

/** The subject names a topic proposal. */
export function isTopicSubject(subject: string): boolean {
  return /\[topic\]/i.test(subject);
}

/** A topic's title from the subject: without "Re:" and "[TOPIC]". */
export function topicTitle(subject: string): string {
  return bareSubject(subject.replace(/\[topic\]/gi, ' ')).replace(/\s+/g, ' ').trim();
}

/**
 * Runs `fn` with a token that opens the invitation: the one the message carried, or else a
 * temporary one, ended as soon as `fn` is done (the invitation's other links are untouched), so
 * that an answer by thread goes through exactly the checks a link does.
 */
export async function withToken<T>(trx: Trx, deps: InboundDeps, inv: InvitationRow, token: string | null, fn: (token: string) => Promise<T>): Promise<T> {
  if (token) return fn(token);
  const temp = await issueToken(trx, inv.id, 'invitation', deps.clock());
  try {
    return await fn(temp);
  } finally {
    await trx.updateTable('invitation_tokens').set({ revoked_at: deps.clock() }).where('token_hash', '=', hashToken(temp)).execute();
  }
}

function commandDeps(trx: Trx, deps: InboundDeps) {
  return { db: joinTransaction(trx), clock: deps.clock, mail: deps.mail };
}

/**
 * What the inbound-rsvp reply tells one whose answer the rules refused ({{next_step}}): the same
 * answer sent again would be refused again, and the committee has the mail.
 */
export const REFUSED_NEXT_STEP = 'Answering again by mail would meet the same rule: there is no need to write again.';

/** What the inbound-rsvp reply tells one to do if their mail was misread ({{next_step}}). */
export function rsvpNextStep(action?: InboundAction): string {
  // A withdrawal is final (the page offers no way back): a "yes" to undo it would be refused.
  return action === 'withdraw'
    ? 'A withdrawal is final: a "yes" can no longer undo it. To come after all, reply to this mail, and the committee will read it.'
    : 'If that is not what you meant, reply to this mail with "yes" or "no" on its first line, or use the link in your invitation mail.';
}

/**
 * What the inbound-topic-refused reply tells one to do ({{next_step}}): put the mail right, unless
 * the refusal is not the mail's fault (the sender may not propose), which no mail can put right.
 */
export function topicRefusedNextStep(err: unknown): string {
  return err instanceof InvalidForm || err instanceof InvalidInput
    ? 'To propose the topic yourself, send it again with that put right, or use your personal page (the link in your invitation mail).'
    : 'Sending it again would not change that: the committee will read it and get back to you.';
}

export interface Answered {
  action: InboundAction;
  view: InviteeView;
  sentence: string;
}

/**
 * Answers an invitation as its page would: yes accepts (or joins the waiting list); no declines
 * until the answer-by date and withdraws after it. DomainError when the page would refuse too.
 * `actor`: the committee member answering for the sender, whom the audit log names (else the invitee);
 * `byMail`: the mail that answered, by its Message-ID and References.
 */
export async function answerInvitation(
  trx: Trx,
  deps: InboundDeps,
  inv: InvitationRow,
  token: string | null,
  answer: 'accept' | 'decline',
  actor?: Actor,
  byMail?: { messageId: string; references: string[] },
): Promise<Answered> {
  return withToken(trx, deps, inv, token, async (t) => {
    const d = commandDeps(trx, deps);
    let view: InviteeView;
    let action: InboundAction;
    let was: InviteeView['state'] | undefined;
    let movedUp = false;
    let spokeIn: string | null = null;
    let committeeTold = false;
    // The mail that answered: the committee's notice of a speaker who left is in its thread.
    const opts = { ...(actor ? { actor } : {}), ...(byMail ? { byMail } : {}) };
    if (answer === 'accept') {
      view = await acceptInvitation(d, { token: t }, opts);
      action = 'accept';
    } else {
      const before = await findByToken(d, t);
      was = before.state;
      spokeIn = before.speaksIn;
      committeeTold = before.committeeHears;
      const withdraw = before.actions.includes('withdraw') && !before.actions.includes('decline');
      const waiting = () => countWaiting(trx, inv.edition_id);
      // Fewer waiting after it: a place given up went to the next on the list.
      const waitingBefore = await waiting();
      view = withdraw ? await withdrawInvitation(d, { token: t }, opts) : await declineInvitation(d, { token: t }, opts);
      action = withdraw ? 'withdraw' : 'decline';
      movedUp = (await waiting()) < waitingBefore;
    }
    return { action, view, sentence: answerStatus(view, was, movedUp, spokeIn, committeeTold) };
  });
}

/**
 * Proposes the topic a mail gives (its subject the title; its text the abstract, length and
 * co-presenters: topic-mail.ts) for the invitee, who must be accepted (proposeTopic checks).
 * A refusal names every part of the mail at fault. With `lenient` (the committee proposing a mail
 * held for review), a Length: or Co-presenter: line that cannot be taken is left out instead,
 * and said in `leftOut`, so that the committee is never stuck with a mail only its sender can mend.
 */
export async function proposeByMail(
  trx: Trx,
  deps: InboundDeps,
  inv: InvitationRow,
  token: string | null,
  actor: Actor | null,
  mail: { subject: string; text: string },
  opts: { lenient?: boolean } = {},
): Promise<{ topic: TopicView; leftOut: string[] }> {
  return withToken(trx, deps, inv, token, async (t) => {
    await resolveToken(trx, t, deps.clock());
    // Who may propose first: one whose invitation is not accepted, told only to put a "Length:"
    // line right, would be refused again for what no line of the mail can put right.
    const edition = await trx.selectFrom('editions').select('title').where('id', '=', inv.edition_id).executeTakeFirstOrThrow();
    try {
      await checkProposer(trx, inv.edition_id, inv.person_id, edition.title);
    } catch (err) {
      throw asMailRefusal(err);
    }
    const read = readTopicMail(mail.text);
    const title = topicTitle(mail.subject);
    const fields = { wishedMinutes: null as number | null, coPresenterIds: [] as number[] };
    // Every part checked before any is refused, so that a refusal names every line at fault:
    // the lines the mail cannot give as the form's fields, what the form refuses of the rest,
    // and co-presenters who are not coming (not invited, or not accepted), all of them.
    const faults: Record<string, string> = {};
    try {
      fields.wishedMinutes = wishedMinutesOf(read.lengths);
    } catch (err) {
      if (!(err instanceof InvalidInput)) throw err;
      faults.wishedMinutes = err.why;
    }
    const co = await coPresenterIdsOf(trx, inv, read.coPresenters);
    fields.coPresenterIds = co.ids;
    try {
      await checkCoPresenters(trx, inv.edition_id, edition.title, inv.person_id, co.ids);
    } catch (err) {
      if (!(err instanceof InvalidInput)) throw err;
      co.faults.push(err.why);
    }
    if (co.faults.length > 0) faults.coPresenterIds = co.faults.join('; ');
    const form = parseFields(ProposeInput, { editionId: inv.edition_id, proposerId: inv.person_id, title, abstract: read.abstract, ...fields });
    const wrong = Object.fromEntries(
      (['title', 'abstract', 'wishedMinutes', 'coPresenterIds'] as const).flatMap((k) => {
        const why = faults[k] ?? form.errors[k];
        return why === undefined ? [] : [[k, why]];
      }),
    );
    if (Object.keys(wrong).length > 0 && !opts.lenient) throw asMailRefusal(new InvalidForm(wrong));
    // Leniently, a Length: or Co-presenter: line at fault is left out, and said; the subject and
    // the text, which only the sender can mend, proposeTopic refuses still.
    const leftOut: string[] = [];
    if (wrong.wishedMinutes !== undefined) {
      fields.wishedMinutes = null;
      leftOut.push(`Length: ${wrong.wishedMinutes}`);
    }
    if (wrong.coPresenterIds !== undefined) {
      fields.coPresenterIds = [];
      leftOut.push(`Co-presenter: ${wrong.coPresenterIds}`);
    }
    // proposeTopic checks everything before it writes: a refused try leaves nothing behind, and
    // leniently a line it refuses in turn (a co-presenter who has not accepted) is left out too.
    for (;;) {
      try {
        const topic = await proposeTopic(commandDeps(trx, deps), actor ?? inviteeActor(inv.email), {
          editionId: inv.edition_id,
          proposerId: inv.person_id,
          title,
          abstract: read.abstract,
          ...fields,
        });
        return { topic, leftOut };
      } catch (err) {
        const m = asMailRefusal(err);
        const line = opts.lenient && m instanceof InvalidInput ? m : null;
        if (line?.field === 'Length' && fields.wishedMinutes !== null) fields.wishedMinutes = null;
        else if (line?.field === 'Co-presenter' && fields.coPresenterIds.length > 0) fields.coPresenterIds = [];
        else throw m;
        leftOut.push(line.message);
      }
    }
  });
}

/**
 * The values of the confirmation `inbound-topic` for a topic proposed by mail; what the committee
 * left out of the mail when it proposed it (`leftOut`) is said under the title.
 */
export function topicReplyValues(t: TopicView, leftOut: string[] = []): Record<string, string> {
  const without = leftOut.length ? `  Left out of your mail (edit the topic to add it):\n${leftOut.map((l) => `    ${l}\n`).join('')}` : '';
  return { topic_title: t.title, topic_details: topicDetails(t) + without };
}

/** The message of a refusal, for the reply and the record: every field of a form, not the first alone. */
export function refusal(err: unknown): string | null {
  if (err instanceof InvalidForm) return Object.entries(err.fields).map(([field, why]) => `${field}: ${why}`).join('; ');
  // Not "this link has expired": the sender answered by mail, and may never have opened it.
  if (err instanceof LinkInvalid && err.byMail) return err.byMail;
  return err instanceof DomainError ? err.message : null;
}

/**
 * At most 50 of a long chain of References: the first (the thread's root, which RFC 5322 §3.6.4
 * says to keep, and which our invitation is) and the 49 latest.
 */
export function trimReferences(ids: string[]): string[] {
  return ids.length <= 50 ? ids : [ids[0]!, ...ids.slice(-49)];
}

export interface ReplyTo {
  inv: InvitationRow;
  /** The sender's subject and Message-ID (the reply threads under it). */
  subject: string;
  messageId: string;
  /** The sender's References (or In-Reply-To), so that our reply carries the whole chain. */
  references?: string[];
  /** The token the message's reply address carried (mail sent before reply keys); null otherwise. */
  token: string | null;
  /** The reply key the message's reply address carried, to answer to the same address; null otherwise. */
  replyKey?: ReplyKey | null;
}

/**
 * The Reply-To of our reply, with an RSVP address: the invitee's own reply address, as their
 * invitation mail has it, so that a further reply is matched by its key and not only by its
 * thread. The key the message carried (it opened the invitation), or the reply key of the token an
 * older address carried (never that token again), else that of a new token, as the database
 * keeps none in clear; none while the invitation has no working link (the committee ended them),
 * when the bare RSVP address leaves the reply to its thread. Without an RSVP address, the Reply-To.
 */
async function replyAddress(trx: Trx, deps: InboundDeps, r: Pick<ReplyTo, 'inv' | 'token' | 'replyKey'>): Promise<string | null> {
  const rsvp = deps.mail.rsvpAddress;
  if (!rsvp) return deps.mail.replyTo ?? null;
  if (r.replyKey) return rsvpReplyAddress(rsvp, r.replyKey);
  if (r.token) return rsvpReplyAddress(rsvp, await replyKeyFor(trx, r.token));
  const live = await trx.selectFrom('invitation_tokens').select('id').where('invitation_id', '=', r.inv.id).where('revoked_at', 'is', null).executeTakeFirst();
  return live ? rsvpReplyAddress(rsvp, replyKeyOf(await issueToken(trx, r.inv.id, 'invitation', deps.clock()))) : rsvp;
}

/** Writes our reply to the invitation's address, in the sender's thread; returns the outbox row. */
export async function replyToInvitee(
  trx: Trx,
  deps: InboundDeps,
  r: ReplyTo,
  key: 'inbound-rsvp' | 'inbound-unclear' | 'inbound-topic' | 'inbound-topic-refused',
  values: Record<string, string>,
): Promise<OutboxMessage> {
  const edition: Edition = await trx.selectFrom('editions').selectAll().where('id', '=', r.inv.edition_id).executeTakeFirstOrThrow();
  const person = await trx.selectFrom('people').select('name').where('id', '=', r.inv.person_id).executeTakeFirstOrThrow();
  const shared = await editionMailValues(trx, edition);
  const subject = bareSubject(withoutSecrets(r.subject)).slice(0, 900) || `Invitation to ${edition.title}`;
  return sendTemplate(trx, deps.mail, {
    editionId: edition.id,
    key,
    values: { name: person.name, edition_title: edition.title, committee: shared.committee!, subject, ...values },
    to: { address: r.inv.email, name: person.name },
    replyTo: await replyAddress(trx, deps, r),
    threadUnder: /^<[^<>\s]+>$/.test(r.messageId) ? r.messageId : null,
    parentReferences: trimReferences((r.references ?? []).filter((id) => /^<[^<>\s]+>$/.test(id))),
  });
}

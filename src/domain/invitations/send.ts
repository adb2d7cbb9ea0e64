/**
 * Sending invitations: candidates become invited, each with a fresh personal link and an
 * answer-by date, and their mail goes to the outbox (or is held as a draft batch for the
 * committee to read first). The link is returned once, for the CLI to print; the database
 * keeps only its hash. Re-sending gives a new link and ends the old ones.
 */
import { z } from 'zod';
import { recordAudit, type Actor } from '../audit/record.js';
import { Conflict, InvalidInput, InvalidTransition } from '../errors.js';
import { listChunks, readInChunks } from '../../db/chunks.js';
import type { OutboxState } from '../../db/schema.js';
import { discardDrafts, lockDrafts, releaseDrafts, supersedeMail } from '../mail/outbox.js';
import { longDate, todayIn } from './dates.js';
import { invitationId, invitationNotFound, isoDate, parseInput, type Edition, type InvitationDeps, type InvitationRow, type Trx } from './deps.js';
import { editionMailValues, INVITEE_MAIL_KEYS, mailInvitee } from './invitee-mail.js';
import { lockEdition, lockInvitation } from './seats.js';
import { auditView, changeState } from './state-change.js';
import { resentMailReason } from './states.js';
import { invitationLink, issueToken, revokeTokens } from './tokens.js';

export const SendInvitationsInput = z.object({
  editionId: z.number().int().positive(),
  ids: z.union([z.array(invitationId).min(1, 'name at least one candidate'), z.literal('all-candidates')]),
  /** Default: the edition's answer-by date. */
  answerBy: isoDate.optional(),
  /** Hold the mail as a draft batch to read before releasing it (mail/outbox.ts releaseBatch). */
  hold: z.boolean().default(false),
});
export type SendInvitationsInput = z.input<typeof SendInvitationsInput>;

export const ResendInput = z.object({
  id: invitationId,
  /** A new answer-by date; required when the old one has passed (an expired invitation). */
  answerBy: isoDate.optional(),
  hold: z.boolean().default(false),
});
export type ResendInput = z.input<typeof ResendInput>;

export interface SentInvitation {
  id: number;
  name: string;
  email: string;
  /** Null for a re-sent invitation the committee accepted for them (an override asked nothing). */
  answerBy: string | null;
  /** The personal link, in clear this once. */
  link: string;
  outboxId: number;
  messageId: string;
}

export interface SendResult {
  /** The draft batch holding the mail, when held. */
  batch: string | null;
  invitations: SentInvitation[];
  /** A re-send only: the batch its invitation's held draft was taken out of, never sent. */
  takenBack?: string | null;
}

/** What a re-send did besides sending: "Its held draft left batch round-2, unsent." */
export function takenBackSentence(r: SendResult): string | null {
  return r.takenBack ? `Its earlier mail, held unsent in batch ${r.takenBack}, was taken out of that batch.` : null;
}

/**
 * What a sending did, in words for the committee (web notice and CLI): "2 invitations queued for
 * sending", "1 invitation held as a draft in batch round-2".
 */
export function sentSentence(r: SendResult): string {
  const one = r.invitations.length === 1;
  const n = one ? '1 invitation' : `${r.invitations.length} invitations`;
  return r.batch ? `${n} held as ${one ? 'a draft' : 'drafts'} in batch ${r.batch}` : `${n} queued for sending`;
}

/**
 * What a re-send did, in words for the committee, said alike by the web's notice and the
 * terminal: "Invitation #12 (ada@example.org) re-sent with a new link, queued for sending.", or
 * "… held as a draft in batch …", and what it took out of a batch (takenBackSentence).
 */
export function resentSentence(r: SendResult): string {
  const i = r.invitations[0]!;
  const how = r.batch ? `held as a draft in batch ${r.batch}` : 'queued for sending';
  return [`Invitation #${i.id} (${i.email}) re-sent with a new link, ${how}.`, ...(takenBackSentence(r) ? [takenBackSentence(r)!] : [])].join(' ');
}

/** States a committee member may re-send the invitation in (a new link each time). */
export const RESENDABLE = ['invited', 'expired', 'accepted', 'waitlisted', 'declined'] as const;

/**
 * No answer-by date given, and the edition has none of its own: each interface says how to give
 * one in its words (the web's send form has the field; the terminal names its options).
 */
export class NoAnswerBy extends InvalidInput {
  constructor(readonly editionTitle: string) {
    super('answerBy', `no answer-by date: give one, or set a default for ${editionTitle}`);
  }
}

/**
 * The answer-by date to use: the one given, else the edition's default. It must exist, must not
 * be in the past, and must come before the edition starts.
 */
function checkAnswerBy(edition: Edition, given: string | undefined, today: string): string {
  const answerBy = given ?? edition.answer_by;
  if (!answerBy) throw new NoAnswerBy(edition.title);
  if (answerBy < today) {
    throw new InvalidInput('answerBy', given ? `${longDate(answerBy)} has passed already` : `the edition's answer-by date, ${longDate(answerBy)}, has passed already: give a later one`);
  }
  if (edition.start_date && answerBy >= edition.start_date) {
    throw new InvalidInput('answerBy', `must come before ${edition.title} starts on ${longDate(edition.start_date)}`);
  }
  return answerBy;
}

/** "invitations-2026-20260301T120000Z": a held batch's name, by edition year and time, "-2" after it when taken. */
async function batchName(trx: Trx, edition: Edition, now: Date): Promise<string> {
  const base = `invitations-${edition.year}-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
  // Two held sends in one second (or of two series' editions of one year) are two batches:
  // releasing or discarding one must not take the other with it.
  const taken = await trx.selectFrom('outbox').select('batch').distinct().where('batch', 'like', `${base}%`).execute();
  const names = new Set(taken.map((r) => r.batch));
  let name = base;
  for (let n = 2; names.has(name); n++) name = `${base}-${n}`;
  return name;
}

async function mailAndLink(
  trx: Trx,
  deps: InvitationDeps,
  inv: InvitationRow,
  edition: Edition,
  opts: { shared?: Record<string, string>; hold: boolean; batch: string | null; replaces?: { messageId: string; sentAt: Date | null } | null; promoted?: boolean; confirmed?: boolean },
): Promise<SentInvitation> {
  const token = await issueToken(trx, inv.id, 'invitation', deps.clock());
  const { replaces, promoted, confirmed, ...rest } = opts;
  // A re-send answers the mail it replaces (one thread in the invitee's mailbox), and says so.
  // Whether or not it replaces one, the invitation below asks for an answer: not of those who
  // gave it (accepted, by the committee's override say, or waiting). One moved up from the
  // waiting list whose mail saying so never went (superseded) hears it here; so does one who
  // declined on their page and whose confirmation of it never went (the leads above say where
  // an accepted or waiting one stands).
  const lead = [
    ...(replaces
      ? [`This mail replaces our invitation${replaces.sentAt ? ` of ${longDate(todayIn(edition.time_zone, replaces.sentAt))}` : ''}: the link in that one no longer works, the one below does.`]
      : []),
    ...(inv.state === 'accepted' && promoted
      ? ['A place has opened up and, as the first on the waiting list, you are in: the request below to let us know is not for you, the link opens your page.']
      : []),
    ...(inv.state === 'accepted' && !promoted ? ['You have accepted already, so the request below to let us know is not for you: the link opens your page.'] : []),
    ...(inv.state === 'waitlisted' ? ['You are on the waiting list already, so the request below to let us know is not for you: the link opens your page.'] : []),
    ...(inv.state === 'declined' && confirmed && inv.answer_by
      ? [`Your answer is no: thank you for letting us know. Should your plans change, you can still change it on your page until ${longDate(inv.answer_by)}: the link below opens it.`]
      : []),
  ].join(' ');
  const resent = { ...(replaces ? { threadUnder: replaces.messageId } : {}), ...(lead ? { lead } : {}) };
  const mail = await mailInvitee(trx, deps, { invitation: inv, edition, key: 'invitation', token, ...rest, ...resent });
  await trx.updateTable('invitations').set({ invitation_message_id: mail.message_id }).where('id', '=', inv.id).execute();
  return {
    id: inv.id,
    name: mail.to_name ?? '',
    email: inv.email,
    answerBy: inv.answer_by,
    link: invitationLink(deps.mail.baseUrl, token),
    outboxId: mail.id,
    messageId: mail.message_id,
  };
}

/**
 * Invites candidates of an edition: given ids (all must be candidates of it) or every
 * candidate. One transaction for the whole batch: either all are invited and mailed, or none.
 */
export async function sendInvitations(deps: InvitationDeps, actor: Actor, input: SendInvitationsInput): Promise<SendResult> {
  const s = parseInput(SendInvitationsInput, input);
  return deps.db.transaction().execute(async (trx) => {
    const edition = await lockEdition(trx, s.editionId);
    const now = deps.clock();
    let q = trx.selectFrom('invitations').selectAll().where('edition_id', '=', s.editionId).orderBy('id').forUpdate();
    q = s.ids === 'all-candidates' ? q.where('state', '=', 'candidate') : q.where('id', 'in', s.ids);
    const rows = await q.execute();
    if (s.ids !== 'all-candidates') {
      const missing = s.ids.filter((id) => !rows.some((r) => r.id === id));
      if (missing.length) throw invitationNotFound(missing, edition.title);
    }
    const other = rows.filter((r) => r.state !== 'candidate');
    if (other.length) {
      const first = other[0]!;
      const list = other.map((r) => `${r.email} (${r.state})`).join(', ');
      throw new InvalidTransition(first.state, 'invited', `only candidates are sent an invitation; re-send instead to: ${list}`);
    }
    // Who is asked first, then by when: a wrong person is the mistake to hear of first.
    const answerBy = checkAnswerBy(edition, s.answerBy, todayIn(edition.time_zone, now));
    const batch = s.hold ? await batchName(trx, edition, now) : null;
    const shared = await editionMailValues(trx, edition);
    const sent: SentInvitation[] = [];
    for (const row of rows) {
      const inv = await changeState(trx, deps, row, 'invited', {
        actor,
        action: 'invitation.send',
        set: { answer_by: answerBy, invited_at: now, reminders_sent: 0 },
      });
      sent.push(await mailAndLink(trx, deps, inv, edition, { shared, hold: s.hold, batch }));
    }
    return { batch: sent.length ? batch : null, invitations: sent };
  });
}

/**
 * Sends an invitation again with a new link; every earlier link of it stops working. The state
 * stays, except that an expired invitation is invited again, with a new answer-by date (given,
 * or the edition's default if that is still ahead). An invitation mail not sent yet (held as a
 * draft, queued, tried or not, or failed) is taken back, a draft out of its batch. Never
 * received, it is not what this one replaces: this one replaces what it replaced (nothing, for a
 * first invitation). Audited.
 */
export async function resendInvitation(deps: InvitationDeps, actor: Actor, input: ResendInput): Promise<SendResult> {
  const r = parseInput(ResendInput, input);
  return deps.db.transaction().execute(async (trx) => {
    const found = await trx.selectFrom('invitations').select('edition_id').where('id', '=', r.id).executeTakeFirst();
    if (!found) throw invitationNotFound(r.id);
    const edition = await lockEdition(trx, found.edition_id);
    const row = await lockInvitation(trx, r.id);
    if (row.state === 'candidate') {
      // Nothing was sent to send again: the candidate is invited by sending, which says so.
      throw new InvalidTransition(row.state, row.state, `invitation ${row.id} (${row.email}) is a candidate, not invited yet: send it rather than re-send it`);
    }
    if (!(RESENDABLE as readonly string[]).includes(row.state)) {
      throw new InvalidTransition(row.state, row.state, `a ${row.state} invitation cannot be re-sent`);
    }
    const now = deps.clock();
    const today = todayIn(edition.time_zone, now);
    // Only an open question needs a date ahead: an invitation not answered, or declined (which
    // may still be changed to yes until the date). An accepted or waiting person's page keeps its
    // date, or none when the committee decided for them (an override has asked nothing).
    const open = row.state === 'invited' || row.state === 'declined';
    const overdue = row.state === 'expired' || (open && (row.answer_by === null || row.answer_by < today));
    const decided = row.state === 'accepted' || row.state === 'waitlisted';
    const answerBy = r.answerBy !== undefined || overdue || (row.answer_by === null && !decided) ? checkAnswerBy(edition, r.answerBy, today) : row.answer_by;
    const set = { answer_by: answerBy, invited_at: now, ...(answerBy !== row.answer_by ? { reminders_sent: 0 } : {}) };
    await revokeTokens(trx, row.id, now);
    let inv: InvitationRow;
    if (row.state === 'expired') {
      inv = await changeState(trx, deps, row, 'invited', { actor, action: 'invitation.resend', set });
    } else {
      inv = await trx.updateTable('invitations').set(set).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
      await recordAudit(trx, actor, {
        action: 'invitation.resend',
        entity: 'invitation',
        entityId: row.id,
        editionId: row.edition_id,
        before: auditView(row),
        after: auditView(inv),
      });
    }
    const batch = r.hold ? await batchName(trx, edition, now) : null;
    let replaces = row.invitation_message_id ? { messageId: row.invitation_message_id, sentAt: row.invited_at as Date | null } : null;
    // An invitation mail not sent yet (held, queued, or failed) was never received, and its link
    // has just ended: it goes, so that releasing its batch, the worker or a retry cannot send it
    // after this one. This mail replaces what it replaced: nothing, if it was the first, so the
    // invitee is not told of, nor answered in the thread of, a mail they never got.
    const held = await takeBackHeldDraft(trx, actor, row, resentMailReason(row.id));
    if (held) {
      const parent = held.in_reply_to ? await trx.selectFrom('outbox').select(['message_id', 'sent_at']).where('message_id', '=', held.in_reply_to).executeTakeFirst() : undefined;
      replaces = parent ? { messageId: parent.message_id, sentAt: parent.sent_at } : null;
    }
    // Its reminder, "you are in" mail or confirmation of an answer not sent yet (the mail server
    // down) carries a link or a reply address that has just ended: superseded, never sent (the
    // worker would drop it), by this mail, which carries a working one and stands in for it
    // (what the "you are in" mail said, its lead says, and where an answer left the invitation).
    const pending = await unsentInviteeMail(trx, row.id);
    const promoted = pending.some((p) => p.kind === 'waitlist-promoted');
    const confirmed = pending.some((p) => p.kind === 'answer-confirmed');
    const sent = await mailAndLink(trx, deps, inv, edition, { hold: r.hold, batch, replaces, promoted, confirmed });
    await supersedeMail(trx, actor, pending, sent.outboxId, resentMailReason(row.id));
    // Mail superseded by the draft taken back above: this one goes in its place now.
    if (held) await trx.updateTable('outbox').set({ superseded_by: sent.outboxId }).where('superseded_by', '=', held.id).execute();
    return { batch, invitations: [sent], takenBack: held?.batch ?? null };
  });
}

/**
 * An invitation's reminder, "you are in" mail and confirmation of an answer on its page that
 * have not gone yet: queued (tried or not) or failed, locked. Not one being sent right now: the
 * server may have it already. (Its invitation mail is for takeBackHeldDraft.)
 */
async function unsentInviteeMail(trx: Trx, invitationId: number) {
  return trx
    .selectFrom('outbox')
    .select(['id', 'edition_id', 'kind', 'to_address', 'subject', 'state', 'last_error', 'body', 'reply_to'])
    .where('invitation_id', '=', invitationId)
    .where('kind', 'in', ['reminder', 'waitlist-promoted', 'answer-confirmed'])
    .where('state', 'in', ['queued', 'failed'])
    .orderBy('id')
    .forUpdate()
    .execute();
}

/**
 * Deletes the invitation's mail while it is not sent yet: held as a draft (its batch not
 * released), queued (not tried yet, or again after a temporary failure) or failed, with an audit
 * record of the discard saying why; returns what it was, or undefined when there was none. For a
 * change that ends the invitation's links: released, sent by the worker, or retried, the mail
 * would carry a dead one, and arrive after any mail that replaced it. Mail being sent right now
 * is left alone: the server may have it already. `batch` is set for a held draft only.
 */
export async function takeBackHeldDraft(trx: Trx, actor: Actor, inv: InvitationRow, why: string) {
  if (!inv.invitation_message_id) return undefined;
  const held = await trx
    .deleteFrom('outbox')
    .where('message_id', '=', inv.invitation_message_id)
    .where('state', 'in', ['draft', 'queued', 'failed'])
    .returning(['id', 'state', 'kind', 'batch', 'to_address', 'subject', 'in_reply_to', 'attempts', 'last_error'])
    .executeTakeFirst();
  if (!held) return undefined;
  await recordAudit(trx, actor, { action: 'mail.discard', entity: 'outbox', entityId: held.id, editionId: inv.edition_id, before: held, reason: why });
  return { ...held, batch: held.state === 'draft' ? held.batch : null };
}

/**
 * Deletes the invitation's mail not sent yet (queued, tried or not, or failed): each invitee
 * mail of it (INVITEE_MAIL_KEYS, the kinds the worker does not send once the links ended: its
 * invitation mail, reminder, "you are in" mail and the confirmation of an answer on its page),
 * and what a mail of its that was just taken back (`takenBack`, an outbox id) had superseded,
 * each with an audit record of the discard saying why; returns their ids and states. For a
 * change that ends the invitation's links and sends none (a revoke, back to a candidate): sent
 * later, or retried, the mail would bring the invitee a dead link, or tell them where an
 * invitation stands that the committee took back. (Its latest invitation mail is for
 * takeBackHeldDraft to take back, first; an earlier one not sent yet goes here.)
 * Mail being sent right now is left alone: the server may have it already (if it does not, the
 * worker does not try it again).
 */
export async function takeBackUnsentInviteeMail(trx: Trx, actor: Actor, inv: InvitationRow, why: string, takenBack: number | null): Promise<{ id: number; state: OutboxState }[]> {
  const rows = await trx
    .deleteFrom('outbox')
    .where('invitation_id', '=', inv.id)
    // The list the worker checks before a send: a kind added to it is taken back here too.
    .where('kind', 'in', INVITEE_MAIL_KEYS)
    .where((eb) => {
      const unsent = eb('state', 'in', ['queued', 'failed']);
      // It says that mail went in its place; it never will.
      return takenBack === null ? unsent : eb.or([unsent, eb.and([eb('state', '=', 'superseded'), eb('superseded_by', '=', takenBack)])]);
    })
    .returning(['id', 'state', 'kind', 'to_address', 'subject', 'last_error'])
    .execute();
  rows.sort((a, b) => a.id - b.id);
  for (const r of rows) {
    await recordAudit(trx, actor, { action: 'mail.discard', entity: 'outbox', entityId: r.id, editionId: inv.edition_id, before: r, reason: why });
  }
  return rows.map((r) => ({ id: r.id, state: r.state }));
}

/**
 * Locks the editions a held batch's drafts were written for, in id order, then the drafts. The
 * editions come first, as in every write that takes a draft back (a re-send, a revoke, an
 * override: edition, invitation, then the draft): taking the drafts first, a release or discard
 * would wait for an edition (or an invitation) while such a write held it and waited for a
 * draft, and PostgreSQL would end one of the two as a deadlock.
 */
async function lockBatch(trx: Trx, batch: string) {
  const editions = await trx.selectFrom('outbox').select('edition_id').distinct().where('batch', '=', batch).where('state', '=', 'draft').execute();
  const ids = editions.map((e) => e.edition_id).filter((id): id is number => id !== null).sort((a, b) => a - b);
  for (const id of ids) await lockEdition(trx, id);
  return lockDrafts(trx, batch);
}

/**
 * Releases a held batch: its drafts are queued for sending. Refused, releasing nothing, while it
 * holds an invitation whose answer-by date passed while it was held: its invitee would be asked
 * to answer by a day gone, by a link that takes no answer. Re-sending such an invitation with a
 * later answer-by date takes its draft out of the batch; discarding the batch makes its invitees
 * candidates again.
 */
export async function releaseHeldBatch(deps: InvitationDeps, actor: Actor, batch: string): Promise<{ released: number }> {
  return deps.db.transaction().execute(async (trx) => {
    const drafts = await lockBatch(trx, batch);
    // A batch of every candidate may hold more drafts than a statement binds: runs that fit.
    const rows = await readInChunks(drafts.map((d) => d.message_id), (ids) =>
      trx
        .selectFrom('invitations')
        .innerJoin('people', 'people.id', 'invitations.person_id')
        .innerJoin('editions', 'editions.id', 'invitations.edition_id')
        .select(['invitations.id', 'invitations.email', 'invitations.state', 'invitations.answer_by', 'people.name', 'editions.time_zone'])
        .where('invitation_message_id', 'in', ids)
        .execute(),
    );
    rows.sort((a, b) => a.id - b.id);
    const now = deps.clock();
    const late = rows.filter((r) => r.state === 'expired' || (r.state === 'invited' && r.answer_by !== null && r.answer_by < todayIn(r.time_zone, now)));
    if (late.length > 0) {
      const one = late.length === 1;
      throw new Conflict(
        `batch ${batch} holds ${one ? 'an invitation' : `${late.length} invitations`} whose answer-by date passed while held: ` +
          `${late.map((r) => `#${r.id} ${r.name} <${r.email}>${r.answer_by ? ` (${longDate(r.answer_by)})` : ''}`).join(', ')}. ` +
          `Re-send ${one ? 'it' : 'each'} with a later answer-by date (on the invitations page, or conclave invite resend ID --answer-by DATE), which takes ${one ? 'its draft' : 'their drafts'} out of the batch; or discard the batch.`,
      );
    }
    const released = await releaseDrafts(trx, batch, actor);
    // Its invitees are invited now, not when the batch was written: the reminder counts from here.
    const invited = rows.filter((r) => r.state === 'invited').map((r) => r.id);
    for (const ids of listChunks(invited, 1, 1)) await trx.updateTable('invitations').set({ invited_at: now }).where('id', 'in', ids).execute();
    return released;
  });
}

export interface DiscardResult {
  discarded: number;
  /** Invited by the discarded mail, and candidates again. */
  uninvited: { id: number; name: string; email: string }[];
}

/**
 * Throws a held batch away, as if it had not been sent: a candidate invited by a discarded mail
 * is a candidate again (its link, shown once when the batch was made, stops working), so that
 * no reminder or expiry runs for an invitation nobody received. Someone who has answered
 * meanwhile (by the link, given by other means) keeps their answer.
 *
 * A held re-send ended the earlier links when it was made, so discarding it would leave its
 * invitee with no working link: refused, naming them. Releasing it, or re-sending again (which
 * takes this draft out of its batch), is the way out. A re-send of a mail never sent (a draft, or
 * queued and not yet tried), still unanswered, is a first invitation (in no thread), discarded as
 * one. One transaction.
 */
export async function discardHeldBatch(deps: InvitationDeps, actor: Actor, batch: string): Promise<DiscardResult> {
  return deps.db.transaction().execute(async (trx) => {
    const drafts = await lockBatch(trx, batch);
    const rows = await trx
      .selectFrom('invitations')
      .innerJoin('people', 'people.id', 'invitations.person_id')
      .innerJoin('outbox', 'outbox.message_id', 'invitations.invitation_message_id')
      .select(['invitations.id', 'people.name', 'outbox.in_reply_to'])
      .where('invitation_message_id', 'in', drafts.map((d) => d.message_id))
      .orderBy('invitations.id')
      .execute();
    const uninvited: DiscardResult['uninvited'] = [];
    for (const { id, name, in_reply_to } of rows) {
      const inv = await lockInvitation(trx, id);
      // The links a re-send ended, when it was made (revokeTokens at its invited_at). A re-send
      // of a mail never sent, still unanswered, is in no thread: the first invitation it is.
      const first = in_reply_to === null && (inv.state === 'invited' || inv.state === 'expired');
      const ended = inv.invited_at && !first ? await trx.selectFrom('invitation_tokens').select('id').where('invitation_id', '=', id).where('revoked_at', '=', inv.invited_at).execute() : [];
      if (ended.length > 0) {
        throw new Conflict(
          `batch ${batch} re-sends the invitation of ${name} <${inv.email}>, whose earlier links stopped working when it was made: discarding it would leave them without a link. Release it, or re-send again (which takes this draft out of the batch).`,
        );
      }
      // Expired while held, it was never received either.
      if (inv.state !== 'invited' && inv.state !== 'expired') continue;
      await changeState(trx, deps, inv, 'candidate', {
        actor,
        override: true,
        action: 'invitation.unsend',
        reason: `its invitation mail was discarded (batch ${batch})`,
        set: { answer_by: null, invited_at: null, invitation_message_id: null, reminders_sent: 0, last_reminder_at: null },
      });
      uninvited.push({ id, name, email: inv.email });
    }
    const { discarded } = await discardDrafts(trx, batch, actor);
    return { discarded, uninvited };
  });
}

/** "2 drafts discarded; candidates again: Ada Lovelace, Bob." */
export function discardSentence(r: DiscardResult): string {
  const drafts = `${r.discarded} ${r.discarded === 1 ? 'draft' : 'drafts'} discarded`;
  return r.uninvited.length ? `${drafts}; candidates again: ${r.uninvited.map((u) => u.name).join(', ')}.` : `${drafts}.`;
}

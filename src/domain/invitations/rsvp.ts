/**
 * The invitee's answers, through their personal link: accept (or join the waiting list when the
 * cap is reached), decline, withdraw, and their affiliation and whether their address is shown.
 * The answer may change until the answer-by date (inclusive, in the edition's time zone); after
 * it, an accepted or waiting person can only withdraw. Each answer is one transaction that
 * locks the edition first, so places are counted one accept after the other; a place freed by
 * a decline or withdrawal goes to the first on the waiting list in the same transaction, and an
 * accept while others wait joins the end of the list.
 */
import { z } from 'zod';
import { recordAudit, type Actor } from '../audit/record.js';
import { Conflict, InvalidTransition } from '../errors.js';
import { mailCommittee } from '../committee/accounts.js';
import { threadRootId } from '../mail/outbox.js';
import { absoluteUrl } from '../exports/schedule.js';
import { slotIdsOf, slotsOf } from '../program/schedule-notices.js';
import { todayIn } from './dates.js';
import { inviteeActor, parseInput, type Edition, type InvitationDeps, type InvitationRow, type Trx } from './deps.js';
import { answerOpen, buildInviteeView, DETAIL_STATES, passedMessage, type InviteeView } from './invitee-view.js';
import { fillOpenSeats } from './promotion.js';
import { acceptWouldWait, lockEdition, lockInvitation } from './seats.js';
import { confirmPageAnswer, type AnswerOutcome } from './answer-mail.js';
import { changeState } from './state-change.js';
import { resolveToken } from './tokens.js';
import { visibleLine } from '../validate.js';

export type { InviteeView };

const token = z.string();
const affiliation = visibleLine(z.string().trim().max(200, 'must be at most 200 characters'));

export const TokenInput = z.object({ token });
export type TokenInput = z.input<typeof TokenInput>;

export const AcceptInput = z.object({
  token,
  /** Left as it is when not given; an empty string clears it. */
  affiliation: affiliation.optional(),
  /** Whether the invitation's address is shown on public pages; left as it is (default no) when not given. */
  showEmail: z.boolean().optional(),
});
export type AcceptInput = z.input<typeof AcceptInput>;

export const DetailsInput = z.object({ token, affiliation, showEmail: z.boolean() });
export type DetailsInput = z.input<typeof DetailsInput>;

/**
 * Who gives an answer, for the audit log: the invitee (the default), or a committee member who
 * read their mail and answered for them (inbound/review.ts); and whether the invitee is mailed
 * a confirmation of it (template `answer-confirmed`), as an answer on their page is. An answer
 * by mail is not: the reply to that mail confirms it, in its own thread (inbound/act.ts).
 */
export interface AnswerOptions {
  actor?: Actor;
  confirm?: boolean;
  /**
   * The mail that gave the answer (inbound), by its Message-ID and References: the committee's
   * notice of a speaker who left answers it, in its thread.
   */
  byMail?: { messageId: string; references: string[] };
}

/** What a refusal on the page tells the person to do; an answer by mail has done it already. */
export const REACH_COMMITTEE = 'Reply to the invitation mail to reach the committee.';

interface Opened {
  trx: Trx;
  inv: InvitationRow;
  edition: Edition;
  /** Today in the edition's time zone. */
  today: string;
}

/**
 * Runs `fn` in one transaction on the invitation a token opens, its edition locked first and
 * the invitation re-read under lock (so a concurrent change is seen), then returns the page.
 * When `fn` changed the answer (it returns how) and `confirm` is set, the invitee is mailed a
 * confirmation of it in the same transaction.
 */
async function withLink(deps: InvitationDeps, tokenValue: string, fn: (o: Opened) => Promise<AnswerOutcome | void>, confirm = false): Promise<InviteeView> {
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.clock();
    const found = await resolveToken(trx, tokenValue, now);
    const edition = await lockEdition(trx, found.edition.id);
    let inv = await lockInvitation(trx, found.invitation.id);
    // Asked again under the locks: a re-send or revoke that committed while this waited for
    // them has ended the link, and it must not act.
    await resolveToken(trx, tokenValue, now);
    const changed = await fn({ trx, inv, edition, today: todayIn(edition.time_zone, now) });
    inv = await trx.selectFrom('invitations').selectAll().where('id', '=', inv.id).executeTakeFirstOrThrow();
    const view = await buildInviteeView(trx, inv, edition, now);
    if (confirm && changed) await confirmPageAnswer(trx, deps, inv, edition, tokenValue, view, changed);
    return view;
  });
}

/** Writes the invitee's affiliation and address visibility (each only when given); audited if changed. */
async function applyDetails(o: Opened, details: { affiliation?: string | undefined; showEmail?: boolean | undefined }): Promise<void> {
  const { trx, inv } = o;
  if (details.affiliation === undefined && details.showEmail === undefined) return;
  const person = await trx.selectFrom('people').select('affiliation').where('id', '=', inv.person_id).executeTakeFirstOrThrow();
  const address = await trx
    .selectFrom('person_emails')
    .select(['id', 'is_public'])
    .where('person_id', '=', inv.person_id)
    .where((eb) => eb(eb.fn('lower', ['email']), '=', inv.email.toLowerCase()))
    .executeTakeFirst();
  const before = { affiliation: person.affiliation, showEmail: address?.is_public ?? false };
  const after = {
    affiliation: details.affiliation === undefined ? before.affiliation : details.affiliation || null,
    showEmail: details.showEmail ?? before.showEmail,
  };
  if (before.affiliation === after.affiliation && before.showEmail === after.showEmail) return;
  if (after.affiliation !== before.affiliation) {
    await trx.updateTable('people').set({ affiliation: after.affiliation }).where('id', '=', inv.person_id).execute();
  }
  if (after.showEmail !== before.showEmail) {
    if (address) await trx.updateTable('person_emails').set({ is_public: after.showEmail }).where('id', '=', address.id).execute();
    else await trx.insertInto('person_emails').values({ person_id: inv.person_id, email: inv.email, is_public: after.showEmail, is_primary: false }).execute();
  }
  await recordAudit(trx, inviteeActor(inv.email), {
    action: 'invitation.update-details',
    entity: 'invitation',
    entityId: inv.id,
    editionId: inv.edition_id,
    before,
    after,
  });
}

/** The page a personal link opens; LinkInvalid, with a sentence for the person, when it opens none. */
export async function findByToken(deps: InvitationDeps, tokenValue: string): Promise<InviteeView> {
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.clock();
    const { invitation, edition } = await resolveToken(trx, tokenValue, now);
    return buildInviteeView(trx, invitation, edition, now);
  });
}

/**
 * Accepts: a place if one is free under the cap and nobody is waiting for one, else the end of
 * the waiting list (the page shows the rank): nobody jumps the queue. Places free while people
 * wait (a cap raised by a version that did not promote) go to them first, in order. From
 * invited, or declined (change of mind), until the answer-by date. Accepting again when
 * accepted or waiting changes nothing but the details given.
 */
export async function acceptInvitation(deps: InvitationDeps, input: AcceptInput, opts: AnswerOptions = {}): Promise<InviteeView> {
  const a = parseInput(AcceptInput, input);
  return withLink(
    deps,
    a.token,
    async (o) => {
      const { trx, inv, edition } = o;
      let changed: AnswerOutcome | undefined;
      if (inv.state === 'invited' || inv.state === 'declined') {
        if (!answerOpen(inv, o.today)) throw new InvalidTransition(inv.state, 'accepted', `${passedMessage(inv)}: the answer can no longer change.`);
        await fillOpenSeats(trx, deps, edition);
        const to = (await acceptWouldWait(trx, edition)) ? 'waitlisted' : 'accepted';
        o.inv = await changeState(trx, deps, inv, to, { actor: opts.actor ?? inviteeActor(inv.email), action: 'invitation.accept', answered: true });
        changed = { was: inv.state, movedUp: false };
      } else if (inv.state !== 'accepted' && inv.state !== 'waitlisted') {
        throw new InvalidTransition(inv.state, 'accepted', `This invitation is ${inv.state} and can no longer be accepted. ${REACH_COMMITTEE}`);
      }
      await applyDetails(o, a);
      return changed;
    },
    opts.confirm,
  );
}

/**
 * Declines: from invited, or as a change of mind from accepted or the waiting list, until the
 * answer-by date. A freed place goes to the first on the waiting list, who is mailed.
 */
export async function declineInvitation(deps: InvitationDeps, input: TokenInput, opts: AnswerOptions = {}): Promise<InviteeView> {
  const d = parseInput(TokenInput, input);
  return withLink(
    deps,
    d.token,
    async (o) => {
      const { inv } = o;
      if (inv.state === 'declined') return;
      if (['invited', 'accepted', 'waitlisted'].includes(inv.state) && !answerOpen(inv, o.today)) {
        const after = inv.state === 'invited' ? 'the answer can no longer change' : 'you can still withdraw';
        throw new InvalidTransition(inv.state, 'declined', `${passedMessage(inv)}: ${after}.`);
      }
      return leave(deps, o, 'declined', opts, `This invitation is ${inv.state} and can no longer be declined.`);
    },
    opts.confirm,
  );
}

/**
 * Withdraws an accepted person (or one waiting) who cannot come after all: final, and allowed
 * after the answer-by date too. A freed place goes to the first on the waiting list.
 */
export async function withdrawInvitation(deps: InvitationDeps, input: TokenInput, opts: AnswerOptions = {}): Promise<InviteeView> {
  const w = parseInput(TokenInput, input);
  return withLink(
    deps,
    w.token,
    async (o) => {
      const { inv } = o;
      if (inv.state === 'withdrawn') return;
      return leave(deps, o, 'withdrawn', opts, `Only an accepted or waiting invitation can be withdrawn; this one is ${inv.state}.`);
    },
    opts.confirm,
  );
}

/**
 * A decline or a withdrawal, once allowed: the state changed (refused with `why` where the rules
 * forbid it), the committee told when a speaker leaves, a freed place given to the first waiting.
 * Returns how the answer left the invitation, for its confirmation.
 */
async function leave(deps: InvitationDeps, o: Opened, to: 'declined' | 'withdrawn', opts: AnswerOptions, why: string): Promise<AnswerOutcome> {
  const { trx, inv, edition } = o;
  await changeState(trx, deps, inv, to, {
    actor: opts.actor ?? inviteeActor(inv.email),
    action: to === 'declined' ? 'invitation.decline' : 'invitation.withdraw',
    answered: true,
    why,
  });
  const left = inv.state === 'accepted' ? await tellCommitteeOfSpeaker(trx, deps, inv, edition, to === 'declined' ? 'declined' : 'withdrew', opts.byMail) : null;
  const promoted = await fillOpenSeats(trx, deps, edition);
  return { was: inv.state, movedUp: promoted.length > 0, spokeIn: left?.slots ?? null, committeeTold: left?.told ?? false };
}

/**
 * An accepted speaker who declines or withdraws leaves a hole in the schedule (published, perhaps
 * final) that only a conflict in the builder shows: each active committee member is mailed
 * (template `speaker-left`), with the slots and a link to the builder; returns the slots as the
 * speaker reads them, and whether any member was mailed (none is when none is active). Nothing,
 * and null, when the person is on no slot. (Once the edition is over, its links no longer answer.)
 * In a thread (speakerLeftThread), as the committee's other notices about an invitee are.
 */
async function tellCommitteeOfSpeaker(
  trx: Trx,
  deps: InvitationDeps,
  inv: InvitationRow,
  edition: Edition,
  answered: 'declined' | 'withdrew',
  byMail?: AnswerOptions['byMail'],
): Promise<{ slots: string; told: boolean } | null> {
  if ((await slotIdsOf(trx, edition.id, inv.person_id)).length === 0) return null;
  const e = await trx.selectFrom('series').select('slug').where('id', '=', edition.series_id).executeTakeFirstOrThrow();
  const person = await trx.selectFrom('people').select('name').where('id', '=', inv.person_id).executeTakeFirstOrThrow();
  const values = {
    name: person.name,
    address: inv.email,
    edition_title: edition.title,
    answered,
    slot: await slotsOf(trx, edition, inv.person_id, { for: 'committee' }),
    link: absoluteUrl(deps.mail.baseUrl, `/admin/editions/${encodeURIComponent(e.slug)}/${edition.year}/schedule`),
  };
  const told = (await mailCommittee(trx, deps.mail, { editionId: edition.id, key: 'speaker-left', values, notBefore: deps.clock(), ...speakerLeftThread(deps, inv, byMail) })) > 0;
  // As the speaker's page gave them, for the confirmation of their answer.
  return { slots: await slotsOf(trx, edition, inv.person_id), told };
}

const MESSAGE_ID = /^<[^<>\s]+>$/;

/**
 * Where the notice of a speaker who left is threaded: under the mail that gave the answer, when
 * one did, with its chain (as the committee's notice of a mail to read is: a member's reply
 * reaches the sender in their thread); else under the invitation's mail, whose thread every
 * notice about the invitee shares; else, when conclave mailed none, under a root of the
 * invitation's own (threadRootId), the same each time.
 */
function speakerLeftThread(deps: InvitationDeps, inv: InvitationRow, byMail?: AnswerOptions['byMail']): { threadUnder: string; parentReferences?: string[] } {
  if (byMail && MESSAGE_ID.test(byMail.messageId)) {
    const chain = byMail.references.filter((id) => MESSAGE_ID.test(id));
    // At most 50: the root, which RFC 5322 says to keep, and the latest.
    return { threadUnder: byMail.messageId, parentReferences: chain.length <= 50 ? chain : [chain[0]!, ...chain.slice(-49)] };
  }
  if (inv.invitation_message_id) return { threadUnder: inv.invitation_message_id };
  // The root is no mail of ours: the thread is it alone.
  return { threadUnder: threadRootId(deps.mail.baseUrl, deps.mail.from, `invitation-${inv.id}.${inv.created_at.getTime().toString(36)}`), parentReferences: [] };
}

/** Saves the invitee's affiliation and whether their address is shown publicly. */
export async function updateInviteeDetails(deps: InvitationDeps, input: DetailsInput): Promise<InviteeView> {
  const d = parseInput(DetailsInput, input);
  return withLink(deps, d.token, async (o) => {
    if (!DETAIL_STATES.includes(o.inv.state)) throw new Conflict(`This invitation is ${o.inv.state}: its details can no longer be changed.`);
    await applyDetails(o, d);
  });
}

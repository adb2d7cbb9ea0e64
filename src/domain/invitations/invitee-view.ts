/**
 * What the invitee's page shows: the edition's details, where their invitation stands (with the
 * waiting-list rank), what they can still do, and their own details. Built from the database
 * in the caller's transaction, so that a write returns the page as it now stands.
 */
import type { InvitationState } from '../../db/schema.js';
import { hasActiveCommitteeMember } from '../committee/accounts.js';
import { slotIdsOf, slotsOf } from '../program/schedule-notices.js';
import { longDate, todayIn } from './dates.js';
import type { Edition, InvitationRow, Trx } from './deps.js';
import { editionColocated, editionDates, editionPlace } from './invitee-mail.js';
import { acceptWaitRank, waitlistRank } from './seats.js';

export type InviteeAction = 'accept' | 'decline' | 'withdraw';

export interface InviteeView {
  invitationId: number;
  edition: {
    title: string;
    seriesName: string;
    year: number;
    /** Written out: "February 12–13, 2015". */
    dates: string;
    startDate: string | null;
    endDate: string | null;
    place: string;
    /** The event it is held with, as one line, or null. */
    colocated: string | null;
    timeZone: string | null;
  };
  person: { name: string; affiliation: string | null; email: string; showEmail: boolean };
  state: InvitationState;
  answerBy: string | null;
  /** Written out: "April 10, 2026". */
  answerByText: string | null;
  /** The answer may still change: an answerable state, today (in the edition's time zone) on or before the answer-by date. */
  canChange: boolean;
  /** The state in words for the page ("You are coming. Thank you!"); the notice says more. */
  stateText: string;
  /** 1 for the next to be promoted; null unless waiting. */
  waitlistRank: number | null;
  /** The buttons to show, in order. */
  actions: InviteeAction[];
  /**
   * Accept offered, but every place taken: the rank on the waiting list an accept now would get
   * (seats.ts acceptWaitRank). Null when an accept would take a place, or is not offered.
   */
  acceptWaitRank: number | null;
  /** Affiliation and address visibility may be edited. */
  canEditDetails: boolean;
  /** A sentence for a state in which nothing (or little) can be done; null otherwise. */
  notice: string | null;
  /** Accepted and on the schedule: their slots (as their notices give them), said before a "no"; else null. */
  speaksIn: string | null;
  /**
   * On the schedule (speaksIn), and some committee member is active, so that a "no" is mailed to
   * the committee at once (template `speaker-left`); false when nobody would be told.
   */
  committeeHears: boolean;
}

/** States in which the invitee may still edit their affiliation and address visibility. */
export const DETAIL_STATES: readonly InvitationState[] = ['invited', 'accepted', 'waitlisted', 'declined'];

/** The answer may still change on `today` (answer-by inclusive). */
export function answerOpen(inv: Pick<InvitationRow, 'answer_by'>, today: string): boolean {
  return inv.answer_by !== null && today <= inv.answer_by;
}

/** A sentence saying the answer-by date has passed, for refusals and the page. */
export function passedMessage(inv: Pick<InvitationRow, 'answer_by'>): string {
  return `The answer-by date${inv.answer_by ? `, ${longDate(inv.answer_by)},` : ''} has passed`;
}

/** Whether the invitee may accept now, as their page offers (actionsFor): invited or declined, the answer-by date not passed. */
export function mayAccept(inv: Pick<InvitationRow, 'state' | 'answer_by'>, today: string): boolean {
  return actionsFor(inv.state, answerOpen(inv, today)).includes('accept');
}

function actionsFor(state: InvitationState, open: boolean): InviteeAction[] {
  switch (state) {
    case 'invited':
      return open ? ['accept', 'decline'] : [];
    case 'accepted':
    case 'waitlisted':
      return open ? ['decline'] : ['withdraw'];
    case 'declined':
      return open ? ['accept'] : [];
    default:
      return [];
  }
}

const STATE_TEXT: Record<InvitationState, string> = {
  invited: 'You have not answered yet.',
  accepted: 'You are coming. Thank you!',
  declined: 'You said you cannot come.',
  waitlisted: 'Every place is taken for now: you are on the waiting list.',
  expired: 'You did not answer by the answer-by date.',
  withdrawn: 'You withdrew.',
  revoked: 'This invitation was withdrawn by the committee.',
  candidate: 'Not invited yet.',
};

/** Expired before its date: the committee closed it (an override), the date did not pass. */
const CLOSED = 'The committee closed this invitation.';

function noticeFor(inv: InvitationRow, edition: Edition, open: boolean): string | null {
  const passed = passedMessage(inv);
  switch (inv.state) {
    case 'expired':
      return `${open ? 'The committee closed this invitation before its answer-by date: it' : `${passed}: this invitation`} can no longer be answered. To ask whether a place is still free, reply to the invitation mail.`;
    case 'invited':
      return open ? null : `${passed}: this invitation can no longer be answered. To ask whether a place is still free, reply to the invitation mail.`;
    case 'withdrawn':
      return `You withdrew from ${edition.title}. To come after all, reply to the invitation mail.`;
    case 'declined':
      return open ? null : `${passed}: your answer stays "no". To come after all, reply to the invitation mail.`;
    case 'accepted':
      return open ? null : `${passed}: if you cannot come after all, please withdraw, so that someone else can have the place.`;
    case 'waitlisted':
      // Waiting, they hold no place to give up: a place may still come to them.
      return open ? null : `${passed}: you stay on the waiting list, and are mailed if a place becomes yours. If you cannot come after all, please withdraw.`;
    default:
      return null;
  }
}

/** What an accept offered would do when every place is taken: said beside its button. */
export function acceptWaitsSentence(rank: number): string {
  return `Every place is taken now: accepting puts you on the waiting list, as number ${rank}, and we will mail you if a place opens up.`;
}

/** The invitee's page for an invitation, as of `now`. */
export async function buildInviteeView(trx: Trx, inv: InvitationRow, edition: Edition, now: Date): Promise<InviteeView> {
  const person = await trx.selectFrom('people').select(['name', 'affiliation']).where('id', '=', inv.person_id).executeTakeFirstOrThrow();
  const address = await trx
    .selectFrom('person_emails')
    .select('is_public')
    .where('person_id', '=', inv.person_id)
    .where((eb) => eb(eb.fn('lower', ['email']), '=', inv.email.toLowerCase()))
    .executeTakeFirst();
  const series = await trx.selectFrom('series').select('name').where('id', '=', edition.series_id).executeTakeFirstOrThrow();
  const open = answerOpen(inv, todayIn(edition.time_zone, now));
  const actions = actionsFor(inv.state, open);
  const speaksIn = inv.state === 'accepted' && (await slotIdsOf(trx, edition.id, inv.person_id)).length > 0 ? await slotsOf(trx, edition, inv.person_id) : null;
  return {
    invitationId: inv.id,
    edition: {
      title: edition.title,
      seriesName: series.name,
      year: edition.year,
      dates: editionDates(edition),
      startDate: edition.start_date,
      endDate: edition.end_date,
      place: editionPlace(edition),
      colocated: editionColocated(edition),
      timeZone: edition.time_zone,
    },
    person: { name: person.name, affiliation: person.affiliation, email: inv.email, showEmail: address?.is_public ?? false },
    state: inv.state,
    answerBy: inv.answer_by,
    answerByText: inv.answer_by ? longDate(inv.answer_by) : null,
    canChange: open && DETAIL_STATES.includes(inv.state),
    stateText: inv.state === 'expired' && open ? CLOSED : STATE_TEXT[inv.state],
    waitlistRank: inv.state === 'waitlisted' ? await waitlistRank(trx, inv) : null,
    actions,
    acceptWaitRank: actions.includes('accept') ? await acceptWaitRank(trx, edition) : null,
    canEditDetails: DETAIL_STATES.includes(inv.state),
    notice: noticeFor(inv, edition, open),
    speaksIn,
    committeeHears: speaksIn !== null && (await hasActiveCommitteeMember({ db: trx })),
  };
}

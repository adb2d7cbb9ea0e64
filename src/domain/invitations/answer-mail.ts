/**
 * What an invitee is told of an answer they gave: where their invitation now stands, in words
 * shared by the reply to an answer by mail (inbound/act.ts, template `inbound-rsvp`) and the
 * confirmation of an answer on their personal page (template `answer-confirmed`), which this
 * file writes to the outbox, in the invitation's thread.
 */
import type { OutboxMessage } from '../mail/outbox.js';
import { sendTemplate } from '../mail/templates.js';
import type { Edition, InvitationDeps, InvitationRow, Trx } from './deps.js';
import { editionMailValues, inviteeReplyTo } from './invitee-mail.js';
import type { InviteeView } from './invitee-view.js';

/**
 * How an answer left the invitation: the state it left, whether a place it gave up went to
 * someone waiting, and, for an accepted speaker who declined or withdrew, the slots they were on
 * (slotsOf, as their page gave them), which the committee is told of (template `speaker-left`),
 * and whether anybody was told (no committee member may be active).
 */
export interface AnswerOutcome {
  was: InviteeView['state'];
  movedUp: boolean;
  spokeIn?: string | null;
  committeeTold?: boolean;
}

/**
 * Where the invitation stands after an answer, in words for the invitee; `was`, the state it
 * left, says whether a withdrawal gave up a place or a rank on the waiting list, `movedUp` whether
 * a place given up went to someone waiting (with nobody waiting, it goes to nobody). One who
 * declined is told what an accept would do now, as their page tells them (acceptWaitRank). A
 * speaker who declined or withdrew (`spokeIn`, their slots) is told which, and, when a committee
 * member was mailed of it (`committeeTold`), that the committee has been told; with nobody told,
 * nothing is said of telling.
 */
export function answerStatus(view: InviteeView, was?: InviteeView['state'], movedUp = false, spokeIn: string | null = null, committeeTold = false): string {
  const sentence = stateSentence(view, was, movedUp);
  if (!spokeIn || (view.state !== 'declined' && view.state !== 'withdrawn')) return sentence;
  // Lines after the first are indented here: the template indents the first ("  {{status}}").
  const told = committeeTold ? '\n\n  The committee has been told, so that it can take you off it or find someone else.' : '';
  return `${sentence}\n\n  You are on the schedule:\n\n    ${spokeIn.replace(/\n/g, '\n  ')}${told}`;
}

function stateSentence(view: InviteeView, was?: InviteeView['state'], movedUp = false): string {
  switch (view.state) {
    case 'accepted':
      return `You are on the list of attendees of ${view.edition.title}.`;
    case 'waitlisted':
      return `Every place is taken for now: you are number ${view.waitlistRank ?? '?'} on the waiting list. We will mail you as soon as a place is yours.`;
    case 'declined':
      return `Your answer is no. Thank you for letting us know.${view.canChange && view.answerByText ? ` Should your plans change, ${changeOfMind(view.answerByText, view.acceptWaitRank)}` : ''}`;
    case 'withdrawn':
      if (was === 'waitlisted') return 'You have withdrawn, and are off the waiting list. Thank you for letting us know.';
      return movedUp
        ? 'You have withdrawn; your place goes to the next person on the waiting list. Thank you for letting us know.'
        : 'You have withdrawn, and are off the list of attendees. Thank you for letting us know.';
    default:
      return `Your invitation is ${view.state}.`;
  }
}

/**
 * What one who declined may still do until `answerBy`: accept, or, with the places taken, join
 * the waiting list at `waitRank`.
 */
function changeOfMind(answerBy: string, waitRank: number | null): string {
  return waitRank !== null
    ? `you can still answer until ${answerBy}; the places are taken now, so an accept would put you on the waiting list, as number ${waitRank}.`
    : `you can still accept until ${answerBy}.`;
}

/**
 * What the page's confirmation tells one to do if the answer is not what they meant
 * ({{next_step}}): answer again on the page while it may change, else write to the committee (a
 * withdrawal is final, and after the answer-by date the page offers nothing more).
 */
export function pageNextStep(view: InviteeView): string {
  if (view.state === 'withdrawn') return 'A withdrawal is final: your page can no longer undo it. To come after all, reply to this mail, and the committee will read it.';
  if (view.canChange && view.answerByText) {
    return `If that is not what you meant, you can change your answer on your personal page (the link in your invitation mail) until ${view.answerByText}.`;
  }
  return 'If that is not what you meant, reply to this mail, and the committee will read it.';
}

/**
 * Confirms an answer given on the personal page (template `answer-confirmed`): to the
 * invitation's address, in the invitation mail's thread, with the Reply-To its mail has (the
 * plus-address of the link used, with answers by mail set up), so that a reply to it reaches
 * the same invitation. An answer by mail is answered in its own thread instead (inbound/act.ts).
 */
export async function confirmPageAnswer(trx: Trx, deps: InvitationDeps, inv: InvitationRow, edition: Edition, token: string, view: InviteeView, outcome: AnswerOutcome): Promise<OutboxMessage> {
  const shared = await editionMailValues(trx, edition);
  return sendTemplate(trx, deps.mail, {
    editionId: edition.id,
    invitationId: inv.id,
    key: 'answer-confirmed',
    values: {
      name: view.person.name,
      edition_title: edition.title,
      committee: shared.committee!,
      status: answerStatus(view, outcome.was, outcome.movedUp, outcome.spokeIn ?? null, outcome.committeeTold ?? false),
      next_step: pageNextStep(view),
    },
    to: { address: inv.email, name: view.person.name },
    replyTo: await inviteeReplyTo(trx, deps, token),
    threadUnder: inv.invitation_message_id,
    notBefore: deps.clock(),
  });
}

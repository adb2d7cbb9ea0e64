/**
 * The two jobs the clock drives, each safe to run as often as one likes (a timer, cron, or by
 * hand): a reminder to those who have not answered, `reminder_days` before the answer-by date,
 * in the invitation's mail thread; and expiry of invitations still open after that date.
 */
import { z } from 'zod';
import { recordAudit, type Actor } from '../audit/record.js';
import { addDays, daysBetween, timeLeft, todayIn } from './dates.js';
import { parseInput, SYSTEM, type InvitationDeps, type Trx } from './deps.js';
import { editionMailValues, mailInvitee } from './invitee-mail.js';
import { lockEdition } from './seats.js';
import { changeState } from './state-change.js';
import { issueToken } from './tokens.js';

export const ClockJobInput = z.object({ editionId: z.number().int().positive().optional() });
export type ClockJobInput = z.input<typeof ClockJobInput>;

/** The editions with open (invited) invitations, or just the one asked for; locked, in id order. */
async function editionsWithOpenInvitations(trx: Trx, editionId: number | undefined) {
  let q = trx.selectFrom('invitations').select('edition_id').distinct().where('state', '=', 'invited').orderBy('edition_id');
  if (editionId !== undefined) q = q.where('edition_id', '=', editionId);
  const ids = (await q.execute()).map((r) => r.edition_id);
  const out = [];
  for (const id of ids) out.push(await lockEdition(trx, id));
  return out;
}

/**
 * Reminds, once, everyone invited who has not answered when the answer-by date is
 * `reminder_days` away or nearer (0 days turns reminders off for an edition). Someone invited
 * after that point got their invitation late enough to need no reminder; someone whose
 * invitation is still held as a draft (send.ts, hold) has not got it at all, and counts as
 * invited when it is released (releaseHeldBatch). The reminder answers the invitation's
 * Message-ID and carries a fresh link; the invitation's link keeps working.
 */
export async function sendReminders(deps: InvitationDeps, input: ClockJobInput = {}): Promise<{ reminded: { id: number; email: string; outboxId: number }[] }> {
  const { editionId } = parseInput(ClockJobInput, input);
  return deps.db.transaction().execute((trx) => remindIn(trx, deps, editionId));
}

async function remindIn(trx: Trx, deps: InvitationDeps, editionId: number | undefined): Promise<{ reminded: { id: number; email: string; outboxId: number }[] }> {
  const now = deps.clock();
  const reminded: { id: number; email: string; outboxId: number }[] = [];
  for (const edition of await editionsWithOpenInvitations(trx, editionId)) {
    if (edition.reminder_days === 0) continue;
    const today = todayIn(edition.time_zone, now);
    const due = await trx
      .selectFrom('invitations')
      .selectAll()
      .where('edition_id', '=', edition.id)
      .where('state', '=', 'invited')
      .where('reminders_sent', '=', 0)
      .where('answer_by', '>=', today)
      .where('answer_by', '<=', addDays(today, edition.reminder_days))
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('outbox').select('outbox.id').whereRef('outbox.message_id', '=', 'invitations.invitation_message_id').where('outbox.state', '=', 'draft'))),
      )
      .orderBy('id')
      .forUpdate()
      .execute();
    const shared = due.length ? await editionMailValues(trx, edition) : {};
    for (const inv of due) {
      const answerBy = inv.answer_by!;
      const windowOpens = addDays(answerBy, -edition.reminder_days);
      if (inv.invited_at && todayIn(edition.time_zone, inv.invited_at) >= windowOpens) continue;
      const token = await issueToken(trx, inv.id, 'reminder', now);
      const mail = await mailInvitee(trx, deps, {
        invitation: inv,
        edition,
        key: 'reminder',
        token,
        shared,
        values: { days_left: String(daysBetween(today, answerBy)), time_left: timeLeft(daysBetween(today, answerBy)) },
        threadUnder: inv.invitation_message_id,
      });
      await trx
        .updateTable('invitations')
        .set((eb) => ({ reminders_sent: eb('reminders_sent', '+', 1), last_reminder_at: now }))
        .where('id', '=', inv.id)
        .execute();
      reminded.push({ id: inv.id, email: inv.email, outboxId: mail.id });
    }
  }
  return { reminded };
}

/**
 * Expires every invitation still unanswered after its answer-by date (the date itself is still
 * a day to answer, in the edition's time zone). Audited as the system.
 */
export async function expireOverdue(deps: InvitationDeps, input: ClockJobInput = {}): Promise<{ expired: { id: number; email: string }[] }> {
  const { editionId } = parseInput(ClockJobInput, input);
  return deps.db.transaction().execute((trx) => expireIn(trx, deps, editionId, SYSTEM));
}

async function expireIn(trx: Trx, deps: InvitationDeps, editionId: number | undefined, actor: Actor): Promise<{ expired: { id: number; email: string }[] }> {
  const now = deps.clock();
  const expired: { id: number; email: string }[] = [];
  for (const edition of await editionsWithOpenInvitations(trx, editionId)) {
    const today = todayIn(edition.time_zone, now);
    const overdue = await trx
      .selectFrom('invitations')
      .selectAll()
      .where('edition_id', '=', edition.id)
      .where('state', '=', 'invited')
      .where('answer_by', '<', today)
      .orderBy('id')
      .forUpdate()
      .execute();
    for (const inv of overdue) {
      await changeState(trx, deps, inv, 'expired', { actor, action: 'invitation.expire' });
      expired.push({ id: inv.id, email: inv.email });
    }
  }
  return { expired };
}

/**
 * Both jobs at once, run by a committee member (the Invitations page's "Send due reminders",
 * `conclave invite remind`) rather than the clock: the expiries name the member, and so does one
 * audit entry saying who was reminded and whose invitation expired.
 */
export async function remindAndExpire(
  deps: InvitationDeps,
  actor: Actor,
  input: ClockJobInput = {},
): Promise<{ reminded: { id: number; email: string; outboxId: number }[]; expired: { id: number; email: string }[] }> {
  const { editionId } = parseInput(ClockJobInput, input);
  return deps.db.transaction().execute(async (trx) => {
    const { reminded } = await remindIn(trx, deps, editionId);
    const { expired } = await expireIn(trx, deps, editionId, actor);
    await recordAudit(trx, actor, {
      action: 'invitation.remind',
      entity: 'edition',
      entityId: editionId ?? null,
      editionId: editionId ?? null,
      after: { reminded: reminded.map((r) => ({ id: r.id, email: r.email })), expired },
    });
    return { reminded, expired };
  });
}

/**
 * Mail to an invitee: the invitation, the reminder and the "you are in" after a promotion. Each
 * is the committee's template filled with the edition's facts and a personal link, written to
 * the outbox in the caller's transaction, so the state change and its mail commit together.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { rsvpReplyAddress } from '../inbound/reply-address.js';
import type { OutboxMessage } from '../mail/outbox.js';
import { sendTemplate } from '../mail/templates.js';
import { dateRange, longDate, timeLeft } from './dates.js';
import type { Edition, InvitationDeps, InvitationRow, Trx } from './deps.js';
import { invitationLink, replyKeyFor } from './tokens.js';
import { andList } from '../word-list.js';

/**
 * The mails of an invitation that ask an invitee for an answer (inbound/match.ts reads a reply
 * to them as one, and the mail worker does not send them once the invitation's links ended):
 * the invitation, its reminder, the "you are in" of a promotion, and the confirmation of an
 * answer given on the page (answer-mail.ts), whose reply may change the answer.
 */
export const INVITEE_MAIL_KEYS = ['invitation', 'reminder', 'waitlist-promoted', 'answer-confirmed'] as const;
export type InviteeMailKey = (typeof INVITEE_MAIL_KEYS)[number];


/** Where an edition takes place, as one line for mail and pages. */
export function editionPlace(edition: Pick<Edition, 'location_text' | 'city' | 'region' | 'country'>): string {
  const parts = [edition.city, edition.region, edition.country].filter((p): p is string => !!p);
  return edition.location_text ?? (parts.length ? parts.join(', ') : 'a place to be announced');
}

/** The event an edition is held with, as one line ("Netdev 0x19, May 7-9, 2027, Lisbon"), or null. */
export function editionColocated(edition: Pick<Edition, 'colocated_name' | 'colocated_start' | 'colocated_end' | 'colocated_dates_text' | 'colocated_place'>): string | null {
  if (!edition.colocated_name) return null;
  const dates = edition.colocated_start ? dateRange(edition.colocated_start, edition.colocated_end) : edition.colocated_dates_text;
  return [edition.colocated_name, dates, edition.colocated_place].filter((p): p is string => !!p).join(', ');
}

/** An edition's dates, as one line for mail and pages. */
export function editionDates(edition: Pick<Edition, 'start_date' | 'end_date' | 'dates_text'>): string {
  return edition.start_date ? dateRange(edition.start_date, edition.end_date) : (edition.dates_text ?? 'dates to be announced');
}

/**
 * The placeholders every invitee mail shares: the edition's title, dates and place, the event it
 * is held with and its time zone (empty when it has none), and who signs (the edition's
 * committee by name, else "The <series> committee").
 */
export async function editionMailValues(trx: Kysely<Database>, edition: Edition): Promise<Record<string, string>> {
  const members = await trx
    .selectFrom('committee_members')
    .innerJoin('people', 'people.id', 'committee_members.person_id')
    .select('people.name')
    .where('committee_members.edition_id', '=', edition.id)
    .orderBy('committee_members.position')
    .execute();
  const series = await trx.selectFrom('series').select('name').where('id', '=', edition.series_id).executeTakeFirstOrThrow();
  const colocated = editionColocated(edition);
  return {
    edition_title: edition.title,
    edition_dates: editionDates(edition),
    edition_place: editionPlace(edition),
    edition_colocated: colocated ?? '',
    edition_held_with: colocated ? `It is held with ${colocated}.\n` : '',
    edition_time_zone: edition.time_zone ?? '',
    committee: members.length ? andList(members.map((m) => m.name)) : `The ${series.name} committee`,
  };
}

/**
 * What a template's preview shows of the edition: its shared values, and the date to answer by
 * when the edition has one (an invitation sent now would carry it), rather than the sample's.
 * With that date, the reminder's time left is what its reminder says on the day it goes out,
 * `reminder_days` before (a sample "in 5 days" beside a real date months away reads as wrong).
 */
export async function previewMailValues(db: Kysely<Database>, edition: Edition): Promise<Record<string, string>> {
  const values: Record<string, string> = await editionMailValues(db, edition);
  if (!edition.answer_by) return values;
  values.answer_by = longDate(edition.answer_by);
  if (edition.reminder_days > 0) Object.assign(values, { days_left: String(edition.reminder_days), time_left: timeLeft(edition.reminder_days) });
  return values;
}

export interface InviteeMail {
  invitation: InvitationRow;
  edition: Edition;
  key: InviteeMailKey;
  /** The token in clear, for the link; it is in the body and nowhere else. */
  token: string;
  /** The edition's shared values, when the caller mails many (editionMailValues). */
  shared?: Record<string, string>;
  /** Extra placeholders of the key (the reminder's days_left). */
  values?: Record<string, string>;
  /** Answer to this Message-ID (reminders and promotions thread under the invitation). */
  threadUnder?: string | null;
  /** A paragraph before the template's text (a re-send says what it replaces). */
  lead?: string;
  hold?: boolean;
  batch?: string | null;
}

/**
 * The mail settings an invitee mail may use besides the From and Reply-To: MAIL_RSVP_ADDRESS, when
 * answers by mail are set up (docs/inbound-mail.md). Read from `deps.mail` when it is there.
 */

/**
 * Where an invitee's reply goes: with an RSVP address, its plus form carrying the reply key of
 * this mail's token (so that "yes" by reply is matched to the invitation by a working secret,
 * which is not the link: tokens.ts replyKeyOf); else the Reply-To.
 */
export async function inviteeReplyTo(trx: Trx, deps: InvitationDeps, token: string): Promise<string | null> {
  const rsvp = deps.mail.rsvpAddress;
  return rsvp ? rsvpReplyAddress(rsvp, await replyKeyFor(trx, token)) : (deps.mail.replyTo ?? null);
}

/** Renders one invitee mail and writes it to the outbox; returns the outbox row. */
export async function mailInvitee(trx: Trx, deps: InvitationDeps, m: InviteeMail): Promise<OutboxMessage> {
  const person = await trx.selectFrom('people').select('name').where('id', '=', m.invitation.person_id).executeTakeFirstOrThrow();
  const shared = m.shared ?? (await editionMailValues(trx, m.edition));
  const answerBy = m.invitation.answer_by ?? m.edition.answer_by;
  return sendTemplate(trx, deps.mail, {
    editionId: m.edition.id,
    // A re-send finds by it the mail of the invitation not sent yet (send.ts).
    invitationId: m.invitation.id,
    key: m.key,
    values: {
      ...shared,
      name: person.name,
      link: invitationLink(deps.mail.baseUrl, m.token),
      answer_by: answerBy ? longDate(answerBy) : 'the date the committee set',
      ...m.values,
    },
    to: { address: m.invitation.email, name: person.name },
    replyTo: await inviteeReplyTo(trx, deps, m.token),
    // enqueueMail puts the parent's chain into References.
    threadUnder: m.threadUnder ?? null,
    ...(m.lead ? { lead: m.lead } : {}),
    hold: m.hold ?? false,
    batch: m.batch ?? null,
  });
}

/**
 * Builders shared by the invitation tests: an edition with dates, cap and answer-by; deps with a
 * clock the test moves; candidates invited in one go, with the tokens of their links.
 */
import type { Kysely } from 'kysely';
import type { Database, NewEdition } from '../../src/db/schema.js';
import type { Actor } from '../../src/domain/audit/record.js';
import { addCandidate } from '../../src/domain/invitations/candidates.js';
import { acceptInvitation } from '../../src/domain/invitations/rsvp.js';
import type { InvitationDeps } from '../../src/domain/invitations/deps.js';
import { sendInvitations, type SentInvitation } from '../../src/domain/invitations/send.js';
import type { MailTransport } from '../../src/domain/mail/transport.js';
import { sendDueMail } from '../../src/domain/mail/worker.js';

export const BASE_URL = 'https://netconf.example.org';
export const COMMITTEE: Actor = { accountId: null, label: 'cli:committee' };

/** Deps whose clock reads `clock.now`, which tests set. */
export function makeDeps(db: Kysely<Database>, start = '2026-03-01T12:00:00Z'): InvitationDeps & { clock: () => Date; set: (iso: string) => void } {
  let now = new Date(start);
  return {
    db,
    clock: () => now,
    set: (iso: string) => {
      now = new Date(iso);
    },
    mail: { baseUrl: BASE_URL, from: 'Netconf committee <netconf@example.org>', replyTo: 'netconf-committee@example.org' },
  };
}

let nextYear = 2100;

/**
 * Inserts an edition (May 11–13 of its year, answer by April 10, cap 15, reminders 7 days
 * before) of the series "Netconf"; `extra` overrides any column. Returns its id.
 */
export async function makeEdition(db: Kysely<Database>, extra: Partial<NewEdition> = {}): Promise<number> {
  const series =
    (await db.selectFrom('series').select('id').where('slug', '=', 'invtest').executeTakeFirst()) ??
    (await db.insertInto('series').values({ slug: 'invtest', name: 'Netconf' }).returning('id').executeTakeFirstOrThrow());
  const e = await db
    .insertInto('editions')
    .values({
      series_id: series.id,
      year: nextYear++,
      title: 'Netconf 2026',
      intro: '[]',
      sections: '[]',
      start_date: '2026-05-11',
      end_date: '2026-05-13',
      answer_by: '2026-04-10',
      location_text: 'Lisbon, Portugal',
      ...extra,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return e.id;
}

/** A name no other guest's name matches (short keys, distinct last words). */
export const guestName = (k: number) => `Guest ${k}`;
export const guestEmail = (k: number) => `guest${k}@example.net`;

/** The token at the end of a link. */
export function tokenOf(link: string): string {
  return link.slice(link.lastIndexOf('/') + 1);
}

/** Adds guests `from`..`from+count-1` as candidates and invites them all; returns what was sent. */
export async function inviteGuests(deps: InvitationDeps, editionId: number, count: number, from = 1): Promise<(SentInvitation & { token: string })[]> {
  for (let k = from; k < from + count; k++) {
    await addCandidate(deps, COMMITTEE, { editionId, name: guestName(k), email: guestEmail(k) });
  }
  const sent = await sendInvitations(deps, COMMITTEE, { editionId, ids: 'all-candidates' });
  return sent.invitations.map((s) => ({ ...s, token: tokenOf(s.link) }));
}

/**
 * A new edition (makeEdition) whose guests 1..`count` are invited and have accepted: its id, its
 * reference for the schedule's functions, and each guest's person, address and invitation mail.
 */
export async function editionOfAcceptedGuests(deps: InvitationDeps, count: number) {
  const editionId = await makeEdition(deps.db);
  const { year } = await deps.db.selectFrom('editions').select('year').where('id', '=', editionId).executeTakeFirstOrThrow();
  for (const s of await inviteGuests(deps, editionId, count)) await acceptInvitation(deps, { token: s.token });
  const rows = await deps.db.selectFrom('invitations').select(['person_id', 'email', 'invitation_message_id']).where('edition_id', '=', editionId).orderBy('id').execute();
  const guests = rows.map((r) => ({ personId: r.person_id, email: r.email, messageId: r.invitation_message_id }));
  return { editionId, ref: { series: 'invtest', year }, guests };
}

/** The invitation's row, straight from the database. */
export async function row(db: Kysely<Database>, id: number) {
  return db.selectFrom('invitations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/**
 * Sends the mail due now as the server does (the outbox worker, sendDueMail), through a transport
 * that takes every message: for a test whose invitee received the mail before what it tests. It
 * sends all mail due in the database, not only the test's own. The outbox's times are the
 * machine's (enqueueMail), so is the worker's clock: sent_at is now, not the invitations' clock.
 */
export async function deliverDueMail(db: Kysely<Database>) {
  const transport: MailTransport = { kind: 'mailbox', send: async (m) => ({ response: `accepted #${m.id}` }), close: () => {} };
  return sendDueMail({ db, transport, clock: () => new Date(), workerId: 'test' });
}

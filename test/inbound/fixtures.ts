/**
 * Builders for the inbound mail tests: an edition with invited guests whose invitation mail
 * carries an RSVP reply address, and replies composed as mail programs write them (nodemailer's
 * MailComposer: MIME, quoted-printable, base64, any charset).
 */
import type { Kysely } from 'kysely';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type { Database } from '../../src/db/schema.js';
import type { InboundDeps } from '../../src/domain/inbound/deps.js';
import type { OutboxMessage } from '../../src/domain/mail/outbox.js';
import { BASE_URL, inviteGuests, makeDeps, makeEdition } from '../invitations/fixtures.js';

export const RSVP = 'Netconf RSVP <rsvp@netconf.example.org>';
export const COMMITTEE_ADDRESS = 'netconf-committee@example.org';

/** Deps for invitations and inbound mail alike, with a clock the test sets. */
export function inboundDeps(db: Kysely<Database>, opts: { rsvp?: boolean; maxBytes?: number } = {}) {
  const d = makeDeps(db);
  const mail = { baseUrl: BASE_URL, from: 'Netconf committee <netconf@example.org>', replyTo: COMMITTEE_ADDRESS, rsvpAddress: opts.rsvp === false ? null : RSVP };
  const lines: string[] = [];
  const deps: InboundDeps & typeof d & { lines: string[] } = { ...d, mail, lines, log: (l: string) => lines.push(l), ...(opts.maxBytes ? { maxBytes: opts.maxBytes } : {}) };
  return deps;
}

export interface Guest {
  id: number;
  email: string;
  name: string;
  token: string;
  /** The invitation mail as it sits in the outbox. */
  invitation: OutboxMessage;
}

/** An edition with `count` invited guests (guest1@example.net …). */
export async function invitedGuests(deps: ReturnType<typeof inboundDeps>, count: number, extra: Parameters<typeof makeEdition>[1] = {}) {
  const editionId = await makeEdition(deps.db, extra);
  const sent = await inviteGuests(deps, editionId, count);
  const guests: Guest[] = [];
  for (const s of sent) {
    const invitation = await deps.db.selectFrom('outbox').selectAll().where('id', '=', s.outboxId).executeTakeFirstOrThrow();
    guests.push({ id: s.id, email: s.email, name: s.name, token: s.token, invitation });
  }
  return { editionId, guests };
}

/** A message as a mail program writes it. */
export function compose(opts: Mail.Options): Promise<Buffer> {
  return new MailComposer(opts).compile().build();
}

let n = 0;
/** A fresh Message-ID. */
export function newId(): string {
  return `<reply-${process.pid}-${Date.now()}-${++n}@mua.example.net>`;
}

/**
 * A reply to our mail `to` as mutt sends it: to its Reply-To, In-Reply-To and References naming
 * it, the original quoted under an attribution, and a signature.
 */
export function reply(to: OutboxMessage, firstLines: string, o: Partial<Mail.Options> & { from?: string } = {}): Promise<Buffer> {
  const quoted = to.body
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');
  return compose({
    from: o.from ?? to.to_address,
    to: to.reply_to ?? COMMITTEE_ADDRESS,
    subject: `Re: ${to.subject}`,
    messageId: newId(),
    inReplyTo: to.message_id,
    references: [to.message_id],
    text: `${firstLines}\n\nOn Sun, Mar 01, 2026 at 12:00:00PM +0000, Netconf committee wrote:\n${quoted}\n\n-- \nGuest, kernel hacker\n`,
    ...o,
  });
}

/** The invitation's state, straight from the database. */
export async function stateOf(db: Kysely<Database>, id: number): Promise<string> {
  return (await db.selectFrom('invitations').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;
}

/** The outbox rows of a kind, oldest first. */
export function mailOfKind(db: Kysely<Database>, kind: string) {
  return db.selectFrom('outbox').selectAll().where('kind', '=', kind).orderBy('id').execute();
}

/** Small builders shared by the mail tests: an edition to hang templates on, and messages. */
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { enqueueMail, type EnqueueInput, type OutboxMessage } from '../../src/domain/mail/outbox.js';

export const BASE_URL = 'https://netconf.example.org';

/** Inserts a series (once) and an edition of it; returns the edition's id. */
export async function makeEdition(db: Kysely<Database>, year: number): Promise<number> {
  const series =
    (await db.selectFrom('series').select('id').where('slug', '=', 'mailtest').executeTakeFirst()) ??
    (await db.insertInto('series').values({ slug: 'mailtest', name: 'Mail test' }).returning('id').executeTakeFirstOrThrow());
  const e = await db
    .insertInto('editions')
    .values({ series_id: series.id, year, title: `Netconf ${year}`, intro: '[]', sections: '[]' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return e.id;
}

/** A message as invitations would enqueue it; `n` makes the recipient distinct. */
export function invitation(n: number, extra: Partial<EnqueueInput> = {}): EnqueueInput {
  return {
    kind: 'invitation',
    baseUrl: BASE_URL,
    to: { address: `invitee${n}@example.net`, name: `Invitee Nümber ${n}` },
    from: 'Netconf committee <netconf@example.org>',
    replyTo: 'netconf-committee@example.org',
    subject: `Invitation to Netconf 2026 (${n})`,
    body: `Hello Invitee ${n},\n\nplease answer here:\n\n  ${BASE_URL}/i/token${n}\n\nThanks,\nThe committee\n`,
    ...extra,
  };
}

/** Enqueues `count` invitations, each in its own statement; returns the rows. */
export async function enqueueMany(db: Kysely<Database>, count: number, extra: Partial<EnqueueInput> = {}): Promise<OutboxMessage[]> {
  const rows: OutboxMessage[] = [];
  for (let i = 1; i <= count; i++) rows.push(await enqueueMail(db, invitation(i, extra)));
  return rows;
}

/** Rows by state, for assertions. */
export async function states(db: Kysely<Database>): Promise<Record<string, number>> {
  const rows = await db.selectFrom('outbox').select(['state']).execute();
  const out: Record<string, number> = {};
  for (const r of rows) out[r.state] = (out[r.state] ?? 0) + 1;
  return out;
}

/**
 * Bodies to send as written: `line` is 200 characters (a personal link and text outside ASCII:
 * “quotes”, a Japanese name), longer than quoted-printable's 76 but well within SMTP's 998 octets,
 * in a body with a line starting with a dot (SMTP's end of data) and the signature separator's
 * trailing space; `tooLong` adds a paragraph of 400 Japanese characters without a space, 1,200
 * octets in UTF-8.
 */
export function writtenBodies(): { link: string; line: string; body: string; tooLong: string } {
  const lead = 'Dear 山田 花子, your “personal” link (keep it to yourself): ';
  const link = `${BASE_URL}/i/${'Kq7ZxLw9'.repeat(40)}`.slice(0, 200 - lead.length);
  const line = `${lead}${link}`;
  const body = `Hello 山田 花子,\n\n${line}\n\nThe committee’s answer is “yes”.\n.dotfiles stay whole.\n-- \nThe committee\n`;
  return { link, line, body, tooLong: `${body}\n${'花'.repeat(400)}\n` };
}

/** A raw message's header block (as latin1, to see every octet) and its body (as UTF-8). */
export function split(raw: Buffer): [string, string] {
  const end = raw.indexOf('\r\n\r\n');
  return [raw.subarray(0, end).toString('latin1'), raw.subarray(end + 4).toString('utf8')];
}

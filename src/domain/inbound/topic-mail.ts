/**
 * A topic proposed by mail carries what the web form asks besides the title and abstract as
 * lines of their own, in the manner of git trailers, anywhere in the person's own text:
 *
 *   Length: 30 minutes
 *   Co-presenter: Bob Builder <bob@example.org>, carol@example.org
 *
 * "Length:" is the wished length ("30", "30 min", "45 minutes", "1 hour", "1.5 h", "1h30");
 * "Co-presenter:" (or "Co-presenters:", "Co-presented-by:", one line each or a list) names
 * people invited to the edition by address, or by name when one invitee has it (one named twice
 * is one). These lines are not part of the abstract; a "Length:" line of more than four words is
 * a sentence of it. Anything the form would refuse is refused here too, named as the
 * mail names it ("Length: …", "Co-presenter: …").
 */
import { Conflict, InvalidForm, InvalidInput } from '../errors.js';
import type { InvitationRow } from '../invitations/deps.js';
import { nameKey } from '../people/names.js';
import type { TopicView } from '../program/topics.js';
import type { Trx } from './deps.js';
import { abstractOf, ownLines } from './reply-text.js';
import { andList } from '../word-list.js';

const FIELD = /^(length|co-?presenters?|co-?presented-by)\s*:\s*(.*)$/i;

export interface TopicMailText {
  /** The own text without the field lines, greeting and closing. */
  abstract: string;
  /** What the "Length:" lines say, as written. */
  lengths: string[];
  /** Each person the "Co-presenter:" lines name, as written: "Bob <bob@example.org>", "Bob Builder". */
  coPresenters: string[];
}

/** Splits "Bob <b@x>, "Miller, David" <d@m>; carol@y" at commas and semicolons outside quotes and <>. */
function people(value: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let angled = false;
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    else if (ch === '<' && !quoted) angled = true;
    else if (ch === '>' && !quoted) angled = false;
    if ((ch === ',' || ch === ';') && !quoted && !angled) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  // "… <bob@example.org>." ends a sentence: the full stop is not part of the address.
  return out.map((p) => p.trim().replace(/[.]+$/, '').trim()).filter((p) => p !== '');
}

/** Reads a topic mail's body: its abstract and the field lines (see the head of this file). */
export function readTopicMail(text: string): TopicMailText {
  const rest: string[] = [];
  const lengths: string[] = [];
  const coPresenters: string[] = [];
  for (const line of ownLines(text)) {
    const m = FIELD.exec(line.trim());
    // "Length: of the header, …" begins a sentence of the abstract; a length is a few words.
    if (!m || (m[1]!.toLowerCase() === 'length' && m[2]!.trim().split(/\s+/).length > 4)) rest.push(line);
    else if (m[1]!.toLowerCase() === 'length') lengths.push(m[2]!.trim());
    else coPresenters.push(...people(m[2]!));
  }
  return { abstract: abstractOf(rest), lengths, coPresenters };
}

const MINUTES = '(?:m|min|mins|minutes?)';
const HOURS = '(?:h|hr|hrs|hours?)';

/**
 * A length as people write it, in minutes: "30", "30 min", "45 minutes", "1 hour", "1.5 h",
 * "1h30", "1 hour 30 minutes"; "about" or "~" before it is allowed. Null when it is none of these.
 */
export function minutesOf(written: string): number | null {
  const s = written.trim().replace(/^(~|about|approx\.?|approximately|around|roughly|ca\.?)\s*/i, '').replace(/\.$/, '').trim();
  let m = new RegExp(`^(\\d{1,3})\\s*${MINUTES}?$`, 'i').exec(s);
  if (m) return Number(m[1]);
  m = new RegExp(`^(\\d{1,2}(?:[.,]\\d+)?)\\s*${HOURS}$`, 'i').exec(s);
  if (m) return Math.round(Number(m[1]!.replace(',', '.')) * 60);
  m = new RegExp(`^(\\d{1,2})\\s*${HOURS}\\s*(?:and\\s*)?(\\d{1,2})\\s*${MINUTES}?$`, 'i').exec(s);
  if (m) return Number(m[1]) * 60 + Number(m[2]);
  return null;
}

/** The wished length the "Length:" lines give; null when none. */
export function wishedMinutesOf(lengths: string[]): number | null {
  if (lengths.length === 0) return null;
  if (lengths.length > 1) throw new InvalidInput('Length', `given ${lengths.length} times (${lengths.map((l) => `“${l}”`).join(', ')}): give one`);
  const minutes = minutesOf(lengths[0]!);
  if (minutes === null) throw new InvalidInput('Length', `“${lengths[0]}” is not a length such as “30 minutes” or “1 hour”`);
  return minutes;
}

/**
 * The people the "Co-presenter:" lines name, among those invited to the invitation's edition:
 * by address (the invitation's, or another address of the person), else by name when one
 * invitee has it; and why each of the others is not (`faults`), every one of them, so that a
 * refusal names them all. Whether those found have accepted, checkCoPresenters says.
 */
export async function coPresenterIdsOf(trx: Trx, inv: InvitationRow, written: string[]): Promise<{ ids: number[]; faults: string[] }> {
  const ids: number[] = [];
  const faults: string[] = [];
  if (written.length === 0) return { ids, faults };
  const edition = await trx.selectFrom('editions').select('title').where('id', '=', inv.edition_id).executeTakeFirstOrThrow();
  for (const w of written) {
    const address = /<([^<>]+)>\s*$/.exec(w)?.[1]?.trim() ?? (w.includes('@') ? w : null);
    if (address !== null) {
      const lower = address.toLowerCase();
      const hit = await trx
        .selectFrom('invitations')
        .select('invitations.person_id')
        .where('invitations.edition_id', '=', inv.edition_id)
        .where((eb) =>
          eb.or([
            eb(eb.fn('lower', ['invitations.email']), '=', lower),
            eb('invitations.person_id', 'in', eb.selectFrom('person_emails').select('person_id').where(eb.fn('lower', ['email']), '=', lower)),
          ]),
        )
        .executeTakeFirst();
      if (!hit) faults.push(`${address} is not the address of anyone invited to ${edition.title}`);
      else if (!ids.includes(hit.person_id)) ids.push(hit.person_id);
      continue;
    }
    const name = w.replace(/^"|"$/g, '').trim();
    const hits = await trx
      .selectFrom('invitations')
      .innerJoin('people', 'people.id', 'invitations.person_id')
      .select('people.id')
      .where('invitations.edition_id', '=', inv.edition_id)
      .where('people.name_key', '=', nameKey(name))
      .execute();
    if (hits.length === 0) faults.push(`“${name}” is not the name of anyone invited to ${edition.title}: give their address`);
    else if (hits.length > 1) faults.push(`“${name}” names ${hits.length} people invited to ${edition.title}: give the address of the one you mean`);
    // Named twice (by name and by address, say): one co-presenter.
    else if (!ids.includes(hits[0]!.id)) ids.push(hits[0]!.id);
  }
  return { ids, faults };
}

/** The form's field names as the mail names them, for a refusal the sender can act on. */
const MAIL_NAMES: Record<string, string> = { title: 'Subject', abstract: 'The text', wishedMinutes: 'Length', coPresenterIds: 'Co-presenter' };

/** A refusal of the topic form, named as the mail names its parts ("Length: must be at most …"). */
export function asMailRefusal(err: unknown): unknown {
  if (err instanceof InvalidForm) return new InvalidForm(Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [MAIL_NAMES[k] ?? k, v])));
  // Who proposes is the sender, not a part of the mail: the reason alone.
  if (err instanceof InvalidInput && err.field === 'proposerId') return new Conflict(err.why);
  if (err instanceof InvalidInput && MAIL_NAMES[err.field]) return new InvalidInput(MAIL_NAMES[err.field]!, err.why);
  return err;
}

/**
 * What the confirmation adds under the title: the wished length and the co-presenters, as read
 * ("  30 minutes, with Bob Builder\n"); '' when the mail gave neither.
 */
export function topicDetails(t: TopicView): string {
  const parts: string[] = [];
  if (t.wishedMinutes !== null) parts.push(`${t.wishedMinutes} minutes`);
  const co = t.presenters.filter((p) => p.id !== t.proposer?.id).map((p) => p.name);
  if (co.length) parts.push(`with ${andList(co)}`);
  if (parts.length === 0) return '';
  const s = parts.join(', ');
  return `  ${s[0]!.toUpperCase()}${s.slice(1)}\n`;
}

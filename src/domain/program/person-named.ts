/**
 * A person of an edition as a committee member names them at a terminal: by name, slug or
 * address (case-insensitively), or by "#N", the id of their invitation as `conclave invite list`
 * shows it; where a command allows it, "#N" is also a person's id (a speaker of an imported
 * edition has no invitation). One rule for every option that takes such a person: `topics
 * propose --by` and `--co-presenter` (attendeeNamed), `schedule add|edit --speaker` (speakersNamed),
 * `topics update --presenter` (presentersNamed), `materials notes --author` (editionPersonNamed).
 */
import type { Kysely } from 'kysely';
import type { Database, InvitationState } from '../../db/schema.js';
import { InvalidInput } from '../errors.js';
import { editionPeople } from './material-queries.js';

/** Somebody a command may name, with every way of naming them. */
export interface Nameable {
  personId: number;
  name: string;
  slug: string;
  /** Their invitation to the edition, when they have one: its id, address and state. */
  invitationId: number | null;
  email: string | null;
  state: InvitationState | null;
}

/** The ways a person can be named, for a refusal: "(give …)". */
function namingForms(personIds: boolean): string {
  return `a name, a slug, #id or an address; see conclave invite list${personIds ? ', or conclave schedule show --json for a person #id' : ''}`;
}

/** How to name `p` without doubt, for a refusal that found several. */
function plainly(p: Nameable, sameName: boolean): string {
  const ways = [sameName ? p.slug : `"${p.name}"`, ...(p.email ? [p.email] : sameName ? [] : [p.slug])];
  return ways.join(' or ');
}

/**
 * The one person of `people` that `who` names, or null for nobody. Several are refused, naming
 * each and how to name them instead: two people of one name, or a "#N" that is one's invitation
 * and another's person id (never picked silently).
 */
export function personNamed(people: Nameable[], who: string, opts: { field: string; where: string; personIds: boolean }): Nameable | null {
  const key = who.trim().toLowerCase();
  const number = /^#?\d+$/.test(key) ? Number(key.replace('#', '')) : null;
  const byInvitation = (p: Nameable) => number !== null && p.invitationId === number;
  const byPerson = (p: Nameable) => opts.personIds && number !== null && p.personId === number;
  const hits = people.filter(
    (p) => byInvitation(p) || byPerson(p) || (number === null && (p.slug === key || p.name.toLowerCase() === key || (p.email !== null && p.email.toLowerCase() === key))),
  );
  const unique = [...new Map(hits.map((p) => [p.personId, p])).values()];
  if (unique.length <= 1) return unique[0] ?? null;
  if (number !== null) {
    const what = (p: Nameable) => `${byInvitation(p) ? 'invitation' : 'person'} #${number} is ${p.name}'s`;
    throw new InvalidInput(
      opts.field,
      `"${who.trim()}" names ${unique.length} people of ${opts.where}: ${unique.map(what).join(', ')}; say which by name or address (${unique.map((p) => plainly(p, false)).join('; ')})`,
    );
  }
  throw new InvalidInput(
    opts.field,
    `"${who.trim()}" names ${unique.length} people of ${opts.where}; say which by slug or address (${unique.map((p) => plainly(p, true)).join('; ')})`,
  );
}

/** Everybody invited to the edition, in any state, as they may be named. */
async function invited(db: Kysely<Database>, editionId: number): Promise<Nameable[]> {
  const rows = await db
    .selectFrom('invitations')
    .innerJoin('people', 'people.id', 'invitations.person_id')
    .select(['people.id', 'people.name', 'people.slug', 'invitations.id as invitationId', 'invitations.email', 'invitations.state'])
    .where('invitations.edition_id', '=', editionId)
    .orderBy('invitations.id')
    .execute();
  return rows.map((r) => ({ personId: r.id, name: r.name, slug: r.slug, invitationId: r.invitationId, email: r.email, state: r.state }));
}

/** An accepted attendee named by `who` (a proposer, a co-presenter); refused naming `field` otherwise. */
export async function attendeeNamed(
  deps: { db: Kysely<Database> },
  edition: { id: number; title: string },
  who: string,
  field: string,
): Promise<{ id: number; name: string; slug: string }> {
  const hit = personNamed(await invited(deps.db, edition.id), who, { field, where: edition.title, personIds: false });
  if (!hit) throw new InvalidInput(field, `"${who}" is not invited to ${edition.title} (give ${namingForms(false)})`);
  if (hit.state !== 'accepted') throw new InvalidInput(field, `${hit.name} has not accepted the invitation to ${edition.title} (it is ${hit.state}): only accepted attendees present topics`);
  return { id: hit.personId, name: hit.name, slug: hit.slug };
}

/**
 * The people `given` names as a slot's speakers, in order: each among the edition's speaker
 * choices (see schedule.ts speakerChoices), named as `attendeeNamed` takes a person or by their
 * person id. Refused naming `field`: somebody invited who may not speak (their invitation not
 * accepted) is told apart from somebody the edition does not know.
 */
export async function speakersNamed(
  deps: { db: Kysely<Database> },
  state: { edition: { id: number; title: string }; speakerChoices: { personId: number; name: string; slug: string }[] },
  given: string[],
  field: string,
): Promise<number[]> {
  const people = new Map((await invited(deps.db, state.edition.id)).map((p) => [p.personId, p]));
  for (const c of state.speakerChoices) if (!people.has(c.personId)) people.set(c.personId, { ...c, invitationId: null, email: null, state: null });
  const choices = new Set(state.speakerChoices.map((c) => c.personId));
  const list = [...people.values()];
  return given.map((who) => {
    const hit = personNamed(list, who, { field, where: state.edition.title, personIds: true });
    if (!hit) throw new InvalidInput(field, `"${who}" is neither invited to ${state.edition.title} nor on its schedule (give ${namingForms(true)})`);
    if (!choices.has(hit.personId)) {
      throw new InvalidInput(
        field,
        `${hit.name} is invited to ${state.edition.title} but has not accepted (the invitation is ${hit.state}): a speaker is an accepted attendee, a presenter of an accepted topic or somebody already on the schedule`,
      );
    }
    return hit.personId;
  });
}

/**
 * The people `given` names as a topic's presenters, in order: anybody invited to the edition, or
 * somebody presenting the topic already (an imported topic's speaker has no invitation), named as
 * `speakersNamed` takes a person. Whether each may present is the domain's to say (updateTopic):
 * this only finds them, refused naming `field` when `who` names nobody or several.
 */
export async function presentersNamed(
  deps: { db: Kysely<Database> },
  edition: { id: number; title: string },
  current: { id: number; name: string; slug: string }[],
  given: string[],
  field: string,
): Promise<number[]> {
  const people = new Map((await invited(deps.db, edition.id)).map((p) => [p.personId, p]));
  for (const c of current) if (!people.has(c.id)) people.set(c.id, { personId: c.id, name: c.name, slug: c.slug, invitationId: null, email: null, state: null });
  const list = [...people.values()];
  return given.map((who) => {
    const hit = personNamed(list, who, { field, where: edition.title, personIds: true });
    if (!hit) throw new InvalidInput(field, `"${who}" is neither invited to ${edition.title} nor a presenter of the topic (give ${namingForms(true)})`);
    return hit.personId;
  });
}

/**
 * A person of the edition (editionPeople: its committee, attendees, speakers and presenters)
 * named by `who` as `attendeeNamed` takes a person: a name, a slug, #N of their invitation, or an
 * address (their invitation's, or one of theirs). Refused naming `field`: the author of meeting
 * notes (`materials notes --author`).
 */
export async function editionPersonNamed(
  deps: { db: Kysely<Database> },
  edition: { id: number; title: string },
  who: string,
  field: string,
): Promise<{ id: number; name: string; slug: string }> {
  const people = await editionPeople(deps.db, edition.id);
  const ids = people.map((p) => p.id);
  const byId = new Map((await invited(deps.db, edition.id)).map((p) => [p.personId, p]));
  const emails = ids.length === 0 ? [] : await deps.db.selectFrom('person_emails').select(['person_id', 'email']).where('person_id', 'in', ids).orderBy('id').execute();
  // One entry per way of naming: personNamed counts a person once however many of theirs match.
  const list: Nameable[] = people.flatMap((p) => {
    const inv = byId.get(p.id);
    const own = { personId: p.id, name: p.name, slug: p.slug, invitationId: inv?.invitationId ?? null, email: inv?.email ?? null, state: inv?.state ?? null };
    return [own, ...emails.filter((e) => e.person_id === p.id).map((e) => ({ ...own, email: e.email }))];
  });
  const hit = personNamed(list, who, { field, where: edition.title, personIds: false });
  if (!hit) throw new InvalidInput(field, `nobody of ${edition.title} is called ${JSON.stringify(who)} (give ${namingForms(false)}, of its committee, attendees or speakers)`);
  return { id: hit.personId, name: hit.name, slug: hit.slug };
}

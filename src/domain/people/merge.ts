/**
 * The committee's corrections to people: two records of one person made one (an import read
 * "Dave Miller" and "David S. Miller" as two), and a person's shown name changed.
 *
 * A merge moves every reference to the record merged (`from`) to the one kept (`into`), in one
 * transaction: names, addresses, attendances, committee seats, talks, topics presented and
 * proposed, materials authored, invitations, committee accounts, schedule notices. What would
 * then be there twice (both attended one edition, both speak in one slot, both sat on one
 * edition's committee in the same role) becomes one row, the kept person's. What cannot be made
 * one is refused, the merge writing nothing: two invitations to one edition, two committee roles
 * of one edition. `from`'s names become `into`'s (a later import of those spellings resolves to
 * `into`) and its slug leads to `into` (person_slugs, migration 035).
 *
 * Search documents follow by themselves: migration 031's triggers refresh the talks, topics and
 * editions whose speakers, presenters or authors change; the transaction defers them to its
 * commit (deferSearchRefresh).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { recordAudit, type Actor } from '../audit/record.js';
import { Conflict, InvalidInput, NotFound } from '../errors.js';
import { deferSearchRefresh } from '../search/documents.js';
import { parseInput, visibleLine } from '../validate.js';
import { urls } from '../../web/urls.js';
import { slugOfName } from './identity.js';
import { byName } from './load-person.js';
import { nameKey } from './names.js';

type Tx = Kysely<Database> | Transaction<Database>;

const slug = z.string().trim().min(1, 'must name a person by their slug').max(200, 'must be at most 200 characters');

const MergeInput = z.object({ from: slug, into: slug });
export type MergeInput = z.input<typeof MergeInput>;

const RenameInput = z.object({
  slug,
  name: visibleLine(z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters')).transform((s) => s.replace(/\s+/g, ' ')),
});
export type RenameInput = z.input<typeof RenameInput>;

/** One kind of reference a merge moves: what moves as it is, and what becomes one with the kept person's row. */
export interface MergeItem {
  /** "attendances", "committee seats", "names"… */
  what: string;
  /** Each reference moved, as a reader names it ("Netconf 2011", "Dave Miller"). */
  moved: string[];
  /** Each reference that becomes one with the kept person's own. */
  collapsed: string[];
}

/** What a merge does, before it is done: `clashes` non-empty, it is refused. */
export interface MergePlan {
  from: { slug: string; name: string };
  into: { slug: string; name: string };
  items: MergeItem[];
  clashes: string[];
}

interface PersonRow {
  id: number;
  slug: string;
  name: string;
  affiliation: string | null;
}

async function personBySlug(tx: Tx, s: string, field: string): Promise<PersonRow> {
  const p = await tx.selectFrom('people').select(['id', 'slug', 'name', 'affiliation']).where('slug', '=', s).executeTakeFirst();
  if (!p) throw new NotFound(`${field}: nobody is known as ${s} (conclave people list)`);
  return p;
}

/** "Netconf 2011": how an edition is named in a plan. */
const EDITION_LABEL = sql<string>`(select s.name || ' ' || e.year from editions e join series s on s.id = e.series_id where e.id = edition_id)`;

/** The edition label of each row of `rows`, in order, and the ones only `from` has. */
function split<T>(rows: T[], clashKey: (r: T) => unknown, intoKeys: Set<unknown>, label: (r: T) => string): { moved: string[]; collapsed: string[] } {
  const moved: string[] = [];
  const collapsed: string[] = [];
  for (const r of rows) (intoKeys.has(clashKey(r)) ? collapsed : moved).push(label(r));
  return { moved, collapsed };
}

/** Reads what merging `from` into `into` would do; writes nothing. */
async function plan(tx: Tx, from: PersonRow, into: PersonRow): Promise<MergePlan> {
  const items: MergeItem[] = [];
  const clashes: string[] = [];
  const add = (what: string, parts: { moved: string[]; collapsed: string[] }) => {
    if (parts.moved.length + parts.collapsed.length > 0) items.push({ what, ...parts });
  };

  const intoNames = new Set((await tx.selectFrom('person_names').select('name').where('person_id', '=', into.id).execute()).map((r) => r.name));
  const fromNames = (await tx.selectFrom('person_names').select('name').where('person_id', '=', from.id).orderBy('name').execute()).map((r) => r.name);
  add('names', split(fromNames, (n) => n, intoNames, (n) => n));

  const emails = await tx.selectFrom('person_emails').select('email').where('person_id', '=', from.id).orderBy('id').execute();
  add('addresses', { moved: emails.map((e) => e.email), collapsed: [] });

  const oldSlugs = await tx.selectFrom('person_slugs').select('slug').where('person_id', '=', from.id).orderBy('slug').execute();
  add('slugs (leading to the kept person)', { moved: [from.slug, ...oldSlugs.map((r) => r.slug)], collapsed: [] });

  const byEdition = async (table: 'attendances' | 'committee_members' | 'invitations', id: number) =>
    tx.selectFrom(table).select(['id', 'edition_id']).select(EDITION_LABEL.as('label')).where('person_id', '=', id).orderBy('edition_id').execute();

  const intoAttended = new Set((await byEdition('attendances', into.id)).map((r) => r.edition_id));
  add('attendances', split(await byEdition('attendances', from.id), (r) => r.edition_id, intoAttended, (r) => r.label));

  const roles = (id: number) =>
    tx.selectFrom('committee_members').select(['edition_id', 'role']).select(EDITION_LABEL.as('label')).where('person_id', '=', id).orderBy('edition_id').execute();
  const intoRoles = new Map((await roles(into.id)).map((r) => [r.edition_id, r.role]));
  const fromRoles = await roles(from.id);
  // A seat with another role on the same committee is a clash: neither moved nor made one.
  const seats = fromRoles.filter((r) => {
    const theirs = intoRoles.get(r.edition_id);
    const clash = theirs !== undefined && theirs !== null && r.role !== null && theirs.trim().toLowerCase() !== r.role.trim().toLowerCase();
    if (clash) clashes.push(`${r.label}: both sat on the committee, as “${r.role}” (${from.slug}) and as “${theirs}” (${into.slug})`);
    return !clash;
  });
  add('committee seats', split(seats, (r) => r.edition_id, new Set(intoRoles.keys()), (r) => r.label));

  const invitations = (id: number) =>
    tx.selectFrom('invitations').select(['id', 'edition_id', 'state']).select(EDITION_LABEL.as('label')).where('person_id', '=', id).orderBy('edition_id').execute();
  const intoInvited = new Map((await invitations(into.id)).map((r) => [r.edition_id, r]));
  const fromInvited = await invitations(from.id);
  for (const r of fromInvited) {
    const theirs = intoInvited.get(r.edition_id);
    if (theirs) clashes.push(`${r.label}: both have an invitation, #${r.id} (${r.state}, ${from.slug}) and #${theirs.id} (${theirs.state}, ${into.slug}); withdraw or revoke one first`);
  }
  add('invitations', { moved: fromInvited.filter((r) => !intoInvited.has(r.edition_id)).map((r) => `${r.label} (#${r.id}, ${r.state})`), collapsed: [] });

  const talks = (id: number) =>
    tx
      .selectFrom('slot_speakers as ss')
      .innerJoin('slots as s', 's.id', 'ss.slot_id')
      .innerJoin('agenda_days as d', 'd.id', 's.day_id')
      .innerJoin('editions as e', 'e.id', 'd.edition_id')
      .innerJoin('series', 'series.id', 'e.series_id')
      .leftJoin('topics as t', 't.id', 's.topic_id')
      .select(['ss.slot_id', 'd.date', 's.start_time'])
      .select(sql<string>`coalesce(nullif(btrim(s.title), ''), t.title, '')`.as('title'))
      .where('ss.person_id', '=', id)
      .orderBy('d.date')
      .orderBy('s.start_time')
      .execute();
  const intoSlots = new Set((await talks(into.id)).map((r) => r.slot_id));
  add('talks', split(await talks(from.id), (r) => r.slot_id, intoSlots, (r) => `${r.date} ${r.start_time} “${r.title}”`));

  const presented = (id: number) =>
    tx
      .selectFrom('topic_presenters as p')
      .innerJoin('topics as t', 't.id', 'p.topic_id')
      .select(['p.topic_id', 't.number', 't.title', 't.edition_id'])
      .select(EDITION_LABEL.as('label'))
      .where('p.person_id', '=', id)
      .orderBy('t.edition_id')
      .orderBy('t.number')
      .execute();
  const intoTopics = new Set((await presented(into.id)).map((r) => r.topic_id));
  add('topics presented', split(await presented(from.id), (r) => r.topic_id, intoTopics, (r) => `${r.label} #${r.number} “${r.title}”`));

  const proposed = await tx.selectFrom('topics').select(['number', 'title', 'edition_id']).select(EDITION_LABEL.as('label')).where('proposer_id', '=', from.id).orderBy('edition_id').orderBy('number').execute();
  add('topics proposed', { moved: proposed.map((r) => `${r.label} #${r.number} “${r.title}”`), collapsed: [] });

  const authored = await tx.selectFrom('materials').select(['id', 'label', 'edition_id']).select(EDITION_LABEL.as('edition')).where('author_id', '=', from.id).orderBy('id').execute();
  add('materials authored', { moved: authored.map((r) => `${r.edition} “${r.label}”`), collapsed: [] });

  const accounts = await tx.selectFrom('committee_accounts').select('email').where('person_id', '=', from.id).orderBy('id').execute();
  add('committee accounts', { moved: accounts.map((a) => a.email), collapsed: [] });

  const notices = (id: number) => tx.selectFrom('schedule_change_notices').select('change_id').where('person_id', '=', id).orderBy('change_id').execute();
  const intoNotices = new Set((await notices(into.id)).map((r) => r.change_id));
  add('schedule change notices', split(await notices(from.id), (r) => r.change_id, intoNotices, (r) => `change ${r.change_id}`));

  const notified = await notifiedChanges(tx, from.id);
  add('schedule changes told to them', { moved: notified.map((r) => `change ${r.id}`), collapsed: [] });

  return { from: { slug: from.slug, name: from.name }, into: { slug: into.slug, name: into.name }, items, clashes };
}

/** The schedule changes whose speakers told (a list of person ids) include `id`. */
async function notifiedChanges(tx: Tx, id: number) {
  return tx
    .selectFrom('schedule_changes')
    .select(['id', 'notified'])
    .where(sql<boolean>`notified @> ${JSON.stringify([id])}::jsonb`)
    .orderBy('id')
    .execute();
}

/**
 * The two people of a merge, `from` and `into`. With `lock`, their rows are locked first (in id
 * order, so two merges of one pair wait for each other, never each for the other) and read as
 * they are once the lock is had: a merge of the pair done meanwhile has removed `from`, and that
 * is said (MergedAlready), never acted on.
 */
async function people(tx: Tx, input: MergeInput, lock = false): Promise<[PersonRow, PersonRow]> {
  const m = parseInput(MergeInput, input);
  if (m.from === m.into) throw new InvalidInput('into', `is the same person as from (${m.from}): name two records`);
  const rows = await tx
    .selectFrom('people')
    .select(['id', 'slug', 'name', 'affiliation'])
    .where('slug', 'in', [m.from, m.into])
    .orderBy('id')
    .$if(lock, (q) => q.forUpdate())
    .execute();
  const from = rows.find((r) => r.slug === m.from);
  const into = rows.find((r) => r.slug === m.into);
  if (from && into) return [from, into];
  // Asked again once done (a form sent twice, a command run twice, two at once): said so, not "nobody is known as".
  const kept = await mergedAlready({ db: tx }, m);
  if (kept) throw new MergedAlready(m.from, kept);
  const [field, s] = from ? ['into', m.into] : ['from', m.from];
  throw new NotFound(`${field}: nobody is known as ${s} (conclave people list)`);
}

/** A merge asked for again once it is done: `from` now leads to the kept person. */
export class MergedAlready extends Conflict {
  override name = 'MergedAlready';
  constructor(
    readonly from: string,
    readonly kept: { slug: string; name: string },
  ) {
    super(mergedAlreadySentence(from, kept));
  }
}

/** What a merge asked for again says, on the people page and in the terminal. */
export function mergedAlreadySentence(from: string, kept: { slug: string; name: string }): string {
  return `${from} is merged into ${kept.name} (${kept.slug}) already: there is nothing left to merge, and ${urls.person(from)} leads to them.`;
}

/** What merging `from` into `into` would move, make one and refuse; writes nothing (a dry run, a confirmation page). */
export async function planMerge(deps: { db: Kysely<Database> }, input: MergeInput): Promise<MergePlan> {
  const [from, into] = await people(deps.db, input);
  return plan(deps.db, from, into);
}

/**
 * The merge of `from` into `into` when it is done already: `from` no longer names a record but
 * leads, as the public /people/<slug>/ does (person_slugs), to the person `into` names (by their
 * slug now, or one they went by). The kept person, or null when the merge is still to be made
 * (or the slugs are nobody's: planMerge says so).
 */
export async function mergedAlready(deps: { db: Kysely<Database> }, input: MergeInput): Promise<{ slug: string; name: string } | null> {
  const m = parseInput(MergeInput, input);
  if (m.from === m.into || (await deps.db.selectFrom('people').select('id').where('slug', '=', m.from).executeTakeFirst())) return null;
  const now = (s: string) =>
    deps.db
      .selectFrom('people')
      .select(['people.id', 'people.slug', 'people.name'])
      .where((eb) => eb.or([eb('people.slug', '=', s), eb('people.id', 'in', eb.selectFrom('person_slugs').select('person_id').where('slug', '=', s))]))
      .executeTakeFirst();
  const [from, into] = await Promise.all([now(m.from), now(m.into)]);
  return from && into && from.id === into.id ? { slug: into.slug, name: into.name } : null;
}

/** The message of a refused merge: each clash, one a line. */
export function clashMessage(p: MergePlan): string {
  return `cannot merge ${p.from.slug} into ${p.into.slug}: ${p.clashes.join('; ')}`;
}

/**
 * Merges the person `from` into `into` (slugs), in one transaction: see the top of the file.
 * Refuses (Conflict) when something of the two cannot be made one, writing nothing.
 */
export async function mergePeople(deps: { db: Kysely<Database> }, actor: Actor, input: MergeInput): Promise<MergePlan> {
  return deps.db.transaction().execute(async (trx) => {
    // Locked before anything is checked: a check made before would not hold once the lock is had.
    const [from, into] = await people(trx, input, true);
    const p = await plan(trx, from, into);
    if (p.clashes.length > 0) throw new Conflict(clashMessage(p));
    await deferSearchRefresh(trx);
    const f = from.id;
    const t = into.id;

    await trx
      .insertInto('person_names')
      .columns(['person_id', 'name'])
      .expression((eb) => eb.selectFrom('person_names').select([sql<number>`${t}::integer`.as('person_id'), 'name']).where('person_id', '=', f))
      .onConflict((oc) => oc.doNothing())
      .execute();
    const intoHasPrimary = await trx.selectFrom('person_emails').select('id').where('person_id', '=', t).where('is_primary', '=', true).executeTakeFirst();
    await trx
      .updateTable('person_emails')
      .set((eb) => ({ person_id: t, is_primary: intoHasPrimary ? false : eb.ref('is_primary') }))
      .where('person_id', '=', f)
      .execute();
    await trx.updateTable('person_slugs').set({ person_id: t }).where('person_id', '=', f).execute();

    // Rows of one edition, slot, topic or change for both: the kept person's stays, given what
    // only the other's had.
    await trx
      .updateTable('attendances as a')
      .from('attendances as o')
      .set((eb) => ({
        email_as_listed: eb.fn.coalesce('a.email_as_listed', 'o.email_as_listed'),
        affiliation_as_listed: eb.fn.coalesce('a.affiliation_as_listed', 'o.affiliation_as_listed'),
      }))
      .whereRef('o.edition_id', '=', 'a.edition_id')
      .where('a.person_id', '=', t)
      .where('o.person_id', '=', f)
      .execute();
    await moveRows(trx, 'attendances', 'edition_id', f, t);

    await trx
      .updateTable('committee_members as c')
      .from('committee_members as o')
      .set((eb) => ({ role: eb.fn.coalesce('c.role', 'o.role'), email_as_listed: eb.fn.coalesce('c.email_as_listed', 'o.email_as_listed') }))
      .whereRef('o.edition_id', '=', 'c.edition_id')
      .where('c.person_id', '=', t)
      .where('o.person_id', '=', f)
      .execute();
    await moveRows(trx, 'committee_members', 'edition_id', f, t);

    await trx.updateTable('invitations').set({ person_id: t }).where('person_id', '=', f).execute();

    await moveRows(trx, 'slot_speakers', 'slot_id', f, t);
    await moveRows(trx, 'topic_presenters', 'topic_id', f, t);

    await trx.updateTable('topics').set({ proposer_id: t }).where('proposer_id', '=', f).execute();
    await trx.updateTable('materials').set({ author_id: t }).where('author_id', '=', f).execute();
    await trx.updateTable('committee_accounts').set({ person_id: t }).where('person_id', '=', f).execute();

    await moveRows(trx, 'schedule_change_notices', 'change_id', f, t);

    for (const c of await notifiedChanges(trx, f)) {
      const ids = [...new Set(c.notified.map((id) => (id === f ? t : id)))];
      await trx.updateTable('schedule_changes').set({ notified: JSON.stringify(ids) }).where('id', '=', c.id).execute();
    }

    if (into.affiliation === null && from.affiliation !== null) await trx.updateTable('people').set({ affiliation: from.affiliation }).where('id', '=', t).execute();
    await trx.deleteFrom('people').where('id', '=', f).execute();
    await trx.insertInto('person_slugs').values({ slug: from.slug, person_id: t }).execute();

    await recordAudit(trx, actor, {
      action: 'person.merge',
      entity: 'person',
      entityId: t,
      before: { from: { id: f, slug: from.slug, name: from.name }, into: { id: t, slug: into.slug, name: into.name } },
      after: { slug: into.slug, moved: Object.fromEntries(p.items.map((i) => [i.what, { moved: i.moved.length, collapsed: i.collapsed.length }])) },
    });
    return p;
  });
}

/** What renamePerson did: the name and slug before and after. */
export interface Renamed {
  before: { slug: string; name: string };
  after: { slug: string; name: string };
}

/**
 * Gives the person `slug` the shown name `name`. The old name stays one of theirs (an import of
 * it still finds them). The slug follows the new name when that slug is nobody's, as a person's
 * first slug is made from their name; the old one then leads to them (person_slugs).
 */
export async function renamePerson(deps: { db: Kysely<Database> }, actor: Actor, input: RenameInput): Promise<Renamed> {
  const r = parseInput(RenameInput, input);
  return deps.db.transaction().execute(async (trx) => {
    const p = await personBySlug(trx, r.slug, 'slug');
    await trx.selectFrom('people').select('id').where('id', '=', p.id).forUpdate().execute();
    await deferSearchRefresh(trx);
    if (nameKey(r.name) === '') throw new InvalidInput('name', 'must hold a letter or a digit');
    const wanted = slugOfName(r.name) || p.slug;
    let newSlug = p.slug;
    if (wanted !== p.slug) {
      const person = await trx.selectFrom('people').select('id').where('slug', '=', wanted).executeTakeFirst();
      const old = await trx.selectFrom('person_slugs').select('person_id').where('slug', '=', wanted).executeTakeFirst();
      if (!person && (!old || old.person_id === p.id)) newSlug = wanted;
    }
    await trx
      .insertInto('person_names')
      .values([
        { person_id: p.id, name: p.name },
        { person_id: p.id, name: r.name },
      ])
      .onConflict((oc) => oc.doNothing())
      .execute();
    await trx.updateTable('people').set({ name: r.name, name_key: nameKey(r.name), slug: newSlug }).where('id', '=', p.id).execute();
    if (newSlug !== p.slug) {
      await trx.deleteFrom('person_slugs').where('slug', '=', newSlug).execute();
      await trx.insertInto('person_slugs').values({ slug: p.slug, person_id: p.id }).execute();
    }
    const out = { before: { slug: p.slug, name: p.name }, after: { slug: newSlug, name: r.name } };
    await recordAudit(trx, actor, { action: 'person.rename', entity: 'person', entityId: p.id, ...out });
    return out;
  });
}

/** One person as the committee sees them: names, addresses, old slugs and their part in each edition. */
export interface PersonRecord {
  slug: string;
  name: string;
  otherNames: string[];
  addresses: string[];
  oldSlugs: string[];
  editions: { edition: string; parts: string[] }[];
}

/**
 * Everybody (or the people `slugs`), as the committee's list shows them: each with the editions
 * they have a part in (attended, committee, talks, topics, invitations), oldest first. Sorted by
 * name as the public index is.
 */
export async function personRecords(deps: { db: Kysely<Database> }, slugs?: string[]): Promise<PersonRecord[]> {
  const { db } = deps;
  if (slugs && slugs.length === 0) return [];
  const rows = await db
    .selectFrom('people')
    .select(['id', 'slug', 'name'])
    .$if(slugs !== undefined, (q) => q.where('slug', 'in', slugs!))
    .execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [names, emails, olds, parts, editions] = await Promise.all([
    db.selectFrom('person_names').select(['person_id', 'name']).where('person_id', 'in', ids).orderBy('name').execute(),
    db.selectFrom('person_emails').select(['person_id', 'email']).where('person_id', 'in', ids).orderBy('id').execute(),
    db.selectFrom('person_slugs').select(['person_id', 'slug']).where('person_id', 'in', ids).orderBy('slug').execute(),
    sql<{ person_id: number; edition_id: number; part: string }>`
      select person_id, edition_id, 'attended' as part from attendances where person_id in (${sql.join(ids)})
      union all select person_id, edition_id, coalesce('committee (' || role || ')', 'committee') from committee_members where person_id in (${sql.join(ids)})
      union all select ss.person_id, d.edition_id, 'talk' from slot_speakers ss join slots s on s.id = ss.slot_id join agenda_days d on d.id = s.day_id where ss.person_id in (${sql.join(ids)})
      union all select p.person_id, t.edition_id, 'topic' from topic_presenters p join topics t on t.id = p.topic_id where p.person_id in (${sql.join(ids)})
      union all select person_id, edition_id, 'invitation (' || state || ')' from invitations where person_id in (${sql.join(ids)})`.execute(db),
    db.selectFrom('editions').innerJoin('series', 'series.id', 'editions.series_id').select(['editions.id', 'editions.year', 'series.name']).orderBy('editions.year').orderBy('series.name').execute(),
  ]);
  const order = new Map(editions.map((e, i) => [e.id, i]));
  const label = new Map(editions.map((e) => [e.id, `${e.name} ${e.year}`]));
  const out = rows.map((p) => {
    const mine = parts.rows.filter((r) => r.person_id === p.id);
    const byEdition = new Map<number, string[]>();
    for (const r of mine) {
      const list = byEdition.get(r.edition_id) ?? [];
      list.push(r.part);
      byEdition.set(r.edition_id, list);
    }
    return {
      slug: p.slug,
      name: p.name,
      otherNames: names.filter((n) => n.person_id === p.id && n.name !== p.name).map((n) => n.name),
      addresses: emails.filter((e) => e.person_id === p.id).map((e) => e.email),
      oldSlugs: olds.filter((o) => o.person_id === p.id).map((o) => o.slug),
      editions: [...byEdition.entries()]
        .sort(([a], [b]) => (order.get(a) ?? 0) - (order.get(b) ?? 0))
        .map(([id, list]) => ({ edition: label.get(id) ?? String(id), parts: counted(list) })),
    };
  });
  return out.sort(byName);
}

/** ["talk", "talk", "attended"] → ["talk ×2", "attended"], in the order first seen. */
function counted(list: string[]): string[] {
  const n = new Map<string, number>();
  for (const x of list) n.set(x, (n.get(x) ?? 0) + 1);
  return [...n].map(([x, k]) => (k > 1 ? `${x} ×${k}` : x));
}

/** One person's record (personRecords), or NotFound. */
export async function personRecord(deps: { db: Kysely<Database> }, s: string): Promise<PersonRecord> {
  const [p] = await personRecords(deps, [s]);
  if (!p) throw new NotFound(`nobody is known as ${s} (conclave people list)`);
  return p;
}

/**
 * Moves `table`'s rows of person `f` to `t`, first dropping those whose `key` (an edition, a
 * slot, a topic, a change) `t` has a row for already: one row per person there, the kept one's.
 */
async function moveRows(
  trx: Transaction<Database>,
  table: 'attendances' | 'committee_members' | 'slot_speakers' | 'topic_presenters' | 'schedule_change_notices',
  key: 'edition_id' | 'slot_id' | 'topic_id' | 'change_id',
  f: number,
  t: number,
): Promise<void> {
  const rows = sql.table(table);
  await sql`delete from ${rows} where person_id = ${f} and ${sql.ref(key)} in (select ${sql.ref(key)} from ${rows} where person_id = ${t})`.execute(trx);
  await sql`update ${rows} set person_id = ${t} where person_id = ${f}`.execute(trx);
}

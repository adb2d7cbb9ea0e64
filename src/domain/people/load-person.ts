/**
 * A person across the years: editions attended, committee service, talks and topics, and the
 * same per edition for the chart. Addresses appear only where their owner lets them; talks of a
 * planned edition and proposals accepted for a planned edition are not shown (as in search).
 */
import { slugOfName } from './identity.js';
import { sql, type Kysely } from 'kysely';
import type { Database, SlotKind } from '../../db/schema.js';
import { slotAnchorSql, topicAnchor } from '../editions/load-edition.js';
import { NotFound } from '../errors.js';

export interface PersonView {
  slug: string;
  name: string;
  otherNames: string[];
  affiliation: string | null;
  emails: string[];
  /**
   * Of `emails`, those known only from imported pages, with the years the pages listed them
   * (an old page's address need not be current); the rest were entered in conclave.
   */
  emailsListed: { email: string; years: number[] }[];
  years: {
    seriesSlug: string;
    seriesName: string;
    year: number;
    title: string;
    attended: boolean;
    /** The edition has not ended (on the day given): an attendee is to attend, by an accepted invitation. */
    upcoming: boolean;
    committeeRole: string | null;
    onCommittee: boolean;
    /** `anchor`: the talk's row on its edition page (slotAnchor). */
    talks: { date: string; start: string; kind: SlotKind; title: string; talkTitle: string | null; anchor: string; coSpeakers: string[] }[];
    topics: string[];
    /** Where each of `topics`, in the same order, is on its edition page (topicAnchor). */
    topicAnchors: string[];
  }[];
  /** For the chart: every edition of each series the person took part in, oldest first. */
  timelines: Timeline[];
}

/** A person's part in each edition of one series, for the chart over the years. */
export interface Timeline {
  seriesSlug: string;
  seriesName: string;
  years: { year: number; attended: boolean; upcoming: boolean; talks: number; topics: number; committee: boolean; committeeRole: string | null }[];
}

/**
 * The chart's axis: the editions of the series the person took part in, oldest first. Planned
 * editions are left out unless the person already has a part in one (an accepted invitation).
 */
function timelinesOf(
  editions: { year: number; status: string; slug: string; name: string }[],
  years: PersonView['years'],
): Timeline[] {
  const series = [...new Set(years.map((y) => y.seriesSlug))];
  return series.map((slug) => {
    const mine = new Map(years.filter((y) => y.seriesSlug === slug).map((y) => [y.year, y]));
    const all = editions.filter((e) => e.slug === slug && (e.status !== 'planned' || mine.has(e.year)));
    return {
      seriesSlug: slug,
      seriesName: all[0]?.name ?? slug,
      years: all
        .map((e) => {
          const y = mine.get(e.year);
          return {
            year: e.year,
            attended: y?.attended ?? false,
            upcoming: y?.upcoming ?? false,
            talks: y?.talks.length ?? 0,
            topics: y?.topics.length ?? 0,
            committee: y?.onCommittee ?? false,
            committeeRole: y?.committeeRole ?? null,
          };
        })
        .sort((a, b) => a.year - b.year),
    };
  });
}

/** The list of editions a person's years are drawn from, newest first (the same for everybody). */
function editionsQuery(db: Kysely<Database>) {
  return db
    .selectFrom('editions')
    .innerJoin('series', 'series.id', 'editions.series_id')
    .select(['editions.id', 'editions.year', 'editions.title', 'editions.status', 'editions.start_date', 'editions.end_date', 'series.slug', 'series.name'])
    .orderBy('editions.year', 'desc');
}

/**
 * The rows of a person's part, for the people `ids` (null: everybody), each query once. Each
 * row names its person; grouped by person, rows keep the order they were read in.
 */
async function readParts(db: Kysely<Database>, ids: number[] | null) {
  const some = ids !== null;
  const [names, emails, attended, committee, talks, coSpeakers, topics] = await Promise.all([
    db.selectFrom('person_names').select(['person_id', 'name']).$if(some, (q) => q.where('person_id', 'in', ids!)).orderBy('name').execute(),
    db
      .selectFrom('person_emails as pe')
      .select(['pe.person_id', 'pe.email'])
      // The years an imported page listed the address, for one known only from such pages: no
      // invitation went to it and no committee account uses it (an address a person or the
      // committee entered here is shown as current).
      .select(
        sql<string | null>`(select string_agg(distinct e.year::text, ' ' order by e.year::text)
            from (select edition_id, email_as_listed from attendances a where a.person_id = pe.person_id and a.source = 'page'
                  union all select edition_id, email_as_listed from committee_members c where c.person_id = pe.person_id and c.imported) l
            join editions e on e.id = l.edition_id
           where lower(l.email_as_listed) = lower(pe.email)
             and not exists (select 1 from invitations i where i.person_id = pe.person_id and lower(i.email) = lower(pe.email))
             and not exists (select 1 from committee_accounts ca where ca.person_id = pe.person_id and lower(ca.email) = lower(pe.email)))`.as('listed_in'),
      )
      .$if(some, (q) => q.where('pe.person_id', 'in', ids!))
      .where('pe.is_public', '=', true)
      .orderBy('pe.id')
      .execute(),
    db.selectFrom('attendances').select(['person_id', 'edition_id']).$if(some, (q) => q.where('person_id', 'in', ids!)).execute(),
    db.selectFrom('committee_members').select(['person_id', 'edition_id', 'role']).$if(some, (q) => q.where('person_id', 'in', ids!)).orderBy('id').execute(),
    db
      .selectFrom('slot_speakers')
      .innerJoin('slots', 'slots.id', 'slot_speakers.slot_id')
      .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
      .innerJoin('editions', 'editions.id', 'agenda_days.edition_id')
      // A slot given a topic has no title of its own: its topic's title is shown, as on the agenda.
      .leftJoin('topics', 'topics.id', 'slots.topic_id')
      .select(['slot_speakers.person_id', 'slots.id', 'slots.topic_id', 'agenda_days.edition_id', 'agenda_days.date', 'slots.start_time', 'slots.kind', 'slots.talk_title'])
      .select(sql<string>`coalesce(nullif(btrim(slots.title), ''), topics.title, '')`.as('title'))
      .select(slotAnchorSql('slots', 'agenda_days.date').as('anchor'))
      .$if(some, (q) => q.where('slot_speakers.person_id', 'in', ids!))
      .where('editions.status', '!=', 'planned')
      .orderBy('agenda_days.date')
      .orderBy('slots.position')
      .orderBy('slots.id')
      .execute(),
    db
      .selectFrom('slot_speakers as mine')
      .innerJoin('slot_speakers as other', 'other.slot_id', 'mine.slot_id')
      .innerJoin('people', 'people.id', 'other.person_id')
      .select(['mine.person_id', 'mine.slot_id', 'people.name'])
      .$if(some, (q) => q.where('mine.person_id', 'in', ids!))
      .whereRef('other.person_id', '!=', 'mine.person_id')
      .orderBy('other.position')
      .execute(),
    db
      .selectFrom('topic_presenters')
      .innerJoin('topics', 'topics.id', 'topic_presenters.topic_id')
      .innerJoin('editions', 'editions.id', 'topics.edition_id')
      .select(['topic_presenters.person_id', 'topics.id', 'topics.edition_id', 'topics.title', 'topics.number'])
      .$if(some, (q) => q.where('topic_presenters.person_id', 'in', ids!))
      .where('topics.state', '=', 'accepted')
      .where((w) => w.or([w('topics.origin', '!=', 'proposal'), w('editions.status', '!=', 'planned')]))
      .orderBy('topics.number')
      .orderBy('topics.id')
      .execute(),
  ]);
  return { names, emails, attended, committee, talks, coSpeakers, topics };
}

type Parts = Awaited<ReturnType<typeof readParts>>;
type PersonParts = { [K in keyof Parts]: Parts[K][number][] };

/** The rows of `parts` grouped by person. */
function groupParts(parts: Parts): Map<number, PersonParts> {
  const out = new Map<number, PersonParts>();
  const of = (id: number) => {
    let r = out.get(id);
    if (!r) out.set(id, (r = { names: [], emails: [], attended: [], committee: [], talks: [], coSpeakers: [], topics: [] }));
    return r;
  };
  for (const key of Object.keys(parts) as (keyof Parts)[]) {
    for (const row of parts[key]) (of(row.person_id)[key] as object[]).push(row);
  }
  return out;
}

export async function loadPerson(deps: { db: Kysely<Database> }, slug: string, today = isoToday()): Promise<PersonView> {
  const { db } = deps;
  const p = await db.selectFrom('people').selectAll().where('slug', '=', slug).executeTakeFirst();
  if (!p) throw new NotFound(`nobody is known as ${slug}`);
  const [editions, parts] = await Promise.all([editionsQuery(db).execute(), readParts(db, [p.id])]);
  const view = personView(p, editions, groupParts(parts).get(p.id), today);
  if (!view) throw new NotFound(`nobody is known as ${slug}`);
  return view;
}

/**
 * Every address one would guess from another name a person was listed under (/people/yoshfuji-hideaki/
 * for Yoshifuji Hideaki), with the slug of the one person it leads to: a name that is several
 * people's, or that spells the person's own slug, leads nowhere. And every slug a person went by
 * before (a record merged into theirs, their own before a rename: person_slugs).
 */
export async function otherNameSlugs(deps: { db: Kysely<Database> }): Promise<Map<string, string>> {
  const rows = await deps.db
    .selectFrom('person_names')
    .innerJoin('people', 'people.id', 'person_names.person_id')
    .select(['people.slug', 'person_names.name'])
    .execute();
  const whose = new Map<string, Set<string>>();
  for (const r of rows) {
    // As a person's own slug is made (a name with no Latin gives its own letters); none, no address.
    const s = slugOfName(r.name);
    if (s === '') continue;
    const set = whose.get(s) ?? new Set<string>();
    set.add(r.slug);
    whose.set(s, set);
  }
  const out = new Map<string, string>();
  for (const [s, set] of whose) {
    const [to] = set;
    if (set.size === 1 && to !== s) out.set(s, to!);
  }
  // A slug the person went by before a merge or a rename (person_slugs) leads to them, whoever
  // else a name spelling it is.
  const old = await deps.db.selectFrom('person_slugs').innerJoin('people', 'people.id', 'person_slugs.person_id').select(['person_slugs.slug as old', 'people.slug']).execute();
  for (const o of old) out.set(o.old, o.slug);
  return out;
}

/**
 * The slug of the person whose address `slug` is in other letter case (/people/David-S-Miller/
 * for david-s-miller), or of the one who was also listed under a name that `slug` spells in any case
 * (otherNameSlugs); null when there is no such person, the name is several people's, or that
 * person's page is not public.
 */
export async function slugOfOtherName(deps: { db: Kysely<Database> }, slug: string, today = isoToday()): Promise<string | null> {
  // Slugs are lower case (slugify), so an address in other case is that of its lower-case slug.
  const lower = slug.toLowerCase();
  const cased = lower === slug ? undefined : await deps.db.selectFrom('people').select('slug').where('slug', '=', lower).executeTakeFirst();
  const to = cased?.slug ?? (await otherNameSlugs(deps)).get(lower);
  if (to === undefined) return null;
  try {
    await loadPerson(deps, to, today);
    return to;
  } catch (err) {
    if (err instanceof NotFound) return null;
    throw err;
  }
}

/**
 * Many people at once, each view the same as loadPerson's, in a constant number of queries.
 * `slugs` names them ('all': everybody); somebody unknown, or who took part in nothing (whom
 * loadPerson does not show), is left out. Keyed by slug.
 */
export async function loadPeople(deps: { db: Kysely<Database> }, slugs: string[] | 'all', today = isoToday()): Promise<Map<string, PersonView>> {
  const { db } = deps;
  const out = new Map<string, PersonView>();
  if (slugs !== 'all' && slugs.length === 0) return out;
  const people = await db
    .selectFrom('people')
    .selectAll()
    .$if(slugs !== 'all', (q) => q.where('slug', 'in', slugs as string[]))
    .orderBy('slug')
    .execute();
  if (people.length === 0) return out;
  const [editions, parts] = await Promise.all([editionsQuery(db).execute(), readParts(db, slugs === 'all' ? null : people.map((p) => p.id))]);
  const grouped = groupParts(parts);
  for (const p of people) {
    const view = personView(p, editions, grouped.get(p.id), today);
    if (view) out.set(p.slug, view);
  }
  return out;
}

/** Today as the public pages take it (routes/public.ts): the UTC date. */
function isoToday(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The pure part: a person, the editions and their part in them → their view; null if no part. */
function personView(
  p: { slug: string; name: string; affiliation: string | null },
  editions: { id: number; year: number; title: string; status: string; start_date: string | null; end_date: string | null; slug: string; name: string }[],
  parts: PersonParts | undefined,
  today: string,
): PersonView | null {
  if (!parts) return null;
  const { names, emails, attended, committee, talks, coSpeakers, topics } = parts;
  const attendedIds = new Set(attended.map((a) => a.edition_id));
  // Editions without any part of theirs are left out below: look only at the others.
  const touched = new Set([...attendedIds, ...committee.map((c) => c.edition_id), ...talks.map((t) => t.edition_id), ...topics.map((t) => t.edition_id)]);
  const years = editions
    .filter((e) => touched.has(e.id))
    .map((e) => {
      const c = committee.find((x) => x.edition_id === e.id);
      const own = topics.filter((t) => t.edition_id === e.id && !talks.some((s) => s.topic_id === t.id));
      return {
        seriesSlug: e.slug,
        seriesName: e.name,
        year: e.year,
        title: e.title,
        attended: attendedIds.has(e.id),
        upcoming: (e.end_date ?? e.start_date) === null ? e.status === 'planned' : (e.end_date ?? e.start_date)! >= today,
        onCommittee: !!c,
        committeeRole: c?.role ?? null,
        talks: talks
          .filter((t) => t.edition_id === e.id)
          .map((t) => ({
            date: t.date,
            start: t.start_time,
            kind: t.kind,
            title: t.title,
            talkTitle: t.talk_title,
            anchor: t.anchor,
            coSpeakers: coSpeakers.filter((c2) => c2.slot_id === t.id).map((c2) => c2.name),
          })),
        // A topic they present that is on the schedule as one of their talks is that talk.
        topics: own.map((t) => t.title),
        topicAnchors: own.map((t) => topicAnchor(t.number)),
      };
    })
    .filter((y) => y.attended || y.onCommittee || y.talks.length > 0 || y.topics.length > 0);
  // Only people who took part in something are public: a candidate, an invitee who has not
  // accepted or who declined, a committee account, are nobody's business.
  if (years.length === 0) return null;
  return {
    timelines: timelinesOf(editions, years),
    slug: p.slug,
    name: p.name,
    otherNames: names.map((n) => n.name).filter((n) => n !== p.name),
    affiliation: p.affiliation,
    emails: emails.map((e) => e.email),
    emailsListed: emails.flatMap((e) => (e.listed_in ? [{ email: e.email, years: e.listed_in.split(' ').map(Number) }] : [])),
    years,
  };
}

/** Everybody, for the people index: name, slug and how many editions they took part in. */
const NAME_ORDER = new Intl.Collator('en');

/**
 * The order people are listed in: by name as a reader looks one up, case and accents aside
 * ("Pablo Neira Ayuso" before "PJ Waskiewicz", "Øyvind" among the O's), then by slug. Sorted in
 * JavaScript: an ORDER BY would sort by the database's collation, by character code on PGlite.
 */
export function byName(a: { name: string; slug: string }, b: { name: string; slug: string }): number {
  return NAME_ORDER.compare(a.name, b.name) || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0);
}

export async function listPeople(deps: { db: Kysely<Database> }) {
  const { db } = deps;
  const rows = await db
    .selectFrom('people')
    .select(['people.slug', 'people.name'])
    .select((eb) => [
      eb
        .selectFrom('editions')
        .select(eb.fn.countAll<number>().as('n'))
        .where((w) =>
          w.or([
            w.exists(w.selectFrom('attendances').select('id').whereRef('attendances.edition_id', '=', 'editions.id').whereRef('attendances.person_id', '=', 'people.id')),
            w.exists(w.selectFrom('committee_members').select('id').whereRef('committee_members.edition_id', '=', 'editions.id').whereRef('committee_members.person_id', '=', 'people.id')),
            // A planned edition's program is not public: its speakers are not listed for it.
            w.and([
              w('editions.status', '!=', 'planned'),
              w.exists(
                w
                  .selectFrom('slot_speakers')
                  .innerJoin('slots', 'slots.id', 'slot_speakers.slot_id')
                  .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
                  .select('slot_speakers.slot_id')
                  .whereRef('agenda_days.edition_id', '=', 'editions.id')
                  .whereRef('slot_speakers.person_id', '=', 'people.id'),
              ),
            ]),
            // An accepted topic they present, as the person page shows it (readParts).
            w.exists(
              w
                .selectFrom('topic_presenters')
                .innerJoin('topics', 'topics.id', 'topic_presenters.topic_id')
                .select('topic_presenters.topic_id')
                .whereRef('topics.edition_id', '=', 'editions.id')
                .whereRef('topic_presenters.person_id', '=', 'people.id')
                .where('topics.state', '=', 'accepted')
                .where((t) => t.or([t('topics.origin', '!=', 'proposal'), t('editions.status', '!=', 'planned')])),
            ),
          ]),
        )
        .as('editions'),
    ])
    .execute();
  return rows
    .map((r) => ({ slug: r.slug, name: r.name, editions: Number(r.editions ?? 0) }))
    .filter((r) => r.editions > 0)
    .sort(byName);
}

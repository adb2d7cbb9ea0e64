/**
 * The public view of an edition: every fact of it, in the shape the page, the JSON and the
 * exports read. Only what may be shown is here: an address appears only while its owner lets it.
 * The shape is documented in docs/edition-json.md; change both together.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type {
  AgendaDaysTable,
  AttendancesTable,
  CommitteeMembersTable,
  Database,
  EditionReferencesTable,
  EditionStatus,
  Material,
  MaterialKind,
  Slot,
  SlotKind,
  SlotSpeakersTable,
  SponsorKind,
  SponsorsTable,
  TopicPresentersTable,
  TopicsTable,
} from '../../db/schema.js';
import { loadPeople } from '../people/load-person.js';
import { findEdition, type EditionRef, type FoundEdition } from './find-edition.js';

export interface PersonRef {
  slug: string;
  name: string;
}

export interface MaterialView {
  kind: MaterialKind;
  format: string | null;
  label: string;
  about: string | null;
  url: string | null;
  credit: string | null;
  /** `hasPage`: whether the author has a person page (they took part in something public). */
  author: (PersonRef & { hasPage: boolean }) | null;
  /** Meeting notes: their Markdown text. */
  body: string | null;
  /** A stored photo's thumbnail. */
  thumbUrl: string | null;
}

/**
 * Where a slot is on its edition page: "at-2011-06-14-1015", and "at-2011-06-15-1100-2" for the
 * second slot starting at that time. Made of the day and time, it stays the same when a page is
 * imported again; search (domain/search/documents.ts) links its hits to the same anchors.
 */
export function slotAnchor(date: string, start: string, nth: number): string {
  return `at-${date}-${start.replace(':', '')}${nth > 1 ? `-${nth}` : ''}`;
}

/** slotAnchor() in SQL, for the slot table aliased `s` and its day's date column `date`. */
export const slotAnchorSql = (s: string, date: string) => sql<string>`'at-' || ${sql.ref(date)}::text || '-' || replace(${sql.ref(`${s}.start_time`)}, ':', '')
  || coalesce('-' || nullif(1 + (select count(*) from slots o where o.day_id = ${sql.ref(`${s}.day_id`)} and o.start_time = ${sql.ref(`${s}.start_time`)}
                                   and (o.position, o.id) < (${sql.ref(`${s}.position`)}, ${sql.ref(`${s}.id`)})), 1)::text, '')`;

/**
 * Whether the agenda is tentative, as the page marks it and the calendar says: a tentative
 * edition's agenda, unless its page marked only its topic list so (2004's "(Tentative) Topics"
 * beside an agenda that took place) and no schedule was published in conclave.
 */
export function agendaTentative(e: Pick<EditionView, 'status' | 'schedulePublishedAt' | 'proposedTopics'>): boolean {
  return e.status === 'tentative' && (e.schedulePublishedAt !== null || e.proposedTopics.length === 0);
}

/** Where a topic is on its edition page, by its number in the edition. */
export function topicAnchor(number: number): string {
  return `topic-${number}`;
}

export interface SlotView {
  /** Its id on the edition page (slotAnchor). */
  anchor: string;
  start: string;
  end: string | null;
  openEnded: boolean;
  timeText: string | null;
  kind: SlotKind;
  title: string;
  talkTitle: string | null;
  room: string | null;
  /**
   * The abstract of the accepted topic the slot was made for (Markdown, as that topic's
   * description in proposedTopics), or null: no such topic, or it has no abstract.
   */
  abstract: string | null;
  /** `personId`: the person's number here, for conference apps that key speakers by one. */
  speakers: (PersonRef & { nameAsListed: string; personId: number })[];
  materials: MaterialView[];
}

/** A sponsor's logo an imported page listed whose file the archive lacks, in the page's and `edition parts`' words. */
export const LOGO_NOT_IN_ARCHIVE = 'not in the archive';

export interface EditionView {
  series: { slug: string; name: string };
  year: number;
  title: string;
  subtitle: string | null;
  motto: string | null;
  intro: string[];
  /** 1-based place of this edition in the series' list of editions, computed. */
  ordinal: number;
  editionsKnown: number;
  status: EditionStatus;
  /** When the schedule built in conclave was first published; its changelog starts then. */
  schedulePublishedAt: string | null;
  location: { text: string | null; city: string | null; region: string | null; country: string | null };
  dates: { text: string | null; start: string | null; end: string | null };
  timeZone: string | null;
  colocated: {
    name: string;
    sentence: string | null;
    datesText: string | null;
    start: string | null;
    end: string | null;
    place: string | null;
  } | null;
  sponsors: { name: string; kind: SponsorKind; url: string | null; logo: { alt: string | null; src: string | null } | null }[];
  committee: (PersonRef & { role: string | null; email: string | null; emailRedacted: boolean })[];
  attendeesLabel: string | null;
  attendees: (PersonRef & { nameAsListed: string; email: string | null; emailRedacted: boolean; affiliation: string | null })[] | null;
  agenda: { date: string; label: string; columns: string; slots: SlotView[] }[];
  proposedTopics: { number: number; title: string; description: string; descriptionFormat: 'markdown' | 'text'; presenters: PersonRef[] }[];
  inviteeTopics: { person: PersonRef; nameAsListed: string; topics: { number: number; title: string }[] }[];
  meetingNotes: MaterialView[];
  groupPhoto: MaterialView | null;
  materialsLabel: string | null;
  materials: MaterialView[];
  references: { title: string; url: string | null }[];
  sections: string[];
  /**
   * The archive page the edition was imported from, and when it was imported last (its latest
   * `edition.import` audit record; for a page imported before those were kept, when the edition
   * was made, by that import). All null for an edition made in conclave.
   */
  source: { file: string | null; sha256: string | null; importedAt: string | null };
}

/** Where a stored file is served: by hash, under the name it was uploaded with. */
export function fileUrl(sha256: string, name: string | null): string {
  return name ? `/files/${sha256}/${encodeURIComponent(name)}` : `/files/${sha256}`;
}

/**
 * Whether the public agenda lists a day holding `slots` slots: a day without any (hours set, or
 * the last slot moved away) is left out. The schedule exports pair their facts with the agenda's
 * days by this rule (src/domain/exports/schedule.ts).
 */
export function agendaListsDay(slots: number): boolean {
  return slots > 0;
}

/** The rows of one edition that its view is made of (a planned edition's slots still in). */
interface EditionRows {
  committee: Selectable<CommitteeMembersTable>[];
  attendances: (Selectable<AttendancesTable> & { invited_email: string | null })[];
  sponsors: Selectable<SponsorsTable>[];
  days: Selectable<AgendaDaysTable>[];
  slots: Slot[];
  speakers: Selectable<SlotSpeakersTable>[];
  materials: Material[];
  topics: Selectable<TopicsTable>[];
  presenters: Selectable<TopicPresentersTable>[];
  refs: Selectable<EditionReferencesTable>[];
  /** When its page was imported last (its latest `edition.import` audit record), if ever. */
  importedAt: Date | null;
}

/** What the views say of the people an edition names: read for those people only. */
interface PeopleFacts {
  people: Map<number, PersonRef>;
  affiliations: Map<number, string>;
  /** Authors of materials who have no person page: their name is shown without a link. */
  noPage: Set<number>;
  /** A shown address (lower case) → its owner. */
  shown: Map<string, number>;
}

/**
 * The rows of the editions `ids` (null: of every edition), each table read once, in the order
 * the view lists them; rows keep that order within each edition when grouped.
 */
async function readRows(db: Kysely<Database>, ids: number[] | null) {
  const some = ids !== null;
  const [committee, attendances, sponsors, days, slots, speakers, materials, topics, presenters, refs, imports] = await Promise.all([
    db.selectFrom('committee_members').selectAll().$if(some, (q) => q.where('edition_id', 'in', ids!)).orderBy('position').orderBy('id').execute(),
    db
      .selectFrom('attendances')
      .selectAll('attendances')
      // The address an attendee by invitation was invited at: the one they may choose to show.
      .select((eb) =>
        eb
          .selectFrom('invitations')
          .select('invitations.email')
          .whereRef('invitations.edition_id', '=', 'attendances.edition_id')
          .whereRef('invitations.person_id', '=', 'attendances.person_id')
          .orderBy('invitations.id', 'desc')
          .limit(1)
          .as('invited_email'),
      )
      .$if(some, (q) => q.where('attendances.edition_id', 'in', ids!))
      .orderBy('attendances.position')
      .orderBy('attendances.id')
      .execute(),
    db.selectFrom('sponsors').selectAll().$if(some, (q) => q.where('edition_id', 'in', ids!)).orderBy('position').orderBy('id').execute(),
    db.selectFrom('agenda_days').selectAll().$if(some, (q) => q.where('edition_id', 'in', ids!)).orderBy('position').orderBy('id').execute(),
    db
      .selectFrom('slots')
      .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
      .selectAll('slots')
      .select('agenda_days.edition_id')
      .$if(some, (q) => q.where('agenda_days.edition_id', 'in', ids!))
      .orderBy('slots.day_id')
      .orderBy('slots.position')
      .orderBy('slots.id')
      .execute(),
    db
      .selectFrom('slot_speakers')
      .innerJoin('slots', 'slots.id', 'slot_speakers.slot_id')
      .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
      .selectAll('slot_speakers')
      .select('agenda_days.edition_id')
      .$if(some, (q) => q.where('agenda_days.edition_id', 'in', ids!))
      .orderBy('slot_speakers.position')
      .orderBy('slot_speakers.slot_id')
      .execute(),
    db.selectFrom('materials').selectAll().$if(some, (q) => q.where('edition_id', 'in', ids!)).orderBy('position').orderBy('id').execute(),
    db.selectFrom('topics').selectAll().$if(some, (q) => q.where('edition_id', 'in', ids!)).orderBy('number').orderBy('id').execute(),
    db
      .selectFrom('topic_presenters')
      .innerJoin('topics', 'topics.id', 'topic_presenters.topic_id')
      .selectAll('topic_presenters')
      .select('topics.edition_id')
      .$if(some, (q) => q.where('topics.edition_id', 'in', ids!))
      .orderBy('topic_presenters.position')
      .orderBy('topic_presenters.topic_id')
      .orderBy('topic_presenters.person_id')
      .execute(),
    db.selectFrom('edition_references').selectAll().$if(some, (q) => q.where('edition_id', 'in', ids!)).orderBy('position').orderBy('id').execute(),
    db
      .selectFrom('audit_log')
      .select((eb) => ['edition_id', eb.fn.max('at').as('at')])
      .where('action', '=', 'edition.import')
      .$if(some, (q) => q.where('edition_id', 'in', ids!))
      .groupBy('edition_id')
      .execute(),
  ]);
  return { committee, attendances, sponsors, days, slots, speakers, materials, topics, presenters, refs, imports };
}

/** The edition's rows grouped by edition id, each group in the order it was read. */
function groupRows(rows: Awaited<ReturnType<typeof readRows>>): Map<number, EditionRows> {
  const out = new Map<number, EditionRows>();
  const of = (id: number) => {
    let r = out.get(id);
    if (!r) out.set(id, (r = noRows()));
    return r;
  };
  for (const x of rows.committee) of(x.edition_id).committee.push(x);
  for (const x of rows.attendances) of(x.edition_id).attendances.push(x);
  for (const x of rows.sponsors) of(x.edition_id).sponsors.push(x);
  for (const x of rows.days) of(x.edition_id).days.push(x);
  for (const { edition_id, ...x } of rows.slots) of(edition_id).slots.push(x);
  for (const { edition_id, ...x } of rows.speakers) of(edition_id).speakers.push(x);
  for (const x of rows.materials) of(x.edition_id).materials.push(x);
  for (const x of rows.topics) of(x.edition_id).topics.push(x);
  for (const { edition_id, ...x } of rows.presenters) of(edition_id).presenters.push(x);
  for (const x of rows.refs) of(x.edition_id).refs.push(x);
  for (const x of rows.imports) if (x.edition_id !== null) of(x.edition_id).importedAt = new Date(x.at);
  return out;
}

/**
 * A planned edition's program is the committee's work in progress: no slot and no proposal is
 * public until the schedule is published (status tentative or final).
 */
function isHidden(e: FoundEdition): boolean {
  return e.status === 'planned';
}

/** The people an edition's view names (its hidden program left out). */
function personIds(e: FoundEdition, rows: EditionRows): number[] {
  const hidden = isHidden(e);
  return [
    ...rows.committee.map((c) => c.person_id),
    ...rows.attendances.map((a) => a.person_id),
    ...(hidden ? [] : rows.speakers.map((s) => s.person_id)),
    ...rows.presenters.map((p) => p.person_id),
    ...rows.materials.flatMap((m) => (m.author_id === null ? [] : [m.author_id])),
  ];
}

/** Names, affiliations and shown addresses of the people `ids` (null: of everybody). */
async function readPeople(db: Kysely<Database>, ids: number[] | null): Promise<PeopleFacts> {
  const facts: PeopleFacts = { people: new Map(), affiliations: new Map(), noPage: new Set(), shown: new Map() };
  if (ids !== null && ids.length === 0) return facts;
  // Shown addresses of these people only: a page view must not read every address.
  let emails = db
    .selectFrom('person_emails')
    .select(['person_id', 'email'])
    .where('is_public', '=', true);
  let people = db.selectFrom('people').select(['id', 'slug', 'name', 'affiliation']);
  if (ids !== null) {
    emails = emails.where('person_id', 'in', ids);
    people = people.where('id', 'in', ids);
  }
  const [publicEmails, rows] = await Promise.all([emails.execute(), people.execute()]);
  for (const r of rows) {
    facts.people.set(r.id, { slug: r.slug, name: r.name });
    if (r.affiliation) facts.affiliations.set(r.id, r.affiliation);
  }
  // An address (unique in any case, person_emails_lower) belongs to one person.
  for (const pe of publicEmails) facts.shown.set(pe.email.toLowerCase(), pe.person_id);
  return facts;
}

/**
 * Notes the authors of `rows`' materials who have no person page in `facts` (one whose only part
 * was a committee role since removed, say), so that the page names them without a dead link.
 */
async function markAuthorsWithoutPage(db: Kysely<Database>, facts: PeopleFacts, rows: EditionRows[]): Promise<void> {
  const ids = [...new Set(rows.flatMap((r) => r.materials.flatMap((m) => (m.author_id === null ? [] : [m.author_id]))))].filter((id) => facts.people.has(id));
  if (ids.length === 0) return;
  const pages = await loadPeople({ db }, ids.map((id) => facts.people.get(id)!.slug));
  for (const id of ids) if (!pages.has(facts.people.get(id)!.slug)) facts.noPage.add(id);
}

export async function loadEdition(deps: { db: Kysely<Database> }, seriesSlug: string, year: number): Promise<EditionView> {
  const { db } = deps;
  const e = await findEdition(db, { series: seriesSlug, year });
  const [ordinals, grouped] = await Promise.all([readOrdinals(db, [e.series_id]), readRows(db, [e.id]).then(groupRows)]);
  const rows = grouped.get(e.id) ?? noRows();
  const facts = await readPeople(db, [...new Set(personIds(e, rows))]);
  await markAuthorsWithoutPage(db, facts, [rows]);
  return editionView(e, ordinals.get(e.series_id)!, rows, facts);
}

function noRows(): EditionRows {
  return { committee: [], attendances: [], sponsors: [], days: [], slots: [], speakers: [], materials: [], topics: [], presenters: [], refs: [], importedAt: null };
}

/**
 * Many editions at once, each view the same as loadEdition's, in a constant number of queries:
 * every table is read once for all of them. `refs` names the editions (one not found is left
 * out); 'all' is every edition. Keyed `series/year`, in the order of series slug and year.
 */
export async function loadEditions(deps: { db: Kysely<Database> }, refs: EditionRef[] | 'all'): Promise<Map<string, EditionView>> {
  const { db } = deps;
  const out = new Map<string, EditionView>();
  if (refs !== 'all' && refs.length === 0) return out;
  let q = db
    .selectFrom('editions')
    .innerJoin('series', 'series.id', 'editions.series_id')
    .selectAll('editions')
    .select(['series.slug as series_slug', 'series.name as series_name'])
    .orderBy('series.slug')
    .orderBy('editions.year');
  if (refs !== 'all') q = q.where((w) => w.or(refs.map((r) => w.and([w('series.slug', '=', r.series), w('editions.year', '=', r.year)]))));
  const editions: FoundEdition[] = await q.execute();
  if (editions.length === 0) return out;
  const ids = refs === 'all' ? null : editions.map((e) => e.id);
  const [ordinals, grouped] = await Promise.all([
    readOrdinals(db, refs === 'all' ? null : [...new Set(editions.map((e) => e.series_id))]),
    readRows(db, ids).then(groupRows),
  ]);
  const rowsOf = (e: FoundEdition) => grouped.get(e.id) ?? noRows();
  const facts = await readPeople(db, ids === null ? null : [...new Set(editions.flatMap((e) => personIds(e, rowsOf(e))))]);
  await markAuthorsWithoutPage(db, facts, editions.map(rowsOf));
  for (const e of editions) out.set(`${e.series_slug}/${e.year}`, editionView(e, ordinals.get(e.series_id)!, rowsOf(e), facts));
  return out;
}

/** Series id → (year → 1-based ordinal among the series' editions, oldest first); see ordinals.ts. */
async function readOrdinals(db: Kysely<Database>, seriesIds: number[] | null): Promise<Map<number, Map<number, number>>> {
  let q = db.selectFrom('editions').select(['series_id', 'year']).orderBy('year');
  if (seriesIds !== null) q = q.where('series_id', 'in', seriesIds);
  const out = new Map<number, { years: Map<number, number>; n: number }>();
  for (const r of await q.execute()) {
    let m = out.get(r.series_id);
    if (!m) out.set(r.series_id, (m = { years: new Map(), n: 0 }));
    m.years.set(r.year, ++m.n);
  }
  return new Map([...out].map(([id, m]) => [id, m.years]));
}

/** The pure part: an edition's rows and its people → its public view. */
function editionView(e: FoundEdition, ordinals: Map<number, number>, rows: EditionRows, facts: PeopleFacts): EditionView {
  const { committee, attendances, sponsors, days, materials, refs } = rows;
  const allTopics = rows.topics;
  const presenters = rows.presenters;
  const { people, affiliations, shown } = facts;

  const hidden = isHidden(e);
  const topicTitles = new Map(allTopics.map((t) => [t.id, t.title]));
  const topics = allTopics.filter((t) => t.state === 'accepted' && !(hidden && t.origin === 'proposal'));
  // Only an accepted topic's abstract is public (the page shows it among the topics).
  const abstracts = new Map(topics.filter((t) => t.abstract.trim() !== '').map((t) => [t.id, t.abstract]));
  const slots = hidden ? [] : rows.slots;
  const speakers = hidden ? [] : rows.speakers;

  const visible = (personId: number, listed: string | null) =>
    listed !== null && shown.get(listed.toLowerCase()) === personId ? listed : null;

  const materialView = (m: (typeof materials)[number]): MaterialView => ({
    kind: m.kind,
    format: m.format,
    label: m.label,
    about: m.about,
    url: m.url ?? (m.file_sha256 ? fileUrl(m.file_sha256, m.file_name) : null),
    credit: m.credit,
    author: m.author_id === null || !people.has(m.author_id) ? null : { ...people.get(m.author_id)!, hasPage: !facts.noPage.has(m.author_id) },
    body: m.body,
    thumbUrl: m.thumb_sha256 ? fileUrl(m.thumb_sha256, null) : m.thumb_url,
  });

  const slotViews = new Map<number, SlotView[]>();
  for (const s of slots) {
    const list = slotViews.get(s.day_id) ?? [];
    const date = days.find((d) => d.id === s.day_id)?.date ?? '';
    list.push({
      anchor: slotAnchor(date, s.start_time, list.filter((x) => x.start === s.start_time).length + 1),
      start: s.start_time,
      end: s.end_time,
      openEnded: s.open_ended,
      timeText: s.time_text,
      kind: s.kind,
      // A slot made for an accepted topic shows the topic's title (kept in step with it).
      title: s.title.trim() === '' && s.topic_id !== null ? (topicTitles.get(s.topic_id) ?? '') : s.title,
      talkTitle: s.talk_title,
      room: s.room,
      abstract: s.topic_id !== null ? (abstracts.get(s.topic_id) ?? null) : null,
      speakers: speakers
        .filter((sp) => sp.slot_id === s.id)
        .map((sp) => ({ ...people.get(sp.person_id)!, nameAsListed: sp.name_as_listed, personId: sp.person_id })),
      // A slot's own materials, then those of its topic (a speaker's slides follow the topic).
      materials: [
        ...materials.filter((m) => m.slot_id === s.id),
        ...materials.filter((m) => m.slot_id === null && m.topic_id !== null && m.topic_id === s.topic_id),
      ].map(materialView),
    });
    slotViews.set(s.day_id, list);
  }

  const editionMaterials = materials.filter((m) => m.slot_id === null && m.topic_id === null);
  const invitees = attendances.filter((a) => a.source === 'invitees');
  const listed = attendances.filter((a) => a.source !== 'invitees');
  const inviteeTopics = topics.filter((t) => t.origin === 'invitee');

  return {
    series: { slug: e.series_slug, name: e.series_name },
    year: e.year,
    title: e.title,
    subtitle: e.subtitle,
    motto: e.motto,
    intro: e.intro,
    ordinal: ordinals.get(e.year) ?? 0,
    editionsKnown: ordinals.size,
    status: e.status,
    schedulePublishedAt: e.schedule_published_at ? e.schedule_published_at.toISOString() : null,
    location: { text: e.location_text, city: e.city, region: e.region, country: e.country },
    dates: { text: e.dates_text, start: e.start_date, end: e.end_date },
    timeZone: e.time_zone,
    colocated: e.colocated_name
      ? {
          name: e.colocated_name,
          sentence: e.colocated_sentence,
          datesText: e.colocated_dates_text,
          start: e.colocated_start,
          end: e.colocated_end,
          place: e.colocated_place,
        }
      : null,
    sponsors: sponsors.map((s) => ({
      name: s.name,
      kind: s.kind,
      url: s.url,
      logo: s.logo_alt || s.logo_src || s.logo_sha256 ? { alt: s.logo_alt, src: s.logo_thumb_sha256 ? `/files/${s.logo_thumb_sha256}` : s.logo_sha256 ? `/files/${s.logo_sha256}` : s.logo_src } : null,
    })),
    committee: committee.map((c) => ({
      ...people.get(c.person_id)!,
      role: c.role,
      // The address this edition's page gave, while it is still a shown one; never another of
      // theirs: a member the committee adds is shown without one (the form's address is private).
      email: c.email_redacted ? null : visible(c.person_id, c.email_as_listed),
      emailRedacted: c.email_redacted,
    })),
    attendeesLabel: e.attendees_label,
    attendees:
      e.has_attendee_list || listed.length > 0
        ? listed.map((a) => ({
            ...people.get(a.person_id)!,
            nameAsListed: a.name_as_listed,
            // As the page listed it, or as invited: shown only while its owner shows it (the
            // invitation's "Show my address"), never another address of theirs.
            email:
              a.source === 'page' ? visible(a.person_id, a.email_as_listed) : visible(a.person_id, a.invited_email),
            emailRedacted: a.email_redacted,
            // Given by the person themselves (invitations), or as the edition's page wrote it.
            affiliation: a.source === 'invitation' ? (affiliations.get(a.person_id) ?? null) : a.source === 'page' ? a.affiliation_as_listed : null,
          }))
        : null,
    agenda: hidden
      ? []
      : days.filter((d) => agendaListsDay((slotViews.get(d.id) ?? []).length)).map((d) => ({ date: d.date, label: d.label, columns: d.columns, slots: slotViews.get(d.id) ?? [] })),
    proposedTopics: topics
      .filter((t) => t.origin !== 'invitee')
      .map((t) => ({
        number: t.number,
        title: t.title,
        description: t.abstract,
        /** Proposals are written in Markdown; topics of imported pages are plain text. */
        descriptionFormat: t.origin === 'proposal' ? ('markdown' as const) : ('text' as const),
        presenters: presenters.filter((p) => p.topic_id === t.id).map((p) => people.get(p.person_id)!),
      })),
    inviteeTopics: invitees.map((a) => ({
      person: people.get(a.person_id)!,
      nameAsListed: a.name_as_listed,
      topics: inviteeTopics
        .filter((t) => presenters.some((p) => p.topic_id === t.id && p.person_id === a.person_id))
        .map((t) => ({ number: t.number, title: t.title })),
    })),
    meetingNotes: editionMaterials.filter((m) => m.kind === 'notes').map(materialView),
    groupPhoto: editionMaterials.filter((m) => m.kind === 'group-photo').map(materialView)[0] ?? null,
    materialsLabel: e.materials_label,
    materials: editionMaterials.filter((m) => m.kind !== 'notes' && m.kind !== 'group-photo').map(materialView),
    references: refs.map((r) => ({ title: r.title, url: r.url })),
    sections: e.sections,
    source: {
      file: e.source_file,
      sha256: e.source_sha256,
      // Not updated_at: any edit of the edition moves that.
      importedAt: e.source_file === null ? null : (rows.importedAt ?? e.created_at).toISOString(),
    },
  };
}

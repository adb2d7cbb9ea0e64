/**
 * The pages of the export that are a pure function of the archive, rendered straight from data
 * loaded in bulk (archive-pages.ts): each edition's page, JSON, changelog and schedule files, each
 * person's page and JSON. They are what the app would answer — the same loaders' views, the same
 * view and renderer functions, the same types — but every table is read once for the whole
 * archive (or once per share of it) instead of a dozen queries per page
 * (test/export/static-site.test.ts compares every one with the app's).
 *
 * The people index too, whose loader counts with a subquery per person and edition (the square
 * of the archive): here the same counts come from the people's views. The archive index is
 * listEditions itself.
 *
 * An address this module does not know is for the app (app.inject): the feed, stored files, the
 * style sheet.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { listEditions } from '../domain/editions/list-editions.js';
import { loadEditions, type EditionView } from '../domain/editions/load-edition.js';
import { editionRevision, editsShownInFiles, auditRevisions, REVISION_AUDIT_ACTIONS, slotRevisions, uidSchemeOf, type AuditRevisionRow, type RevisionRow, type ScheduleFacts } from '../domain/exports/schedule.js';
import { byName, loadPeople, type PersonView } from '../domain/people/load-person.js';
import { changeNumber, type ScheduleChange } from '../domain/program/schedule-changelog.js';
import { urls } from '../web/urls.js';
import { ArchivePage } from '../web/views/archive.js';
import { PeoplePage } from '../web/views/person.js';
import { answerOf, archivePages, HTML, JSON_TYPE, ok, type Answer, type EditionItem } from './archive-pages.js';

/**
 * The database facts of every edition's schedule that its view leaves out (slot ids, day
 * bounds, the latest change), read once for all, as loadSchedule reads them for one.
 */
async function scheduleFacts(db: Kysely<Database>): Promise<Map<number, ScheduleFacts>> {
  const [editions, days, slots, changes, audited, lastEdits] = await Promise.all([
    db.selectFrom('editions').select(['id', 'source_file', 'schedule_published_at', 'updated_at']).execute(),
    db.selectFrom('agenda_days').select(['id', 'edition_id', 'date', 'start_time', 'end_time']).orderBy('position').orderBy('id').execute(),
    db.selectFrom('slots').select(['id', 'day_id', 'position', 'guid', 'numeric_id', 'topic_id']).orderBy('day_id').orderBy('position').orderBy('id').execute(),
    db.selectFrom('schedule_changes').select(['edition_id', 'slot_id', 'kind', 'created_at', 'after']).orderBy('id').execute(),
    db.selectFrom('audit_log').select(['edition_id', 'action', 'at', 'before', 'after', 'entity_id']).where('action', 'in', REVISION_AUDIT_ACTIONS).where('edition_id', 'is not', null).orderBy('id').execute(),
    db
      .selectFrom('audit_log')
      .select((eb) => ['edition_id', eb.fn.max('at').as('at')])
      .where('edition_id', 'is not', null)
      .where(editsShownInFiles)
      .groupBy('edition_id')
      .execute(),
  ]);
  const topicOf = new Map(slots.map((s) => [s.id, s.topic_id]));
  const slotsOf = new Map<number, ScheduleFacts['days'][number]['slots']>();
  for (const s of slots) {
    let list = slotsOf.get(s.day_id);
    if (!list) slotsOf.set(s.day_id, (list = []));
    list.push({ id: s.id, position: s.position, guid: s.guid, numericId: s.numeric_id });
  }
  const daysOf = new Map<number, ScheduleFacts['days']>();
  for (const d of days) {
    let list = daysOf.get(d.edition_id);
    if (!list) daysOf.set(d.edition_id, (list = []));
    list.push({ date: d.date, start: d.start_time, end: d.end_time, slots: slotsOf.get(d.id) ?? [] });
  }
  const changesOf = new Map<number, RevisionRow[]>();
  for (const c of changes) {
    let list = changesOf.get(c.edition_id);
    if (!list) changesOf.set(c.edition_id, (list = []));
    list.push(c);
  }
  const auditedOf = new Map<number, AuditRevisionRow[]>();
  for (const a of audited) {
    if (a.edition_id === null) continue;
    let list = auditedOf.get(a.edition_id);
    if (!list) auditedOf.set(a.edition_id, (list = []));
    list.push(a);
  }
  const time = (at: unknown) => (at ? new Date(at as string | Date).getTime() : -Infinity);
  const editedAt = new Map(lastEdits.map((c) => [c.edition_id, time(c.at)]));
  const out = new Map<number, ScheduleFacts>();
  for (const e of editions) {
    const own = [...(changesOf.get(e.id) ?? []), ...auditRevisions(auditedOf.get(e.id) ?? [], e.schedule_published_at)];
    const editionDays = daysOf.get(e.id) ?? [];
    const stamp = Math.max(e.updated_at.getTime(), ...own.map((c) => time(c.created_at)), editedAt.get(e.id) ?? -Infinity);
    out.set(e.id, {
      days: editionDays,
      uidScheme: uidSchemeOf(e),
      stamp: new Date(stamp),
      revisions: slotRevisions(
        editionDays.flatMap((d) => d.slots.map((s) => ({ id: s.id, guid: s.guid, topicId: topicOf.get(s.id) ?? null }))),
        own,
      ),
      editionRevision: editionRevision(own),
    });
  }
  return out;
}

/** Every edition's public changelog, newest first (listChanges for each). */
async function changelogs(db: Kysely<Database>): Promise<Map<number, ScheduleChange[]>> {
  const rows = await db
    .selectFrom('schedule_changes')
    .select(['id', 'edition_id', 'created_at', 'kind', 'summary', 'slot_id', changeNumber().as('number')])
    .orderBy('id', 'desc')
    .execute();
  const out = new Map<number, ScheduleChange[]>();
  for (const r of rows) {
    let list = out.get(r.edition_id);
    if (!list) out.set(r.edition_id, (list = []));
    list.push(r);
  }
  return out;
}

export interface DirectPages {
  /** What answers `urlPath`, or null when the app must be asked (or a worker renders it). */
  answer: (urlPath: string) => Answer | null;
  /** The people the people index lists, in its order (listPeople). */
  listed: { slug: string; name: string; editions: number }[];
  /** Every edition, by series slug and year. */
  editions: { slug: string; year: number }[];
}

/** A share of the archive for a worker thread to render. */
export interface Share {
  editions: EditionItem[];
  people: PersonView[];
}

/** Editions and people loaded at once when the archive goes out in shares. */
const EDITIONS_PER_SHARE = 100;
const PEOPLE_PER_SHARE = 250;

/**
 * Loads the archive in bulk from `db` and returns what answers the addresses it knows. Rendering
 * is lazy: a page is rendered when asked for.
 *
 * With `onShare`, the editions' and people's own pages are not answered here: the archive is
 * loaded a share at a time (every table read once per share, not per page) and each share handed
 * to `onShare` as soon as it is loaded, with the addresses of its pages, for worker threads to
 * render while the rest loads.
 */
export async function directPages(
  db: Kysely<Database>,
  opts: { baseUrl: string; clock?: () => Date; onShare?: (share: Share, paths: string[]) => void },
): Promise<DirectPages> {
  // As the app's routes take today (src/web/routes/public.ts).
  const today = (opts.clock?.() ?? new Date()).toISOString().slice(0, 10);
  const [facts, changes, ids, everybody, summaries] = await Promise.all([
    scheduleFacts(db),
    changelogs(db),
    db
      .selectFrom('editions')
      .innerJoin('series', 'series.id', 'editions.series_id')
      .select(['editions.id', 'series.slug', 'editions.year'])
      .orderBy('series.slug')
      .orderBy('editions.year')
      .execute(),
    // listPeople's order (byName).
    db.selectFrom('people').select(['people.slug', 'people.name']).execute().then((rows) => rows.sort(byName)),
    listEditions({ db }, today),
  ]);
  const idOf = new Map(ids.map((r) => [`${r.slug}/${r.year}`, r.id]));
  const item = ([key, view]: [string, EditionView]): EditionItem => {
    const id = idOf.get(key)!;
    return { view, facts: facts.get(id)!, changes: changes.get(id) ?? [] };
  };

  // The people index counts the editions someone attended, served on the committee of, or spoke
  // at once the program was public (a person's view lists talks of such editions only).
  const counts = new Map<string, number>();
  const count = (people: Iterable<PersonView>) => {
    for (const p of people) counts.set(p.slug, p.years.filter((y) => y.attended || y.onCommittee || y.talks.length > 0).length);
  };

  let pages: Map<string, () => Answer>;
  const { onShare } = opts;
  if (onShare) {
    pages = new Map();
    const refs = ids.map((r) => ({ series: r.slug, year: r.year }));
    for (let i = 0; i < refs.length; i += EDITIONS_PER_SHARE) {
      const editions = [...(await loadEditions({ db }, refs.slice(i, i + EDITIONS_PER_SHARE)))].map(item);
      onShare({ editions, people: [] }, [...archivePages(editions, [], opts).keys()]);
    }
    const slugs = [...new Set(everybody.map((r) => r.slug))].sort();
    for (let i = 0; i < slugs.length; i += PEOPLE_PER_SHARE) {
      const people = [...(await loadPeople({ db }, slugs.slice(i, i + PEOPLE_PER_SHARE), today)).values()];
      count(people);
      onShare({ editions: [], people }, [...archivePages([], people, opts).keys()]);
    }
  } else {
    const [views, people] = await Promise.all([loadEditions({ db }, 'all'), loadPeople({ db }, 'all', today)]);
    count(people.values());
    pages = archivePages([...views].map(item), [...people.values()], opts);
  }

  const listed = everybody.flatMap((r) => {
    const n = counts.get(r.slug) ?? 0;
    return n > 0 ? [{ slug: r.slug, name: r.name, editions: n }] : [];
  });
  pages.set(urls.people(), () => ok(HTML, String(PeoplePage({ people: listed }))));
  pages.set(urls.home(), () => ok(HTML, String(ArchivePage({ editions: summaries }))));
  pages.set(urls.archiveJson(), () => ok(JSON_TYPE, JSON.stringify({ editions: summaries })));

  return {
    listed,
    editions: ids,
    answer: (urlPath) => {
      const page = pages.get(urlPath);
      return page ? answerOf(page) : null;
    },
  };
}

/**
 * The pages of the export that are a pure function of the archive, rendered straight from data
 * loaded in bulk: each edition's page, JSON, changelog and schedule files, each person's page and
 * JSON. They are what the app would answer — the same loaders' views, the same view and renderer
 * functions, the same types — but every table is read once for the whole archive instead of a
 * dozen queries per page (test/export/static-site.test.ts compares every one with the app's).
 *
 * The people index too, whose loader counts with a subquery per person and edition (the square
 * of the archive): here the same counts come from one grouped query. The archive index is
 * listEditions itself, which counts that way already.
 *
 * An address this module does not know is for the app (app.inject): the feed, stored files, the
 * style sheet.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { listEditions } from '../domain/editions/list-editions.js';
import { loadEditions, type EditionView } from '../domain/editions/load-edition.js';
import { NotFound } from '../domain/errors.js';
import { renderIcs } from '../domain/exports/ical.js';
import { buildSchedule, type ScheduleExport, type ScheduleFacts } from '../domain/exports/schedule.js';
import { renderScheduleJson } from '../domain/exports/schedule-json.js';
import { renderScheduleXml } from '../domain/exports/schedule-xml.js';
import { loadPeople } from '../domain/people/load-person.js';
import type { ScheduleChange } from '../domain/program/schedule.js';
import { urls } from '../web/urls.js';
import { ArchivePage } from '../web/views/archive.js';
import { ChangesPage } from '../web/views/changes.js';
import { EditionPage } from '../web/views/edition.js';
import { PeoplePage, PersonPage } from '../web/views/person.js';
import { isReservedSegment } from './site-paths.js';

/** What the app would answer for an address: its status, and its type and body when 200. */
export interface Answer {
  status: number;
  type: string;
  body: string;
}

const HTML = 'text/html; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

/** The schedule files, as src/web/routes/exports.ts serves them. */
const SCHEDULES: { path: (series: string, year: number) => string; type: string; render: (s: ScheduleExport, o: { baseUrl: string }) => string }[] = [
  { path: urls.scheduleIcs, type: 'text/calendar; charset=utf-8', render: renderIcs },
  { path: urls.scheduleXml, type: 'application/xml; charset=utf-8', render: renderScheduleXml },
  { path: urls.scheduleJson, type: 'application/json; charset=utf-8', render: renderScheduleJson },
];

/** Path parameters the app accepts (src/web/params.ts and the person routes): others are its to answer. */
const SLUG = /^[a-z0-9-]+$/;

/**
 * The database facts of every edition's schedule that its view leaves out (slot ids, day
 * bounds, the latest change), read once for all, as loadSchedule reads them for one.
 */
async function scheduleFacts(db: Kysely<Database>): Promise<Map<number, ScheduleFacts>> {
  const [editions, days, slots, lastChanges] = await Promise.all([
    db.selectFrom('editions').select(['id', 'source_file', 'schedule_published_at', 'updated_at']).execute(),
    db.selectFrom('agenda_days').select(['id', 'edition_id', 'start_time', 'end_time']).orderBy('position').orderBy('id').execute(),
    db.selectFrom('slots').select(['id', 'day_id', 'position']).orderBy('day_id').orderBy('position').orderBy('id').execute(),
    db
      .selectFrom('schedule_changes')
      .select((eb) => ['edition_id', eb.fn.max('created_at').as('at')])
      .groupBy('edition_id')
      .execute(),
  ]);
  const slotsOf = new Map<number, { id: number; position: number }[]>();
  for (const s of slots) {
    let list = slotsOf.get(s.day_id);
    if (!list) slotsOf.set(s.day_id, (list = []));
    list.push({ id: s.id, position: s.position });
  }
  const daysOf = new Map<number, ScheduleFacts['days']>();
  for (const d of days) {
    let list = daysOf.get(d.edition_id);
    if (!list) daysOf.set(d.edition_id, (list = []));
    list.push({ start: d.start_time, end: d.end_time, slots: slotsOf.get(d.id) ?? [] });
  }
  const changedAt = new Map(lastChanges.map((c) => [c.edition_id, c.at ? new Date(c.at as unknown as string | Date) : null]));
  const out = new Map<number, ScheduleFacts>();
  for (const e of editions) {
    const changed = changedAt.get(e.id) ?? null;
    out.set(e.id, {
      days: daysOf.get(e.id) ?? [],
      uidScheme: e.source_file !== null && e.schedule_published_at === null ? 'page-position' : 'slot-id',
      stamp: changed && changed > e.updated_at ? changed : e.updated_at,
    });
  }
  return out;
}

/** Every edition's public changelog, newest first (listChanges for each). */
async function changelogs(db: Kysely<Database>): Promise<Map<number, ScheduleChange[]>> {
  const rows = await db
    .selectFrom('schedule_changes')
    .select(['id', 'edition_id', 'created_at', 'kind', 'summary', 'slot_id'])
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

/** An error as the app's error handler answers it (src/web/app.ts statusOf): no page either way. */
function failed(err: unknown): Answer {
  return { status: err instanceof NotFound ? 404 : 500, type: '', body: '' };
}

export interface DirectPages {
  /** What answers `urlPath`, or null when the app must be asked. */
  answer: (urlPath: string) => Answer | null;
  /** The people the people index lists, in its order (listPeople). */
  listed: { slug: string; name: string; editions: number }[];
}

/**
 * Loads the archive in bulk from `db` and returns what answers the addresses it knows. Rendering
 * is lazy: a page is rendered when asked for.
 */
export async function directPages(db: Kysely<Database>, opts: { baseUrl: string; clock?: () => Date }): Promise<DirectPages> {
  // As the app's routes take today (src/web/routes/public.ts).
  const today = (opts.clock?.() ?? new Date()).toISOString().slice(0, 10);
  const [editions, people, facts, changes, ids, everybody, summaries] = await Promise.all([
    loadEditions({ db }, 'all'),
    loadPeople({ db }, 'all'),
    scheduleFacts(db),
    changelogs(db),
    db.selectFrom('editions').innerJoin('series', 'series.id', 'editions.series_id').select(['editions.id', 'series.slug', 'editions.year']).execute(),
    // listPeople's order.
    db.selectFrom('people').select(['people.slug', 'people.name']).orderBy('people.name').execute(),
    listEditions({ db }, today),
  ]);
  const idOf = new Map(ids.map((r) => [`${r.slug}/${r.year}`, r.id]));
  const pages = new Map<string, () => Answer>();
  const ok = (type: string, body: string): Answer => ({ status: 200, type, body });

  for (const [key, e] of editions) {
    const { slug } = e.series;
    if (!SLUG.test(slug) || isReservedSegment(slug) || e.year < 1900 || e.year > 2999) continue;
    const id = idOf.get(key)!;
    pages.set(urls.edition(slug, e.year), () => ok(HTML, String(EditionPage({ e }))));
    pages.set(urls.editionJson(slug, e.year), () => ok(JSON_TYPE, JSON.stringify(e)));
    pages.set(urls.changes(slug, e.year), () =>
      ok(HTML, String(ChangesPage({ series: slug, year: e.year, title: e.title, changes: e.status === 'planned' ? [] : (changes.get(id) ?? []), seenId: null }))),
    );
    // Built once for the three files (buildSchedule is pure), when the first is asked for.
    let schedule: { built: ScheduleExport } | { failed: Answer } | undefined;
    const scheduleOf = (ed: EditionView) => {
      if (schedule === undefined) {
        try {
          schedule = { built: buildSchedule(ed, facts.get(id)!) };
        } catch (err) {
          schedule = { failed: failed(err) };
        }
      }
      return schedule;
    };
    for (const f of SCHEDULES) {
      pages.set(f.path(slug, e.year), () => {
        const s = scheduleOf(e);
        return 'failed' in s ? s.failed : ok(f.type, f.render(s.built, { baseUrl: opts.baseUrl }));
      });
    }
  }
  for (const [slug, p] of people) {
    if (!SLUG.test(slug)) continue;
    pages.set(urls.person(slug), () => ok(HTML, String(PersonPage({ p }))));
    pages.set(urls.personJson(slug), () => ok(JSON_TYPE, JSON.stringify(p)));
  }

  // As listPeople counts: the editions someone attended, served on the committee of, or spoke
  // at once the program was public (a person's view lists talks of such editions only).
  const listed = everybody.flatMap((r) => {
    const p = people.get(r.slug);
    const n = p ? p.years.filter((y) => y.attended || y.onCommittee || y.talks.length > 0).length : 0;
    return n > 0 ? [{ slug: r.slug, name: r.name, editions: n }] : [];
  });
  pages.set(urls.people(), () => ok(HTML, String(PeoplePage({ people: listed }))));
  pages.set(urls.home(), () => ok(HTML, String(ArchivePage({ editions: summaries }))));
  pages.set(urls.archiveJson(), () => ok(JSON_TYPE, JSON.stringify({ editions: summaries })));

  return {
    listed,
    answer: (urlPath) => {
      const page = pages.get(urlPath);
      if (!page) return null;
      try {
        return page();
      } catch (err) {
        return failed(err);
      }
    },
  };
}

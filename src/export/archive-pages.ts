/**
 * The pages of the export that are a pure function of one edition or one person: each edition's
 * page, JSON, changelog and schedule files; each person's page and JSON. Rendered with the app's
 * own views and renderers from data loaded in bulk (direct.ts), in the main thread or in a worker
 * thread (render-worker.ts): nothing here touches the database, so the data may be any share of
 * the archive, cloned into another thread.
 */
import type { EditionView } from '../domain/editions/load-edition.js';
import { NotFound } from '../domain/errors.js';
import { buildSchedule, type ScheduleExport, type ScheduleFacts } from '../domain/exports/schedule.js';
import { SCHEDULE_FORMATS } from '../domain/exports/schedule-formats.js';
import type { PersonView } from '../domain/people/load-person.js';
import type { ScheduleChange } from '../domain/program/schedule-changelog.js';
import { urls } from '../web/urls.js';
import { ChangesPage } from '../web/views/changes.js';
import { EditionPage, shownSections } from '../web/views/edition.js';
import { PersonPage } from '../web/views/person.js';
import { isReservedSegment } from './site-paths.js';

/** What the app would answer for an address: its status, and its type and body when 200. */
export interface Answer {
  status: number;
  type: string;
  body: string;
  /** Why it could not be made, when the status is 500. */
  error?: string;
}

/** One edition with the database facts its view leaves out. */
export interface EditionItem {
  view: EditionView;
  facts: ScheduleFacts;
  /** Its public changelog, newest first. */
  changes: ScheduleChange[];
}

export const HTML = 'text/html; charset=utf-8';
export const JSON_TYPE = 'application/json; charset=utf-8';

/** Path parameters the app accepts (src/web/params.ts and the person routes): others are its to answer. */
const SLUG = /^[a-z0-9-]+$/;
/** A person's slug as the person routes accept it (src/web/routes/public.ts): a name's own letters too (王小明). */
const PERSON_SLUG = /^[\p{L}\p{M}\p{N}-]+$/u;

/** An error as the app's error handler answers it (src/web/app.ts statusOf): no page either way. */
function failed(err: unknown): Answer {
  if (err instanceof NotFound) return { status: 404, type: '', body: '' };
  return { status: 500, type: '', body: '', error: err instanceof Error ? err.message : String(err) };
}

/** A page the app would serve with status 200. */
export const ok = (type: string, body: string): Answer => ({ status: 200, type, body });

/** The addresses of these editions' and people's pages, each with what renders it when asked. */
export function archivePages(editions: readonly EditionItem[], people: readonly PersonView[], opts: { baseUrl: string }): Map<string, () => Answer> {
  const pages = new Map<string, () => Answer>();
  for (const { view: e, facts, changes } of editions) {
    const { slug } = e.series;
    if (!SLUG.test(slug) || isReservedSegment(slug) || e.year < 1900 || e.year > 2999) continue;
    pages.set(urls.edition(slug, e.year), () => ok(HTML, String(EditionPage({ e }))));
    pages.set(urls.editionJson(slug, e.year), () => ok(JSON_TYPE, JSON.stringify(e)));
    pages.set(urls.changes(slug, e.year), () =>
      ok(HTML, String(ChangesPage({ series: slug, year: e.year, title: e.title, changes: e.status === 'planned' ? [] : changes, seen: null, offersSince: false, hasAgenda: shownSections(e).includes('agenda'), importedFrom: e.source }))),
    );
    // Built once for the three files (buildSchedule is pure), when the first is asked for.
    let schedule: { built: ScheduleExport } | { failed: Answer } | undefined;
    const scheduleOf = () => {
      if (schedule === undefined) {
        try {
          schedule = { built: buildSchedule(e, facts) };
        } catch (err) {
          schedule = { failed: failed(err) };
        }
      }
      return schedule;
    };
    // The schedule files, from the table src/web/routes/exports.ts serves them by.
    for (const f of Object.values(SCHEDULE_FORMATS)) {
      pages.set(urls.edition(slug, e.year) + f.file, () => {
        const s = scheduleOf();
        return 'failed' in s ? s.failed : ok(f.type, f.render(s.built, { baseUrl: opts.baseUrl }));
      });
    }
  }
  for (const p of people) {
    if (!PERSON_SLUG.test(p.slug)) continue;
    pages.set(urls.person(p.slug), () => ok(HTML, String(PersonPage({ p }))));
    pages.set(urls.personJson(p.slug), () => ok(JSON_TYPE, JSON.stringify(p)));
  }
  return pages;
}

/** Renders a page, an error becoming the app's answer to it. */
export function answerOf(page: () => Answer): Answer {
  try {
    return page();
  } catch (err) {
    return failed(err);
  }
}

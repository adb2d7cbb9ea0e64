/**
 * The archive: every edition of every series, newest first, with the next one (the earliest
 * edition that has not ended yet) marked.
 */
import { sql, type Kysely } from 'kysely';
import type { Database, EditionStatus } from '../../db/schema.js';

export interface EditionSummary {
  seriesSlug: string;
  seriesName: string;
  year: number;
  title: string;
  subtitle: string | null;
  locationText: string | null;
  datesText: string | null;
  startDate: string | null;
  endDate: string | null;
  status: EditionStatus;
  ordinal: number;
  colocatedName: string | null;
  /** Talks and discussions on the agenda. */
  talks: number;
  /** Topics listed without times (proposals, topics per invitee). */
  topics: number;
  /** Distinct people taking part: attendees, committee, speakers, invitees. */
  people: number;
  isNext: boolean;
  /** Its last day is today or later: still to come, or on now. */
  isUpcoming: boolean;
}

/**
 * The status as lists show it: "tentative (next)", or "tentative (over)" for an edition past, so
 * that an archived page whose agenda stayed tentative (2004's) does not read as still to come.
 */
export function statusLabel(e: Pick<EditionSummary, 'status' | 'isNext' | 'isUpcoming'>): string {
  return e.status + (e.isNext ? ' (next)' : e.isUpcoming ? '' : ' (over)');
}

/**
 * Counts come from one grouped query each rather than a subquery per edition: on PGlite, which
 * keeps no statistics, the correlated form scanned every slot for each edition (seconds at a
 * thousand editions). The static export reads the archive through this too.
 */
export async function listEditions(deps: { db: Kysely<Database> }, today: string): Promise<EditionSummary[]> {
  const { db } = deps;
  const [rows, talks, topics, people] = await Promise.all([
    db
      .selectFrom('editions')
      .innerJoin('series', 'series.id', 'editions.series_id')
      .select([
        'editions.id',
        'series.slug as seriesSlug',
        'series.name as seriesName',
        'editions.year',
        'editions.title',
        'editions.subtitle',
        'editions.location_text as locationText',
        'editions.dates_text as datesText',
        'editions.start_date as startDate',
        'editions.end_date as endDate',
        'editions.status',
        'editions.colocated_name as colocatedName',
        sql<number>`row_number() over (partition by editions.series_id order by editions.year)::int`.as('ordinal'),
      ])
      .orderBy('editions.year', 'desc')
      .orderBy('series.slug')
      .execute(),
    sql<{ edition_id: number; n: number }>`select d.edition_id, count(*)::int as n from slots join agenda_days d on d.id = slots.day_id
      where slots.kind in ('talk', 'discussion') group by d.edition_id`.execute(db),
    sql<{ edition_id: number; n: number }>`select edition_id, count(*)::int as n from topics where state = 'accepted' group by edition_id`.execute(db),
    sql<{ edition_id: number; n: number }>`select edition_id, count(*)::int as n from (
      select edition_id, person_id from attendances
      union select edition_id, person_id from committee_members
      union select d.edition_id, ss.person_id from slot_speakers ss join slots s on s.id = ss.slot_id join agenda_days d on d.id = s.day_id) p
      group by edition_id`.execute(db),
  ]);
  const count = (r: { rows: { edition_id: number; n: number }[] }) => new Map(r.rows.map((x) => [x.edition_id, x.n]));
  const [t, tp, pp] = [count(talks), count(topics), count(people)];
  const summaries = rows.map(({ id, ...r }) => ({ ...r, talks: t.get(id) ?? 0, topics: tp.get(id) ?? 0, people: pp.get(id) ?? 0 }));
  // The next edition: the earliest one whose last day is today or later.
  const upcoming = summaries
    .filter((r) => (r.endDate ?? r.startDate ?? `${r.year}-12-31`) >= today)
    .sort((a, b) => (a.startDate ?? `${a.year}`).localeCompare(b.startDate ?? `${b.year}`));
  const next = upcoming[0];
  return summaries.map((r) => ({ ...r, isNext: r === next, isUpcoming: upcoming.includes(r) }));
}

/** The names of the series there are, the one with the most editions first. */
export async function listSeriesNames(deps: { db: Kysely<Database> }): Promise<string[]> {
  const rows = await deps.db
    .selectFrom('series')
    .leftJoin('editions', 'editions.series_id', 'series.id')
    .select(['series.name', (eb) => eb.fn.count('editions.id').as('n')])
    .groupBy(['series.id', 'series.name'])
    .orderBy('n', 'desc')
    .orderBy('series.name')
    .execute();
  return rows.map((r) => r.name);
}

/** Every edition as a filter names it ("netconf/2015"), newest first: suggestions for a field. */
export async function listEditionAddresses(deps: { db: Kysely<Database> }): Promise<string[]> {
  const rows = await deps.db
    .selectFrom('editions')
    .innerJoin('series', 'series.id', 'editions.series_id')
    .select(['series.slug', 'editions.year'])
    .orderBy('editions.year', 'desc')
    .orderBy('series.slug')
    .execute();
  return rows.map((r) => `${r.slug}/${r.year}`);
}

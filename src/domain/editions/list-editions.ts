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
  /** How many editions of its series the archive has (the ordinal is "of" this). */
  editionsKnown: number;
  /** Distinct people taking part: attendees, committee, speakers, invitees. */
  people: number;
  /**
   * The same people, each counted once in the first of these they are in: listed attendees,
   * invitees (a page's topics per invitee), speakers, the committee. The edition page lists each.
   */
  peopleBy: PeopleBy;
  isNext: boolean;
  /** Its last day is today or later: still to come, or on now. */
  isUpcoming: boolean;
}

export interface PeopleBy {
  attendees: number;
  invitees: number;
  speakers: number;
  committee: number;
}

const ROLES = ['attendees', 'invitees', 'speakers', 'committee'] as const;

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
        sql<number>`count(*) over (partition by editions.series_id)::int`.as('editionsKnown'),
      ])
      .orderBy('editions.year', 'desc')
      .orderBy('series.slug')
      .execute(),
    sql<{ edition_id: number; n: number }>`select d.edition_id, count(*)::int as n from slots join agenda_days d on d.id = slots.day_id
      where slots.kind in ('talk', 'discussion') group by d.edition_id`.execute(db),
    sql<{ edition_id: number; n: number }>`select edition_id, count(*)::int as n from topics where state = 'accepted' group by edition_id`.execute(db),
    // Each person once per edition, in the first role of ROLES they have there (rank 1 to 4).
    sql<{ edition_id: number; role: number; n: number }>`select edition_id, role, count(*)::int as n from (
      select edition_id, person_id, min(role) as role from (
        select edition_id, person_id, case when source = 'invitees' then 2 else 1 end as role from attendances
        union all select d.edition_id, ss.person_id, 3 from slot_speakers ss join slots s on s.id = ss.slot_id join agenda_days d on d.id = s.day_id
        union all select edition_id, person_id, 4 from committee_members) r
      group by edition_id, person_id) p
      group by edition_id, role`.execute(db),
  ]);
  const count = (r: { rows: { edition_id: number; n: number }[] }) => new Map(r.rows.map((x) => [x.edition_id, x.n]));
  const [t, tp] = [count(talks), count(topics)];
  const by = new Map<number, PeopleBy>();
  for (const x of people.rows) {
    let c = by.get(x.edition_id);
    if (!c) by.set(x.edition_id, (c = { attendees: 0, invitees: 0, speakers: 0, committee: 0 }));
    c[ROLES[Number(x.role) - 1]!] += Number(x.n);
  }
  const summaries = rows.map(({ id, ...r }) => {
    const peopleBy = by.get(id) ?? { attendees: 0, invitees: 0, speakers: 0, committee: 0 };
    const people = ROLES.reduce((n, role) => n + peopleBy[role], 0);
    return { ...r, talks: t.get(id) ?? 0, topics: tp.get(id) ?? 0, people, peopleBy };
  });
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

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
}

export async function listEditions(deps: { db: Kysely<Database> }, today: string): Promise<EditionSummary[]> {
  const rows = await deps.db
    .selectFrom('editions')
    .innerJoin('series', 'series.id', 'editions.series_id')
    .select([
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
      sql<number>`(select count(*)::int from slots join agenda_days d on d.id = slots.day_id
                   where d.edition_id = editions.id and slots.kind in ('talk', 'discussion'))`.as('talks'),
      sql<number>`(select count(*)::int from topics t where t.edition_id = editions.id and t.state = 'accepted')`.as('topics'),
      sql<number>`(select count(*)::int from (
                   select person_id from attendances where edition_id = editions.id
                   union select person_id from committee_members where edition_id = editions.id
                   union select ss.person_id from slot_speakers ss join slots s on s.id = ss.slot_id
                         join agenda_days d on d.id = s.day_id where d.edition_id = editions.id) p)`.as('people'),
    ])
    .orderBy('editions.year', 'desc')
    .orderBy('series.slug')
    .execute();
  // The next edition: the earliest one whose last day is today or later.
  const upcoming = rows
    .filter((r) => (r.endDate ?? r.startDate ?? `${r.year}-12-31`) >= today)
    .sort((a, b) => (a.startDate ?? `${a.year}`).localeCompare(b.startDate ?? `${b.year}`));
  const next = upcoming[0];
  return rows.map((r) => ({ ...r, isNext: r === next }));
}

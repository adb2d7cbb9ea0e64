/**
 * "The Nth edition", computed from the series' list of editions (which may include past editions
 * known only by year and place), never copied from a page's prose.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/** Year → 1-based ordinal among the series' editions, oldest first. */
export async function editionOrdinals(deps: { db: Kysely<Database> }, seriesId: number): Promise<Map<number, number>> {
  const rows = await deps.db.selectFrom('editions').select('year').where('series_id', '=', seriesId).orderBy('year').execute();
  return new Map(rows.map((r, i) => [r.year, i + 1]));
}

/** 1 → "1st", 2 → "2nd", 11 → "11th", 23 → "23rd". */
export function ordinalSuffix(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  switch (n % 10) {
    case 1:
      return `${n}st`;
    case 2:
      return `${n}nd`;
    case 3:
      return `${n}rd`;
    default:
      return `${n}th`;
  }
}

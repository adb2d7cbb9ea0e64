/**
 * The series a command means when it names none: the site's only series; with several, the
 * series of the newest edition (the highest year, then the one made last); on a site with none
 * yet, a series named as the site (SITE_NAME, given by the caller), made under that name by the
 * first edition created. The same rule for every command and the admin's bare year, so that a
 * second workshop running conclave never has its editions read or made as Netconf's.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { seriesSlug } from './find-edition.js';

export interface DefaultSeries {
  slug: string;
  name: string;
  /** Taken among several series: whoever asked should be told which. */
  chosen: boolean;
  /** False for the series SITE_NAME names on an empty site: `edition create` makes it. */
  exists: boolean;
}

/** The series meant when none is named (see above); null on an empty site without a name. */
export async function defaultSeries(db: Kysely<Database>, siteName: string | undefined): Promise<DefaultSeries | null> {
  const series = await db.selectFrom('series').select(['slug', 'name']).limit(2).execute();
  if (series.length === 1) return { ...series[0]!, chosen: false, exists: true };
  if (series.length === 0) {
    const name = siteName?.trim() ?? '';
    return seriesSlug(name) ? { slug: seriesSlug(name), name, chosen: false, exists: false } : null;
  }
  const newest =
    (await db
      .selectFrom('editions')
      .innerJoin('series', 'series.id', 'editions.series_id')
      .select(['series.slug', 'series.name'])
      .orderBy('editions.year', 'desc')
      .orderBy('editions.created_at', 'desc')
      .orderBy('editions.id', 'desc')
      .limit(1)
      .executeTakeFirst()) ??
    // Series without any edition (each one's editions deleted): the one made last.
    (await db.selectFrom('series').select(['slug', 'name']).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow());
  return { ...newest, chosen: true, exists: true };
}

/**
 * An edition found by series and year, the way people name it: the series by its slug
 * ("netdev-conf") or its name ("Netdev Conf"), as `edition create --series` takes it; NotFound
 * otherwise, naming the series that do have an edition of that year (a command without --series
 * takes the newest edition's series, which may not be the one meant). Inside a write, `lock`
 * holds its row until the transaction ends.
 */
import slugify from '@sindresorhus/slugify';
import type { Kysely, Transaction } from 'kysely';
import type { Database, Edition } from '../../db/schema.js';
import { NotFound } from '../errors.js';

/**
 * A series' slug from its name or its slug: "Netdev Conf" and "netdev-conf" are netdev-conf.
 * Capitals inside a word do not split it: "NetConf" is netconf, as an imported page's title is
 * read (archive/write-edition.ts), not "net-conf", a series of its own.
 */
export function seriesSlug(name: string): string {
  return slugify(name, { decamelize: false });
}

export interface EditionRef {
  series: string;
  year: number;
}

export type FoundEdition = Edition & { series_slug: string; series_name: string };

export async function findEdition(
  db: Kysely<Database> | Transaction<Database>,
  ref: EditionRef,
  opts: { lock?: boolean } = {},
): Promise<FoundEdition> {
  let q = db
    .selectFrom('editions')
    .innerJoin('series', 'series.id', 'editions.series_id')
    .selectAll('editions')
    .select(['series.slug as series_slug', 'series.name as series_name'])
    .where('series.slug', '=', seriesSlug(ref.series))
    .where('editions.year', '=', ref.year);
  if (opts.lock) q = q.forUpdate();
  const e = await q.executeTakeFirst();
  if (!e) {
    const others = await db
      .selectFrom('editions')
      .innerJoin('series', 'series.id', 'editions.series_id')
      .select('series.slug')
      .where('editions.year', '=', ref.year)
      .orderBy('series.slug')
      .execute();
    const elsewhere = others.length ? ` (the series with a ${ref.year} edition: ${others.map((o) => o.slug).join(', ')})` : '';
    throw new NotFound(`no edition ${ref.year} of ${ref.series}${elsewhere}`);
  }
  return e;
}

/**
 * `--series` of every command that names an edition: optional, the series defaultSeries
 * (domain/editions/default-series.ts) says when it is left out, SITE_NAME naming the one an empty
 * site's first `edition create` makes.
 */
import { Option } from 'commander';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import { defaultSeries } from '../domain/editions/default-series.js';
import { getEdition } from '../domain/editions/edit-edition.js';
import { seriesSlug } from '../domain/editions/find-edition.js';
import { yearArgument } from './context.js';
import { UsageError } from './usage-error.js';

/** The rule, as every command's help says it. */
export const SERIES_RULE = "default: the site's only series; with several, the newest edition's; on an empty site, one named SITE_NAME";

/** The option, with the rule in its help; `flags` and `about` for a command that says more. */
export function seriesOption(about = 'the series', flags = '--series <slug>'): Option {
  return new Option(flags, `${about} [${SERIES_RULE}]`);
}

/**
 * The --series given, else the rule's. Taken among several series, it says which in one line
 * (on standard error, beside the output, not in it; never with --json). On an empty site
 * without SITE_NAME it is bad usage, before anything is written.
 */
export async function seriesOf(db: Kysely<Database>, config: Pick<Config, 'siteName'>, opts: { series?: string | undefined; json?: boolean | undefined }): Promise<string> {
  if (opts.series !== undefined) return opts.series;
  const s = await defaultSeries(db, config.siteName);
  if (!s) throw new UsageError('--series', 'this site has no series yet: give --series NAME (edition create makes a series of that name, its slug made from it), or set SITE_NAME');
  if (s.chosen && !opts.json) console.error(`(series ${s.slug} — the newest edition's; give --series to choose)`);
  return s.exists ? s.slug : s.name;
}

/**
 * The --series a command the output suggests must give to reach `series` (a name or a slug):
 * none while it is the site's only series, else " --series SLUG" (with several, the rule's
 * choice may change with the next edition). Asked after the command's write.
 */
export async function seriesAgain(db: Kysely<Database>, series: string): Promise<string> {
  const s = await defaultSeries(db, undefined);
  return s && !s.chosen && s.slug === seriesSlug(series) ? '' : ` --series ${seriesSlug(series)}`;
}

type SeriesOpts = { series?: string | undefined; json?: boolean | undefined };

/** The edition a command names by <year> and --series (the rule's, when not given), as the domain takes one. */
export async function editionRefOf(db: Kysely<Database>, config: Pick<Config, 'siteName'>, year: string, opts: SeriesOpts): Promise<{ series: string; year: number }> {
  return { series: await seriesOf(db, config, opts), year: yearArgument(year) };
}

/** The row of the edition a command names by <year> and --series (editionRefOf); NotFound when there is none. */
export async function editionNamed(db: Kysely<Database>, config: Pick<Config, 'siteName'>, year: string, opts: SeriesOpts): ReturnType<typeof getEdition> {
  const ref = await editionRefOf(db, config, year, opts);
  return getEdition({ db }, ref.series, ref.year);
}

/**
 * The site's name, as pages, the feed and mail give it: SITE_NAME when set; else the name of the
 * only series when the archive holds exactly one (Netconf, for the bundled archive); else
 * conclave. Read once by the process that serves (or writes) at its start.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/** The name when none is set and none can be told from the archive. */
export const DEFAULT_SITE_NAME = 'conclave';

export async function siteNameOf(db: Kysely<Database>, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  const series = await db.selectFrom('series').select('name').limit(2).execute();
  return series.length === 1 ? series[0]!.name : DEFAULT_SITE_NAME;
}

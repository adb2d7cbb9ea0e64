/**
 * The Netconf archive shipped with conclave (archive/netconf/*.txt): imported on the first start
 * of an empty database, so that `npm start` shows the archive at once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { packagePath } from '../../paths.js';
import { importPages, type ImportedPage } from './import-pages.js';

export const BUNDLED_ARCHIVE_DIR = packagePath('archive/netconf');

export function bundledPages(dir = BUNDLED_ARCHIVE_DIR) {
  return fs
    .readdirSync(dir)
    .filter((f) => /\.(txt|html?)$/.test(f))
    .sort()
    .map((f) => ({ file: path.join('archive/netconf', f), content: fs.readFileSync(path.join(dir, f)) }));
}

/** Imports the bundled archive when the database holds no edition yet; returns what it imported. */
export async function importBundledIfEmpty(deps: { db: Kysely<Database> }): Promise<ImportedPage[]> {
  const { n } = await deps.db
    .selectFrom('editions')
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  if (n > 0) return [];
  return importPages(deps, bundledPages());
}

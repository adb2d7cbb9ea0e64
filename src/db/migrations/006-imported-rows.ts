import { sql, type Kysely } from 'kysely';

/**
 * Rows an import wrote are marked, so that re-importing a page replaces exactly those and never
 * what the committee added in conclave since (a sponsor, a committee role, a reference, a link).
 */
const TABLES = ['sponsors', 'committee_members', 'edition_references', 'materials'];

export async function up(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) await db.schema.alterTable(table).addColumn('imported', 'boolean', (c) => c.notNull().defaultTo(false)).execute();
  await rewrite(db);
}

/** The rows' part (also run on rows restored from a backup made before this migration). */
export async function rewrite(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) {
    // Until now only imports wrote these lists for editions that came from a page.
    await sql`update ${sql.table(table)} t set imported = true
              from editions e where e.id = t.edition_id and e.source_file is not null`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

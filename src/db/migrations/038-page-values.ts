import type { Kysely } from 'kysely';

/**
 * What the edition's page gave for each sponsor, committee role and reference an import wrote:
 * a re-import compares it with the row (edited in conclave since?) and with the page's new
 * values (changed on the page since?), so that it keeps the committee's edit of a part the page
 * still gives as before (archive/page-parts.ts).
 */
const TABLES = { sponsors: 'sponsor', committee_members: 'committee-role', edition_references: 'reference' } as const;

export async function up(db: Kysely<any>): Promise<void> {
  for (const table of Object.keys(TABLES)) await db.schema.alterTable(table).addColumn('page_values', 'jsonb').execute();
  await rewrite(db);
}

/** The fields of each part a page gives (as the import writes them). */
const PAGE_FIELDS = {
  sponsors: ['name', 'kind', 'url', 'logo_alt', 'logo_src'],
  committee_members: ['role', 'email_redacted', 'email_as_listed'],
  edition_references: ['title', 'url'],
} as const;

const parsed = (v: unknown): Record<string, unknown> | null => (typeof v === 'string' ? (JSON.parse(v) as Record<string, unknown>) : (v as Record<string, unknown> | null));

/**
 * The page's values of the imported rows written before they were kept (also run on rows
 * restored from a backup made before this migration): an import replaced every such row, so the
 * values before its first edit in conclave (that edit's audit `before`) are the page's; a row
 * never edited still has them.
 */
export async function rewrite(db: Kysely<any>): Promise<void> {
  for (const [table, part] of Object.entries(TABLES) as [keyof typeof TABLES, string][]) {
    const rows = (await db.selectFrom(table).selectAll().where('imported', '=', true).where('page_values', 'is', null).execute()) as Record<string, unknown>[];
    for (const row of rows) {
      const first = await db
        .selectFrom('audit_log')
        .select('before')
        .where('action', '=', `${part}.update`)
        .where('entity_id', '=', String(row.id))
        .where('edition_id', '=', row.edition_id as number)
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      const source = parsed(first?.before) ?? row;
      const values = Object.fromEntries(PAGE_FIELDS[table].map((f) => [f, source[f] ?? null]));
      await db.updateTable(table).set({ page_values: JSON.stringify(values) }).where('id', '=', row.id as number).execute();
    }
  }
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

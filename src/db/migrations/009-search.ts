import { sql, type Kysely } from 'kysely';

/**
 * Search (issue 5): full-text indexes for the texts that grow. Meeting notes (Markdown bodies)
 * are the long texts of the archive, and people's names are looked up on every search; each gets
 * a GIN index on exactly the expression src/domain/search/documents.ts matches against, so that
 * the planner can use it. Talks and topics are searched with their speakers and presenters
 * folded in, which no single-table index can serve; they are short and few (some dozens per
 * edition), and are read directly.
 *
 * The expressions name the text search configuration ('english'), which makes to_tsvector
 * immutable and so indexable on PostgreSQL and PGlite alike.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index materials_search on materials using gin (to_tsvector('english', coalesce(label, '') || ' ' || coalesce(about, '') || ' ' || coalesce(body, '')))`.execute(db);
  await sql`create index people_name_search on people using gin (to_tsvector('english', name))`.execute(db);
  await sql`create index person_names_search on person_names using gin (to_tsvector('english', name))`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

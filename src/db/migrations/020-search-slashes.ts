import { sql, type Kysely } from 'kysely';

/**
 * Words joined by a slash are words: PostgreSQL's parser reads "Bridging/STP" or
 * "switchdev/rocker" as one file-path token, which neither "bridging" nor "rocker" finds. Search
 * reads text with each slash between two letters or digits as a space (src/domain/search/documents.ts, `words`); the meeting
 * notes' index is remade on exactly that expression. Names are indexed as they were: a name
 * holds no slash.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index materials_search`.execute(db);
  await sql`create index materials_search on materials using gin (to_tsvector('conclave_text', regexp_replace(coalesce(label, '') || ' ' || coalesce(about, '') || ' ' || coalesce(body, ''), '(?<=[[:alnum:]])/(?=[[:alnum:]])', ' ', 'g')))`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

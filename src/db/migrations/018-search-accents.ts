import { sql, type Kysely } from 'kysely';

/**
 * Search that folds accents: "hoiland" finds Toke Høiland-Jørgensen, "kubecek" Michal Kubeček.
 * The text search configuration `conclave_text` is English (stemming, stop words) with the
 * unaccent dictionary before the stemmer. unaccent is a trusted contrib extension on PostgreSQL
 * (a database owner may create it) and ships with PGlite (src/db/connect.ts loads it).
 *
 * Migration 009's indexes are remade on the new configuration: src/domain/search/documents.ts
 * matches against exactly these expressions.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists unaccent`.execute(db);
  await sql`create text search configuration conclave_text (copy = english)`.execute(db);
  await sql`alter text search configuration conclave_text alter mapping for hword, hword_part, word with unaccent, english_stem`.execute(db);
  await sql`drop index materials_search`.execute(db);
  await sql`drop index people_name_search`.execute(db);
  await sql`drop index person_names_search`.execute(db);
  await sql`create index materials_search on materials using gin (to_tsvector('conclave_text', coalesce(label, '') || ' ' || coalesce(about, '') || ' ' || coalesce(body, '')))`.execute(db);
  await sql`create index people_name_search on people using gin (to_tsvector('conclave_text', name))`.execute(db);
  await sql`create index person_names_search on person_names using gin (to_tsvector('conclave_text', name))`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

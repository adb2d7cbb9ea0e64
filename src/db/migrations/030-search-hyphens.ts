import { sql, type Kysely } from 'kysely';

/**
 * Words joined by a hyphen are words, as those joined by a slash are (migration 020): PostgreSQL's
 * parser reads "RFC-5549" as rfc and the signed number -5549, which "5549" does not find, and
 * "Mobile-IPV6" as the whole word before its parts, which puts the words before it one position
 * further off than a quoted phrase says. Search reads text with each hyphen or slash between two
 * letters or digits as a space (src/domain/search/documents.ts, `words`); the meeting notes' and
 * people's names' indexes are remade on exactly that expression (a name such as
 * "Høiland-Jørgensen" is hyphenated).
 */
const MARK = '(?<=[[:alnum:]])([-/])(?=[[:alnum:]])';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index materials_search`.execute(db);
  await sql`drop index people_name_search`.execute(db);
  await sql`drop index person_names_search`.execute(db);
  await sql`create index materials_search on materials using gin (to_tsvector('conclave_text', regexp_replace(coalesce(label, '') || ' ' || coalesce(about, '') || ' ' || coalesce(body, ''), ${sql.lit(MARK)}, ' ', 'g')))`.execute(db);
  await sql`create index people_name_search on people using gin (to_tsvector('conclave_text', regexp_replace(name, ${sql.lit(MARK)}, ' ', 'g')))`.execute(db);
  await sql`create index person_names_search on person_names using gin (to_tsvector('conclave_text', regexp_replace(name, ${sql.lit(MARK)}, ' ', 'g')))`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

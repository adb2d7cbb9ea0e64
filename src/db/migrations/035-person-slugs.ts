import { sql, type Kysely } from 'kysely';
import { attachCacheTriggers } from './011-cache.js';

/**
 * Slugs a person no longer goes by: the slug of a record merged into theirs (`conclave people
 * merge`), their own before a rename gave them the new name's (`conclave people rename`). A page
 * or link of the old address leads to the person (otherNameSlugs), and no new person is given it
 * (the Resolver keeps it taken). The person's row going takes its old slugs with it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('person_slugs')
    .addColumn('slug', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('person_slugs_person').on('person_slugs').column('person_id').execute();
  // The redirects of public pages read it: a change empties the page cache, as people's does.
  await attachCacheTriggers(db, 'person_slugs', null);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

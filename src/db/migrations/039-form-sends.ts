import { sql, type Kysely } from 'kysely';

/**
 * The create forms' one-time keys (domain/form-once.ts): a key is recorded in the transaction of
 * the row its form created, with where that send led, so that the same form sent again (Back and
 * send, a double click, a retried request) writes nothing and lands there too. Keys are pruned
 * after a few days (created_at).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('form_sends')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('landing', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('form_sends_created_at').on('form_sends').column('created_at').execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

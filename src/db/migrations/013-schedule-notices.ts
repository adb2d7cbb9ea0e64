import { sql, type Kysely } from 'kysely';

/**
 * Which mail told which speaker about which schedule change. A speaker's notice waits a few
 * minutes before it is sent; further changes touching them in that time join the same notice, so
 * that an afternoon of rearranging is one mail, not twenty.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('schedule_change_notices')
    .addColumn('change_id', 'integer', (c) => c.notNull().references('schedule_changes.id').onDelete('cascade'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
    .addColumn('outbox_id', 'integer', (c) => c.notNull().references('outbox.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('schedule_change_notices_pk', ['change_id', 'person_id'])
    .execute();
  await db.schema.createIndex('schedule_change_notices_outbox').on('schedule_change_notices').column('outbox_id').execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

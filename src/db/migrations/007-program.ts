import { sql, type Kysely } from 'kysely';

/**
 * The program (issue 4): topic proposals by invitees and the committee's decisions on them; day
 * bounds for the schedule builder; the public changelog of a published schedule; who uploaded a
 * material and when, and a thumbnail for photos.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('topics')
    .addColumn('proposer_id', 'integer', (c) => c.references('people.id'))
    .addColumn('wished_minutes', 'integer', (c) => c.check(sql`wished_minutes between 5 and 480`))
    .addColumn('decision_comment', 'text')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .alterTable('topics')
    .addCheckConstraint('topics_state', sql`state in ('proposed', 'changes-requested', 'accepted', 'declined', 'withdrawn')`)
    .execute();
  await db.schema.createIndex('topics_proposer_id').on('topics').column('proposer_id').execute();

  const time = (col: string) => sql`${sql.ref(col)} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' or ${sql.ref(col)} = '24:00'`;
  await db.schema
    .alterTable('agenda_days')
    .addColumn('start_time', 'text', (c) => c.check(time('start_time')))
    .addColumn('end_time', 'text', (c) => c.check(time('end_time')))
    .execute();

  await db.schema.alterTable('editions').addColumn('schedule_published_at', 'timestamptz').execute();

  await db.schema
    .createTable('schedule_changes')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('edition_id', 'integer', (c) => c.notNull().references('editions.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('publish', 'finalize', 'add', 'move', 'edit', 'remove', 'days')`),
    )
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('slot_id', 'integer')
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .addColumn('notified', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
  await db.schema.createIndex('schedule_changes_edition').on('schedule_changes').columns(['edition_id', 'id']).execute();

  await db.schema
    .alterTable('materials')
    .addColumn('uploaded_by', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('thumb_sha256', 'text', (c) => c.references('files.sha256'))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

import { sql, type Kysely } from 'kysely';

/**
 * The committee (sign-in by mailed link, sessions in the database, audit log) and the invitation
 * cycle per edition (cap, answer-by, waiting list, reminders).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('editions')
    .addColumn('cap', 'integer', (c) => c.notNull().defaultTo(15).check(sql`cap > 0`))
    .execute();
  await db.schema
    .alterTable('editions')
    .addColumn('reminder_days', 'integer', (c) => c.notNull().defaultTo(7).check(sql`reminder_days >= 0`))
    .execute();
  await db.schema.alterTable('editions').addColumn('answer_by', 'date').execute();

  await db.schema
    .createTable('committee_accounts')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('disabled_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('committee_accounts_email')
    .on('committee_accounts')
    .expression(sql`lower(email)`)
    .unique()
    .execute();

  await db.schema
    .createTable('signin_tokens')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('account_id', 'integer', (c) => c.notNull().references('committee_accounts.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'integer', (c) => c.notNull().references('committee_accounts.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('sessions_account').on('sessions').column('account_id').execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor_account_id', 'integer', (c) => c.references('committee_accounts.id'))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('edition_id', 'integer', (c) => c.references('editions.id').onDelete('set null'))
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .addColumn('reason', 'text')
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();

  await db.schema
    .createTable('invitations')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('edition_id', 'integer', (c) => c.notNull().references('editions.id').onDelete('cascade'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .defaultTo('candidate')
        .check(sql`state in ('candidate', 'invited', 'accepted', 'declined', 'waitlisted', 'expired', 'withdrawn', 'revoked')`),
    )
    .addColumn('answer_by', 'date')
    .addColumn('waitlist_position', 'integer')
    .addColumn('invited_at', 'timestamptz')
    .addColumn('answered_at', 'timestamptz')
    .addColumn('state_since', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('reminders_sent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_reminder_at', 'timestamptz')
    .addColumn('invitation_message_id', 'text')
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('manual'))
    .addColumn('evidence', 'jsonb')
    .addColumn('note', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('invitations_once', ['edition_id', 'person_id'])
    .execute();
  await db.schema.createIndex('invitations_state').on('invitations').columns(['edition_id', 'state']).execute();
  await db.schema
    .createIndex('invitations_waitlist')
    .on('invitations')
    .columns(['edition_id', 'waitlist_position'])
    .unique()
    .where(sql.ref('waitlist_position'), 'is not', null)
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

import { sql, type Kysely } from 'kysely';

/**
 * Mail: per-edition templates and the outbox.
 *
 * A template row with no edition is the committee's site-wide version of a key; a key without
 * any row falls back to the text built into the code (domain/mail/template-keys.ts). Two partial
 * unique indexes make "one per edition and key" and "one site-wide per key" hold, nulls included.
 *
 * Every message is a row of the outbox before it is anything else. Its state goes
 * draft → queued → sending → sent | failed; workers in several processes claim due rows with
 * `for update skip locked` (domain/mail/worker.ts). The local mailbox (no SMTP_URL) is not a table:
 * it is the .eml files under the data directory plus the rows sent with transport 'mailbox'.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mail_templates')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('edition_id', 'integer', (c) => c.references('editions.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('mail_templates_edition_key')
    .on('mail_templates')
    .columns(['edition_id', 'key'])
    .unique()
    .where(sql.ref('edition_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('mail_templates_site_key')
    .on('mail_templates')
    .column('key')
    .unique()
    .where(sql.ref('edition_id'), 'is', null)
    .execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    // The record of what was sent outlives the edition's deletion.
    .addColumn('edition_id', 'integer', (c) => c.references('editions.id').onDelete('set null'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('batch', 'text')
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('to_name', 'text')
    .addColumn('from_address', 'text', (c) => c.notNull())
    .addColumn('reply_to', 'text')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    .addColumn('in_reply_to', 'text')
    .addColumn('references_ids', 'text')
    .addColumn('state', 'text', (c) =>
      c.notNull().defaultTo('queued').check(sql`state in ('draft', 'queued', 'sending', 'sent', 'failed')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_error', 'text')
    .addColumn('smtp_response', 'text')
    .addColumn('transport', 'text', (c) => c.check(sql`transport in ('smtp', 'mailbox')`))
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .addCheckConstraint('outbox_held_in_batch', sql`state <> 'draft' or batch is not null`)
    .addCheckConstraint('outbox_sending_claimed', sql`state <> 'sending' or (claimed_by is not null and claimed_at is not null)`)
    .addCheckConstraint('outbox_sent_at', sql`state <> 'sent' or (sent_at is not null and transport is not null)`)
    .execute();
  await db.schema.createIndex('outbox_due').on('outbox').columns(['state', 'next_attempt_at']).execute();
  await db.schema.createIndex('outbox_batch').on('outbox').column('batch').where(sql.ref('batch'), 'is not', null).execute();
  await db.schema.createIndex('outbox_edition_id').on('outbox').column('edition_id').execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

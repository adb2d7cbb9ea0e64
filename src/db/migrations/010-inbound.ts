import { sql, type Kysely } from 'kysely';

/**
 * Inbound mail (issue 7): every message that reaches `conclave mail ingest` or the SMTP listener
 * is one row, with what it did (status, action, reason) and the links to what it touched: the
 * invitation it was matched to, the topic it proposed, the confirmation reply in the outbox.
 *
 * The raw message is kept in the row (bytea), so that a message refused as malformed, or waiting
 * for the committee, can be read again; an oversize message keeps only its first 64 KiB
 * (raw_truncated). A Message-ID acts once: the unique index covers the first delivery of each
 * (duplicate_of null); later deliveries are recorded as duplicates pointing at it. A message
 * without a Message-ID gets one made from the SHA-256 of its bytes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('inbound_messages')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('via', 'text', (c) => c.notNull().check(sql`via in ('stdin', 'mbox', 'maildir', 'smtp')`))
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('duplicate_of', 'integer', (c) => c.references('inbound_messages.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('applied', 'review', 'ignored', 'refused', 'dismissed')`))
    .addColumn('action', 'text', (c) => c.check(sql`action in ('accept', 'decline', 'withdraw', 'topic')`))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('from_address', 'text')
    .addColumn('from_name', 'text')
    .addColumn('subject', 'text')
    .addColumn('sent_at', 'timestamptz')
    .addColumn('in_reply_to', 'text')
    .addColumn('references_ids', 'text')
    .addColumn('text_body', 'text')
    .addColumn('auto_reply', 'text')
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('raw', 'bytea')
    .addColumn('raw_truncated', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('matched_by', 'text', (c) => c.check(sql`matched_by in ('token', 'thread')`))
    .addColumn('invitation_id', 'integer', (c) => c.references('invitations.id').onDelete('set null'))
    .addColumn('edition_id', 'integer', (c) => c.references('editions.id').onDelete('set null'))
    .addColumn('topic_id', 'integer', (c) => c.references('topics.id').onDelete('set null'))
    .addColumn('reply_outbox_id', 'integer', (c) => c.references('outbox.id').onDelete('set null'))
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('inbound_messages_once')
    .on('inbound_messages')
    .column('message_id')
    .unique()
    .where(sql.ref('duplicate_of'), 'is', null)
    .execute();
  await db.schema.createIndex('inbound_messages_status').on('inbound_messages').columns(['status', 'id']).execute();
  await db.schema.createIndex('inbound_messages_invitation_id').on('inbound_messages').column('invitation_id').execute();
  await db.schema.createIndex('inbound_messages_reply_outbox_id').on('inbound_messages').column('reply_outbox_id').execute();
  // Threads are matched by the Message-IDs a reply names: the outbox looks them up.
  await db.schema.createIndex('outbox_in_reply_to').on('outbox').column('in_reply_to').where(sql.ref('in_reply_to'), 'is not', null).execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

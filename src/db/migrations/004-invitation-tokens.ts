import { sql, type Kysely } from 'kysely';

/**
 * Personal invitation links. A link's token is never stored, only its SHA-256; so a reminder or a
 * promotion mail cannot rebuild the link it was first sent with, and carries a fresh token
 * instead. Every token of an invitation stays valid (the person may click any mail they got)
 * until the committee re-sends the invitation or revokes it, which sets `revoked_at` on all.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('invitation_tokens')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('invitation_id', 'integer', (c) => c.notNull().references('invitations.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('invitation', 'reminder', 'promotion')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('invitation_tokens_invitation').on('invitation_tokens').column('invitation_id').execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

import { sql, type Kysely } from 'kysely';

/**
 * Outbox rows say which invitation they are about (`invitation_id`), and a row may be
 * 'superseded': never sent, because what it carried went out in a later mail (`superseded_by`).
 *
 * A re-send ends an invitation's links. Its reminder or "you are in" mail still waiting in the
 * outbox (the SMTP server down) carried one of those links and, retried later, would bring the
 * invitee a dead one; with no invitation on the row, the re-send could not find it. Now it finds
 * it by `invitation_id` and supersedes it (invitations/send.ts).
 *
 * Existing rows are given their invitation where that is certain: an invitee mail (invitation,
 * reminder, waitlist-promoted) that is the invitation's current invitation mail, or answers it,
 * to the invitation's address in its edition (Message-IDs are unique). Mail of invitations
 * re-sent before this migration, and every other kind, keeps a null: nothing reads it but the
 * re-send, which looks for mail of the current invitation mail's thread.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('outbox')
    // The record of what was sent outlives the invitation's deletion, as it does the edition's.
    .addColumn('invitation_id', 'integer', (c) => c.references('invitations.id').onDelete('set null'))
    .execute();
  // The outbox id of the mail standing in. No foreign key: a restore inserts rows in id order,
  // and this one names a later row. A draft standing in that is taken back passes it on.
  await db.schema.alterTable('outbox').addColumn('superseded_by', 'integer').execute();
  // The state's check, as 002 made it (PostgreSQL's name for a column's check), with 'superseded'.
  await sql`alter table outbox drop constraint outbox_state_check`.execute(db);
  await sql`alter table outbox add constraint outbox_state_check check (state in ('draft', 'queued', 'sending', 'sent', 'failed', 'superseded'))`.execute(db);
  await db.schema.createIndex('outbox_invitation_id').on('outbox').column('invitation_id').where(sql.ref('invitation_id'), 'is not', null).execute();
  await rewrite(db);
}

/** The backfill: rows restored from a backup made before this migration go through it too. */
export async function rewrite(db: Kysely<any>): Promise<void> {
  await sql`
    update outbox set invitation_id = i.id
      from invitations i
     where outbox.invitation_id is null
       and outbox.kind in ('invitation', 'reminder', 'waitlist-promoted')
       and i.invitation_message_id is not null
       and (outbox.message_id = i.invitation_message_id or outbox.in_reply_to = i.invitation_message_id)
       and outbox.edition_id = i.edition_id
       and lower(outbox.to_address) = lower(i.email)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

import { type Kysely } from 'kysely';

/**
 * The audit trail by edition and time: an edition's schedule files take their version (the
 * calendar's DTSTAMP, schedule.xml's <version>) from the last change to what they show, materials
 * and topics included (src/domain/exports/schedule.ts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('audit_log_edition_at').on('audit_log').columns(['edition_id', 'at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

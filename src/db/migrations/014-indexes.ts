import type { Kysely } from 'kysely';

/**
 * Indexes for the columns that pages look rows up by and that had none, so that each lookup
 * costs the same however large the archive grows (issue 5's export benchmark):
 *
 * - person_emails(person_id): an edition's shown addresses (loadEdition), a person's (loadPerson);
 * - edition_references(edition_id): an edition's references (loadEdition);
 * - materials(slot_id), materials(topic_id): a slot's or a topic's materials, and the cascade when
 *   a slot or topic is deleted;
 * - slots(topic_id): the slot made for a topic, and clearing it when the topic is deleted.
 *
 * slot_speakers(slot_id) and topic_presenters(topic_id) need none: their primary keys begin with
 * those columns.
 */
const INDEXES = [
  ['person_emails', 'person_id'],
  ['edition_references', 'edition_id'],
  ['materials', 'slot_id'],
  ['materials', 'topic_id'],
  ['slots', 'topic_id'],
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  for (const [table, column] of INDEXES) {
    await db.schema.createIndex(`${table}_${column}`).ifNotExists().on(table).column(column).execute();
  }
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

import type { Kysely } from 'kysely';

/** Sponsor logos get a thumbnail (made by sharp), stored like every file: by content hash. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('sponsors')
    .addColumn('logo_thumb_sha256', 'text', (c) => c.references('files.sha256'))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

import type { Kysely } from 'kysely';

/**
 * A material's thumbnail at an address: an imported page's group photo is often a small image
 * linking to the full-size one (`<a href="group.jpg"><img src="group-small.jpg"></a>`). The
 * material's url is the full-size photo, as for an uploaded one; thumb_url the image the page
 * showed, where an uploaded photo has its stored thumbnail (thumb_sha256).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('materials').addColumn('thumb_url', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

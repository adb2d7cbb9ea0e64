import type { Kysely } from 'kysely';
import { nameKey } from '../../domain/people/names.js';

/**
 * A person's name key folded every combining mark away until it kept the marks that make other
 * letters outside Latin and Greek (a kana's voicing mark, a Devanagari vowel sign, the Cyrillic
 * й): the keys stored before are those of the old rule. Lookups by the stored key (a topic
 * proposed by mail, by its presenter's name) would miss such a person, so every key is made
 * again from the name by the current rule; the others come out as they were.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await rewrite(db);
}

/** The whole migration is a rewrite of rows: also run on rows restored from a backup made before it. */
export async function rewrite(db: Kysely<any>): Promise<void> {
  const people = (await db.selectFrom('people').select(['id', 'name', 'name_key']).execute()) as { id: number; name: string; name_key: string }[];
  for (const p of people) {
    const key = nameKey(p.name);
    if (key !== p.name_key) await db.updateTable('people').set({ name_key: key }).where('id', '=', p.id).execute();
  }
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

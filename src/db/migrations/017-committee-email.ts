import { sql, type Kysely } from 'kysely';

/**
 * A committee member's address as the edition's page gave it, as attendances keep theirs: the
 * edition shows that one, not whichever of the person's addresses came first (a 2041 page's
 * davem@davemloft.net was shown as 2004's davem@redhat.com). Null: the page gave none.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table committee_members add column email_as_listed text`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

import { sql, type Kysely } from 'kysely';

/**
 * What a page wrote in parentheses after an attendee's name, besides an address: a company or a
 * role ("Jesper Dangaard Brouer (Red Hat)", "(pablo@netfilter.org, Netfilter maintainer)"). It
 * was read and then dropped. Null: the page gave none.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table attendances add column affiliation_as_listed text`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

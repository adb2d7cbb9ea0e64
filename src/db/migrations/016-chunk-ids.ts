import { sql, type Kysely } from 'kysely';

/**
 * The miner's cached chunks no longer carry their commit ids in a column of their own: nothing
 * read it (a commit is found by its commit time, then by its id inside the chunk's data), and
 * writing it cost each chunk a string of ~40 bytes a commit that the process then had to collect.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table contribution_commits drop column shas`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

import { sql, type Kysely } from 'kysely';

/**
 * The miner keeps a tally per query and tip, not per query: when HEAD moves to a commit that the
 * last tally's tip is not an ancestor of (a rebase, another branch), an older tally whose tip is
 * may still save reading the whole history again (src/domain/contributions/cache.ts keeps the
 * newest few).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table contribution_scans drop constraint contribution_scans_once`.execute(db);
  await sql`alter table contribution_scans add constraint contribution_scans_tip unique (repo_id, spec, tip)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

import { sql, type Kysely } from 'kysely';

/**
 * The miner lists the trailers it skipped (src/domain/contributions/tally.ts), and a cached run
 * must list what a cold run does. A chunk of cached commits in the older, packed form (its data
 * not marked "~", cache.ts) kept only how many trailers each commit had skipped, not which:
 * those chunks go, and their commits are read from git again when next needed. (Tallies kept
 * before are told apart by their own version, in code.)
 */
export async function up(db: Kysely<any>): Promise<void> {
  await rewrite(db);
}

/** The whole migration is a rewrite of rows: also run on rows restored from a backup made before it. */
export async function rewrite(db: Kysely<any>): Promise<void> {
  await sql`delete from contribution_commits where data not like '~%'`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

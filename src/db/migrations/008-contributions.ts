import { sql, type Kysely } from 'kysely';

/**
 * The contribution miner's cache (domain/contributions/tables.ts): repositories, per-commit
 * results by repository and commit id, and per-query tallies with the tip they reached.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('contribution_repos')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('git_dir', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('contribution_commits')
    .addColumn('repo_id', 'integer', (c) => c.notNull().references('contribution_repos.id').onDelete('cascade'))
    .addColumn('sha', 'text', (c) => c.notNull())
    .addColumn('commit_time', 'bigint', (c) => c.notNull())
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('author_email', 'text', (c) => c.notNull())
    .addColumn('credits', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('added', 'integer')
    .addColumn('removed', 'integer')
    .addColumn('paths', 'text')
    .addPrimaryKeyConstraint('contribution_commits_pk', ['repo_id', 'sha'])
    .execute();

  await db.schema
    .createTable('contribution_scans')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('repo_id', 'integer', (c) => c.notNull().references('contribution_repos.id').onDelete('cascade'))
    .addColumn('spec', 'text', (c) => c.notNull())
    .addColumn('tip', 'text', (c) => c.notNull())
    .addColumn('commits', 'integer', (c) => c.notNull())
    .addColumn('tally', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('contribution_scans_once', ['repo_id', 'spec'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

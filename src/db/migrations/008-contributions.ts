import { sql, type Kysely } from 'kysely';

/**
 * The contribution miner's cache (domain/contributions/tables.ts): repositories, per-commit
 * results by repository and commit id — kept in chunks of a few thousand commits, one row a
 * chunk, found by the commit times they span — and per-query tallies with the tip they reached.
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
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('repo_id', 'integer', (c) => c.notNull().references('contribution_repos.id').onDelete('cascade'))
    .addColumn('tmin', 'bigint', (c) => c.notNull())
    .addColumn('tmax', 'bigint', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('lines', 'boolean', (c) => c.notNull())
    .addColumn('shas', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
  // Already compact (ids are random, data deflated): no second compression by PostgreSQL.
  await sql`alter table contribution_commits alter column shas set storage external, alter column data set storage external`.execute(db);
  await db.schema.createIndex('contribution_commits_repo').on('contribution_commits').columns(['repo_id', 'tmin']).execute();

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

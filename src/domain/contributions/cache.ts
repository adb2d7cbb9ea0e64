/**
 * The miner's cache in the database (tables.ts): per-commit results by repository and commit id,
 * and per-query scans with the tip they reached and their tally. Cache writes are single
 * statements (a batch of commits, or one scan), each atomic; nothing here is a person's write,
 * so nothing here is audited.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { CommitRecord } from './log-parser.js';
import type { CommitLines } from './tally.js';
import './tables.js';

type Db = Kysely<Database>;

export async function repoId(db: Db, gitDir: string): Promise<number> {
  await db.insertInto('contribution_repos').values({ git_dir: gitDir }).onConflict((oc) => oc.column('git_dir').doNothing()).execute();
  const r = await db.selectFrom('contribution_repos').select('id').where('git_dir', '=', gitDir).executeTakeFirstOrThrow();
  return r.id;
}

export interface Scan {
  tip: string;
  commits: number;
  tally: string;
}

export async function loadScan(db: Db, repo: number, spec: string): Promise<Scan | undefined> {
  return db.selectFrom('contribution_scans').select(['tip', 'commits', 'tally']).where('repo_id', '=', repo).where('spec', '=', spec).executeTakeFirst();
}

export async function saveScan(db: Db, repo: number, spec: string, scan: Scan, now: Date): Promise<void> {
  await db
    .insertInto('contribution_scans')
    .values({ repo_id: repo, spec, tip: scan.tip, commits: scan.commits, tally: scan.tally, updated_at: now })
    .onConflict((oc) => oc.columns(['repo_id', 'spec']).doUpdateSet({ tip: scan.tip, commits: scan.commits, tally: scan.tally, updated_at: now }))
    .execute();
}

/** How many commits of the repository are cached, and how many with their lines. */
export async function cachedCounts(db: Db, repo: number): Promise<{ commits: number; withLines: number }> {
  const r = await db
    .selectFrom('contribution_commits')
    .select([sql<number>`count(*)::int`.as('commits'), sql<number>`count(added)::int`.as('withLines')])
    .where('repo_id', '=', repo)
    .executeTakeFirstOrThrow();
  return { commits: Number(r.commits), withLines: Number(r.withLines) };
}

export interface Cached {
  lines: CommitLines | null;
}

/** The cached commits among `shas`: whether they are there, and their lines if counted. */
export async function lookup(db: Db, repo: number, shas: string[]): Promise<Map<string, Cached>> {
  const out = new Map<string, Cached>();
  if (!shas.length) return out;
  const rows = await sql<{ sha: string; added: number | null; removed: number | null; paths: string | null }>`
    select sha, added, removed, paths from contribution_commits
    where repo_id = ${repo} and sha = any(${shas}::text[])`.execute(db);
  for (const r of rows.rows) {
    out.set(r.sha, {
      lines: r.added === null ? null : { added: r.added, removed: r.removed ?? 0, paths: r.paths ? (JSON.parse(r.paths) as Record<string, number>) : {} },
    });
  }
  return out;
}

export interface CommitRow {
  rec: CommitRecord;
  lines: CommitLines | null;
}

// Control characters never reach a name (ident.ts), an address or JSON text, so 0x1e and 0x1f
// can separate rows and fields of one text parameter: much cheaper to send than arrays.
const clean = (s: string) => s.replace(/[\u0000-\u001f]/g, ' ');

/**
 * Writes a batch of per-commit results in one statement. A commit already cached keeps its row,
 * except that lines counted now fill a row that had none.
 */
export async function writeCommits(db: Db, repo: number, rows: CommitRow[]): Promise<void> {
  if (!rows.length) return;
  const packed = rows
    .map(({ rec, lines }) =>
      [
        clean(rec.sha),
        rec.time,
        clean(rec.name),
        clean(rec.email),
        JSON.stringify(rec.credits.map(([k, i]) => [k, i.name, i.email])),
        rec.skipped,
        lines?.added ?? '',
        lines?.removed ?? '',
        lines ? JSON.stringify(lines.paths) : '',
      ].join('\x1f'),
    )
    .join('\x1e');
  await sql`
    insert into contribution_commits (repo_id, sha, commit_time, author_name, author_email, credits, skipped, added, removed, paths)
    select ${repo}, f[1], f[2]::bigint, f[3], f[4], f[5], f[6]::int, nullif(f[7], '')::int, nullif(f[8], '')::int, nullif(f[9], '')
    from (select string_to_array(r, chr(31)) as f from unnest(string_to_array(${packed}::text, chr(30))) as r) as rows
    on conflict (repo_id, sha) do update
      set added = excluded.added, removed = excluded.removed, paths = excluded.paths
      where contribution_commits.added is null and excluded.added is not null`.execute(db);
}

/**
 * The miner's cache tables (migration 008), declared here by module augmentation so that
 * db/schema.ts stays the other areas' business:
 *
 * - contribution_repos: one row per repository, named by its absolute git directory;
 * - contribution_commits: per repository and commit id, what the miner read from the commit:
 *   its raw author, commit time, credited trailers, skipped trailers and, once counted, its lines
 *   and the directories it touched. Raw (before .mailmap) so a new .mailmap needs no re-reading;
 * - contribution_scans: per repository and query (paths, dates, range base, mailmap, half-life,
 *   lines), the tip it reached and the running tally, so that the same query later walks only the
 *   commits added since that tip.
 */
import type { ColumnType, Generated } from 'kysely';

/** JSON kept as text: written and read whole, never queried inside, so no jsonb parsing. */
type JsonText = string;

export interface ContributionReposTable {
  id: Generated<number>;
  git_dir: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

/** One credit from a trailer: [kind, name, email], kind as in roles.ts. */
export type StoredCredit = [string, string, string];

export interface ContributionCommitsTable {
  repo_id: number;
  sha: string;
  commit_time: number;
  author_name: string;
  author_email: string;
  /** JSON: StoredCredit[]. */
  credits: JsonText;
  skipped: number;
  added: number | null;
  removed: number | null;
  /** Directory → lines changed there, when lines were counted. */
  paths: JsonText | null;
}

export interface ContributionScansTable {
  id: Generated<number>;
  repo_id: number;
  spec: string;
  tip: string;
  commits: number;
  /** The serialised tally (tally.ts), as text: read and written whole. */
  tally: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

declare module '../../db/schema.js' {
  interface Database {
    contribution_repos: ContributionReposTable;
    contribution_commits: ContributionCommitsTable;
    contribution_scans: ContributionScansTable;
  }
}

/**
 * The miner's cache tables (migration 008), declared here by module augmentation so that
 * db/schema.ts stays the other areas' business:
 *
 * - contribution_repos: one row per repository, named by its absolute git directory;
 * - contribution_commits: per repository and commit id, what the miner read from the commit —
 *   its raw author, author and commit times, credited trailers, skipped trailers and, once
 *   counted, its lines and the directories it touched — in chunks of up to a thousand commits,
 *   one row a chunk (writing a row per commit cost more than reading the history). A chunk names
 *   the commit times it spans (`tmin`–`tmax`), so a commit id with its commit time finds the one
 *   or few chunks that may hold it, and the id is then looked up in their data. Raw (before
 *   .mailmap) so a new .mailmap needs no re-reading;
 * - contribution_scans: per repository and query (paths, dates, range base, mailmap, half-life,
 *   lines), the tip it reached and the running tally, so that the same query later walks only the
 *   commits added since that tip.
 */
import type { ColumnType, Generated } from 'kysely';

export interface ContributionReposTable {
  id: Generated<number>;
  git_dir: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

/** One chunk of cached commits. */
export interface ContributionCommitsTable {
  id: Generated<number>;
  repo_id: number;
  /** The commit times (seconds) of its oldest and newest commit. */
  tmin: number;
  tmax: number;
  /** How many commits it holds. */
  n: number;
  /** Whether its commits' lines were counted. */
  lines: boolean;
  /** Its commits, deflated, in base64: as git printed them, or (older chunks) packed (cache.ts). */
  data: string;
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

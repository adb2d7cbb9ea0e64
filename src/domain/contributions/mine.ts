/**
 * The contribution miner: who wrote, reviewed, acked, tested and signed off the history of a
 * repository, ranked with the evidence. `git log` is streamed (never held whole); with lines,
 * the commit ids are shared among one `git diff-tree` per core as they stream. Per-commit results
 * are cached by repository and commit id, and the tally of a query by its tip, so the same query
 * later reads only the commits added since.
 */
import os from 'node:os';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { DomainError, InvalidInput } from '../errors.js';
import { isoDate } from '../invitations/deps.js';
import { parseInput } from '../validate.js';
import { cachedCounts, loadScan, lookup, repoId, saveScan, writeCommits, type CommitRow } from './cache.js';
import { isAncestor, openRepo, runGit, spawnGit, type Repo } from './git.js';
import { readRecords, type CommitRecord } from './log-parser.js';
import { LineCounter } from './numstat.js';
import { describeQuery, loadMailmap, logArgs, resolveRange, walkArgs, type Filters } from './query.js';
import { rank, type CandidateRow } from './rank.js';
import { Tally, type Credited } from './tally.js';
import { parseWeights, type Weights } from './weights.js';

export const MineInput = z.object({
  repo: z.string().min(1, 'must name a repository'),
  paths: z.array(z.string().min(1)).default([]),
  since: isoDate.optional(),
  until: isoDate.optional(),
  range: z.string().trim().min(1).optional(),
  lines: z.boolean().default(false),
  top: z.number().int().min(1, 'must be at least 1').max(100000).default(15),
  mailmap: z.string().min(1).optional(),
  exclude: z.array(z.string().min(1)).default([]),
  /** Overrides of the default weights (weights.ts), as a --weights file holds them. */
  weights: z.unknown().optional(),
  includeMerges: z.boolean().default(false),
  includeBots: z.boolean().default(false),
  /** False: neither read nor write the cache (a cold run). */
  cache: z.boolean().default(true),
});
export type MineInput = z.input<typeof MineInput>;

export interface Progress {
  done: number;
  total: number | null;
}

export interface MineDeps {
  db: Kysely<Database>;
  clock: () => Date;
  /** The git executable (default "git"). */
  git?: string;
  /** Line counters to run with lines (default: one per core). */
  jobs?: number;
  onProgress?: (p: Progress) => void;
  warn?: (message: string) => void;
  signal?: AbortSignal;
}

export interface MineResult {
  repository: string;
  query: string;
  /** Commits in the tally, and how many of them were read from git in this run. */
  commits: number;
  newCommits: number;
  incremental: boolean;
  skippedTrailers: number;
  people: number;
  excluded: number;
  lines: boolean;
  weights: Weights;
  warnings: string[];
  rows: CandidateRow[];
}

/** Ctrl-C (or another abort) stopped the run; per-commit results already written stay cached. */
export class Interrupted extends DomainError {
  override name = 'Interrupted';
}

const BATCH = 2000;

/** Part of every cached tally's key: bump it when what is read from a commit, or how it is credited, changes. */
const TALLY_VERSION = 2;

export async function mineContributions(deps: MineDeps, input: MineInput): Promise<MineResult> {
  const o = parseInput(MineInput, input);
  const weights = parseWeights(o.weights ?? {});
  if (o.since && o.until && o.since > o.until) throw new InvalidInput('until', 'must not be before --since');
  const repo = await openRepo(deps.git ?? 'git', o.repo);
  const warnings: string[] = [];
  const warn = (m: string) => {
    warnings.push(m);
    deps.warn?.(m);
  };
  if (repo.shallow) warn(`${o.repo} is a shallow clone: history before its cut-off is missing and counts will be low (git fetch --unshallow)`);
  const revs = await resolveRange(repo, o.range, o.repo);
  const mailmap = await loadMailmap(repo, o.mailmap);
  const filters: Filters = { paths: [...o.paths].sort(), since: o.since, until: o.until, includeMerges: o.includeMerges };
  const query = describeQuery(revs, filters);
  const spec = JSON.stringify({ v: TALLY_VERSION, ...filters, excludes: revs.excludes, h: weights.halfLifeYears, mailmap: mailmap.digest(), lines: o.lines });

  const repoKey = o.cache ? await repoId(deps.db, repo.gitDir) : 0;
  const scan = o.cache ? await loadScan(deps.db, repoKey, spec) : undefined;
  let tally = (scan && Tally.fromJSON(scan.tally)) || null;
  let from: string | null = null;
  if (tally && scan && scan.tip !== revs.tip) {
    if (await isAncestor(repo, scan.tip, revs.tip)) from = scan.tip;
    else tally = null;
  }
  const incremental = !!tally;
  tally ??= new Tally(weights.halfLifeYears);
  const before = tally.commits;
  if (!incremental || from) {
    const walk = [revs.tip, ...revs.excludes.map((x) => `^${x}`), ...(from ? [`^${from}`] : [])];
    await walkLog(deps, o, repo, repoKey, tally, mailmap, filters, walk);
  }
  if (tally.commits === 0) {
    const field = o.paths.length ? 'path' : o.range ? 'range' : o.since || o.until ? 'since' : 'repo';
    throw new InvalidInput(field, `no commits match ${query} in ${o.repo}`);
  }
  if (o.cache && (tally.commits !== before || scan?.tip !== revs.tip)) await saveScan(deps.db, repoKey, spec, { tip: revs.tip, commits: tally.commits, tally: tally.toJSON() }, deps.clock());
  const ranked = rank(tally, { weights, exclude: o.exclude, includeBots: o.includeBots, lines: o.lines, now: deps.clock(), top: o.top, repository: repo.gitDir, query });
  return {
    repository: repo.gitDir,
    query,
    commits: tally.commits,
    newCommits: tally.commits - before,
    incremental,
    skippedTrailers: tally.skipped,
    people: ranked.people,
    excluded: ranked.excluded,
    lines: o.lines,
    weights,
    warnings,
    rows: ranked.rows,
  };
}

/** Streams `git log` over `walk` into the tally, counting lines and caching per-commit results. */
async function walkLog(
  deps: MineDeps,
  o: z.output<typeof MineInput>,
  repo: Repo,
  repoKey: number,
  tally: Tally,
  mailmap: Awaited<ReturnType<typeof loadMailmap>>,
  filters: Filters,
  walk: string[],
): Promise<void> {
  const db = deps.db;
  const cached = o.cache ? await cachedCounts(db, repoKey) : { commits: 0, withLines: 0 };
  const child = spawnGit(repo, logArgs(filters, walk));
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', (e: NodeJS.ErrnoException) => reject(e));
    child.on('close', (code) => resolve(code ?? 1));
  });
  exited.catch(() => {});

  const writes: CommitRow[] = [];
  const flush = async (all: boolean) => {
    while (o.cache && (writes.length >= BATCH || (all && writes.length))) await writeCommits(db, repoKey, writes.splice(0, BATCH));
  };
  const pending = new Map<string, { rec: CommitRecord; credited: Credited }>();
  const counter = o.lines
    ? new LineCounter(repo, deps.jobs ?? os.availableParallelism(), (sha, lines) => {
        const p = pending.get(sha);
        if (!p) return;
        pending.delete(sha);
        tally.addLines(p.credited, lines);
        writes.push({ rec: p.rec, lines });
      })
    : null;
  const stop = () => {
    child.kill('SIGTERM');
    counter?.kill();
  };
  deps.signal?.addEventListener('abort', stop, { once: true });

  let total: number | null = null;
  if (deps.onProgress) {
    void runGit(repo.bin, ['rev-list', '--count', ...walkArgs(filters, walk)], { gitDir: repo.gitDir })
      .then((r) => {
        if (r.code === 0) total = Number(r.stdout.toString('utf8').trim());
      })
      .catch(() => {});
  }
  const start = tally.commits;
  let lastTick = 0;
  try {
    for await (const batch of readRecords(child.stdout)) {
      if (deps.signal?.aborted) break;
      const known = cached.commits > 0 ? await lookup(db, repoKey, batch.map((r) => r.sha)) : null;
      let full = false;
      for (const rec of batch) {
        const credited = tally.addCommit(rec, mailmap);
        const k = known?.get(rec.sha);
        if (counter) {
          if (k?.lines) tally.addLines(credited, k.lines);
          else {
            pending.set(rec.sha, { rec, credited });
            if (!counter.send(rec.sha)) full = true;
          }
        } else if (!k) writes.push({ rec, lines: null });
      }
      if (full) await counter!.drain();
      await flush(false);
      const now = Date.now();
      if (deps.onProgress && now - lastTick > 100) {
        lastTick = now;
        deps.onProgress({ done: tally.commits - start, total });
      }
    }
    if (counter) await counter.finish();
  } catch (err) {
    stop();
    throw err;
  } finally {
    deps.signal?.removeEventListener('abort', stop);
  }
  const code = await exited.catch((e: NodeJS.ErrnoException) => {
    throw e.code === 'ENOENT' ? new InvalidInput('git', `${repo.bin} not found`) : e;
  });
  await flush(true);
  if (deps.signal?.aborted) {
    throw new Interrupted(`interrupted after ${tally.commits - start} commits; nothing was ranked (per-commit results read so far stay cached)`);
  }
  if (code !== 0) throw new InvalidInput('repo', `git log failed: ${stderr.trim() || `exit code ${code}`}`);
  deps.onProgress?.({ done: tally.commits - start, total: tally.commits - start });
}

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
import { ChunkWriter, CommitCache, loadScan, repoId, saveScan, scanTips } from './cache.js';
import { GitKilled, isAncestor, openRepo, pathspecs, runGit, spawnGit, type Repo } from './git.js';
import { readRecords, type CommitRecord } from './log-parser.js';
import { LineCounter, LogSplit } from './numstat.js';
import { describeQuery, loadMailmap, logArgs, resolveRange, walkArgs, type Filters } from './query.js';
import { rank, type CandidateRow } from './rank.js';
import { Tally, type CommitLines } from './tally.js';
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

/** A skipped trailer: the commit's id and author date (YYYY-MM-DD, UTC), the line as git gave it, why. */
export interface SkippedTrailerRow {
  commit: string;
  date: string;
  line: string;
  why: string;
}

export interface Progress {
  done: number;
  total: number | null;
}

export interface MineDeps {
  /** The cache's database; none is needed, nor touched, with `cache: false`. */
  db?: Kysely<Database>;
  clock: () => Date;
  /** The git executable (default "git"). */
  git?: string;
  /** Line counters to run with lines (default: one per core). */
  jobs?: number;
  /** Consecutive commits given to one line counter (default numstat.ts BLOCK; tests use 1). */
  block?: number;
  onProgress?: (p: Progress) => void;
  warn?: (message: string) => void;
  signal?: AbortSignal;
}

export interface MineResult {
  /** The repository mined: its work tree, or its git directory when bare. */
  repository: string;
  query: string;
  /** Commits in the tally, and how many of them were read from git in this run. */
  commits: number;
  newCommits: number;
  incremental: boolean;
  /** Trailers of a credited kind that name nobody (no usable address), all counted. */
  skippedTrailers: number;
  /** Those trailers, newest first: the tally's SKIPPED_KEPT newest (tally.ts). */
  skipped: SkippedTrailerRow[];
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

/**
 * Throws `interrupted()` when `signal` has aborted, after letting the event loop turn once: a
 * signal (Ctrl-C) is heard only then, and the embedded database answers its queries without a
 * turn, so that a long run of them would otherwise never hear it.
 */
export async function heard(signal: AbortSignal | undefined, interrupted: () => Interrupted): Promise<void> {
  if (!signal) return;
  await new Promise((resolve) => setImmediate(resolve));
  if (signal.aborted) throw interrupted();
}

/** Part of every cached tally's key: bump it when what is read from a commit, or how it is credited, changes. */
const TALLY_VERSION = 4;

export async function mineContributions(deps: MineDeps, input: MineInput): Promise<MineResult> {
  const o = parseInput(MineInput, input);
  const db = o.cache ? deps.db : undefined;
  if (deps.signal?.aborted) throw new Interrupted('interrupted before the history was read; nothing was ranked');
  if (o.cache && !db) throw new Error('mineContributions: the cache needs a database (or cache: false)');
  const weights = parseWeights(o.weights ?? {});
  if (o.since && o.until && o.since > o.until) throw new InvalidInput('until', 'must not be before --since');
  const repo = await openRepo(deps.git ?? 'git', o.repo);
  const warnings: string[] = [];
  const warn = (m: string) => {
    warnings.push(m);
    deps.warn?.(m);
  };
  if (repo.shallow) warn(`${o.repo} is a shallow clone: history before its cut-off is missing and counts will be low (git fetch --unshallow)`);
  // Independent look-ups, each a git process or a query: at once. When one fails, the query is
  // waited for before the failure is thrown: the caller then closes the database, and closing
  // the embedded one while a query runs hangs the process.
  const key = db ? repoId(db, repo.gitDir) : Promise.resolve(0);
  const [revs, mailmap] = await Promise.all([resolveRange(repo, o.range, o.repo), loadMailmap(repo, o.mailmap)]).catch(async (err: unknown) => {
    await key.catch(() => {});
    throw err;
  });
  const repoKey = await key;
  const filters: Filters = { paths: pathspecs(repo, o.paths).sort(), since: o.since, until: o.until, includeMerges: o.includeMerges };
  const query = describeQuery(revs, filters);
  const spec = JSON.stringify({ v: TALLY_VERSION, ...filters, excludes: revs.excludes, h: weights.halfLifeYears, mailmap: mailmap.digest(), lines: o.lines });

  // The tally to start from: the one at this tip, else the newest whose tip is an ancestor of it.
  let base: string | undefined;
  if (db) {
    const tips = await scanTips(db, repoKey, spec);
    if (tips.includes(revs.tip)) base = revs.tip;
    else
      for (const t of tips) {
        if (await isAncestor(repo, t, revs.tip)) {
          base = t;
          break;
        }
      }
  }
  const scan = db && base !== undefined ? await loadScan(db, repoKey, spec, base) : undefined;
  let tally = (scan && Tally.fromJSON(scan.tally)) || null;
  const from = tally && scan && scan.tip !== revs.tip ? scan.tip : null;
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
  // Ctrl-C after the walk stops here too: before the tally is saved or after (one transaction:
  // it is saved whole or not at all), and before the ranking is returned.
  const stopped = () => new Interrupted(`interrupted after ${tally.commits - before} commits; nothing was ranked${db ? ' (per-commit results read so far stay cached)' : ''}`);
  await heard(deps.signal, stopped);
  if (db && (tally.commits !== before || scan?.tip !== revs.tip)) await saveScan(db, repoKey, spec, { tip: revs.tip, commits: tally.commits, tally: tally.toJSON() }, deps.clock());
  await heard(deps.signal, stopped);
  // The repository as a person names it with --repo: its work tree, the git directory only when
  // bare ("/tmp/repo", not "/tmp/repo/.git"); the cache keys on the git directory (repoId).
  const repository = repo.workTree ?? repo.gitDir;
  const ranked = rank(tally, { weights, exclude: o.exclude, includeBots: o.includeBots, lines: o.lines, now: deps.clock(), top: o.top, repository, query });
  await heard(deps.signal, stopped);
  return {
    repository,
    query,
    commits: tally.commits,
    newCommits: tally.commits - before,
    incremental,
    skippedTrailers: tally.skipped,
    skipped: tally.skippedTrailers().map((s) => ({ commit: s.commit, date: new Date(s.time * 1000).toISOString().slice(0, 10), line: s.line, why: s.why })),
    people: ranked.people,
    excluded: ranked.excluded,
    lines: o.lines,
    weights,
    warnings,
    rows: ranked.rows,
  };
}

/** A child git whose output is streamed, with its stderr and exit code collected. */
function streamGit(repo: Repo, args: string[]) {
  const child = spawnGit(repo, args);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const exited = new Promise<{ code: number; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', (e: NodeJS.ErrnoException) => reject(e));
    child.on('close', (code, signal) => resolve({ code: code ?? 1, signal }));
  });
  exited.catch(() => {});
  return {
    child,
    /**
     * The exit code; git missing becomes InvalidInput('git'), a failure InvalidInput('repo'),
     * and a signal this process did not send GitKilled.
     */
    async done(what: string): Promise<void> {
      const { code, signal } = await exited.catch((e: NodeJS.ErrnoException) => {
        throw e.code === 'ENOENT' ? new InvalidInput('git', `${repo.bin} not found`) : e;
      });
      if (signal && !child.killed) throw new GitKilled(what, signal);
      if (code !== 0 && !child.killed) throw new InvalidInput('repo', `${what} failed: ${stderr.trim() || `exit code ${code}`}`);
    },
  };
}

/** "1700000000 <sha>" lines of `git rev-list --timestamp`, in batches. */
async function* readIds(stream: AsyncIterable<Buffer>): AsyncGenerator<{ sha: string; ctime: number }[]> {
  let rest = '';
  for await (const chunk of stream) {
    const text = rest + chunk.toString('latin1');
    const end = text.lastIndexOf('\n');
    if (end < 0) {
      rest = text;
      continue;
    }
    rest = text.slice(end + 1);
    const batch: { sha: string; ctime: number }[] = [];
    for (const line of text.slice(0, end).split('\n')) {
      const sp = line.indexOf(' ');
      if (sp > 0) batch.push({ ctime: Number(line.slice(0, sp)), sha: line.slice(sp + 1).trim() });
    }
    if (batch.length) yield batch;
  }
  const sp = rest.indexOf(' ');
  if (sp > 0) yield [{ ctime: Number(rest.slice(0, sp)), sha: rest.slice(sp + 1).trim() }];
}

/**
 * Reads the commits of `walk` into the tally and caches what it read. Without lines, one
 * `git log` is streamed. With lines, `git rev-list` streams the commit ids; those cached with
 * their lines are taken from the cache, the others are read — metadata and numstat at once —
 * by one `git diff-tree` per core (numstat.ts).
 */
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
  const db = o.cache ? deps.db : undefined;
  const cache = db ? await CommitCache.open(db, repoKey) : null;
  const writer = db ? new ChunkWriter(db, repoKey) : null;
  const jobs = deps.jobs ?? defaultJobs();
  // With lines and none cached, each line counter walks its share of the history (LogSplit);
  // with lines cached, the ids of the commits without are fed to the counters (LineCounter).
  const split = o.lines && !cache?.hasLines;
  const args = walkArgs(filters, walk);
  const start = tally.commits;
  let lastTick = 0;
  let total: number | null = null;
  const tick = () => {
    const now = Date.now();
    if (deps.onProgress && now - lastTick > 100) {
      lastTick = now;
      deps.onProgress({ done: tally.commits - start, total });
    }
  };
  // The commits of the walk, counted by a second git: for the progress bar, and to split it.
  const counted =
    deps.onProgress || (split && jobs > 1)
      ? runGit(repo.bin, ['rev-list', '--count', ...args], { gitDir: repo.gitDir }).then(
          (r) => (r.code === 0 ? (total = Number(r.stdout.toString('utf8').trim())) : null),
          () => null,
        )
      : Promise.resolve(null);

  let n = 0;
  const onLines = (rec: CommitRecord, lines: CommitLines) => {
    tally.addLines(tally.addCommit(rec, mailmap), lines);
    writer?.add({ rec, lines });
    if ((++n & 255) === 0) tick();
  };
  const splitter = split ? new LogSplit(repo, jobs, onLines) : null;
  const git = split ? null : o.lines ? streamGit(repo, ['rev-list', '--timestamp', ...args]) : streamGit(repo, logArgs(filters, walk));
  const counter = o.lines && !split ? new LineCounter(repo, jobs, onLines, deps.block) : null;
  const stop = () => {
    git?.child.kill('SIGTERM');
    counter?.kill();
    splitter?.kill();
  };
  deps.signal?.addEventListener('abort', stop, { once: true });
  const interrupted = () => new Interrupted(`interrupted after ${tally.commits - start} commits; nothing was ranked${writer ? ' (per-commit results read so far stay cached)' : ''}`);

  try {
    if (splitter) {
      // Cache writes are waited for as in the loops below: git's output waits in its pipe.
      writer?.onBacklog(
        () => splitter.pause(),
        () => splitter.resume(),
      );
      await splitter.run(args, counted);
    } else if (counter && git) {
      for await (const batch of readIds(git.child.stdout)) {
        if (deps.signal?.aborted) break;
        if (cache && !cache.empty) await cache.prepare(batch.map((c) => c.ctime), true);
        for (const { sha, ctime } of batch) {
          const hit = cache && !cache.empty ? cache.withLines(sha, ctime) : null;
          if (hit) tally.addLines(tally.addCommit(hit.rec, mailmap), hit.lines!);
          else counter.queue(sha);
        }
        if (!counter.send()) await counter.drain();
        await writer?.backlog();
        tick();
      }
      await git.done('git rev-list');
      await counter.finish();
    } else if (git) {
      for await (const batch of readRecords(git.child.stdout)) {
        if (deps.signal?.aborted) break;
        if (cache && !cache.empty) await cache.prepare(batch.map((r) => r.ctime), false);
        for (const rec of batch) {
          tally.addCommit(rec, mailmap);
          if (writer && !(cache && !cache.empty && cache.known(rec.sha, rec.ctime))) writer.add({ rec, lines: null });
        }
        await writer?.backlog();
        tick();
      }
      await git.done('git log');
    }
  } catch (err) {
    stop();
    // The last commit read may be cut short (its git was killed): none not yet written is kept.
    await writer?.abandon().catch(() => {});
    // Ctrl-C reaches git too, and may end it before this process hears of it.
    if (deps.signal?.aborted || (err instanceof GitKilled && err.signal === 'SIGINT')) throw interrupted();
    throw err;
  } finally {
    deps.signal?.removeEventListener('abort', stop);
  }
  await writer?.close();
  if (deps.signal?.aborted) throw interrupted();
  deps.onProgress?.({ done: tally.commits - start, total: tally.commits - start });
}

/** Line counters by default: one per core. */
export function defaultJobs(): number {
  return os.availableParallelism();
}

/**
 * The miner's cache in the database (tables.ts): per-commit results by repository and commit id,
 * and per-query scans with the tip they reached and their tally. Cache writes are single
 * statements (a chunk of commits, or one scan), each atomic; nothing here is a person's write,
 * so nothing here is audited.
 *
 * Commits are kept in chunks of up to CHUNK commits, one row a chunk: a row per commit cost
 * ~50 µs each on PGlite, more than reading the commit from git. A commit is found by its id and
 * commit time: the chunks whose commit times span that time (the directory, read once, is a few
 * numbers a chunk) are read and kept decoded, a few at a time, and the id is looked up in them.
 * `git log` goes by commit time, so consecutive commits fall in the same chunks.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { parseRecord, type CommitRecord } from './log-parser.js';
import type { CommitLines } from './tally.js';
import './tables.js';

type Db = Kysely<Database>;

const deflate = promisify(zlib.deflateRaw);

/**
 * How a chunk is stored: its records deflated (off the main thread), in base64, marked RAW or
 * RAW_LINES before the base64: the bytes git printed for each commit (log-parser.ts, read again
 * by the same parser), each ended by a NUL, and — with lines — followed by "added 0x1f removed
 * 0x1f paths as JSON", also ended by a NUL: storing what was read costs the miner no work per
 * commit, where packing each commit cost it more than parsing it. (Chunks of an older, packed
 * form, which kept only the number of a commit's skipped trailers, went with migration 036.)
 */
const RAW = '~r';
const RAW_LINES = '~l';

/** A commit as a loaded chunk holds it: the bytes git printed, and its lines. */
type Stored = { raw: Buffer; lines: string | null };

function unpackChunk(data: string): [string, Stored][] {
  const withLines = data.startsWith(RAW_LINES);
  const bytes = zlib.inflateRawSync(Buffer.from(data.slice(2), 'base64'));
  const out: [string, Stored][] = [];
  let start = 0;
  while (start < bytes.length) {
    const end = bytes.indexOf(0, start);
    if (end < 0) break;
    const raw = bytes.subarray(start, end);
    start = end + 1;
    let lines: string | null = null;
    if (withLines) {
      const lend = bytes.indexOf(0, start);
      if (lend < 0) break;
      lines = bytes.toString('utf8', start, lend);
      start = lend + 1;
    }
    const us = raw.indexOf(0x1f);
    out.push([raw.toString('latin1', 0, us < 0 ? raw.length : us).trim(), { raw, lines }]);
  }
  return out;
}

/** A commit of a loaded chunk, decoded (null if it cannot be, which a stored commit always can). */
function decodeStored(s: Stored): CommitRow | null {
  const rec = parseRecord(s.raw);
  if (!rec) return null;
  rec.raw = null;
  if (s.lines === null) return { rec, lines: null };
  const a = s.lines.indexOf('\x1f');
  const b = s.lines.indexOf('\x1f', a + 1);
  return { rec, lines: { added: Number(s.lines.slice(0, a)), removed: Number(s.lines.slice(a + 1, b)), paths: JSON.parse(s.lines.slice(b + 1)) as Record<string, number> } };
}

/**
 * Commits in a chunk: ~250 kB of text as written. Chunks four times as large wrote no faster and
 * left the process bigger, their strings too large for V8 to collect young (docs/benchmarks.md,
 * "Memory at any history size").
 */
export const CHUNK = 1024;
/** Decoded chunks kept at once (besides those one batch needs). */
const KEEP = 6;

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

/** Tallies kept per repository and query, the newest: one per tip recently mined. */
export const SCANS_KEPT = 4;

/** A query's kept tallies, newest first. */
function newestScans(db: Db, repo: number, spec: string) {
  return db.selectFrom('contribution_scans').where('repo_id', '=', repo).where('spec', '=', spec).orderBy('updated_at', 'desc').orderBy('id', 'desc');
}

/** The tips of the tallies kept for a query, newest first. */
export async function scanTips(db: Db, repo: number, spec: string): Promise<string[]> {
  return (await newestScans(db, repo, spec).select('tip').execute()).map((r) => r.tip);
}

export async function loadScan(db: Db, repo: number, spec: string, tip: string): Promise<Scan | undefined> {
  return db.selectFrom('contribution_scans').select(['tip', 'commits', 'tally']).where('repo_id', '=', repo).where('spec', '=', spec).where('tip', '=', tip).executeTakeFirst();
}

/** Keeps a query's tally at a tip, and only the SCANS_KEPT newest of that query's. */
export async function saveScan(db: Db, repo: number, spec: string, scan: Scan, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('contribution_scans')
      .values({ repo_id: repo, spec, tip: scan.tip, commits: scan.commits, tally: scan.tally, updated_at: now })
      .onConflict((oc) => oc.columns(['repo_id', 'spec', 'tip']).doUpdateSet({ commits: scan.commits, tally: scan.tally, updated_at: now }))
      .execute();
    const kept = newestScans(trx, repo, spec).select('id').limit(SCANS_KEPT);
    await trx.deleteFrom('contribution_scans').where('repo_id', '=', repo).where('spec', '=', spec).where('id', 'not in', kept).execute();
  });
}

export interface CommitRow {
  rec: CommitRecord;
  lines: CommitLines | null;
}

interface ChunkEntry {
  id: number;
  tmin: number;
  tmax: number;
  lines: boolean;
}

/** What the cache knows of a commit: nothing, its metadata, or its metadata and lines. */
export type Known = null | 'meta' | 'lines';

/**
 * The cached commits of one repository, for one run: look up a batch with prepare(), then each
 * commit with find(). Only the directory and a few decoded chunks are held.
 */
export class CommitCache {
  private readonly loaded = new Map<number, Map<string, Stored>>();
  private want: ChunkEntry[] = [];

  private constructor(
    private readonly db: Db,
    private readonly dir: ChunkEntry[],
  ) {}

  static async open(db: Db, repo: number): Promise<CommitCache> {
    const rows = await db.selectFrom('contribution_commits').select(['id', 'tmin', 'tmax', 'lines']).where('repo_id', '=', repo).orderBy('id').execute();
    return new CommitCache(
      db,
      rows.map((r) => ({ id: r.id, tmin: Number(r.tmin), tmax: Number(r.tmax), lines: r.lines })),
    );
  }

  /** Whether anything of this repository is cached. */
  get empty(): boolean {
    return this.dir.length === 0;
  }

  /** Whether commits of this repository are cached with their lines. */
  get hasLines(): boolean {
    return this.dir.some((c) => c.lines);
  }

  /** Reads the chunks that may hold the commits of a batch (given by commit time). */
  async prepare(times: number[], withLines: boolean): Promise<void> {
    if (!this.dir.length || !times.length) {
      this.want = [];
      return;
    }
    let lo = Infinity;
    let hi = -Infinity;
    for (const t of times) {
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
    const near = this.dir.filter((c) => c.tmax >= lo && c.tmin <= hi && (!withLines || c.lines));
    // Only chunks spanning one of the batch's times.
    this.want = near.length <= 1 ? near : near.filter((c) => times.some((t) => t >= c.tmin && t <= c.tmax));
    const missing = this.want.filter((c) => !this.loaded.has(c.id)).map((c) => c.id);
    if (missing.length) {
      const rows = await this.db.selectFrom('contribution_commits').select(['id', 'data']).where('id', 'in', missing).execute();
      for (const r of rows) {
        this.loaded.set(r.id, new Map(unpackChunk(r.data)));
      }
    }
    // Forget the least recently wanted chunks beyond KEEP (a Map keeps insertion order).
    for (const c of this.want) {
      const m = this.loaded.get(c.id);
      if (m) {
        this.loaded.delete(c.id);
        this.loaded.set(c.id, m);
      }
    }
    const limit = Math.max(KEEP, this.want.length);
    for (const id of this.loaded.keys()) {
      if (this.loaded.size <= limit) break;
      this.loaded.delete(id);
    }
  }

  /** What is cached of a commit of the prepared batch; with lines when there are. */
  known(sha: string, ctime: number): Known {
    let found: Known = null;
    for (const c of this.want) {
      if (ctime < c.tmin || ctime > c.tmax || !this.loaded.get(c.id)?.has(sha)) continue;
      if (c.lines) return 'lines';
      found = 'meta';
    }
    return found;
  }

  /** A commit of the prepared batch cached with its lines, decoded. */
  withLines(sha: string, ctime: number): CommitRow | null {
    for (const c of this.want) {
      if (!c.lines || ctime < c.tmin || ctime > c.tmax) continue;
      const stored = this.loaded.get(c.id)?.get(sha);
      if (stored !== undefined) return decodeStored(stored);
    }
    return null;
  }
}

/**
 * Collects per-commit results and writes them a chunk at a time, one statement a chunk, while
 * the caller goes on reading git. Writes run one after another; the caller waits on backlog()
 * so that no more than one chunk waits to be written.
 */
export class ChunkWriter {
  /** The chunk being collected, in the second form (RAW): bytes[0, len), n commits. */
  private bytes = Buffer.allocUnsafe(1 << 20);
  private len = 0;
  private n = 0;
  private tmin = Infinity;
  private tmax = -Infinity;
  private lines = false;
  private writing: Promise<void> = Promise.resolve();
  private pending = 0;
  private failure: unknown = null;
  private full: { pause: () => void; resume: () => void; paused: boolean } | null = null;

  constructor(
    private readonly db: Db,
    private readonly repo: number,
  ) {}

  /**
   * For a caller that cannot wait on backlog(): pause() is called when a chunk waits to be
   * written behind another, resume() when it no longer does.
   */
  onBacklog(pause: () => void, resume: () => void): void {
    this.full = { pause, resume, paused: false };
  }

  /** Adds a commit as git printed it (rec.raw); a full chunk starts being written. */
  add(row: CommitRow): void {
    const raw = row.rec.raw;
    if (!raw) throw new Error(`commit ${row.rec.sha}: only a commit read from git is cached`);
    // A chunk holds commits with lines, or without: a lookup for lines reads only the first kind.
    if (this.n && this.lines !== !!row.lines) this.flush();
    this.lines = !!row.lines;
    const lines = row.lines ? `${row.lines.added}\x1f${row.lines.removed}\x1f${JSON.stringify(row.lines.paths)}` : null;
    this.room(raw.length + 1 + (lines === null ? 0 : 3 * lines.length + 1));
    this.len += raw.copy(this.bytes, this.len);
    this.bytes[this.len++] = 0;
    if (lines !== null) {
      this.len += this.bytes.write(lines, this.len, 'utf8');
      this.bytes[this.len++] = 0;
    }
    this.n++;
    if (row.rec.ctime < this.tmin) this.tmin = row.rec.ctime;
    if (row.rec.ctime > this.tmax) this.tmax = row.rec.ctime;
    if (this.n >= CHUNK) this.flush();
  }

  private room(more: number): void {
    if (this.len + more <= this.bytes.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(2 * this.bytes.length, this.len + more));
    this.bytes.copy(bigger, 0, 0, this.len);
    this.bytes = bigger;
  }

  /** Queues what was collected for writing, after the writes before it. */
  flush(): void {
    if (!this.n) return;
    const values = { repo_id: this.repo, tmin: this.tmin, tmax: this.tmax, n: this.n, lines: this.lines };
    // The chunk's bytes go to the compressor as they are; the next chunk gets a buffer of its own.
    const form = this.lines ? RAW_LINES : RAW;
    const data = deflate(this.bytes.subarray(0, this.len), { level: 1 }).then((d) => form + d.toString('base64'));
    data.catch(() => {});
    this.bytes = Buffer.allocUnsafe(this.bytes.length);
    this.len = 0;
    this.n = 0;
    this.tmin = Infinity;
    this.tmax = -Infinity;
    this.pending++;
    if (this.full && this.pending > 1 && !this.full.paused) {
      this.full.paused = true;
      this.full.pause();
    }
    this.writing = this.writing.then(async () => {
      try {
        if (!this.failure) await this.db.insertInto('contribution_commits').values({ ...values, data: await data }).execute();
      } catch (err) {
        this.failure ??= err;
      } finally {
        this.pending--;
        if (this.full?.paused && this.pending <= 1) {
          this.full.paused = false;
          this.full.resume();
        }
      }
    });
  }

  /** Resolves when at most one chunk is being written (none waiting). */
  async backlog(): Promise<void> {
    while (this.pending > 1) await this.writing;
  }

  /**
   * Drops the commits not yet written (the last one read may be cut short, when the git that
   * printed it failed) and waits for the writes under way.
   */
  async abandon(): Promise<void> {
    this.len = 0;
    this.n = 0;
    this.tmin = Infinity;
    this.tmax = -Infinity;
    await this.writing;
  }

  /** Writes the rest and waits for every write; a failed write is thrown here. */
  async close(): Promise<void> {
    this.flush();
    await this.writing;
    if (this.failure) throw this.failure;
  }
}

/** The records of a stored chunk, decoded (for tests). */
export function chunkRecords(data: string): CommitRow[] {
  return unpackChunk(data).map(([, s]) => decodeStored(s)!);
}

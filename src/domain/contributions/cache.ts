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
import type { Ident } from './ident.js';
import type { CommitRecord } from './log-parser.js';
import type { Role } from './roles.js';
import type { CommitLines } from './tally.js';
import './tables.js';

type Db = Kysely<Database>;

const deflate = promisify(zlib.deflateRaw);

/** A chunk's records as stored: deflated (off the main thread), in base64. */
async function packChunk(records: string[]): Promise<string> {
  return (await deflate(Buffer.from(records.join('\x1e'), 'utf8'), { level: 1 })).toString('base64');
}

function unpackChunk(data: string): string[] {
  return zlib.inflateRawSync(Buffer.from(data, 'base64')).toString('utf8').split('\x1e');
}

/** Commits in a chunk. */
export const CHUNK = 4096;
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

export interface CommitRow {
  rec: CommitRecord;
  lines: CommitLines | null;
}

// Control characters never reach a name (ident.ts) or JSON text, and an address is cleaned of
// them, so 0x1e and 0x1f can separate records and fields.
const CONTROL = /[\u0000-\u001f]/;
const clean = (s: string) => (CONTROL.test(s) ? s.replace(/[\u0000-\u001f]/g, ' ') : s);

/** One commit as a chunk stores it: fields separated by 0x1f. */
export function packRecord({ rec, lines }: CommitRow): string {
  return [
    rec.sha,
    rec.ctime,
    rec.time,
    clean(rec.name),
    clean(rec.email),
    JSON.stringify(rec.credits.map(([k, i]) => [k, i.name, i.email])),
    rec.skipped,
    lines?.added ?? '',
    lines?.removed ?? '',
    lines ? JSON.stringify(lines.paths) : '',
  ].join('\x1f');
}

export function unpackRecord(text: string): CommitRow {
  const f = text.split('\x1f');
  const credits = (JSON.parse(f[5]!) as [Role, string, string][]).map(([k, name, email]): [Role, Ident] => [k, { name, email }]);
  const rec: CommitRecord = { sha: f[0]!, ctime: Number(f[1]), time: Number(f[2]), name: f[3]!, email: f[4]!, credits, skipped: Number(f[6]) };
  const lines = f[7] === '' ? null : { added: Number(f[7]), removed: Number(f[8]), paths: JSON.parse(f[9]!) as Record<string, number> };
  return { rec, lines };
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
  private readonly loaded = new Map<number, Map<string, string>>();
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
        const m = new Map<string, string>();
        for (const rec of unpackChunk(r.data)) m.set(rec.slice(0, rec.indexOf('\x1f')), rec);
        this.loaded.set(r.id, m);
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
      const text = this.loaded.get(c.id)?.get(sha);
      if (text) return unpackRecord(text);
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
  private parts: string[] = [];
  private shas: string[] = [];
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

  /** Adds a commit; a full chunk starts being written. */
  add(row: CommitRow): void {
    // A chunk holds commits with lines, or without: a lookup for lines reads only the first kind.
    if (this.parts.length && this.lines !== !!row.lines) this.flush();
    this.lines = !!row.lines;
    this.parts.push(packRecord(row));
    this.shas.push(row.rec.sha);
    if (row.rec.ctime < this.tmin) this.tmin = row.rec.ctime;
    if (row.rec.ctime > this.tmax) this.tmax = row.rec.ctime;
    if (this.parts.length >= CHUNK) this.flush();
  }

  /** Queues what was collected for writing, after the writes before it. */
  flush(): void {
    if (!this.parts.length) return;
    const parts = this.parts;
    const values = { repo_id: this.repo, tmin: this.tmin, tmax: this.tmax, n: parts.length, lines: this.lines, shas: this.shas.join(' ') };
    const data = packChunk(parts);
    data.catch(() => {});
    this.parts = [];
    this.shas = [];
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

  /** Writes the rest and waits for every write; a failed write is thrown here. */
  async close(): Promise<void> {
    this.flush();
    await this.writing;
    if (this.failure) throw this.failure;
  }
}

/** The records of a stored chunk, decoded (for tests). */
export function chunkRecords(data: string): CommitRow[] {
  return unpackChunk(data).map(unpackRecord);
}

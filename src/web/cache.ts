/**
 * The page cache: public pages kept as rendered bytes, keyed by path, each with a strong ETag (the
 * SHA-256 of its bytes) and compressed variants made once, on first demand.
 *
 * Freshness is checked against the database, not guessed: the triggers of migration 011 log every
 * change to what public pages show, in the writing transaction. Before a cached page is served,
 * the cache looks at that log (one small query) for what was committed since its previous look
 * and drops the pages it touches: an edition's own pages for a change in that edition, and the
 * pages spanning editions (the archive, people, feed) for any change; a site-wide change (an
 * edition's title, a person's name) drops everything. Looks are shared: requests arriving while a
 * look is under way wait for the next one, which starts after they arrived, so a page served is
 * never older than a write committed before its request came in — whichever process wrote it.
 *
 * Looking before every hit is exact but costs a database round trip per batch of requests. With
 * PostgreSQL the server listens instead (setListening; LISTEN conclave_cache, which the triggers
 * NOTIFY at commit): hits are served without a look until a notification arrives, which makes
 * the next hit wait for a look. The only gap is the notification's way from the database to this
 * process (well under a millisecond on one machine), shorter than any client's round trip from
 * one server to another, and closed for web writes by the app's afterWrite (the writer marks its
 * own cache and its sibling workers' before answering; ops/cluster.ts); CONCLAVE_CACHE=strict
 * closes it for every writer at the price of the round trip.
 *
 * The log is read by snapshot rather than by id, because ids are handed out in the order
 * transactions write, not the order they commit: each look remembers its snapshot and asks for the
 * rows that snapshot could not see.
 *
 * Pages also change with the date, with no write at all: the archive's next edition, a person's
 * upcoming one (the routes take today's date, in UTC). Everything kept goes when the day turns.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

export type Encoding = 'br' | 'gzip' | 'identity';

export interface CacheEntry {
  readonly key: string;
  /** "series/year" for an edition's own pages, null for pages spanning editions. */
  readonly edition: string | null;
  readonly type: string;
  readonly cacheControl: string;
  readonly body: Buffer;
  /** Strong ETag of the identity bytes; a compressed variant adds "-gz" or "-br" inside the quotes. */
  readonly etag: string;
  /** The other headers of the first answer (security headers and the like), for hits. */
  readonly headers?: Readonly<Record<string, string>>;
  gzip?: Promise<Buffer>;
  br?: Promise<Buffer>;
  /** Hits' answers made ready per encoding (cached-pages.ts): headers and bytes. */
  wire?: Partial<Record<Encoding, WireAnswer>>;
}

/** A hit's answer, ready to write: flat header list (name, value, …) and the bytes. */
export interface WireAnswer {
  readonly headers: readonly (string | number)[];
  /** Where the request id goes in `headers` (a copy of them, per answer). */
  readonly idAt: number;
  readonly body: Buffer;
}

export interface CacheStats {
  entries: number;
  bytes: number;
  hits: number;
  misses: number;
  looks: number;
  dropped: number;
}

/** The ETag a body gets: strong, from its bytes. */
export function etagOf(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

/** Whether If-None-Match names this entry in any of its encodings (or is "*"). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const base = etag.slice(1, -1);
  for (const raw of ifNoneMatch.split(',')) {
    const tag = raw.trim().replace(/^W\//, '');
    if (tag === '*') return true;
    const inner = tag.slice(1, -1).replace(/-(gz|br)$/, '');
    if (inner === base) return true;
  }
  return false;
}

/** The best encoding the client accepts among br, gzip and identity (q-values honoured). */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding {
  if (!acceptEncoding) return 'identity';
  const q = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (!name) continue;
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    q.set(name.trim(), qp ? Number(qp.slice(2)) || 0 : 1);
  }
  const weight = (e: string) => q.get(e) ?? q.get('*') ?? 0;
  if (weight('br') > 0 && weight('br') >= weight('gzip')) return 'br';
  if (weight('gzip') > 0) return 'gzip';
  return 'identity';
}

export class PageCache {
  private readonly entries = new Map<string, CacheEntry>();
  private bytes = 0;
  /** Snapshot of the previous look at the log (pg_snapshot text), null before the first. */
  private snapshot: string | null = null;
  private lastLook = 0;
  private lastPrune = 0;
  private inflight: Promise<void> | null = null;
  private next: Promise<void> | null = null;
  /** Bumped whenever something is dropped: a page rendered across a bump is not stored. */
  private epochValue = 0;
  /** Notify mode: a listener tells of every commit that wrote what pages show (markDirty). */
  private listening = false;
  private dirty = true;
  private dirtySeq = 0;
  /** When the day the kept pages were rendered on ends (epoch ms, UTC midnight). */
  private dayEnds = 0;
  readonly stats: CacheStats = { entries: 0, bytes: 0, hits: 0, misses: 0, looks: 0, dropped: 0 };

  constructor(
    private readonly db: Kysely<Database>,
    private readonly opts: { maxBytes?: number; onError?: (err: unknown) => void; clock?: () => Date } = {},
  ) {}

  /** Drops everything once the day the pages were rendered on is over (they show the date's view). */
  private dayTurned(): void {
    const now = this.opts.clock?.().getTime() ?? Date.now();
    if (now < this.dayEnds) return;
    if (this.entries.size > 0) this.clear();
    else this.epochValue++;
    this.dayEnds = (Math.floor(now / 86400_000) + 1) * 86400_000;
  }

  get epoch(): number {
    return this.epochValue;
  }

  /**
   * Resolves once the cache holds nothing changed by a write committed before this call. Shares
   * a look under way only if it started after this call; else waits for the next one.
   */
  fresh(): Promise<void> {
    this.dayTurned();
    // Told of writes (LISTEN/NOTIFY) and none since the last look: nothing to look for.
    if (this.freshNow()) return Promise.resolve();
    if (!this.inflight) return this.startLook();
    this.next ??= this.inflight.then(() => {
      this.next = null;
      return this.startLook();
    });
    return this.next;
  }

  /** Whether a hit may be answered now, without waiting for a look (notify mode, no write since). */
  freshNow(): boolean {
    this.dayTurned();
    return this.listening && !this.dirty && this.snapshot !== null;
  }

  private startLook(): Promise<void> {
    const p = this.look();
    const settled: Promise<void> = p.then(
      () => {
        if (this.inflight === settled) this.inflight = null;
      },
      () => {
        if (this.inflight === settled) this.inflight = null;
      },
    );
    this.inflight = settled;
    return p;
  }

  /**
   * Switches to being told of writes: from now on a look happens only after a notification
   * (markDirty) instead of before every hit. Off again (every hit looks) when the listener is lost.
   */
  setListening(on: boolean): void {
    this.listening = on;
    this.markDirty();
  }

  /** Resolves once no look at the log is under way: before the database it reads is closed. */
  async idle(): Promise<void> {
    while (this.inflight || this.next) await (this.next ?? this.inflight)!.catch(() => {});
  }

  /** A write was committed somewhere: the next hit waits for a look, which starts now. */
  markDirty(): void {
    this.dirty = true;
    this.dirtySeq++;
    void this.fresh().catch((err) => this.opts.onError?.(err));
  }

  private async look(): Promise<void> {
    this.stats.looks++;
    const seq = this.dirtySeq;
    await this.lookOnce();
    // Only a look that started after the last notification settles it.
    if (seq === this.dirtySeq) this.dirty = false;
  }

  private async lookOnce(): Promise<void> {
    const now = Date.now();
    // A reader idle for longer than the log keeps rows could have missed pruned ones.
    if (this.snapshot !== null && now - this.lastLook > 12 * 3600_000) {
      this.clear();
      this.snapshot = null;
    }
    if (this.snapshot === null) {
      const r = await sql<{ snap: string }>`select pg_current_snapshot()::text as snap`.execute(this.db);
      this.snapshot = r.rows[0]!.snap;
      this.lastLook = now;
      return;
    }
    const prev = this.snapshot;
    try {
      const r = await sql<{ snap: string; scopes: string[] | null }>`
        select pg_current_snapshot()::text as snap,
          (select array_agg(distinct coalesce(
                   (select s.slug || '/' || e.year from editions e join series s on s.id = e.series_id
                     where i.scope like 'edition:%' and e.id = substr(i.scope, 9)::int),
                   '*'))
             from cache_invalidations i
            where i.tx >= pg_snapshot_xmin(${prev}::pg_snapshot)
              and not pg_visible_in_snapshot(i.tx, ${prev}::pg_snapshot)) as scopes`.execute(this.db);
      const row = r.rows[0]!;
      this.snapshot = row.snap;
      this.lastLook = now;
      if (row.scopes?.length) this.drop(row.scopes);
    } catch (err) {
      // Without a look nothing cached can be trusted: serve uncached until the next one works.
      this.clear();
      this.snapshot = null;
      throw err;
    }
    if (now - this.lastPrune > 3600_000) {
      this.lastPrune = now;
      sql`delete from cache_invalidations where at < now() - interval '1 day'`.execute(this.db).catch((err) => this.opts.onError?.(err));
    }
  }

  /** Drops the pages of the given editions ("series/year") and every page spanning editions; "*": all. */
  private drop(scopes: string[]): void {
    this.epochValue++;
    if (scopes.includes('*')) {
      this.clear();
      return;
    }
    const editions = new Set(scopes);
    for (const e of this.entries.values()) {
      if (e.edition === null || editions.has(e.edition)) this.remove(e.key);
    }
  }

  clear(): void {
    this.epochValue++;
    this.stats.dropped += this.entries.size;
    this.entries.clear();
    this.bytes = 0;
    this.sync();
  }

  private remove(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.bytes -= e.body.length;
    this.stats.dropped++;
    this.sync();
  }

  private sync(): void {
    this.stats.entries = this.entries.size;
    this.stats.bytes = this.bytes;
  }

  /** Whether a page is kept (not counted as a hit or a miss). */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  get(key: string): CacheEntry | undefined {
    const e = this.entries.get(key);
    if (e) {
      // Least recently used goes first: a hit moves the entry to the end.
      this.entries.delete(key);
      this.entries.set(key, e);
      this.stats.hits++;
    } else this.stats.misses++;
    return e;
  }

  /** Stores a page rendered since `epoch` was read, unless something was dropped meanwhile. */
  set(epoch: number, entry: Omit<CacheEntry, 'etag'> & { etag?: string }): CacheEntry | null {
    const full: CacheEntry = { ...entry, etag: entry.etag ?? etagOf(entry.body) };
    if (epoch !== this.epochValue || this.snapshot === null) return null;
    const max = this.opts.maxBytes ?? 64 * 1048576;
    if (full.body.length > max / 8) return null;
    this.remove(full.key);
    this.entries.set(full.key, full);
    this.bytes += full.body.length;
    for (const k of this.entries.keys()) {
      if (this.bytes <= max) break;
      this.remove(k);
    }
    this.sync();
    return full;
  }

  /** The entry's bytes in `encoding`, compressed once and kept. */
  variant(e: CacheEntry, encoding: Encoding): Promise<Buffer> {
    if (encoding === 'gzip') return (e.gzip ??= gzip(e.body, { level: 9 }));
    if (encoding === 'br')
      return (e.br ??= brotli(e.body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: e.body.length } }));
    return Promise.resolve(e.body);
  }
}

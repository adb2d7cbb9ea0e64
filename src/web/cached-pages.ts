/**
 * The hooks that put the page cache (cache.ts) in front of the public routes: a miss is rendered
 * by its route and kept in onSend; a hit is answered before Fastify sees the request, by the HTTP
 * server itself (cachedServerFactory: headers and bytes as the first answer had them), or, for
 * requests that do not come through a socket (app.inject), from onRequest.
 * Both answer the same way: a strong ETag (304 to a matching If-None-Match), the best encoding
 * the client accepts (compressed once per page), Vary: Accept-Encoding and a Cache-Control that
 * suits the page. Only GETs of the routes listed here, answered 200 without a cookie, are kept —
 * nothing that depends on who asks.
 */
import http from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { chooseEncoding, etagOf, matchesEtag, type CacheEntry, type Encoding, type PageCache } from './cache.js';

/**
 * Headers that belong to one answer, not to the page: never replayed from the cache. Content-Type
 * and Cache-Control are kept apart (CacheEntry.type, .cacheControl) and written once by the hit.
 */
const PER_ANSWER = new Set(['content-type', 'cache-control', 'content-length', 'content-encoding', 'etag', 'x-request-id', 'x-cache', 'date', 'connection', 'keep-alive', 'set-cookie', 'vary', 'transfer-encoding']);

/** Pages: always revalidated (a 304 costs nothing), so an edit shows on the next load. */
const PAGE = 'public, no-cache';
/** Feeds and calendar files are polled by programs: five minutes of staleness is fine. */
const POLLED = 'public, max-age=300';

/** Cached routes (Fastify route patterns) and their Cache-Control. */
export const CACHED_ROUTES: ReadonlyMap<string, string> = new Map([
  ['/', PAGE],
  ['/editions.json', PAGE],
  ['/:series/:year/', PAGE],
  ['/:series/:year/edition.json', PAGE],
  ['/:series/:year/schedule.ics', POLLED],
  ['/:series/:year/schedule.xml', POLLED],
  ['/:series/:year/schedule.json', POLLED],
  ['/feed.atom', POLLED],
  ['/people/', PAGE],
  ['/people/:slug/', PAGE],
  ['/people/:slug/person.json', PAGE],
]);

declare module 'fastify' {
  interface FastifyRequest {
    /** The cache epoch when this request's page began to render (undefined: not cacheable). */
    cacheEpoch?: number;
  }
}

function cacheControlOf(req: FastifyRequest): string | undefined {
  // HEAD is GET without the body: the same headers (a cache or a link checker compares them).
  return req.method === 'GET' || req.method === 'HEAD' ? CACHED_ROUTES.get(req.routeOptions.url ?? '') : undefined;
}

/** The path without its query: cached routes ignore the query, and so does the key. */
function keyOf(req: FastifyRequest): string {
  const q = req.url.indexOf('?');
  return q < 0 ? req.url : req.url.slice(0, q);
}

function editionOf(req: FastifyRequest): string | null {
  const p = req.params as { series?: string; year?: string } | undefined;
  return p?.series && p.year ? `${p.series}/${Number(p.year)}` : null;
}

/** Sets the headers of `e` for this request; returns the body to send, or null for a 304. */
async function answer(cache: PageCache, req: FastifyRequest, reply: FastifyReply, e: Pick<CacheEntry, 'etag' | 'type' | 'cacheControl'> & Partial<CacheEntry>, body: Buffer): Promise<Buffer | null> {
  const encoding = chooseEncoding(req.headers['accept-encoding']);
  const suffix = encoding === 'gzip' ? '-gz' : encoding === 'br' ? '-br' : '';
  reply.header('content-type', e.type);
  reply.header('cache-control', e.cacheControl);
  reply.header('vary', 'Accept-Encoding');
  reply.header('etag', suffix ? `${e.etag.slice(0, -1)}${suffix}"` : e.etag);
  if (matchesEtag(req.headers['if-none-match'], e.etag)) {
    reply.code(304);
    return null;
  }
  if (encoding === 'identity') return body;
  const full: CacheEntry = e.key ? (e as CacheEntry) : { key: '', edition: null, type: e.type, cacheControl: e.cacheControl, body, etag: e.etag };
  const encoded = await cache.variant(full, encoding);
  reply.header('content-encoding', encoding);
  return encoded;
}

export function installPageCache(app: FastifyInstance, cache: PageCache): void {
  app.addHook('onRequest', async (req, reply) => {
    if (!cacheControlOf(req)) return;
    try {
      await cache.fresh();
    } catch (err) {
      req.log.warn({ err }, 'page cache: could not read the invalidation log; answering uncached');
      return;
    }
    req.cacheEpoch = cache.epoch;
    const e = cache.get(keyOf(req));
    if (!e) return;
    reply.header('x-cache', 'hit');
    const body = await answer(cache, req, reply, e, e.body);
    return reply.send(body ?? '');
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const cacheControl = cacheControlOf(req);
    if (!cacheControl || reply.getHeader('x-cache') === 'hit') return payload;
    if (reply.statusCode !== 200 || reply.getHeader('set-cookie') !== undefined) return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
    const type = String(reply.getHeader('content-type') ?? 'application/octet-stream');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(reply.getHeaders())) if (v !== undefined && !PER_ANSWER.has(k.toLowerCase())) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
    const base = { key: keyOf(req), edition: editionOf(req), type, cacheControl, body, headers };
    const stored = req.cacheEpoch === undefined || req.method !== 'GET' ? null : cache.set(req.cacheEpoch, base);
    reply.header('x-cache', 'miss');
    const out = await answer(cache, req, reply, stored ?? { ...base, etag: etagOf(body) }, body);
    return out ?? '';
  });
}

/**
 * The HTTP server for Fastify (its serverFactory), answering cache hits itself: a GET of a kept
 * path waits for the cache's look at the database (cache.fresh) like any hit, then is answered
 * from memory; everything else, and everything once the server is closing (so that keep-alive
 * connections get Fastify's 503 and close), goes to Fastify. Hits are not logged (nginx's access
 * log has them); `onHit` may count them.
 */
export function cachedServerFactory(cache: PageCache, state: { closing: boolean }, requestId: (req: http.IncomingMessage) => string) {
  return (handler: http.RequestListener): http.Server =>
    http.createServer((req, res) => {
      if (state.closing || req.method !== 'GET') return handler(req, res);
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const key = q < 0 ? url : url.slice(0, q);
      if (!cache.has(key)) return handler(req, res);
      // Told of every write and none since the last look: answered at once, without a promise.
      if (cache.freshNow()) return hit(cache, req, res, key, state, handler, requestId);
      cache.fresh().then(
        () => hit(cache, req, res, key, state, handler, requestId),
        () => handler(req, res),
      );
    });
}

function hit(
  cache: PageCache,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  key: string,
  state: { closing: boolean },
  handler: http.RequestListener,
  requestId: (req: http.IncomingMessage) => string,
): void {
  const e = cache.get(key);
  if (!e?.headers || state.closing) return handler(req, res);
  const encoding = chooseEncoding(req.headers['accept-encoding']);
  const ready = e.wire?.[encoding];
  if (ready && !req.headers['if-none-match']) {
    // The common case: headers and bytes made ready by an earlier hit; only the id is new.
    const headers = ready.headers.slice();
    headers[ready.idAt] = requestId(req);
    res.writeHead(200, headers as string[]);
    res.end(ready.body);
    return;
  }
  void writeHit(cache, req, res, e, encoding, requestId(req));
}

/** The headers of a hit in `encoding`, as a flat list, the request id's value left empty. */
function wireHeaders(e: CacheEntry, encoding: Encoding, length: number | null): { headers: (string | number)[]; idAt: number } {
  const suffix = encoding === 'gzip' ? '-gz' : encoding === 'br' ? '-br' : '';
  const headers: (string | number)[] = [];
  for (const [k, v] of Object.entries(e.headers ?? {})) headers.push(k, v);
  headers.push('content-type', e.type, 'cache-control', e.cacheControl, 'vary', 'Accept-Encoding');
  headers.push('etag', suffix ? `${e.etag.slice(0, -1)}${suffix}"` : e.etag, 'x-cache', 'hit');
  if (encoding !== 'identity') headers.push('content-encoding', encoding);
  if (length !== null) headers.push('content-length', length);
  headers.push('x-request-id', '');
  return { headers, idAt: headers.length - 1 };
}

async function writeHit(cache: PageCache, req: http.IncomingMessage, res: http.ServerResponse, e: CacheEntry, wanted: Encoding, id: string) {
  if (matchesEtag(req.headers['if-none-match'], e.etag)) {
    const { headers, idAt } = wireHeaders(e, wanted, null);
    headers[idAt] = id;
    res.writeHead(304, headers as string[]);
    res.end();
    return;
  }
  let encoding = wanted;
  let body = e.body;
  if (encoding !== 'identity') {
    try {
      body = await cache.variant(e, encoding);
    } catch {
      encoding = 'identity';
    }
  }
  const { headers, idAt } = wireHeaders(e, encoding, body.length);
  // Kept for the next hits in this encoding (the entry is dropped with its page).
  if (encoding === wanted) (e.wire ??= {})[encoding] = { headers: headers.slice(), idAt, body };
  headers[idAt] = id;
  res.writeHead(200, headers as string[]);
  res.end(body);
}

/**
 * The page cache in one process (web/cache.ts, cached-pages.ts), on both databases: strong ETags
 * and 304s, compressed variants of the same bytes, and invalidation that is exact — a change in
 * one edition drops that edition's pages and the pages spanning editions, not the other editions'
 * — whatever writes it (a domain function, plain SQL). Also /healthz and /readyz, and that every
 * table has the cache's trigger or is known to be private.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { bundledPages } from '../../src/domain/archive/bundled.js';
import { importPages } from '../../src/domain/archive/import-pages.js';
import { updateEdition } from '../../src/domain/editions/edit-edition.js';
import { buildApp } from '../../src/web/app.js';
import { chooseEncoding, matchesEtag, PageCache } from '../../src/web/cache.js';
import { COMMITTEE, makeDeps, makeEdition } from '../invitations/fixtures.js';
import { freshPglite, testDatabases } from '../support/db.js';

/** Tables no public page reads: no trigger, so writing them keeps the cache. */
const PRIVATE_TABLES = [
  'audit_log',
  'cache_invalidations',
  'committee_accounts',
  'contribution_commits',
  'contribution_repos',
  'contribution_scans',
  'form_sends',
  'inbound_messages',
  'invitation_tokens',
  'kysely_migration',
  'kysely_migration_lock',
  'mail_templates',
  'outbox',
  'schedule_change_notices',
  'server_settings',
  'sessions',
  'signin_tokens',
];

/**
 * Search's stored documents (migration 031): search reads them, but they only ever change with
 * the tables they are made of, in the same statement or transaction (032), whose own triggers
 * empty the cache; and the ids a transaction has yet to refresh them for, empty outside it.
 */
const DERIVED_TABLES = ['search_editions', 'search_slots', 'search_topics', 'search_pending'];

describe('cache helpers', () => {
  it('matches If-None-Match in any encoding, weak or strong, and "*"', () => {
    expect(matchesEtag('"abc"', '"abc"')).toBe(true);
    expect(matchesEtag('"x", W/"abc-gz"', '"abc"')).toBe(true);
    expect(matchesEtag('"abc-br"', '"abc"')).toBe(true);
    expect(matchesEtag('*', '"abc"')).toBe(true);
    expect(matchesEtag('"abd"', '"abc"')).toBe(false);
    expect(matchesEtag(undefined, '"abc"')).toBe(false);
  });
  it('chooses br, then gzip, honouring q=0', () => {
    expect(chooseEncoding('gzip, deflate, br')).toBe('br');
    expect(chooseEncoding('gzip, br;q=0')).toBe('gzip');
    expect(chooseEncoding('br;q=0.5, gzip')).toBe('gzip');
    expect(chooseEncoding('identity')).toBe('identity');
    expect(chooseEncoding(undefined)).toBe('identity');
  });
});

describe.each(testDatabases())('page cache on $name', ({ open }) => {
  let handle: Db;
  let app: FastifyInstance;
  let cache: PageCache;
  let draining = false;
  beforeAll(async () => {
    handle = await open();
    await importPages({ db: handle.db }, bundledPages());
    cache = new PageCache(handle.db);
    app = await buildApp({
      db: handle.db,
      clock: () => new Date('2026-11-22T12:00:00Z'),
      cache,
      readiness: { expectedMigrations: (await sql<{ name: string }>`select name from kysely_migration`.execute(handle.db)).rows.map((r) => r.name), draining: () => draining },
    });
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  it('answers a page with a strong ETag, then 304 to If-None-Match, then from the cache', async () => {
    const first = await app.inject('/netconf/2015/');
    expect(first.statusCode).toBe(200);
    expect(first.headers['x-cache']).toBe('miss');
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(first.headers['cache-control']).toBe('public, no-cache');
    const again = await app.inject('/netconf/2015/');
    expect(again.headers['x-cache']).toBe('hit');
    expect(again.body).toBe(first.body);
    expect(again.headers.etag).toBe(etag);
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
    const notModified = await app.inject({ url: '/netconf/2015/', headers: { 'if-none-match': etag } });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.body).toBe('');
    expect((await app.inject({ url: '/netconf/2015/', headers: { 'if-none-match': '"other"' } })).statusCode).toBe(200);
    // JSON, the feed and calendar files the same way.
    for (const url of ['/editions.json', '/netconf/2015/edition.json', '/netconf/2015/schedule.ics', '/feed.atom', '/people/']) {
      const a = await app.inject(url);
      expect(a.statusCode, url).toBe(200);
      const b = await app.inject({ url, headers: { 'if-none-match': String(a.headers.etag) } });
      expect(b.statusCode, url).toBe(304);
    }
  });

  it('answers HEAD with the headers GET sends, without keeping a page for it', async () => {
    const url = '/netconf/2014/schedule.ics';
    const head = await app.inject({ method: 'HEAD', url });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    const get = await app.inject(url);
    // HEAD kept nothing: the GET after it is the first to render the page.
    expect(get.headers['x-cache']).toBe('miss');
    for (const h of ['content-type', 'cache-control', 'etag', 'vary']) expect(head.headers[h], h).toBe(get.headers[h]);
    expect(head.headers['cache-control']).toBe('public, max-age=300');
    const hit = await app.inject({ method: 'HEAD', url });
    expect(hit.headers['x-cache']).toBe('hit');
    expect(hit.body).toBe('');
    for (const h of ['content-type', 'cache-control', 'etag', 'vary']) expect(hit.headers[h], h).toBe(get.headers[h]);
    expect((await app.inject({ method: 'HEAD', url, headers: { 'if-none-match': String(get.headers.etag) } })).statusCode).toBe(304);
  });

  it('sends gzip and brotli variants of the same bytes, each with its own ETag', async () => {
    const plain = await app.inject('/netconf/2014/');
    for (const [enc, unzip] of [
      ['gzip', zlib.gunzipSync],
      ['br', zlib.brotliDecompressSync],
    ] as const) {
      for (let i = 0; i < 2; i++) {
        const res = await app.inject({ url: '/netconf/2014/', headers: { 'accept-encoding': enc } });
        expect(res.headers['content-encoding']).toBe(enc);
        expect(res.headers.vary).toMatch(/accept-encoding/i);
        expect(res.headers.etag).toBe(`${String(plain.headers.etag).slice(0, -1)}-${enc === 'gzip' ? 'gz' : 'br'}"`);
        expect(unzip(res.rawPayload).toString('utf8')).toBe(plain.body);
      }
    }
  });

  it('drops an edition’s pages and the pages spanning editions when a row of that edition changes, keeping the others', async () => {
    await app.inject('/netconf/2015/');
    await app.inject('/netconf/2014/');
    await app.inject('/');
    expect((await app.inject('/netconf/2015/')).headers['x-cache']).toBe('hit');
    // Plain SQL, as any write path: the trigger sees it.
    await sql`update sponsors set name = 'Renamed Sponsor Inc.' where id = (select min(s.id) from sponsors s join editions e on e.id = s.edition_id where e.year = 2014)`.execute(handle.db);
    const e2014 = await app.inject('/netconf/2014/');
    expect(e2014.headers['x-cache']).toBe('miss');
    expect(e2014.body).toContain('Renamed Sponsor Inc.');
    expect((await app.inject('/')).headers['x-cache']).toBe('miss');
    expect((await app.inject('/netconf/2015/')).headers['x-cache']).toBe('hit');
  });

  it('drops everything on a site-wide change (an edition’s title), and keeps nothing on a private one', async () => {
    await app.inject('/netconf/2015/');
    await app.inject('/netconf/2011/edition.json');
    await sql`insert into audit_log (actor, action, entity) values ('test', 'test.noop', 'test')`.execute(handle.db);
    expect((await app.inject('/netconf/2015/')).headers['x-cache']).toBe('hit');
    await updateEdition(makeDeps(handle.db), COMMITTEE, { series: 'netconf', year: 2011, fields: { title: 'Netconf 2011, retitled' } });
    const e2011 = await app.inject('/netconf/2011/edition.json');
    expect(e2011.headers['x-cache']).toBe('miss');
    expect(e2011.json().title).toBe('Netconf 2011, retitled');
    expect((await app.inject('/netconf/2015/')).headers['x-cache']).toBe('miss');
  });

  it('never keeps a page that depends on who asks or what was asked', async () => {
    await app.inject('/netconf/2015/changes/');
    expect((await app.inject('/netconf/2015/changes/')).headers['x-cache']).toBeUndefined();
    await app.inject('/search/?q=xdp');
    expect((await app.inject('/search/?q=xdp')).headers['x-cache']).toBeUndefined();
    const missing = await app.inject('/netconf/1999/');
    expect(missing.statusCode).toBe(404);
    expect((await app.inject('/netconf/1999/')).headers['x-cache']).toBeUndefined();
  });

  it('has the cache trigger on every table a public page could read', async () => {
    const rows = await sql<{ name: string; triggers: number }>`
      select c.relname as name, (select count(*)::int from pg_trigger t where t.tgrelid = c.oid and t.tgname like '%\_cache%') as triggers
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind = 'r' order by c.relname`.execute(handle.db);
    const missing = rows.rows.filter((r) => r.triggers === 0 && !PRIVATE_TABLES.includes(r.name) && !DERIVED_TABLES.includes(r.name)).map((r) => r.name);
    // A new table: attach the triggers in its migration (attachCacheTriggers, 011-cache.ts), or
    // add it to PRIVATE_TABLES if no public page ever reads it.
    expect(missing).toEqual([]);
  });

  it('says /healthz ok, and /readyz ready until it drains or the schema is not the expected one', async () => {
    const health = await app.inject('/healthz');
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    expect((await app.inject('/readyz')).json()).toEqual({ status: 'ready' });
    draining = true;
    const drain = await app.inject('/readyz');
    expect(drain.statusCode).toBe(503);
    expect(drain.json().reason).toBe('shutting down');
    draining = false;
    const older = await buildApp({ db: handle.db, readiness: { expectedMigrations: ['001-archive', '999-future'] } });
    const r = await older.inject('/readyz');
    expect(r.statusCode).toBe(503);
    expect(r.json().reason).toMatch(/older than this program \(missing 999-future\)/);
    await older.close();
  });

  it('answers hits over a socket from the HTTP server itself: same bytes and headers, per encoding, 304, own request ids', async () => {
    // app.inject does not go through the server factory; a real socket does.
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    const get = (headers: Record<string, string> = {}) =>
      new Promise<{ status: number; headers: http.IncomingHttpHeaders; names: string[]; body: Buffer }>((resolve, reject) => {
        http
          .get({ port, host: '127.0.0.1', path: '/netconf/2011/', headers }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            // Every header as sent (res.headers keeps one Content-Type of two).
            const names = res.rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());
            res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, names, body: Buffer.concat(chunks) }));
          })
          .on('error', reject);
      });
    const miss = await get();
    const plain = miss.body.toString('utf8');
    expect(plain).toMatch(/Netconf 2011/);
    const ids = new Set<string>();
    for (const [enc, unzip] of [
      ['identity', (b: Buffer) => b],
      ['gzip', zlib.gunzipSync],
      ['br', zlib.brotliDecompressSync],
    ] as const) {
      // The first hit in an encoding makes its answer ready; the next ones reuse it.
      for (let i = 0; i < 3; i++) {
        const res = await get(enc === 'identity' ? {} : { 'accept-encoding': enc });
        expect(res.status).toBe(200);
        expect(res.headers['x-cache']).toBe('hit');
        expect(res.headers['content-encoding']).toBe(enc === 'identity' ? undefined : enc);
        expect(Number(res.headers['content-length'])).toBe(res.body.length);
        expect(unzip(res.body).toString('utf8')).toBe(plain);
        expect(res.headers.etag).toBe(enc === 'identity' ? miss.headers.etag : `${String(miss.headers.etag).slice(0, -1)}-${enc === 'gzip' ? 'gz' : 'br'}"`);
        expect(res.headers['content-security-policy']).toBe(miss.headers['content-security-policy']);
        expect(res.headers['content-type']).toBe(miss.headers['content-type']);
        expect(res.headers.vary).toBe('Accept-Encoding');
        expect(res.names.filter((n, k) => res.names.indexOf(n) !== k)).toEqual([]);
        ids.add(String(res.headers['x-request-id']));
      }
    }
    expect(ids.size).toBe(9);
    expect((await get({ 'x-request-id': 'nginx-77' })).headers['x-request-id']).toBe('nginx-77');
    const notModified = await get({ 'if-none-match': String(miss.headers.etag), 'accept-encoding': 'gzip' });
    expect(notModified.status).toBe(304);
    expect(notModified.body.length).toBe(0);
    expect(notModified.headers['x-cache']).toBe('hit');
    expect(notModified.names.filter((n, k) => notModified.names.indexOf(n) !== k)).toEqual([]);
    expect((await get({ 'if-none-match': '"other"' })).status).toBe(200);
  });

  it('gives each request an id, taking a sane X-Request-Id from the proxy', async () => {
    const mine = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'nginx-abc123' } });
    expect(mine.headers['x-request-id']).toBe('nginx-abc123');
    const odd = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'bad id\twith spaces' } });
    expect(odd.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

/**
 * Pages that show the date's view (the archive's next edition) are not kept past the day they
 * were rendered on: with no write at all, the first request of the next day renders afresh.
 */
describe('page cache across midnight', () => {
  it('answers the next day as a server without a cache does', async () => {
    const handle = await freshPglite();
    let now = new Date('2100-06-10T23:59:00Z');
    const clock = () => now;
    const cached = await buildApp({ db: handle.db, clock, cache: new PageCache(handle.db, { clock }) });
    const plain = await buildApp({ db: handle.db, clock });
    try {
      // Its last day is today: the archive shows it as the next edition until midnight.
      await makeEdition(handle.db, { title: 'Netconf at midnight', start_date: '2100-06-09', end_date: '2100-06-10' });
      const before = await cached.inject('/');
      expect((await cached.inject('/')).headers['x-cache']).toBe('hit');
      now = new Date('2100-06-11T00:01:00Z');
      const expected = (await plain.inject('/')).body;
      expect(expected).not.toBe(before.body);
      const after = await cached.inject('/');
      expect(after.body).toBe(expected);
      expect(after.headers['x-cache']).toBe('miss');
    } finally {
      await cached.close();
      await plain.close();
      await handle.close();
    }
  });
});

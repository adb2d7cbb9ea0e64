/**
 * exportSite: the whole public site as files — every page, asset, uploaded file, schedule and
 * feed — with relative links, so that it works from any static host and from file://.
 *
 * The pages are the app's own. The crawl starts from the archive and the people index and every
 * address the archive implies (each edition, its JSON, changelog and schedule files; each person
 * and their JSON), then follows the links of every page. Pages made of the archive alone (an
 * edition's and a person's) are rendered with the app's own views and renderers from the
 * archive loaded in bulk (direct.ts: a few queries in all, not a dozen a page); the app, built
 * without a socket, answers the rest with app.inject (indexes, feed, stored files, assets). Only
 * addresses on the public allowlist (site-paths.ts) are fetched. All of it reads one snapshot of
 * the database (snapshot-db.ts). As a last guard (guard.ts), a file showing an address its owner
 * keeps private stops the export, and so does a page that could not be made (an error, where the
 * app would answer 500: a file its pages link would be missing); a directory that was empty is
 * left empty.
 *
 * A large archive is rendered on every CPU: worker threads (render-pool.ts) are handed the
 * editions and people a share at a time as the main thread loads them, and render and write
 * those pages while the main thread loads the next share and then crawls the rest.
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { DomainError, InvalidInput } from '../domain/errors.js';
import { buildApp } from '../web/app.js';
import { withSiteName } from '../web/views/site.js';
import { DEFAULT_SITE_NAME } from '../domain/editions/site-name.js';
import { urls } from '../web/urls.js';
import { directPages, type DirectPages, type Share } from './direct.js';
import { privacyGuard } from './guard.js';
import { defaultThreads, RenderPool } from './render-pool.js';
import type { PageReport } from './render-worker.js';
import { StaticSearchPage } from './search-page.js';
import { exportedFile, fileAtRoot, fileFor, internalLinks, isExported, isNameless, jsonLinks, rewriteHtml, rewriteJsonLinks, SEARCH_PATH, writtenJsonLinks } from './site-paths.js';
import { withSnapshot, type QueryStats } from './snapshot-db.js';
import { TreeWriter, type TreeCounts } from './write-tree.js';
import { privateAddresses } from '../domain/people/private-addresses.js';
import { otherNameSlugs } from '../domain/people/load-person.js';
import { PersonMovedPage } from '../web/views/person.js';

export interface ExportDeps {
  db: Kysely<Database>;
  /** Uploaded files (materials, logos, photos), as the app serves them. */
  filesDir?: string;
  clock?: () => Date;
}

export interface ExportProgress {
  /** Addresses done, and known so far (it grows as pages reveal links). */
  done: number;
  total: number;
  file: string | null;
}

export interface ExportOptions {
  outDir: string;
  /** The running site: absolute links in feeds and schedules, and where search and sign-in go. */
  baseUrl: string;
  /** The site's name in the pages and the feed (siteNameOf); default conclave. */
  siteName?: string;
  onProgress?: (p: ExportProgress) => void;
  /** Pages asked for at once (default 4). */
  concurrency?: number;
  /**
   * Worker threads rendering and writing the editions' and people's pages beside the main thread;
   * 0 does everything in the main thread. Default: one per CPU (at most 4) for an archive of 50
   * editions or more, else 0.
   */
  threads?: number;
  /**
   * Stops the export (SIGINT): no page is written after it aborts, and the export fails with its
   * reason, leaving the directory as a failure does (emptied again when it was new or empty).
   */
  signal?: AbortSignal;
}

export interface BrokenLink {
  from: string;
  to: string;
  status: number;
}

export interface ExportResult extends TreeCounts {
  /** Files in the tree. */
  files: number;
  seconds: number;
  /** Internal links of exported pages that lead nowhere (the app's pages would show the same). */
  brokenLinks: BrokenLink[];
  queries: QueryStats;
}

interface Fetched {
  status: number;
  file: string | null;
  /** Why the page could not be made, when it answered 500. */
  error?: string;
}

/**
 * Pages that could not be made (an error, not an address that names nothing): the export fails
 * rather than leave out a file that its pages link, naming each page and why.
 */
export class ExportFailed extends DomainError {
  override name = 'ExportFailed';
  constructor(readonly pages: { path: string; why: string }[]) {
    super(
      `the export stopped: ${pages
        .slice(0, 5)
        .map((p) => `${p.path} could not be made (${p.why})`)
        .join('; ')}${pages.length > 5 ? `; and ${pages.length - 5} more` : ''}`,
    );
  }
}

/** Every address the archive implies, an edition's files together. */
function knownPaths(editions: { slug: string; year: number }[], people: { slug: string }[]): string[] {
  return [
    urls.home(),
    urls.archiveJson(),
    urls.feed(),
    urls.people(),
    SEARCH_PATH,
    urls.style(),
    ...editions.flatMap((e) => [
      urls.edition(e.slug, e.year),
      urls.editionJson(e.slug, e.year),
      urls.changes(e.slug, e.year),
      urls.scheduleIcs(e.slug, e.year),
      urls.scheduleXml(e.slug, e.year),
      urls.scheduleJson(e.slug, e.year),
    ]),
    ...people.flatMap((p) => [urls.person(p.slug), urls.personJson(p.slug)]),
  ];
}

export async function exportSite(deps: ExportDeps, opts: ExportOptions): Promise<ExportResult> {
  const started = performance.now();
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  if (opts.threads !== undefined && !(Number.isInteger(opts.threads) && opts.threads >= 0 && opts.threads <= 64)) {
    throw new InvalidInput('threads', 'must be a whole number from 0 to 64');
  }
  const tree = await TreeWriter.open(opts.outDir);
  try {
    return await withSiteName(opts.siteName ?? DEFAULT_SITE_NAME, () => writeSite(deps, opts, tree, baseUrl, started));
  } catch (err) {
    try {
      await tree.abandon();
    } catch (cleanup) {
      // The export's own error is the one to tell; that the directory could not be emptied is said with it.
      if (err instanceof Error) err.message += ` (and ${opts.outDir} could not be emptied: ${(cleanup as Error).message})`;
    }
    throw err;
  }
}

async function writeSite(deps: ExportDeps, opts: ExportOptions, tree: TreeWriter, baseUrl: string, started: number): Promise<ExportResult> {
  const { brokenLinks, queries } = await withSnapshot(deps.db, async (db, queries) => {
    let threads = opts.threads;
    if (threads === undefined) {
      const { n } = await db.selectFrom('editions').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      threads = defaultThreads(Number(n));
    }
    // Started first: the workers load their modules while the archive is read.
    const pool = threads > 0 ? RenderPool.start(threads) : null;
    let app: FastifyInstance | null = null;
    try {
      const hidden = await privateAddresses(db);
      const guard = privacyGuard(hidden);
      const web = await buildApp({
        db,
        filesDir: deps.filesDir,
        clock: deps.clock,
        mail: { baseUrl, from: 'conclave export <export@invalid>' },
        siteName: opts.siteName ?? DEFAULT_SITE_NAME,
        logger: false,
      });
      app = web;
      // The app's error handler hides why a page failed: keep it for the export's message.
      const appErrors = new Map<string, string>();
      web.addHook('onError', async (req, _reply, err) => {
        appErrors.set(req.url, err.message);
      });
      /** Pages made of the archive alone, rendered from data loaded in bulk; the app answers the rest. */
      let direct: DirectPages | null = null;

      const fetched = new Map<string, Promise<Fetched>>();
      /** Links between exported pages, to check once everything is fetched: target → a page linking it. */
      const linkedFrom = new Map<string, string>();
      /**
       * The addresses the JSON files hold as written (from the site's root), to check once
       * everything is written that each names a file of the copy: address → a file holding it.
       */
      const rootAddresses = new Map<string, string>();
      const atRoot = (address: string, from: string) => {
        if (!rootAddresses.has(address)) rootAddresses.set(address, from);
      };
      const queue: string[] = [];
      let next = 0;
      let done = 0;
      const progress = (r: Fetched) => {
        done++;
        opts.onProgress?.({ done, total: fetched.size + queue.length - next, file: r.file });
        return r;
      };

      const follow = (from: string, links: string[]) => {
        for (const p of links) {
          if (!linkedFrom.has(p)) linkedFrom.set(p, from);
          enqueue(p);
        }
      };

      async function writeHtml(urlPath: string, html: string): Promise<string> {
        const file = fileFor(urlPath);
        const links = internalLinks(html).filter((p) => isExported(p));
        // A stored file without a name is written under one with its type's extension: learn it first.
        const nameless = links.filter(isNameless);
        const named = new Map<string, string>();
        await Promise.all(
          nameless.map(async (p) => {
            const f = await fetchOnce(p);
            if (f.file) named.set(p, f.file);
          }),
        );
        follow(urlPath, links);
        const out = rewriteHtml(html, file, (p) => named.get(p) ?? exportedFile(p), baseUrl);
        guard(urlPath, 'text/html', out);
        opts.signal?.throwIfAborted();
        await tree.put(file, Buffer.from(out, 'utf8'));
        return file;
      }

      /**
       * Writes a JSON document (editions.json, edition.json, person.json) with its addresses as
       * the server gives them, from the site's root, but for stored files without a name, which
       * get the name of the file written for them; each address is then checked against the
       * files of the copy (atRoot).
       */
      async function writeJson(urlPath: string, type: string, json: string): Promise<string> {
        const file = fileFor(urlPath, type);
        const links = jsonLinks(json);
        // Queued at once: a worker's page is finished here after the crawl may have ended.
        follow(urlPath, links);
        const named = new Map<string, string>();
        await Promise.all(
          links.filter(isNameless).map(async (p) => {
            const f = await fetchOnce(p);
            if (f.file) named.set(p, f.file);
          }),
        );
        const out = rewriteJsonLinks(json, (p) => named.get(p) ?? null);
        for (const p of writtenJsonLinks(out)) atRoot(p, urlPath);
        guard(urlPath, type, out);
        opts.signal?.throwIfAborted();
        await tree.put(file, Buffer.from(out, 'utf8'));
        return file;
      }

      /** Writes a page answered 200 as the file its address and type call for. */
      async function writeAnswer(urlPath: string, type: string, body: string | Buffer): Promise<Fetched> {
        if (type.startsWith('text/html')) return { status: 200, file: await writeHtml(urlPath, body.toString('utf8')) };
        if (type.startsWith('application/json')) return { status: 200, file: await writeJson(urlPath, type, body.toString('utf8')) };
        const file = fileFor(urlPath, type);
        guard(urlPath, type, body);
        opts.signal?.throwIfAborted();
        await tree.put(file, typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
        return { status: 200, file };
      }

      async function fetchPath(urlPath: string): Promise<Fetched> {
        if (urlPath === SEARCH_PATH) {
          return { status: 200, file: await writeHtml(urlPath, String(StaticSearchPage({ baseUrl }))) };
        }
        const answer = direct?.answer(urlPath);
        if (answer) {
          if (answer.status === 200) return writeAnswer(urlPath, answer.type, answer.body);
          return { status: answer.status, file: null, ...(answer.error !== undefined ? { error: answer.error } : {}) };
        }
        const res = await web.inject({ method: 'GET', url: urlPath });
        if (res.statusCode >= 500) return { status: res.statusCode, file: null, error: appErrors.get(urlPath) ?? `the app answered ${res.statusCode}` };
        if (res.statusCode !== 200) return { status: res.statusCode, file: null };
        return writeAnswer(urlPath, String(res.headers['content-type'] ?? ''), res.rawPayload);
      }

      function fetchOnce(urlPath: string): Promise<Fetched> {
        let f = fetched.get(urlPath);
        if (!f) {
          f = fetchPath(urlPath).then(progress);
          fetched.set(urlPath, f);
        }
        return f;
      }

      const queued = new Set<string>();
      function enqueue(urlPath: string) {
        if (queued.has(urlPath) || fetched.has(urlPath)) return;
        queued.add(urlPath);
        queue.push(urlPath);
      }

      // When one page fails (the privacy guard refuses it, say), the other loops stop taking pages
      // and the crawl waits for the pages already in flight, so that nothing is written after the
      // export is abandoned and the first error is the one told.
      let stop = false;
      async function worker() {
        while (!stop && next < queue.length) {
          try {
            opts.signal?.throwIfAborted();
            await fetchOnce(queue[next++]!);
          } catch (err) {
            stop = true;
            throw err;
          }
        }
      }
      const crawl = async () => {
        const loops = await Promise.allSettled(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, worker));
        const failed = loops.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
      };

      let onShare: ((share: Share, paths: string[]) => void) | undefined;
      if (pool) {
        // The editions' and people's own pages are the workers': each is done when its worker
        // says so. A page that links a nameless stored file comes back to be finished here.
        const settle = new Map<string, (f: Promise<Fetched>) => void>();
        pool.begin({ baseUrl, siteName: opts.siteName ?? DEFAULT_SITE_NAME, hidden: [...hidden], tree: tree.share() }, (r: PageReport) => {
          const resolve = settle.get(r.path)!;
          settle.delete(r.path);
          if ('html' in r) return resolve(writeHtml(r.path, r.html).then((file) => ({ status: 200, file })));
          if ('json' in r) return resolve(writeJson(r.path, r.type, r.json).then((file) => ({ status: 200, file })));
          follow(r.path, r.links);
          // A JSON file the worker wrote holds its addresses as the server gives them.
          if (r.file?.endsWith('.json')) for (const p of r.links) atRoot(p, r.path);
          if (r.file) tree.wroteElsewhere(r.file);
          resolve(Promise.resolve({ status: r.status, file: r.file, ...(r.error !== undefined ? { error: r.error } : {}) }));
        });
        onShare = (share, paths) => {
          for (const p of paths) {
            const f = new Promise<Fetched>((resolve) => settle.set(p, resolve)).then(progress);
            // Awaited at the end; a failure meanwhile must not go unheard.
            f.catch(() => {});
            fetched.set(p, f);
          }
          pool.render(share);
        };
      }
      direct = await directPages(db, { baseUrl, clock: deps.clock, onShare });
      for (const p of knownPaths(direct.editions, direct.listed)) enqueue(p);
      // Another name's address, which the server redirects to the person's page: a page that
      // sends the browser on (a static host has no redirects), so that old links keep working
      // where the export stands in for the server.
      const shown = new Map(direct.listed.map((p) => [p.slug, p.name]));
      for (const [other, to] of await otherNameSlugs({ db })) {
        const name = shown.get(to);
        if (name === undefined || shown.has(other)) continue;
        const page = urls.person(other);
        const f = writeHtml(page, String(PersonMovedPage({ name, slug: to, refresh: `../${encodeURIComponent(to)}/index.html` }))).then((file) => progress({ status: 200, file }));
        // Awaited with the rest at the end; a failure meanwhile must not go unheard.
        f.catch(() => {});
        fetched.set(page, f);
      }

      await crawl();
      if (pool) {
        for (const part of await pool.finish()) tree.adopt(part);
        // What the workers' pages linked that nothing else did (stored files).
        await crawl();
      }
      const all = await Promise.all([...fetched].map(async ([path, f]) => ({ path, f: await f })));
      // Worker threads do not hear the signal: what they wrote is not kept either.
      opts.signal?.throwIfAborted();
      const failed = all.filter(({ f }) => f.status >= 500).map(({ path, f }) => ({ path, why: f.error ?? `it answered ${f.status}` }));
      if (failed.length > 0) throw new ExportFailed(failed.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)));

      const broken: BrokenLink[] = [];
      for (const [to, from] of linkedFrom) {
        const f = await fetched.get(to)!;
        if (f.status !== 200) broken.push({ from, to, status: f.status });
      }
      // A JSON file's address must name a file of the copy as written, served at a host's root
      // with no rewrite (a fetched page's address may not: a logo's is written under another name).
      const onDisk = new Set(all.flatMap(({ f }) => (f.file ? [f.file] : [])));
      for (const [to, from] of rootAddresses) {
        if (!onDisk.has(fileAtRoot(to)) && !broken.some((b) => b.to === to)) broken.push({ from, to, status: 404 });
      }
      return { brokenLinks: broken, queries: { ...queries } };
    } finally {
      await Promise.all([app?.close(), pool?.close()]);
    }
  });

  const counts = await tree.finish();
  return {
    ...counts,
    files: counts.written + counts.unchanged,
    seconds: (performance.now() - started) / 1000,
    brokenLinks,
    queries,
  };
}

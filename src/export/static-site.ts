/**
 * exportSite: the whole public site as files — every page, asset, uploaded file, schedule and
 * feed — with relative links, so that it works from any static host and from file://.
 *
 * The pages are the app's own. The crawl starts from the archive and the people index and every
 * address the archive implies (each edition, its JSON, changelog and schedule files; each person
 * and their JSON), then follows the links of every page. Pages made of the archive alone (an
 * edition's and a person's) are rendered with the app's own views and renderers from the whole
 * archive loaded in bulk (direct.ts: a few queries in all, not a dozen a page); the app, built
 * without a socket, answers the rest with app.inject (indexes, feed, stored files, assets). Only addresses on the public allowlist
 * (site-paths.ts) are fetched. All of it reads one snapshot of the database (snapshot-db.ts).
 * As a last guard, a file showing an address its owner keeps private stops the export.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { Conflict } from '../domain/errors.js';
import { buildApp } from '../web/app.js';
import { urls } from '../web/urls.js';
import { directPages } from './direct.js';
import { StaticSearchPage } from './search-page.js';
import { fileFor, internalLinks, isExported, rewriteHtml, SEARCH_PATH } from './site-paths.js';
import { withSnapshot, type QueryStats } from './snapshot-db.js';
import { TreeWriter, type TreeCounts } from './write-tree.js';

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
  onProgress?: (p: ExportProgress) => void;
  /** Pages asked for at once (default 4). */
  concurrency?: number;
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
}

const EMAIL = /[a-z0-9._%+'-]+@[a-z0-9.-]+\.[a-z]{2,}/iy;
const LOCAL_CHAR = /^[a-z0-9._%+'-]$/i;
const LOCAL_ASCII = Array.from({ length: 128 }, (_, c) => LOCAL_CHAR.test(String.fromCharCode(c)));
const isLocalChar = (c: number) => (c < 128 ? LOCAL_ASCII[c]! : LOCAL_CHAR.test(String.fromCharCode(c)));

/**
 * The addresses in a text: the matches of `text.matchAll(/[a-z0-9._%+'-]+@[a-z0-9.-]+\.[a-z]{2,}/gi)`,
 * found without trying the pattern at every position. A match holds an '@' with only characters
 * of its first part before it, so it starts in the run of those characters that ends at an '@':
 * the pattern is tried only there, from the run's start on (the leftmost match, as matchAll).
 */
export function* addressesIn(text: string): Generator<string> {
  let from = 0;
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', Math.max(at + 1, from))) {
    let start = at;
    while (start > from && isLocalChar(text.charCodeAt(start - 1))) start--;
    for (let p = start; p < at; p++) {
      EMAIL.lastIndex = p;
      const m = EMAIL.exec(text);
      if (m) {
        yield m[0];
        from = p + m[0].length;
        break;
      }
    }
  }
}

/** Addresses that must not appear anywhere: kept private by their owner, or known only to the committee. */
async function privateAddresses(db: Kysely<Database>): Promise<Set<string>> {
  const [emails, invitations, accounts] = await Promise.all([
    db.selectFrom('person_emails').select(['email', 'is_public']).execute(),
    db.selectFrom('invitations').select('email').execute(),
    db.selectFrom('committee_accounts').select('email').execute(),
  ]);
  const shown = new Set(emails.filter((e) => e.is_public).map((e) => e.email.toLowerCase()));
  const hidden = [...emails.filter((e) => !e.is_public), ...invitations, ...accounts].map((e) => e.email.toLowerCase());
  return new Set(hidden.filter((e) => !shown.has(e)));
}

/** Every address the archive implies, an edition's files together. */
async function knownPaths(db: Kysely<Database>, people: { slug: string }[]): Promise<string[]> {
  const editions = await db
    .selectFrom('editions')
    .innerJoin('series', 'series.id', 'editions.series_id')
    .select(['series.slug', 'editions.year'])
    .orderBy('series.slug')
    .orderBy('editions.year')
    .execute();
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
  const tree = await TreeWriter.open(opts.outDir);

  const { brokenLinks, queries } = await withSnapshot(deps.db, async (db, queries) => {
    const hidden = await privateAddresses(db);
    // Pages made of the archive alone are rendered from data loaded in bulk; the app answers the rest.
    const direct = await directPages(db, { baseUrl, clock: deps.clock });
    const seeds = new Set(await knownPaths(db, direct.listed));
    const app = await buildApp({
      db,
      filesDir: deps.filesDir,
      clock: deps.clock,
      mail: { baseUrl, from: 'conclave export <export@invalid>' },
      logger: false,
    });
    try {
      const fetched = new Map<string, Promise<Fetched>>();
      /** Links between exported pages, to check once everything is fetched: target → a page linking it. */
      const linkedFrom = new Map<string, string>();
      const queue: string[] = [];
      let done = 0;

      const guard = (urlPath: string, type: string, body: Buffer | string) => {
        if (!/^(text\/|application\/(json|xml|atom\+xml))/.test(type)) return;
        const text = body.toString('utf8').replace(/\r?\n[ \t]/g, '');
        for (const address of addressesIn(text)) {
          if (hidden.has(address.toLowerCase())) throw new Conflict(`refusing to export ${urlPath}: it shows an address that is not public`);
        }
      };

      /** The file an exported address is written to; null for what stays on the running site. */
      const target = (urlPath: string): string | null => {
        if (!isExported(urlPath)) return null;
        return fileFor(urlPath);
      };

      async function writeHtml(urlPath: string, html: string): Promise<string> {
        const file = fileFor(urlPath);
        const links = internalLinks(html).filter((p) => isExported(p));
        // A stored file without a name is written under one with its type's extension: learn it first.
        const nameless = links.filter((p) => /^\/files\/[0-9a-f]{64}$/.test(p));
        const named = new Map<string, string>();
        await Promise.all(
          nameless.map(async (p) => {
            const f = await fetchOnce(p);
            if (f.file) named.set(p, f.file);
          }),
        );
        for (const p of links) {
          if (!linkedFrom.has(p)) linkedFrom.set(p, urlPath);
          enqueue(p);
        }
        const out = rewriteHtml(html, file, (p) => named.get(p) ?? target(p), baseUrl);
        guard(urlPath, 'text/html', out);
        await tree.put(file, Buffer.from(out, 'utf8'));
        return file;
      }

      async function fetchPath(urlPath: string): Promise<Fetched> {
        if (urlPath === SEARCH_PATH) {
          return { status: 200, file: await writeHtml(urlPath, String(StaticSearchPage({ baseUrl }))) };
        }
        const answer = direct.answer(urlPath);
        if (answer) {
          if (answer.status !== 200) return { status: answer.status, file: null };
          if (answer.type.startsWith('text/html')) return { status: 200, file: await writeHtml(urlPath, answer.body) };
          const file = fileFor(urlPath, answer.type);
          guard(urlPath, answer.type, answer.body);
          await tree.put(file, Buffer.from(answer.body, 'utf8'));
          return { status: 200, file };
        }
        const res = await app.inject({ method: 'GET', url: urlPath });
        if (res.statusCode !== 200) return { status: res.statusCode, file: null };
        const type = String(res.headers['content-type'] ?? '');
        if (type.startsWith('text/html')) return { status: 200, file: await writeHtml(urlPath, res.body) };
        const file = fileFor(urlPath, type);
        guard(urlPath, type, res.rawPayload);
        await tree.put(file, res.rawPayload);
        return { status: 200, file };
      }

      function fetchOnce(urlPath: string): Promise<Fetched> {
        let f = fetched.get(urlPath);
        if (!f) {
          f = fetchPath(urlPath).then((r) => {
            done++;
            opts.onProgress?.({ done, total: fetched.size + queue.length - next, file: r.file });
            return r;
          });
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
      for (const p of seeds) enqueue(p);

      let next = 0;
      async function worker() {
        while (next < queue.length) await fetchOnce(queue[next++]!);
      }
      await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, worker));

      const broken: BrokenLink[] = [];
      for (const [to, from] of linkedFrom) {
        const f = await fetched.get(to)!;
        if (f.status !== 200) broken.push({ from, to, status: f.status });
      }
      return { brokenLinks: broken, queries: { ...queries } };
    } finally {
      await app.close();
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

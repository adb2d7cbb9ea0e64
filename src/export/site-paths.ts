/**
 * Which addresses of the app the static site holds, the file each is written to, and the
 * relative links between those files.
 *
 * Only addresses on an allowlist of public pages are ever fetched: whatever else a page links
 * (sign-in, admin, invitations, a search with a query) stays a link to the running site at the
 * base URL, so nothing private can be crawled by following a link.
 */
import path from 'node:path';
import { checkFileName } from '../domain/files/material-types.js';

const SLUG = '[a-z0-9][a-z0-9-]*';
/**
 * A person's page or JSON: /people/<slug>/, the slug percent-encoded as links write it (urls.ts).
 * The slug decoded is a name's letters and digits of any script, their marks and "-" (王小明, as
 * src/web/routes/public.ts accepts it); never a dot, slash, percent or space.
 */
const PERSON = /^\/people\/([^/]+)\/(person\.json)?$/;
const PERSON_SLUG = /^[\p{L}\p{N}][\p{L}\p{M}\p{N}-]*$/u;
const PUBLIC: RegExp[] = [
  /^\/$/,
  /^\/editions\.json$/,
  /^\/feed\.atom$/,
  /^\/people\/$/,
  new RegExp(`^/${SLUG}/\\d{4}/(edition\\.json|schedule\\.(ics|xml|json)|changes/)?$`),
  /^\/files\/[0-9a-f]{64}(\/[^/]+)?$/,
  /^\/static\/[A-Za-z0-9._-]+$/,
  /^\/search\/$/,
];
/** First path segments that are never an edition's series, whatever the pattern above allows. */
const NEVER = new Set(['admin', 'signin', 'signout', 'invitation', 'search', 'files', 'static', 'people']);

/** Whether a first path segment belongs to the app's own pages, never to a series. */
export function isReservedSegment(segment: string): boolean {
  return NEVER.has(segment);
}

/** Answers of isExported, remembered: every page repeats the same links. */
const exported = new Map<string, boolean>();

/** Whether a path (no query, no fragment) is a public page the export fetches. */
export function isExported(urlPath: string): boolean {
  let yes = exported.get(urlPath);
  if (yes === undefined) {
    const first = urlPath.split('/')[1] ?? '';
    const edition = /^\/[^/]+\/\d{4}\//.test(urlPath);
    yes = (PUBLIC.some((re) => re.test(urlPath)) && !(edition && NEVER.has(first)) && servedName(urlPath)) || isPersonPath(urlPath);
    if (exported.size >= 100_000) exported.clear();
    exported.set(urlPath, yes);
  }
  return yes;
}

/** Whether a path is a person's page or JSON (PERSON), its slug decoded one a person may have. */
function isPersonPath(urlPath: string): boolean {
  const m = PERSON.exec(urlPath);
  if (!m) return false;
  try {
    const slug = decodeURIComponent(m[1]!);
    // Lower case, as every slug is: an address in capitals is the running site's to redirect.
    return PERSON_SLUG.test(slug) && slug === slug.toLowerCase();
  } catch {
    return false;
  }
}

/**
 * A stored file's link with a name (/files/<sha>/<name>) names it as the app serves it (files.ts):
 * a name that is ".", holds a "/" once decoded (%2F), or is otherwise refused names no file of the
 * copy, and would make one of its directories (files/<sha>/.) or leave it.
 */
function servedName(urlPath: string): boolean {
  const m = /^\/files\/[0-9a-f]{64}\/([^/]+)$/.exec(urlPath);
  if (!m) return true;
  try {
    checkFileName(decodeURIComponent(m[1]!));
    return true;
  } catch {
    return false;
  }
}

/** The file an address is exported to; null for what stays on the running site. */
export function exportedFile(urlPath: string): string | null {
  return isExported(urlPath) ? fileFor(urlPath) : null;
}

/** A stored file linked without a name: its file is named by its type, which only the app knows. */
export function isNameless(urlPath: string): boolean {
  return /^\/files\/[0-9a-f]{64}$/.test(urlPath);
}

/**
 * The exported addresses a JSON document holds (editions.json, edition.json, person.json): its
 * string values that start at the site's root ("/files/<sha256>/slides.pdf"), as paths. Values
 * that are not such an address (an abstract, an absolute URL) are passed over.
 */
export function jsonLinks(body: string): string[] {
  return jsonAddresses(body, isExported);
}

/**
 * The addresses a JSON file of the copy holds as written: jsonLinks, and the files written for
 * stored files without a name ("/files/<sha256>.png", rewriteJsonLinks), each of which must
 * name a file of the copy.
 */
export function writtenJsonLinks(body: string): string[] {
  return jsonAddresses(body, (p) => isExported(p) || /^\/files\/[0-9a-f]{64}\.[a-z]+$/.test(p));
}

function jsonAddresses(body: string, wanted: (urlPath: string) => boolean): string[] {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      const link = splitLink(v);
      if (link && wanted(link.path)) out.add(link.path);
    } else if (Array.isArray(v)) {
      for (const x of v) walk(x);
    } else if (v !== null && typeof v === 'object') {
      for (const x of Object.values(v)) walk(x);
    }
  };
  try {
    walk(JSON.parse(body));
  } catch {
    return [];
  }
  return [...out];
}

/**
 * A JSON document whose stored files linked without a name ("/files/<sha256>", a logo, a
 * thumbnail) are addressed as the files the export writes for them ("/files/<sha256>.png",
 * `named` says which): the address as the server gives it names no file of the copy. Every other
 * byte stays the server's.
 */
export function rewriteJsonLinks(body: string, named: (urlPath: string) => string | null): string {
  return body.replace(/"(\/files\/[0-9a-f]{64})"/g, (all, p: string) => {
    const file = named(p);
    return file ? JSON.stringify(`/${file}`) : all;
  });
}

/**
 * The file of the copy an address names when the copy is served at a host's root, as a static
 * server finds it with no rewrite: the path's segments decoded, a directory's index.html.
 */
export function fileAtRoot(urlPath: string): string {
  const segs = urlPath
    .slice(1)
    .split('/')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  if (urlPath.endsWith('/')) segs[segs.length - 1] = 'index.html';
  return segs.join('/');
}

/** The search page of the static site: a page saying that search needs the running site. */
export const SEARCH_PATH = '/search/';

/**
 * The file (relative to the output directory, '/'-separated) for a public path: directories
 * become index.html; a stored file without a name gets one with the extension of its type, so
 * that a static server sends the right type.
 */
export function fileFor(urlPath: string, mediaType?: string): string {
  const segs = urlPath
    .slice(1)
    .split('/')
    .map((s) => decodeURIComponent(s));
  if (urlPath.endsWith('/')) segs[segs.length - 1] = 'index.html';
  const file = segs.join('/');
  if (/^files\/[0-9a-f]{64}$/.test(file)) return `${file}${extensionOf(mediaType)}`;
  return file;
}

const EXTENSIONS: Record<string, string> = {
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'image/avif': '.avif',
  'image/svg+xml': '.svg',
  'application/pdf': '.pdf',
  'text/plain': '.txt',
};

function extensionOf(mediaType: string | undefined): string {
  const type = (mediaType ?? '').split(';')[0]!.trim().toLowerCase();
  return EXTENSIONS[type] ?? '.bin';
}

/** A relative link from one file of the tree to another, each segment percent-encoded. */
export function relativeLink(fromFile: string, toFile: string): string {
  const rel = path.posix.relative(path.posix.dirname(fromFile), toFile);
  return rel
    .split('/')
    .map((s) => (s === '..' ? s : encodeURIComponent(s)))
    .join('/');
}

/** An internal link split into its path and the rest (query and fragment, kept as written). */
export function splitLink(href: string): { path: string; rest: string } | null {
  if (!href.startsWith('/') || href.startsWith('//')) return null;
  const cut = href.search(/[?#]/);
  return cut < 0 ? { path: href, rest: '' } : { path: href.slice(0, cut), rest: href.slice(cut) };
}

const ATTRIBUTE = /(\s(href|src|action)=")([^"]*)(")/g;

/** Undoes the escaping of an attribute value as the views write it. */
function unescapeAttr(v: string): string {
  return v.replace(/&(amp|quot|#39|#x27|lt|gt);/g, (_, e: string) => ({ amp: '&', quot: '"', '#39': "'", '#x27': "'", lt: '<', gt: '>' })[e]!);
}

function escapeAttr(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The internal links (href, src, action) of an HTML page: their paths, decoded of HTML escapes. */
export function internalLinks(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(ATTRIBUTE)) {
    const link = splitLink(unescapeAttr(m[3]!));
    if (link) out.push(link.path);
  }
  return out;
}

/**
 * Rewrites an HTML page's internal links: to the relative file where the address is exported
 * (`target` says which file), else to the running site under `baseUrl`. Forms and searches with
 * a query need the server: they go to the running site too.
 */
export function rewriteHtml(html: string, fromFile: string, target: (urlPath: string) => string | null, baseUrl: string): string {
  return rewriteLinks(html, fromFile, target, baseUrl, null);
}

/**
 * rewriteHtml and internalLinks(html).filter(isExported) in one pass: the page with its links
 * rewritten, and the exported addresses it links.
 */
export function rewriteHtmlLinks(html: string, fromFile: string, target: (urlPath: string) => string | null, baseUrl: string): { html: string; links: string[] } {
  const links: string[] = [];
  return { html: rewriteLinks(html, fromFile, target, baseUrl, links), links };
}

function rewriteLinks(html: string, fromFile: string, target: (urlPath: string) => string | null, baseUrl: string, links: string[] | null): string {
  return html.replace(ATTRIBUTE, (whole, open: string, attr: string, value: string, close: string) => {
    const raw = unescapeAttr(value);
    const link = splitLink(raw);
    if (!link) return whole;
    if (links && isExported(link.path)) links.push(link.path);
    const dynamic = attr === 'action' || (link.path === SEARCH_PATH && link.rest.startsWith('?'));
    const file = dynamic ? null : target(link.path);
    const href = file === null ? `${baseUrl}${raw}` : `${relativeLink(fromFile, file)}${link.rest}`;
    return `${open}${escapeAttr(href)}${close}`;
  });
}

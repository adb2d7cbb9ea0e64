/**
 * Where a link or image of an imported page may point. The archive serves these addresses as
 * links on its pages and in the schedule files, so only the web's own kinds are kept: http,
 * https, ftp and mailto. A `javascript:` or `data:` link on a page pulled from the web would
 * otherwise run in the archive's visitors' browsers. A relative address pointed into the page's
 * own site, which the archive is not: it is resolved against the page's address (its
 * `<base href>`, else the one given to `conclave import --base-url`), or dropped.
 */

const KEPT = new Set(['http:', 'https:', 'ftp:', 'mailto:']);

export type LinkTarget = { url: string } | { dropped: string };

/** The address to keep for `href` found on a page whose own address is `base` (if known). */
export function linkTarget(href: string, base: string | undefined): LinkTarget {
  // Browsers strip surrounding whitespace and ignore tabs and newlines inside an address.
  const raw = href.trim().replace(/[\t\n\r]/g, '');
  if (raw === '') return { dropped: 'an empty address' };
  let url: URL;
  let absolute = true;
  try {
    try {
      url = new URL(raw);
    } catch (err) {
      if (!base) throw err;
      url = new URL(raw, base);
      absolute = false;
    }
  } catch {
    return base || /^[a-z][a-z0-9+.-]*:/i.test(raw)
      ? { dropped: 'not a valid address' }
      : { dropped: 'a relative address, and the page does not say where it was (give --base-url)' };
  }
  if (!KEPT.has(url.protocol)) return { dropped: `a ${url.protocol.replace(/:$/, '')}: address (only http, https, ftp and mailto are kept)` };
  if (url.protocol !== 'mailto:' && !url.hostname) return { dropped: 'an address without a host' };
  // An absolute address is kept as the page wrote it (a fact of the page); a relative one as
  // resolved.
  return { url: absolute ? raw : url.href };
}

/** A `--base-url` or `<base href>`: an absolute http(s) address, or null. */
export function baseAddress(href: string): string | null {
  try {
    const u = new URL(href.trim());
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname ? u.href : null;
  } catch {
    return null;
  }
}

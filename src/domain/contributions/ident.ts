/**
 * "Name <address>" as trailers and .mailmap write it. Addresses compare case-insensitively, so
 * an identity's key is its address in lower case (or its name, when it has no address).
 */

export interface Ident {
  name: string;
  email: string;
}

// Control characters (the log's separators among them) never belong in a name.
const CONTROL = /[\u0000-\u001f\u007f]+/g;

export function cleanName(s: string): string {
  return s.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * An address as read from a commit or a trailer, with each control character shown as U+FFFD: a
 * crafted commit's address could otherwise hold a terminal's escape sequences, which the table
 * would print to the terminal of the maintainer running the command.
 */
export function cleanAddress(s: string): string {
  const t = s.trim();
  return /[\u0000-\u001f\u007f]/.test(t) ? t.replace(/[\u0000-\u001f\u007f]/g, '\uFFFD') : t;
}

/**
 * The identity in a trailer value: `Name <a@b>` (anything after the `>`, such as `# v2` or
 * `[net]`, is ignored) or a bare `a@b`, whose name is then empty: one made up from the address
 * would count as a spelling of the person's name and could be shown over the name they write
 * (shownName() makes one only for display, when no name is known). Null when there is no
 * plausible address: the trailer is then counted as skipped.
 */
export function parseIdent(value: string): Ident | null {
  const lt = value.indexOf('<');
  if (lt >= 0) {
    const gt = value.indexOf('>', lt + 1);
    if (gt < 0) return null;
    const email = cleanAddress(value.slice(lt + 1, gt));
    if (!plausibleAddress(email)) return null;
    return { name: cleanName(value.slice(0, lt)).replace(/^"(.*)"$/, '$1'), email };
  }
  const bare = cleanAddress(value.trim().split(/\s+/)[0] ?? '');
  if (!plausibleAddress(bare)) return null;
  return { name: '', email: bare };
}

/**
 * Why parseIdent() found no identity in a trailer's value, in a few words for a maintainer
 * reading the list of skipped trailers.
 */
export function identProblem(value: string): string {
  const v = value.trim();
  if (!v) return 'no value';
  const lt = v.indexOf('<');
  if (lt >= 0) return v.indexOf('>', lt + 1) < 0 ? 'no ">" closing the address' : 'not an address between < and >';
  return v.includes('@') ? 'not an address' : 'no address';
}

/** The name to show for an identity: its own, else (none was ever written) its address's local part. */
export function shownName(i: Ident): string {
  if (i.name) return i.name;
  const at = i.email.indexOf('@');
  return at > 0 ? i.email.slice(0, at) : i.email;
}

function plausibleAddress(s: string): boolean {
  const at = s.indexOf('@');
  return at > 0 && at < s.length - 1 && !/[\s<>,]/.test(s);
}

/** The key identities merge on: the address in lower case, or the name when there is none. */
export function identKey(i: Ident): string {
  return i.email ? i.email.toLowerCase() : `name:${i.name.toLowerCase()}`;
}

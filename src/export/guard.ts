/**
 * The export's last guard: a file that shows an address its owner keeps private (or that only the
 * committee knows) stops the export, whichever thread wrote the file.
 */
import { Conflict } from '../domain/errors.js';

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

/** Throws Conflict when the text of a file of type `type` shows one of the `hidden` addresses (lower case). */
export type Guard = (urlPath: string, type: string, body: Uint8Array | string) => void;

export function privacyGuard(hidden: ReadonlySet<string>): Guard {
  return (urlPath, type, body) => {
    if (!/^(text\/|application\/(json|xml|atom\+xml))/.test(type)) return;
    // Folded lines (iCalendar) unfolded, so that an address cut in two is still seen; an escaped
    // line end or tab (iCalendar and JSON text: "\nsecret@…") read as the space it stands for.
    const text = (typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'))
      .replace(/\r?\n[ \t]/g, '')
      .replace(/\\[nNrt]/g, ' ');
    for (const address of addressesIn(text)) {
      if (hidden.has(address.toLowerCase())) throw new Conflict(`refusing to export ${urlPath}: it shows an address that is not public`);
    }
  };
}

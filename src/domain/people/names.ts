/**
 * Comparing people's names as the legacy pages write them.
 *
 * The same person appears as "David S. Miller" and "David Miller", "Jeffrey T. Kirsher" and
 * "Jeff Kirsher", "Yoshifuji Hideaki" and (misspelt) "Yoshfuji Hideaki". A key folds case,
 * diacritics, dots and middle initials; `namesMatch` adds two looser rules on top of it.
 */

const FOLDS: Record<string, string> = {
  ø: 'o',
  Ø: 'O',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ß: 'ss',
  đ: 'd',
  Đ: 'D',
  ð: 'd',
  Ð: 'D',
  ł: 'l',
  Ł: 'L',
  þ: 'th',
  Þ: 'TH',
  ı: 'i',
};

/**
 * Diacritics removed, letters without a decomposition (ø, æ, ß, …) spelt out. Only the accents of
 * Latin and Greek letters: elsewhere a mark makes another letter (a kana's voicing mark, a
 * Devanagari vowel sign, the Cyrillic й), and two names differing by it are two names.
 */
export function foldDiacritics(text: string): string {
  return text
    .replace(/[øØæÆœŒßđĐðÐłŁþÞı]/g, (c) => FOLDS[c] ?? c)
    .normalize('NFKD')
    .replace(/([\p{Script=Latin}\p{Script=Greek}])\p{M}+/gu, '$1')
    .normalize('NFC');
}

/** The words of a name's key: lowercase, folded, no dots or punctuation, no middle initials. */
export function nameTokens(name: string): string[] {
  const words = foldDiacritics(name)
    .toLowerCase()
    .replace(/\./g, '')
    .replace(/[-‐‑–]/g, ' ')
    .replace(/[^\p{L}\p{M}\p{N}\s]/gu, '')
    .split(/\s+/)
    .filter((w) => w !== '');
  return words.filter((w, i) => w.length > 1 || i === 0 || i === words.length - 1);
}

/** "David S. Miller" and "David Miller" share the key "david miller". */
export function nameKey(name: string): string {
  return nameTokens(name).join(' ');
}

/** Optimal-string-alignment distance (Damerau-Levenshtein with adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i < rows; i++) {
    const row = d[i];
    if (!row) continue;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** Whether two keys (from nameKey) name the same person. */
export function keysMatch(a: string, b: string): boolean {
  if (a === '' || b === '') return false;
  if (a === b) return true;
  const ta = a.split(' ');
  const tb = b.split(' ');
  if (ta.length >= 2 && tb.length >= 2 && ta.at(-1) === tb.at(-1)) {
    const fa = ta[0] ?? '';
    const fb = tb[0] ?? '';
    if (fa.startsWith(fb) || fb.startsWith(fa)) return true;
  }
  if (a.length >= 12 && b.length >= 12 && Math.abs(a.length - b.length) <= 1) {
    return editDistance(a, b) <= 1;
  }
  return false;
}

/**
 * Same key; or the same last name with one first name a prefix of the other ("Jeff Kirsher" ~
 * "Jeffrey T. Kirsher"); or keys of 12+ characters one edit apart ("Yoshfuji Hideaki" ~
 * "Yoshifuji Hideaki").
 */
export function namesMatch(a: string, b: string): boolean {
  return keysMatch(nameKey(a), nameKey(b));
}

export interface NameAt {
  /** The name as written in the text. */
  name: string;
  /** The known name it matched. */
  known: string;
  /** Offsets of `name` in the text. */
  start: number;
  end: number;
}

/** Keys of names looked up again and again while a page is read. */
const keyCache = new Map<string, string>();

function cachedKey(name: string): string {
  let key = keyCache.get(name);
  if (key === undefined) {
    if (keyCache.size > 20_000) keyCache.clear();
    key = nameKey(name);
    keyCache.set(name, key);
  }
  return key;
}

/** Longest name span tried, in words ("Arnaldo Carvalho de Melo" has four). */
const MAX_WORDS = 5;
const NAME_WORD = /^\p{L}[\p{L}\p{M}.'’-]*$/u;

interface Word {
  text: string;
  start: number;
  end: number;
}

function wordsOf(text: string): Word[] {
  return [...text.matchAll(/[^\s]+/g)].map((m) => ({
    text: m[0],
    start: m.index,
    end: m.index + m[0].length,
  }));
}

/**
 * A known name written at the start or the end of `text` ("David Miller Introduction" finds
 * "David S. Miller"), the longest span that matches. Punctuation glued to the outer edge of the
 * span ("Herbert(", "Graf,") is left out of it.
 */
export function findKnownNameAt(
  text: string,
  knownNames: readonly string[],
  where: 'start' | 'end',
): NameAt | null {
  const keys = knownNames.map((n) => ({ name: n, key: cachedKey(n) })).filter((k) => k.key !== '');
  if (keys.length === 0) return null;
  const words = wordsOf(text);
  for (let size = Math.min(MAX_WORDS, words.length); size >= 1; size--) {
    const span = where === 'start' ? words.slice(0, size) : words.slice(words.length - size);
    const first = span[0];
    const last = span[span.length - 1];
    if (!first || !last) continue;
    let start = first.start;
    let end = last.end;
    // Strip punctuation glued to the outer edge of the span.
    const lead = /^[("“'‘]+/.exec(first.text)?.[0].length ?? 0;
    const trail = /[,;:()"”'’]+$|(?<=\p{Ll}{2})\.$/u.exec(last.text)?.[0].length ?? 0;
    start += where === 'end' ? lead : 0;
    end -= trail;
    if (end <= start) continue;
    const candidate = text.slice(start, end);
    const inner = candidate.split(/\s+/);
    if (!inner.every((w) => NAME_WORD.test(w))) continue;
    // One word ("Eric") is a name only when it is all there is: else it starts a longer one.
    if (inner.length === 1 && text.trim() !== candidate) continue;
    if (!/^\p{Lu}/u.test(candidate)) continue;
    const key = nameKey(candidate);
    const hit = keys.find((k) => keysMatch(key, k.key));
    if (hit) return { name: candidate, known: hit.name, start, end };
  }
  return null;
}

/**
 * People's names indexed by their keys (names.ts), so that finding a name among many people is
 * a few map lookups instead of comparing it with every name known. The index answers with the
 * people who may match; whether they do is still the caller's to decide by the rule itself
 * (keysMatch): the index only has to miss nobody.
 */

/** Keys this long or longer match one edit apart (keysMatch). */
const TYPO_KEY_LENGTH = 12;

/**
 * A key and each key one character shorter: two keys one insertion, deletion, substitution or
 * transposition of neighbours apart (editDistance ≤ 1) share at least one of them.
 */
function neighbours(key: string): string[] {
  const out = [key];
  for (let i = 0; i < key.length; i++) out.push(key.slice(0, i) + key.slice(i + 1));
  return out;
}

function addTo<T>(map: Map<string, T[]>, key: string, item: T): void {
  const list = map.get(key);
  if (!list) map.set(key, [item]);
  else if (!list.includes(item)) list.push(item);
}

export class NameIndex<T> {
  /** By the exact key. */
  private byKey = new Map<string, T[]>();
  /** Keys of two words or more, by their last word: the same last name, another first name. */
  private byLast = new Map<string, T[]>();
  /** Long keys, by themselves and each of them one character shorter. */
  private byNeighbour = new Map<string, T[]>();

  /** Records that `item` has a name whose key is `key`. */
  add(item: T, key: string): void {
    addTo(this.byKey, key, item);
    const words = key.split(' ');
    if (words.length >= 2) addTo(this.byLast, words.at(-1)!, item);
    if (key.length >= TYPO_KEY_LENGTH) for (const n of neighbours(key)) addTo(this.byNeighbour, n, item);
  }

  /** The items with a name of exactly this key, in the order they were first given it. */
  withKey(key: string): readonly T[] {
    return this.byKey.get(key) ?? [];
  }

  /**
   * Every item with a name whose key keysMatch may match `key`, and maybe some more (each at
   * most once, in no particular order): by the same key, by the same last word, or one edit
   * apart for long keys.
   */
  near(key: string): Set<T> {
    const out = new Set<T>(this.withKey(key));
    if (key === '') return out;
    const words = key.split(' ');
    if (words.length >= 2) for (const item of this.byLast.get(words.at(-1)!) ?? []) out.add(item);
    if (key.length >= TYPO_KEY_LENGTH) for (const n of neighbours(key)) for (const item of this.byNeighbour.get(n) ?? []) out.add(item);
    return out;
  }
}

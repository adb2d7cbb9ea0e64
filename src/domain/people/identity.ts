/**
 * One person across editions. A Resolver maps a name (and maybe an address) read off a page to
 * a person row, creating one when nobody matches. Matching, in order: the address (compared
 * case-insensitively), then the name and every name already seen for a person (names.ts:
 * middle initials, short first names and one-letter typos on long names are the same person).
 * The person's shown name is the most complete variant seen (the longest): right for a page
 * read, not for a name typed when adding a candidate, which resolveLaterKeepingNames() does not
 * give to a person already known.
 *
 * resolve() writes what it learns at once. Many people at a time are resolved with
 * resolveLater(), which only remembers, then written together by write(): the new people, their
 * names and their addresses in a few multi-row statements, whatever their number.
 */
import slugify from '@sindresorhus/slugify';
import { sql, type Kysely, type Transaction } from 'kysely';
import { statementChunks } from '../../db/chunks.js';
import type { Database } from '../../db/schema.js';
import { NameIndex } from './name-index.js';
import { editDistance, keysMatch, nameKey } from './names.js';

type Tx = Kysely<Database> | Transaction<Database>;

/** The longest slug made of a name's own letters, in UTF-8 bytes: a file name of the static export is at most 255. */
const MAX_OWN_SLUG_BYTES = 120;

/**
 * The slug a new person gets from their name: its Latin transliteration (slugify: "Борис" →
 * boris), as every slug was. A word with no transliteration ("王小明", "김철수", "राम") would be
 * lost, and a name of such words would give nothing (every such person was "person-N"): such a
 * word is kept in its own letters, NFC, lower case, its marks with it (a Devanagari vowel sign
 * is part of the letter), and the slug's words are joined by "-" ("王小明", "김철수 Kim" →
 * 김철수-kim, rather than "kim" and a number). At most 120 bytes of UTF-8, cut between
 * characters. Empty when the name has no letter or digit at all.
 */
export function slugOfName(name: string): string {
  const latin = slugify(name);
  // A name all ASCII transliterates whole: the slug it always had.
  if (/^[\x00-\x7f]*$/.test(name)) return latin;
  const words = name
    .normalize('NFC')
    .split(/\s+/)
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
  const latinWords = words.map((w) => slugify(w));
  if (latin !== '' && latinWords.every((w) => w !== '')) return latin;
  const parts = words.flatMap((w, i) => (latinWords[i] !== '' ? [latinWords[i]!] : ownLetters(w)));
  return cutToBytes(parts.join('-'), MAX_OWN_SLUG_BYTES);
}

/** The runs of letters, marks and digits of a word, lower case, NFC; a mark does not start one. */
function ownLetters(word: string): string[] {
  const runs = word.toLowerCase().normalize('NFC').match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
  return runs.map((r) => r.replace(/^\p{M}+/u, '')).filter((r) => r !== '');
}

/** `slug` cut to at most `max` bytes of UTF-8 between two characters as a reader sees them, never ending in "-". */
function cutToBytes(slug: string, max: number): string {
  if (Buffer.byteLength(slug) <= max) return slug;
  let out = '';
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(slug)) {
    if (Buffer.byteLength(out + segment) > max) break;
    out += segment;
  }
  return out.replace(/-+$/, '');
}

/** People in the order they are looked at (Resolver's Known.order). */
function inOrder<T extends { order: number }>(people: Iterable<T>): T[] {
  return [...people].sort((a, b) => a.order - b.order);
}

/** A name as it is stored: runs of white space made one space, none at the ends. */
function tidyName(name: string): string {
  return name.replace(/\s+/g, ' ').trim();
}

interface Known {
  /** The person's id; below zero for one new to the archive, until written. */
  id: number;
  name: string;
  slug: string;
  /** Every name seen for the person, with its key. */
  names: Map<string, string>;
  /** Their addresses, as first written. */
  addresses: string[];
  /** The person's place in the order people are looked at: the earliest match wins. */
  order: number;
  /** Created by this resolver: their slug may still follow a better spelling. */
  created: boolean;
}

export class Resolver {
  private people: Known[] = [];
  private byId = new Map<number, Known>();
  /** The people by the keys of their names: matching looks at those who may match, not at all. */
  private index = new NameIndex<Known>();
  private byEmail = new Map<string, Known>();
  private slugs = new Set<string>();
  /** Learnt and not yet written: new people, people renamed (written before), names, addresses. */
  private unwritten = Resolver.nothingUnwritten();
  /** The provisional id of the next new person. */
  private nextNew = -1;

  private constructor(private readonly tx: Tx) {}

  private static nothingUnwritten() {
    return { people: [] as Known[], renamed: new Set<Known>(), names: [] as { known: Known; name: string }[], addresses: [] as { known: Known; address: string; isPublic: boolean }[] };
  }

  static async load(tx: Tx): Promise<Resolver> {
    const r = new Resolver(tx);
    const people = await tx.selectFrom('people').select(['id', 'name', 'slug']).orderBy('id').execute();
    const names = await tx.selectFrom('person_names').select(['person_id', 'name']).execute();
    const emails = await tx.selectFrom('person_emails').select(['person_id', 'email']).execute();
    for (const p of people) {
      r.addName(r.add(p.id, p.slug, false), p.name);
      r.slugs.add(p.slug);
    }
    // A slug somebody went by before a merge or a rename leads to them: nobody new gets it.
    for (const o of await tx.selectFrom('person_slugs').select('slug').execute()) r.slugs.add(o.slug);
    for (const n of names) {
      const known = r.byId.get(n.person_id);
      if (known) r.addName(known, n.name);
    }
    for (const e of emails) {
      const known = r.byId.get(e.person_id);
      if (known) r.know(known, e.email);
    }
    return r;
  }

  /** A person with no name yet, last in the order. */
  private add(id: number, slug: string, created: boolean): Known {
    const known: Known = { id, name: '', slug, names: new Map(), addresses: [], order: this.people.length, created };
    this.people.push(known);
    this.byId.set(id, known);
    return known;
  }

  /** Gives `known` the name `name` (their shown one when it is their first). */
  private addName(known: Known, name: string): void {
    if (known.names.has(name)) return;
    if (known.names.size === 0) known.name = name;
    const key = nameKey(name);
    known.names.set(name, key);
    this.index.add(known, key);
  }

  private know(known: Known, address: string): void {
    this.byEmail.set(address.toLowerCase(), known);
    known.addresses.push(address);
  }

  /** The person `name` and `address` would resolve to, without writing anything; undefined when new. */
  find(name: string, address?: string): number | undefined {
    return this.lookup(tidyName(name), address)?.id;
  }

  /**
   * The shown names of people whose name is close to `name` without being theirs: a word of
   * three letters or more in common, or a few letters apart ("Jamal Hadi" → Jamal Hadi Salim);
   * the closest first, at most `max`. For a refusal of a name nobody has, to say whom it may mean.
   */
  closeNames(name: string, max = 3): string[] {
    const key = nameKey(tidyName(name));
    if (key === '') return [];
    const words = new Set(key.split(' ').filter((w) => w.length >= 3));
    const scored: { name: string; score: number }[] = [];
    for (const p of this.people) {
      let score = Number.POSITIVE_INFINITY;
      for (const k of p.names.values()) {
        const apart = editDistance(k, key);
        if (apart <= Math.max(2, Math.floor(key.length / 5))) score = Math.min(score, apart);
        else if (k.split(' ').some((w) => words.has(w))) score = Math.min(score, 100 + apart);
      }
      if (score < Number.POSITIVE_INFINITY) scored.push({ name: p.name, score });
    }
    return [...new Set(scored.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name)).map((s) => s.name))].slice(0, max);
  }

  /** The shown name of a person known (by id). */
  nameOf(id: number): string | undefined {
    return this.byId.get(id)?.name;
  }

  /** The shown name and the slug of a person known (by id), as they will be written. */
  shown(id: number): { name: string; slug: string } | undefined {
    const known = this.byId.get(id);
    return known && { name: known.name, slug: known.slug };
  }

  /** A person known by that address (any case), or undefined. */
  byAddress(address: string): { id: number; name: string; addresses: string[] } | undefined {
    const known = this.byEmail.get(address.toLowerCase());
    return known && this.view(known);
  }

  /**
   * Who `address` would be tied to by `name` alone, without writing anything: the people of that
   * very name (any of the names seen for them) who are known by addresses, none of them
   * `address`. Empty when the address is known, or the name is nobody's with an address.
   */
  namesakes(name: string, address: string): { id: number; name: string; addresses: string[] }[] {
    if (this.byEmail.has(address.toLowerCase())) return [];
    const key = nameKey(tidyName(name));
    return inOrder(this.index.withKey(key))
      .filter((p) => p.addresses.length > 0)
      .map((p) => this.view(p));
  }

  private view(p: Known): { id: number; name: string; addresses: string[] } {
    return { id: p.id, name: p.name, addresses: [...p.addresses] };
  }

  /** Every name known to belong to somebody, for splitting speakers from topics. */
  knownNames(): string[] {
    return this.people.flatMap((p) => [...p.names.keys()]);
  }

  /**
   * The same name, else a close one ("Jeff Kirsher" for "Jeffrey T. Kirsher"). A close name with
   * an address (not known: lookup tried it) is not a person known by other addresses: "Erica
   * Smith <erica@c.example>" is not "Eric Smith <eric@a.example>". Of several, the earliest.
   */
  private match(name: string, address?: string): Known | undefined {
    const key = nameKey(name);
    const exact = inOrder(this.index.withKey(key))[0];
    if (exact) return exact;
    // The index gives those who may be close; the rule itself says who is.
    return inOrder(this.index.near(key)).find((p) => !(address !== undefined && p.addresses.length > 0) && [...p.names.values()].some((k) => keysMatch(k, key)));
  }

  /** By the address first (any case), else by the name and the names seen for a person. */
  private lookup(name: string, address?: string): Known | undefined {
    return (address !== undefined ? this.byEmail.get(address.toLowerCase()) : undefined) ?? this.match(name, address);
  }

  /**
   * The person for `name` (and `email`, if given), created when new. `as` overrides the
   * matching: 'new' creates a person even when the name is somebody's (two people of one name);
   * a person's id gives them the name and the address. Returns the person's id. Writes what it
   * learnt, and anything resolveLater left unwritten.
   */
  async resolve(name: string, email?: { address: string; isPublic: boolean }, as?: 'new' | number): Promise<number> {
    const known = this.learn(name, email, as, 'learn');
    await this.write();
    return known.id;
  }

  /**
   * resolve() without writing: what it learns is written by the next write() (or resolve()).
   * A person new to the archive has a provisional id until then, below zero, which every method
   * takes as theirs; write() says which id it became.
   */
  resolveLater(name: string, email?: { address: string; isPublic: boolean }, as?: 'new' | number): number {
    return this.learn(name, email, as, 'learn').id;
  }

  /**
   * resolveLater() for a person added by hand (a candidate), where the name is what somebody
   * typed, not what a page says: a person known keeps their names (no new one, no longer
   * spelling taking over); only a person new to the archive gets the name given. Their address
   * is learnt as resolveLater() learns it.
   */
  resolveLaterKeepingNames(name: string, email?: { address: string; isPublic: boolean }, as?: 'new' | number): number {
    return this.learn(name, email, as, 'keep').id;
  }

  /** Whether `name` is one of the names of the person `id` (compared as names.ts compares them: by key). */
  isKnownAs(id: number, name: string): boolean {
    const known = this.byId.get(id);
    const key = nameKey(tidyName(name));
    return !!known && [...known.names.values()].includes(key);
  }

  /**
   * What resolve() learns, in memory: the person found or created, their new name and address.
   * `names` 'keep': a person who has a name already is not given the one read (resolveLaterKeepingNames).
   */
  private learn(name: string, email: { address: string; isPublic: boolean } | undefined, as: 'new' | number | undefined, names: 'learn' | 'keep'): Known {
    const clean = tidyName(name);
    let known = as === 'new' ? undefined : as !== undefined ? this.byId.get(as) : this.lookup(clean, email?.address);
    if (as !== undefined && as !== 'new' && !known) throw new Error(`person ${as} is not known`);
    if (!known) {
      known = this.add(this.nextNew--, this.freeSlug(clean), true);
      this.unwritten.people.push(known);
    }
    if (!known.names.has(clean) && (names === 'learn' || known.names.size === 0)) {
      const first = known.names.size === 0;
      this.addName(known, clean);
      this.unwritten.names.push({ known, name: clean });
      if (!first && clean.length > known.name.length) {
        known.name = clean;
        // A person first seen in this same import takes the slug of the better spelling too;
        // an older person keeps theirs, so that links to them stay valid.
        if (known.created) known.slug = this.freeSlug(clean);
        if (known.id > 0) this.unwritten.renamed.add(known);
      }
    }
    if (email && !this.byEmail.has(email.address.toLowerCase())) {
      this.unwritten.addresses.push({ known, address: email.address, isPublic: email.isPublic });
      this.know(known, email.address);
    }
    return known;
  }

  /**
   * Writes what resolveLater learnt, a few statements for any number of people: the new people
   * (with the name and slug they have now), the new names and the new addresses (the first of a
   * person with none is their primary one); the people already written whose shown name
   * changed, one update a chunk of them.
   * Returns the ids the new people got, by their provisional ids.
   */
  async write(): Promise<Map<number, number>> {
    const { people: fresh, renamed, names, addresses } = this.unwritten;
    this.unwritten = Resolver.nothingUnwritten();
    const ids = new Map<number, number>();
    const bySlug = new Map(fresh.map((p) => [p.slug, p]));
    for (const chunk of statementChunks(fresh.map((p) => ({ slug: p.slug, name: p.name, name_key: nameKey(p.name) })))) {
      // Matched by slug (each its own), not by the order the rows come back in.
      for (const row of await this.tx.insertInto('people').values(chunk).returning(['id', 'slug']).execute()) {
        const known = bySlug.get(row.slug)!;
        ids.set(known.id, row.id);
        this.byId.delete(known.id);
        known.id = row.id;
        this.byId.set(row.id, known);
      }
    }
    // One statement a chunk, however many are renamed: `update … from (values …)`. A slug null
    // keeps the person's own (one written before this import keeps theirs: links stay valid).
    const renameRows = [...renamed].map((known) => ({ id: known.id, name: known.name, name_key: nameKey(known.name), slug: known.created ? known.slug : null }));
    for (const chunk of statementChunks(renameRows)) {
      // The id is cast: a parameter in VALUES is text unless said otherwise.
      const rows = sql.join(chunk.map((r) => sql`(${r.id}::integer, ${r.name}, ${r.name_key}, ${r.slug})`));
      await this.tx
        .updateTable('people')
        .from(sql<{ id: number; name: string; name_key: string; slug: string | null }>`(values ${rows})`.as(sql`renamed(id, name, name_key, slug)`))
        .set((eb) => ({ name: eb.ref('renamed.name'), name_key: eb.ref('renamed.name_key'), slug: eb.fn.coalesce('renamed.slug', 'people.slug') }))
        .whereRef('people.id', '=', 'renamed.id')
        .execute();
    }
    const nameRows = names.map(({ known, name }) => ({ person_id: known.id, name }));
    for (const chunk of statementChunks(nameRows)) {
      await this.tx
        .insertInto('person_names')
        .values(chunk)
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    // Primary: a person's first address, when none of theirs was known (load read them all).
    const addressRows = addresses.map((a) => ({ person_id: a.known.id, email: a.address, is_public: a.isPublic, is_primary: a.known.addresses[0] === a.address }));
    for (const chunk of statementChunks(addressRows)) await this.tx.insertInto('person_emails').values(chunk).execute();
    return ids;
  }

  private freeSlug(name: string): string {
    const base = slugOfName(name) || 'person';
    let slug = base;
    for (let i = 2; this.slugs.has(slug); i++) slug = `${base}-${i}`;
    this.slugs.add(slug);
    return slug;
  }
}

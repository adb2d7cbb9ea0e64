/**
 * One person across editions. A Resolver maps a name (and maybe an address) read off a page to
 * a person row, creating one when nobody matches. Matching, in order: the address (compared
 * case-insensitively), then the name and every name already seen for a person (names.ts:
 * middle initials, short first names and one-letter typos on long names are the same person).
 * The person's shown name is the most complete variant seen (the longest).
 */
import slugify from '@sindresorhus/slugify';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { NameIndex } from './name-index.js';
import { keysMatch, nameKey } from './names.js';

type Tx = Kysely<Database> | Transaction<Database>;

/** People in the order they are looked at (Resolver's Known.order). */
function inOrder<T extends { order: number }>(people: Iterable<T>): T[] {
  return [...people].sort((a, b) => a.order - b.order);
}

/** A name as it is stored: runs of white space made one space, none at the ends. */
function tidyName(name: string): string {
  return name.replace(/\s+/g, ' ').trim();
}

interface Known {
  id: number;
  name: string;
  /** Every name seen for the person, with its key. */
  names: Map<string, string>;
  /** The person's place in the order people are looked at: the earliest match wins. */
  order: number;
}

export class Resolver {
  private people: Known[] = [];
  private byId = new Map<number, Known>();
  /** The people by the keys of their names: matching looks at those who may match, not at all. */
  private index = new NameIndex<Known>();
  private byEmail = new Map<string, number>();
  /** Each person's addresses, as first written: the people known by at least one address. */
  private addresses = new Map<number, string[]>();
  private slugs = new Set<string>();
  /** People created by this resolver: their slug may still follow a better spelling. */
  private created = new Set<number>();

  private constructor(private readonly tx: Tx) {}

  static async load(tx: Tx): Promise<Resolver> {
    const r = new Resolver(tx);
    const people = await tx.selectFrom('people').select(['id', 'name', 'slug']).orderBy('id').execute();
    const names = await tx.selectFrom('person_names').select(['person_id', 'name']).execute();
    const emails = await tx.selectFrom('person_emails').select(['person_id', 'email']).execute();
    for (const p of people) {
      r.addName(r.add(p.id), p.name);
      r.slugs.add(p.slug);
    }
    for (const n of names) {
      const known = r.byId.get(n.person_id);
      if (known) r.addName(known, n.name);
    }
    for (const e of emails) r.know(e.person_id, e.email);
    return r;
  }

  /** A person with no name yet, last in the order. */
  private add(id: number): Known {
    const known: Known = { id, name: '', names: new Map(), order: this.people.length };
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

  private know(personId: number, address: string): void {
    this.byEmail.set(address.toLowerCase(), personId);
    const list = this.addresses.get(personId);
    if (list) list.push(address);
    else this.addresses.set(personId, [address]);
  }

  /** The person `name` and `address` would resolve to, without writing anything; undefined when new. */
  find(name: string, address?: string): number | undefined {
    return this.lookup(tidyName(name), address)?.id;
  }

  /** The shown name of a person known (by id). */
  nameOf(id: number): string | undefined {
    return this.byId.get(id)?.name;
  }

  /** A person known by that address (any case), or undefined. */
  byAddress(address: string): { id: number; name: string; addresses: string[] } | undefined {
    const id = this.byEmail.get(address.toLowerCase());
    const known = id === undefined ? undefined : this.byId.get(id);
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
      .filter((p) => this.addresses.has(p.id))
      .map((p) => this.view(p));
  }

  private view(p: Known): { id: number; name: string; addresses: string[] } {
    return { id: p.id, name: p.name, addresses: [...(this.addresses.get(p.id) ?? [])] };
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
    return inOrder(this.index.near(key)).find(
      (p) => !(address !== undefined && this.addresses.has(p.id)) && [...p.names.values()].some((k) => keysMatch(k, key)),
    );
  }

  /** By the address first (any case), else by the name and the names seen for a person. */
  private lookup(name: string, address?: string): Known | undefined {
    if (address !== undefined) {
      const id = this.byEmail.get(address.toLowerCase());
      const known = id === undefined ? undefined : this.byId.get(id);
      if (known) return known;
    }
    return this.match(name, address);
  }

  /**
   * The person for `name` (and `email`, if given), created when new. `as` overrides the
   * matching: 'new' creates a person even when the name is somebody's (two people of one name);
   * a person's id gives them the name and the address. Returns the person's id.
   */
  async resolve(name: string, email?: { address: string; isPublic: boolean }, as?: 'new' | number): Promise<number> {
    const clean = tidyName(name);
    let known = as === 'new' ? undefined : as !== undefined ? this.byId.get(as) : this.lookup(clean, email?.address);
    if (as !== undefined && as !== 'new' && !known) throw new Error(`person ${as} is not known`);
    if (!known) {
      const slug = this.freeSlug(clean);
      const row = await this.tx
        .insertInto('people')
        .values({ slug, name: clean, name_key: nameKey(clean) })
        .returning('id')
        .executeTakeFirstOrThrow();
      known = this.add(row.id);
      this.created.add(row.id);
    }
    if (!known.names.has(clean)) {
      this.addName(known, clean);
      await this.tx
        .insertInto('person_names')
        .values({ person_id: known.id, name: clean })
        .onConflict((oc) => oc.doNothing())
        .execute();
      if (clean.length > known.name.length) {
        known.name = clean;
        // A person first seen in this same import takes the slug of the better spelling too;
        // an older person keeps theirs, so that links to them stay valid.
        const slug = this.created.has(known.id) ? this.freeSlug(clean) : undefined;
        await this.tx
          .updateTable('people')
          .set({ name: clean, name_key: nameKey(clean), ...(slug ? { slug } : {}) })
          .where('id', '=', known.id)
          .execute();
      }
    }
    if (email && !this.byEmail.has(email.address.toLowerCase())) {
      const hasPrimary = await this.tx
        .selectFrom('person_emails')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('person_id', '=', known.id)
        .executeTakeFirstOrThrow();
      await this.tx
        .insertInto('person_emails')
        .values({ person_id: known.id, email: email.address, is_public: email.isPublic, is_primary: hasPrimary.n === 0 })
        .execute();
      this.know(known.id, email.address);
    }
    return known.id;
  }

  private freeSlug(name: string): string {
    const base = slugify(name) || 'person';
    let slug = base;
    for (let i = 2; this.slugs.has(slug); i++) slug = `${base}-${i}`;
    this.slugs.add(slug);
    return slug;
  }
}

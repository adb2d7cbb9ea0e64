/**
 * The Resolver's matching of a name (and maybe an address) to a person known: the rules it
 * keeps however it finds the people who may match (an index, not a scan). The same key before a
 * close one; of several, the earliest person; a close name of a person known by other addresses
 * is not them; names given while it runs count at once.
 */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import type { Database } from '../../src/db/schema.js';
import { Resolver } from '../../src/domain/people/identity.js';
import { nameKey } from '../../src/domain/people/names.js';
import { testDatabases } from '../support/db.js';

/** A person written as the archive holds one: a shown name, other names seen, addresses. */
async function person(db: Kysely<Database>, name: string, more: { aliases?: string[]; emails?: string[] } = {}): Promise<number> {
  const slug = `${nameKey(name).replace(/ /g, '-')}-${Math.random().toString(36).slice(2, 8)}`;
  const { id } = await db.insertInto('people').values({ slug, name, name_key: nameKey(name) }).returning('id').executeTakeFirstOrThrow();
  for (const alias of more.aliases ?? []) await db.insertInto('person_names').values({ person_id: id, name: alias }).execute();
  for (const [i, email] of (more.emails ?? []).entries()) {
    await db.insertInto('person_emails').values({ person_id: id, email, is_public: false, is_primary: i === 0 }).execute();
  }
  return id;
}

describe.each(testDatabases())('resolving people on $name', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => handle?.close());

  it('takes the person of the same name before a close one, and of several the earliest', async () => {
    const jeff = await person(handle.db, 'Jeff Kirsher');
    const jeffrey = await person(handle.db, 'Jeffrey Kirsher');
    await person(handle.db, 'Jeffrey T. Kirsher');
    // Known as another name first, this name later: the earliest with the name is still them.
    const hannes = await person(handle.db, 'Hannes Sowa', { aliases: ['Hannes Frederic Sowa'] });
    await person(handle.db, 'Hannes F. Sowa');
    const r = await Resolver.load(handle.db);
    expect(r.find('Jeffrey  Kirsher')).toBe(jeffrey);
    expect(r.find('Jeffrey T Kirsher')).toBe(jeffrey);
    // No one of that very name: the earliest close one.
    expect(r.find('J. Kirsher')).toBe(jeff);
    expect(r.find('Jeffre Kirsher')).toBe(jeff);
    expect(r.find('Hannes Frederic Sowa')).toBe(hannes);
    expect(r.find('Hannes  Frederic  Sowa')).toBe(hannes);
    expect(r.nameOf(hannes)).toBe('Hannes Sowa');
  });

  it('takes a long name one letter off, wherever the letter is, and not a short one or two letters off', async () => {
    const hideaki = await person(handle.db, 'Hideaki Yoshifuji');
    const stephen = await person(handle.db, 'Stephen Hemminger');
    const jesper = await person(handle.db, 'Jesper Brouer');
    await person(handle.db, 'Eric Smith');
    const r = await Resolver.load(handle.db);
    // A letter left out, two swapped, one changed, one more: in the last word too.
    expect(r.find('Hideaki Yoshfuji')).toBe(hideaki);
    expect(r.find('Hideaik Yoshifuji')).toBe(hideaki);
    expect(r.find('Hideaki Yoshifuij')).toBe(hideaki);
    expect(r.find('Hideaki Yoshifuzi')).toBe(hideaki);
    expect(r.find('Hideaki Yoshiifuji')).toBe(hideaki);
    expect(r.find('Stephen Hemmigner')).toBe(stephen);
    expect(r.find('Jesper Bruer')).toBe(jesper);
    // Under twelve letters a name one letter off is somebody else; two letters off, always.
    expect(r.find('Eric Smyth')).toBeUndefined();
    expect(r.find('Hidaeki Yoshfuji')).toBeUndefined();
    expect(r.find('Stephen Hemmignr')).toBeUndefined();
  });

  it('passes over a close name known by other addresses, not the same name', async () => {
    const kathrin = await person(handle.db, 'Kathrin Lund', { emails: ['kathrin@a.example'] });
    const kathrine = await person(handle.db, 'Kathrine Lund');
    const r = await Resolver.load(handle.db);
    expect(r.find('Kath Lund')).toBe(kathrin);
    expect(r.find('Kath Lund', 'kl@b.example')).toBe(kathrine);
    expect(r.find('Kathrin Lund', 'kl@b.example')).toBe(kathrin);
    // The address first, in any case, whatever the name.
    expect(r.find('Somebody Else', 'KATHRIN@A.example')).toBe(kathrin);
    expect(r.namesakes('Kathrin  Lund', 'kl@b.example')).toEqual([{ id: kathrin, name: 'Kathrin Lund', addresses: ['kathrin@a.example'] }]);
    expect(r.namesakes('Kathrine Lund', 'kl@b.example')).toEqual([]);
    expect(r.namesakes('Kathrin Lund', 'Kathrin@a.example')).toEqual([]);
  });

  it('names the namesakes known by addresses in the order they were first known, by any of their names', async () => {
    const first = await person(handle.db, 'Dora Vale', { emails: ['dora@one.example'] });
    await person(handle.db, 'Dora Vale');
    const second = await person(handle.db, 'D. Vale', { aliases: ['Dora Vale'], emails: ['dv@two.example', 'dv@three.example'] });
    const r = await Resolver.load(handle.db);
    expect(r.namesakes('Dora Vale', 'dora@four.example')).toEqual([
      { id: first, name: 'Dora Vale', addresses: ['dora@one.example'] },
      { id: second, name: 'D. Vale', addresses: ['dv@two.example', 'dv@three.example'] },
    ]);
  });

  it('matches the names a person is given while it runs, and people it creates', async () => {
    const alex = await person(handle.db, 'Alex Duyck', { emails: ['alex@duyck.example'] });
    await handle.db.transaction().execute(async (trx) => {
      const r = await Resolver.load(trx);
      expect(r.find('Alexander Duyck')).toBe(alex);
      expect(await r.resolve('Alexander H. Duyck')).toBe(alex);
      expect(r.nameOf(alex)).toBe('Alexander H. Duyck');
      // The same name now: theirs even with an address nobody has.
      expect(r.find('Alexander Duyck', 'ad@other.example')).toBe(alex);
      expect(r.namesakes('Alexander Duyck', 'ad@other.example').map((p) => p.id)).toEqual([alex]);
      const tariq = await r.resolve('Tariq Toukanikanian', { address: 'tariq@t.example', isPublic: false });
      expect(r.find('Tariq Toukanikanain')).toBe(tariq);
      expect(r.find('T. Toukanikanian')).toBe(tariq);
      expect(r.find('Tariq Toukanikanian', 'tt@other.example')).toBe(tariq);
      expect(r.find('Tariq Toukanikanain', 'tt@other.example')).toBeUndefined();
    });
    const again = await Resolver.load(handle.db);
    expect(again.find('Alexander Duyck', 'ad@other.example')).toBe(alex);
    expect(again.nameOf(alex)).toBe('Alexander H. Duyck');
  });
});

/**
 * `conclave people`: list, show, merge (a dry run writing nothing, a clash refused with exit 1)
 * and rename, as the committee types them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../support/cli-in-process.js';
import { freshDataDir } from '../support/db.js';

interface Listed {
  slug: string;
  name: string;
  otherNames: string[];
  editions: { edition: string; parts: string[] }[];
}

describe('conclave people', () => {
  const env = { CONCLAVE_DATA: freshDataDir('conclave-people-') };
  const conclave = (...args: string[]) => runInProcess(args, env);
  const ok = async (...args: string[]) => {
    const r = await conclave(...args);
    expect([r.code, r.err], args.join(' ')).toEqual([0, []]);
    return r.out.join('\n');
  };
  const listed = async () => JSON.parse(await ok('people', 'list', '--json')) as Listed[];

  beforeAll(async () => {
    await ok('edition', 'create', '2027', '--series', 'Netconf', '--start', '2027-07-14', '--answer-by', '2027-06-01');
    await ok('edition', 'create', '2028', '--start', '2028-07-14', '--answer-by', '2028-06-01');
  });

  it('merges two records after a dry run that writes nothing, and renames', async () => {
    await ok('invite', 'add', '2027', 'ada@one.example', '--name', 'Ada Lovelace');
    await ok('invite', 'add', '2028', 'augusta@two.example', '--name', 'Augusta Ada King');
    const before = await listed();
    const ada = before.find((p) => p.name === 'Ada Lovelace')!;
    const augusta = before.find((p) => p.name === 'Augusta Ada King')!;
    expect(ada.editions.map((e) => e.edition)).toEqual(['Netconf 2027']);
    expect(await ok('people', 'list')).toMatch(/^SLUG +NAME +OTHER NAMES +EDITIONS\n/);

    const dry = await ok('people', 'merge', ada.slug, augusta.slug, '--dry-run');
    expect(dry).toContain(`would merge Ada Lovelace (${ada.slug}) into Augusta Ada King (${augusta.slug})`);
    expect(dry).toMatch(/invitations: 1 to move: Netconf 2027 \(#\d+, candidate\)/);
    expect(await listed()).toEqual(before);

    const done = await ok('people', 'merge', ada.slug, augusta.slug);
    expect(done).toContain('merged Ada Lovelace');
    const after = await listed();
    expect(after.map((p) => p.slug)).not.toContain(ada.slug);
    const kept = JSON.parse(await ok('people', 'show', augusta.slug, '--json')) as Listed & { oldSlugs: string[]; addresses: string[] };
    expect(kept.editions.map((e) => e.edition)).toEqual(['Netconf 2027', 'Netconf 2028']);
    expect(kept.otherNames).toEqual(['Ada Lovelace']);
    expect(kept.oldSlugs).toEqual([ada.slug]);
    expect(kept.addresses.sort()).toEqual(['ada@one.example', 'augusta@two.example']);
    // Run again, the merge says it is done, as the people page does, writing nothing.
    const again = await conclave('people', 'merge', ada.slug, augusta.slug);
    expect([again.code, again.err]).toEqual([1, [`conclave: ${ada.slug} is merged into Augusta Ada King (${augusta.slug}) already: there is nothing left to merge, and /people/${ada.slug}/ leads to them.`]]);
    const gone = await conclave('people', 'show', ada.slug);
    expect([gone.code, gone.err]).toEqual([1, [`conclave: nobody is known as ${ada.slug} (conclave people list)`]]);

    expect(await ok('people', 'rename', augusta.slug, 'Ada King')).toBe(`renamed Augusta Ada King (${augusta.slug}) to Ada King (ada-king)`);
    expect(await ok('people', 'show', 'ada-king')).toContain(`old slugs (leading here): ${ada.slug}, ${augusta.slug}`);
    const audit = await ok('audit', '--json');
    expect(audit).toContain('person.merge');
    expect(audit).toContain('person.rename');
  });

  it('refuses a merge that clashes, with exit 1, on a dry run too, writing nothing', async () => {
    await ok('invite', 'add', '2027', 'grace@one.example', '--name', 'Grace Hopper');
    await ok('invite', 'add', '2027', 'gbm@two.example', '--name', 'Grace Brewster Murray');
    const before = await listed();
    const [from, into] = ['Grace Hopper', 'Grace Brewster Murray'].map((n) => before.find((p) => p.name === n)!.slug);
    for (const args of [['--dry-run'], []]) {
      const r = await conclave('people', 'merge', from!, into!, ...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err.join('\n')).toMatch(new RegExp(`^conclave: cannot merge ${from} into ${into}: Netconf 2027: both have an invitation, #\\d+ \\(candidate, ${from}\\) and #\\d+ \\(candidate, ${into}\\)`));
      expect(await listed()).toEqual(before);
    }
  });

  it('takes a slug in the letters of a name with no Latin transliteration, as typed', async () => {
    await ok('invite', 'add', '2027', 'wang@one.example', '--name', '王小明');
    await ok('invite', 'add', '2028', 'xiaoming@two.example', '--name', '王 小明');
    const slugs = (await listed()).filter((p) => p.name.startsWith('王')).map((p) => p.slug);
    expect(slugs.sort()).toEqual(['王-小明', '王小明']);
    expect(await ok('people', 'show', '王小明')).toMatch(/^王小明 \(王小明\)\n/);
    const done = await ok('people', 'merge', '王-小明', '王小明');
    expect(done).toContain('merged 王 小明 (王-小明) into 王小明 (王小明)');
    const kept = JSON.parse(await ok('people', 'show', '王小明', '--json')) as { oldSlugs: string[]; addresses: string[] };
    expect([kept.oldSlugs, kept.addresses.sort()]).toEqual([['王-小明'], ['wang@one.example', 'xiaoming@two.example']]);
    // Asked again, the old slug's address as a link writes it.
    const again = await conclave('people', 'merge', '王-小明', '王小明');
    expect(again.err.join('\n')).toContain(`and /people/${encodeURIComponent('王-小明')}/ leads to them.`);
  });

  it('says bad usage with exit 2, and a person nobody is with exit 1', async () => {
    expect((await conclave('people', 'merge', 'only-one')).code).toBe(2);
    expect((await conclave('people', 'rename', 'nobody-here', 'Some Name')).code).toBe(1);
    const same = await conclave('people', 'merge', 'x', 'x');
    expect([same.code, same.err]).toEqual([1, ['conclave: into: is the same person as from (x): name two records']]);
  });
});

/**
 * Migration 027: name keys stored by the rule that folded every combining mark are made again,
 * so that a lookup by the stored key (a topic proposed by mail, by its presenter's name) finds
 * a person whose name has marks that are letters of its script; the others stay as they were.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { rewrite, up } from '../../src/db/migrations/027-name-keys.js';
import { rowRewrites } from '../../src/db/migrate.js';
import { nameKey } from '../../src/domain/people/names.js';
import { testDatabases } from '../support/db.js';

describe.each(testDatabases())('migration 027 on $name', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('makes every stored name key again by the current rule', async () => {
    // As the old rule stored them: every mark folded away.
    const people = [
      { slug: 'kana-2100', name: '山田 がく', name_key: '山田 かく' },
      { slug: 'cyrillic-2100', name: 'Иван Йов', name_key: 'иван иов' },
      { slug: 'latin-2100', name: 'Michal Kubeček', name_key: 'michal kubecek' },
    ];
    await handle.db.insertInto('people').values(people).execute();
    await up(handle.db);
    const keys = await handle.db.selectFrom('people').select(['slug', 'name_key']).where('slug', 'in', people.map((p) => p.slug)).orderBy('slug').execute();
    expect(keys).toEqual([
      { slug: 'cyrillic-2100', name_key: 'иван йов' },
      { slug: 'kana-2100', name_key: '山田 がく' },
      { slug: 'latin-2100', name_key: 'michal kubecek' },
    ]);
    for (const p of people) expect(keys.find((k) => k.slug === p.slug)!.name_key).toBe(nameKey(p.name));
    // Again, as after a restore of a backup made before it: nothing changes.
    await rewrite(handle.db);
    expect(await handle.db.selectFrom('people').select(['slug', 'name_key']).where('slug', 'in', people.map((p) => p.slug)).orderBy('slug').execute()).toEqual(keys);
    expect(rowRewrites().map((r) => r.name)).toContain('027-name-keys');
  });
});

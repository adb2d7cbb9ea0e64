/**
 * The list of editions: which is next, which are still to come, and the status as lists show it
 * (the archive's badges, the admin's table and `conclave edition list` all read statusLabel).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/connect.js';
import { listEditions, statusLabel } from '../src/domain/editions/list-editions.js';
import { ArchivePage } from '../src/web/views/archive.js';
import { testDatabases } from './support/db.js';

describe.each(testDatabases())('the list of editions on $name', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
    const series = await handle.db.insertInto('series').values({ slug: 'listed', name: 'Listed' }).returning('id').executeTakeFirstOrThrow();
    const add = (year: number, status: 'planned' | 'tentative' | 'final', start: string) =>
      handle.db.insertInto('editions').values({ series_id: series.id, year, title: `Listed ${year}`, intro: '[]', sections: '[]', start_date: start, end_date: start, status }).execute();
    await add(2004, 'tentative', '2004-07-14');
    await add(2026, 'final', '2026-12-05');
    await add(2027, 'tentative', '2027-05-10');
    await add(2028, 'tentative', '2028-05-10');
  });
  afterAll(async () => handle?.close());

  it('marks the next edition, those still to come, and says which past ones are over', async () => {
    const list = await listEditions({ db: handle.db }, '2026-12-05');
    const byYear = new Map(list.map((e) => [e.year, e]));
    // On its last day an edition is still on: the next one, not over.
    expect([2004, 2026, 2027, 2028].map((y) => [y, byYear.get(y)!.isNext, byYear.get(y)!.isUpcoming])).toEqual([
      [2004, false, false],
      [2026, true, true],
      [2027, false, true],
      [2028, false, true],
    ]);
    expect([2004, 2026, 2027, 2028].map((y) => statusLabel(byYear.get(y)!))).toEqual(['tentative (over)', 'final (next)', 'tentative', 'tentative']);
    // Every edition to come whose program is tentative says so; the past one does not.
    const page = String(ArchivePage({ editions: list }));
    const badges = [...page.matchAll(/>Listed (\d{4})<\/a>(.*?)<\/h2>/g)].map(([, year, rest]) => [Number(year), /badge tentative/.test(rest!)]);
    expect(badges).toEqual([
      [2028, true],
      [2027, true],
      [2026, false],
      [2004, false],
    ]);
  });
});

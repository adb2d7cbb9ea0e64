/**
 * A person's talks name a slot given a topic by its topic's title, as the agenda does: such a
 * slot has no title of its own, and the person page and person.json showed "(untitled)" and "".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/connect.js';
import { listPeople, loadPerson } from '../src/domain/people/load-person.js';
import { speakerEdition } from './program/materials-samples.js';
import { testDatabases } from './support/db.js';

describe.each(testDatabases())('a topic’s slot on the person page, on $name', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => handle?.close());

  it('is titled by its topic', async () => {
    const s = await speakerEdition(handle.db);
    const day = await handle.db.selectFrom('agenda_days').select('id').where('edition_id', '=', s.editionId).executeTakeFirstOrThrow();
    const slot = await handle.db
      .insertInto('slots')
      .values({ day_id: day.id, start_time: '14:00', end_time: '15:00', kind: 'talk', title: '', topic_id: s.topicId, position: 2 })
      .returning('id')
      .executeTakeFirstOrThrow();
    await handle.db.insertInto('slot_speakers').values({ slot_id: slot.id, person_id: s.ana.personId, name_as_listed: 'Ana', position: 0 }).execute();
    const { slug } = await handle.db.selectFrom('people').select('slug').where('id', '=', s.ana.personId).executeTakeFirstOrThrow();

    const p = await loadPerson({ db: handle.db }, slug, '2027-01-01');
    const year = p.years.find((y) => y.year === s.year)!;
    expect(year.talks.map((t) => [t.start, t.title])).toEqual([
      ['10:00', 'Traffic control'],
      ['14:00', 'XDP offloads'],
    ]);
  });

  it('lists in the people index whoever has a page for a topic alone', async () => {
    // A published edition's accepted topic, by somebody who neither attends nor speaks (an
    // imported topic list names its presenters; a proposer may withdraw after the decision).
    const series = await handle.db.insertInto('series').values({ slug: 'topiconly', name: 'Topic only' }).returning('id').executeTakeFirstOrThrow();
    const e = await handle.db
      .insertInto('editions')
      .values({ series_id: series.id, year: 2102, title: 'Topic only 2102', intro: '[]', sections: '[]', status: 'tentative' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const zoe = await handle.db.insertInto('people').values({ slug: 'zoe-topicova', name: 'Zoë Topicová', name_key: 'zoe topicova' }).returning('id').executeTakeFirstOrThrow();
    const t = await handle.db
      .insertInto('topics')
      .values({ edition_id: e.id, number: 1, title: 'Busy polling', origin: 'proposal', state: 'accepted', proposer_id: zoe.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    await handle.db.insertInto('topic_presenters').values({ topic_id: t.id, person_id: zoe.id, position: 0 }).execute();

    const page = await loadPerson({ db: handle.db }, 'zoe-topicova', '2027-01-01');
    expect(page.years.map((y) => [y.year, y.topics])).toEqual([[2102, ['Busy polling']]]);
    expect((await listPeople({ db: handle.db })).find((p) => p.slug === 'zoe-topicova')).toEqual({ slug: 'zoe-topicova', name: 'Zoë Topicová', editions: 1 });

    // Planned, the topic is not public: no page, and not in the index either.
    await handle.db.updateTable('editions').set({ status: 'planned' }).where('id', '=', e.id).execute();
    await expect(loadPerson({ db: handle.db }, 'zoe-topicova', '2027-01-01')).rejects.toThrow('nobody is known as zoe-topicova');
    expect((await listPeople({ db: handle.db })).some((p) => p.slug === 'zoe-topicova')).toBe(false);
  });
});

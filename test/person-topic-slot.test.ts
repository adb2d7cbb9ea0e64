/**
 * A person's talks name a slot given a topic by its topic's title, as the agenda does: such a
 * slot has no title of its own, and the person page and person.json showed "(untitled)" and "".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/connect.js';
import { loadPerson } from '../src/domain/people/load-person.js';
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
});

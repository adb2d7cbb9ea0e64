/**
 * A slot's guid (the iCalendar UID, the frab guid) and frab numeric id are its own for life:
 * an agenda imported from a page and then edited in conclave (a slot inserted early in a day,
 * one removed, one moved), its schedule then published from conclave, then the page imported
 * again: every slot the edits left alone keeps its UID and id through all of it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { BUNDLED_ARCHIVE_DIR } from '../../src/domain/archive/bundled.js';
import { importPages } from '../../src/domain/archive/import-pages.js';
import { renderIcs } from '../../src/domain/exports/ical.js';
import { hhmm, loadSchedule } from '../../src/domain/exports/schedule.js';
import { uuid5 } from '../../src/domain/exports/uuid.js';
import { addSlot, moveSlot, removeSlot } from '../../src/domain/program/schedule-edit.js';
import { publishSchedule } from '../../src/domain/program/schedule-publish.js';
import { BASE_URL, COMMITTEE, makeDeps } from '../invitations/fixtures.js';
import { testDatabases } from '../support/db.js';

const YEAR = 2100;
const ref = { series: 'netconf', year: YEAR };
// The 2015 page as the edition of 2100: its days stay those of 2015.
const page = {
  file: `archive/netconf/netconf-${YEAR}.txt`,
  content: Buffer.from(fs.readFileSync(path.join(BUNDLED_ARCHIVE_DIR, 'netconf-2015.txt'), 'utf8').replace(/netconf 2015/gi, `Netconf ${YEAR}`), 'utf8'),
};

interface Event {
  id: number;
  guid: string;
  numericId: number;
  key: string;
}

describe.each(testDatabases())('slot guids on $name', ({ open }) => {
  let handle: Db;
  let deps: ReturnType<typeof makeDeps>;
  beforeAll(async () => {
    handle = await open();
    deps = makeDeps(handle.db, '2099-12-01T10:00:00Z');
  });
  afterAll(async () => handle?.close());

  /** Every event of the calendar, by what it is: its date, start and summary. */
  const events = async (): Promise<Event[]> => {
    const s = await loadSchedule({ db: handle.db }, ref.series, ref.year);
    const ics = renderIcs(s, { baseUrl: BASE_URL });
    const rows = await handle.db
      .selectFrom('slots')
      .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
      .innerJoin('editions', 'editions.id', 'agenda_days.edition_id')
      .select(['slots.id', 'agenda_days.date', 'slots.start_time'])
      .where('editions.year', '=', YEAR)
      .execute();
    // Each slot of this page starts at a time of its own.
    const idOf = (date: string, start: number) => rows.find((r) => r.date === date && r.start_time === hhmm(start))!.id;
    const out = s.days.flatMap((d) => d.slots.map((x) => ({ id: idOf(x.date, x.start), guid: x.guid, numericId: x.numericId, key: `${x.date} ${x.start} ${x.summary}` })));
    // What the calendar says is what the schedule says.
    expect([...ics.matchAll(/^UID:(.+)\r$/gm)].map((m) => m[1]).slice(1)).toEqual(out.map((x) => x.guid));
    return out;
  };
  const byKey = (list: Event[]) => new Map(list.map((x) => [x.key, x]));

  it('keeps the UIDs and ids of untouched slots through edits, publication and a re-import', async () => {
    await importPages({ db: handle.db }, [page]);
    const imported = await events();
    expect(new Set(imported.map((x) => x.guid)).size).toBe(imported.length);
    // Named as before they were stored: by date and place on the page.
    expect(imported[0]).toMatchObject({ guid: uuid5(`conclave:slot:netconf/${YEAR}/2015-02-12/0`), numericId: 1001 });
    const first = imported[0]!;
    const removed = imported[3]!;
    const moved = imported[5]!;

    // Inserted early in the first day, one removed, one moved to the next day. The new slot's
    // database id is the number the page's first slot has: it takes another.
    await sql`select setval('slots_id_seq', 1000)`.execute(handle.db);
    const added = await addSlot(deps, COMMITTEE, ref, { date: '2015-02-12', start: '08:30', end: '09:00', kind: 'discussion', title: 'Coffee and welcome' });
    await removeSlot(deps, COMMITTEE, ref, removed.id);
    await moveSlot(deps, COMMITTEE, ref, moved.id, { date: '2015-02-13', start: '18:10' });
    const edited = await events();
    const editedByKey = byKey(edited);
    for (const x of imported) {
      if (x === removed || x === moved) continue;
      expect(editedByKey.get(x.key), x.key).toMatchObject({ guid: x.guid, numericId: x.numericId });
    }
    const movedNow = edited.find((x) => x.id === moved.id)!;
    expect(movedNow).toMatchObject({ guid: moved.guid, numericId: moved.numericId });
    expect(movedNow.key).toMatch(/^2015-02-13 1090 /);
    expect(edited.map((x) => x.guid)).not.toContain(removed.guid);
    const inserted = edited.find((x) => x.id === added.id)!;
    expect(inserted.guid).toBe(uuid5(`conclave:slot:netconf/${YEAR}/${added.id}`));
    expect(added.id).toBe(1001);
    expect(inserted.numericId).toBe(Math.max(...imported.map((x) => x.numericId)) + 1);
    expect(new Set(edited.map((x) => x.guid)).size).toBe(edited.length);
    expect(new Set(edited.map((x) => x.numericId)).size).toBe(edited.length);

    // Published from conclave: nobody's UID changes.
    await publishSchedule(deps, COMMITTEE, ref, { final: true, force: true });
    const published = await events();
    expect(published.map((x) => [x.key, x.guid, x.numericId])).toEqual(edited.map((x) => [x.key, x.guid, x.numericId]));

    // The page again: the schedule is the page's again, and each slot of it has its first UID.
    await importPages({ db: handle.db }, [page], { overwriteSchedule: true });
    const again = await events();
    expect(again.map((x) => [x.key, x.guid, x.numericId])).toEqual(imported.map((x) => [x.key, x.guid, x.numericId]));
    expect(again.map((x) => x.guid)).toContain(first.guid);
  });
});

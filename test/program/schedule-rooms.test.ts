/**
 * Slots without a room on the schedule: a workshop in one room leaves Room empty, and the
 * schedule files put every such slot in one room ("Main room", or the one the talks name). The
 * builder flags two of them at once there, on load, in the edit form's preview and after a move,
 * as the conference apps would show them clashing; an archive's page that lists a break beside a
 * talk stays as quiet as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { bundledPages } from '../../src/domain/archive/bundled.js';
import { importPages } from '../../src/domain/archive/import-pages.js';
import { loadSchedule } from '../../src/domain/program/schedule.js';
import { addSlot, moveSlot, previewConflicts } from '../../src/domain/program/schedule-edit.js';
import { COMMITTEE, makeDeps, makeEdition } from '../invitations/fixtures.js';
import { testDatabases } from '../support/db.js';

describe.each(testDatabases())('slots without a room on $name', ({ open }) => {
  let handle: Db;
  let deps: ReturnType<typeof makeDeps>;
  let ref: { series: string; year: number };

  beforeAll(async () => {
    handle = await open();
    deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db, { time_zone: 'Europe/Lisbon', start_date: '2027-03-22', end_date: '2027-03-25', answer_by: '2027-03-01' });
    const e = await handle.db.selectFrom('editions').select('year').where('id', '=', editionId).executeTakeFirstOrThrow();
    ref = { series: 'invtest', year: e.year };
  });
  afterAll(async () => {
    await handle?.close();
  });

  const roomConflicts = async () => (await loadSchedule(deps, ref)).conflicts.filter((c) => c.rule === 'room-overlap').map((c) => c.message);

  it('flags a break added over a talk, both without a room, as the schedule files put them in one room', async () => {
    const talk = await addSlot(deps, COMMITTEE, ref, { date: '2027-03-24', start: '14:00', lengthMinutes: 30, kind: 'talk', title: 'CLI talk' });
    const pause = await addSlot(deps, COMMITTEE, ref, { date: '2027-03-24', start: '14:15', lengthMinutes: 30, kind: 'break', title: 'Overlapping break' });
    const s = await loadSchedule(deps, ref);
    expect(s.conflicts.filter((c) => c.rule === 'room-overlap').map((c) => c.slotIds)).toEqual([[talk.id, pause.id]]);
    expect(await roomConflicts()).toEqual([
      'Room “Main room” holds two overlapping slots on 2027-03-24: 14:00–14:30 “CLI talk” and 14:15–14:45 “Overlapping break” (a slot without a room is in “Main room”, as the schedule files put it)',
    ]);
  });

  it('previews an edit over lunch as a conflict, and flags a talk moved onto another', async () => {
    await addSlot(deps, COMMITTEE, ref, { date: '2027-03-23', start: '13:00', end: '14:00', kind: 'meal', title: 'Lunch' });
    const preview = await previewConflicts(deps, ref, { slot: { date: '2027-03-23', start: '13:15', end: '13:45', kind: 'talk', title: 'On lunch' } });
    expect(preview.map((c) => c.message)).toEqual([
      'Room “Main room” holds two overlapping slots on 2027-03-23: 13:00–14:00 “Lunch” and 13:15–13:45 “On lunch” (a slot without a room is in “Main room”, as the schedule files put it)',
    ]);
    const a = await addSlot(deps, COMMITTEE, ref, { date: '2027-03-23', start: '11:00', end: '12:00', kind: 'talk', title: 'Eleven' });
    const b = await addSlot(deps, COMMITTEE, ref, { date: '2027-03-23', start: '15:00', end: '16:00', kind: 'talk', title: 'Three' });
    expect((await loadSchedule(deps, ref)).conflicts.filter((c) => c.slotIds.includes(b.id))).toEqual([]);
    await moveSlot(deps, COMMITTEE, ref, b.id, { date: '2027-03-23', start: '11:30' });
    expect((await loadSchedule(deps, ref)).conflicts.filter((c) => c.rule === 'room-overlap' && c.slotIds.includes(b.id)).map((c) => c.slotIds)).toEqual([[a.id, b.id]]);
  });

  it('does not flag a slot in a room of its own beside them, when the talks name more than one', async () => {
    const before = await roomConflicts();
    await addSlot(deps, COMMITTEE, ref, { date: '2027-03-24', start: '14:00', end: '15:00', kind: 'talk', title: 'Salon A', room: 'Salon A' });
    await addSlot(deps, COMMITTEE, ref, { date: '2027-03-24', start: '14:00', end: '15:00', kind: 'talk', title: 'Salon B', room: 'Salon B' });
    expect(await roomConflicts()).toEqual(before);
  });

  it('leaves the archive’s 2011 break beside a talk at 11:00 unflagged', async () => {
    await importPages({ db: handle.db }, bundledPages().filter((p) => p.file.includes('2011')));
    const s = await loadSchedule(deps, { series: 'netconf', year: 2011 });
    const at11 = s.slots.filter((x) => x.date === '2011-06-15' && x.start === '11:00');
    expect(at11.map((x) => [x.kind, x.room, x.effectiveEnd])).toEqual([
      ['break', null, '11:45'],
      ['talk', null, '11:45'],
    ]);
    expect(s.conflicts.filter((c) => c.rule === 'room-overlap')).toEqual([]);
  });
});

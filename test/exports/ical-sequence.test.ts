/**
 * An event's SEQUENCE in schedule.ics only grows for its UID, and grows when the event changes:
 * a calendar importing the file again keeps the copy it holds unless the new one's SEQUENCE is
 * higher. Rendered through the real export, changed as a person would (the builder's writes, an
 * import of the page), rendered again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { BUNDLED_ARCHIVE_DIR } from '../../src/domain/archive/bundled.js';
import { importPages } from '../../src/domain/archive/import-pages.js';
import { renderIcs } from '../../src/domain/exports/ical.js';
import { loadSchedule } from '../../src/domain/exports/schedule.js';
import { addMaterialLink, removeMaterial } from '../../src/domain/program/materials.js';
import { addSlot, moveSlot, removeSlot, setDay, updateSlot } from '../../src/domain/program/schedule-edit.js';
import { publishSchedule } from '../../src/domain/program/schedule-publish.js';
import { updateEdition } from '../../src/domain/editions/edit-edition.js';
import { BASE_URL, COMMITTEE, makeDeps } from '../invitations/fixtures.js';
import { testDatabases } from '../support/db.js';

/** The 2015 page (or `from`'s) as the edition of `year`: its days stay those of the page. */
function page(year: number, from = 2015) {
  return {
    file: `archive/netconf/netconf-${year}.txt`,
    content: Buffer.from(fs.readFileSync(path.join(BUNDLED_ARCHIVE_DIR, `netconf-${from}.txt`), 'utf8').replace(new RegExp(`netconf ${from}`, 'gi'), `Netconf ${year}`), 'utf8'),
  };
}

interface Revision {
  summary: string;
  description: string;
  location: string | null;
  start: string;
  end: string;
  sequence: number;
  modified: number | null;
  stamp: number;
}

describe.each(testDatabases())('iCalendar SEQUENCE on $name', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => handle?.close());

  /** Each event of the edition's calendar by UID, as a calendar program reads it. */
  const calendar = async (year: number): Promise<Map<string, Revision>> => {
    const ics = renderIcs(await loadSchedule({ db: handle.db }, 'netconf', year), { baseUrl: BASE_URL });
    const out = new Map<string, Revision>();
    for (const c of new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent')) {
      const modified = c.getFirstPropertyValue('last-modified') as ICAL.Time | null;
      out.set(String(c.getFirstPropertyValue('uid')), {
        summary: String(c.getFirstPropertyValue('summary')),
        description: String(c.getFirstPropertyValue('description')),
        location: (c.getFirstPropertyValue('location') as string | null) ?? null,
        start: String(c.getFirstPropertyValue('dtstart')),
        end: String(c.getFirstPropertyValue('dtend')),
        sequence: Number(c.getFirstPropertyValue('sequence')),
        modified: modified ? modified.toJSDate().getTime() : null,
        stamp: (c.getFirstPropertyValue('dtstamp') as ICAL.Time).toJSDate().getTime(),
      });
    }
    return out;
  };

  /** No event's SEQUENCE or LAST-MODIFIED went back; DTSTAMP is never before LAST-MODIFIED. */
  const neverBack = (before: Map<string, Revision>, after: Map<string, Revision>) => {
    for (const [uid, now] of after) {
      expect(now.modified ?? -Infinity, now.summary).toBeLessThanOrEqual(now.stamp);
      const was = before.get(uid);
      if (!was) continue;
      expect(now.sequence, now.summary).toBeGreaterThanOrEqual(was.sequence);
      expect(now.modified ?? -Infinity, now.summary).toBeGreaterThanOrEqual(was.modified ?? -Infinity);
    }
  };

  it('raises the SEQUENCE of a slot moved in conclave when the page is imported over it again', async () => {
    const year = 2101;
    const ref = { series: 'netconf', year };
    // Earlier than the database's own clock, which dates the imports.
    const deps = makeDeps(handle.db, '2026-01-01T10:00:00Z');
    await importPages({ db: handle.db }, [page(year)]);
    await publishSchedule(deps, COMMITTEE, ref, { final: true, force: true });
    const published = await calendar(year);
    // A slot's event (the first event is the edition's own), one the page places alone at its time.
    const [uid, talk] = [...published][6]!;
    const slot = await handle.db.selectFrom('slots').select('id').where('guid', '=', uid).executeTakeFirstOrThrow();

    // Moved twice in the builder, after publication: each move is in the changelog.
    await moveSlot(deps, COMMITTEE, ref, slot.id, { date: '2015-02-13', start: '18:10' });
    deps.set('2026-01-02T10:00:00Z');
    await moveSlot(deps, COMMITTEE, ref, slot.id, { date: '2015-02-13', start: '18:40' });
    const moved = await calendar(year);
    expect(moved.get(uid)!.sequence).toBeGreaterThan(talk.sequence);
    expect(moved.get(uid)!.start).not.toBe(talk.start);
    neverBack(published, moved);

    // The page wins again: the slot is back where the page has it, under the same UID.
    await importPages({ db: handle.db }, [page(year)], { overwriteSchedule: true });
    const again = await calendar(year);
    expect(again.get(uid)!.start).toBe(talk.start);
    expect(again.get(uid)!.sequence).toBeGreaterThan(moved.get(uid)!.sequence);
    expect(again.get(uid)!.modified).toBeGreaterThan(moved.get(uid)!.modified!);
    neverBack(moved, again);
  });

  it('raises the SEQUENCE and LAST-MODIFIED of a slot whose materials are added or removed, and of that slot only', async () => {
    const year = 2109;
    const deps = makeDeps(handle.db, '2026-01-01T10:00:00Z');
    await importPages({ db: handle.db }, [page(year)]);
    await publishSchedule(deps, COMMITTEE, { series: 'netconf', year }, { final: true, force: true });
    const published = await calendar(year);
    const [uid, talk] = [...published][6]!;
    const slot = await handle.db.selectFrom('slots').select('id').where('guid', '=', uid).executeTakeFirstOrThrow();
    const editionId = (await handle.db.selectFrom('editions').select('id').where('year', '=', year).executeTakeFirstOrThrow()).id;
    const mdeps = { db: handle.db, filesDir: path.join(os.tmpdir(), 'conclave-ical-sequence-no-files'), maxUploadBytes: 1048576 };

    const m = await addMaterialLink(mdeps, COMMITTEE, { editionId, slotId: slot.id, url: 'https://example.org/late-slides.pdf', label: 'Late slides' });
    const added = await calendar(year);
    expect(added.get(uid)!.description).toContain('Late slides: https://example.org/late-slides.pdf');
    expect(talk.description).not.toContain('Late slides');
    expect(added.get(uid)!.sequence).toBe(talk.sequence + 1);
    expect(added.get(uid)!.modified).toBeGreaterThan(talk.modified ?? -Infinity);
    // The other events say what they said: they keep theirs.
    for (const [other, was] of published) if (other !== uid) expect([other, added.get(other)!.sequence, added.get(other)!.modified]).toEqual([other, was.sequence, was.modified]);
    neverBack(published, added);

    await removeMaterial(mdeps, COMMITTEE, { editionId, id: m.id });
    const removed = await calendar(year);
    expect(removed.get(uid)!.description).not.toContain('Late slides');
    expect(removed.get(uid)!.sequence).toBe(talk.sequence + 2);
    neverBack(added, removed);
  });

  it('raises the SEQUENCE of a slot whose speaker is listed under a new name, and keeps it for a slot saved unchanged', async () => {
    const year = 2110;
    const ref = { series: 'netconf', year };
    const deps = makeDeps(handle.db, '2026-01-01T10:00:00Z');
    await importPages({ db: handle.db }, [page(year)]);
    await publishSchedule(deps, COMMITTEE, ref, { final: true, force: true });
    // A talk with one speaker, at a time of day.
    const slot = await handle.db
      .selectFrom('slots')
      .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
      .innerJoin('editions', 'editions.id', 'agenda_days.edition_id')
      .innerJoin('slot_speakers', 'slot_speakers.slot_id', 'slots.id')
      .innerJoin('people', 'people.id', 'slot_speakers.person_id')
      .select(['slots.id', 'slots.guid', 'agenda_days.date', 'slots.start_time', 'slots.end_time', 'slots.kind', 'slots.title', 'slots.room', 'people.id as personId', 'people.name'])
      .where('editions.year', '=', year)
      .where('slots.start_time', '~', '^[0-9]{2}:[0-9]{2}$')
      .where('slots.kind', '=', 'talk')
      .where((eb) => eb(eb.selectFrom('slot_speakers as s2').select(eb.fn.countAll<number>().as('n')).whereRef('s2.slot_id', '=', 'slots.id'), '=', 1))
      .orderBy('slots.id')
      .executeTakeFirstOrThrow();
    const resave = () =>
      updateSlot(deps, COMMITTEE, ref, slot.id, {
        date: slot.date,
        start: slot.start_time,
        end: slot.end_time ?? undefined,
        kind: slot.kind,
        title: slot.title,
        room: slot.room,
        speakerIds: [slot.personId],
      });
    const published = await calendar(year);
    const seen = published.get(slot.guid!)!;
    expect(seen.description).toContain(`Speakers: ${slot.name}`);

    // Saved as it is: the event says what it said, and keeps its SEQUENCE.
    deps.set('2026-01-02T10:00:00Z');
    await resave();
    const same = await calendar(year);
    expect([same.get(slot.guid!)!.description, same.get(slot.guid!)!.sequence]).toEqual([seen.description, seen.sequence]);

    // The person's name changes (as an import that learns a fuller spelling changes it): the
    // schedule lists them as it did until the slot is written again.
    const renamed = `${slot.name} Fuller`;
    await handle.db.updateTable('people').set({ name: renamed }).where('id', '=', slot.personId).execute();
    expect((await calendar(year)).get(slot.guid!)!.sequence).toBe(seen.sequence);

    // Saved again, the slot lists the new name: a calendar must take the new event.
    deps.set('2026-01-03T10:00:00Z');
    await resave();
    const relisted = await calendar(year);
    const now = relisted.get(slot.guid!)!;
    expect(now.description).toContain(`Speakers: ${renamed}`);
    expect(now.sequence).toBe(seen.sequence + 1);
    expect(now.modified).toBeGreaterThan(seen.modified ?? -Infinity);
    for (const [other, was] of published) if (other !== slot.guid) expect([other, relisted.get(other)!.sequence]).toEqual([other, was.sequence]);
    neverBack(published, relisted);

    // Exported again, nothing changed: the same SEQUENCE.
    expect((await calendar(year)).get(slot.guid!)!.sequence).toBe(now.sequence);
  });

  it('raises the SEQUENCE of every event whose words an edit of the edition changes, and of no other', async () => {
    const year = 2111;
    const ref = { series: 'netconf', year };
    const deps = makeDeps(handle.db, '2026-01-01T10:00:00Z');
    await importPages({ db: handle.db }, [page(year)]);
    await publishSchedule(deps, COMMITTEE, ref, { final: true, force: true });
    const edit = (fields: Record<string, unknown>) => updateEdition(deps, COMMITTEE, { ...ref, fields });
    const sequences = (c: Map<string, Revision>) => new Map([...c].map(([uid, r]) => [uid, r.sequence]));
    const editionUid = (c: Map<string, Revision>) => [...c.keys()][0]!;
    const published = await calendar(year);
    expect(published.size).toBeGreaterThan(2);
    const row = await handle.db.selectFrom('editions').selectAll().where('year', '=', year).executeTakeFirstOrThrow();

    // The form saved as it is, and a field no event shows: every event keeps its SEQUENCE.
    await edit({ title: row.title, subtitle: row.subtitle ?? '', locationText: row.location_text ?? '', cap: row.cap + 5, motto: 'Nothing the calendar shows' });
    const same = await calendar(year);
    expect(sequences(same)).toEqual(sequences(published));

    // A new title: the edition's event is named so, each slot's event says it in its
    // DESCRIPTION. Every event changed, so every SEQUENCE is raised.
    await edit({ title: 'Netconf Retitled' });
    const retitled = await calendar(year);
    expect(retitled.get(editionUid(retitled))!.summary).toBe('Netconf Retitled');
    for (const [uid, now] of retitled) {
      if (uid !== editionUid(retitled)) expect(now.description, now.summary).toContain('Netconf Retitled: ');
      expect([now.summary, now.sequence]).toEqual([now.summary, same.get(uid)!.sequence + 1]);
      expect(now.modified, now.summary).toBeGreaterThan(same.get(uid)!.modified ?? -Infinity);
    }
    neverBack(same, retitled);

    // A new place: the LOCATION of every event.
    await edit({ locationText: 'Elsewhere, Nowhere' });
    const moved = await calendar(year);
    for (const [uid, now] of moved) {
      expect(now.location, now.summary).toContain('Elsewhere, Nowhere');
      expect([now.summary, now.sequence]).toEqual([now.summary, retitled.get(uid)!.sequence + 1]);
    }

    // A new subtitle: the edition's own event's DESCRIPTION, and no slot's.
    await edit({ subtitle: 'A workshop, subtitled anew' });
    const subtitled = await calendar(year);
    for (const [uid, now] of subtitled) {
      const own = uid === editionUid(subtitled);
      expect(now.description.includes('A workshop, subtitled anew'), now.summary).toBe(own);
      expect([now.summary, now.sequence]).toEqual([now.summary, moved.get(uid)!.sequence + (own ? 1 : 0)]);
    }

    // Exported again, nothing changed: the same SEQUENCE.
    expect(sequences(await calendar(year))).toEqual(sequences(subtitled));
  });

  it('raises the SEQUENCE of the slots of an imported schedule, not published from conclave, when the edition’s time zone changes', async () => {
    const year = 2112;
    const ref = { series: 'netconf', year };
    const deps = makeDeps(handle.db, '2026-01-01T10:00:00Z');
    await importPages({ db: handle.db }, [page(year)]);
    const imported = await calendar(year);
    expect(imported.size).toBeGreaterThan(2);
    const zone = (await handle.db.selectFrom('editions').select('time_zone').where('year', '=', year).executeTakeFirstOrThrow()).time_zone;
    await updateEdition(deps, COMMITTEE, { ...ref, fields: { timeZone: zone === 'Asia/Tokyo' ? 'Europe/Berlin' : 'Asia/Tokyo' } });
    const rezoned = await calendar(year);
    for (const [uid, now] of rezoned) {
      expect([now.summary, now.sequence]).toEqual([now.summary, imported.get(uid)!.sequence + 1]);
    }
    neverBack(imported, rezoned);
  });

  it('raises the SEQUENCE of every event once for one edit of a published edition’s title and dates', async () => {
    const year = 2113;
    const ref = { series: 'netconf', year };
    const deps = makeDeps(handle.db, '2026-01-01T10:00:00Z');
    await importPages({ db: handle.db }, [page(year)]);
    await publishSchedule(deps, COMMITTEE, ref, { final: true, force: true });
    const published = await calendar(year);
    expect(published.size).toBeGreaterThan(2);
    const row = await handle.db.selectFrom('editions').select(['start_date', 'end_date']).where('year', '=', year).executeTakeFirstOrThrow();
    // One edit: a new title, and a day more at the end (the changelog says so too).
    const endDate = new Date(Date.parse(`${row.end_date!}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    await updateEdition(deps, COMMITTEE, { ...ref, fields: { title: 'Netconf Longer', endDate } });
    expect(await handle.db.selectFrom('schedule_changes').innerJoin('editions', 'editions.id', 'schedule_changes.edition_id').select('kind').where('year', '=', year).where('kind', '=', 'days').execute()).toHaveLength(1);
    const edited = await calendar(year);
    expect([...edited.values()][0]!.summary).toBe('Netconf Longer');
    for (const [uid, now] of edited) expect([now.summary, now.sequence]).toEqual([now.summary, published.get(uid)!.sequence + 1]);
    neverBack(published, edited);
  });

  it('raises the SEQUENCE of the edition’s own event when the dates of a published edition without slots change', async () => {
    const year = 2114;
    const ref = { series: 'netconf', year };
    const deps = makeDeps(handle.db, '2026-01-01T10:00:00Z');
    await importPages({ db: handle.db }, [page(year)]);
    await publishSchedule(deps, COMMITTEE, ref, { final: true, force: true });
    // Every slot taken off the published schedule: the edition's own event is all there is.
    const slots = await handle.db
      .selectFrom('slots')
      .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
      .innerJoin('editions', 'editions.id', 'agenda_days.edition_id')
      .select('slots.id')
      .where('editions.year', '=', year)
      .execute();
    const editionId = (await handle.db.selectFrom('editions').select('id').where('year', '=', year).executeTakeFirstOrThrow()).id;
    const mdeps = { db: handle.db, filesDir: path.join(os.tmpdir(), 'conclave-ical-sequence-no-files'), maxUploadBytes: 1048576 };
    const materials = await handle.db.selectFrom('materials').select('id').where('edition_id', '=', editionId).where('slot_id', 'is not', null).execute();
    for (const m of materials) await removeMaterial(mdeps, COMMITTEE, { editionId, id: m.id });
    for (const s of slots) await removeSlot(deps, COMMITTEE, ref, s.id);
    const empty = await calendar(year);
    expect(empty.size).toBe(1);
    const [uid, was] = [...empty][0]!;
    const row = await handle.db.selectFrom('editions').select(['start_date', 'end_date']).where('year', '=', year).executeTakeFirstOrThrow();
    const later = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
    await updateEdition(deps, COMMITTEE, { ...ref, fields: { startDate: later(row.start_date!), endDate: later(row.end_date!) } });
    const moved = await calendar(year);
    expect([was.start, moved.get(uid)!.start]).toEqual([row.start_date, later(row.start_date!)]);
    expect(moved.get(uid)!.sequence).toBe(was.sequence + 1);
    expect(moved.get(uid)!.modified).toBeGreaterThan(was.modified ?? -Infinity);
    neverBack(empty, moved);
  });

  it('raises the SEQUENCE of a slot moved in an imported schedule not yet published from conclave', async () => {
    const year = 2102;
    const ref = { series: 'netconf', year };
    const deps = makeDeps(handle.db, '2026-01-01T10:00:00Z');
    await importPages({ db: handle.db }, [page(year)]);
    const imported = await calendar(year);
    const [uid, talk] = [...imported][6]!;
    const slot = await handle.db.selectFrom('slots').select('id').where('guid', '=', uid).executeTakeFirstOrThrow();
    // The page's schedule is public as imported: its events are in the calendar.
    expect((await handle.db.selectFrom('editions').select(['status', 'schedule_published_at']).where('year', '=', year).executeTakeFirstOrThrow()).schedule_published_at).toBeNull();
    expect(imported.size).toBeGreaterThan(2);

    await moveSlot(deps, COMMITTEE, ref, slot.id, { date: '2015-02-13', start: '18:10' });
    const moved = await calendar(year);
    expect(moved.get(uid)!.start).not.toBe(talk.start);
    expect(moved.get(uid)!.sequence).toBeGreaterThan(talk.sequence);
    neverBack(imported, moved);

    // Moved back by a new import of the page: raised again, and nothing went back.
    await importPages({ db: handle.db }, [page(year)], { overwriteSchedule: true });
    const again = await calendar(year);
    expect(again.get(uid)!.start).toBe(talk.start);
    expect(again.get(uid)!.sequence).toBeGreaterThan(moved.get(uid)!.sequence);
    neverBack(moved, again);

    // Moved once more, then published from conclave at last: what came before still counts.
    const rewritten = await handle.db.selectFrom('slots').select('id').where('guid', '=', uid).executeTakeFirstOrThrow();
    await moveSlot(deps, COMMITTEE, ref, rewritten.id, { date: '2015-02-13', start: '18:10' });
    const movedAgain = await calendar(year);
    expect(movedAgain.get(uid)!.sequence).toBeGreaterThan(again.get(uid)!.sequence);
    neverBack(again, movedAgain);
    await publishSchedule(deps, COMMITTEE, ref, { final: true, force: true });
    neverBack(movedAgain, await calendar(year));
  });

  /** The slot of `year`'s edition at `start` of `date`. */
  const slotAt = async (year: number, date: string, start: string) =>
    handle.db
      .selectFrom('slots')
      .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
      .innerJoin('editions', 'editions.id', 'agenda_days.edition_id')
      .select(['slots.id', 'slots.guid'])
      .where('editions.year', '=', year)
      .where('agenda_days.date', '=', date)
      .where('slots.start_time', '=', start)
      .executeTakeFirstOrThrow();

  /**
   * The events whose SEQUENCE rose from `before` to `after`, by summary; each of them must have
   * moved (DTSTART or DTEND), and no event's SEQUENCE went back.
   */
  const raised = (before: Map<string, Revision>, after: Map<string, Revision>): string[] => {
    neverBack(before, after);
    const out: string[] = [];
    for (const [uid, now] of after) {
      const was = before.get(uid);
      if (!was || now.sequence === was.sequence) continue;
      out.push(now.summary);
    }
    return out.sort();
  };

  /** The events that moved (DTSTART or DTEND) from `before` to `after`, by summary. */
  const movedEvents = (before: Map<string, Revision>, after: Map<string, Revision>): string[] =>
    [...after].filter(([uid, now]) => before.has(uid) && (before.get(uid)!.start !== now.start || before.get(uid)!.end !== now.end)).map(([, now]) => now.summary).sort();

  it.each([
    ['published from conclave', true],
    ['imported, not published from conclave', false],
  ])('raises the SEQUENCE of the open-ended slots whose end a change of the day’s hours moves, and only theirs (%s)', async (_, publish) => {
    const year = publish ? 2104 : 2105;
    const ref = { series: 'netconf', year };
    const deps = makeDeps(handle.db, '2026-01-01T10:00:00Z');
    // July 14 and 15 (of the edition's year: the page names no year): each day ends with an
    // open discussion ("3:00pm+", "2:00pm+"); the first runs until the dinner after it, the
    // second until the day's end.
    await importPages({ db: handle.db }, [page(year, 2004)]);
    if (publish) {
      await handle.db.updateTable('editions').set({ status: 'tentative' }).where('year', '=', year).execute();
      await publishSchedule(deps, COMMITTEE, ref, { final: true, force: true });
    }
    const open = await slotAt(year, `${year}-07-15`, '14:00');
    const before = await calendar(year);
    const discussion = before.get(open.guid!)!;
    expect(discussion.end).toMatch(new RegExp(`^${year}-07-15T20:00`));

    await setDay(deps, COMMITTEE, ref, { date: `${year}-07-15`, end: '18:00' });
    const shorter = await calendar(year);
    expect(shorter.get(open.guid!)!.end).toMatch(new RegExp(`^${year}-07-15T18:00`));
    expect(movedEvents(before, shorter)).toEqual([discussion.summary]);
    expect(raised(before, shorter)).toEqual([discussion.summary]);

    // The first day's open discussion ends at the dinner, whatever the day's end: nothing moves.
    await setDay(deps, COMMITTEE, ref, { date: `${year}-07-14`, end: '22:00' });
    const later = await calendar(year);
    expect(movedEvents(shorter, later)).toEqual([]);
    expect(raised(shorter, later)).toEqual([]);
  });

  it('raises the SEQUENCE of a slot that runs until the next one when the next one moves, comes or goes', async () => {
    const year = 2106;
    const ref = { series: 'netconf', year };
    const deps = makeDeps(handle.db, '2026-01-01T10:00:00Z');
    // The page gives start times only: each slot runs until the next, the day's last 30 minutes.
    await importPages({ db: handle.db }, [page(year)]);
    await publishSchedule(deps, COMMITTEE, ref, { final: true, force: true });
    const [fastabend, duyck, mukherjee, dumazet] = await Promise.all([
      slotAt(year, '2015-02-12', '14:00'),
      slotAt(year, '2015-02-12', '14:30'),
      slotAt(year, '2015-02-13', '17:00'),
      slotAt(year, '2015-02-13', '16:30'),
    ]);
    const published = await calendar(year);
    const summary = (s: { guid: string | null }) => published.get(s.guid!)!.summary;

    // The 14:30 slot to the evening of the next day: the slot before it now runs until 15:00, the
    // next day's last one until it starts.
    await moveSlot(deps, COMMITTEE, ref, duyck.id, { date: '2015-02-13', start: '18:10' });
    const moved = await calendar(year);
    expect(moved.get(fastabend.guid!)!.end).toMatch(/^2015-02-12T15:00/);
    expect(moved.get(mukherjee.guid!)!.end).toMatch(/^2015-02-13T18:10/);
    expect(movedEvents(published, moved)).toEqual([summary(fastabend), summary(duyck), summary(mukherjee)].sort());
    expect(raised(published, moved)).toEqual([summary(fastabend), summary(duyck), summary(mukherjee)].sort());

    // Removed: the day's last slot gets its 30 minutes again.
    await removeSlot(deps, COMMITTEE, ref, duyck.id);
    const removed = await calendar(year);
    expect(removed.get(mukherjee.guid!)!.end).toMatch(/^2015-02-13T17:30/);
    expect(raised(moved, removed)).toEqual([summary(mukherjee)]);

    // A slot added at 16:45 ends the 16:30 one there.
    await addSlot(deps, COMMITTEE, ref, { date: '2015-02-13', start: '16:45', kind: 'discussion', title: 'Lightning round' });
    const added = await calendar(year);
    expect(added.get(dumazet.guid!)!.end).toMatch(/^2015-02-13T16:45/);
    expect(raised(removed, added)).toEqual([summary(dumazet)]);
  });

  /**
   * The 2015 page imported as `year`, its schedule published, and its last slot (so that no other
   * slot of its day changes its place on the page) moved three times: 17:00 to 17:30.
   */
  async function lastSlotMovedThrice(year: number) {
    const ref = { series: 'netconf', year };
    const deps = makeDeps(handle.db, '2026-01-01T10:00:00Z');
    await importPages({ db: handle.db }, [page(year)]);
    await publishSchedule(deps, COMMITTEE, ref, { final: true, force: true });
    const last = await slotAt(year, '2015-02-13', '17:00');
    for (const start of ['17:10', '17:20', '17:30']) await moveSlot(deps, COMMITTEE, ref, last.id, { date: '2015-02-13', start });
    return { ref, deps, last };
  }

  it('keeps the SEQUENCE of a slot an import of the page took away and a later one brought back', async () => {
    const year = 2107;
    const { last } = await lastSlotMovedThrice(year);
    const moved = await calendar(year);
    const seen = moved.get(last.guid!)!;
    expect(seen.sequence).toBeGreaterThanOrEqual(3);

    // The page without it, imported over the schedule: the event leaves the calendar.
    const full = page(year);
    const without = { ...full, content: Buffer.from(full.content.toString('utf8').replace(/^.*Shrijeet Mukherjee.*\n/m, ''), 'utf8') };
    expect(without.content.length).toBeLessThan(full.content.length);
    await importPages({ db: handle.db }, [without], { overwriteSchedule: true });
    const gone = await calendar(year);
    expect(gone.has(last.guid!)).toBe(false);
    neverBack(moved, gone);

    // The page with it again: back under its UID, at the page's time, never below what was seen.
    await importPages({ db: handle.db }, [full], { overwriteSchedule: true });
    const back = await calendar(year);
    expect(back.get(last.guid!)!.start).toMatch(/^2015-02-13T17:00/);
    expect(back.get(last.guid!)!.sequence).toBeGreaterThan(seen.sequence);
    neverBack(moved, back);
    neverBack(gone, back);
  });

  it('keeps the SEQUENCE of a slot removed in conclave that an import of the page brings back', async () => {
    const year = 2108;
    const { ref, deps, last } = await lastSlotMovedThrice(year);
    const seen = (await calendar(year)).get(last.guid!)!;
    await removeSlot(deps, COMMITTEE, ref, last.id);
    expect((await calendar(year)).has(last.guid!)).toBe(false);

    await importPages({ db: handle.db }, [page(year)], { overwriteSchedule: true });
    const back = (await calendar(year)).get(last.guid!)!;
    expect(back.start).toMatch(/^2015-02-13T17:00/);
    expect(back.sequence).toBeGreaterThan(seen.sequence);
  });

  it('keeps a planned edition’s slots out of the calendar, so their moves before publication are no one’s news', async () => {
    const year = 2103;
    const ref = { series: 'netconf', year };
    const deps = makeDeps(handle.db, '2026-01-01T10:00:00Z');
    await importPages({ db: handle.db }, [page(year)]);
    // As an edition still to come starts: planned, its schedule in the making.
    await handle.db.updateTable('editions').set({ status: 'planned' }).where('year', '=', year).execute();
    const slot = await handle.db
      .selectFrom('slots')
      .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
      .innerJoin('editions', 'editions.id', 'agenda_days.edition_id')
      .select(['slots.id', 'slots.guid'])
      .where('editions.year', '=', year)
      .orderBy('slots.id')
      .executeTakeFirstOrThrow();
    const planned = await calendar(year);
    // The edition's own event alone.
    expect([...planned.keys()]).toHaveLength(1);
    expect(planned.has(slot.guid!)).toBe(false);
    await moveSlot(deps, COMMITTEE, ref, slot.id, { date: '2015-02-13', start: '18:10' });
    expect([...(await calendar(year)).keys()]).toEqual([...planned.keys()]);

    await publishSchedule(deps, COMMITTEE, ref, { force: true });
    const published = await calendar(year);
    expect(published.get(slot.guid!)!.start).toMatch(/^2015-02-13T18:10/);
    neverBack(planned, published);
  });
});

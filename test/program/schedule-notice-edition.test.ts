/**
 * What a change of the edition's own zone or dates does to its published schedule, its changelog,
 * its calendar and the speakers' notices: it moves the slots whose instants it changes (a zone of
 * other rules) or that it leaves outside the dates or brings back inside them, and only their
 * speakers are told (new dates are in the changelog all the same); a zone of the same rules
 * (Europe/Zagreb for Europe/Ljubljana) moves nothing, nor raises a slot's SEQUENCE; and changes
 * that end where they started are withdrawn from the notices, nobody mailed.
 */
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { scheduleChangeSentence, updateEdition } from '../../src/domain/editions/edit-edition.js';
import { renderIcs } from '../../src/domain/exports/ical.js';
import { loadSchedule } from '../../src/domain/exports/schedule.js';
import { listChanges } from '../../src/domain/program/schedule-changelog.js';
import { addSlot } from '../../src/domain/program/schedule-edit.js';
import { sendNoticesNow } from '../../src/domain/program/schedule-notices.js';
import { publishSchedule } from '../../src/domain/program/schedule-publish.js';
import { BASE_URL, COMMITTEE, editionOfAcceptedGuests, makeDeps } from '../invitations/fixtures.js';
import { testDatabases } from '../support/db.js';

describe.each(testDatabases())('a change of the edition’s zone or dates, on $name', ({ open }) => {
  let handle: Db;
  let deps: ReturnType<typeof makeDeps>;

  beforeAll(async () => {
    handle = await open();
    deps = makeDeps(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
  });

  /**
   * An edition of May 11–12, 2026 in Europe/Zagreb whose final schedule has Guests 1–3 each on a
   * slot of Monday, May 11 and Guest 4 on Tuesday, May 12, 14:30; their publication mail is out.
   */
  async function published() {
    deps.set('2026-03-01T12:00:00Z');
    const { editionId, ref, guests } = await editionOfAcceptedGuests(deps, 4);
    await handle.db.updateTable('editions').set({ start_date: '2026-05-11', end_date: '2026-05-12', time_zone: 'Europe/Zagreb' }).where('id', '=', editionId).execute();
    const slots = [];
    for (const [i, start] of ['09:00', '10:00', '11:00'].entries()) {
      slots.push(await addSlot(deps, COMMITTEE, ref, { date: '2026-05-11', start, end: start.replace(':00', ':30'), kind: 'talk', title: `Talk ${i + 1}`, speakerIds: [guests[i]!.personId] }));
    }
    slots.push(await addSlot(deps, COMMITTEE, ref, { date: '2026-05-12', start: '14:30', end: '15:00', kind: 'talk', title: 'Talk 4', speakerIds: [guests[3]!.personId] }));
    deps.set('2026-04-20T09:00:00Z');
    await publishSchedule(deps, COMMITTEE, ref, { final: true });
    await handle.db.updateTable('outbox').set({ state: 'sent', attempts: 1, sent_at: new Date(), transport: 'mailbox' }).where('edition_id', '=', editionId).execute();
    deps.set('2026-04-21T09:00:00Z');
    /** The notices waiting to be sent: kind, address and subject. */
    const waiting = () =>
      handle.db.selectFrom('outbox').select(['kind', 'to_address', 'subject']).where('edition_id', '=', editionId).where('state', '=', 'queued').orderBy('to_address').execute();
    /** The changelog's entries after the publication, oldest first. */
    const logged = async () => (await listChanges(deps, ref)).filter((c) => c.kind === 'days').reverse().map((c) => c.summary);
    const update = (fields: Record<string, unknown>) => updateEdition(deps, COMMITTEE, { ...ref, fields });
    return { editionId, ref, guests, slots, waiting, logged, update };
  }

  it('tells new dates only to the speakers whose slots they leave outside, and withdraws them when the dates are put back', async () => {
    const { editionId, guests, waiting, logged, update } = await published();
    const later = await update({ startDate: '2026-05-12', endDate: '2026-05-13' });
    expect(later.scheduleChange).toBe("The edition's dates are now May 12–13, 2026 (they were May 11–12, 2026); 3 slots are on a day outside them (2026-05-11).");
    // Guest 4's slot, on May 12, is inside both: nothing changed where they speak.
    expect((await waiting()).map((m) => [m.kind, m.to_address, m.subject])).toEqual(
      guests.slice(0, 3).map((g) => ['schedule-change', g.email, 'Netconf 2026 schedule: new dates']),
    );

    // Back, the zone given again as another name of the same rules: no zone change is said.
    const back = await update({ startDate: '2026-05-11', endDate: '2026-05-12', timeZone: 'Europe/Ljubljana' });
    expect(back.scheduleChange).toBe("The edition's dates are now May 11–12, 2026 (they were May 12–13, 2026).");
    expect(await waiting()).toEqual([]);
    expect(await sendNoticesNow(deps, COMMITTEE, { series: 'invtest', year: later.edition.year })).toBe(0);
    // The changelog keeps both steps, and nobody is left noted as told of them.
    expect(await logged()).toEqual([later.scheduleChange, back.scheduleChange]);
    const notified = await handle.db.selectFrom('schedule_changes').select('notified').where('edition_id', '=', editionId).execute();
    expect(notified.map((r) => r.notified)).toEqual(notified.map(() => []));

    // A day more at the end leaves every slot inside the dates: in the changelog, and nobody told.
    const longer = await update({ endDate: '2026-05-13' });
    expect(longer.scheduleChange).toBe("The edition's dates are now May 11–13, 2026 (they were May 11–12, 2026).");
    // What `edition update` and the edition's form say of it, and of the first change.
    expect(scheduleChangeSentence(longer.scheduleChange!, longer.scheduleChangeSpeakers)).toBe(`${longer.scheduleChange} It is in the changelog; no speaker's slot moves, so nobody is mailed.`);
    expect(scheduleChangeSentence(later.scheduleChange!, later.scheduleChangeSpeakers)).toBe(`${later.scheduleChange} It is in the changelog; the 3 speakers whose slots it moves will be told.`);
    expect(await logged()).toEqual([later.scheduleChange, back.scheduleChange, longer.scheduleChange]);
    expect(await waiting()).toEqual([]);

    // Monday left out, then the dates start earlier than ever: Monday's slots are inside them
    // again, as when the notices were written, so nothing changed where their speakers speak.
    await update({ startDate: '2026-05-12' });
    expect((await waiting()).map((m) => m.to_address)).toEqual(guests.slice(0, 3).map((g) => g.email));
    await update({ startDate: '2026-05-10' });
    expect(await waiting()).toEqual([]);
  });

  it('moves no slot for a zone of the same rules, and withdraws a zone change undone by one', async () => {
    const { editionId, guests, waiting, logged, update, ref } = await published();
    const year = (await handle.db.selectFrom('editions').select('year').where('id', '=', editionId).executeTakeFirstOrThrow()).year;
    /** Each event of the calendar by UID: its start as an instant, and its SEQUENCE. */
    const calendar = async () => {
      const ics = renderIcs(await loadSchedule({ db: handle.db }, ref.series, year), { baseUrl: BASE_URL });
      const events = new Map<string, { summary: string; start: number; sequence: number }>();
      for (const c of new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent')) {
        const start = c.getFirstPropertyValue('dtstart') as ICAL.Time;
        events.set(String(c.getFirstPropertyValue('uid')), { summary: String(c.getFirstPropertyValue('summary')), start: start.toJSDate().getTime(), sequence: Number(c.getFirstPropertyValue('sequence')) });
      }
      return events;
    };
    const talks = (events: Map<string, { summary: string; start: number; sequence: number }>) => [...events.values()].filter((e) => e.summary.startsWith('Talk '));
    const before = await calendar();
    expect(talks(before)).toHaveLength(4);

    const same = await update({ timeZone: 'Europe/Ljubljana' });
    expect(same.scheduleChange).toBeNull();
    expect(same.edition.time_zone).toBe('Europe/Ljubljana');
    expect(await logged()).toEqual([]);
    expect(await waiting()).toEqual([]);
    // Each talk's event is at the same instant, and a calendar is not asked to take it again.
    expect(talks(await calendar())).toEqual(talks(before));

    // A zone of other rules moves every slot: each speaker is told.
    const london = await update({ timeZone: 'Europe/London' });
    expect(london.scheduleChange).toBe("The schedule's times are now in Europe/London (they were in Europe/Ljubljana).");
    expect((await waiting()).map((m) => [m.to_address, m.subject])).toEqual(guests.map((g) => [g.email, 'Netconf 2026 schedule: new time zone']));
    expect(talks(await calendar()).map((e, i) => e.start - talks(before)[i]!.start)).toEqual([3_600_000, 3_600_000, 3_600_000, 3_600_000]);
    // Put back under another name of the first zone's rules: the slots are where they were.
    const back = await update({ timeZone: 'Europe/Zagreb' });
    expect(back.scheduleChange).toBe("The schedule's times are now in Europe/Zagreb (they were in Europe/London).");
    expect(await waiting()).toEqual([]);
    expect(await logged()).toEqual([london.scheduleChange, back.scheduleChange]);
  });
});

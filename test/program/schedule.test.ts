/**
 * The schedule builder's domain: days from the edition's dates, slots with their checks,
 * conflicts on load and in preview, moves that keep a slot's length, publication, and — once
 * published — the public changelog and the speakers' mail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { listAudit } from '../../src/domain/audit/record.js';
import { updateEdition } from '../../src/domain/editions/edit-edition.js';
import { InvalidForm } from '../../src/domain/errors.js';
import { acceptInvitation, withdrawInvitation } from '../../src/domain/invitations/rsvp.js';
import { loadSchedule } from '../../src/domain/program/schedule.js';
import { dayName, labelIsDate, roomText } from '../../src/domain/program/schedule-names.js';
import { addSlot, moveSlot, previewConflicts, removeDay, removeSlot, StaleSlot, setDay, type SlotInput, updateSlot } from '../../src/domain/program/schedule-edit.js';
import { publishSchedule } from '../../src/domain/program/schedule-publish.js';
import { sendNoticesNow, slotsOf } from '../../src/domain/program/schedule-notices.js';
import { listChanges } from '../../src/domain/program/schedule-changelog.js';
import { PublishNeedsZone, PublishRefused, refusalsOf } from '../../src/domain/program/publication.js';
import { COMMITTEE, inviteGuests, makeDeps, makeEdition } from '../invitations/fixtures.js';
import { testDatabases } from '../support/db.js';

describe.each(testDatabases())('schedule builder on $name', ({ open }) => {
  let handle: Db;
  let deps: ReturnType<typeof makeDeps>;
  let ref: { series: string; year: number };
  let editionId: number;
  let guests: { personId: number; email: string; messageId: string | null }[];
  let tokens: string[];
  let topicId: number;

  beforeAll(async () => {
    handle = await open();
    deps = makeDeps(handle.db);
    editionId = await makeEdition(handle.db);
    const e = await handle.db.selectFrom('editions').select('year').where('id', '=', editionId).executeTakeFirstOrThrow();
    ref = { series: 'invtest', year: e.year };
    const sent = await inviteGuests(deps, editionId, 3);
    tokens = sent.map((x) => x.token);
    for (const s of sent.slice(0, 2)) await acceptInvitation(deps, { token: s.token });
    const rows = await handle.db.selectFrom('invitations').select(['person_id', 'email', 'invitation_message_id', 'id']).where('edition_id', '=', editionId).orderBy('id').execute();
    guests = rows.map((r) => ({ personId: r.person_id, email: r.email, messageId: r.invitation_message_id }));
    // An accepted proposal by guest 1, and one still undecided.
    const t = await handle.db
      .insertInto('topics')
      .values({ edition_id: editionId, number: 1, title: 'XDP offloads', origin: 'proposal', state: 'accepted', proposer_id: guests[0]!.personId })
      .returning('id')
      .executeTakeFirstOrThrow();
    topicId = t.id;
    await handle.db.insertInto('topic_presenters').values({ topic_id: topicId, person_id: guests[0]!.personId, position: 0 }).execute();
    await handle.db.insertInto('topics').values({ edition_id: editionId, number: 2, title: 'Undecided', origin: 'proposal', state: 'proposed' }).execute();
  });
  afterAll(async () => {
    await handle?.close();
  });

  const count = async (table: 'slots' | 'schedule_changes' | 'outbox' | 'agenda_days') =>
    Number((await handle.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('has a day for each of the edition’s dates before any slot exists', async () => {
    const s = await loadSchedule(deps, ref);
    expect(s.days.map((d) => [d.date, d.id, d.label, d.start, d.end])).toEqual([
      ['2026-05-11', null, 'Monday, May 11, 2026', '08:00', '20:00'],
      ['2026-05-12', null, 'Tuesday, May 12, 2026', '08:00', '20:00'],
      ['2026-05-13', null, 'Wednesday, May 13, 2026', '08:00', '20:00'],
    ]);
    expect(s.topics.map((t) => t.title)).toEqual(['XDP offloads']);
    expect(s.attendees.map((a) => a.personId).sort()).toEqual([guests[0]!.personId, guests[1]!.personId].sort());
    expect(s.conflicts.map((c) => c.rule)).toEqual(['topic-unscheduled']);
  });

  it('refuses a wrong slot naming every wrong field, and writes nothing', async () => {
    const before = [await count('slots'), await count('agenda_days')];
    await expect(addSlot(deps, COMMITTEE, ref, { date: '2026-05-12', start: '10:00', end: '09:30', kind: 'talk', title: '' })).rejects.toMatchObject({
      fields: { end: 'must be after the start (10:00)', title: 'give a title or choose a topic' },
    });
    const err = await addSlot(deps, COMMITTEE, ref, { date: '2026-02-30', start: '25:00', kind: 'lecture' as never, title: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidForm);
    expect(Object.keys((err as InvalidForm).fields).sort()).toEqual(['date', 'kind', 'start']);
    await expect(addSlot(deps, COMMITTEE, ref, { date: '2026-05-12', start: '10:00', kind: 'talk', title: 'Undecided', topicId: topicId + 1 })).rejects.toThrow(
      /“Undecided” is proposed, not accepted/,
    );
    // A topic's wished length that runs past midnight is refused, not dropped; one that fits is
    // the slot's length.
    await handle.db.updateTable('topics').set({ wished_minutes: 60 }).where('id', '=', topicId).execute();
    await expect(addSlot(deps, COMMITTEE, ref, { date: '2026-05-12', start: '23:30', kind: 'talk', topicId })).rejects.toMatchObject({
      fields: { start: '“XDP offloads” lasts the 60 minutes its proposers wished: starting at 23:30, it would end after midnight; give the slot an end, or start it earlier' },
    });
    expect([await count('slots'), await count('agenda_days')]).toEqual(before);
    const late = await addSlot(deps, COMMITTEE, ref, { date: '2026-05-12', start: '22:30', kind: 'talk', topicId });
    expect([late.start, late.end]).toEqual(['22:30', '23:30']);
    await removeSlot(deps, COMMITTEE, ref, late.id);
    await handle.db.updateTable('topics').set({ wished_minutes: null }).where('id', '=', topicId).execute();
    expect([await count('slots'), await count('agenda_days')]).toEqual(before);
  });

  it('refuses a slot time the edition’s clocks skip or pass twice', async () => {
    const before = [await count('slots'), await count('agenda_days')];
    const zone = await handle.db.selectFrom('editions').select(['time_zone', 'start_date', 'end_date']).where('id', '=', editionId).executeTakeFirstOrThrow();
    // Undated, so that the spring and autumn nights may be days of its schedule.
    await handle.db.updateTable('editions').set({ time_zone: 'Europe/Berlin', start_date: null, end_date: null }).where('id', '=', editionId).execute();
    try {
      await expect(addSlot(deps, COMMITTEE, ref, { date: '2026-03-29', start: '02:30', end: '03:30', kind: 'talk', title: 'Night' })).rejects.toMatchObject({
        field: 'start',
        message: 'start: 02:30 does not happen on Sunday, March 29, 2026 in Europe/Berlin: the clocks go forward from 02:00 to 03:00',
      });
      await expect(addSlot(deps, COMMITTEE, ref, { date: '2026-10-25', start: '01:30', end: '02:15', kind: 'talk', title: 'Night' })).rejects.toMatchObject({
        field: 'end',
        message: 'end: 02:15 happens twice on Sunday, October 25, 2026 in Europe/Berlin: the clocks go back from 03:00 to 02:00; choose a time outside 02:00–03:00',
      });
      // A length is time that passes: 90 minutes from 01:30 on the spring night end at 04:00,
      // 180 from 01:00 on the autumn night at 03:00; the exports' durations agree.
      const spring = await addSlot(deps, COMMITTEE, ref, { date: '2026-03-29', start: '01:30', lengthMinutes: 90, kind: 'talk', title: 'Night' });
      expect([spring.start, spring.end]).toEqual(['01:30', '04:00']);
      const autumn = await addSlot(deps, COMMITTEE, ref, { date: '2026-10-25', start: '01:00', lengthMinutes: 180, kind: 'talk', title: 'Night' });
      expect([autumn.start, autumn.end]).toEqual(['01:00', '03:00']);
      await expect(addSlot(deps, COMMITTEE, ref, { date: '2026-10-25', start: '01:00', lengthMinutes: 120, kind: 'talk', title: 'Night' })).rejects.toMatchObject({
        field: 'lengthMinutes',
        message: 'lengthMinutes: lasting 120 minutes, the slot would end at 02:00, which happens twice on Sunday, October 25, 2026 in Europe/Berlin: the clocks go back from 03:00 to 02:00; choose a start or a length that ends it outside 02:00–03:00',
      });
      // A move keeps the time that passes: the spring slot's 90 minutes from 05:00 end at 06:30,
      // and a May hour moved to 01:30 on the spring night ends at 03:30.
      expect((await moveSlot(deps, COMMITTEE, ref, spring.id, { date: '2026-03-29', start: '05:00' })).end).toBe('06:30');
      const may = await addSlot(deps, COMMITTEE, ref, { date: '2026-05-12', start: '01:00', end: '02:00', kind: 'talk', title: 'Night' });
      expect((await moveSlot(deps, COMMITTEE, ref, may.id, { date: '2026-03-29', start: '01:30' })).end).toBe('03:30');
      await expect(moveSlot(deps, COMMITTEE, ref, may.id, { date: '2026-10-25', start: '01:30' })).rejects.toThrow(
        'start: keeping its length, the slot would end at 02:30, which happens twice on Sunday, October 25, 2026 in Europe/Berlin',
      );
      // Day hours too.
      await expect(setDay(deps, COMMITTEE, ref, { date: '2026-10-25', start: '02:30' })).rejects.toThrow('start: 02:30 happens twice on Sunday, October 25, 2026');
      // Across the change, from a time before it to one after it, is a slot like any other.
      await updateSlot(deps, COMMITTEE, ref, may.id, { date: '2026-03-29', start: '01:30', end: '03:30', kind: 'talk', title: 'Night' });
      for (const x of [spring, autumn, may]) await removeSlot(deps, COMMITTEE, ref, x.id);
    } finally {
      await handle.db.updateTable('editions').set(zone).where('id', '=', editionId).execute();
    }
    expect([await count('slots'), await count('agenda_days')]).toEqual(before);
  });

  it('schedules the topic with its presenters and a length, and finds a speaker in two places', async () => {
    const talk = await addSlot(deps, COMMITTEE, ref, { date: '2026-05-12', start: '13:30', lengthMinutes: 30, kind: 'talk', topicId });
    expect(talk).toMatchObject({ title: 'XDP offloads', start: '13:30', end: '14:00', speakers: [{ id: guests[0]!.personId }] });
    await addSlot(deps, COMMITTEE, ref, { date: '2026-05-12', start: '12:30', end: '13:30', kind: 'meal', title: 'Lunch' });
    const panel = await addSlot(deps, COMMITTEE, ref, {
      date: '2026-05-12',
      start: '13:45',
      end: '14:30',
      kind: 'discussion',
      title: 'Panel',
      speakerIds: [guests[1]!.personId, guests[0]!.personId],
    });
    const s = await loadSchedule(deps, ref);
    expect(s.days[1]!.id).not.toBeNull();
    expect(s.slots.map((x) => [x.label, x.start, x.effectiveEnd, x.position])).toEqual([
      ['Lunch', '12:30', '13:30', 0],
      ['XDP offloads', '13:30', '14:00', 1],
      ['Panel', '13:45', '14:30', 2],
    ]);
    // Neither names a room: both are in the one room the schedule files put them in.
    expect(s.conflicts).toEqual([
      expect.objectContaining({ rule: 'speaker-overlap', slotIds: [talk.id, panel.id], personId: guests[0]!.personId, message: expect.stringContaining('Guest 1 speaks in two overlapping slots') }),
      expect.objectContaining({ rule: 'room-overlap', slotIds: [talk.id, panel.id], message: expect.stringContaining('Room “Main room” holds two overlapping slots') }),
    ]);
    // While editing: moving the panel to 14:00 would clear it; the preview says so, nothing saved.
    expect(await previewConflicts(deps, ref, { slotId: panel.id, slot: { date: '2026-05-12', start: '14:00', end: '14:45', kind: 'discussion', title: 'Panel', speakerIds: [guests[1]!.personId, guests[0]!.personId] } })).toEqual([]);
    expect((await loadSchedule(deps, ref)).conflicts).toHaveLength(2);

    // An accepted topic unscheduled before the edit is not the edit's doing; one it unschedules is.
    await handle.db.updateTable('topics').set({ state: 'accepted' }).where('edition_id', '=', editionId).where('number', '=', 2).execute();
    try {
      const lunch = (await loadSchedule(deps, ref)).slots.find((x) => x.label === 'Lunch')!;
      expect(await previewConflicts(deps, ref, { slotId: lunch.id, slot: { date: '2026-05-12', start: '12:30', end: '13:15', kind: 'meal', title: 'Lunch' } })).toEqual([]);
      const untied = await previewConflicts(deps, ref, { slotId: talk.id, slot: { date: '2026-05-12', start: '13:30', end: '14:00', kind: 'talk', title: 'Something else' } });
      // (The room it shares with the panel is still the slot's, as before the edit.)
      expect(untied.map((c) => [c.rule, c.topicId])).toEqual([['room-overlap', undefined], ['topic-unscheduled', topicId]]);
    } finally {
      await handle.db.updateTable('topics').set({ state: 'proposed' }).where('edition_id', '=', editionId).where('number', '=', 2).execute();
    }
  });

  it('refuses a speaker who is not an accepted attendee, and flags one who withdraws and a slot outside its day', async () => {
    const late: SlotInput = { date: '2026-05-13', start: '19:45', end: '20:30', kind: 'talk', title: 'Late', speakerIds: [guests[2]!.personId] };
    const slots = await count('slots');
    const err = await addSlot(deps, COMMITTEE, ref, late).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidForm);
    expect((err as InvalidForm).fields).toEqual({ speakerIds: expect.stringMatching(/^Guest 3 is not an accepted attendee of .+, nor already on its schedule$/) });
    expect(await count('slots')).toBe(slots);
    expect((await loadSchedule(deps, ref)).speakerChoices.some((c) => c.personId === guests[2]!.personId)).toBe(false);

    await acceptInvitation(deps, { token: tokens[2]! });
    const stranger = await addSlot(deps, COMMITTEE, ref, late);
    expect((await loadSchedule(deps, ref)).conflicts.filter((c) => c.slotIds.includes(stranger.id)).map((c) => c.rule)).toEqual(['outside-day']);
    // Withdrawn, the speaker stays on the slot and choosable for it, flagged as no longer attending.
    await withdrawInvitation(deps, { token: tokens[2]! });
    const after = await loadSchedule(deps, ref);
    expect(after.conflicts.filter((c) => c.slotIds.includes(stranger.id)).map((c) => c.rule)).toEqual(['outside-day', 'not-attendee']);
    expect(after.speakerChoices.find((c) => c.personId === guests[2]!.personId)).toMatchObject({ name: 'Guest 3', notAttendee: true });
    await updateSlot(deps, COMMITTEE, ref, stranger.id, { ...late, title: 'Later' });
    const rules = (await loadSchedule(deps, ref)).conflicts.filter((c) => c.slotIds.includes(stranger.id)).map((c) => c.rule);
    expect(rules).toEqual(['outside-day', 'not-attendee']);
    await setDay(deps, COMMITTEE, ref, { date: '2026-05-13', start: '09:00', end: '21:00' });
    expect((await loadSchedule(deps, ref)).conflicts.filter((c) => c.slotIds.includes(stranger.id)).map((c) => c.rule)).toEqual(['not-attendee']);
    await removeSlot(deps, COMMITTEE, ref, stranger.id);
  });

  it('moves a slot to another day keeping its length, and logs nothing before publication', async () => {
    const s = await loadSchedule(deps, ref);
    const panel = s.slots.find((x) => x.label === 'Panel')!;
    const moved = await moveSlot(deps, COMMITTEE, ref, panel.id, { date: '2026-05-11', start: '09:00' });
    expect([moved.date, moved.start, moved.end]).toEqual(['2026-05-11', '09:00', '09:45']);
    expect((await loadSchedule(deps, ref)).conflicts).toEqual([]);
    expect(await count('schedule_changes')).toBe(0);
    expect(await listChanges(deps, ref)).toEqual([]);
  });

  it('ends a slot at midnight as 24:00, and a move keeps its whole length', async () => {
    const slots = await count('slots');
    // 30 minutes from 23:30 end at midnight: not a minute earlier, here or after a move.
    const late = await addSlot(deps, COMMITTEE, ref, { date: '2026-05-13', start: '23:30', lengthMinutes: 30, kind: 'social', title: 'Last drinks' });
    expect([late.start, late.end]).toEqual(['23:30', '24:00']);
    expect((await loadSchedule(deps, ref)).slots.find((x) => x.id === late.id)?.effectiveEnd).toBe('24:00');
    const moved = await moveSlot(deps, COMMITTEE, ref, late.id, { date: '2026-05-13', start: '10:00' });
    expect([moved.start, moved.end]).toEqual(['10:00', '10:30']);
    expect((await moveSlot(deps, COMMITTEE, ref, late.id, { date: '2026-05-13', start: '23:30' })).end).toBe('24:00');
    // Typed as the end, too; a start at 24:00 is no time of the day.
    const dinner = await addSlot(deps, COMMITTEE, ref, { date: '2026-05-13', start: '20:00', end: '24:00', kind: 'social', title: 'Dinner' });
    expect(dinner.end).toBe('24:00');
    await expect(addSlot(deps, COMMITTEE, ref, { date: '2026-05-13', start: '24:00', end: '24:00', kind: 'social', title: 'x' })).rejects.toMatchObject({
      fields: { start: 'must be a time of day, HH:MM (24-hour)' },
    });
    await expect(addSlot(deps, COMMITTEE, ref, { date: '2026-05-13', start: '23:30', lengthMinutes: 31, kind: 'social', title: 'x' })).rejects.toMatchObject({
      fields: { lengthMinutes: 'the slot would end after midnight' },
    });
    for (const x of [late, dinner]) await removeSlot(deps, COMMITTEE, ref, x.id);
    expect(await count('slots')).toBe(slots);
  });

  it('publishes, refusing while there are conflicts unless forced', async () => {
    const s = await loadSchedule(deps, ref);
    const panel = s.slots.find((x) => x.label === 'Panel')!;
    await moveSlot(deps, COMMITTEE, ref, panel.id, { date: '2026-05-12', start: '13:45' });
    await expect(publishSchedule(deps, COMMITTEE, ref)).rejects.toThrow(/the schedule has 2 conflicts: Guest 1 speaks in two overlapping slots/);
    // Refused for its first reason's class, naming every reason: the missing zone too.
    const refused = await publishSchedule(deps, COMMITTEE, ref).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(PublishRefused);
    expect((refused as Error).message).toMatch(/ — fix them, or publish anyway; and Netconf 2026 has no time zone: /);
    expect(refusalsOf(refused)?.map((r) => r.reason)).toEqual(['conflicts', 'no-time-zone']);
    const status = async () => (await handle.db.selectFrom('editions').select(['status', 'schedule_published_at']).where('id', '=', editionId).executeTakeFirstOrThrow());
    expect((await status()).status).toBe('planned');
    await moveSlot(deps, COMMITTEE, ref, panel.id, { date: '2026-05-11', start: '09:00' });
    deps.set('2026-04-20T09:00:00Z');
    // Without a time zone the times would reach calendars and apps as floating times: refused
    // unless the committee says so.
    await expect(publishSchedule(deps, COMMITTEE, ref)).rejects.toThrow(PublishNeedsZone);
    await expect(publishSchedule(deps, COMMITTEE, ref, { force: true })).rejects.toThrow(
      /^Netconf 2026 has no time zone: its schedule would be published with floating times, which calendars and conference apps show at that hour in whatever zone the reader is in$/,
    );
    expect((await status()).status).toBe('planned');
    expect(await count('schedule_changes')).toBe(0);
    const e = await publishSchedule(deps, COMMITTEE, ref, { floatingTimes: true });
    expect(e.status).toBe('tentative');
    expect((await status()).schedule_published_at?.toISOString()).toBe('2026-04-20T09:00:00.000Z');
    expect((await listChanges(deps, ref)).map((c) => [c.kind, c.summary])).toEqual([['publish', 'The schedule is published (tentative).']]);
    // Each speaker is told where they are, at once, in their invitation's thread.
    const told = await handle.db.selectFrom('outbox').selectAll().where('kind', '=', 'schedule-published').orderBy('to_address').execute();
    expect(told.map((m) => [m.to_address, m.subject, m.in_reply_to, m.next_attempt_at.toISOString()])).toEqual([
      [guests[0]!.email, 'The schedule of Netconf 2026 is published', guests[0]!.messageId, '2026-04-20T09:00:00.000Z'],
      [guests[1]!.email, 'The schedule of Netconf 2026 is published', guests[1]!.messageId, '2026-04-20T09:00:00.000Z'],
    ]);
    expect(told[0]!.body).toContain('is published (tentative).\nYou are on it:\n\n  Monday, May 11, 2026, 09:00–09:45: Panel\n    with Guest 2\n  Tuesday, May 12, 2026, 13:30–14:00: XDP offloads\n\n');
    expect(told[0]!.body).toContain(`https://netconf.example.org/invtest/${ref.year}/#agenda`);
    // And the calendar a speaker's calendar program subscribes to, so changes reach it too.
    expect(told[0]!.body).toContain(`a calendar program to subscribe to, at\n\n  https://netconf.example.org/invtest/${ref.year}/schedule.ics\n`);
    // With a time zone, the mails say whose clock the times are on, as the page does.
    expect(await handle.db.transaction().execute((trx) => slotsOf(trx, { id: editionId, time_zone: 'America/Toronto' }, guests[0]!.personId))).toBe(
      'Monday, May 11, 2026, 09:00–09:45: Panel\n    with Guest 2\n  Tuesday, May 12, 2026, 13:30–14:00: XDP offloads\n  (Times are local to the venue: America/Toronto.)',
    );
    await expect(publishSchedule(deps, COMMITTEE, ref, { floatingTimes: true })).rejects.toThrow(/already tentative/);
  });

  it('after publication, logs each change publicly and mails the speakers it touches, in their thread', async () => {
    const outboxBefore = await count('outbox');
    const talk = (await loadSchedule(deps, ref)).slots.find((x) => x.label === 'XDP offloads')!;
    deps.set('2026-04-21T09:00:00Z');
    await moveSlot(deps, COMMITTEE, ref, talk.id, { date: '2026-05-13', start: '14:00' });
    const changes = await listChanges(deps, ref);
    expect(changes[0]).toMatchObject({ kind: 'move', summary: '“XDP offloads” moved from Tuesday 13:30–14:00 to Wednesday 14:00–14:30', slot_id: talk.id });
    const mail = await handle.db.selectFrom('outbox').selectAll().where('kind', '=', 'schedule-change').execute();
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ to_address: guests[0]!.email, subject: 'Netconf 2026 schedule: XDP offloads (moved)', in_reply_to: guests[0]!.messageId });
    // It waits ten minutes for more changes before it goes.
    expect(mail[0]!.next_attempt_at.toISOString()).toBe('2026-04-21T09:10:00.000Z');
    // Where the speaker is now: each of their slots, the panel too.
    expect(mail[0]!.body).toContain('Where you are on the schedule now:\n\n  Monday, May 11, 2026, 09:00–09:45: Panel\n    with Guest 2\n  Wednesday, May 13, 2026, 14:00–14:30: XDP offloads\n\n');
    expect(mail[0]!.body).toContain(`https://netconf.example.org/invtest/${ref.year}/changes/`);
    expect(await count('outbox')).toBe(outboxBefore + 1);
    deps.set('2026-04-21T09:00:00Z');

    // An edit of speakers tells both the one removed and the one added.
    const panel = (await loadSchedule(deps, ref)).slots.find((x) => x.label === 'Panel')!;
    await updateSlot(deps, COMMITTEE, ref, panel.id, { date: panel.date, start: panel.start, end: panel.end!, kind: 'discussion', title: 'Panel', speakerIds: [guests[1]!.personId], room: 'B' });
    const [edit] = await listChanges(deps, ref);
    expect(edit).toMatchObject({ kind: 'edit', summary: '“Panel” speakers now Guest 2 (were Guest 2, Guest 1); room now “B” (was none)' });
    const notified = await handle.db.selectFrom('schedule_changes').select('notified').where('id', '=', edit!.id).executeTakeFirstOrThrow();
    expect([...notified.notified].sort()).toEqual([guests[0]!.personId, guests[1]!.personId].sort());
    // Guest 1's notice was still waiting: the edit joined it as a second line, and it waits again.
    const notices = await handle.db.selectFrom('outbox').selectAll().where('kind', '=', 'schedule-change').orderBy('id').execute();
    expect(notices.map((m) => [m.to_address, m.subject, m.next_attempt_at.toISOString()])).toEqual([
      [guests[0]!.email, 'Netconf 2026 schedule: 2 changes to your slots', '2026-04-21T09:10:00.000Z'],
      [guests[1]!.email, 'Netconf 2026 schedule: Panel (new speakers, new room)', '2026-04-21T09:10:00.000Z'],
    ]);
    expect(notices[0]!.body).toContain('the schedule of Netconf 2026 has changed where you speak:\n\n  - “XDP offloads” moved');
    // Taken off the panel, Guest 1 is shown only the talk; Guest 2 the panel as it now is.
    expect(notices[0]!.body).toContain('Where you are on the schedule now:\n\n  Wednesday, May 13, 2026, 14:00–14:30: XDP offloads\n\n');
    expect(notices[1]!.body).toContain('Where you are on the schedule now:\n\n  Monday, May 11, 2026, 09:00–09:45: Panel\n    room B\n\n');
    // One item per change; a long one wraps under its own text, at 72 columns.
    expect(notices[0]!.body).toContain('  - “XDP offloads” moved from Tuesday 13:30–14:00 to Wednesday\n    14:00–14:30\n  - “Panel” speakers now Guest 2');
    expect(await count('outbox')).toBe(outboxBefore + 2);
    expect(await sendNoticesNow(deps, COMMITTEE, ref)).toBe(2);
    const due = await handle.db.selectFrom('outbox').select('next_attempt_at').where('kind', '=', 'schedule-change').execute();
    expect(due.map((d) => d.next_attempt_at.toISOString())).toEqual(['2026-04-21T09:00:00.000Z', '2026-04-21T09:00:00.000Z']);
    // Numbered within the edition's changelog, from 1; `since` takes a number.
    const all = await listChanges(deps, ref);
    expect(all.map((c) => c.number)).toEqual(Array.from({ length: all.length }, (_, i) => all.length - i));
    expect((await listChanges(deps, ref, { since: all.length - 1 })).map((c) => c.id)).toEqual([edit!.id]);

    await expect(publishSchedule(deps, COMMITTEE, ref, { final: true })).rejects.toThrow(PublishNeedsZone);
    const final = await publishSchedule(deps, COMMITTEE, ref, { final: true, floatingTimes: true });
    expect(final.status).toBe('final');
    expect(final.mailed).toEqual({ key: 'schedule-final', told: 2, untold: [], nobodyBecause: null });
    // Not the first publication's mail again, but one saying it is final, to each speaker, at
    // once, in their invitation's thread, with where they are and the calendar to follow.
    expect(await handle.db.selectFrom('outbox').select('id').where('kind', '=', 'schedule-published').execute()).toHaveLength(2);
    const finalMail = () => handle.db.selectFrom('outbox').selectAll().where('kind', '=', 'schedule-final').orderBy('to_address').execute();
    const told = await finalMail();
    expect(told.map((m) => [m.to_address, m.subject, m.in_reply_to, m.state, m.next_attempt_at.toISOString()])).toEqual([
      [guests[0]!.email, 'The schedule of Netconf 2026 is final', guests[0]!.messageId, 'queued', '2026-04-21T09:00:00.000Z'],
      [guests[1]!.email, 'The schedule of Netconf 2026 is final', guests[1]!.messageId, 'queued', '2026-04-21T09:00:00.000Z'],
    ]);
    expect(told[0]!.body).toContain('the schedule of Netconf 2026 is now final. You are on it:\n\n  Wednesday, May 13, 2026, 14:00–14:30: XDP offloads\n\n');
    expect(told[1]!.body).toContain('You are on it:\n\n  Monday, May 11, 2026, 09:00–09:45: Panel\n    room B\n\n');
    expect(told[0]!.body).toContain(`a calendar program to subscribe to, at\n\n  https://netconf.example.org/invtest/${ref.year}/schedule.ics\n`);
    expect(told[0]!.body).toContain(`https://netconf.example.org/invtest/${ref.year}/changes/`);
    expect((await listChanges(deps, ref))[0]!.summary).toBe('The schedule is final.');
    // Marking it final again is refused, and mails nobody.
    await expect(publishSchedule(deps, COMMITTEE, ref, { final: true, floatingTimes: true })).rejects.toThrow(/already final/);
    expect(await finalMail()).toHaveLength(2);
  });

  it('withdraws a waiting notice when later changes put the speaker’s slots back as they were', async () => {
    // What the earlier tests queued has gone out.
    await handle.db.updateTable('outbox').set({ state: 'sent', attempts: 1, sent_at: new Date(), transport: 'mailbox' }).where('kind', '=', 'schedule-change').execute();
    const waiting = () => handle.db.selectFrom('outbox').select(['to_address', 'subject', 'body']).where('kind', '=', 'schedule-change').where('state', '=', 'queued').orderBy('id').execute();
    const notified = async (n: number) => {
      const rows = await handle.db.selectFrom('schedule_changes').select('notified').where('edition_id', '=', editionId).orderBy('id', 'desc').limit(n).execute();
      return rows.map((r) => [...r.notified].sort()).reverse();
    };
    const talk = (await loadSchedule(deps, ref)).slots.find((x) => x.label === 'XDP offloads')!;
    const changes = await count('schedule_changes');
    // Moved and moved back within the notice's wait: the changelog has both, the speaker no mail.
    await moveSlot(deps, COMMITTEE, ref, talk.id, { date: talk.date, start: '15:00' });
    expect((await waiting()).map((m) => m.to_address)).toEqual([guests[0]!.email]);
    await moveSlot(deps, COMMITTEE, ref, talk.id, { date: talk.date, start: talk.start });
    expect(await count('schedule_changes')).toBe(changes + 2);
    expect(await waiting()).toEqual([]);
    expect(await notified(2)).toEqual([[], []]);

    // A speaker put on a slot and taken off again: neither they nor the one already on it hear of it.
    const panel = (await loadSchedule(deps, ref)).slots.find((x) => x.label === 'Panel')!;
    const edit = { date: panel.date, start: panel.start, end: panel.end!, kind: 'discussion' as const, title: 'Panel', room: 'B' };
    await updateSlot(deps, COMMITTEE, ref, panel.id, { ...edit, speakerIds: [guests[1]!.personId, guests[0]!.personId] });
    expect((await waiting()).map((m) => m.to_address).sort()).toEqual([guests[0]!.email, guests[1]!.email].sort());
    await updateSlot(deps, COMMITTEE, ref, panel.id, { ...edit, speakerIds: [guests[1]!.personId] });
    expect(await waiting()).toEqual([]);

    // Undone in part, the notice stays, and tells what is left: moved, given a room and moved
    // back is a change of room, not three steps (the changelog keeps the steps).
    await moveSlot(deps, COMMITTEE, ref, talk.id, { date: talk.date, start: '15:00' });
    const same = { kind: talk.kind, title: talk.title, topicId: talk.topicId, speakerIds: [guests[0]!.personId] };
    await updateSlot(deps, COMMITTEE, ref, talk.id, { ...same, date: talk.date, start: '15:00', end: '15:30', room: 'C' });
    const movedThere = `“XDP offloads” moved from Wednesday ${talk.start}–${talk.end} to Wednesday 15:00–15:30; room now “C” (was none)`;
    expect((await waiting())[0]!.subject).toBe('Netconf 2026 schedule: XDP offloads (moved, new room)');
    await moveSlot(deps, COMMITTEE, ref, talk.id, { date: talk.date, start: talk.start });
    const [kept] = await waiting();
    expect(kept).toMatchObject({ to_address: guests[0]!.email, subject: 'Netconf 2026 schedule: XDP offloads (new room)' });
    expect(kept!.body).toContain('has changed where you speak:\n\n  “XDP offloads” room now “C” (was none)\n');
    expect(kept!.body).not.toContain('moved');
    // A slot added and removed again leaves no line; another slot's change keeps its own.
    const extra = await addSlot(deps, COMMITTEE, ref, { date: talk.date, start: '16:00', end: '16:30', kind: 'talk', title: 'Lightning', speakerIds: [guests[0]!.personId] });
    await moveSlot(deps, COMMITTEE, ref, talk.id, { date: talk.date, start: '15:00' });
    const [both] = await waiting();
    expect(both!.subject).toBe('Netconf 2026 schedule: 2 changes to your slots');
    expect(both!.body.replace(/\s+/g, ' ')).toContain(`- ${movedThere} - Added “Lightning”, Wednesday 16:00–16:30 `);
    await removeSlot(deps, COMMITTEE, ref, extra.id);
    const [net] = await waiting();
    expect(net!.subject).toBe('Netconf 2026 schedule: XDP offloads (moved, new room)');
    expect(net!.body).not.toContain('Lightning');
    await moveSlot(deps, COMMITTEE, ref, talk.id, { date: talk.date, start: talk.start });
    await updateSlot(deps, COMMITTEE, ref, talk.id, { ...same, date: talk.date, start: talk.start, end: talk.end!, room: talk.room });
    expect(await waiting()).toEqual([]);

    // A notice the worker has taken is not withdrawn: the speaker is told of the undoing too.
    await moveSlot(deps, COMMITTEE, ref, talk.id, { date: talk.date, start: '15:00' });
    await handle.db.updateTable('outbox').set({ state: 'sent', attempts: 1, sent_at: new Date(), transport: 'mailbox' }).where('kind', '=', 'schedule-change').execute();
    await moveSlot(deps, COMMITTEE, ref, talk.id, { date: talk.date, start: talk.start });
    expect((await waiting()).map((m) => m.subject)).toEqual(['Netconf 2026 schedule: XDP offloads (moved)']);
    expect(await notified(1)).toEqual([[guests[0]!.personId]]);

    // The edition's time zone, or its dates, changed and changed back: nobody is told either.
    await handle.db.updateTable('outbox').set({ state: 'sent', attempts: 1, sent_at: new Date(), transport: 'mailbox' }).where('kind', '=', 'schedule-change').execute();
    const edition = { series: ref.series, year: ref.year };
    await updateEdition(deps, COMMITTEE, { ...edition, fields: { timeZone: 'Europe/Lisbon' } });
    expect((await waiting()).map((m) => m.to_address).sort()).toEqual([guests[0]!.email, guests[1]!.email].sort());
    await updateEdition(deps, COMMITTEE, { ...edition, fields: { timeZone: '' } });
    expect(await waiting()).toEqual([]);
    await updateEdition(deps, COMMITTEE, { ...edition, fields: { endDate: '2026-05-14' } });
    await moveSlot(deps, COMMITTEE, ref, talk.id, { date: talk.date, start: '15:00' });
    await moveSlot(deps, COMMITTEE, ref, talk.id, { date: talk.date, start: talk.start });
    await updateEdition(deps, COMMITTEE, { ...edition, fields: { endDate: '2026-05-13' } });
    expect(await waiting()).toEqual([]);
    // Put back in part (the zone changed twice, not back), the notice stays.
    await updateEdition(deps, COMMITTEE, { ...edition, fields: { timeZone: 'Europe/Lisbon' } });
    await updateEdition(deps, COMMITTEE, { ...edition, fields: { timeZone: 'Europe/Berlin' } });
    expect((await waiting())[0]!.subject).toBe('Netconf 2026 schedule: 2 changes to your slots');
    await updateEdition(deps, COMMITTEE, { ...edition, fields: { timeZone: '' } });
    expect(await waiting()).toEqual([]);
  });

  it('lets a day outside the edition’s dates go when its last slot leaves, and removes one that holds none', async () => {
    const dates = async () => (await loadSchedule(deps, ref)).days.map((d) => [d.date, d.inEdition]);
    const edition = [
      ['2026-05-11', true],
      ['2026-05-12', true],
      ['2026-05-13', true],
    ];
    // A day far off the edition's dates is a typo, refused; one near them is allowed, and flagged.
    await expect(addSlot(deps, COMMITTEE, ref, { date: '2026-06-14', start: '09:00', kind: 'talk', title: 'Far' })).rejects.toThrow(
      'date: Sunday, June 14, 2026 is 32 days after Netconf 2026 (May 11–13, 2026): a day of its schedule is at most 31 days off its dates',
    );
    await expect(setDay(deps, COMMITTEE, ref, { date: '2025-12-05', start: '09:00' })).rejects.toThrow('date: Friday, December 5, 2025 is about 5 months before Netconf 2026');
    // A slot put on a wrong day and removed, or moved away, leaves no day behind.
    const stray = await addSlot(deps, COMMITTEE, ref, { date: '2026-06-01', start: '09:00', kind: 'talk', title: 'Stray' });
    expect(await dates()).toEqual([...edition, ['2026-06-01', false]]);
    await removeSlot(deps, COMMITTEE, ref, stray.id);
    expect(await dates()).toEqual(edition);
    const moved = await addSlot(deps, COMMITTEE, ref, { date: '2026-06-01', start: '09:00', kind: 'talk', title: 'Moved' });
    await moveSlot(deps, COMMITTEE, ref, moved.id, { date: '2026-05-13', start: '08:00' });
    expect(await dates()).toEqual(edition);
    const edited = await addSlot(deps, COMMITTEE, ref, { date: '2026-06-01', start: '09:00', kind: 'talk', title: 'Edited' });
    await updateSlot(deps, COMMITTEE, ref, edited.id, { date: '2026-05-13', start: '08:30', kind: 'talk', title: 'Edited' });
    expect(await dates()).toEqual(edition);
    expect(await handle.db.selectFrom('agenda_days').select('date').where('edition_id', '=', editionId).where('date', '>', '2026-05-13').execute()).toEqual([]);

    // A day with hours of its own stays when its slot goes, and can then be removed.
    await setDay(deps, COMMITTEE, ref, { date: '2026-06-02', start: '10:00', end: '17:00' });
    const kept = await addSlot(deps, COMMITTEE, ref, { date: '2026-06-02', start: '10:00', kind: 'talk', title: 'Kept' });
    await expect(removeDay(deps, COMMITTEE, ref, { date: '2026-06-02' })).rejects.toThrow(
      'Tuesday, June 2, 2026 holds 1 slot: move or remove it first, then remove the day',
    );
    await removeSlot(deps, COMMITTEE, ref, kept.id);
    expect(await dates()).toEqual([...edition, ['2026-06-02', false]]);
    const changes = await count('schedule_changes');
    expect(await removeDay(deps, COMMITTEE, ref, { date: '2026-06-02' })).toBeNull();
    expect(await dates()).toEqual(edition);
    // It never was a public day: the changelog says nothing.
    expect(await count('schedule_changes')).toBe(changes);
    await expect(removeDay(deps, COMMITTEE, ref, { date: '2026-06-02' })).rejects.toThrow('Tuesday, June 2, 2026 is not a day of the schedule of');

    // A date of the edition stays, with the default hours again; the public changelog says so.
    await removeSlot(deps, COMMITTEE, ref, moved.id);
    await removeSlot(deps, COMMITTEE, ref, edited.id);
    const wednesday = (await loadSchedule(deps, ref)).slots.filter((x) => x.date === '2026-05-13');
    for (const x of wednesday) await moveSlot(deps, COMMITTEE, ref, x.id, { date: '2026-05-12', start: '16:00' });
    expect((await loadSchedule(deps, ref)).days[2]).toMatchObject({ date: '2026-05-13', start: '09:00', end: '21:00' });
    expect(await removeDay(deps, COMMITTEE, ref, { date: '2026-05-13' })).toEqual({
      id: null,
      date: '2026-05-13',
      label: 'Wednesday, May 13, 2026',
      start: '08:00',
      end: '20:00',
      inEdition: true,
    });
    expect((await listChanges(deps, ref))[0]).toMatchObject({ kind: 'days', summary: 'Wednesday, May 13, 2026: the day now runs 08:00–20:00 (was 09:00–21:00)' });
    // A new name alone is logged as a name, not as hours that did not change.
    await setDay(deps, COMMITTEE, ref, { date: '2026-05-13', label: 'Travel day' });
    expect((await listChanges(deps, ref))[0]!.summary).toBe('Wednesday, May 13, 2026 is now named “Travel day”');
    await setDay(deps, COMMITTEE, ref, { date: '2026-05-13', label: 'Hacking day', start: '09:00', end: '21:00' });
    expect((await listChanges(deps, ref))[0]!.summary).toBe('Travel day — Wednesday, May 13, 2026 is now named “Hacking day” and runs 09:00–21:00 (was 08:00–20:00)');
    await removeDay(deps, COMMITTEE, ref, { date: '2026-05-13' });
    expect(await dates()).toEqual(edition);
    // Removed, a named day of the edition loses its name too, and the changelog says both.
    expect((await listChanges(deps, ref))[0]!.summary).toBe('Hacking day — Wednesday, May 13, 2026 is no longer named and runs 08:00–20:00 (was 09:00–21:00)');
    // An empty name drops the name: the day is named by its date again.
    await setDay(deps, COMMITTEE, ref, { date: '2026-05-13', label: 'Hacking day' });
    const named = await setDay(deps, COMMITTEE, ref, { date: '2026-05-13', label: '' });
    expect(named.label).toBe('Wednesday, May 13, 2026');
    expect((await listChanges(deps, ref))[0]!.summary).toBe('Hacking day — Wednesday, May 13, 2026 is no longer named');
    // Hours alone keep the name.
    await setDay(deps, COMMITTEE, ref, { date: '2026-05-13', label: 'Hacking day' });
    expect((await setDay(deps, COMMITTEE, ref, { date: '2026-05-13', start: '09:00' })).label).toBe('Hacking day');
    await removeDay(deps, COMMITTEE, ref, { date: '2026-05-13' });
    // An empty day outside the dates is on no public page: naming it and removing it log nothing.
    const logged = await count('schedule_changes');
    await setDay(deps, COMMITTEE, ref, { date: '2026-06-03', label: 'Extra day' });
    expect(await removeDay(deps, COMMITTEE, ref, { date: '2026-06-03' })).toBeNull();
    expect(await count('schedule_changes')).toBe(logged);
  });

  it('logs a new time zone or new dates of a published edition as a change of its schedule, and tells its speakers', async () => {
    const moved = await updateEdition(deps, COMMITTEE, { series: ref.series, year: ref.year, fields: { timeZone: 'America/Toronto' } });
    expect(moved.scheduleChange).toBe('The schedule\'s times are now in America/Toronto (they were floating times, as no time zone was set).');
    const [change] = await listChanges(deps, ref);
    expect(change).toMatchObject({ kind: 'days', summary: moved.scheduleChange });
    const notified = await handle.db.selectFrom('schedule_changes').select('notified').where('id', '=', change!.id).executeTakeFirstOrThrow();
    expect([...notified.notified].sort()).toEqual([guests[0]!.personId, guests[1]!.personId].sort());
    const told = await handle.db.selectFrom('outbox').select(['to_address', 'body']).where('kind', '=', 'schedule-change').where('state', '=', 'queued').execute();
    expect(told.filter((m) => m.body.includes('now in America/Toronto')).map((m) => m.to_address).sort()).toEqual([guests[0]!.email, guests[1]!.email].sort());

    const tuesday = (await loadSchedule(deps, ref)).slots.filter((x) => x.date === '2026-05-12').length;
    expect(tuesday).toBeGreaterThan(1);
    expect((await loadSchedule(deps, ref)).slots.filter((x) => x.date > '2026-05-12')).toEqual([]);
    const shorter = await updateEdition(deps, COMMITTEE, { series: ref.series, year: ref.year, fields: { endDate: '2026-05-11' } });
    expect(shorter.scheduleChange).toBe(`The edition's dates are now May 11, 2026 (they were May 11–13, 2026); ${tuesday} slots are on a day outside them (2026-05-12).`);
    // A change that moves no slot is not the schedule's.
    expect((await updateEdition(deps, COMMITTEE, { series: ref.series, year: ref.year, fields: { city: 'Lisbon' } })).scheduleChange).toBeNull();
    await updateEdition(deps, COMMITTEE, { series: ref.series, year: ref.year, fields: { endDate: '2026-05-13', timeZone: '' } });
  });

  it('refuses a new time zone in which a slot or a day’s hours would fall at a time its clocks skip', async () => {
    const id = await makeEdition(handle.db, { start_date: '2104-03-08', end_date: '2104-03-10', answer_by: '2104-02-10', time_zone: 'Europe/Berlin' });
    const year = (await handle.db.selectFrom('editions').select('year').where('id', '=', id).executeTakeFirstOrThrow()).year;
    const at = { series: 'invtest', year };
    // 02:30 on Sunday, March 9, 2104 is a time in Berlin, not in New York, whose clocks go forward then.
    const slot = await addSlot(deps, COMMITTEE, at, { date: '2104-03-09', start: '02:30', end: '03:30', kind: 'talk', title: 'Night owl' });
    await setDay(deps, COMMITTEE, at, { date: '2104-03-09', start: '02:15' });
    await expect(updateEdition(deps, COMMITTEE, { ...at, fields: { timeZone: 'America/New_York' } })).rejects.toMatchObject({
      field: 'timeZone',
      message:
        'timeZone: in America/New_York, the day starts at 02:15 on Sunday, March 9, 2104, which does not happen there (the clocks go forward from 02:00 to 03:00); ' +
        'slot #' + slot.id + ' “Night owl” starts at 02:30 on Sunday, March 9, 2104, which does not happen there (the clocks go forward from 02:00 to 03:00): move them first, then change the time zone',
    });
    expect((await handle.db.selectFrom('editions').select('time_zone').where('id', '=', id).executeTakeFirstOrThrow()).time_zone).toBe('Europe/Berlin');
    // Moved out of the night, they go with the zone.
    await moveSlot(deps, COMMITTEE, at, slot.id, { date: '2104-03-09', start: '09:00' });
    await setDay(deps, COMMITTEE, at, { date: '2104-03-09', start: '08:00' });
    await updateEdition(deps, COMMITTEE, { ...at, fields: { timeZone: 'America/New_York' } });
    expect((await loadSchedule(deps, at)).edition.timeZone).toBe('America/New_York');
  });

  it('logs and mails nothing for a schedule never published here, and mails nobody once the edition is over', async () => {
    // As an imported edition: final, its schedule never published by the builder.
    const d = makeDeps(handle.db, '2026-04-01T09:00:00Z');
    const id = await makeEdition(handle.db);
    const year = (await handle.db.selectFrom('editions').select('year').where('id', '=', id).executeTakeFirstOrThrow()).year;
    const archive = { series: 'invtest', year };
    const [guest] = await inviteGuests(d, id, 1, 5000);
    await acceptInvitation(d, { token: guest!.token });
    const speaker = (await handle.db.selectFrom('invitations').select('person_id').where('id', '=', guest!.id).executeTakeFirstOrThrow()).person_id;
    const slot = await addSlot(d, COMMITTEE, archive, { date: '2026-05-11', start: '10:00', end: '10:30', kind: 'talk', title: 'Qdisc', speakerIds: [speaker] });
    await handle.db.updateTable('editions').set({ status: 'final' }).where('id', '=', id).execute();
    const mail = () => handle.db.selectFrom('outbox').select('subject').where('edition_id', '=', id).where('kind', '=', 'schedule-change').execute();
    const logged = () => handle.db.selectFrom('schedule_changes').select(['summary', 'notified']).where('edition_id', '=', id).execute();
    await updateSlot(d, COMMITTEE, archive, slot.id, { date: '2026-05-11', start: '10:00', end: '10:30', kind: 'talk', title: 'Qdiscs', speakerIds: [speaker] });
    expect((await updateEdition(d, COMMITTEE, { ...archive, fields: { timeZone: 'Europe/Lisbon' } })).scheduleChange).toBeNull();
    expect(await logged()).toEqual([]);
    expect(await mail()).toEqual([]);

    // Published here, and over: a correction is in the changelog, and mailed to nobody.
    await handle.db.updateTable('editions').set({ schedule_published_at: new Date('2026-04-01T09:00:00Z') }).where('id', '=', id).execute();
    d.set('2026-05-14T09:00:00Z');
    await updateSlot(d, COMMITTEE, archive, slot.id, { date: '2026-05-11', start: '10:00', end: '10:30', kind: 'talk', title: 'Qdisc offloads', speakerIds: [speaker] });
    expect(await logged()).toEqual([{ summary: '“Qdiscs” now titled “Qdisc offloads”', notified: [] }]);
    expect(await mail()).toEqual([]);
    // On its last day, it is not over yet.
    d.set('2026-05-13T09:00:00Z');
    await updateSlot(d, COMMITTEE, archive, slot.id, { date: '2026-05-11', start: '10:00', end: '10:30', kind: 'talk', title: 'Qdisc', speakerIds: [speaker] });
    expect(await mail()).toEqual([{ subject: 'Netconf 2026 schedule: Qdisc offloads (renamed)' }]);
  });

  it('refuses an edit made on a slot as it was before another change, naming what changed since and what it holds now', async () => {
    const opened = (await loadSchedule(deps, ref)).slots.find((x) => x.label === 'Panel')!;
    const form = { date: opened.date, start: opened.start, end: opened.end!, kind: opened.kind, title: opened.title, topicId: opened.topicId, room: opened.room, speakerIds: opened.speakers.map((p) => p.personId) };
    // Another member moves it; the first saves the form they opened before, with a new room.
    await updateSlot(deps, COMMITTEE, ref, opened.id, { ...form, start: '10:00', end: '10:45', version: opened.version });
    const moved = (await loadSchedule(deps, ref)).slots.find((x) => x.id === opened.id)!;
    expect(moved.version).not.toBe(opened.version);
    const err = await updateSlot(deps, COMMITTEE, ref, opened.id, { ...form, room: 'C', version: opened.version }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StaleSlot);
    // The fields that differ from the form as it was loaded, each with what it holds now; not the room, which the other left.
    expect((err as Error).message).toBe('“Panel” was changed meanwhile, by someone else or by the same change sent twice (since the form was loaded, start now 10:00, end now 10:45): nothing was saved');
    expect((err as StaleSlot).changes).toEqual([
      { field: 'start', label: 'Start', now: '10:00' },
      { field: 'end', label: 'End', now: '10:45' },
    ]);
    // A version that holds no fields (a form from before they were kept in it): the slot as it now is.
    const old = await updateSlot(deps, COMMITTEE, ref, opened.id, { ...form, room: 'C', version: 'Zm9ybWVy' }).catch((e: unknown) => e);
    expect((old as Error).message).toBe(`“Panel” was changed meanwhile, by someone else or by the same change sent twice (it is now Monday 10:00–10:45, room ${moved.room}, with ${moved.speakers.map((p) => p.name).join(', ')}): nothing was saved`);
    expect((await loadSchedule(deps, ref)).slots.find((x) => x.id === opened.id)).toMatchObject({ start: '10:00', room: moved.room });
    // Made on the slot as it now is, the edit goes through; without a version (the CLI's own reads), too.
    await updateSlot(deps, COMMITTEE, ref, opened.id, { ...form, start: '10:00', end: '10:45', room: 'C', version: moved.version });
    await updateSlot(deps, COMMITTEE, ref, opened.id, { ...form });
    expect((await loadSchedule(deps, ref)).slots.find((x) => x.id === opened.id)).toMatchObject({ start: opened.start, room: opened.room });
  });

  it('previews a slot whose only speaker withdrew as the builder then lists it: not an attendee', async () => {
    // A fresh edition whose one accepted invitee speaks, then withdraws: nobody attends any more.
    const other = await makeEdition(handle.db);
    const e = await handle.db.selectFrom('editions').select('year').where('id', '=', other).executeTakeFirstOrThrow();
    const at = { series: 'invtest', year: e.year };
    // Its own clock: the file's has moved past the edition's answer-by date.
    const deps = makeDeps(handle.db);
    const [sent] = await inviteGuests(deps, other, 1, 20);
    await acceptInvitation(deps, { token: sent!.token });
    const inv = await handle.db.selectFrom('invitations').select('person_id').where('edition_id', '=', other).executeTakeFirstOrThrow();
    const form: SlotInput = { date: '2026-05-11', start: '10:00', end: '11:00', kind: 'talk', title: 'Alone', speakerIds: [inv.person_id] };
    const slot = await addSlot(deps, COMMITTEE, at, form);
    await withdrawInvitation(deps, { token: sent!.token });
    const listed = (await loadSchedule(deps, at)).conflicts.filter((c) => c.slotIds.includes(slot.id)).map((c) => c.rule);
    expect(listed).toEqual(['not-attendee']);
    expect((await previewConflicts(deps, at, { slotId: slot.id, slot: form })).map((c) => c.rule)).toEqual(listed);
  });

  it('previews a topic’s slot with the length its proposers wished, as saving gives it', async () => {
    const other = await makeEdition(handle.db);
    const e = await handle.db.selectFrom('editions').select('year').where('id', '=', other).executeTakeFirstOrThrow();
    const at = { series: 'invtest', year: e.year };
    const t = await handle.db
      .insertInto('topics')
      .values({ edition_id: other, number: 1, title: 'Long talk', origin: 'proposal', state: 'accepted', wished_minutes: 60 })
      .returning('id')
      .executeTakeFirstOrThrow();
    await addSlot(deps, COMMITTEE, at, { date: '2026-05-11', start: '10:30', end: '11:00', kind: 'discussion', title: 'Hallway', room: 'A' });
    const form: SlotInput = { date: '2026-05-11', start: '10:00', kind: 'talk', topicId: t.id, room: 'A' };
    const previewed = (await previewConflicts(deps, at, { slot: form })).map((c) => c.rule);
    const saved = await addSlot(deps, COMMITTEE, at, form);
    expect([saved.start, saved.end]).toEqual(['10:00', '11:00']);
    const listed = (await loadSchedule(deps, at)).conflicts.filter((c) => c.slotIds.includes(saved.id)).map((c) => c.rule);
    expect(listed).toEqual(['room-overlap']);
    expect(previewed).toEqual(listed);
  });

  it('previews an edit giving a slot another topic with the presenters saving gives it', async () => {
    const other = await makeEdition(handle.db, { start_date: '2101-05-11', end_date: '2101-05-13', answer_by: '2101-04-10' });
    const e = await handle.db.selectFrom('editions').select('year').where('id', '=', other).executeTakeFirstOrThrow();
    const at = { series: 'invtest', year: e.year };
    const deps = makeDeps(handle.db, '2101-03-01T12:00:00Z');
    const sent = await inviteGuests(deps, other, 2, 30);
    for (const s of sent) await acceptInvitation(deps, { token: s.token });
    const people = await handle.db.selectFrom('invitations').select('person_id').where('edition_id', '=', other).orderBy('id').execute();
    const [ana, ben] = people.map((p) => p.person_id) as [number, number];
    const topic = async (number: number, title: string, presenter: number) => {
      const t = await handle.db.insertInto('topics').values({ edition_id: other, number, title, origin: 'proposal', state: 'accepted', proposer_id: presenter }).returning('id').executeTakeFirstOrThrow();
      await handle.db.insertInto('topic_presenters').values({ topic_id: t.id, person_id: presenter, position: 0 }).execute();
      return t.id;
    };
    const first = await topic(1, 'Qdiscs', ana);
    const second = await topic(2, 'Page pool', ben);
    await addSlot(deps, COMMITTEE, at, { date: '2101-05-11', start: '10:00', end: '10:30', kind: 'talk', topicId: second });
    const slot = await addSlot(deps, COMMITTEE, at, { date: '2101-05-11', start: '11:00', end: '11:30', kind: 'talk', topicId: first });
    // As the edit form sends it: the other topic, the speakers shown as they were.
    const form: SlotInput = { date: '2101-05-11', start: '11:00', end: '11:30', kind: 'talk', topicId: second, speakerIds: [ana] };
    const previewed = (await previewConflicts(deps, at, { slotId: slot.id, slot: form })).map((c) => c.message);
    const saved = await updateSlot(deps, COMMITTEE, at, slot.id, form);
    expect(saved.speakers.map((p) => p.id)).toEqual([ben]);
    const listed = (await loadSchedule(deps, at)).conflicts.filter((c) => c.slotIds.includes(slot.id) || c.rule === 'topic-unscheduled').map((c) => c.message);
    expect(listed).toEqual(['Accepted topic #1 “Qdiscs” is not scheduled', 'Topic #2 “Page pool” is scheduled twice: Wednesday 10:00–10:30 “Page pool”, Wednesday 11:00–11:30 “Page pool”']);
    expect(previewed).toEqual(listed);
  });

  it('takes a slot on any of the edition’s dates as on one of its days, past the fourteenth too', async () => {
    // Three weeks: the builder lists the first fourteen dates ahead of any slot.
    const other = await makeEdition(handle.db, { start_date: '2026-05-01', end_date: '2026-05-21' });
    const e = await handle.db.selectFrom('editions').select('year').where('id', '=', other).executeTakeFirstOrThrow();
    const at = { series: 'invtest', year: e.year };
    const late = await addSlot(deps, COMMITTEE, at, { date: '2026-05-20', start: '10:00', end: '11:00', kind: 'discussion', title: 'Wrap-up' });
    const s = await loadSchedule(deps, at);
    expect(s.days.find((d) => d.date === '2026-05-20')).toMatchObject({ inEdition: true });
    expect(s.conflicts.filter((c) => c.slotIds.includes(late.id))).toEqual([]);
  });

  it('refuses day hours given on one side that end the day before it starts', async () => {
    // A fresh edition: its days have the default hours 08:00–20:00.
    const other = await makeEdition(handle.db);
    const e = await handle.db.selectFrom('editions').select('year').where('id', '=', other).executeTakeFirstOrThrow();
    const at = { series: 'invtest', year: e.year };
    // The side given is the one at fault: the other was not typed.
    await expect(setDay(deps, COMMITTEE, at, { date: '2026-05-12', start: '21:00' })).rejects.toMatchObject({ fields: { start: 'must be before the day’s end (20:00)' } });
    await expect(setDay(deps, COMMITTEE, at, { date: '2026-05-12', start: '21:00', end: '20:00' })).rejects.toMatchObject({ fields: { end: 'must be after the start (21:00)' } });
    await expect(setDay(deps, COMMITTEE, at, { date: '2026-05-13', end: '07:00' })).rejects.toMatchObject({ fields: { end: 'must be after the start (08:00)' } });
    // Nothing was written: the days keep their default hours.
    expect((await loadSchedule(deps, at)).days.map((d) => [d.date, d.id, d.start, d.end])).toEqual([
      ['2026-05-11', null, '08:00', '20:00'],
      ['2026-05-12', null, '08:00', '20:00'],
      ['2026-05-13', null, '08:00', '20:00'],
    ]);
    // One side within the other's default is taken.
    expect(await setDay(deps, COMMITTEE, at, { date: '2026-05-12', start: '19:00' })).toMatchObject({ start: '19:00', end: '20:00' });
  });

  it('takes any zone the time zone database knows, as written, in its proper case', async () => {
    // Intl.supportedValuesOf lists Asia/Calcutta and Europe/Kiev, and no UTC; all of these work.
    for (const [given, kept] of [['Asia/Kolkata', 'Asia/Kolkata'], ['Europe/Kyiv', 'Europe/Kyiv'], ['UTC', 'UTC'], ['europe/berlin', 'Europe/Berlin'], ['asia/kolkata', 'Asia/Kolkata'], ['america/argentina/buenos_aires', 'America/Argentina/Buenos_Aires'], ['', null]] as const) {
      const { edition } = await updateEdition(deps, COMMITTEE, { series: ref.series, year: ref.year, fields: { timeZone: given } });
      expect(edition.time_zone, given).toBe(kept);
    }
    await expect(updateEdition(deps, COMMITTEE, { series: ref.series, year: ref.year, fields: { timeZone: 'Mars/Olympus' } })).rejects.toThrow('Mars/Olympus is not a known time zone');
  });

  it('gives a slot the presenters of another topic it is given, unless its speakers were changed too', async () => {
    const other = await handle.db
      .insertInto('topics')
      .values({ edition_id: editionId, number: 60, title: 'Page pool', origin: 'proposal', state: 'accepted', proposer_id: guests[1]!.personId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await handle.db.insertInto('topic_presenters').values({ topic_id: other.id, person_id: guests[1]!.personId, position: 0 }).execute();
    const at = { date: '2026-05-13', start: '16:00', end: '16:30', kind: 'talk' } as const;
    const slot = await addSlot(deps, COMMITTEE, ref, { ...at, topicId });
    const ids = (x: { speakers: { id: number }[] }) => x.speakers.map((p) => p.id);
    expect(ids(slot)).toEqual([guests[0]!.personId]);
    // As the form sends it: the new topic, the speakers shown as they were.
    expect(ids(await updateSlot(deps, COMMITTEE, ref, slot.id, { ...at, topicId: other.id, speakerIds: [guests[0]!.personId] }))).toEqual([guests[1]!.personId]);
    // Speakers changed along with the topic are taken as given.
    expect(ids(await updateSlot(deps, COMMITTEE, ref, slot.id, { ...at, topicId, speakerIds: [guests[1]!.personId, guests[0]!.personId] }))).toEqual([guests[1]!.personId, guests[0]!.personId]);
    // The topic unchanged, the speakers are what was sent.
    expect(ids(await updateSlot(deps, COMMITTEE, ref, slot.id, { ...at, topicId, speakerIds: [guests[1]!.personId] }))).toEqual([guests[1]!.personId]);
    await removeSlot(deps, COMMITTEE, ref, slot.id);
  });

  it('places a dropped slot from where it was put, in time that passes: before the next slot across the night the clocks go back', async () => {
    // Berlin's clocks go back from 03:00 to 02:00 on Sunday, October 31, 2100.
    const e = await makeEdition(handle.db, { start_date: '2100-10-30', end_date: '2100-11-01', answer_by: '2100-10-01', time_zone: 'Europe/Berlin' });
    const at = { series: 'invtest', year: (await handle.db.selectFrom('editions').select('year').where('id', '=', e).executeTakeFirstOrThrow()).year };
    await setDay(deps, COMMITTEE, at, { date: '2100-10-31', start: '00:00' });
    // Two hours on the clock, three that pass.
    const night = await addSlot(deps, COMMITTEE, at, { date: '2100-10-31', start: '01:30', end: '03:30', kind: 'social', title: 'Night hack', room: 'Main' });
    const keynote = await addSlot(deps, COMMITTEE, at, { date: '2100-11-01', start: '12:00', end: '13:00', kind: 'talk', title: 'Keynote', room: 'Main' });
    const conflicts = async () => (await loadSchedule(deps, at)).conflicts.map((c) => c.rule);

    // Dropped at the top of November 1, above the keynote. Counted on the clock (12:00 less its
    // two hours), it would start at 10:00, and its three hours would run into the keynote.
    const byClock = await moveSlot(deps, COMMITTEE, at, night.id, { date: '2100-11-01', start: '10:00' });
    expect([byClock.start, byClock.end]).toEqual(['10:00', '13:00']);
    expect(await conflicts()).toEqual(['room-overlap']);
    await moveSlot(deps, COMMITTEE, at, night.id, { date: '2100-10-31', start: '01:30' });

    // Named as the drop says it, before the keynote: it ends where the keynote starts.
    const placed = await moveSlot(deps, COMMITTEE, at, night.id, { date: '2100-11-01', beforeSlotId: keynote.id });
    expect([placed.date, placed.start, placed.end]).toEqual(['2100-11-01', '09:00', '12:00']);
    expect(await conflicts()).toEqual([]);

    // Right after the slot above it: where that one ends; first of the slots starting then.
    const lunch = await addSlot(deps, COMMITTEE, at, { date: '2100-11-01', start: '13:00', end: '14:00', kind: 'meal', title: 'Lunch' });
    const coffee = await addSlot(deps, COMMITTEE, at, { date: '2100-10-30', start: '15:00', end: '15:30', kind: 'break', title: 'Coffee' });
    const after = await moveSlot(deps, COMMITTEE, at, coffee.id, { date: '2100-11-01', afterSlotId: keynote.id });
    expect([after.date, after.start, after.end]).toEqual(['2100-11-01', '13:00', '13:30']);
    expect((await loadSchedule(deps, at)).slots.map((x) => x.label)).toEqual(['Night hack', 'Keynote', 'Coffee', 'Lunch']);
    // With a start, a slot to go after only orders it among those starting then, as one to go before does.
    await moveSlot(deps, COMMITTEE, at, coffee.id, { date: '2100-11-01', start: '13:00', afterSlotId: lunch.id });
    expect((await loadSchedule(deps, at)).slots.map((x) => x.label)).toEqual(['Night hack', 'Keynote', 'Lunch', 'Coffee']);
    await expect(moveSlot(deps, COMMITTEE, at, coffee.id, { date: '2100-11-01', start: '13:30', afterSlotId: lunch.id })).rejects.toThrow(
      `afterSlotId: slot #${lunch.id} does not start at 13:30 on 2100-11-01: a slot goes after another only among slots starting together`,
    );
    // Into a day without slots: at its start; a day alone is its top, before its first slot.
    const empty = await moveSlot(deps, COMMITTEE, at, coffee.id, { date: '2100-10-30' });
    expect([empty.date, empty.start, empty.end]).toEqual(['2100-10-30', '08:00', '08:30']);
    expect(await moveSlot(deps, COMMITTEE, at, coffee.id, { date: '2100-11-01' })).toMatchObject({ start: '08:30', end: '09:00' });

    // A drop the schedule no longer matches is refused, as is one next to itself.
    await expect(moveSlot(deps, COMMITTEE, at, coffee.id, { date: '2100-10-31', afterSlotId: lunch.id })).rejects.toMatchObject({
      field: 'afterSlotId',
      message: `afterSlotId: “Lunch” (#${lunch.id}) is on Monday, November 1, 2100, not Sunday, October 31, 2100: nothing was moved`,
    });
    await expect(moveSlot(deps, COMMITTEE, at, coffee.id, { beforeSlotId: coffee.id })).rejects.toThrow('beforeSlotId: a slot cannot go before itself');
    await expect(moveSlot(deps, COMMITTEE, at, coffee.id, { beforeSlotId: lunch.id, afterSlotId: keynote.id })).rejects.toThrow('afterSlotId: give a slot to go before or one to go after, not both');
    expect((await loadSchedule(deps, at)).slots.find((x) => x.id === coffee.id)).toMatchObject({ date: '2100-11-01', start: '08:30' });
  });

  it('places a slot dropped above the first slot after the clocks go forward an hour before, never at a time they skip', async () => {
    // Berlin's clocks go forward from 02:00 to 03:00 on Sunday, March 28, 2100.
    const e = await makeEdition(handle.db, { start_date: '2100-03-27', end_date: '2100-03-28', answer_by: '2100-03-01', time_zone: 'Europe/Berlin' });
    const at = { series: 'invtest', year: (await handle.db.selectFrom('editions').select('year').where('id', '=', e).executeTakeFirstOrThrow()).year };
    await setDay(deps, COMMITTEE, at, { date: '2100-03-28', start: '00:00' });
    const early = await addSlot(deps, COMMITTEE, at, { date: '2100-03-28', start: '03:00', end: '04:00', kind: 'talk', title: 'Early bird' });
    const hour = await addSlot(deps, COMMITTEE, at, { date: '2100-03-27', start: '10:00', end: '11:00', kind: 'talk', title: 'An hour' });
    // On the clock, an hour before 03:00 is 02:00, which that night does not have.
    await expect(moveSlot(deps, COMMITTEE, at, hour.id, { date: '2100-03-28', start: '02:00' })).rejects.toThrow('start: 02:00 does not happen on Sunday, March 28, 2100 in Europe/Berlin');
    const placed = await moveSlot(deps, COMMITTEE, at, hour.id, { date: '2100-03-28', beforeSlotId: early.id });
    expect([placed.start, placed.end]).toEqual(['01:00', '03:00']);
    expect((await loadSchedule(deps, at)).conflicts).toEqual([]);
  });

  it('names in the audit log the slot or the day each write was about, by its own id', async () => {
    const e = await makeEdition(handle.db);
    const y = (await handle.db.selectFrom('editions').select('year').where('id', '=', e).executeTakeFirstOrThrow()).year;
    const r = { series: 'invtest', year: y };
    const slot = await addSlot(deps, COMMITTEE, r, { date: '2026-05-11', start: '12:00', end: '13:00', kind: 'meal', title: 'Lunch' });
    await moveSlot(deps, COMMITTEE, r, slot.id, { date: '2026-05-11', start: '12:30' });
    const day = await setDay(deps, COMMITTEE, r, { date: '2026-05-12', label: 'Hacking day' });
    await removeSlot(deps, COMMITTEE, r, slot.id);
    const log = await listAudit({ db: handle.db }, { editionId: e });
    expect(log.map((l) => [l.action, l.entity, l.entity_id]).reverse()).toEqual([
      ['schedule.slot.add', 'slot', String(slot.id)],
      ['schedule.slot.move', 'slot', String(slot.id)],
      ['schedule.day', 'day', String(day.id)],
      ['schedule.slot.remove', 'slot', String(slot.id)],
    ]);
    expect((await listAudit({ db: handle.db }, { editionId: e, entity: 'slot' })).length).toBe(3);
  });

  it('schedules a topic from the imported page as accepted, offering it and flagging nothing', async () => {
    const id = await makeEdition(handle.db);
    const e = await handle.db.selectFrom('editions').select('year').where('id', '=', id).executeTakeFirstOrThrow();
    const own = { series: 'invtest', year: e.year };
    const t = await handle.db
      .insertInto('topics')
      .values({ edition_id: id, number: 1, title: 'Imported page topic', origin: 'proposed-list', state: 'accepted' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await addSlot(deps, COMMITTEE, own, { date: '2026-05-11', start: '09:00', end: '10:00', kind: 'talk', title: '', topicId: t.id });
    const s = await loadSchedule({ db: handle.db }, own);
    expect(s.topics.map((x) => x.title)).toEqual(['Imported page topic']);
    expect(s.conflicts.map((c) => c.rule)).not.toContain('topic-not-accepted');
  });
});

describe('day names', () => {
  it('names a room once: “room B”, but “Room B” and “Main room” as written', () => {
    expect(['B', 'Room B', 'Main room', 'Salon Lisboa', 'Boardroom'].map(roomText)).toEqual(['room B', 'Room B', 'Main room', 'room Salon Lisboa', 'room Boardroom']);
  });

  it('reads a label that only says the date as no name', () => {
    expect(labelIsDate({ date: '2004-07-14', label: 'July 14th:' })).toBe(true);
    expect(labelIsDate({ date: '2011-06-14', label: 'Tuesday, June 14, 2011' })).toBe(true);
    expect(labelIsDate({ date: '2027-06-08', label: 'Hacking day' })).toBe(false);
    expect(labelIsDate({ date: '2027-06-08', label: 'June 9th' })).toBe(false);
    expect(labelIsDate({ date: '2027-06-08', label: 'Day 8' })).toBe(false);
    expect(labelIsDate({ date: '2027-06-08', label: 'Tue, Jun 8th 2027' })).toBe(true);
    expect(labelIsDate({ date: '2027-03-27', label: '2027-03-27' })).toBe(true);
    expect(labelIsDate({ date: '2027-03-29', label: 'Monday' })).toBe(true);
    expect(labelIsDate({ date: '2027-03-29', label: 'Tuesday' })).toBe(false);
    // A name beside the date is a name.
    expect(labelIsDate({ date: '2027-06-09', label: 'Monday, June 9 — Hackathon' })).toBe(false);
    expect(labelIsDate({ date: '2027-12-02', label: 'Day 2: decisions' })).toBe(false);
    expect(labelIsDate({ date: '2027-06-05', label: 'Junior day 5' })).toBe(false);
    expect(dayName({ date: '2004-07-14', label: 'July 14th:' })).toBe('Wednesday, July 14, 2004');
    expect(dayName({ date: '2027-06-08', label: 'Hacking day' })).toBe('Hacking day — Tuesday, June 8, 2027');
  });
});

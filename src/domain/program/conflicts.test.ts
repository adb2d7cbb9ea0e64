/**
 * Schedule conflicts: each rule on its own, where it must fire and where it must not, and how a
 * slot's end is found when the schedule does not give one.
 */
import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../errors.js';
import { DEFAULT_ROOM, findConflicts, minutes, openEndNote, programRoom, slotEnd, slotRoom, type ScheduleInput, type ScheduleSlot } from './conflicts.js';

const DAY = '2024-07-15';
const JAMAL = 1;
const PAOLO = 2;
const STRANGER = 9;

let nextId = 1;
/**
 * A talk on DAY with an explicit end, in a room of its own (slots without one share a room), no
 * speakers; override what the case needs.
 */
function slot(over: Partial<ScheduleSlot> = {}): ScheduleSlot {
  const id = nextId++;
  return {
    id,
    date: DAY,
    start: '09:00',
    end: '09:30',
    kind: 'talk',
    room: `Room ${id}`,
    speakerIds: [],
    topicId: null,
    title: 'A talk',
    ...over,
  };
}

/** One day (08:00–20:00), everyone accepted, no accepted topics. */
function schedule(slots: ScheduleSlot[], over: Partial<ScheduleInput> = {}): ScheduleInput {
  return {
    days: [{ date: DAY, start: '08:00', end: '20:00' }],
    slots,
    acceptedAttendeeIds: [JAMAL, PAOLO],
    acceptedTopicIds: [],
    people: { [JAMAL]: 'Jamal Hadi Salim', [PAOLO]: 'Paolo Abeni' },
    topics: { 7: 'Inter FE action', 8: 'tc offload' },
    topicNumbers: { 7: 2, 8: 5 },
    ...over,
  };
}

describe('speaker in two overlapping slots', () => {
  it('fires once per pair, naming the person, the times and the titles', () => {
    const a = slot({ id: 'a', start: '14:00', end: '14:30', speakerIds: [JAMAL], title: 'Inter FE action' });
    const b = slot({ id: 'b', start: '14:15', end: '15:00', speakerIds: [PAOLO, JAMAL], title: 'tc offload' });
    expect(findConflicts(schedule([b, a]))).toEqual([
      {
        rule: 'speaker-overlap',
        slotIds: ['a', 'b'],
        personId: JAMAL,
        message:
          'Jamal Hadi Salim speaks in two overlapping slots: 14:00–14:30 “Inter FE action” and 14:15–15:00 “tc offload”',
      },
    ]);
  });

  it('fires for each shared speaker and each pair', () => {
    const a = slot({ id: 1, start: '10:00', end: '11:00', speakerIds: [JAMAL, PAOLO] });
    const b = slot({ id: 2, start: '10:30', end: '11:30', speakerIds: [PAOLO, JAMAL] });
    const c = slot({ id: 3, start: '10:45', end: '11:15', speakerIds: [JAMAL] });
    const found = findConflicts(schedule([c, b, a]));
    expect(found.map((x) => [x.rule, x.slotIds, x.personId])).toEqual([
      ['speaker-overlap', [1, 2], JAMAL],
      ['speaker-overlap', [1, 2], PAOLO],
      ['speaker-overlap', [1, 3], JAMAL],
      ['speaker-overlap', [2, 3], JAMAL],
    ]);
  });

  it('does not fire for back-to-back slots, other days, or other speakers', () => {
    const slots = [
      slot({ start: '10:00', end: '11:00', speakerIds: [JAMAL] }),
      slot({ start: '11:00', end: '12:00', speakerIds: [JAMAL] }),
      slot({ start: '11:30', end: '12:30', speakerIds: [PAOLO] }),
      slot({ date: '2024-07-16', start: '10:00', end: '11:00', speakerIds: [JAMAL] }),
    ];
    const days = [
      { date: DAY, start: '08:00', end: '20:00' },
      { date: '2024-07-16', start: '08:00', end: '20:00' },
    ];
    expect(findConflicts(schedule(slots, { days }))).toEqual([]);
  });

  it('names an unknown person by id', () => {
    const a = slot({ id: 1, start: '10:00', end: '11:00', speakerIds: [JAMAL], title: 'X' });
    const b = slot({ id: 2, start: '10:30', end: '11:30', speakerIds: [JAMAL], title: 'Y' });
    expect(findConflicts(schedule([a, b], { people: {} }))[0]?.message).toBe(
      'Person #1 speaks in two overlapping slots: 10:00–11:00 “X” and 10:30–11:30 “Y”',
    );
  });
});

describe('slots without a room', () => {
  const rooms = (slots: ScheduleSlot[]) => findConflicts(schedule(slots)).map((x) => [x.rule, x.slotIds, x.message]);

  it('are in one room, "Main room" as the schedule files put them: a talk, a break and a meal overlap there', () => {
    const talk = slot({ id: 1, start: '14:00', end: '14:30', room: null, title: 'CLI talk' });
    const coffee = slot({ id: 2, start: '14:15', end: '14:45', kind: 'break', room: '', title: 'Overlapping break' });
    const lunch = slot({ id: 3, start: '12:00', end: '13:00', kind: 'meal', room: null, title: 'Lunch' });
    const onLunch = slot({ id: 4, start: '12:15', end: '12:45', room: null, kind: 'discussion', title: 'On lunch' });
    expect(rooms([talk, coffee, lunch, onLunch])).toEqual([
      ['room-overlap', [3, 4], 'Room “Main room” holds two overlapping slots on 2024-07-15: 12:00–13:00 “Lunch” and 12:15–12:45 “On lunch” (a slot without a room is in “Main room”, as the schedule files put it)'],
      ['room-overlap', [1, 2], 'Room “Main room” holds two overlapping slots on 2024-07-15: 14:00–14:30 “CLI talk” and 14:15–14:45 “Overlapping break” (a slot without a room is in “Main room”, as the schedule files put it)'],
    ]);
  });

  it('clash with a slot in “Main room” named by hand, not with other rooms the talks name', () => {
    const bare = slot({ id: 1, start: '09:00', end: '10:00', room: null, title: 'Bare' });
    const main = slot({ id: 2, start: '09:30', end: '10:30', room: ' main ROOM ', title: 'Main' });
    const a = slot({ id: 3, start: '09:00', end: '10:00', room: 'Salon A', title: 'A' });
    const b = slot({ id: 4, start: '09:00', end: '10:00', room: 'Salon B', title: 'B' });
    expect(rooms([bare, main, a, b])).toEqual([
      ['room-overlap', [1, 2], 'Room “Main room” holds two overlapping slots on 2024-07-15: 09:00–10:00 “Bare” and 09:30–10:30 “Main” (a slot without a room is in “Main room”, as the schedule files put it)'],
    ]);
  });

  it('are in the one room the talks and discussions name, as the schedule files put them', () => {
    const talk = slot({ id: 1, start: '10:00', end: '11:00', room: 'Salon A', title: 'XDP' });
    const coffee = slot({ id: 2, start: '10:30', end: '11:00', kind: 'break', room: null, title: 'Coffee' });
    // A dinner elsewhere, in a room of its own, does not make its room the workshop's.
    const dinner = slot({ id: 3, start: '19:00', end: '20:00', kind: 'meal', room: 'Restaurant', title: 'Dinner' });
    const late = slot({ id: 4, start: '19:30', end: '20:00', kind: 'discussion', room: null, title: 'Late' });
    expect(rooms([talk, coffee, dinner, late])).toEqual([
      ['room-overlap', [1, 2], 'Room “Salon A” holds two overlapping slots on 2024-07-15: 10:00–11:00 “XDP” and 10:30–11:00 “Coffee” (a slot without a room is in “Salon A”, the one room the talks and discussions name, as the schedule files put it)'],
    ]);
    expect(slotRoom(null, programRoom([talk, coffee, dinner, late]))).toBe('Salon A');
    expect(slotRoom('  ', programRoom([dinner, late]))).toBe(DEFAULT_ROOM);
  });

  it('do not clash when both are listed so on an imported page (2011’s break beside a talk at 11:00), but do with one added since', () => {
    const pageBreak = slot({ id: 1, start: '11:00', end: null, kind: 'break', room: null, title: 'Morning Break', imported: true });
    const pageTalk = slot({ id: 2, start: '11:00', end: null, room: null, title: 'iWarp portspace', imported: true });
    const next = slot({ id: 3, start: '11:45', end: null, room: null, title: 'JIT', imported: true });
    expect(rooms([pageBreak, pageTalk, next])).toEqual([]);
    const added = slot({ id: 4, start: '11:30', end: '12:00', room: null, title: 'Added here' });
    expect(rooms([pageBreak, pageTalk, next, added]).map(([, ids]) => ids)).toEqual([[4, 3]]);
  });
});

describe('two overlapping slots in one room', () => {
  it('fires for the same room, whatever its case or spacing', () => {
    const a = slot({ id: 1, start: '09:00', end: '10:00', room: 'Salon A', title: 'XDP' });
    const b = slot({ id: 2, start: '09:30', end: '10:30', room: ' salon a', title: 'BPF' });
    expect(findConflicts(schedule([a, b]))).toEqual([
      {
        rule: 'room-overlap',
        slotIds: [1, 2],
        message: 'Room “Salon A” holds two overlapping slots on 2024-07-15: 09:00–10:00 “XDP” and 09:30–10:30 “BPF”',
      },
    ]);
  });

  it('does not fire for different rooms or back-to-back slots', () => {
    const slots = [
      slot({ start: '09:00', end: '10:00', room: 'Salon A' }),
      slot({ start: '09:00', end: '10:00', room: 'Salon B' }),
      slot({ start: '10:00', end: '11:00', room: 'Salon A' }),
      slot({ start: '10:00', end: '11:00', room: 'Salon B' }),
    ];
    expect(findConflicts(schedule(slots))).toEqual([]);
  });

  it('fires for a break that holds a room', () => {
    const a = slot({ id: 1, start: '12:00', end: '13:00', room: 'Hall', kind: 'meal', title: '' });
    const b = slot({ id: 2, start: '12:30', end: '13:00', room: 'Hall' });
    expect(findConflicts(schedule([a, b])).map((x) => [x.rule, x.slotIds, x.message])).toEqual([
      ['room-overlap', [1, 2], 'Room “Hall” holds two overlapping slots on 2024-07-15: 12:00–13:00 (meal) and 12:30–13:00 “A talk”'],
    ]);
  });
});

describe('slot outside its day', () => {
  const day = { date: DAY, start: '09:00', end: '17:00' };

  it('fires for a start before the day starts', () => {
    const a = slot({ id: 1, start: '08:30', end: '09:30', title: 'Early' });
    expect(findConflicts(schedule([a], { days: [day] }))).toEqual([
      {
        rule: 'outside-day',
        slotIds: [1],
        message: '“Early” at 08:30–09:30 lies outside its day 2024-07-15 (09:00–17:00)',
      },
    ]);
  });

  it('fires for an end after the day ends, and for a start at or after it', () => {
    const a = slot({ id: 1, start: '16:30', lengthMinutes: 60, end: null, title: 'Late' });
    const b = slot({ id: 2, start: '17:00', end: '17:30', title: 'After' });
    expect(findConflicts(schedule([b, a], { days: [day] }))).toEqual([
      { rule: 'outside-day', slotIds: [1], message: '“Late” at 16:30–17:30 lies outside its day 2024-07-15 (09:00–17:00)' },
      { rule: 'outside-day', slotIds: [2], message: '“After” at 17:00–17:30 lies outside its day 2024-07-15 (09:00–17:00)' },
    ]);
  });

  it('does not fire for slots that fill the day exactly', () => {
    const slots = [slot({ start: '09:00', end: '13:00' }), slot({ start: '13:00', end: '17:00' })];
    expect(findConflicts(schedule(slots, { days: [day] }))).toEqual([]);
  });

  it('uses 08:00–20:00 when a day gives no hours', () => {
    const slots = [slot({ id: 1, start: '07:59', end: '08:30' }), slot({ id: 2, start: '08:00', end: '20:00' })];
    const found = findConflicts(schedule(slots, { days: [{ date: DAY }] }));
    expect(found.map((x) => [x.rule, x.slotIds])).toEqual([['outside-day', [1]]]);
  });
});

describe('slot on a date that is not one of the days', () => {
  it('fires once, and not outside-day as well', () => {
    const a = slot({ id: 1, date: '2024-07-20', start: '06:00', end: '07:00', title: 'Lost' });
    expect(findConflicts(schedule([a]))).toEqual([
      {
        rule: 'no-such-day',
        slotIds: [1],
        message: '“Lost” at 06:00–07:00 is on Saturday, July 20, 2024, which is not one of the edition’s days',
      },
    ]);
  });
});

describe('speaker who is not an accepted attendee', () => {
  it('fires once per person, listing their slots in time order', () => {
    const a = slot({ id: 1, start: '09:00', end: '09:30', speakerIds: [JAMAL, STRANGER], title: 'One' });
    const b = slot({ id: 2, date: '2024-07-16', start: '11:00', end: '11:30', speakerIds: [STRANGER], title: 'Two' });
    const people = { [STRANGER]: 'Pat Stranger' };
    const days = [{ date: DAY, start: '08:00', end: '20:00' }, { date: '2024-07-16', start: '08:00', end: '20:00' }];
    expect(findConflicts(schedule([b, a], { people, days }))).toEqual([
      {
        rule: 'not-attendee',
        slotIds: [1, 2],
        personId: STRANGER,
        message: 'Pat Stranger speaks in Monday 09:00–09:30 “One”, Tuesday 11:00–11:30 “Two” but is not an accepted attendee',
      },
    ]);
  });

  it('does not fire for accepted speakers', () => {
    expect(findConflicts(schedule([slot({ speakerIds: [JAMAL, PAOLO] })]))).toEqual([]);
  });
});

describe('slot for a topic that is no longer accepted', () => {
  it('fires for a slot whose topic is not among the accepted ones', () => {
    const slots = [slot({ id: 1, topicId: 7, title: '' }), slot({ id: 2, start: '10:00', topicId: 8, title: '' })];
    expect(findConflicts(schedule(slots, { acceptedTopicIds: [8] }))).toEqual([
      { rule: 'topic-not-accepted', slotIds: [1], topicId: 7, message: '“Inter FE action” at 09:00–09:30 is for topic #2 “Inter FE action”, which is no longer accepted' },
    ]);
  });

  it('does not fire for slots without a topic', () => {
    expect(findConflicts(schedule([slot({ topicId: null })], { acceptedTopicIds: [] }))).toEqual([]);
  });
});

describe('accepted topic left unscheduled', () => {
  it('fires for each accepted topic no slot uses, naming it by its number in the edition', () => {
    const slots = [slot({ topicId: 7, title: '' })];
    expect(findConflicts(schedule(slots, { acceptedTopicIds: [12, 8, 7, 8] }))).toEqual([
      { rule: 'topic-unscheduled', slotIds: [], topicId: 8, message: 'Accepted topic #5 “tc offload” is not scheduled' },
      { rule: 'topic-unscheduled', slotIds: [], topicId: 12, message: 'Accepted topic (id 12) is not scheduled' },
    ]);
  });

  it('does not fire for a scheduled topic', () => {
    expect(findConflicts(schedule([slot({ topicId: 7 })], { acceptedTopicIds: [7] }))).toEqual([]);
  });

  it('names a slot by its topic when it has no title of its own', () => {
    const a = slot({ id: 1, date: '2024-01-01', topicId: 7, title: '' });
    expect(findConflicts(schedule([a]))[0]?.message).toBe(
      '“Inter FE action” at 09:00–09:30 is on Monday, January 1, 2024, which is not one of the edition’s days',
    );
  });
});

describe('topic in more than one slot', () => {
  it('fires once per topic, naming every slot it is in, in time order', () => {
    const slots = [slot({ id: 1, start: '14:00', end: '14:30', topicId: 8, title: '' }), slot({ id: 2, start: '09:00', topicId: 8, title: 'tc offload, again' }), slot({ id: 3, start: '10:00', topicId: 7 })];
    expect(findConflicts(schedule(slots, { acceptedTopicIds: [7, 8] }))).toEqual([
      {
        rule: 'topic-twice',
        slotIds: [2, 1],
        topicId: 8,
        message: 'Topic #5 “tc offload” is scheduled twice: Monday 09:00–09:30 “tc offload, again”, Monday 14:00–14:30 “tc offload”',
      },
    ]);
  });

  it('does not fire for slots of different topics, or without one', () => {
    expect(findConflicts(schedule([slot({ id: 1, topicId: 7 }), slot({ id: 2, start: '10:00', topicId: 8 }), slot({ id: 3, start: '11:00' }), slot({ id: 4, start: '12:00' })], { acceptedTopicIds: [7, 8] }))).toEqual([]);
  });
});

describe('topic slot without its presenters', () => {
  it('fires for a topic\'s slot in which none of its presenters speaks, naming them', () => {
    const slots = [slot({ id: 1, topicId: 8, title: '', speakerIds: [PAOLO] }), slot({ id: 2, start: '10:00', topicId: 7, speakerIds: [PAOLO, JAMAL] })];
    expect(findConflicts(schedule(slots, { acceptedTopicIds: [7, 8], topicPresenters: { 7: [JAMAL], 8: [JAMAL] } }))).toEqual([
      {
        rule: 'presenter-missing',
        slotIds: [1],
        topicId: 8,
        message: '“tc offload” on Monday 09:00–09:30 is for topic #5 “tc offload”, but none of its presenters (Jamal Hadi Salim) speaks in it',
      },
    ]);
  });

  it('does not fire when one presenter of several speaks, or a topic has none', () => {
    const slots = [slot({ id: 1, topicId: 8, speakerIds: [PAOLO] }), slot({ id: 2, start: '10:00', topicId: 7, speakerIds: [] })];
    expect(findConflicts(schedule(slots, { acceptedTopicIds: [7, 8], topicPresenters: { 8: [JAMAL, PAOLO], 7: [] } }))).toEqual([]);
  });
});

describe('the end of a slot', () => {
  it('runs a talk without end until the next slot that day', () => {
    const a = slot({ id: 1, start: '10:00', end: null, speakerIds: [JAMAL], title: 'Open talk' });
    const b = slot({ id: 2, start: '10:45', end: '11:00', speakerIds: [JAMAL] });
    const c = slot({ id: 3, start: '10:30', end: '10:45', speakerIds: [JAMAL] });
    const found = findConflicts(schedule([a, b, c]));
    // a runs to 10:30 (c's start), so it touches c but does not overlap it.
    expect(found).toEqual([]);
    expect(slotEnd(a, [a, b, c])).toBe(minutes('10:30'));
  });

  it('shows the implicit end in messages, and a last slot may run past the day', () => {
    const a = slot({ id: 1, start: '19:00', end: null, speakerIds: [JAMAL], title: 'Long' });
    const b = slot({ id: 2, start: '19:00', end: '19:15', speakerIds: [JAMAL], title: 'Same time' });
    const c = slot({ id: 3, start: '19:45', end: null, kind: 'discussion', title: 'Last' });
    expect(findConflicts(schedule([a, b, c]))).toEqual([
      {
        rule: 'speaker-overlap',
        slotIds: [2, 1],
        personId: JAMAL,
        message: 'Jamal Hadi Salim speaks in two overlapping slots: 19:00–19:15 “Same time” and 19:00–19:45 “Long”',
      },
      { rule: 'outside-day', slotIds: [3], message: '“Last” at 19:45–20:15 lies outside its day 2024-07-15 (08:00–20:00)' },
    ]);
  });

  it('ends a break or meal without end at the next slot, however far off', () => {
    const coffee = slot({ id: 1, start: '10:00', end: null, kind: 'break', room: 'Hall', title: 'Coffee' });
    const talk = slot({ id: 2, start: '10:15', end: '11:00', room: 'Hall', title: 'Early bird' });
    expect(slotEnd(coffee, [coffee, talk])).toBe(minutes('10:15'));
    expect(findConflicts(schedule([coffee, talk]))).toEqual([]);
    const lunch = slot({ id: 3, start: '12:00', end: null, kind: 'meal', room: 'Hall', title: 'Lunch' });
    const afternoon = slot({ id: 4, start: '14:00', end: '15:00', room: 'Hall' });
    // 2011: "12:30pm LUNCH", then "1:30pm Herbert Xu".
    expect(slotEnd(lunch, [lunch, afternoon])).toBe(minutes('14:00'));
    expect(openEndNote(lunch, [lunch, afternoon])).toBe('until the next slot');
  });

  it('gives the last slot of a day 30 minutes, whatever its kind', () => {
    const last = slot({ start: '18:00', end: null, kind: 'discussion' });
    const coffee = slot({ start: '10:00', end: null, kind: 'break' });
    const later = slot({ start: '11:00', end: '12:00' });
    const dinner = slot({ start: '19:00', end: null, kind: 'meal' });
    expect(slotEnd(last, [coffee, later, last])).toBe(minutes('18:30'));
    expect(slotEnd(coffee, [coffee, later, last])).toBe(minutes('11:00'));
    expect(slotEnd(dinner, [coffee, later, dinner])).toBe(minutes('19:30'));
    expect(openEndNote(dinner, [coffee, later, dinner])).toBe('30 minutes: no slot follows');
  });

  it('skips slots that start at the same time when looking for the next one', () => {
    const a = slot({ start: '09:00', end: null, kind: 'social' });
    const b = slot({ start: '09:00', end: '09:15' });
    const c = slot({ start: '09:45', end: '10:00' });
    expect(slotEnd(a, [a, b, c])).toBe(minutes('09:45'));
  });

  it('prefers an explicit end, then a length', () => {
    const next = slot({ start: '09:10', end: '09:20' });
    expect(slotEnd(slot({ start: '09:00', end: '09:50', lengthMinutes: 5 }), [next])).toBe(minutes('09:50'));
    expect(slotEnd(slot({ start: '09:00', end: null, lengthMinutes: 25 }), [next])).toBe(minutes('09:25'));
  });

  it('runs an open-ended slot until the next slot, or to the end of its day', () => {
    const day = { date: DAY, start: '09:00', end: '22:00' };
    const party = slot({ id: 1, start: '15:00', end: null, openEnded: true, kind: 'social', room: 'Garden', title: 'Party' });
    const late = slot({ id: 2, start: '21:00', end: '21:30', room: 'Garden', title: 'Toast' });
    expect(slotEnd(party, [party], day)).toBe(minutes('22:00'));
    expect(slotEnd(party, [party, late], day)).toBe(minutes('21:00'));
    // 2004: "3:00pm+ Open discussion", then "5:00pm Dinner!"
    const open = slot({ id: 3, start: '15:00', end: null, openEnded: true, kind: 'discussion', room: 'Hall', title: 'Open discussion' });
    const dinner = slot({ id: 4, start: '17:00', end: null, kind: 'meal', room: 'Hall', title: 'Dinner!' });
    expect(findConflicts(schedule([open, dinner], { days: [day] }))).toEqual([]);
    expect(slotEnd(open, [open, dinner], day)).toBe(minutes('17:00'));
  });

  it('reads an end before the start as no length', () => {
    const a = slot({ id: 1, start: '10:00', end: '09:00', speakerIds: [JAMAL], title: 'Typo' });
    const b = slot({ id: 2, start: '09:30', end: '10:30', speakerIds: [JAMAL], title: 'Real' });
    expect(findConflicts(schedule([a, b])).map((x) => [x.rule, x.slotIds])).toEqual([['speaker-overlap', [2, 1]]]);
  });
});

describe('minutes', () => {
  it('reads HH:MM and HH:MM:SS', () => {
    expect(minutes('08:00')).toBe(480);
    expect(minutes('9:05')).toBe(545);
    expect(minutes('14:30:00')).toBe(870);
    expect(minutes('24:00')).toBe(1440);
  });

  it('refuses what is not a time, naming the field', () => {
    expect(() => minutes('3pm', 'start')).toThrow(InvalidInput);
    expect(() => minutes('25:00')).toThrow(/not a time of day/);
    expect(() => findConflicts(schedule([slot({ start: '9h' })]))).toThrow('slots[0].start');
  });
});

describe('a schedule without conflicts', () => {
  it('finds nothing', () => {
    const days = [
      { date: '2024-07-15', start: '08:30', end: '18:00' },
      { date: '2024-07-16', start: '08:30', end: '18:00' },
    ];
    const slots: ScheduleSlot[] = [
      slot({ date: '2024-07-15', start: '09:00', end: null, speakerIds: [JAMAL], topicId: 7, room: 'Main', title: '' }),
      slot({ date: '2024-07-15', start: '09:45', end: null, speakerIds: [PAOLO], topicId: 8, room: 'Main', title: '' }),
      slot({ date: '2024-07-15', start: '10:30', end: '11:00', kind: 'break', room: null, title: 'Coffee' }),
      slot({ date: '2024-07-15', start: '11:00', end: null, speakerIds: [JAMAL, PAOLO], room: 'Main', title: 'Open floor' }),
      slot({ date: '2024-07-15', start: '12:30', lengthMinutes: 60, end: null, kind: 'meal', room: null, title: 'Lunch' }),
      slot({ date: '2024-07-15', start: '15:00', end: null, openEnded: true, kind: 'social', room: 'Garden', title: 'BBQ' }),
      slot({ date: '2024-07-16', start: '09:00', end: '10:00', speakerIds: [JAMAL], room: 'Main', title: 'Day two' }),
    ];
    expect(findConflicts(schedule(slots, { days, acceptedTopicIds: [7, 8] }))).toEqual([]);
  });
});

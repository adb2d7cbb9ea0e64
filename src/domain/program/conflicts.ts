/**
 * Schedule conflicts: what is wrong with a set of days and slots, found without the database so
 * that the builder can show it while someone edits and again on save.
 */
import type { SlotKind } from '../../db/schema.js';
import { InvalidInput } from '../errors.js';

/** One day of the edition; `start` and `end` bound where its slots may lie ('HH:MM'). */
export interface ScheduleDay {
  date: string;
  start?: string;
  end?: string;
}

/** One slot as the builder holds it; `end` null means "until the next slot" (see slotEnd). */
export interface ScheduleSlot {
  id: number | string;
  date: string;
  start: string;
  end: string | null;
  lengthMinutes?: number | null;
  openEnded?: boolean;
  kind: SlotKind;
  room: string | null;
  speakerIds: number[];
  topicId: number | null;
  title: string;
  /**
   * Listed on an imported page (an archive's): two such slots without a room beside each other
   * are the page's own record, not a clash to flag (see roomsClash).
   */
  imported?: boolean;
}

export interface ScheduleInput {
  days: ScheduleDay[];
  slots: ScheduleSlot[];
  acceptedAttendeeIds: number[];
  acceptedTopicIds: number[];
  /** Names for messages, by person id. */
  people?: Record<number, string>;
  /** Titles for messages, by topic id. */
  topics?: Record<number, string>;
  /** The topics' numbers in the edition (#3), as people name them, by topic id. */
  topicNumbers?: Record<number, number>;
  /** The presenters of the accepted topics, by topic id. */
  topicPresenters?: Record<number, number[]>;
}

/** A topic in a message: `#3 “tc offload”`, as every list names it; its title or id if that is all there is. */
function topicName(input: ScheduleInput, topicId: number): string {
  const title = input.topics?.[topicId];
  const n = input.topicNumbers?.[topicId];
  if (n !== undefined) return title !== undefined ? `#${n} “${title}”` : `#${n}`;
  return title !== undefined ? `“${title}”` : `(id ${topicId})`;
}

export type ConflictRule =
  | 'speaker-overlap'
  | 'room-overlap'
  | 'outside-day'
  | 'no-such-day'
  | 'not-attendee'
  | 'topic-unscheduled'
  | 'topic-twice'
  | 'presenter-missing'
  | 'topic-not-accepted';

export interface ScheduleConflict {
  rule: ConflictRule;
  slotIds: (number | string)[];
  personId?: number;
  topicId?: number;
  message: string;
}

/** The room of slots that name none, when the program does not name one either (see slotRoom). */
export const DEFAULT_ROOM = 'Main room';

/** Kinds that are not the program: a room one of them names is not the workshop's room. */
const ASIDE: ReadonlySet<SlotKind> = new Set<SlotKind>(['break', 'meal', 'social']);

/**
 * The room the edition's program (its talks and discussions) names, when it names exactly one.
 * A break, meal or social with a room of its own (a dinner at a restaurant) does not make that
 * room the workshop's.
 */
export function programRoom(slots: Iterable<{ kind: SlotKind; room: string | null }>): string | null {
  const named = new Set<string>();
  for (const s of slots) {
    const room = s.room?.trim() ?? '';
    if (room !== '' && !ASIDE.has(s.kind)) named.add(room);
  }
  return named.size === 1 ? [...named][0]! : null;
}

/**
 * The room a slot is in: its own; without one (a break, a meal, any slot of a workshop in one
 * room), the room the program names (programRoom), else DEFAULT_ROOM. The schedule files put it
 * there and the conflict check places it there: one room, so that what the conference apps show
 * as two events in one room at once is a conflict here too.
 */
export function slotRoom(room: string | null | undefined, program: string | null): string {
  return room?.trim() || program || DEFAULT_ROOM;
}

export const DEFAULT_DAY_START = '08:00';
export const DEFAULT_DAY_END = '20:00';
/** How long the last slot of a day runs when nothing else says. */
export const LAST_SLOT_MINUTES = 30;

/**
 * Minutes since midnight of 'HH:MM' (a trailing ':SS', as PostgreSQL prints a time, is ignored).
 * Throws InvalidInput naming `field` when the text is not a time of day.
 */
export function minutes(time: string, field = 'time'): number {
  const m = /^(\d{1,2}):(\d{2})(?::\d{2})?$/.exec(time.trim());
  const h = m ? Number(m[1]) : NaN;
  const min = m ? Number(m[2]) : NaN;
  if (!(h >= 0 && h <= 24 && min >= 0 && min < 60) || (h === 24 && min !== 0)) {
    throw new InvalidInput(field, `“${time}” is not a time of day (HH:MM)`);
  }
  return h * 60 + min;
}

/** 'HH:MM' of minutes since midnight; the inverse of `minutes`. */
export function clock(total: number): string {
  const h = Math.floor(total / 60);
  const m = total % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/**
 * The minute a slot ends. In order: its own `end`; `start + lengthMinutes`; otherwise it runs
 * until the next later slot that day, whatever its kind (as the Netconf pages read, which give
 * start times only: 2011's "12:30 LUNCH" lasts until the 13:30 talk). The last slot of a day: an
 * open-ended one ("3:00pm+") runs to the end of its day, any other gets 30 minutes. `sameDay` are the slots on the slot's date (it may include the slot itself); `day` is
 * its day, or undefined when the date is not one of the days (default hours then).
 */
export function slotEnd(slot: ScheduleSlot, sameDay: readonly ScheduleSlot[], day?: ScheduleDay): number {
  const start = minutes(slot.start, 'start');
  if (slot.end !== null && slot.end.trim() !== '') return minutes(slot.end, 'end');
  if (slot.lengthMinutes != null && slot.lengthMinutes > 0) return start + slot.lengthMinutes;
  let next: number | undefined;
  for (const other of sameDay) {
    const s = minutes(other.start, 'start');
    if (s > start && (next === undefined || s < next)) next = s;
  }
  if (next !== undefined) return next;
  if (slot.openEnded) return Math.max(start, minutes(day?.end ?? DEFAULT_DAY_END, 'end'));
  return start + LAST_SLOT_MINUTES;
}

/** The words openEndNote says a slot's end with, for a caller that tells them apart (`schedule add`). */
export const OPEN_END = {
  untilNext: 'until the next slot',
  dayEnd: 'until the end of the day',
  lastSlot: `${LAST_SLOT_MINUTES} minutes: no slot follows`,
} as const;
export type OpenEndNote = (typeof OPEN_END)[keyof typeof OPEN_END];

/**
 * What decides the end of a slot without one of its own, in words for the builder and `schedule
 * show` (as slotEnd reads it): the next slot, the end of its day, or the 30 minutes a last slot
 * gets. Null for a slot with an end or a length.
 */
export function openEndNote(slot: ScheduleSlot, sameDay: readonly ScheduleSlot[], day?: ScheduleDay): OpenEndNote | null {
  if (slot.end !== null && slot.end.trim() !== '') return null;
  if (slot.lengthMinutes != null && slot.lengthMinutes > 0) return null;
  const start = minutes(slot.start, 'start');
  const next = sameDay.some((o) => minutes(o.start, 'start') > start);
  if (next) return OPEN_END.untilNext;
  if (slot.openEnded) return OPEN_END.dayEnd;
  return OPEN_END.lastSlot;
}

/** A slot with its resolved times and its place in the input, for sorting. */
interface Placed {
  slot: ScheduleSlot;
  index: number;
  start: number;
  end: number;
  day: ScheduleDay | undefined;
}

/**
 * Every conflict in a schedule, in a stable order: by rule (speaker-overlap, room-overlap,
 * outside-day, no-such-day, not-attendee, topic-unscheduled, topic-twice, presenter-missing,
 * topic-not-accepted),
 * then by time. Overlap is
 * half-open: a slot ending at 10:00 and one starting at 10:00 do not overlap. A slot without a
 * room is in the room slotRoom gives it, as the schedule files say, and conflicts there (but two
 * slots listed so on an imported page do not). Pure: the caller loads days, slots and accepted ids.
 */
const WEEKDAY = new Intl.DateTimeFormat('en-US', { weekday: 'long', timeZone: 'UTC' });
const LONG_DAY = new Intl.DateTimeFormat('en-US', { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
/** "Saturday, July 20, 2024" for 2024-07-20. */
const longDay = (date: string) => LONG_DAY.format(new Date(`${date}T12:00:00Z`));

export function findConflicts(input: ScheduleInput): ScheduleConflict[] {
  const placed = placeSlots(input);
  const names = (id: number) => input.people?.[id] ?? `Person #${id}`;
  const label = (p: Placed) => slotLabel(p.slot, input.topics);
  const span = (p: Placed) => `${clock(p.start)}–${clock(p.end)}`;
  // Slots of different days named together: each with its weekday ("Tuesday 09:00–09:30").
  const when = (p: Placed) => `${WEEKDAY.format(new Date(`${p.slot.date}T12:00:00Z`))} ${span(p)}`;
  const out: ScheduleConflict[] = [];

  const pairs: [Placed, Placed][] = [];
  for (let i = 0; i < placed.length; i++) {
    for (let j = i + 1; j < placed.length; j++) {
      const a = placed[i]!;
      const b = placed[j]!;
      if (a.slot.date === b.slot.date && overlaps(a, b)) pairs.push([a, b]);
    }
  }

  for (const [a, b] of pairs) {
    const theirs = new Set(b.slot.speakerIds);
    for (const personId of unique(a.slot.speakerIds)) {
      if (!theirs.has(personId)) continue;
      out.push({
        rule: 'speaker-overlap',
        slotIds: [a.slot.id, b.slot.id],
        personId,
        message: `${names(personId)} speaks in two overlapping slots: ${span(a)} ${label(a)} and ${span(b)} ${label(b)}`,
      });
    }
  }

  const program = programRoom(input.slots);
  for (const [a, b] of pairs) {
    const room = slotRoom(a.slot.room, program);
    if (room.toLowerCase() !== slotRoom(b.slot.room, program).toLowerCase()) continue;
    const implied = roomKey(a.slot.room) === null || roomKey(b.slot.room) === null;
    // An archive's page that lists a break beside a talk (2011's 11:00) is history, not a clash.
    if (implied && a.slot.imported && b.slot.imported) continue;
    const where = program !== null && room.toLowerCase() === program.toLowerCase() ? `, the one room the talks and discussions name` : '';
    const why = implied ? ` (a slot without a room is in “${room}”${where}, as the schedule files put it)` : '';
    out.push({
      rule: 'room-overlap',
      slotIds: [a.slot.id, b.slot.id],
      message: `Room “${room}” holds two overlapping slots on ${a.slot.date}: ${span(a)} ${label(a)} and ${span(b)} ${label(b)}${why}`,
    });
  }

  for (const p of placed) {
    if (!p.day) continue;
    const dayStart = minutes(p.day.start ?? DEFAULT_DAY_START, 'day start');
    const dayEnd = minutes(p.day.end ?? DEFAULT_DAY_END, 'day end');
    if (p.start >= dayStart && p.start < dayEnd && p.end <= dayEnd) continue;
    out.push({
      rule: 'outside-day',
      slotIds: [p.slot.id],
      message: `${label(p)} at ${span(p)} lies outside its day ${p.slot.date} (${clock(dayStart)}–${clock(dayEnd)})`,
    });
  }

  for (const p of placed) {
    if (p.day) continue;
    out.push({
      rule: 'no-such-day',
      slotIds: [p.slot.id],
      message: `${label(p)} at ${span(p)} is on ${longDay(p.slot.date)}, which is not one of the edition’s days`,
    });
  }

  const accepted = new Set(input.acceptedAttendeeIds);
  const strangers = new Map<number, Placed[]>();
  for (const p of placed) {
    for (const personId of unique(p.slot.speakerIds)) {
      if (accepted.has(personId)) continue;
      strangers.set(personId, [...(strangers.get(personId) ?? []), p]);
    }
  }
  for (const [personId, slots] of strangers) {
    out.push({
      rule: 'not-attendee',
      slotIds: slots.map((p) => p.slot.id),
      personId,
      message: `${names(personId)} speaks in ${slots.map((p) => `${when(p)} ${label(p)}`).join(', ')} but is not an accepted attendee`,
    });
  }

  const used = new Set(input.slots.map((s) => s.topicId));
  for (const topicId of unique(input.acceptedTopicIds).sort((x, y) => x - y)) {
    if (used.has(topicId)) continue;
    out.push({
      rule: 'topic-unscheduled',
      slotIds: [],
      topicId,
      message: `Accepted topic ${topicName(input, topicId)} is not scheduled`,
    });
  }

  // A topic in two slots: mostly a slot added again instead of moved. A topic that truly runs in
  // parts is published with --force, as any conflict the committee means.
  const byTopic = new Map<number, Placed[]>();
  for (const p of placed) if (p.slot.topicId !== null) byTopic.set(p.slot.topicId, [...(byTopic.get(p.slot.topicId) ?? []), p]);
  for (const [topicId, slots] of [...byTopic].sort(([x], [y]) => x - y)) {
    if (slots.length < 2) continue;
    out.push({
      rule: 'topic-twice',
      slotIds: slots.map((p) => p.slot.id),
      topicId,
      message: `Topic ${topicName(input, topicId)} is scheduled ${slots.length === 2 ? 'twice' : `${slots.length} times`}: ${slots.map((p) => `${when(p)} ${label(p)}`).join(', ')}`,
    });
  }

  // A topic's slot in which none of its presenters speaks: its speakers were changed by hand.
  for (const p of placed) {
    const presenters = p.slot.topicId === null ? undefined : input.topicPresenters?.[p.slot.topicId];
    if (!presenters?.length || presenters.some((id) => p.slot.speakerIds.includes(id))) continue;
    out.push({
      rule: 'presenter-missing',
      slotIds: [p.slot.id],
      topicId: p.slot.topicId!,
      message: `${label(p)} on ${when(p)} is for topic ${topicName(input, p.slot.topicId!)}, but none of its presenters (${presenters.map(names).join(', ')}) speaks in it`,
    });
  }

  // A slot made for a topic the committee has since declined (or that was withdrawn).
  const acceptedTopics = new Set(input.acceptedTopicIds);
  for (const p of placed) {
    const topicId = p.slot.topicId;
    if (topicId === null || acceptedTopics.has(topicId)) continue;
    out.push({
      rule: 'topic-not-accepted',
      slotIds: [p.slot.id],
      topicId,
      message: `${label(p)} at ${span(p)} is for topic ${topicName(input, topicId)}, which is no longer accepted`,
    });
  }

  return out;
}

/** Slots with resolved start and end, in time order: date, start, end, then input order. */
function placeSlots(input: ScheduleInput): Placed[] {
  const days = new Map<string, ScheduleDay>();
  for (const d of input.days) if (!days.has(d.date)) days.set(d.date, d);
  const byDate = new Map<string, ScheduleSlot[]>();
  for (const s of input.slots) byDate.set(s.date, [...(byDate.get(s.date) ?? []), s]);

  const placed = input.slots.map((slot, index): Placed => {
    const day = days.get(slot.date);
    const start = minutes(slot.start, `slots[${index}].start`);
    // An end before the start (a typo, or past midnight) is read as no length at all.
    const end = Math.max(start, slotEnd(slot, byDate.get(slot.date) ?? [], day));
    return { slot, index, start, end, day };
  });
  return placed.sort(
    (a, b) =>
      (a.slot.date < b.slot.date ? -1 : a.slot.date > b.slot.date ? 1 : 0) ||
      a.start - b.start ||
      a.end - b.end ||
      a.index - b.index,
  );
}

/** Half-open overlap; a slot of no length still occupies its first minute. */
function overlaps(a: Placed, b: Placed): boolean {
  return a.start < Math.max(b.end, b.start + 1) && b.start < Math.max(a.end, a.start + 1);
}

/** Rooms compare without case or surrounding space; an empty room is no room. */
function roomKey(room: string | null): string | null {
  const key = room?.trim().toLowerCase() ?? '';
  return key === '' ? null : key;
}

/** A slot as a message names it: its title, else its topic's title, else its kind. */
function slotLabel(slot: ScheduleSlot, topics: Record<number, string> | undefined): string {
  const topicTitle = slot.topicId !== null ? topics?.[slot.topicId] : undefined;
  const title = slot.title.trim() || topicTitle?.trim() || '';
  return title !== '' ? `“${title}”` : `(${slot.kind})`;
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

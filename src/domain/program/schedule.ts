/**
 * The schedule builder: days, slots and their speakers, with conflicts found on every load and
 * before every save, publication (planned → tentative → final), and — once the schedule is
 * public — a changelog entry and a mail to the speakers for every change.
 *
 * Every write runs in one transaction with the edition's row locked: the slot, its speakers, the
 * positions of its day, the audit row, the changelog entry and the speakers' mail land together.
 */
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { z } from 'zod';
import type { Database, ScheduleChangeKind, ScheduleChangesTable, SlotKind } from '../../db/schema.js';
import { recordAudit, type Actor } from '../audit/record.js';
import { findEdition, type EditionRef, type FoundEdition } from '../editions/find-edition.js';
import { changedSince, changesText, editVersion, StaleEdit } from '../edit-versions.js';
import { Conflict, InvalidForm, InvalidInput, NotFound } from '../errors.js';
import { placeDay, slotIdNames, type MovedSlot } from '../exports/schedule.js';
import { elapsedMinutes, knownTimeZone, wallMinuteAfter, wallTimeGap } from '../exports/time-zone.js';
import { addDays, dateRange, daysBetween, editionOver, longDate } from '../invitations/dates.js';
import { editionMailValues } from '../invitations/invitee-mail.js';
import { enqueueMail } from '../mail/outbox.js';
import { renderMail, sendTemplate } from '../mail/templates.js';
import { parseFormChecked, parseInput, visibleLine } from '../validate.js';
import { andList } from '../word-list.js';
import { publishRefusals, publishTarget, refusalError, type PublishOptions, type PublishRefusal } from './publication.js';
import {
  clock,
  DEFAULT_DAY_END,
  DEFAULT_DAY_START,
  findConflicts,
  minutes,
  openEndNote,
  slotEnd,
  type ScheduleConflict,
  type ScheduleInput,
  type ScheduleSlot,
} from './conflicts.js';

type Db = Kysely<Database>;

export interface ScheduleDeps {
  db: Db;
  clock: () => Date;
  mail: { baseUrl: string; from: string; replyTo?: string | null };
  /** How long a speaker's change notice waits for more changes (default NOTICE_DELAY_MS). */
  noticeDelayMs?: number;
}

declare module '../../db/schema.js' {
  interface Database {
    schedule_change_notices: {
      change_id: number;
      person_id: number;
      outbox_id: number;
      created_at: import('kysely').ColumnType<Date, Date | string | undefined, never>;
    };
  }
}

export const SLOT_KINDS = ['talk', 'discussion', 'break', 'meal', 'social'] as const satisfies readonly SlotKind[];

/** At most this many days in an edition's schedule (the dates are typed by people). */
const MAX_DAYS = 14;

export interface BuilderDay {
  /** The agenda_days row, or null while no slot or bound has been set on that date. */
  id: number | null;
  date: string;
  label: string;
  start: string;
  end: string;
  /** Whether the date lies within the edition's dates. */
  inEdition: boolean;
}

export interface BuilderSpeaker {
  personId: number;
  name: string;
  slug: string;
}

export interface BuilderSlot {
  id: number;
  date: string;
  start: string;
  /** As stored; null means "until the next slot" (imported pages). */
  end: string | null;
  /** The end the conflict rules use (see conflicts.slotEnd). */
  effectiveEnd: string;
  /** For a slot without an end: what ends it, in words (see conflicts.openEndNote); else null. */
  endNote: string | null;
  openEnded: boolean;
  kind: SlotKind;
  title: string;
  talkTitle: string | null;
  room: string | null;
  topicId: number | null;
  /** The topic's number in the edition, as people know it (#3). */
  topicNumber: number | null;
  topicTitle: string | null;
  speakers: BuilderSpeaker[];
  position: number;
  /** What the schedule shows for it: its title, else its topic's, else its kind. */
  label: string;
  /** Changes whenever the slot does: an edit form sends it back, so that it cannot undo another's change unseen. */
  version: string;
  /** Listed on an imported page (an archive's), not added here (see conflicts ScheduleSlot.imported). */
  imported: boolean;
}

export interface SpeakerChoice extends BuilderSpeaker {
  /** Speaks, or presents, though the edition lists its attendees and they are not among them. */
  notAttendee: boolean;
}

export interface BuilderTopic {
  id: number;
  number: number;
  title: string;
  wishedMinutes: number | null;
  presenters: BuilderSpeaker[];
  scheduledIn: number[];
}

export interface ScheduleState {
  edition: {
    id: number;
    series: string;
    year: number;
    title: string;
    status: FoundEdition['status'];
    publishedAt: Date | null;
    startDate: string | null;
    endDate: string | null;
    timeZone: string | null;
  };
  days: BuilderDay[];
  slots: BuilderSlot[];
  /** Accepted proposals (what may be scheduled). */
  topics: BuilderTopic[];
  /** The edition's accepted attendees. */
  attendees: BuilderSpeaker[];
  /**
   * Whether the edition knows who attends (it lists attendees or has invitations): then a speaker
   * who is not among `attendees` is a conflict, even when nobody is (the only one withdrew).
   */
  knowsAttendees: boolean;
  /** Who may be named as a speaker (see speakerChoices): the attendees first, by name. */
  speakerChoices: SpeakerChoice[];
  conflicts: ScheduleConflict[];
}

// ---------------------------------------------------------------------------------------------
// Input

const time = z
  .string()
  .trim()
  .regex(/^([01]?\d|2[0-3]):[0-5]\d$/, 'must be a time of day, HH:MM (24-hour)')
  .transform((t) => t.padStart(5, '0'));
/** A time of day, or 24:00 for the end of the day (a day's hours, a slot's end). */
export const dayBound = z
  .string()
  .trim()
  .regex(/^(([01]?\d|2[0-3]):[0-5]\d|24:00)$/, 'must be a time of day, HH:MM (24-hour)')
  .transform((t) => t.padStart(5, '0'));
/** A slot's end: a time of day, or 24:00 for midnight at the end of the day. */
const endTime = dayBound;
const isoDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date, YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, { error: (iss) => `${String(iss.input)} is not a real date` });
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const blankToNull = (v: unknown) => (v === undefined || (typeof v === 'string' && v.trim() === '') ? null : v);
const id = z.coerce.number().int().positive();

export const SlotInput = z.object({
  date: isoDate,
  start: time,
  end: z.preprocess(blankToUndefined, endTime.optional()),
  lengthMinutes: z.preprocess(blankToUndefined, z.coerce.number().int('must be whole minutes').min(5, 'must be at least 5 minutes').max(720, 'must be at most 12 hours').optional()),
  kind: z.enum(SLOT_KINDS, { message: `must be one of ${SLOT_KINDS.join(', ')}` }),
  title: visibleLine(z.string().trim().max(300, 'must be at most 300 characters')).default(''),
  topicId: z.preprocess(blankToNull, id.nullable()).default(null),
  speakerIds: z.array(id).max(20, 'at most 20 speakers').default([]),
  room: z.preprocess(blankToNull, visibleLine(z.string().trim().max(100, 'must be at most 100 characters')).nullable()).default(null),
  /** For an edit: the slot's `version` when the form was made (BuilderSlot.version). */
  version: z.preprocess(blankToUndefined, z.string().max(16_000).optional()),
});
export type SlotInput = z.input<typeof SlotInput>;
type ParsedSlot = z.output<typeof SlotInput>;

/**
 * Where a slot moves. With a start: to that time of `date` (the slot's own day when not given),
 * where `beforeSlotId` or `afterSlotId` only orders it among slots starting at that time (parallel
 * sessions). Without one, it is placed as a drag in the builder puts it, and the server works out
 * the start (see placement): right after `afterSlotId`, right before `beforeSlotId`, or with
 * neither at the top of `date`.
 */
export const MoveInput = z.object({
  date: z.preprocess(blankToUndefined, isoDate.optional()),
  start: z.preprocess(blankToUndefined, time.optional()),
  beforeSlotId: z.preprocess(blankToNull, id.nullable()).default(null),
  afterSlotId: z.preprocess(blankToNull, id.nullable()).default(null),
});
export type MoveInput = z.input<typeof MoveInput>;

export const DayInput = z.object({
  date: isoDate,
  // Not given: kept. Empty: the name is dropped, and the day is named by its date again.
  label: visibleLine(z.string().trim().max(100, 'must be at most 100 characters')).optional(),
  start: z.preprocess(blankToUndefined, dayBound.optional()),
  end: z.preprocess(blankToUndefined, dayBound.optional()),
});
export type DayInput = z.input<typeof DayInput>;

// ---------------------------------------------------------------------------------------------
// Reading

/** The dates from start to end (both included), at most MAX_DAYS; [] without a start. */
export function editionDays(start: string | null, end: string | null): string[] {
  if (!start) return [];
  const out: string[] = [];
  for (let d = start; d <= (end ?? start) && out.length < MAX_DAYS; d = addDays(d, 1)) out.push(d);
  return out;
}

/**
 * Whether a date lies within the edition's dates (any date, when it has none): editionDays lists
 * at most MAX_DAYS of them, but a slot on a later one of a longer edition is on one of its days.
 */
export function withinDates(start: string | null, end: string | null, date: string): boolean {
  return start === null || (date >= start && date <= (end ?? start));
}

const WEEKDAY = new Intl.DateTimeFormat('en-US', { weekday: 'long', timeZone: 'UTC' });

/** "Tuesday, May 12, 2026". */
export function dayLabel(date: string): string {
  const wd = WEEKDAY.format(new Date(`${date}T12:00:00Z`));
  return `${wd}, ${longDate(date)}`;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/**
 * Whether a day's label only says its date, as an imported page's do ("July 14th:", "Tuesday,
 * June 14, 2011"): it names the date's month and day of the month, and nothing else is left but
 * a weekday, the year and punctuation ("Monday, June 9 — Hackathon" is a name).
 */
export function labelIsDate(day: { date: string; label: string }): boolean {
  // "2027-03-27", or the day's own weekday alone ("Monday"), says nothing the date does not.
  const wd = WEEKDAY.format(new Date(`${day.date}T12:00:00Z`)).toLowerCase();
  if (day.label.trim() === day.date || day.label.trim().toLowerCase().replace(/[,.:]$/, '') === wd) return true;
  const month = MONTHS[Number(day.date.slice(5, 7)) - 1]!;
  const dom = Number(day.date.slice(8, 10));
  const words = day.label.toLowerCase().split(/[\s,.:;]+/).filter((w) => w !== '');
  const isMonth = (w: string) => w === month || (w.length >= 3 && month.startsWith(w));
  const isDay = (w: string) => new RegExp(`^0?${dom}(st|nd|rd|th)?$`).test(w);
  const isWeekday = (w: string) => WEEKDAYS.some((d) => w === d || (w.length >= 3 && d.startsWith(w)));
  return (
    words.some(isMonth) &&
    words.some(isDay) &&
    words.every((w) => isMonth(w) || isDay(w) || isWeekday(w) || w === day.date.slice(0, 4))
  );
}

/**
 * A day as the schedule names it: its date ("Tuesday, June 8, 2027"), after the name it was
 * given when it has one ("Hacking day — Tuesday, June 8, 2027").
 */
export function dayName(day: { date: string; label: string }): string {
  return labelIsDate(day) || day.label.trim() === '' ? dayLabel(day.date) : `${day.label} — ${dayLabel(day.date)}`;
}

/** What the schedule shows for a slot: its title, else its topic's, else the imported talk's, else its kind. */
function slotTitle(s: { title: string; topicTitle: string | null; talkTitle: string | null; kind: SlotKind }): string {
  return s.title.trim() || s.topicTitle || s.talkTitle || s.kind;
}

/** A slot's room in a sentence: "room B", but "Room B" or "Main room" as named, not "room Room B". */
export function roomText(room: string): string {
  return /\broom\b/i.test(room) ? room : `room ${room}`;
}

/** "Tuesday 10:00–10:30". */
function dayTime(date: string, start: string, end: string | null): string {
  const wd = WEEKDAY.format(new Date(`${date}T12:00:00Z`));
  return `${wd} ${start}${end ? `–${end}` : ''}`;
}

export async function loadSchedule(deps: { db: Db }, ref: EditionRef): Promise<ScheduleState> {
  const e = await findEdition(deps.db, ref);
  return loadState(deps.db, e);
}

async function loadState(db: Db, e: FoundEdition): Promise<ScheduleState> {
  const [dayRows, slotRows, speakerRows, topicRows, presenterRows, attendeeRows, invitationRows] = await Promise.all([
    db.selectFrom('agenda_days').selectAll().where('edition_id', '=', e.id).orderBy('date').orderBy('position').execute(),
    db
      .selectFrom('slots')
      .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
      .selectAll('slots')
      .select('agenda_days.date')
      .where('agenda_days.edition_id', '=', e.id)
      .orderBy('agenda_days.date')
      .orderBy('slots.position')
      .execute(),
    db
      .selectFrom('slot_speakers')
      .innerJoin('slots', 'slots.id', 'slot_speakers.slot_id')
      .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
      .innerJoin('people', 'people.id', 'slot_speakers.person_id')
      .select(['slot_speakers.slot_id', 'slot_speakers.person_id', 'slot_speakers.position', 'people.name', 'people.slug'])
      .where('agenda_days.edition_id', '=', e.id)
      .orderBy('slot_speakers.position')
      .execute(),
    db.selectFrom('topics').selectAll().where('edition_id', '=', e.id).orderBy('number').execute(),
    db
      .selectFrom('topic_presenters')
      .innerJoin('topics', 'topics.id', 'topic_presenters.topic_id')
      .innerJoin('people', 'people.id', 'topic_presenters.person_id')
      .select(['topic_presenters.topic_id', 'topic_presenters.person_id', 'people.name', 'people.slug'])
      .where('topics.edition_id', '=', e.id)
      .orderBy('topic_presenters.position')
      .execute(),
    db
      .selectFrom('attendances')
      .innerJoin('people', 'people.id', 'attendances.person_id')
      .select(['attendances.person_id', 'people.name', 'people.slug'])
      .where('attendances.edition_id', '=', e.id)
      .orderBy('attendances.position')
      .execute(),
    db
      .selectFrom('invitations')
      .innerJoin('people', 'people.id', 'invitations.person_id')
      .select(['invitations.person_id', 'invitations.state', 'people.name', 'people.slug'])
      .where('invitations.edition_id', '=', e.id)
      .execute(),
  ]);

  const rows = new Map(dayRows.map((d) => [d.date, d]));
  const range = editionDays(e.start_date, e.end_date);
  const dates = [...new Set([...range, ...dayRows.map((d) => d.date)])].sort();
  const days: BuilderDay[] = dates.map((date) => {
    const r = rows.get(date);
    return {
      id: r?.id ?? null,
      date,
      label: r?.label ?? dayLabel(date),
      start: r?.start_time ?? DEFAULT_DAY_START,
      end: r?.end_time ?? DEFAULT_DAY_END,
      inEdition: withinDates(e.start_date, e.end_date, date),
    };
  });

  const topicTitle = new Map(topicRows.map((t) => [t.id, t.title]));
  const topicNumber = new Map(topicRows.map((t) => [t.id, t.number]));
  const slots: BuilderSlot[] = slotRows.map((s) => {
    const speakers = speakerRows.filter((sp) => sp.slot_id === s.id).map((sp) => ({ personId: sp.person_id, name: sp.name, slug: sp.slug }));
    const tt = s.topic_id !== null ? (topicTitle.get(s.topic_id) ?? null) : null;
    return {
      id: s.id,
      date: s.date,
      start: s.start_time,
      end: s.end_time,
      effectiveEnd: '',
      endNote: null,
      openEnded: s.open_ended,
      kind: s.kind,
      title: s.title,
      talkTitle: s.talk_title,
      room: s.room,
      topicId: s.topic_id,
      topicNumber: s.topic_id !== null ? (topicNumber.get(s.topic_id) ?? null) : null,
      topicTitle: tt,
      speakers,
      position: s.position,
      label: slotTitle({ title: s.title, topicTitle: tt, talkTitle: s.talk_title, kind: s.kind }),
      version: slotVersion(s, speakers.map((sp) => sp.personId)),
      imported: s.time_text !== null,
    };
  });
  const pure = slots.map(toPure);
  const byDate = new Map<string, ScheduleSlot[]>();
  for (const p of pure) byDate.set(p.date, [...(byDate.get(p.date) ?? []), p]);
  const dayOf = new Map(days.map((d) => [d.date, d]));
  slots.forEach((s, i) => {
    const d = dayOf.get(s.date);
    const day = d && { date: d.date, start: d.start, end: d.end };
    s.effectiveEnd = clock(Math.max(minutes(s.start), slotEnd(pure[i]!, byDate.get(s.date) ?? [], day)));
    s.endNote = openEndNote(pure[i]!, byDate.get(s.date) ?? [], day);
  });
  sortSlots(slots);

  const attendees = new Map<number, BuilderSpeaker>();
  for (const a of attendeeRows) attendees.set(a.person_id, { personId: a.person_id, name: a.name, slug: a.slug });
  for (const i of invitationRows) if (i.state === 'accepted') attendees.set(i.person_id, { personId: i.person_id, name: i.name, slug: i.slug });
  // An archived edition that never listed its attendees (2015) cannot tell strangers apart.
  const knowsAttendees = attendeeRows.length > 0 || invitationRows.length > 0;

  const topics: BuilderTopic[] = topicRows
    .filter((t) => t.state === 'accepted')
    .map((t) => ({
      id: t.id,
      number: t.number,
      title: t.title,
      wishedMinutes: t.wished_minutes,
      presenters: presenterRows.filter((p) => p.topic_id === t.id).map((p) => ({ personId: p.person_id, name: p.name, slug: p.slug })),
      scheduledIn: slots.filter((s) => s.topicId === t.id).map((s) => s.id),
    }));

  const input: ScheduleInput = {
    days: days.filter((d) => d.inEdition).map((d) => ({ date: d.date, start: d.start, end: d.end })),
    slots: pure,
    acceptedAttendeeIds: knowsAttendees ? [...attendees.keys()] : [...new Set(slots.flatMap((s) => s.speakers.map((sp) => sp.personId)))],
    acceptedTopicIds: topics.map((t) => t.id),
    people: Object.fromEntries([...speakerRows.map((s) => [s.person_id, s.name] as const), ...[...attendees.values()].map((a) => [a.personId, a.name] as const)]),
    topics: Object.fromEntries(topicRows.map((t) => [t.id, t.title])),
    topicNumbers: Object.fromEntries(topicRows.map((t) => [t.id, t.number])),
    topicPresenters: Object.fromEntries(topics.map((t) => [t.id, t.presenters.map((p) => p.personId)])),
  };
  for (const t of topics) for (const p of t.presenters) input.people![p.personId] ??= p.name;
  return {
    edition: {
      id: e.id,
      series: e.series_slug,
      year: e.year,
      title: e.title,
      status: e.status,
      publishedAt: e.schedule_published_at,
      startDate: e.start_date,
      endDate: e.end_date,
      timeZone: e.time_zone,
    },
    days,
    slots,
    topics,
    attendees: [...attendees.values()].sort((a, b) => a.name.localeCompare(b.name)),
    knowsAttendees,
    speakerChoices: speakerChoices(
      [...attendees.values()],
      slots.flatMap((s) => s.speakers),
      topics.flatMap((t) => t.presenters),
      knowsAttendees,
    ),
    conflicts: findConflicts(input),
  };
}

/**
 * Who may be named as a speaker: the accepted attendees; whoever already speaks in the edition's
 * schedule (an imported slot's speaker, or an attendee who has since declined, stays editable);
 * and the presenters of its accepted topics. Anyone else is refused, on the web and the CLI
 * alike; a choice who is not an attendee still shows as a conflict.
 */
export function speakerChoices(attendees: BuilderSpeaker[], speaking: BuilderSpeaker[], presenting: BuilderSpeaker[], knowsAttendees: boolean): SpeakerChoice[] {
  const byName = (a: BuilderSpeaker, b: BuilderSpeaker) => a.name.localeCompare(b.name);
  const out = new Map<number, SpeakerChoice>();
  for (const p of [...attendees].sort(byName)) out.set(p.personId, { ...p, notAttendee: false });
  for (const p of [...speaking, ...presenting].sort(byName)) if (!out.has(p.personId)) out.set(p.personId, { ...p, notAttendee: knowsAttendees });
  return [...out.values()];
}

function toPure(s: BuilderSlot): ScheduleSlot {
  return {
    id: s.id,
    date: s.date,
    start: s.start,
    end: s.end ?? null,
    openEnded: s.openEnded,
    kind: s.kind,
    room: s.room,
    speakerIds: s.speakers.map((sp) => sp.personId),
    topicId: s.topicId,
    title: s.title || s.topicTitle || '',
    imported: s.imported,
  };
}

function sortSlots(slots: BuilderSlot[]): void {
  slots.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) || minutes(a.start) - minutes(b.start) || a.position - b.position);
}

/**
 * The conflicts the schedule would have with `slot` saved (as a new slot, or in place of
 * `slotId`), without saving anything: what the builder shows while someone edits.
 */
export async function previewConflicts(deps: { db: Db }, ref: EditionRef, change: { slotId?: number | null; slot: SlotInput }): Promise<ScheduleConflict[]> {
  const e = await findEdition(deps.db, ref);
  const state = await loadState(deps.db, e);
  const s = parseSlot(change.slot);
  const topic = s.topicId !== null ? state.topics.find((t) => t.id === s.topicId) : undefined;
  const topicTitle = topic?.title ?? null;
  const current = change.slotId != null ? state.slots.find((x) => x.id === change.slotId) : undefined;
  const given = current ? speakersOfEdit(s, { topicId: current.topicId, speakerIds: current.speakers.map((p) => p.personId) }) : s.speakerIds;
  const speakers = given.length > 0 || s.topicId === null ? given : (topic?.presenters.map((p) => p.personId) ?? []);
  // The end saving gives it (resolveSlot): a length is time that passes; with neither an end nor
  // a length, a topic's slot lasts as long as its proposers wished.
  const length = s.lengthMinutes ?? (s.end === undefined ? (topic?.wishedMinutes ?? undefined) : undefined);
  const end = length !== undefined ? endAfter(e, s.date, s.start, length) : (s.end ?? null);
  const candidate: ScheduleSlot = {
    id: change.slotId ?? 'new',
    date: s.date,
    start: s.start,
    end,
    kind: s.kind,
    room: s.room,
    speakerIds: speakers,
    topicId: s.topicId,
    title: s.title || topicTitle || '',
    imported: current?.imported ?? false,
  };
  const others = state.slots.filter((x) => x.id !== change.slotId).map(toPure);
  // This slot's conflicts, and a topic it would leave unscheduled; not one that was so before.
  const before = new Set(state.conflicts.filter((c) => c.rule === 'topic-unscheduled').map((c) => c.topicId));
  return conflictsOf(state, [...others, candidate]).filter((c) => c.slotIds.includes(candidate.id) || (c.rule === 'topic-unscheduled' && !before.has(c.topicId)));
}

/** Conflicts of the state's days and attendees with other slots. */
function conflictsOf(state: ScheduleState, slots: ScheduleSlot[]): ScheduleConflict[] {
  const knows = state.knowsAttendees;
  return findConflicts({
    days: state.days.filter((d) => d.inEdition).map((d) => ({ date: d.date, start: d.start, end: d.end })),
    slots,
    acceptedAttendeeIds: knows ? state.attendees.map((a) => a.personId) : slots.flatMap((s) => s.speakerIds),
    acceptedTopicIds: state.topics.map((t) => t.id),
    people: Object.fromEntries([...state.topics.flatMap((t) => t.presenters), ...state.attendees, ...state.slots.flatMap((s) => s.speakers)].map((p) => [p.personId, p.name])),
    topicPresenters: Object.fromEntries(state.topics.map((t) => [t.id, t.presenters.map((p) => p.personId)])),
    topics: Object.fromEntries([...state.topics.map((t) => [t.id, t.title] as const), ...state.slots.filter((s) => s.topicId !== null).map((s) => [s.topicId!, s.topicTitle ?? ''] as const)]),
    topicNumbers: Object.fromEntries([
      ...state.topics.map((t) => [t.id, t.number] as const),
      ...state.slots.filter((s) => s.topicId !== null && s.topicNumber !== null).map((s) => [s.topicId!, s.topicNumber!] as const),
    ]),
  });
}

/** A slot's form, checked as a whole: every wrong field at once. */
function parseSlot(input: SlotInput): ParsedSlot {
  const s = parseFormChecked(SlotInput, input, (p) => {
    const fields: Record<string, string> = {};
    if (p.end !== undefined && p.start !== undefined && minutes(p.end) <= minutes(p.start)) fields.end = `must be after the start (${p.start})`;
    if (p.end !== undefined && p.lengthMinutes !== undefined) fields.lengthMinutes = 'give an end or a length, not both';
    if (p.topicId === null && p.title === '') fields.title = 'give a title or choose a topic';
    if (p.speakerIds && new Set(p.speakerIds).size !== p.speakerIds.length) fields.speakerIds = 'a speaker is listed twice';
    return fields;
  });
  if (s.end === undefined && s.lengthMinutes !== undefined) {
    const end = minutes(s.start) + s.lengthMinutes;
    if (end > 24 * 60) throw new InvalidForm({ lengthMinutes: 'the slot would end after midnight' });
    s.end = clock(end);
  }
  return s;
}

/**
 * Refuses a slot time the edition's clocks skip or pass twice (a change of daylight saving time
 * at night): the slot would end before it starts, or be at either of two moments.
 */
function checkWallTimes(e: FoundEdition, date: string, times: { field: string; time: string | null | undefined; reached?: string }[]): void {
  const tz = knownTimeZone(e.time_zone);
  if (!tz) return;
  for (const { field, time, reached } of times) {
    if (!time) continue;
    const gap = wallTimeGap(tz, date, minutes(time));
    if (!gap) continue;
    const day = dayLabel(date);
    const subject = reached ? `${reached}, the slot would end at ${time}, which` : time;
    // A derived end is moved by its start or its length, not chosen itself.
    const choose = reached ? 'choose a start or a length that ends it outside' : 'choose a time outside';
    throw new InvalidInput(
      field,
      gap.kind === 'skipped'
        ? `${subject} does not happen on ${day} in ${tz}: the clocks go forward from ${gap.from} to ${gap.to}`
        : `${subject} happens twice on ${day} in ${tz}: the clocks go back from ${gap.from} to ${gap.to}; ${choose} ${gap.to}–${gap.from}`,
    );
  }
}

/**
 * The end of a slot lasting `length` minutes from `start`: minutes that pass, so that across a
 * change of the clocks the end shows an hour more or less. Null when it would be after
 * midnight (a slot's end is 24:00 at the latest).
 */
function endAfter(e: FoundEdition, date: string, start: string, length: number): string | null {
  const tz = knownTimeZone(e.time_zone);
  const end = tz ? wallMinuteAfter(tz, date, minutes(start), length) : minutes(start) + length;
  if (end > 24 * 60) return null;
  return clock(end);
}

// ---------------------------------------------------------------------------------------------
// Writing

type Trx = Transaction<Database>;

/** A slot as the changelog and the audit keep it. */
interface SlotSnapshot {
  id: number;
  date: string;
  start: string;
  end: string | null;
  kind: SlotKind;
  title: string;
  room: string | null;
  topicId: number | null;
  /**
   * By the name the schedule lists them under (slot_speakers.name_as_listed), as its page and
   * files show them, not their name now: a speaker renamed since the slot was written is listed
   * under the new name once it is written again, and that edit must say so (describeEdit), so
   * that the changelog has it and the calendar files raise the event's SEQUENCE.
   */
  speakers: { id: number; name: string }[];
}

async function snapshot(trx: Trx, slotId: number): Promise<SlotSnapshot | null> {
  const s = await trx
    .selectFrom('slots')
    .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
    .leftJoin('topics', 'topics.id', 'slots.topic_id')
    .select(['slots.id', 'agenda_days.date', 'slots.start_time', 'slots.end_time', 'slots.kind', 'slots.title', 'slots.talk_title', 'slots.room', 'slots.topic_id', 'topics.title as topic_title'])
    .where('slots.id', '=', slotId)
    .executeTakeFirst();
  if (!s) return null;
  const speakers = await trx
    .selectFrom('slot_speakers')
    .select(['slot_speakers.person_id as id', 'slot_speakers.name_as_listed as name'])
    .where('slot_speakers.slot_id', '=', slotId)
    .orderBy('slot_speakers.position')
    .execute();
  return {
    id: s.id,
    date: s.date,
    start: s.start_time,
    end: s.end_time,
    kind: s.kind,
    title: slotTitle({ title: s.title, topicTitle: s.topic_title, talkTitle: s.talk_title, kind: s.kind }),
    room: s.room,
    topicId: s.topic_id,
    speakers,
  };
}

/**
 * What a schedule write's audit entry is about, named as `conclave audit --entity` takes it: a
 * slot (its id the slot's, as `schedule show` prints it), a day, or the schedule as a whole.
 */
function auditEntity(action: string): 'slot' | 'day' | 'schedule' {
  return action.startsWith('schedule.slot.') ? 'slot' : action.startsWith('schedule.day') ? 'day' : 'schedule';
}

/**
 * Where the schedule files put each slot of the edition (exports/schedule.ts placeDay): its day's
 * date, start and end, by slot id, with its guid.
 */
async function placements(trx: Trx, editionId: number): Promise<Map<number, { guid: string | null; at: string }>> {
  const rows = await trx
    .selectFrom('slots')
    .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
    .select(['slots.id', 'slots.guid', 'slots.day_id', 'slots.start_time', 'slots.end_time', 'slots.open_ended', 'slots.kind', 'agenda_days.date', 'agenda_days.start_time as day_start', 'agenda_days.end_time as day_end'])
    .where('agenda_days.edition_id', '=', editionId)
    .execute();
  const byDay = new Map<number, typeof rows>();
  for (const r of rows) byDay.set(r.day_id, [...(byDay.get(r.day_id) ?? []), r]);
  const out = new Map<number, { guid: string | null; at: string }>();
  for (const slots of byDay.values()) {
    const d = slots[0]!;
    const placed = placeDay(
      { date: d.date, start: d.day_start ?? undefined, end: d.day_end ?? undefined },
      slots.map((s) => ({ start: s.start_time, end: s.end_time, openEnded: s.open_ended, kind: s.kind })),
    );
    slots.forEach((s, i) => {
      const p = placed[i];
      out.set(s.id, { guid: s.guid, at: p ? `${d.date} ${p.start}–${p.end}` : `${d.date} untimed` });
    });
  }
  return out;
}

/**
 * The slots, other than the one a write is about (`own`), that it moved in the schedule files:
 * still there, at another day, start or end (a day's hours that end an open-ended slot, a slot
 * put after one that runs until the next). Their calendar events are revised (alsoMoved).
 */
function movedBesides(before: Map<number, { guid: string | null; at: string }>, after: Map<number, { guid: string | null; at: string }>, own: number | null): MovedSlot[] {
  const moved: MovedSlot[] = [];
  for (const [id, now] of after) {
    const was = before.get(id);
    if (id !== own && was !== undefined && was.at !== now.at) moved.push({ id, guid: now.guid });
  }
  return moved.sort((a, b) => a.id - b.id);
}

/**
 * Runs a write with the edition locked, then records audit, changelog and mail. The audit entry
 * names the slots the write moved besides its own (alsoMoved), for the exports to count it as a
 * revision of their events.
 */
async function write<T>(
  deps: ScheduleDeps,
  actor: Actor,
  ref: EditionRef,
  action: string,
  body: (trx: Trx, e: FoundEdition) => Promise<{ result: T; change?: PendingChange; entityId?: number | null; before?: unknown; after?: unknown }>,
): Promise<T> {
  return deps.db.transaction().execute(async (trx) => {
    const e = await findEdition(trx, ref, { lock: true });
    const placedBefore = await placements(trx, e.id);
    const out = await body(trx, e);
    const entity = auditEntity(action);
    const alsoMoved = movedBesides(placedBefore, await placements(trx, e.id), entity === 'slot' ? (out.entityId ?? null) : null);
    await recordAudit(trx, actor, {
      action,
      entity,
      entityId: out.entityId ?? null,
      editionId: e.id,
      before: out.before ?? null,
      after: alsoMoved.length > 0 ? { ...((out.after ?? {}) as object), alsoMoved } : (out.after ?? null),
    });
    // From its publication here on: an imported schedule (an archive's) was never published, and
    // correcting it is no news to anyone.
    if (out.change && e.schedule_published_at !== null) await logChange(trx, deps, e, actor, out.change);
    return out.result;
  });
}

/** Where and when an edition's slots happen: what a change of the edition's own fields moves. */
interface EditionWhen {
  timeZone: string | null;
  startDate: string | null;
  endDate: string | null;
}

interface PendingChange {
  kind: ScheduleChangeKind;
  summary: string;
  slotId: number | null;
  /** A slot's snapshot, or for a change of the edition's zone or dates, those. */
  before: SlotSnapshot | EditionWhen | null;
  after: SlotSnapshot | EditionWhen | null;
  /** Speakers to tell (before and after the change). */
  speakerIds: number[];
}

/** How many days before or after the edition's dates a new day of its schedule may be. */
const MAX_DAYS_OFF = 31;

/** The day row of a date, created (with its label and default bounds) when missing. */
async function dayId(trx: Trx, e: FoundEdition, date: string): Promise<number> {
  const row = await trx.selectFrom('agenda_days').select('id').where('edition_id', '=', e.id).where('date', '=', date).executeTakeFirst();
  if (row) return row.id;
  // A day some way off the edition's dates is allowed (and flagged); one far off is a typo, which
  // would stretch the calendar files and conference apps' view of the edition over it.
  if (e.start_date) {
    const end = e.end_date ?? e.start_date;
    const off = date < e.start_date ? daysBetween(date, e.start_date) : date > end ? daysBetween(end, date) : 0;
    if (off > MAX_DAYS_OFF) {
      throw new InvalidForm({
        date: `${dayLabel(date)} is ${off <= 90 ? `${off} days` : off < 730 ? `about ${Math.round(off / 30.44)} months` : `about ${Math.round(off / 365.25)} years`} ${date < e.start_date ? 'before' : 'after'} ${e.title} (${dateRange(e.start_date, e.end_date)}): a day of its schedule is at most ${MAX_DAYS_OFF} days off its dates`,
      });
    }
  }
  const created = await trx
    .insertInto('agenda_days')
    .values({ edition_id: e.id, date, label: dayLabel(date), position: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  await renumberDays(trx, e.id);
  return created.id;
}

async function renumberDays(trx: Trx, editionId: number): Promise<void> {
  const days = await trx.selectFrom('agenda_days').select(['id', 'position']).where('edition_id', '=', editionId).orderBy('date').orderBy('position').execute();
  for (const [i, d] of days.entries()) if (d.position !== i) await trx.updateTable('agenda_days').set({ position: i }).where('id', '=', d.id).execute();
}

/**
 * Drops the row of a day its last slot has left when the row says nothing a missing row would
 * not: the default hours and label, no columns of an imported page. A date outside the edition's
 * dates then leaves the schedule, instead of lingering as a day that holds nothing.
 */
async function dropIfBare(trx: Trx, e: FoundEdition, dayIdValue: number): Promise<void> {
  const slot = await trx.selectFrom('slots').select('id').where('day_id', '=', dayIdValue).limit(1).executeTakeFirst();
  if (slot) return;
  const d = await trx.selectFrom('agenda_days').selectAll().where('id', '=', dayIdValue).executeTakeFirst();
  if (!d || (d.start_time ?? DEFAULT_DAY_START) !== DEFAULT_DAY_START || (d.end_time ?? DEFAULT_DAY_END) !== DEFAULT_DAY_END) return;
  if (d.label !== dayLabel(d.date) || d.columns !== '') return;
  await trx.deleteFrom('agenda_days').where('id', '=', d.id).execute();
  await renumberDays(trx, e.id);
}

/**
 * Positions of a day's slots follow their start times; among slots starting together the
 * existing order holds, except that `place` puts one slot before or after another starting at
 * the same time; else right after a slot (`afterSlotId`) that starts earlier, first among them;
 * else last.
 */
async function renumberSlots(trx: Trx, dayIdValue: number, place?: { slotId: number; beforeSlotId: number | null; afterSlotId?: number | null }): Promise<void> {
  const rows = await trx.selectFrom('slots').select(['id', 'start_time', 'position']).where('day_id', '=', dayIdValue).orderBy('position').orderBy('id').execute();
  let order = rows.slice().sort((a, b) => minutes(a.start_time) - minutes(b.start_time) || a.position - b.position || a.id - b.id);
  if (place) {
    const moved = order.find((r) => r.id === place.slotId);
    if (moved) {
      order = order.filter((r) => r.id !== place.slotId);
      const before = place.beforeSlotId !== null ? order.findIndex((r) => r.id === place.beforeSlotId && r.start_time === moved.start_time) : -1;
      const after = place.afterSlotId != null ? order.findIndex((r) => r.id === place.afterSlotId && r.start_time === moved.start_time) : -1;
      let at = before >= 0 ? before : after >= 0 ? after + 1 : -1;
      if (at < 0 && place.afterSlotId != null) {
        // Right after a slot that starts earlier: first among the slots starting at the same time.
        at = order.findIndex((r) => minutes(r.start_time) >= minutes(moved.start_time));
        if (at < 0) at = order.length;
      }
      if (at < 0) {
        // Last among the slots starting at the same time.
        at = order.findIndex((r) => minutes(r.start_time) > minutes(moved.start_time));
        if (at < 0) at = order.length;
      }
      order.splice(at, 0, moved);
    }
  }
  for (const [i, r] of order.entries()) if (r.position !== i) await trx.updateTable('slots').set({ position: i }).where('id', '=', r.id).execute();
}

/**
 * Checks the topic and speakers of a slot against the edition; fills speakers from the topic,
 * and the end from a length (the one given, else the topic's wished one) in the edition's time,
 * refusing a start or end its clocks skip or pass twice.
 */
async function resolveSlot(trx: Trx, e: FoundEdition, s: ParsedSlot): Promise<{ speakerIds: number[]; names: Map<number, string> }> {
  let reached: { field: string; says: string } | null = null;
  if (s.lengthMinutes !== undefined) {
    const end = endAfter(e, s.date, s.start, s.lengthMinutes);
    if (end === null) throw new InvalidForm({ lengthMinutes: 'the slot would end after midnight' });
    s.end = end;
    reached = { field: 'lengthMinutes', says: `lasting ${s.lengthMinutes} minutes` };
  }
  if (s.topicId !== null) {
    // Shared-locked: a decision under way on the topic (decideTopic locks its row) is waited
    // for and then read, so that a topic declined meanwhile is not put on the schedule; and a
    // decline that comes after waits for this slot, and then sees it.
    const t = await trx.selectFrom('topics').select(['id', 'state', 'edition_id', 'title', 'wished_minutes']).where('id', '=', s.topicId).forShare().executeTakeFirst();
    if (!t || t.edition_id !== e.id) throw new InvalidForm({ topicId: `there is no such topic in ${e.title}` });
    if (t.state !== 'accepted') throw new InvalidForm({ topicId: `“${t.title}” is ${t.state}, not accepted: only accepted topics can be scheduled` });
    // Without an end or a length, a topic's slot lasts as long as its proposers wished; a length
    // that would run past midnight is said, not dropped.
    if (s.end === undefined && t.wished_minutes !== null) {
      const wished = endAfter(e, s.date, s.start, t.wished_minutes);
      if (wished === null) {
        throw new InvalidForm({ start: `“${t.title}” lasts the ${t.wished_minutes} minutes its proposers wished: starting at ${s.start}, it would end after midnight; give the slot an end, or start it earlier` });
      }
      s.end = wished;
      reached = { field: 'end', says: `lasting the ${t.wished_minutes} minutes its proposers wished` };
    }
  }
  checkWallTimes(e, s.date, [
    { field: 'start', time: s.start },
    reached ? { field: reached.field, time: s.end, reached: reached.says } : { field: 'end', time: s.end },
  ]);
  let speakerIds = s.speakerIds;
  if (speakerIds.length === 0 && s.topicId !== null) {
    const presenters = await trx.selectFrom('topic_presenters').select('person_id').where('topic_id', '=', s.topicId).orderBy('position').execute();
    speakerIds = presenters.map((p) => p.person_id);
  }
  const names = new Map<number, string>();
  if (speakerIds.length > 0) {
    const people = await trx.selectFrom('people').select(['id', 'name']).where('id', 'in', speakerIds).execute();
    for (const p of people) names.set(p.id, p.name);
    const missing = speakerIds.filter((sid) => !names.has(sid));
    if (missing.length > 0) throw new InvalidForm({ speakerIds: `no such person: #${missing.join(', #')}` });
    const allowed = await choosable(trx, e.id, speakerIds);
    const strangers = [...new Set(speakerIds.filter((sid) => !allowed.has(sid)))].map((sid) => names.get(sid)!);
    if (strangers.length > 0) {
      const verb = strangers.length === 1 ? 'is not an accepted attendee' : 'are not accepted attendees';
      throw new InvalidForm({ speakerIds: `${strangers.join(', ')} ${verb} of ${e.title}, nor already on its schedule` });
    }
  }
  return { speakerIds, names };
}

/** Which of these people speakerChoices allows in the edition (the same rule, read for just them). */
async function choosable(trx: Trx, editionId: number, ids: number[]): Promise<Set<number>> {
  const rows = await trx
    .selectFrom('attendances')
    .select('person_id')
    .where('edition_id', '=', editionId)
    .where('person_id', 'in', ids)
    .union(trx.selectFrom('invitations').select('person_id').where('edition_id', '=', editionId).where('state', '=', 'accepted').where('person_id', 'in', ids))
    .union(
      trx
        .selectFrom('slot_speakers')
        .innerJoin('slots', 'slots.id', 'slot_speakers.slot_id')
        .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
        .select('slot_speakers.person_id')
        .where('agenda_days.edition_id', '=', editionId)
        .where('slot_speakers.person_id', 'in', ids),
    )
    .union(
      trx
        .selectFrom('topic_presenters')
        .innerJoin('topics', 'topics.id', 'topic_presenters.topic_id')
        .select('topic_presenters.person_id')
        .where('topics.edition_id', '=', editionId)
        .where('topics.state', '=', 'accepted')
        .where('topics.origin', '=', 'proposal')
        .where('topic_presenters.person_id', 'in', ids),
    )
    .execute();
  return new Set(rows.map((r) => r.person_id));
}

async function writeSpeakers(trx: Trx, slotId: number, speakerIds: number[], names: Map<number, string>): Promise<void> {
  await trx.deleteFrom('slot_speakers').where('slot_id', '=', slotId).execute();
  if (speakerIds.length === 0) return;
  await trx
    .insertInto('slot_speakers')
    .values(speakerIds.map((pid, i) => ({ slot_id: slotId, person_id: pid, name_as_listed: names.get(pid)!, position: i })))
    .execute();
}

async function slotOfEdition(trx: Trx, e: FoundEdition, slotId: number): Promise<{ id: number; day_id: number }> {
  const s = await trx
    .selectFrom('slots')
    .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
    .select(['slots.id', 'slots.day_id'])
    .where('slots.id', '=', slotId)
    .where('agenda_days.edition_id', '=', e.id)
    .forUpdate()
    .executeTakeFirst();
  if (!s) throw new NotFound(`there is no slot #${slotId} in ${e.title}`);
  return s;
}

const q = (s: string) => `“${s}”`;

/**
 * Gives a slot added in conclave the guid and numeric id it keeps for life in the schedule
 * exports: by its database id (slotIdNames). The numeric id must name one slot of the edition,
 * and one named by its place on an imported page (1001, 1002 …) may hold the id already: the
 * slot then takes the next free number after every other of the edition. The edition is locked.
 */
async function nameSlot(trx: Trx, e: FoundEdition, slotId: number): Promise<void> {
  const names = slotIdNames(e.series_slug, e.year, slotId);
  const taken = await trx
    .selectFrom('slots')
    .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
    .select((eb) => eb.fn.max('slots.numeric_id').as('last'))
    .where('agenda_days.edition_id', '=', e.id)
    .where('slots.id', '!=', slotId)
    .executeTakeFirst();
  const clash = await trx
    .selectFrom('slots')
    .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
    .select('slots.id')
    .where('agenda_days.edition_id', '=', e.id)
    .where('slots.id', '!=', slotId)
    .where('slots.numeric_id', '=', names.numericId)
    .executeTakeFirst();
  const numericId = clash ? Number(taken?.last ?? 0) + 1 : names.numericId;
  await trx.updateTable('slots').set({ guid: names.guid, numeric_id: numericId }).where('id', '=', slotId).execute();
}

export async function addSlot(deps: ScheduleDeps, actor: Actor, ref: EditionRef, input: SlotInput): Promise<SlotSnapshot> {
  const s = parseSlot(input);
  return write(deps, actor, ref, 'schedule.slot.add', async (trx, e) => {
    const { speakerIds, names } = await resolveSlot(trx, e, s);
    const day = await dayId(trx, e, s.date);
    const created = await trx
      .insertInto('slots')
      .values({
        day_id: day,
        start_time: s.start,
        end_time: s.end ?? null,
        kind: s.kind,
        title: s.title,
        room: s.room,
        topic_id: s.topicId,
        position: 1_000_000,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await nameSlot(trx, e, created.id);
    await writeSpeakers(trx, created.id, speakerIds, names);
    await renumberSlots(trx, day);
    const after = (await snapshot(trx, created.id))!;
    return {
      result: after,
      entityId: created.id,
      after,
      change: {
        kind: 'add',
        summary: addedText(after),
        slotId: created.id,
        before: null,
        after,
        speakerIds: after.speakers.map((p) => p.id),
      },
    };
  });
}

/**
 * The speakers an edit gives a slot. Given another topic with its speakers left as they were
 * (the form shows them, the command keeps what is not given), none: the slot then takes the new
 * topic's presenters, as a slot added with a topic does; the old topic's speakers would
 * otherwise present a talk not theirs. Saving and the preview of the edit both ask here.
 */
function speakersOfEdit(s: { topicId: number | null; speakerIds: number[] }, before: { topicId: number | null; speakerIds: readonly number[] }): number[] {
  const same = s.speakerIds.length === before.speakerIds.length && s.speakerIds.every((x) => before.speakerIds.includes(x));
  return s.topicId !== null && s.topicId !== before.topicId && same ? [] : s.speakerIds;
}

export async function updateSlot(deps: ScheduleDeps, actor: Actor, ref: EditionRef, slotId: number, input: SlotInput): Promise<SlotSnapshot> {
  const s = parseSlot(input);
  return write(deps, actor, ref, 'schedule.slot.edit', async (trx, e) => {
    const old = await slotOfEdition(trx, e, slotId);
    const before = (await snapshot(trx, slotId))!;
    const now = await currentFields(trx, slotId);
    if (s.version !== undefined && s.version !== editVersion(now)) {
      const topic = now.topicId === null ? null : await trx.selectFrom('topics').select('title').where('id', '=', now.topicId).executeTakeFirst();
      const changes = changedSince(s.version, now, SLOT_FIELD_LABELS, (k) => slotFieldWords(k, now, before.speakers, topic?.title ?? null)) ?? [];
      const who = before.speakers.length ? `, with ${before.speakers.map((p) => p.name).join(', ')}` : '';
      // Not knowing the form's fields (a form from before versions held them), the slot as it is.
      const what = changes.length ? `since the form was loaded, ${changesText(changes)}` : `it is now ${dayTime(before.date, before.start, before.end)}${before.room ? `, ${roomText(before.room)}` : ''}${who}`;
      throw new StaleSlot(`${q(before.title)} was changed meanwhile, by someone else or by the same change sent twice (${what}): nothing was saved`, changes);
    }
    s.speakerIds = speakersOfEdit(s, { topicId: before.topicId, speakerIds: before.speakers.map((p) => p.id) });
    const { speakerIds, names } = await resolveSlot(trx, e, s);
    const day = await dayId(trx, e, s.date);
    // A slot given another topic (two talks swapped by editing their slots) would show the
    // slides of the topic it held under the one it now holds: they stay with their topic, as
    // when the slot is removed, and show with its next slot.
    const kept =
      before.topicId !== null && before.topicId !== s.topicId
        ? await trx.updateTable('materials').set({ slot_id: null, topic_id: before.topicId }).where('slot_id', '=', slotId).returning('id').execute()
        : [];
    await trx
      .updateTable('slots')
      .set({ day_id: day, start_time: s.start, end_time: s.end ?? null, kind: s.kind, title: s.title, room: s.room, topic_id: s.topicId })
      .where('id', '=', slotId)
      .execute();
    await writeSpeakers(trx, slotId, speakerIds, names);
    await renumberSlots(trx, day);
    if (old.day_id !== day) {
      await renumberSlots(trx, old.day_id);
      await dropIfBare(trx, e, old.day_id);
    }
    const after = (await snapshot(trx, slotId))!;
    const summary = describeEdit(before, after);
    return {
      result: after,
      entityId: slotId,
      before,
      after: kept.length > 0 ? { ...after, materialsKeptWithTopic: kept.map((m) => m.id) } : after,
      change: summary
        ? { kind: timeChanged(before, after) ? 'move' : 'edit', summary, slotId, before, after, speakerIds: touched(before, after) }
        : undefined,
    };
  });
}

export async function moveSlot(deps: ScheduleDeps, actor: Actor, ref: EditionRef, slotId: number, input: MoveInput): Promise<SlotSnapshot> {
  const m = parseInput(MoveInput, input);
  if (m.beforeSlotId !== null && m.afterSlotId !== null) throw new InvalidInput('afterSlotId', 'give a slot to go before or one to go after, not both');
  if (m.start === undefined && m.date === undefined && m.beforeSlotId === null && m.afterSlotId === null) {
    throw new InvalidInput('start', 'give a start, or a day or a slot to go before or after');
  }
  return write(deps, actor, ref, 'schedule.slot.move', async (trx, e) => {
    const old = await slotOfEdition(trx, e, slotId);
    const before = (await snapshot(trx, slotId))!;
    // Where to: the time given, or worked out here from where it was put (not from the page's clock).
    const to = m.start !== undefined ? { date: m.date ?? before.date, start: m.start } : await placement(trx, e, slotId, m);
    // The slot keeps its length (the time that passes); one that runs "until the next one" keeps doing so.
    let end: string | null = null;
    if (before.end !== null) {
      const length = elapsedMinutes(knownTimeZone(e.time_zone), before.date, minutes(before.start), minutes(before.end));
      end = endAfter(e, to.date, to.start, length);
      if (end === null) throw new InvalidInput('start', `${q(before.title)} lasts ${length} minutes: starting at ${to.start} it would end after midnight`);
    }
    checkWallTimes(e, to.date, [{ field: 'start', time: to.start }, { field: 'start', time: end, reached: 'keeping its length' }]);
    const day = await dayId(trx, e, to.date);
    if (m.start !== undefined) {
      for (const [field, otherId, word] of [['beforeSlotId', m.beforeSlotId, 'before'], ['afterSlotId', m.afterSlotId, 'after']] as const) {
        if (otherId === null) continue;
        const other = await trx.selectFrom('slots').select(['day_id', 'start_time']).where('id', '=', otherId).executeTakeFirst();
        if (!other || other.day_id !== day || other.start_time !== to.start) {
          throw new InvalidInput(field, `slot #${otherId} does not start at ${to.start} on ${to.date}: a slot goes ${word} another only among slots starting together`);
        }
      }
    }
    await trx.updateTable('slots').set({ day_id: day, start_time: to.start, end_time: end }).where('id', '=', slotId).execute();
    await renumberSlots(trx, day, { slotId, beforeSlotId: m.beforeSlotId, afterSlotId: m.afterSlotId });
    if (old.day_id !== day) {
      await renumberSlots(trx, old.day_id);
      await dropIfBare(trx, e, old.day_id);
    }
    const after = (await snapshot(trx, slotId))!;
    const moved = timeChanged(before, after);
    return {
      result: after,
      entityId: slotId,
      before,
      after,
      change: moved
        ? {
            kind: 'move',
            summary: `${q(after.title)} ${timeChangeText(before, after)}`,
            slotId,
            before,
            after,
            speakerIds: touched(before, after),
          }
        : undefined,
    };
  });
}

/**
 * Where a slot moved without a start begins: where a drag in the builder puts it, worked out from
 * the schedule as it is, in time that passes. Right after `afterSlotId`: where that slot ends (as
 * the builder shows its end). Right before `beforeSlotId`: so that it ends where that slot starts,
 * but not before the day's start. With neither, at the top of `date`: so, before the day's first
 * other slot, or at the day's start when it has none. A length is the time that passes, not what
 * the clock face adds up to: the hours before a slot on the night the clocks change are one more
 * or one fewer than the clock shows. A named slot must be of the edition, not the one moved, and
 * on `date` when a date is given (a page's drop names both, and the slot may have moved since).
 */
async function placement(trx: Trx, e: FoundEdition, slotId: number, m: z.output<typeof MoveInput>): Promise<{ date: string; start: string }> {
  const state = await loadState(trx, e);
  const moving = state.slots.find((s) => s.id === slotId)!;
  const named = (field: 'beforeSlotId' | 'afterSlotId', otherId: number): BuilderSlot => {
    const word = field === 'beforeSlotId' ? 'before' : 'after';
    if (otherId === slotId) throw new InvalidInput(field, `a slot cannot go ${word} itself`);
    const other = state.slots.find((s) => s.id === otherId);
    if (!other) throw new InvalidInput(field, `there is no slot #${otherId} in ${e.title}`);
    if (m.date !== undefined && other.date !== m.date) {
      throw new InvalidInput(field, `${q(other.label)} (#${otherId}) is on ${dayLabel(other.date)}, not ${dayLabel(m.date)}: nothing was moved`);
    }
    return other;
  };
  if (m.afterSlotId !== null) {
    const above = named('afterSlotId', m.afterSlotId);
    if (minutes(above.effectiveEnd) >= 24 * 60) {
      throw new InvalidInput('afterSlotId', `${q(above.label)} ends at midnight: no slot starts after it on ${dayLabel(above.date)}`);
    }
    return { date: above.date, start: above.effectiveEnd };
  }
  const below = m.beforeSlotId !== null ? named('beforeSlotId', m.beforeSlotId) : state.slots.find((s) => s.date === m.date && s.id !== slotId);
  const date = below?.date ?? m.date!;
  const dayStart = minutes(state.days.find((d) => d.date === date)?.start ?? DEFAULT_DAY_START);
  if (!below) return { date, start: clock(dayStart) };
  const tz = knownTimeZone(e.time_zone);
  const length = elapsedMinutes(tz, moving.date, minutes(moving.start), minutes(moving.effectiveEnd));
  const next = minutes(below.start);
  // Not before the day's start: when less time than its length passes from then to the slot below.
  if (elapsedMinutes(tz, date, dayStart, next) <= length) return { date, start: clock(dayStart) };
  return { date, start: clock(tz ? wallMinuteAfter(tz, date, next, -length) : next - length) };
}

/** An edit made on a slot as it was before another change: refused, so as not to undo that change unseen. */
export class StaleSlot extends StaleEdit {
  override name = 'StaleSlot';
}

type SlotFields = ReturnType<typeof slotFields>;

/** A slot's fields as its version holds them (see BuilderSlot.version): what an edit form shows and sends. */
function slotFields(s: { date: string; start_time: string; end_time: string | null; kind: string; title: string; talk_title: string | null; room: string | null; topic_id: number | null }, speakerIds: number[]) {
  return { date: s.date, start: s.start_time, end: s.end_time, kind: s.kind, title: s.title, talkTitle: s.talk_title, topicId: s.topic_id, speakerIds, room: s.room };
}

function slotVersion(s: Parameters<typeof slotFields>[0], speakerIds: number[]): string {
  return editVersion(slotFields(s, speakerIds));
}

/** A stale edit names the slot's fields as its form does (a talk title is an imported page's). */
const SLOT_FIELD_LABELS: Record<keyof SlotFields, string> = { date: 'Day', start: 'Start', end: 'End', kind: 'Kind', title: 'Title', talkTitle: 'Talk title', topicId: 'Topic', speakerIds: 'Speakers', room: 'Room' };

/** What a slot's field holds now, in words, for a stale edit: "Wednesday, May 12, 2027", "“Terrace”", "none". */
function slotFieldWords(field: keyof SlotFields, now: SlotFields, speakers: { name: string }[], topicTitle: string | null): string {
  switch (field) {
    case 'date':
      return dayLabel(now.date);
    case 'speakerIds':
      return speakers.length ? speakers.map((p) => p.name).join(', ') : 'none';
    case 'topicId':
      return topicTitle === null ? 'none' : q(topicTitle);
    case 'title':
    case 'talkTitle':
    case 'room': {
      const v = now[field];
      return v ? q(v) : 'none';
    }
    default:
      return now[field] ?? 'none';
  }
}

async function currentFields(trx: Trx, slotId: number): Promise<SlotFields> {
  const row = await trx
    .selectFrom('slots')
    .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
    .select(['agenda_days.date', 'slots.start_time', 'slots.end_time', 'slots.kind', 'slots.title', 'slots.talk_title', 'slots.room', 'slots.topic_id'])
    .where('slots.id', '=', slotId)
    .executeTakeFirstOrThrow();
  const speakers = await trx.selectFrom('slot_speakers').select('person_id').where('slot_id', '=', slotId).orderBy('position').execute();
  return slotFields(row, speakers.map((r) => r.person_id));
}

export async function removeSlot(deps: ScheduleDeps, actor: Actor, ref: EditionRef, slotId: number): Promise<SlotSnapshot & { materialsHidden: number }> {
  return write(deps, actor, ref, 'schedule.slot.remove', async (trx, e) => {
    const old = await slotOfEdition(trx, e, slotId);
    const before = (await snapshot(trx, slotId))!;
    const { guid } = await trx.selectFrom('slots').select('guid').where('id', '=', slotId).executeTakeFirstOrThrow();
    // Its slides and links would go with it (on delete cascade): a topic's stay with the topic,
    // to follow it to its next slot; a slot of no topic is refused while it holds any.
    const materials = await trx.selectFrom('materials').select(['id', 'label', 'file_name', 'url']).where('slot_id', '=', slotId).orderBy('position').orderBy('id').execute();
    if (materials.length > 0 && before.topicId === null) {
      const named = materials.map((m) => `#${m.id} ${q(m.file_name ?? m.label)}`).join(', ');
      throw new Conflict(
        `${q(before.title)} holds ${materials.length === 1 ? '1 material' : `${materials.length} materials`} (${named}), which would be lost with it: remove ${materials.length === 1 ? 'it' : 'them'} first (under Materials, or \`conclave materials remove ${e.year} ID\`), then the slot`,
      );
    }
    if (materials.length > 0) await trx.updateTable('materials').set({ slot_id: null, topic_id: before.topicId }).where('slot_id', '=', slotId).execute();
    await trx.deleteFrom('slots').where('id', '=', slotId).execute();
    await renumberSlots(trx, old.day_id);
    await dropIfBare(trx, e, old.day_id);
    // A topic's materials are shown with its slot: with none left, the public pages hide them.
    const materialsHidden =
      before.topicId === null || (await trx.selectFrom('slots').select('id').where('topic_id', '=', before.topicId).executeTakeFirst())
        ? 0
        : Number((await trx.selectFrom('materials').select((eb) => eb.fn.countAll<number>().as('n')).where('topic_id', '=', before.topicId).where('slot_id', 'is', null).executeTakeFirstOrThrow()).n);
    return {
      result: { ...before, materialsHidden },
      entityId: slotId,
      before,
      // Its guid: an import of the page that writes it again hands its changelog on (write-edition.ts).
      after: { guid, ...(materials.length > 0 ? { materialsKeptWithTopic: materials.map((m) => m.id) } : {}) },
      change: {
        kind: 'remove',
        summary: removedText(before),
        slotId,
        before,
        after: null,
        speakerIds: before.speakers.map((p) => p.id),
      },
    };
  });
}

/** What a slot's removal says of its topic's materials no longer shown (removeSlot's materialsHidden); '' for none. */
export function hiddenMaterialsSentence(n: number): string {
  if (n === 0) return '';
  return `${n === 1 ? 'Its material is' : `Its ${n} materials are`} no longer shown publicly until the topic has a slot again.`;
}

/** Sets a day's label or the hours its slots may use (creating the day when it has no row yet). */
export async function setDay(deps: ScheduleDeps, actor: Actor, ref: EditionRef, input: DayInput): Promise<BuilderDay> {
  const d = parseFormChecked(DayInput, input, (p): Record<string, string> => (p.start && p.end && minutes(p.end) <= minutes(p.start) ? { end: `must be after the start (${p.start})` } : {}));
  return write(deps, actor, ref, 'schedule.day', async (trx, e) => {
    checkWallTimes(e, d.date, [
      { field: 'start', time: d.start },
      { field: 'end', time: d.end },
    ]);
    const id = await dayId(trx, e, d.date);
    const before = await trx.selectFrom('agenda_days').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const start = d.start ?? before.start_time;
    const end = d.end ?? before.end_time;
    // A side not given is the one the day has, its default when it has none: 21:00 alone would
    // otherwise end the day at 20:00, before it starts.
    const [from, to] = [start ?? DEFAULT_DAY_START, end ?? DEFAULT_DAY_END];
    if (minutes(to) <= minutes(from)) {
      // The side typed is at fault: a start alone is told of the end the day has, not the reverse.
      throw new InvalidForm(d.end === undefined ? { start: `must be before the day’s end (${to})` } : { end: `must be after the start (${from})` });
    }
    const label = d.label === undefined ? before.label : d.label === '' ? dayLabel(d.date) : d.label;
    const after = await trx
      .updateTable('agenda_days')
      .set({ label, start_time: start, end_time: end })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const hours = (r: typeof after) => `${r.start_time ?? DEFAULT_DAY_START}–${r.end_time ?? DEFAULT_DAY_END}`;
    const moved = hours(before) !== hours(after);
    // A name that only says the date is no name: "Tuesday, June 8" for "Tuesday, June 8, 2027" is no news.
    const renamed = dayName(before) !== dayName(after);
    const inEdition = withinDates(e.start_date, e.end_date, after.date);
    // What the public changelog says: only what changed, of a day the public sees (one of the
    // edition's, or one holding slots; an empty day outside the dates is in no page or file).
    const seen = inEdition || (await trx.selectFrom('slots').select('id').where('day_id', '=', id).executeTakeFirst()) !== undefined;
    const was = dayName(before);
    const runs = moved ? `runs ${hours(after)} (was ${hours(before)})` : '';
    const summary = !seen
      ? ''
      : renamed
        ? `${was} is ${labelIsDate(after) ? 'no longer named' : `now named ${q(after.label)}`}${moved ? ` and ${runs}` : ''}`
        : moved
          ? `${dayName(after)}: the day now ${runs}`
          : '';
    return {
      result: { id, date: after.date, label: after.label, start: after.start_time ?? DEFAULT_DAY_START, end: after.end_time ?? DEFAULT_DAY_END, inEdition },
      entityId: id,
      before,
      after,
      change: summary ? { kind: 'days', summary, slotId: null, before: null, after: null, speakerIds: [] } : undefined,
    };
  });
}

export const RemoveDayInput = z.object({ date: isoDate });
export type RemoveDayInput = z.input<typeof RemoveDayInput>;

/**
 * Removes what a day holds of its own — its hours and label — when it holds no slot: a date
 * outside the edition's dates leaves the schedule (say one left over from a slot since moved),
 * one among them stays with the default hours. Returns the day as it now is, or null when it is
 * gone. Conflict while the day holds slots; NotFound for a date that is no day of the schedule.
 */
export async function removeDay(deps: ScheduleDeps, actor: Actor, ref: EditionRef, input: RemoveDayInput): Promise<BuilderDay | null> {
  const { date } = parseInput(RemoveDayInput, input);
  return write(deps, actor, ref, 'schedule.day.remove', async (trx, e) => {
    const inEdition = withinDates(e.start_date, e.end_date, date);
    const rows = await trx.selectFrom('agenda_days').selectAll().where('edition_id', '=', e.id).where('date', '=', date).orderBy('position').execute();
    const defaults: BuilderDay = { id: null, date, label: dayLabel(date), start: DEFAULT_DAY_START, end: DEFAULT_DAY_END, inEdition };
    if (rows.length === 0) {
      if (inEdition) return { result: defaults };
      throw new NotFound(`${dayLabel(date)} is not a day of the schedule of ${e.title}`);
    }
    const slots = await trx
      .selectFrom('slots')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('day_id', 'in', rows.map((r) => r.id))
      .executeTakeFirstOrThrow();
    const n = Number(slots.n);
    if (n > 0) {
      throw new Conflict(`${rows[0]!.label} holds ${n} slot${n === 1 ? '' : 's'}: move or remove ${n === 1 ? 'it' : 'them'} first, then remove the day`);
    }
    await trx
      .deleteFrom('agenda_days')
      .where('id', 'in', rows.map((r) => r.id))
      .execute();
    await renumberDays(trx, e.id);
    const before = rows[0]!;
    const hours = `${before.start_time ?? DEFAULT_DAY_START}–${before.end_time ?? DEFAULT_DAY_END}`;
    const resetHours = `${DEFAULT_DAY_START}–${DEFAULT_DAY_END}`;
    // Only a date of the edition is a public day (with its name and hours) once it holds no slot.
    const parts = inEdition ? [...(labelIsDate(before) ? [] : ['is no longer named']), ...(hours !== resetHours ? [`runs ${resetHours} (was ${hours})`] : [])] : [];
    return {
      result: inEdition ? defaults : null,
      entityId: before.id,
      before: rows,
      after: null,
      change: parts.length
        ? {
            kind: 'days',
            summary: labelIsDate(before) ? `${defaults.label}: the day now ${parts.join(' and ')}` : `${dayName(before)} ${parts.join(' and ')}`,
            slotId: null,
            before: null,
            after: null,
            speakerIds: [],
          }
        : undefined,
    };
  });
}

export { PublishNeedsZone, PublishRefused } from './publication.js';

/**
 * Who a publication mailed: the template (schedule-published at the first publication,
 * schedule-final when a tentative schedule is made final), how many speakers it was queued for,
 * who it could not tell, and, when that is none, why in words.
 */
export interface PublicationMail {
  key: 'schedule-published' | 'schedule-final';
  told: number;
  /**
   * The speakers on the schedule it could not mail, by name: no address of theirs is known (an
   * archive's speaker, say, not invited to this edition). The committee is to tell them itself.
   */
  untold: string[];
  /** Why nobody was told ("no slot names a speaker …"); null when somebody was. */
  nobodyBecause: string | null;
}

/**
 * Publishes the schedule: planned → tentative (the page shows it, marked "Tentative"), or
 * tentative → final. Refused while there are conflicts, unless `force`; refused while the
 * edition has no time zone, unless `floatingTimes` (the committee's word that the times are to
 * be read wherever the reader is); refused with every reason at once (refusalError). Returns the edition as it now is, and who was mailed (null:
 * no mail is due, as for a schedule published here before, planned again, published again).
 */
export async function publishSchedule(
  deps: ScheduleDeps,
  actor: Actor,
  ref: EditionRef,
  opts: PublishOptions = {},
): Promise<ScheduleState['edition'] & { mailed: PublicationMail | null }> {
  const to = publishTarget(opts);
  const mailed = await write(deps, actor, ref, 'schedule.publish', async (trx, e) => {
    const from = e.status;
    // Under the edition's lock, as every slot's write: no conflicting slot slips in meanwhile.
    const refused = publishRefusals(await loadState(trx, e), opts);
    if (refused.length > 0) throw refusalError(refused, from, opts);
    const now = deps.clock();
    await trx
      .updateTable('editions')
      .set({ status: to, schedule_published_at: e.schedule_published_at ?? now, updated_at: now })
      .where('id', '=', e.id)
      .execute();
    // Logged whatever the status was before: publication is the changelog's first entry.
    await logChange(trx, deps, { ...e, status: to }, actor, {
      kind: to === 'final' ? 'finalize' : 'publish',
      summary: to === 'final' ? 'The schedule is final.' : 'The schedule is published (tentative).',
      slotId: null,
      before: null,
      after: null,
      speakerIds: [],
    });
    // The first publication tells each speaker where they are (the topic decision promised it);
    // a tentative schedule made final tells them it no longer moves (a first publication as
    // final said so already).
    const key = publicationMailKey(e, to);
    const mailed = key === null ? null : await mailPublication(trx, deps, e, to, key);
    // Whether it was published here before: the exports count the slot writes until the first
    // publication as revisions of the calendar's events (exports/schedule.ts auditRevisions).
    return { result: mailed, before: { status: from, published: e.schedule_published_at !== null }, after: { status: to } };
  });
  return { ...(await loadSchedule(deps, ref)).edition, mailed };
}

/** What checkPublication answers: the edition, the status asked for, and what would refuse it. */
export interface PublicationCheck {
  edition: ScheduleState['edition'];
  to: 'tentative' | 'final';
  /** Empty when publishing with these options would go through. */
  refusals: PublishRefusal[];
}

/**
 * What publishing the schedule with `opts` would refuse, as publishSchedule decides it
 * (publishRefusals), without publishing: for `conclave schedule check`. Nothing is written.
 */
export async function checkPublication(deps: { db: Db }, ref: EditionRef, opts: PublishOptions = {}): Promise<PublicationCheck> {
  const state = await loadSchedule(deps, ref);
  return { edition: state.edition, to: publishTarget(opts), refusals: publishRefusals(state, opts) };
}

/**
 * The mail a publication to `to` sends: the first publication's (schedule-published) while the
 * schedule was never published here; schedule-final when a tentative schedule is made final (a
 * first publication as final said so already); none for a schedule published here before,
 * planned again and published again.
 */
function publicationMailKey(e: Pick<FoundEdition, 'status' | 'schedule_published_at'>, to: 'tentative' | 'final'): PublicationMail['key'] | null {
  if (e.schedule_published_at === null) return 'schedule-published';
  return e.status === 'tentative' && to === 'final' ? 'schedule-final' : null;
}

/** What previewPublication answers: checkPublication's, and what publishing would do. */
export interface PublicationPreview extends PublicationCheck {
  /** Whether the schedule was never published here (published before, it is published again). */
  firstPublication: boolean;
  /**
   * The mail publishing would send (null: none is due, as publishSchedule's `mailed`): its
   * template, the speakers it would be queued for with the address, those it could not tell for
   * want of one, and why nobody would be told when that is so.
   */
  mail: { key: PublicationMail['key']; told: { name: string; address: string }[]; untold: string[]; nobodyBecause: string | null } | null;
}

/**
 * What publishing the schedule with `opts` would do, without doing it: what would refuse it
 * (checkPublication), whether it is the first publication, and whom it would mail, as
 * publishSchedule decides each. Only reads, in one transaction so that the answers agree.
 */
export async function previewPublication(deps: { db: Db }, ref: EditionRef, opts: PublishOptions = {}): Promise<PublicationPreview> {
  return deps.db.transaction().execute(async (trx) => {
    const e = await findEdition(trx, ref);
    const state = await loadState(trx, e);
    const to = publishTarget(opts);
    const key = publicationMailKey(e, to);
    let mail: PublicationPreview['mail'] = null;
    if (key !== null) {
      const { told, untold, nobodyBecause } = await publicationAddressees(trx, e);
      mail = { key, told: told.map((x) => ({ name: x.name, address: x.to.address })), untold, nobodyBecause };
    }
    return { edition: state.edition, to, refusals: publishRefusals(state, opts), firstPublication: e.schedule_published_at === null, mail };
  });
}

/**
 * Who a publication mailed, in a sentence for the builder's notice and the command's output: how
 * many speakers were told, or that no one was, and why; and by name those it could not tell, for
 * want of an address, whom the committee has to tell itself.
 */
export function publicationMailSentence(m: PublicationMail | null): string {
  if (m === null) return 'Nobody was mailed: the schedule was published before.';
  if (m.told === 0) return `No one to tell: ${m.nobodyBecause ?? 'no speaker'}; nothing was mailed.`;
  const what = m.key === 'schedule-final' ? 'that it is final' : 'that it is published';
  const n = m.told + m.untold.length;
  const told = m.untold.length === 0 ? (m.told === 1 ? 'The speaker on it is' : `Its ${m.told} speakers are`) : `${m.told} of its ${n} speakers ${m.told === 1 ? 'is' : 'are'}`;
  const untold = m.untold.length === 0 ? '' : ` Not mailed, as no address of theirs is known: ${andList(m.untold)}.`;
  return `${told} mailed ${what}, with where they are on it (${m.key}).${untold}`;
}


function speakerText(s: SlotSnapshot): string {
  return s.speakers.length ? ` (${s.speakers.map((p) => p.name).join(', ')})` : '';
}

function timeChanged(a: SlotSnapshot, b: SlotSnapshot): boolean {
  return a.date !== b.date || a.start !== b.start || a.end !== b.end;
}

/**
 * How a slot's time changed, for the changelog and the speakers' notices: "moved from Monday
 * 15:00–15:30 to Tuesday 09:00–09:30" when its day or start changed; when only its end did, it
 * did not move: "now ends at 16:00 (Monday 15:00–16:00, was 15:00–15:30)".
 */
function timeChangeText(a: SlotSnapshot, b: SlotSnapshot): string {
  if (a.date !== b.date || a.start !== b.start) return `moved from ${dayTime(a.date, a.start, a.end)} to ${dayTime(b.date, b.start, b.end)}`;
  const was = `${a.start}${a.end ? `–${a.end}` : ''}`;
  return b.end ? `now ends at ${b.end} (${dayTime(b.date, b.start, b.end)}, was ${was})` : `now has no end of its own (${dayTime(b.date, b.start, null)}, was ${was})`;
}

function touched(a: SlotSnapshot, b: SlotSnapshot): number[] {
  return [...new Set([...a.speakers.map((p) => p.id), ...b.speakers.map((p) => p.id)])];
}

function addedText(s: SlotSnapshot): string {
  return `Added ${q(s.title)}, ${dayTime(s.date, s.start, s.end)}${speakerText(s)}`;
}

function removedText(s: SlotSnapshot): string {
  return `Removed ${q(s.title)} (was ${dayTime(s.date, s.start, s.end)})`;
}

/** One line saying what an edit changed, or null when nothing the public sees did. */
function describeEdit(a: SlotSnapshot, b: SlotSnapshot): string | null {
  const parts: string[] = [];
  if (timeChanged(a, b)) parts.push(timeChangeText(a, b));
  if (a.title !== b.title) parts.push(`now titled ${q(b.title)}`);
  const names = (s: SlotSnapshot) => s.speakers.map((p) => p.name).join(', ') || 'nobody';
  if (names(a) !== names(b)) parts.push(`speakers now ${names(b)} (were ${names(a)})`);
  if ((a.room ?? '') !== (b.room ?? '')) parts.push(`room now ${b.room ? q(b.room) : 'none'} (was ${a.room ? q(a.room) : 'none'})`);
  if (a.kind !== b.kind) parts.push(`now a ${b.kind} (was a ${a.kind})`);
  if (parts.length === 0) return null;
  return `${q(a.title)} ${parts.join('; ')}`;
}

// ---------------------------------------------------------------------------------------------
// The changelog

async function logChange(trx: Trx, deps: ScheduleDeps, e: FoundEdition, actor: Actor, c: PendingChange): Promise<void> {
  const change = await trx
    .insertInto('schedule_changes')
    .values({
      edition_id: e.id,
      created_at: deps.clock(),
      actor: actor.label,
      kind: c.kind,
      summary: c.summary,
      slot_id: c.slotId,
      before: c.before === null ? null : JSON.stringify(c.before),
      after: c.after === null ? null : JSON.stringify(c.after),
      notified: '[]',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const notified: number[] = [];
  // Once the edition is over, a correction goes to the changelog only.
  if (c.speakerIds.length > 0 && !editionOver(e, deps.clock())) {
    const shared = await editionMailValues(trx, e);
    const link = `${editionPage(deps, e)}changes/`;
    for (const personId of c.speakerIds) {
      const to = await addressOf(trx, e.id, personId);
      if (!to) continue;
      if (await noticeFor(trx, deps, e, { changeId: change.id, change: c, personId, to, shared, link })) notified.push(personId);
    }
  }
  if (notified.length > 0) {
    await trx.updateTable('schedule_changes').set({ notified: JSON.stringify(notified) }).where('id', '=', change.id).execute();
  }
}

/**
 * A change of the edition itself that moves its published schedule (edit-edition.ts): another
 * time zone puts every slot at another moment, and other dates may leave slots on days outside
 * them. Such a change is in the changelog, and every speaker is told, as for a slot's change.
 * Returns what was logged; null when the schedule is not published, has no slots, or does not move.
 */
export async function logEditionChange(trx: Trx, deps: ScheduleDeps, actor: Actor, before: FoundEdition, after: FoundEdition): Promise<string | null> {
  const moved = before.time_zone !== after.time_zone || before.start_date !== after.start_date || before.end_date !== after.end_date;
  // Most edits (a cap, a title) move nothing: no query for them.
  if (after.schedule_published_at === null || !moved) return null;
  const slots = await trx
    .selectFrom('slots')
    .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
    .leftJoin('slot_speakers', 'slot_speakers.slot_id', 'slots.id')
    .select(['slots.id', 'agenda_days.date', 'slot_speakers.person_id'])
    .where('agenda_days.edition_id', '=', after.id)
    .execute();
  if (slots.length === 0) return null;
  const parts: string[] = [];
  // No time zone: the files give floating times, local to whoever reads them.
  const zone = (e: FoundEdition) => (e.time_zone ? `in ${e.time_zone}` : 'floating times, as no time zone was set');
  if (before.time_zone !== after.time_zone) {
    // Short: it is also the subject of the speakers' notice. Each slot keeps its time of day.
    parts.push(`The schedule's times are now ${zone(after)} (they were ${zone(before)})`);
  }
  const range = (e: FoundEdition) => (e.start_date ? dateRange(e.start_date, e.end_date) : 'not set');
  if (before.start_date !== after.start_date || before.end_date !== after.end_date) {
    const outside = new Map<number, string>();
    for (const r of slots) if (!withinDates(after.start_date, after.end_date, r.date)) outside.set(r.id, r.date);
    const dates = [...new Set(outside.values())].sort();
    parts.push(
      `The edition's dates are now ${range(after)} (they were ${range(before)})` +
        (outside.size ? `; ${outside.size === 1 ? '1 slot is' : `${outside.size} slots are`} on ${dates.length === 1 ? 'a day' : 'days'} outside them (${dates.join(', ')})` : ''),
    );
  }
  if (parts.length === 0) return null;
  const summary = `${parts.join('. ')}.`;
  const speakerIds = [...new Set(slots.flatMap((r) => (r.person_id === null ? [] : [r.person_id])))];
  // What it changed, so that a notice can tell when a later change puts it back (undoesNotice).
  const when = (x: FoundEdition): EditionWhen => ({ timeZone: x.time_zone, startDate: x.start_date, endDate: x.end_date });
  await logChange(trx, deps, after, actor, { kind: 'days', summary, slotId: null, before: when(before), after: when(after), speakerIds });
  return summary;
}

/**
 * A change of a topic by the committee (topics.ts's updateTopic), run as `change` inside its
 * transaction: a slot made for the topic shows the topic's title when it has none of its own,
 * so a new title renames it on the schedule. Once the schedule is published, each slot so
 * renamed gets its changelog entry, as an edit of the slot's title does. Nobody is notified:
 * the topic's edit mails nobody. Times stay: a slot keeps the end it was given, whatever the
 * topic's length now says. Returns the summaries logged.
 */
export async function logTopicChange(trx: Trx, deps: ScheduleDeps, actor: Actor, editionId: number, topicId: number, change: () => Promise<void>): Promise<string[]> {
  const ids = await trx
    .selectFrom('slots')
    .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
    .select('slots.id')
    .where('slots.topic_id', '=', topicId)
    .where('agenda_days.edition_id', '=', editionId)
    .orderBy('agenda_days.date')
    .orderBy('slots.start_time')
    .orderBy('slots.id')
    .execute();
  const before = [];
  for (const { id } of ids) before.push((await snapshot(trx, id))!);
  await change();
  const e = await trx
    .selectFrom('editions')
    .innerJoin('series', 'series.id', 'editions.series_id')
    .selectAll('editions')
    .select(['series.slug as series_slug', 'series.name as series_name'])
    .where('editions.id', '=', editionId)
    .executeTakeFirstOrThrow();
  if (e.schedule_published_at === null) return [];
  const logged: string[] = [];
  for (const a of before) {
    const b = (await snapshot(trx, a.id))!;
    const summary = describeEdit(a, b);
    if (!summary) continue;
    await logChange(trx, deps, e, actor, { kind: 'edit', summary, slotId: a.id, before: a, after: b, speakerIds: [] });
    logged.push(summary);
  }
  return logged;
}

/**
 * Refuses a new time zone of an edition in which a slot's start or end, or a day's hours, is a
 * time its clocks skip or pass twice (a change of the clocks at night): typed so, such a time is
 * refused (checkWallTimes); kept through a new zone, the calendar files would put the slot at a
 * moment nobody chose, or give it no length. Each such time is named, to be moved first.
 */
export async function checkScheduleZone(trx: Kysely<Database>, editionId: number, zone: string): Promise<void> {
  const tz = knownTimeZone(zone);
  if (!tz) return;
  const slots = await trx
    .selectFrom('slots')
    .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
    .leftJoin('topics', 'topics.id', 'slots.topic_id')
    .select(['slots.id', 'agenda_days.date', 'slots.start_time', 'slots.end_time', 'slots.title', 'slots.talk_title', 'slots.kind', 'topics.title as topic_title'])
    .where('agenda_days.edition_id', '=', editionId)
    .orderBy('agenda_days.date')
    .orderBy('slots.start_time')
    .execute();
  const days = await trx.selectFrom('agenda_days').select(['date', 'start_time', 'end_time']).where('edition_id', '=', editionId).orderBy('date').execute();
  const wrong: string[] = [];
  const check = (date: string, time: string | null, what: string) => {
    const gap = time ? wallTimeGap(tz, date, minutes(time)) : null;
    if (!gap) return;
    const clocks = gap.kind === 'skipped' ? `the clocks go forward from ${gap.from} to ${gap.to}` : `the clocks go back from ${gap.from} to ${gap.to}`;
    wrong.push(`${what} at ${time} on ${dayLabel(date)}, which ${gap.kind === 'skipped' ? 'does not happen' : 'happens twice'} there (${clocks})`);
  };
  for (const d of days) {
    check(d.date, d.start_time, 'the day starts');
    check(d.date, d.end_time, 'the day ends');
  }
  for (const x of slots) {
    const title = q(slotTitle({ title: x.title, topicTitle: x.topic_title, talkTitle: x.talk_title, kind: x.kind }));
    check(x.date, x.start_time, `slot #${x.id} ${title} starts`);
    check(x.date, x.end_time, `slot #${x.id} ${title} ends`);
  }
  if (wrong.length === 0) return;
  throw new InvalidInput('timeZone', `in ${tz}, ${wrong.join('; ')}: move ${wrong.length === 1 ? 'it' : 'them'} first, then change the time zone`);
}

/** The edition's public page, under BASE_URL, for links in mail. */
function editionPage(deps: ScheduleDeps, e: FoundEdition): string {
  return `${deps.mail.baseUrl.replace(/\/$/, '')}/${encodeURIComponent(e.series_slug)}/${e.year}/`;
}

/** A speaker a publication's mail goes to, with the address and thread of their invitation. */
interface Addressee {
  personId: number;
  name: string;
  to: { address: string; name: string; threadUnder: string | null };
}

/**
 * Whom a publication's mail goes to: each speaker of the schedule with an address (`told`), and
 * by name those with none (`untold`), both in name order so that a reader finds them; and, when
 * nobody can be told, why.
 */
async function publicationAddressees(trx: Trx, e: FoundEdition): Promise<{ told: Addressee[]; untold: string[]; nobodyBecause: string | null }> {
  const rows = await trx
    .selectFrom('slot_speakers')
    .innerJoin('slots', 'slots.id', 'slot_speakers.slot_id')
    .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
    .innerJoin('people', 'people.id', 'slot_speakers.person_id')
    .select(['slot_speakers.person_id', 'people.name'])
    .distinct()
    .where('agenda_days.edition_id', '=', e.id)
    .orderBy('people.name')
    .orderBy('slot_speakers.person_id')
    .execute();
  if (rows.length === 0) {
    const accepted = await trx.selectFrom('invitations').select('id').where('edition_id', '=', e.id).where('state', '=', 'accepted').executeTakeFirst();
    return { told: [], untold: [], nobodyBecause: `no slot names a speaker${accepted ? '' : `, and ${e.title} has no accepted invitee`}` };
  }
  const told: Addressee[] = [];
  const untold: string[] = [];
  for (const { person_id, name } of rows) {
    const to = await addressOf(trx, e.id, person_id);
    if (to) told.push({ personId: person_id, name, to });
    else untold.push(name);
  }
  const n = rows.length;
  return {
    told,
    untold,
    nobodyBecause: told.length > 0 ? null : `no address is known of ${n === 1 ? 'the one speaker on the schedule' : `any of the ${n} speakers on the schedule`}, ${andList(untold)}`,
  };
}

/**
 * Mails each speaker of the schedule (with an address) their slots, at once, in their
 * invitation's thread: the first publication's mail, or (`schedule-final`) the one saying a
 * tentative schedule is final.
 */
async function mailPublication(
  trx: Trx,
  deps: ScheduleDeps,
  e: FoundEdition,
  status: 'tentative' | 'final',
  key: 'schedule-published' | 'schedule-final' = 'schedule-published',
): Promise<PublicationMail> {
  const { told, untold, nobodyBecause } = await publicationAddressees(trx, e);
  const shared = told.length > 0 ? await editionMailValues(trx, e) : null;
  const page = editionPage(deps, e);
  for (const { personId, to } of told) {
    await sendTemplate(trx, deps.mail, {
      editionId: e.id,
      key,
      values: { ...shared, name: to.name, ...(key === 'schedule-published' ? { status } : {}), slot: await slotsOf(trx, e, personId), link: `${page}#agenda`, changes: `${page}changes/`, calendar: `${page}schedule.ics` },
      to: { address: to.address, name: to.name },
      threadUnder: to.threadUnder,
      notBefore: deps.clock(),
    });
  }
  return { key, told: told.length, untold, nobodyBecause };
}

/** The slots a person speaks in, in an edition (none: they are not on its schedule). */
export async function slotIdsOf(trx: Kysely<Database>, editionId: number, personId: number): Promise<number[]> {
  const rows = await trx
    .selectFrom('slot_speakers')
    .innerJoin('slots', 'slots.id', 'slot_speakers.slot_id')
    .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
    .select('slots.id')
    .where('agenda_days.edition_id', '=', editionId)
    .where('slot_speakers.person_id', '=', personId)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Where a speaker is on the schedule now, for the publication's mail and their change notices:
 * every slot of theirs (not only the one a change touched), its day, time and title on a line and
 * its speakers and room indented on the next; a sentence when they are in none. Written
 * to the speaker (`for: 'speaker'`), a slot names only the others speaking in it ("with Bob"), as
 * nobody is told that they speak with themselves; written about them to the committee, every
 * speaker. A last line names the edition's time zone, when it has one.
 */
export async function slotsOf(
  trx: Trx,
  edition: { id: number; time_zone: string | null },
  personId: number,
  opts: { for: 'speaker' | 'committee' } = { for: 'speaker' },
): Promise<string> {
  const editionId = edition.id;
  const rows = await trx
    .selectFrom('slot_speakers as mine')
    .innerJoin('slots', 'slots.id', 'mine.slot_id')
    .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
    .leftJoin('topics', 'topics.id', 'slots.topic_id')
    .select(['slots.id', 'agenda_days.date', 'slots.start_time', 'slots.end_time', 'slots.title', 'slots.talk_title', 'slots.kind', 'slots.room', 'topics.title as topic_title'])
    .where('agenda_days.edition_id', '=', editionId)
    .where('mine.person_id', '=', personId)
    .orderBy('agenda_days.date')
    .orderBy('slots.start_time')
    .orderBy('slots.position')
    .execute();
  if (rows.length === 0) return 'You are no longer on the schedule.';
  const speakers = await trx
    .selectFrom('slot_speakers')
    .innerJoin('people', 'people.id', 'slot_speakers.person_id')
    .select(['slot_speakers.slot_id', 'slot_speakers.person_id', 'people.name'])
    .where(
      'slot_speakers.slot_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('slot_speakers.position')
    .execute();
  const lines = rows.map((r) => {
    const who = speakers.filter((sp) => sp.slot_id === r.id && (opts.for === 'committee' || sp.person_id !== personId)).map((sp) => sp.name);
    const label = slotTitle({ title: r.title, topicTitle: r.topic_title, talkTitle: r.talk_title, kind: r.kind });
    // Who and where on a line of their own, so that wrapping at 72 columns never splits a name
    // from the title before it.
    const with_ = [who.length ? `with ${who.join(', ')}` : '', r.room ? roomText(r.room) : ''].filter(Boolean).join('; ');
    return `${dayLabel(r.date)}, ${r.start_time}${r.end_time ? `–${r.end_time}` : ''}: ${label}${with_ ? `\n    ${with_}` : ''}`;
  });
  // The reader may be anywhere: the times are the venue's, as the page says.
  if (edition.time_zone) lines.push(`(Times are local to the venue: ${edition.time_zone}.)`);
  return lines.join('\n  ');
}

/** How long a speaker's notice waits for further changes before it is sent (default 10 minutes). */
export const NOTICE_DELAY_MS = 10 * 60_000;

/**
 * The kinds (and templates) of a speaker's change notice: `schedule-change` while they still
 * speak somewhere, `schedule-removed` once the changes took them off the schedule altogether.
 */
const NOTICE_KINDS = ['schedule-change', 'schedule-removed'] as const;

/**
 * The speaker's notice of a change: a notice still waiting to be sent to them takes the change as
 * one more line (and waits again); otherwise a new notice waits `noticeDelayMs`. A notice the
 * worker has already taken is left alone. When the change undoes what the waiting notice told
 * (a slot moved and moved back, a speaker added and taken off again), the speaker's slots are as
 * they were before it: the notice is withdrawn, and false returned. The notice is written anew
 * at each change as things now stand: to a speaker the changes left in no slot, as the
 * `schedule-removed` mail (no "where you are now" to show them); else as `schedule-change`.
 */
async function noticeFor(
  trx: Trx,
  deps: ScheduleDeps,
  e: FoundEdition,
  n: {
    changeId: number;
    change: PendingChange;
    personId: number;
    to: { address: string; name: string; threadUnder: string | null };
    shared: Record<string, string>;
    link: string;
  },
): Promise<boolean> {
  const notBefore = new Date(deps.clock().getTime() + (deps.noticeDelayMs ?? NOTICE_DELAY_MS));
  const waiting = await trx
    .selectFrom('outbox')
    .innerJoin('schedule_change_notices as n', 'n.outbox_id', 'outbox.id')
    .select('outbox.id')
    .where('n.person_id', '=', n.personId)
    .where('outbox.edition_id', '=', e.id)
    .where('outbox.kind', 'in', NOTICE_KINDS)
    .where('outbox.state', '=', 'queued')
    .where('outbox.attempts', '=', 0)
    .orderBy('outbox.id', 'desc')
    .forUpdate()
    .executeTakeFirst();
  const earlier = waiting
    ? await trx
        .selectFrom('schedule_change_notices as n')
        .innerJoin('schedule_changes as c', 'c.id', 'n.change_id')
        .select(['c.id', 'c.summary', 'c.kind', 'c.slot_id', 'c.before', 'c.notified'])
        .where('n.outbox_id', '=', waiting.id)
        .where('n.person_id', '=', n.personId)
        .orderBy('c.id')
        .execute()
    : [];
  const all = [...earlier.map((r) => ({ kind: r.kind, summary: r.summary, slotId: r.slot_id, before: r.before as PendingChange['before'] })), n.change];
  if (waiting && (await undoesNotice(trx, e.id, n.personId, all))) {
    // The notices of the earlier changes go with it (on delete cascade): nobody was told of them.
    await trx.deleteFrom('outbox').where('id', '=', waiting.id).execute();
    for (const r of earlier) {
      await trx.updateTable('schedule_changes').set({ notified: JSON.stringify(r.notified.filter((id) => id !== n.personId)) }).where('id', '=', r.id).execute();
    }
    return false;
  }
  const speaks = (await slotIdsOf(trx, e.id, n.personId)).length > 0;
  const lines = earlier.length === 0 ? [n.change.summary] : await netChanges(trx, all, { personId: n.personId, speaks });
  const kind = speaks ? 'schedule-change' : 'schedule-removed';
  const values = {
    ...n.shared,
    name: n.to.name,
    headline: lines.length === 1 ? lines[0]! : `${lines.length} changes to your slots`,
    change: lines.length === 1 ? lines[0]! : lines.map((l) => `- ${l}`).join('\n  '),
    link: n.link,
  };
  const text = await renderMail({ db: trx }, { editionId: e.id, key: kind, values: speaks ? { ...values, slot: await slotsOf(trx, e, n.personId) } : values });
  let outboxId: number;
  if (waiting) {
    // Its kind follows the speaker's state too: taken off and put back elsewhere, they still speak.
    await trx.updateTable('outbox').set({ kind, subject: text.subject, body: text.body.replace(/\r\n?/g, '\n'), next_attempt_at: notBefore }).where('id', '=', waiting.id).execute();
    outboxId = waiting.id;
  } else {
    const m = await enqueueMail(trx, {
      editionId: e.id,
      kind,
      baseUrl: deps.mail.baseUrl,
      to: { address: n.to.address, name: n.to.name },
      from: deps.mail.from,
      replyTo: deps.mail.replyTo ?? null,
      subject: text.subject,
      body: text.body,
      threadUnder: n.to.threadUnder,
      notBefore,
    });
    outboxId = m.id;
  }
  await trx.insertInto('schedule_change_notices').values({ change_id: n.changeId, person_id: n.personId, outbox_id: outboxId }).execute();
  return true;
}

/**
 * What a speaker's waiting notice says of its changes (oldest first, the last the one just made):
 * one line per slot, from the slot as it was before the first of them to the slot as it is now,
 * so that a talk moved, renamed and moved back reads "now titled …" and not three steps. A slot
 * added and removed again, or changed and changed back, is left out. A talk of the speaker's
 * (sameTalk) that left a slot of theirs and is now in another (its slot removed and added again
 * elsewhere, or two slots given each other's topic) moved: one line from where it was to where it
 * is, not a removal and an addition. A change of the edition's zone or dates keeps its own line,
 * but not to a speaker the changes left in no slot (`speaks` false): no time of theirs moved, and
 * their notice is about leaving the schedule.
 */
async function netChanges(trx: Trx, oldestFirst: Pick<PendingChange, 'summary' | 'slotId' | 'before'>[], opts: { personId: number; speaks: boolean }): Promise<string[]> {
  const first = new Map<number, SlotSnapshot | null>();
  const order: (number | string)[] = [];
  for (const c of oldestFirst) {
    if (c.slotId === null) {
      if (opts.speaks) order.push(c.summary);
    } else if (!first.has(c.slotId)) {
      first.set(c.slotId, c.before as SlotSnapshot | null);
      order.push(c.slotId);
    }
  }
  const slots = new Map<number, { was: SlotSnapshot | null; now: SlotSnapshot | null }>();
  for (const [id, was] of first) slots.set(id, { was, now: await snapshot(trx, id) });
  const on = (s: SlotSnapshot | null): s is SlotSnapshot => s !== null && s.speakers.some((p) => p.id === opts.personId);
  // Each slot the speaker left, paired with the first slot they joined that holds the same talk.
  const movedTo = new Map<number, number>();
  const joined = new Set<number>();
  for (const [left, l] of slots) {
    if (!on(l.was) || on(l.now)) continue;
    for (const [to, t] of slots) {
      if (joined.has(to) || on(t.was) || !on(t.now) || !sameTalk(l.was, t.now)) continue;
      movedTo.set(left, to);
      joined.add(to);
      break;
    }
  }
  const lines: string[] = [];
  for (const item of order) {
    if (typeof item === 'string') {
      lines.push(item);
      continue;
    }
    if (joined.has(item)) continue;
    const { was, now } = slots.get(item)!;
    const to = movedTo.get(item);
    const line =
      to !== undefined
        ? describeEdit(was!, slots.get(to)!.now!)
        : was === null
          ? now === null
            ? null
            : addedText(now)
          : now === null
            ? removedText(was)
            : describeEdit(was, now);
    if (line !== null) lines.push(line);
  }
  // Every step cancelled out, yet something the speaker sees differs (their slots are compared in
  // full before a notice is withdrawn): tell the steps rather than nothing.
  return lines.length > 0 ? lines : oldestFirst.map((c) => c.summary);
}

/**
 * Whether two slots hold the same talk: the same topic when both have one; else (a talk of no
 * topic, as an imported page's, or one slot given a topic and the other not) the same title as
 * shown, case and spacing aside.
 */
function sameTalk(a: SlotSnapshot, b: SlotSnapshot): boolean {
  if (a.topicId !== null && b.topicId !== null) return a.topicId === b.topicId;
  const norm = (t: string) => t.trim().replace(/\s+/g, ' ').toLowerCase();
  return norm(a.title) === norm(b.title);
}

/**
 * Whether a speaker's slots are now as they were before the first of these changes (oldest
 * first, the last the one just made): each change, undone from the newest, puts back the slot it
 * snapshotted before (when the speaker was on it) in place of the slot as it is; changes of the
 * edition's time zone or dates are undone when those are back as before the first of them. A
 * slot that differs in anything the speaker is shown, or is a new slot where one was removed,
 * keeps the notice.
 */
async function undoesNotice(trx: Trx, editionId: number, personId: number, oldestFirst: Pick<PendingChange, 'kind' | 'slotId' | 'before'>[]): Promise<boolean> {
  const changes = [...oldestFirst].reverse();
  const ofEdition = changes.filter((c) => c.slotId === null);
  // A change of the edition's zone or dates is undone when they are as before the first such.
  if (ofEdition.some((c) => c.kind !== 'days' || c.before === null)) return false;
  if (ofEdition.length > 0) {
    const first = ofEdition[ofEdition.length - 1]!.before as EditionWhen;
    const e = await trx.selectFrom('editions').select(['time_zone', 'start_date', 'end_date']).where('id', '=', editionId).executeTakeFirstOrThrow();
    if (e.time_zone !== first.timeZone || e.start_date !== first.startDate || e.end_date !== first.endDate) return false;
  }
  const now = new Map<number, SlotSnapshot>();
  for (const id of await slotIdsOf(trx, editionId, personId)) {
    const s = await snapshot(trx, id);
    if (s) now.set(id, s);
  }
  const then = new Map(now);
  for (const c of changes) {
    if (c.slotId === null) continue;
    then.delete(c.slotId);
    const before = c.before as SlotSnapshot | null;
    if (before && before.speakers.some((p) => p.id === personId)) then.set(before.id, before);
  }
  const shown = (m: Map<number, SlotSnapshot>) =>
    JSON.stringify(
      [...m.values()]
        .sort((a, b) => a.id - b.id)
        .map((s) => [s.id, s.date, s.start, s.end, s.kind, s.title, s.room, s.topicId, s.speakers.map((p) => [p.id, p.name])]),
    );
  return shown(now) === shown(then);
}

/**
 * Sends the waiting change notices of an edition now instead of after their delay (the builder's
 * "Mail the speakers now", `conclave schedule notify`). Returns how many were waiting.
 */
export async function sendNoticesNow(deps: ScheduleDeps, actor: Actor, ref: EditionRef): Promise<number> {
  return deps.db.transaction().execute(async (trx) => {
    const e = await findEdition(trx, ref);
    const rows = await trx
      .updateTable('outbox')
      .set({ next_attempt_at: deps.clock() })
      .where('edition_id', '=', e.id)
      .where('kind', 'in', NOTICE_KINDS)
      .where('state', '=', 'queued')
      .where('attempts', '=', 0)
      .where('next_attempt_at', '>', deps.clock())
      .returning('id')
      .execute();
    if (rows.length > 0) {
      await recordAudit(trx, actor, { action: 'schedule.notify', entity: 'schedule', editionId: e.id, after: { notices: rows.map((r) => r.id) } });
    }
    return rows.length;
  });
}

/** Change notices of an edition still waiting to be sent, and when the first one goes. */
export async function waitingNotices(deps: { db: Db }, editionId: number): Promise<{ count: number; next: Date | null }> {
  const r = await deps.db
    .selectFrom('outbox')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('next_attempt_at').as('next')])
    .where('edition_id', '=', editionId)
    .where('kind', 'in', NOTICE_KINDS)
    .where('state', '=', 'queued')
    .where('attempts', '=', 0)
    .executeTakeFirstOrThrow();
  return { count: Number(r.n), next: r.next ? new Date(r.next as unknown as string) : null };
}

/** Where to mail a speaker about this edition: their invitation's address, else a known one. */
async function addressOf(trx: Trx, editionId: number, personId: number): Promise<{ address: string; name: string; threadUnder: string | null } | null> {
  const person = await trx.selectFrom('people').select('name').where('id', '=', personId).executeTakeFirst();
  if (!person) return null;
  const inv = await trx
    .selectFrom('invitations')
    .select(['email', 'invitation_message_id'])
    .where('edition_id', '=', editionId)
    .where('person_id', '=', personId)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (inv) return { address: inv.email, name: person.name, threadUnder: inv.invitation_message_id };
  const email = await trx
    .selectFrom('person_emails')
    .select('email')
    .where('person_id', '=', personId)
    .orderBy('is_primary', 'desc')
    .orderBy('id')
    .executeTakeFirst();
  return email ? { address: email.email, name: person.name, threadUnder: null } : null;
}

export type ScheduleChange = Omit<Selectable<ScheduleChangesTable>, 'before' | 'after' | 'notified' | 'actor'> & {
  /** Its number in the edition's changelog, from 1: what the page, the CLI and `since` use. */
  number: number;
};

/** Each change's number in its edition's changelog: its place among them, oldest first. */
export function changeNumber() {
  return sql<number>`(row_number() over (partition by edition_id order by id))::int`;
}

/** The public changelog, newest first; `since` keeps only later entries (by number). No actor: it is public. */
export async function listChanges(deps: { db: Db }, ref: EditionRef, opts: { since?: number } = {}): Promise<ScheduleChange[]> {
  const e = await findEdition(deps.db, ref);
  if (e.status === 'planned') return [];
  const numbered = deps.db
    .selectFrom('schedule_changes')
    .select(['id', 'edition_id', 'created_at', 'kind', 'summary', 'slot_id', changeNumber().as('number')])
    .where('edition_id', '=', e.id)
    .as('c');
  let query = deps.db.selectFrom(numbered).selectAll();
  if (opts.since !== undefined) query = query.where('number', '>', opts.since);
  return query.orderBy('number', 'desc').execute();
}

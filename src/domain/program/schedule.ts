/**
 * The schedule as the builder reads it: its days, slots and their speakers, the accepted topics
 * and attendees it may take, and the conflicts found on every load (loadSchedule). What a slot
 * and a day are called is in schedule-names.ts; editing them in schedule-edit.ts; publishing in
 * schedule-publish.ts; the public changelog in schedule-changelog.ts and the speakers' notices
 * in schedule-notices.ts.
 */
import type { Kysely } from 'kysely';
import type { Database, SlotKind } from '../../db/schema.js';
import { findEdition, type EditionRef, type FoundEdition } from '../editions/find-edition.js';
import { editVersion } from '../edit-versions.js';
import { addDays } from '../invitations/dates.js';
import { clock, DEFAULT_DAY_END, DEFAULT_DAY_START, findConflicts, minutes, openEndNote, slotEnd, type ScheduleConflict, type ScheduleInput, type ScheduleSlot } from './conflicts.js';
import { dayLabel, slotTitle } from './schedule-names.js';

type Db = Kysely<Database>;

export interface ScheduleDeps {
  db: Db;
  clock: () => Date;
  mail: { baseUrl: string; from: string; replyTo?: string | null };
  /** How long a speaker's change notice waits for more changes (default NOTICE_DELAY_MS). */
  noticeDelayMs?: number;
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

export async function loadSchedule(deps: { db: Db }, ref: EditionRef): Promise<ScheduleState> {
  const e = await findEdition(deps.db, ref);
  return loadState(deps.db, e);
}

export async function loadState(db: Db, e: FoundEdition): Promise<ScheduleState> {
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

export function toPure(s: BuilderSlot): ScheduleSlot {
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

/** Conflicts of the state's days and attendees with other slots. */
export function conflictsOf(state: ScheduleState, slots: ScheduleSlot[]): ScheduleConflict[] {
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

export type SlotFields = ReturnType<typeof slotFields>;

/** A slot's fields as its version holds them (see BuilderSlot.version): what an edit form shows and sends. */
export function slotFields(s: { date: string; start_time: string; end_time: string | null; kind: string; title: string; talk_title: string | null; room: string | null; topic_id: number | null }, speakerIds: number[]) {
  return { date: s.date, start: s.start_time, end: s.end_time, kind: s.kind, title: s.title, talkTitle: s.talk_title, topicId: s.topic_id, speakerIds, room: s.room };
}

function slotVersion(s: Parameters<typeof slotFields>[0], speakerIds: number[]): string {
  return editVersion(slotFields(s, speakerIds));
}

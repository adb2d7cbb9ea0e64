/**
 * A slot as a schedule write keeps it for the audit, the changelog and the speakers' notices
 * (SlotSnapshot), the change a write hands on to be logged (PendingChange), and what changed
 * between two snapshots of a slot, in the changelog's words.
 */
import type { Transaction } from 'kysely';
import type { Database, ScheduleChangeKind, SlotKind } from '../../db/schema.js';
import { zonedInstant } from '../exports/time-zone.js';
import { minutes } from './conflicts.js';
import { dayTime, q, slotTitle } from './schedule-names.js';
import { cutAtWord } from '../mail/wrap.js';
import { SUBJECT_TITLE_MAX } from '../mail/template-keys.js';

export type Trx = Transaction<Database>;

/** A slot as the changelog and the audit keep it. */
export interface SlotSnapshot {
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

export async function snapshot(trx: Trx, slotId: number): Promise<SlotSnapshot | null> {
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

/** Where and when an edition's slots happen: what a change of the edition's own fields moves. */
export interface EditionWhen {
  timeZone: string | null;
  startDate: string | null;
  endDate: string | null;
}

/**
 * When a slot happens in real time under an edition's zone, as a key to compare: its start and
 * end as instants (UTC milliseconds), or with no zone its date and times as the clock shows them
 * (floating times happen wherever the reader is). Two zones of the same rules (Europe/Zagreb and
 * Europe/Ljubljana) give a slot the same key: a change from one to the other moves nothing. An
 * end before the start is past midnight, the next day.
 */
export function slotInstants(timeZone: string | null, s: { date: string; start: string; end: string | null }): string {
  const clock = `${s.date} ${s.start}–${s.end ?? ''}`;
  if (timeZone === null) return `floating ${clock}`;
  try {
    const start = minutes(s.start);
    const end = s.end === null ? null : minutes(s.end);
    const at = (m: number) => String(zonedInstant(timeZone, s.date, m));
    return `${at(start)}–${end === null ? '' : at(end < start ? end + 1440 : end)}`;
  } catch {
    // A time the schedule kept as imported, not HH:MM: compared as written, and the zone with it.
    return `${timeZone} ${clock}`;
  }
}

export interface PendingChange {
  kind: ScheduleChangeKind;
  summary: string;
  slotId: number | null;
  /** A slot's snapshot, or for a change of the edition's zone or dates, those. */
  before: SlotSnapshot | EditionWhen | null;
  after: SlotSnapshot | EditionWhen | null;
  /** Speakers to tell (before and after the change). */
  speakerIds: number[];
}

function speakerText(s: SlotSnapshot): string {
  return s.speakers.length ? ` (${s.speakers.map((p) => p.name).join(', ')})` : '';
}

export function timeChanged(a: SlotSnapshot, b: SlotSnapshot): boolean {
  return a.date !== b.date || a.start !== b.start || a.end !== b.end;
}

/**
 * How a slot's time changed, for the changelog and the speakers' notices: "moved from Monday
 * 15:00–15:30 to Tuesday 09:00–09:30" when its day or start changed; when only its end did, it
 * did not move: "now ends at 16:00 (Monday 15:00–16:00, was 15:00–15:30)".
 */
export function timeChangeText(a: SlotSnapshot, b: SlotSnapshot): string {
  if (a.date !== b.date || a.start !== b.start) return `moved from ${dayTime(a.date, a.start, a.end)} to ${dayTime(b.date, b.start, b.end)}`;
  const was = `${a.start}${a.end ? `–${a.end}` : ''}`;
  return b.end ? `now ends at ${b.end} (${dayTime(b.date, b.start, b.end)}, was ${was})` : `now has no end of its own (${dayTime(b.date, b.start, null)}, was ${was})`;
}

export function touched(a: SlotSnapshot, b: SlotSnapshot): number[] {
  return [...new Set([...a.speakers.map((p) => p.id), ...b.speakers.map((p) => p.id)])];
}

export function addedText(s: SlotSnapshot): string {
  return `Added ${q(s.title)}, ${dayTime(s.date, s.start, s.end)}${speakerText(s)}`;
}

export function removedText(s: SlotSnapshot): string {
  return `Removed ${q(s.title)} (was ${dayTime(s.date, s.start, s.end)})`;
}

/** One line saying what an edit changed, or null when nothing the public sees did. */
export function describeEdit(a: SlotSnapshot, b: SlotSnapshot): string | null {
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

/** A slot's title for a subject line (cutAtWord): plain ASCII, as the rest of a notice's subject (shortChange). */
function subjectTitle(title: string): string {
  return cutAtWord(title, SUBJECT_TITLE_MAX);
}

/**
 * What a change did to a slot, in a few words for a notice's subject: "XDP offloads (moved)",
 * "Panel (new speakers, new room)", "XDP offloads (removed)". The whole change, speakers and
 * times included, is in the notice's body (describeEdit): a subject that listed every speaker
 * ran past 150 characters. Plain ASCII but for the title itself, so that the subject is written as
 * it reads and not as an RFC 2047 encoded word. Null when nothing the public sees changed.
 */
export function shortChange(was: SlotSnapshot | null, now: SlotSnapshot | null): string | null {
  if (was === null) return now === null ? null : `${subjectTitle(now.title)} (added)`;
  if (now === null) return `${subjectTitle(was.title)} (removed)`;
  const parts: string[] = [];
  if (was.date !== now.date || was.start !== now.start) parts.push('moved');
  else if (was.end !== now.end) parts.push('new end time');
  if (was.title !== now.title) parts.push('renamed');
  const names = (s: SlotSnapshot) => s.speakers.map((p) => p.name).join(', ');
  if (names(was) !== names(now)) parts.push('new speakers');
  if ((was.room ?? '') !== (now.room ?? '')) parts.push('new room');
  if (was.kind !== now.kind) parts.push(`now a ${now.kind}`);
  if (parts.length === 0) return null;
  return `${subjectTitle(was.title)} (${parts.join(', ')})`;
}

/** What a change of the edition's zone or dates did, in a few words (shortChange's, for the edition). */
export function shortEditionChange(was: EditionWhen | null, now: EditionWhen | null): string {
  if (was === null || now === null) return 'times or dates changed';
  const zone = was.timeZone !== now.timeZone;
  const dates = was.startDate !== now.startDate || was.endDate !== now.endDate;
  return zone && dates ? 'new time zone and dates' : zone ? 'new time zone' : 'new dates';
}

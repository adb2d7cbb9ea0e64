/**
 * Editing the schedule: slots added, edited, moved (by a time, or where a drag puts them) and
 * removed, a day's name and hours set or removed, the forms they take and the conflicts an edit
 * would make (previewConflicts), and the times an edition's clocks skip or pass twice, refused as
 * a slot's or a day's, and when a new time zone would put one there (checkScheduleZone).
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import type { Actor } from '../audit/record.js';
import { findEdition, type EditionRef, type FoundEdition } from '../editions/find-edition.js';
import { changedSince, changesText, editVersion, StaleEdit } from '../edit-versions.js';
import { Conflict, InvalidForm, InvalidInput, NotFound } from '../errors.js';
import { slotIdNames } from '../exports/schedule.js';
import { elapsedMinutes, knownTimeZone, wallMinuteAfter, wallTimeGap } from '../exports/time-zone.js';
import { dateRange, daysBetween } from '../invitations/dates.js';
import { parseFormChecked, parseInput, recordId, visibleLine } from '../validate.js';
import { clock, DEFAULT_DAY_END, DEFAULT_DAY_START, minutes, type ScheduleConflict, type ScheduleSlot } from './conflicts.js';
import { type BuilderDay, type BuilderSlot, conflictsOf, loadState, type ScheduleDeps, SLOT_KINDS, type SlotFields, slotFields, toPure, withinDates } from './schedule.js';
import { dayLabel, dayName, dayTime, labelIsDate, q, roomText, slotTitle } from './schedule-names.js';
import { addedText, describeEdit, removedText, type SlotSnapshot, snapshot, timeChanged, timeChangeText, touched, type Trx } from './schedule-snapshot.js';
import { write } from './schedule-write.js';

type Db = Kysely<Database>;

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
const id = recordId;

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

/** A slot the edition has not (or no longer) got: removed already, say, by a second press of Remove. */
export class NoSuchSlot extends NotFound {
  override name = 'NoSuchSlot';
  constructor(
    readonly slotId: number,
    editionTitle: string,
  ) {
    super(`there is no slot #${slotId} in ${editionTitle}`);
  }
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
  if (!s) throw new NoSuchSlot(slotId, e.title);
  return s;
}

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

/**
 * The public changelog of a published schedule: each change logged (logChange) with a notice to
 * the speakers it touches, a change of the edition's zone or dates, or of a topic's title, logged
 * as the slots it moves or renames; and the changelog as the page and the CLI list it.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, ScheduleChangesTable } from '../../db/schema.js';
import type { Actor } from '../audit/record.js';
import { findEdition, type EditionRef, type FoundEdition } from '../editions/find-edition.js';
import { dateRange, editionOver } from '../invitations/dates.js';
import { editionMailValues } from '../invitations/invitee-mail.js';
import { type ScheduleDeps, withinDates } from './schedule.js';
import { describeEdit, type EditionWhen, type PendingChange, slotInstants, snapshot, type Trx } from './schedule-snapshot.js';
import { addressOf, editionPage, noticeFor } from './schedule-notices.js';

type Db = Kysely<Database>;

export async function logChange(trx: Trx, deps: ScheduleDeps, e: FoundEdition, actor: Actor, c: PendingChange): Promise<void> {
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
 * time zone in which its slots happen at other moments, or other dates, which may leave slots on
 * days outside them (or bring them back inside). Such a change is in the changelog, and the
 * speakers of the slots it moves are told, as for a slot's change: those whose slots the zone
 * puts at other moments, or the dates leave outside them or bring back; a speaker whose slots it
 * leaves where they were is not. A zone of the same rules (Europe/Zagreb for Europe/Ljubljana:
 * each slot's instants compared, not the names) moves no slot: that edit is the edition's alone
 * (audited), not the schedule's. Returns what was logged, and how many speakers' slots it moves
 * (those told); null when the schedule is not published, has no slots, or does not move.
 */
export async function logEditionChange(trx: Trx, deps: ScheduleDeps, actor: Actor, before: FoundEdition, after: FoundEdition): Promise<{ summary: string; speakers: number } | null> {
  const zoned = before.time_zone !== after.time_zone;
  const dated = before.start_date !== after.start_date || before.end_date !== after.end_date;
  // Most edits (a cap, a title) move nothing: no query for them.
  if (after.schedule_published_at === null || !(zoned || dated)) return null;
  const rows = await trx
    .selectFrom('slots')
    .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
    .leftJoin('slot_speakers', 'slot_speakers.slot_id', 'slots.id')
    .select(['slots.id', 'agenda_days.date', 'slots.start_time', 'slots.end_time', 'slot_speakers.person_id'])
    .where('agenda_days.edition_id', '=', after.id)
    .execute();
  if (rows.length === 0) return null;
  const slots = new Map<number, { date: string; start: string; end: string | null; speakers: number[] }>();
  for (const r of rows) {
    const s = slots.get(r.id) ?? { date: r.date, start: r.start_time, end: r.end_time, speakers: [] };
    if (r.person_id !== null) s.speakers.push(r.person_id);
    slots.set(r.id, s);
  }
  const parts: string[] = [];
  const moved = new Set<number>();
  // No time zone: the files give floating times, local to whoever reads them.
  const zone = (e: FoundEdition) => (e.time_zone ? `in ${e.time_zone}` : 'floating times, as no time zone was set');
  const zoneMoves = zoned ? [...slots].filter(([, s]) => slotInstants(before.time_zone, s) !== slotInstants(after.time_zone, s)) : [];
  if (zoneMoves.length > 0) {
    for (const [id] of zoneMoves) moved.add(id);
    // Short: it is also the subject of the speakers' notice. Each slot keeps its time of day.
    parts.push(`The schedule's times are now ${zone(after)} (they were ${zone(before)})`);
  }
  const range = (e: FoundEdition) => (e.start_date ? dateRange(e.start_date, e.end_date) : 'not set');
  const inside = (e: FoundEdition, date: string) => withinDates(e.start_date, e.end_date, date);
  if (dated) {
    // Only the slots the dates leave outside them, or bring back inside, move for their speakers.
    for (const [id, s] of slots) if (inside(before, s.date) !== inside(after, s.date)) moved.add(id);
    const outside = [...slots.values()].filter((s) => !inside(after, s.date));
    const dates = [...new Set(outside.map((s) => s.date))].sort();
    parts.push(
      `The edition's dates are now ${range(after)} (they were ${range(before)})` +
        (outside.length ? `; ${outside.length === 1 ? '1 slot is' : `${outside.length} slots are`} on ${dates.length === 1 ? 'a day' : 'days'} outside them (${dates.join(', ')})` : ''),
    );
  }
  if (parts.length === 0) return null;
  const summary = `${parts.join('. ')}.`;
  const speakerIds = [...new Set([...moved].flatMap((id) => slots.get(id)!.speakers))];
  // What it changed, so that a notice can tell when a later change puts it back (undoesNotice).
  const when = (x: FoundEdition): EditionWhen => ({ timeZone: x.time_zone, startDate: x.start_date, endDate: x.end_date });
  await logChange(trx, deps, after, actor, { kind: 'days', summary, slotId: null, before: when(before), after: when(after), speakerIds });
  return { summary, speakers: speakerIds.length };
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

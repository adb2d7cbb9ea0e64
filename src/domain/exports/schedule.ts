/**
 * An edition's schedule as the exports read it (iCalendar, schedule XML and JSON): its days in
 * date order, each slot with its resolved end, a stable guid and the words a calendar shows.
 *
 * What leaves: nothing of an edition whose status is 'planned' but the edition itself (its dates
 * and place); its schedule is not public yet, so its files list days without slots. An edition
 * without any date has no schedule files at all (NotFound): a calendar event needs a day.
 *
 * Stable guids (the iCalendar UID, the frab guid and numeric id): each slot keeps its own, stored
 * with it (slots.guid, slots.numeric_id), for life: through moves and edits of it and of the
 * slots around it, and through the schedule's publication from conclave. A slot added in
 * conclave is named by its database id (slotIdNames). A slot of an archive page is named by its
 * date and place on the page (pageNames): a re-import of the page rewrites the slots, and names
 * them again as the page places them, so that a slot the page keeps keeps its guid.
 *
 * SEQUENCE (slotRevisions): how often the event a calendar holds under a guid was revised; it
 * only grows. The rule: a write revises the events whose place in the files it moves — the slot
 * it writes (its changelog entry, or before the first publication from conclave its audit
 * entry), and every other slot whose resolved start or end (placeDay: a slot without an end runs
 * until the next slot, an open-ended one to its day's end) it moves without writing it: a day's
 * hours changed (web form or `schedule day`), a slot added, moved or removed after one that runs
 * until the next. The builder's write compares placeDay before and after, and its audit entry
 * names those others (alsoMoved, by guid; only them, so a change of a day's hours that moves no
 * open end revises nothing). Changes of the whole schedule revise every event (revisesAll). A
 * write that changes what an event says without moving it (a material of the slot or of its
 * topic added or removed, the topic's abstract changed: shownIn) revises that event, and an edit
 * of the edition's own fields revises every event whose words it changes (editionShows: its
 * title or place, every event; its subtitle, the edition's own).
 *
 * Until migration 029 they were not stored but made at each render by a scheme of the edition
 * (UidScheme): by page place while an imported edition's schedule was not published from
 * conclave, by slot id after. So an insertion moved the guids of every later slot of its day,
 * and the publication all of them. The migration stored what the scheme made then; a slot
 * written without them (outside conclave's writes) is still named by the scheme.
 */
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Database, SlotKind } from '../../db/schema.js';
import type { EditionView, MaterialView, SlotView } from '../editions/load-edition.js';
import { agendaListsDay, loadEdition } from '../editions/load-edition.js';
import { findEdition } from '../editions/find-edition.js';
import { NotFound } from '../errors.js';
import { DEFAULT_DAY_END, DEFAULT_DAY_START, minutes, slotEnd, type ScheduleDay, type ScheduleSlot } from '../program/conflicts.js';
import { knownTimeZone, zoneTransitions } from './time-zone.js';
import { uuid5 } from './uuid.js';

export type UidScheme = 'page-position' | 'slot-id';

export interface ExportSlot {
  /** UUID, the same in every export and every render: the iCalendar UID and the frab guid. */
  guid: string;
  /** A positive integer unique in the edition (frab's legacy id), as stable as the guid. */
  numericId: number;
  slot: SlotView;
  date: string;
  /** Minutes since the day's midnight; `end` may pass 1440 (after midnight). */
  start: number;
  end: number;
  /** What a calendar shows: the talk's title, else the first line of the topic, else who speaks. */
  summary: string;
  /** The slot's whole text when it says more than the summary. */
  detail: string | null;
  /** How often it was revised since added (moved, edited, its days moved): iCalendar's SEQUENCE. */
  sequence: number;
  /** When it was last added or revised, where the changelog knows: LAST-MODIFIED. */
  modified: Date | null;
}

export interface ExportDay {
  /** 1-based. */
  index: number;
  date: string;
  /** Where the day's events lie, in minutes (the first start and last end, or the day's bounds). */
  start: number;
  end: number;
  slots: ExportSlot[];
}

export interface ScheduleExport {
  edition: EditionView;
  /** False for a planned edition: its files show the edition and its days, no slots. */
  published: boolean;
  /** The IANA zone when known to the runtime; null means local times of an unknown zone. */
  timeZone: string | null;
  start: string;
  end: string;
  days: ExportDay[];
  /** The latest change of the edition or its schedule: DTSTAMP, the schedule's version. */
  stamp: Date;
  uidScheme: UidScheme;
  editionGuid: string;
  /** The edition's all-day event's SEQUENCE and LAST-MODIFIED, as ExportSlot's. */
  editionSequence: number;
  editionModified: Date | null;
}

/**
 * Per agenda day of the edition (every row, in the order of the EditionView's agenda): the
 * database facts the view leaves out. The view lists only the days agendaListsDay keeps; the
 * others still give their hours to the exports' days.
 */
export interface AgendaDayFacts {
  date: string;
  start: string | null;
  end: string | null;
  /** guid and numericId as stored (null: a slot written without them, named by the scheme). */
  slots: { id: number; position: number; guid: string | null; numericId: number | null }[];
}

export interface ScheduleFacts {
  days: AgendaDayFacts[];
  uidScheme: UidScheme;
  stamp: Date;
  /** By slot id (slotRevisions); a slot not in it was never revised. */
  revisions: Map<number, SlotRevision>;
  /** The edition's own event's (editionRevision); null when never revised. */
  editionRevision: SlotRevision | null;
}

export interface SlotRevision {
  sequence: number;
  modified: Date;
}

/**
 * The rows slotRevisions reads, of one edition: its changelog's (schedule_changes), and those
 * auditRevisions makes of its audit trail (kinds 'import' and 'unpublished').
 */
export interface RevisionRow {
  slot_id: number | null;
  kind: string;
  created_at: Date | string;
  /** What a change of the days holds of the edition after it (not counted: see revisesAll). */
  after: unknown;
  /** Of kind 'resolved': the slots whose resolved times the write moved (its entry's alsoMoved). */
  slots?: readonly MovedSlot[];
  /** Of kind 'shown': the slot, or the topic (each slot made for it), whose event's text the write changed. */
  shownIn?: { slotId: number | null; topicId: number | null };
  /** Of kind 'edition': the events whose words an edit of the edition changed (editionShows). */
  scope?: 'all' | 'edition';
}

/**
 * A slot whose resolved start or end a write moved without being the slot it wrote (see the head
 * of this file), as its audit entry keeps it: by guid, which an import of the page keeps; by id
 * for a slot stored without one.
 */
export interface MovedSlot {
  id: number;
  guid: string | null;
  /** The topic the slot is made for: its materials and abstract are in the slot's event. */
  topicId?: number | null;
}

/**
 * A change of the whole schedule that revises every event: its publication as final (each
 * event's STATUS becomes CONFIRMED), an import of its page over it again (which rewrites every
 * slot and the edition's fields), or an edit of the edition that changes what every event says
 * or when it is (kind 'edition', scope 'all': its title, place, status, zone, or dates once
 * published from conclave). The changelog's 'days' entry that such an edit of the dates or zone
 * writes (only when the schedule has slots) is not one: the edit's audit entry counts it, once.
 */
function revisesAll(r: RevisionRow): boolean {
  return r.slot_id === null && (r.kind === 'finalize' || r.kind === 'import' || (r.kind === 'edition' && r.scope === 'all'));
}

/** The audit entries auditRevisions reads, of one edition, in the order they were written. */
export interface AuditRevisionRow {
  action: string;
  at: Date | string;
  before: unknown;
  after: unknown;
  /** The row the entry is about (a topic's id, for topic.update). */
  entity_id?: string | null;
}

function json(v: unknown): Record<string, unknown> | null {
  return (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, unknown> | null;
}

/**
 * Whether a schedule.publish entry is the schedule's first publication from conclave: its
 * `before` says whether it was published already; an entry written before it said so is the
 * first when it published a planned schedule (one imported as tentative may have been too, but
 * is not taken for it: what such entries count stays as it was).
 */
function firstPublication(r: AuditRevisionRow): boolean {
  const before = json(r.before);
  return before !== null && ('published' in before ? before.published === false : before.status === 'planned');
}

/** The audit actions auditRevisions reads (both loaders select by them). */
export const REVISION_AUDIT_ACTIONS = [
  'edition.import',
  'edition.update',
  'schedule.publish',
  'schedule.slot.add',
  'schedule.slot.edit',
  'schedule.slot.move',
  'schedule.slot.remove',
  'schedule.day',
  'schedule.day.remove',
  'material.add',
  'material.remove',
  'topic.update',
];

/**
 * What a write changed of the text of a slot's event (its DESCRIPTION and ATTACH lines: the
 * materials of the slot and of its topic, the topic's abstract), without moving it: a material
 * added to or removed from a slot or a topic, a topic's abstract changed by the committee. Null
 * for a write that changed no event's text (a material of the edition itself, a topic's title:
 * that one is in the changelog).
 */
function shownIn(r: AuditRevisionRow): { slotId: number | null; topicId: number | null } | null {
  if (r.action === 'material.add' || r.action === 'material.remove') {
    const m = json(r.action === 'material.add' ? r.after : r.before);
    const slotId = typeof m?.slot_id === 'number' ? m.slot_id : null;
    const topicId = typeof m?.topic_id === 'number' ? m.topic_id : null;
    return slotId === null && topicId === null ? null : { slotId, topicId };
  }
  if (r.action === 'topic.update') {
    const [before, after] = [json(r.before), json(r.after)];
    const topicId = Number(r.entity_id);
    return before?.abstract !== after?.abstract && Number.isInteger(topicId) ? { slotId: null, topicId } : null;
  }
  return null;
}

/**
 * The edition's columns each event shows (ical.ts): its all-day event, the title as SUMMARY, the
 * subtitle, dates and place in its DESCRIPTION, the place as LOCATION, the zone in its note, the
 * status as STATUS; every slot's event, the title (its DESCRIPTION's last line), the place
 * (LOCATION), the zone (DTSTART's TZID) and the status.
 */
const EDITION_EVENT_SHOWS = ['title', 'subtitle', 'location_text', 'dates_text', 'status', 'start_date', 'end_date', 'time_zone'];
const SLOT_EVENT_SHOWS = ['title', 'location_text', 'status', 'time_zone'];

/**
 * Which events an edit of the edition (edition.update, its row before and after) changed the
 * words of: 'all' (a field every slot's event shows too: the title, the place, the zone …),
 * 'edition' (the all-day event alone: the subtitle, the dates, a zone of the same rules as the
 * one before, which moves no slot's event), or null for an edit of nothing any event shows (the
 * cap, the intro, a form saved unchanged). Its dates, once the schedule is
 * published from conclave, revise every event, as they did when the changelog's 'days' entry of
 * the edit counted them (a SEQUENCE only grows). That entry is written only for a schedule with
 * slots and no longer counted (revisesAll): this one counts the edit, once, slots or none.
 */
function editionShows(r: AuditRevisionRow): 'all' | 'edition' | null {
  const [before, after] = [json(r.before), json(r.after)];
  if (!before || !after) return null;
  const logged = after.schedule_published_at !== null && after.schedule_published_at !== undefined;
  const changed = (k: string) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null);
  // A zone of the same rules (Europe/Zagreb for Europe/Ljubljana) moves no event: only the
  // edition's own event, whose note names the zone, is revised.
  const moves = (k: string) => changed(k) && (k !== 'time_zone' || !sameZoneRules(before.time_zone, after.time_zone, after));
  if (SLOT_EVENT_SHOWS.some(moves) || (logged && ['start_date', 'end_date'].some(changed))) return 'all';
  return EDITION_EVENT_SHOWS.some(changed) ? 'edition' : null;
}

/**
 * Whether two zones give every wall-clock time the same instant over the edition's years (from
 * the year before its start to the year after its end, or its year's): the same offsets and the
 * same changes of the clocks, as zones linked in the time zone database have.
 */
function sameZoneRules(a: unknown, b: unknown, e: Record<string, unknown>): boolean {
  if (typeof a !== 'string' || typeof b !== 'string' || !knownTimeZone(a) || !knownTimeZone(b)) return false;
  const yearOf = (v: unknown) => (typeof v === 'string' && /^\d{4}-/.test(v) ? Number(v.slice(0, 4)) : typeof e.year === 'number' ? e.year : null);
  const from = yearOf(e.start_date);
  const to = yearOf(e.end_date) ?? from;
  if (from === null || to === null) return false;
  return JSON.stringify(zoneTransitions(a, from - 1, to + 1)) === JSON.stringify(zoneTransitions(b, from - 1, to + 1));
}

/** The audit actions that change what a slot's event says (shownIn). */
const SHOWN_ACTIONS = new Set(['material.add', 'material.remove', 'topic.update']);

/** The slot writes that, before the schedule's first publication from conclave, revise every slot. */
const UNPUBLISHED_REVISIONS = new Set(['schedule.slot.edit', 'schedule.slot.move']);

/** The slots an entry says its write moved besides its own (alsoMoved; see the head of the file). */
function alsoMoved(after: unknown): MovedSlot[] {
  const moved = json(after)?.alsoMoved;
  return Array.isArray(moved) ? (moved as MovedSlot[]) : [];
}

/**
 * The revisions the changelog does not hold, from the audit trail (which keeps every write):
 *
 * - each import of the edition's page after the one that created it (kind 'import'), a revision
 *   of every event: it may move any slot (back to where the page has it) and the edition's dates;
 * - each move or edit of a slot before the schedule's first publication from conclave (kind
 *   'unpublished'), a revision of every slot's event. The changelog starts at that publication,
 *   yet an imported schedule (or a past edition's, its status typed in) is in the calendar before
 *   it. Counted for every slot, not by slot id: an import of the page writes the slots anew, and
 *   the count must not drop then. An edition published without an audit entry (before they were
 *   kept) has none;
 * - each schedule write that moved the resolved start or end of slots other than its own (kind
 *   'resolved', naming them: the entry's alsoMoved), before the publication or after it: a day's
 *   hours that end an open-ended slot, a slot added, moved or removed after one that runs until
 *   the next. One already counted for every slot ('unpublished') is not counted twice;
 * - each write that changed the text of a slot's event without moving it (kind 'shown', naming
 *   the slot or the topic it is made for): a material added to or removed from it, its topic's
 *   abstract changed, so that a calendar takes the new DESCRIPTION rather than keep its own;
 * - each edit of the edition that changed what its events say (kind 'edition', editionShows): of
 *   every event (its title, place, status or zone, or its dates once the schedule is published
 *   from conclave), or of its all-day event alone (its subtitle, or its dates before that).
 */
export function auditRevisions(rows: readonly AuditRevisionRow[], schedulePublishedAt: Date | string | null): RevisionRow[] {
  // Published, and no entry says when: all of the audit trail is after it.
  let published = schedulePublishedAt !== null && !rows.some((r) => r.action === 'schedule.publish' && firstPublication(r));
  const out: RevisionRow[] = [];
  for (const r of rows) {
    if (r.action === 'schedule.publish') {
      if (firstPublication(r)) published = true;
    } else if (SHOWN_ACTIONS.has(r.action)) {
      const where = shownIn(r);
      if (where) out.push({ slot_id: null, kind: 'shown', created_at: r.at, after: null, shownIn: where });
    } else if (r.action === 'edition.import') {
      if (json(r.after)?.created !== true) out.push({ slot_id: null, kind: 'import', created_at: r.at, after: null });
    } else if (r.action === 'edition.update') {
      const scope = editionShows(r);
      if (scope) out.push({ slot_id: null, kind: 'edition', created_at: r.at, after: null, scope });
    } else if (!published && UNPUBLISHED_REVISIONS.has(r.action)) {
      out.push({ slot_id: null, kind: 'unpublished', created_at: r.at, after: null });
    } else {
      const slots = alsoMoved(r.after);
      if (slots.length > 0) out.push({ slot_id: null, kind: 'resolved', created_at: r.at, after: null, slots });
    }
  }
  return out;
}

/**
 * The edition's own event's revision count and time: the changes that revise every event, and
 * the edits of the edition that change its words alone (kind 'edition').
 */
export function editionRevision(rows: readonly RevisionRow[]): SlotRevision | null {
  const all = rows.filter((r) => revisesAll(r) || (r.slot_id === null && r.kind === 'edition')).map((r) => new Date(r.created_at).getTime());
  return all.length ? { sequence: all.length, modified: new Date(Math.max(...all)) } : null;
}

/**
 * Each slot's revision count and time, from its edition's changelog (written once the schedule
 * is published) and its audit trail (auditRevisions): its own moves and edits, every change that
 * revises all events (revisesAll: an edit of the edition's title or place among them) or all
 * slots ('unpublished'), and every write that moved its resolved times besides its own
 * ('resolved', by guid) or the text of its event ('shown': a material of it or of its topic, the
 * topic's abstract), made after it was added. A slot the
 * changelog and the audit trail have no word of was never revised. The count only grows, as
 * calendar programs need: an .ics imported again replaces the events whose SEQUENCE is higher
 * than what they hold. An import of the page writes its slots anew, and hands each the changelog
 * rows of the slot it replaces under the same guid (write-edition.ts), or of the slot an earlier
 * import or a removal took away under it, so that a slot's own revisions stay its own.
 */
export function slotRevisions(slots: readonly MovedSlot[], rows: readonly RevisionRow[]): Map<number, SlotRevision> {
  const own = new Map<number, { added: number; revised: number[] }>();
  const days: number[] = [];
  // The 'resolved' revisions, by the guid (else the id) of each slot they name.
  const moved = new Map<string, number[]>();
  const key = (s: MovedSlot) => (s.guid !== null ? `guid:${s.guid}` : `id:${s.id}`);
  // The 'shown' revisions, by the slot or the topic they name.
  const shown = new Map<string, number[]>();
  const note = (k: string, at: number) => shown.set(k, [...(shown.get(k) ?? []), at]);
  for (const r of rows) {
    const at = new Date(r.created_at).getTime();
    if (r.slot_id === null) {
      if (revisesAll(r) || r.kind === 'unpublished') days.push(at);
      if (r.kind === 'resolved') for (const s of r.slots ?? []) moved.set(key(s), [...(moved.get(key(s)) ?? []), at]);
      if (r.kind === 'shown' && r.shownIn) {
        if (r.shownIn.slotId !== null) note(`slot:${r.shownIn.slotId}`, at);
        else if (r.shownIn.topicId !== null) note(`topic:${r.shownIn.topicId}`, at);
      }
      continue;
    }
    if (r.kind !== 'add' && r.kind !== 'move' && r.kind !== 'edit') continue;
    const o = own.get(r.slot_id) ?? { added: -Infinity, revised: [] };
    if (r.kind === 'add') o.added = Math.max(o.added, at);
    else o.revised.push(at);
    own.set(r.slot_id, o);
  }
  const result = new Map<number, SlotRevision>();
  for (const slot of slots) {
    const id = slot.id;
    const o = own.get(id) ?? { added: -Infinity, revised: [] };
    const texts = [...(shown.get(`slot:${id}`) ?? []), ...(slot.topicId != null ? (shown.get(`topic:${slot.topicId}`) ?? []) : [])];
    const revised = [...o.revised, ...[...days, ...(moved.get(key(slot)) ?? []), ...texts].filter((at) => at > o.added)];
    const last = Math.max(o.added, ...revised);
    if (Number.isFinite(last)) result.set(id, { sequence: revised.length, modified: new Date(last) });
  }
  return result;
}

const KIND_LABEL: Record<SlotKind, string> = {
  talk: 'Talk',
  discussion: 'Discussion',
  break: 'Break',
  meal: 'Meal',
  social: 'Social',
};

export function kindLabel(kind: SlotKind): string {
  return KIND_LABEL[kind];
}

/** The edition's guid, also the UID of its all-day event. */
export function editionGuid(series: string, year: number): string {
  return uuid5(`conclave:edition:${series}/${year}`);
}

/** The names a slot was given by its edition's UidScheme before they were stored (migration 029). */
export function uidSchemeOf(e: { source_file: string | null; schedule_published_at: Date | null }): UidScheme {
  return e.source_file !== null && e.schedule_published_at === null ? 'page-position' : 'slot-id';
}

export interface SlotNames {
  guid: string;
  numericId: number;
}

/**
 * The guid and numeric id of the slot at `position` of an archive page's day: `listedIndex` is
 * the day's index (0-based) among the page's days that hold slots. Every import of the page gives
 * the slot it places there the same.
 */
export function pageNames(series: string, year: number, date: string, listedIndex: number, position: number): SlotNames {
  return { guid: uuid5(`conclave:slot:${series}/${year}/${date}/${position}`), numericId: (listedIndex + 1) * 1000 + position + 1 };
}

/** The names as the slots table stores them. */
export function storedNames(n: SlotNames): { guid: string; numeric_id: number } {
  return { guid: n.guid, numeric_id: n.numericId };
}

/** The guid and numeric id of a slot added in conclave: by its database id. */
export function slotIdNames(series: string, year: number, id: number): SlotNames {
  return { guid: uuid5(`conclave:slot:${series}/${year}/${id}`), numericId: id };
}

/**
 * The names an edition's UidScheme gives a slot (see the head of this file): `listedIndex` is its
 * day's index among the edition's days that hold slots, in agenda order.
 */
export function schemeNames(
  scheme: UidScheme,
  series: string,
  year: number,
  slot: { id: number; date: string; listedIndex: number; position: number },
): SlotNames {
  return scheme === 'slot-id' ? slotIdNames(series, year, slot.id) : pageNames(series, year, slot.date, slot.listedIndex, slot.position);
}

/** Whether an edition has schedule files: it needs a date (its start, or a day of its agenda). */
export function hasScheduleFiles(e: Pick<EditionView, 'dates' | 'agenda'>): boolean {
  return e.dates.start !== null || e.agenda.length > 0;
}

/**
 * Whether an edition's schedule files hold any slot (buildSchedule's rule): its schedule is
 * public (not planned) and a slot of its agenda starts at a time of day. 2019's page lists topics
 * without times: its files hold the edition's dates and nothing else.
 */
export function scheduleHasSlots(e: Pick<EditionView, 'status' | 'agenda'>): boolean {
  return (
    e.status !== 'planned' &&
    e.agenda.some((d) =>
      d.slots.some((s) => {
        try {
          minutes(s.start);
          return true;
        } catch {
          return false;
        }
      }),
    )
  );
}

/** 'YYYY-MM-DD' plus n days. */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + n)).toISOString().slice(0, 10);
}

/** What placeDay reads of a slot. */
export interface PlaceableSlot {
  start: string;
  end: string | null;
  openEnded: boolean;
  kind: SlotKind;
}

/**
 * Where the schedule files put each slot of a day, in minutes since its midnight (null for a slot
 * without a time of day, which no calendar can place): its start, and its end as slotEnd resolves
 * it from the slot, the later starts of its day and the day's end (an end before the start, a
 * typo, is read as no length, as the conflict check does). The builder's writes ask it too, to
 * tell which slots a write moved besides its own (alsoMoved).
 */
export function placeDay(day: ScheduleDay, slots: readonly PlaceableSlot[]): ({ start: number; end: number } | null)[] {
  const startOf = (slot: PlaceableSlot): number | null => {
    try {
      return minutes(slot.start);
    } catch {
      return null;
    }
  };
  const timed: ScheduleSlot[] = slots.flatMap((slot, i) =>
    startOf(slot) === null
      ? []
      : [{ id: i, date: day.date, start: slot.start, end: slot.end, openEnded: slot.openEnded, kind: slot.kind, room: null, speakerIds: [], topicId: null, title: '' }],
  );
  return slots.map((slot, i) => {
    const begin = startOf(slot);
    if (begin === null) return null;
    try {
      return { start: begin, end: Math.max(begin, slotEnd(timed.find((t) => t.id === i)!, timed, day)) };
    } catch {
      return { start: begin, end: begin };
    }
  });
}

/** Longest run of days an edition's date range is taken to cover (a typo must not make 10,000). */
const MAX_DAYS = 31;

/**
 * The pure part: an edition and its database facts → the schedule the exports render.
 *
 * Every day of the edition's dates is a day of the files, with slots or without, as conference
 * apps expect; a day outside them is one only while it holds a slot (the public page lists days
 * with slots only). A day's hours, when set, are its bounds even while it holds no slot.
 */
export function buildSchedule(e: EditionView, facts: ScheduleFacts): ScheduleExport {
  if (!hasScheduleFiles(e)) throw new NotFound(`${e.title} has no dates yet, so it has no schedule files`);
  const published = e.status !== 'planned';
  // The view's agenda, day for day: the facts of the days it lists.
  const listed = facts.days.filter((d) => agendaListsDay(d.slots.length));
  if (
    published &&
    (listed.length !== e.agenda.length || listed.some((d, i) => d.date !== e.agenda[i]!.date || d.slots.length !== e.agenda[i]!.slots.length))
  ) {
    throw new Error(`the agenda of ${e.series.slug}/${e.year} changed while it was read`);
  }

  const dates = new Set<string>();
  const agendaDates = e.agenda.map((d) => d.date).sort();
  const start = e.dates.start ?? agendaDates[0]!;
  const last = e.dates.end && e.dates.end >= start ? e.dates.end : start;
  for (let d = start, n = 0; d <= last && n < MAX_DAYS; d = addDays(d, 1), n++) dates.add(d);
  if (published) for (const d of agendaDates) dates.add(d);
  const sorted = [...dates].sort();

  const slotsByDate = new Map<string, ExportSlot[]>();
  const bounds = new Map<string, { start: number; end: number }>();
  if (published) {
    e.agenda.forEach((day, dayIndex) => {
      const dayFacts = listed[dayIndex]!;
      const scheduleDay: ScheduleDay = { date: day.date, start: dayFacts.start ?? undefined, end: dayFacts.end ?? undefined };
      const placed = placeDay(scheduleDay, day.slots);
      const list = slotsByDate.get(day.date) ?? [];
      day.slots.forEach((slot, i) => {
        const at = placed[i];
        if (!at) return; // a slot without a time of day cannot be placed in a calendar
        const { start: begin, end } = at;
        const { id, position, guid, numericId } = dayFacts.slots[i]!;
        const byScheme = schemeNames(facts.uidScheme, e.series.slug, e.year, { id, date: day.date, listedIndex: dayIndex, position });
        const revision = facts.revisions.get(id);
        list.push({
          guid: guid ?? byScheme.guid,
          numericId: numericId ?? byScheme.numericId,
          slot,
          date: day.date,
          start: begin,
          end,
          ...words(slot),
          sequence: revision?.sequence ?? 0,
          modified: revision?.modified ?? null,
        });
      });
      slotsByDate.set(day.date, list);
    });
  }
  // A day's hours, once set, are public before its slots are: they are what attendees plan their
  // travel by. Set (one of them, even), they are the builder's: the other is its default, as there.
  for (const d of facts.days) {
    const b = bounds.get(d.date);
    if (d.start || d.end) {
      bounds.set(d.date, {
        start: Math.min(b?.start ?? Infinity, minutes(d.start ?? DEFAULT_DAY_START)),
        end: Math.max(b?.end ?? -Infinity, minutes(d.end ?? DEFAULT_DAY_END)),
      });
    }
  }

  const days = sorted.map((date, i): ExportDay => {
    const slots = (slotsByDate.get(date) ?? []).slice().sort((a, b) => a.start - b.start);
    const b = bounds.get(date);
    const firstStart = Math.min(...slots.map((s) => s.start), b && Number.isFinite(b.start) ? b.start : Infinity);
    const lastEnd = Math.max(...slots.map((s) => s.end), b && Number.isFinite(b.end) ? b.end : -Infinity);
    return {
      index: i + 1,
      date,
      start: Number.isFinite(firstStart) ? firstStart : minutes(DEFAULT_DAY_START),
      end: Number.isFinite(lastEnd) ? lastEnd : minutes(DEFAULT_DAY_END),
      slots,
    };
  });

  return {
    edition: e,
    published,
    timeZone: knownTimeZone(e.timeZone),
    start: sorted[0]!,
    end: sorted[sorted.length - 1]!,
    days,
    stamp: facts.stamp,
    uidScheme: facts.uidScheme,
    editionGuid: editionGuid(e.series.slug, e.year),
    editionSequence: facts.editionRevision?.sequence ?? 0,
    editionModified: facts.editionRevision?.modified ?? null,
  };
}

/** Summary and detail of a slot (see ExportSlot). */
function words(slot: SlotView): { summary: string; detail: string | null } {
  const title = slot.title.trim();
  const firstLine = title.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  const summary =
    slot.talkTitle?.trim() || firstLine || slot.speakers.map((s) => s.nameAsListed).join(', ') || kindLabel(slot.kind);
  return { summary, detail: title !== '' && title !== summary ? title : null };
}

/**
 * Loads an edition's schedule for export: the public view plus the slot ids and day bounds it
 * leaves out, read in one snapshot so that both agree. NotFound for an unknown edition or one
 * without dates.
 */
export async function loadSchedule(deps: { db: Kysely<Database> }, series: string, year: number): Promise<ScheduleExport> {
  return deps.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const row = await findEdition(trx, { series, year });
      const edition = await loadEdition({ db: trx }, series, year);
      const [days, slots, changelog, audited, lastEdit] = await Promise.all([
        trx
          .selectFrom('agenda_days')
          .select(['id', 'date', 'start_time', 'end_time'])
          .where('edition_id', '=', row.id)
          .orderBy('position')
          .orderBy('id')
          .execute(),
        trx
          .selectFrom('slots')
          .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
          .select(['slots.id', 'slots.day_id', 'slots.position', 'slots.guid', 'slots.numeric_id', 'slots.topic_id'])
          .where('agenda_days.edition_id', '=', row.id)
          .orderBy('slots.day_id')
          .orderBy('slots.position')
          .execute(),
        trx.selectFrom('schedule_changes').select(['slot_id', 'kind', 'created_at', 'after']).where('edition_id', '=', row.id).execute(),
        trx
          .selectFrom('audit_log')
          .select(['action', 'at', 'before', 'after', 'entity_id'])
          .where('edition_id', '=', row.id)
          .where('action', 'in', REVISION_AUDIT_ACTIONS)
          .orderBy('id')
          .execute(),
        // Slides, links and notes added or removed, and topics edited, change what the files show
        // (attachments, descriptions) without a schedule change: the audit trail has them.
        trx
          .selectFrom('audit_log')
          .select((eb) => eb.fn.max('at').as('at'))
          .where('edition_id', '=', row.id)
          .where(editsShownInFiles)
          .executeTakeFirst(),
      ]);
      const changes: RevisionRow[] = [...changelog, ...auditRevisions(audited, row.schedule_published_at)];
      const times = [row.updated_at, ...changes.map((c) => c.created_at), lastEdit?.at].flatMap((t) => (t ? [new Date(t as unknown as string | Date)] : []));
      const stamp = new Date(Math.max(...times.map((t) => t.getTime())));
      return buildSchedule(edition, {
        days: days.map((d) => ({
          date: d.date,
          start: d.start_time,
          end: d.end_time,
          slots: slots.filter((s) => s.day_id === d.id).map((s) => ({ id: s.id, position: s.position, guid: s.guid, numericId: s.numeric_id })),
        })),
        uidScheme: uidSchemeOf(row),
        stamp,
        revisions: slotRevisions(
          slots.map((s) => ({ id: s.id, guid: s.guid, topicId: s.topic_id })),
          changes,
        ),
        editionRevision: editionRevision(changes),
      });
    });
}

/**
 * The audit entries that change what an edition's schedule files show without a schedule change:
 * slides, links and notes added or removed, topics edited. Both loaders (loadSchedule and the
 * static export's) date the files by them.
 */
export function editsShownInFiles(eb: ExpressionBuilder<Database, 'audit_log'>) {
  return eb.or([eb('action', 'like', 'material.%'), eb('action', 'like', 'topic%'), eb('action', 'like', 'schedule.%')]);
}

/** An absolute URL: links already absolute stay, paths are put under the site's base URL. */
export function absoluteUrl(baseUrl: string, pathOrUrl: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(pathOrUrl)) return pathOrUrl;
  return `${baseUrl.replace(/\/+$/, '')}${pathOrUrl.startsWith('/') ? '' : '/'}${pathOrUrl}`;
}

/**
 * A link's address as a URI (RFC 3986): absolute as absoluteUrl makes it, with what a URI may not
 * hold as typed (a space, a non-ASCII letter in a path or host, a "|") percent-encoded or
 * punycoded, as a browser sends it. Calendar programs and the C3VOC schema want a URI; a
 * material's address is kept as the committee typed it.
 */
export function linkUri(baseUrl: string, pathOrUrl: string): string {
  return uriOf(absoluteUrl(baseUrl, pathOrUrl));
}

/**
 * An address, absolute or relative, as a URI: an absolute one as a browser sends it (punycoded
 * host), and in either what a URI may not hold as typed (a space, a non-ASCII letter, a "|")
 * percent-encoded. A "%" already there is left alone: the address may be encoded already.
 */
export function uriOf(address: string): string {
  let href = address;
  if (/^[a-z][a-z0-9+.-]*:/i.test(address)) {
    try {
      href = new URL(address).href;
    } catch {
      // Not an address the parser reads: given as it is, less what a URI may not hold.
    }
  }
  return href.replace(/[^\x21-\x7e]|["<>\\^`{|}]/gu, (c) => {
    try {
      return encodeURIComponent(c);
    } catch {
      return '%EF%BF%BD'; // half of a surrogate pair: the replacement character
    }
  });
}

/**
 * A material's name: its label, and what it is about only where that tells a slot's materials
 * apart ("slides (LNST)"), as the edition page shows them.
 */
export function materialName(m: MaterialView, all: readonly MaterialView[]): string {
  const showAbout = new Set(all.map((x) => x.about)).size > 1;
  return m.about && showAbout && m.about !== m.label ? `${m.label} (${m.about})` : m.label;
}

/** A material as one line of text: "slides: https://…", or "(listed, the file is not in the archive)". */
export function materialLine(m: MaterialView, all: readonly MaterialView[], baseUrl: string): string {
  const what = materialName(m, all);
  return m.url ? `${what}: ${linkUri(baseUrl, m.url)}` : `${what} (listed, the file is not in the archive)`;
}

/** "09:00" of minutes since midnight, past midnight wrapping to the next day's clock. */
export function hhmm(total: number): string {
  const t = ((total % 1440) + 1440) % 1440;
  return `${String(Math.floor(t / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`;
}

/** A length in minutes as 'HH:MM' (frab's duration). */
export function duration(total: number): string {
  const t = Math.max(0, total);
  return `${String(Math.floor(t / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`;
}

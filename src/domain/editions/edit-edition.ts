/**
 * Creating and editing editions: every field of the data model, validated with zod, one
 * transaction per write, audited with the state before and after.
 */
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Database, Edition } from '../../db/schema.js';
import { recordAudit, type Actor } from '../audit/record.js';
import { findEdition, seriesSlug, type FoundEdition } from './find-edition.js';
import { Conflict, InvalidForm } from '../errors.js';
import { checkNewCap, promoteWaiting, type Promoted } from '../invitations/cap.js';
import { editionOver, longDate, todayIn } from '../invitations/dates.js';
import type { InvitationDeps } from '../invitations/deps.js';
import { checkScheduleZone } from '../program/schedule-edit.js';
import { logEditionChange } from '../program/schedule-changelog.js';
import { knownTimeZone } from '../exports/time-zone.js';
import { parseFormChecked, visibleLine } from '../validate.js';
import { privateAddressesIn } from '../people/private-addresses.js';

const isoDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), { error: (iss) => `${String(iss.input)} is not a real date` });
const text = (max: number) => visibleLine(z.string().trim().max(max, `must be at most ${max} characters`));
const optionalText = (max: number) => text(max).transform((s) => (s === '' ? null : s)).nullish();
const optionalDate = z.union([z.literal('').transform(() => null), isoDate]).nullish();

/** The zones Intl lists, by their name in lower case. */
const ZONES = new Map(Intl.supportedValuesOf('timeZone').map((z) => [z.toLowerCase(), z]));

/**
 * A zone as it is kept: as written, any name the time zone database knows (Asia/Kolkata and
 * Europe/Kyiv, which Intl.supportedValuesOf leaves out for their old spellings, and UTC), in its
 * proper case ("europe/berlin" is Europe/Berlin).
 */
function zoneAsWritten(tz: string): string {
  const lower = tz.toLowerCase();
  const listed = ZONES.get(lower);
  if (listed) return listed;
  const canonical = new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
  if (canonical.toLowerCase() === lower) return canonical;
  // A newer name the list leaves out (Asia/Kolkata), written in lower case: its words capitalised.
  return tz === lower ? tz.replace(/(^|[/_-])([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase()) : tz;
}

/** An edition's time zone as typed: a name the time zone database knows (America/Toronto). */
export const timeZoneName = text(64).refine((tz) => knownTimeZone(tz) !== null, { error: (iss) => `${String(iss.input)} is not a known time zone (e.g. America/Toronto)` });

/** Every editable field of an edition. Empty strings clear optional fields. */
const EditionShape = z.object({
    title: text(300).min(1, 'is required'),
    subtitle: optionalText(300),
    // A few lines (a textarea): not held to one line, as the other texts are.
    motto: z.string().trim().max(2000, 'must be at most 2000 characters').transform((s) => (s === '' ? null : s)).nullish(),
    intro: z.union([z.array(z.string()), z.string()]).transform((v) =>
      (Array.isArray(v) ? v : v.split(/\r?\n\s*\r?\n/)).map((p) => p.replace(/\s+/g, ' ').trim()).filter(Boolean),
    ).optional(),
    city: optionalText(200),
    region: optionalText(200),
    country: optionalText(200),
    locationText: optionalText(300),
    startDate: optionalDate,
    endDate: optionalDate,
    timeZone: z
      .union([z.literal('').transform(() => null), timeZoneName])
      .transform((tz) => (tz ? zoneAsWritten(tz) : tz))
      .nullish(),
    colocatedName: optionalText(300),
    colocatedStart: optionalDate,
    colocatedEnd: optionalDate,
    colocatedPlace: optionalText(300),
    status: z.enum(['planned', 'tentative', 'final']).optional(),
    cap: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(1000).optional(),
    reminderDays: z.coerce.number().int('must be a whole number').min(0, 'cannot be negative').max(365).optional(),
    answerBy: optionalDate,
});

type DateFields = { startDate?: string | null; endDate?: string | null; colocatedStart?: string | null; colocatedEnd?: string | null; answerBy?: string | null };

/** Whether the first or the last of these dates is in `year` (true without dates). */
function touchesYear(v: { startDate?: string | null; endDate?: string | null }, year: number): boolean {
  const first = v.startDate ?? v.endDate;
  const last = v.endDate ?? v.startDate;
  if (!first || !last) return true;
  return Number(first.slice(0, 4)) === year || Number(last.slice(0, 4)) === year;
}

/**
 * Rules across fields: an end before its start, an answer-by date after the edition starts, dates
 * outside the edition's year (when `year` is given). The
 * error goes to the field that was given: a new start after the stored end is the start's fault
 * (`edition update --start` must not blame an --end nobody typed). `given`: every field, when
 * all are new.
 */
function crossCheck(v: DateFields & { year?: number }, given?: ReadonlySet<string>): Record<string, string> {
  const bad: Record<string, string> = {};
  const blame = (later: keyof DateFields, earlier: keyof DateFields, laterSays: string, earlierSays: string) => {
    if (given && !given.has(later) && given.has(earlier)) bad[earlier] = earlierSays;
    else bad[later] = laterSays;
  };
  if (v.startDate && v.endDate && v.endDate < v.startDate) blame('endDate', 'startDate', `is before the start date, ${v.startDate}`, `is after the end date, ${v.endDate}`);
  if (v.colocatedStart && v.colocatedEnd && v.colocatedEnd < v.colocatedStart) blame('colocatedEnd', 'colocatedStart', `is before the co-located event’s start, ${v.colocatedStart}`, `is after the co-located event’s end, ${v.colocatedEnd}`);
  if (v.answerBy && v.startDate && v.answerBy > v.startDate) blame('answerBy', 'startDate', `is after the edition starts, ${v.startDate}`, `is before the answer-by date, ${v.answerBy}`);
  // The edition of a year happens in it: "Netconf 2028, June 1–3, 2029" is a typo. One over New
  // Year may start or end in the year beside it.
  if (v.year !== undefined && !bad['startDate'] && !bad['endDate'] && !touchesYear(v, v.year)) {
    const says = (d: string) => `is in ${d.slice(0, 4)}: the dates of the ${v.year} edition must fall in ${v.year} (at least its first or last day)`;
    if (v.startDate) blame('startDate', 'endDate', says(v.startDate), says(v.endDate ?? v.startDate));
    else bad['endDate'] = says(v.endDate!);
  }
  return bad;
}

/** The create form: an edition's fields, with its series and year. */
const CreateShape = EditionShape.extend({
  series: visibleLine(
    z
      .string()
      .trim()
      .min(1, 'is required')
      .max(80, 'must be at most 80 characters')
      .refine((s) => seriesSlug(s) !== '', 'must have a letter or a digit (it names the series in addresses)'),
  ).default('Netconf'),
  // An empty field is not the year 0: it is missing.
  year: z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : Number(v)) : v),
    z
      .number({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be a year') })
      .int('must be a year')
      .min(1990, 'must be 1990 or later')
      .max(2999, 'must be 2999 or earlier'),
  ),
});
export interface CreateEditionInput {
  series?: string | undefined;
  year: unknown;
  fields: z.input<typeof EditionShape>;
}

type Fields = z.output<typeof EditionShape>;

/** The place as one line made of its parts: "Ottawa, ON, CA"; null without any. */
function placeOf(p: { city?: string | null | undefined; region?: string | null | undefined; country?: string | null | undefined }): string | null {
  const parts = [p.city, p.region, p.country].filter((x): x is string => !!x);
  return parts.length ? parts.join(', ') : null;
}

type Place = { city: string | null; region: string | null; country: string | null; location_text: string | null };

/** The city, region and country after an edit: each given one, else the one stored. */
function partsAfter(f: Partial<Fields>, before: Place): { city: string | null; region: string | null; country: string | null } {
  return {
    city: f.city !== undefined ? f.city : before.city,
    region: f.region !== undefined ? f.region : before.region,
    country: f.country !== undefined ? f.country : before.country,
  };
}

/**
 * The place shown after an edit. One that was made of the city, region and country (or empty)
 * follows them as they change, whether or not the form sent it back unchanged; one typed by
 * hand stays until it is changed or emptied, and an emptied one is made of the parts again.
 */
function placeAfter(f: Partial<Fields>, before: Place): string | null {
  const parts = partsAfter(f, before);
  const typed = f.locationText !== undefined && f.locationText !== null && f.locationText !== before.location_text;
  if (typed) return f.locationText!;
  const followed = !before.location_text || before.location_text === placeOf(before);
  return followed || f.locationText === null ? placeOf(parts) : before.location_text;
}

function columns(f: Partial<Fields>, before?: Place) {
  const out: Record<string, unknown> = {};
  const map: [keyof Fields, string][] = [
    ['title', 'title'], ['subtitle', 'subtitle'], ['motto', 'motto'], ['city', 'city'], ['region', 'region'],
    ['country', 'country'], ['locationText', 'location_text'], ['startDate', 'start_date'], ['endDate', 'end_date'],
    ['timeZone', 'time_zone'], ['colocatedName', 'colocated_name'], ['colocatedStart', 'colocated_start'],
    ['colocatedEnd', 'colocated_end'], ['colocatedPlace', 'colocated_place'], ['status', 'status'], ['cap', 'cap'],
    ['reminderDays', 'reminder_days'], ['answerBy', 'answer_by'],
  ];
  for (const [k, col] of map) if (f[k] !== undefined) out[col] = f[k];
  if (f.intro !== undefined) out.intro = JSON.stringify(f.intro);
  if (before) {
    const place = placeAfter(f, before);
    if (place !== before.location_text) out.location_text = place;
    else delete out.location_text;
  } else if (f.locationText === undefined || f.locationText === null) {
    // The place as one line, when not given: "Ottawa, ON, CA".
    const place = placeOf(f);
    if (place) out.location_text = place;
  }
  return out;
}

/**
 * The input with its title, when none is given: the series' name and the year ("Netconf 2027"),
 * the series named as stored when it exists, so `--series netconf` does not title it "netconf".
 */
async function withTitle(db: Kysely<Database>, input: CreateEditionInput): Promise<CreateEditionInput> {
  const fields = (input.fields ?? {}) as Record<string, unknown>;
  if (typeof fields.title === 'string' && fields.title.trim() !== '') return input;
  const given = (input.series ?? 'Netconf').trim() || 'Netconf';
  const known = await db.selectFrom('series').select('name').where('slug', '=', seriesSlug(given)).executeTakeFirst();
  return { ...input, fields: { ...fields, title: `${known?.name ?? given} ${String(input.year)}` } as never };
}

type Status = Edition['status'];


/**
 * Why the status field may not go from `from` (null: a new edition) to `to`, or null. The status
 * of an edition still to come is its schedule's: publishing it in the builder sets it, after
 * checking the schedule for conflicts and telling its speakers. The field sets it only for an
 * edition that is over (an archive's, typed in), and puts back to planned one set by hand and
 * never published here.
 */
function statusRefusal(from: Pick<Edition, 'status' | 'schedule_published_at'> | null, to: Status, dates: Pick<Edition, 'start_date' | 'end_date' | 'time_zone'>, year: number, now: Date): string | null {
  if ((from ?? { status: 'planned' }).status === to || editionOver(dates, now)) return null;
  if (to === 'planned') {
    return from?.schedule_published_at === null ? null : 'cannot go back to planned: the schedule is published, and its changes are in its public changelog';
  }
  const how = to === 'final' ? `Schedule → “Mark the schedule final”, or \`conclave schedule publish ${year} --final\`` : `Schedule → “Publish as tentative”, or \`conclave schedule publish ${year}\``;
  if (from === null) return `an edition still to come starts planned; publishing its schedule makes it ${to} (${how})`;
  return `is set by publishing the schedule (${how}), which checks it for conflicts and tells the speakers`;
}

/** An edition created again: the year of its series has one. The form and the command lead to it. */
export class EditionExists extends InvalidForm {
  override name = 'EditionExists';
  constructor(
    readonly seriesSlug: string,
    readonly series: string,
    readonly year: number,
  ) {
    super({ year: `${series} ${year} exists already` });
  }
}

/** Creates an edition (the series is created on first use, under the name given). */
export async function createEdition(deps: { db: Kysely<Database>; clock?: () => Date }, actor: Actor, input: CreateEditionInput): Promise<Edition> {
  const titled = await withTitle(deps.db, input);
  const { series, year, ...fields } = parseFormChecked(CreateShape, { ...titled.fields, series: titled.series, year: titled.year }, crossCheck);
  const refused = fields.status ? statusRefusal(null, fields.status, { start_date: fields.startDate ?? null, end_date: fields.endDate ?? null, time_zone: fields.timeZone ?? null }, year, deps.clock?.() ?? new Date()) : null;
  if (refused) throw new InvalidForm({ status: refused });
  return deps.db.transaction().execute(async (trx) => {
    const slug = seriesSlug(series);
    let s = await trx.selectFrom('series').select(['id']).where('slug', '=', slug).executeTakeFirst();
    s ??= await trx.insertInto('series').values({ slug, name: series }).returning('id').executeTakeFirstOrThrow();
    const exists = await trx.selectFrom('editions').select('id').where('series_id', '=', s.id).where('year', '=', year).executeTakeFirst();
    if (exists) throw new EditionExists(slug, series, year);
    const row = await trx
      .insertInto('editions')
      .values({
        series_id: s.id,
        year,
        title: fields.title,
        status: fields.status ?? 'planned',
        sections: JSON.stringify(['intro', 'location', 'dates', 'sponsors', 'committee', 'attendees', 'agenda', 'references']),
        intro: JSON.stringify(fields.intro ?? []),
        ...columns({ ...fields, intro: undefined }),
      } as never)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, { action: 'edition.create', entity: 'edition', entityId: row.id, editionId: row.id, after: row });
    return row;
  });
}

/**
 * A warning when an edition still to come has a default answer-by date already past: it is
 * taken as given (an archive's editions have such dates), but invitations sent with it would be
 * refused. Null otherwise.
 */
export function answerByPassed(e: Pick<Edition, 'answer_by' | 'start_date' | 'time_zone'>, now: Date): string | null {
  const today = todayIn(e.time_zone, now);
  if (!e.answer_by || e.answer_by >= today || (e.start_date !== null && e.start_date < today)) return null;
  return `The answer-by date, ${longDate(e.answer_by)}, has passed already: invitations will need a later one.`;
}

/**
 * A warning for an edition with dates but no time zone: every schedule file gives its times as
 * floating times (exports/ical.ts, time-zone.ts zonedDateTime), and publishing is refused without
 * the committee's word (program/publication.ts PublishNeedsZone). `how` says where to set one. Null
 * when it has a zone or no dates.
 */
export function noTimeZoneWarning(e: Pick<Edition, 'time_zone' | 'start_date'>, how: string): string | null {
  if (e.time_zone !== null || e.start_date === null) return null;
  return `No time zone: the schedule's times will be given as floating times (no zone) in schedule.ics, schedule.xml and schedule.json, and publishing it asks you to confirm that (${how}, such as Europe/Berlin).`;
}

/**
 * A warning when the edition's own texts (title, intro, motto, place …) show an address kept
 * private (a committee member's sign-in address, an invitee's, one whose owner hides it): the
 * public page shows it as soon as it is saved, and the static export refuses the page.
 */
export async function privateShownBy(db: Kysely<Database>, e: Edition): Promise<string | null> {
  const intro = typeof e.intro === 'string' ? (JSON.parse(e.intro) as string[]) : (e.intro as unknown as string[]);
  const texts = [e.title, e.subtitle, e.motto, ...intro, e.location_text, e.city, e.region, e.country, e.colocated_name, e.colocated_place];
  const shown = await privateAddressesIn(db, texts);
  if (shown.length === 0) return null;
  const list = shown.join(', ');
  return `The edition's page now shows ${list}, ${shown.length === 1 ? 'an address' : 'addresses'} not public (a committee member's, an invitee's, or one its owner hides): take ${shown.length === 1 ? 'it' : 'them'} out unless meant; the static export refuses the page while it is there.`;
}

/** An edition as changed, and who moved up from its waiting list because its cap went up. */
export interface UpdatedEdition {
  edition: Edition;
  promoted: Promoted[];
  /** How the change moved the published schedule, as its changelog says (scheduleChangeSentence). */
  scheduleChange: string | null;
  /** How many speakers' slots that change moves: they are told (none without a scheduleChange). */
  scheduleChangeSpeakers: number;
  /** A new answer-by date already past, for an edition still to come (`answerByPassed`). */
  answerByPassed: string | null;
  /** The city, region or country changed while the place shown, typed by hand, stayed: said. */
  placeKept: string | null;
  /**
   * A new answer-by date, while invitations are open (sent, not answered) with another date: an
   * invitee was told theirs by mail, so each keeps it until re-sent with the new one. Said.
   */
  openKeepTheirDate: { count: number; dates: string[] } | null;
  /**
   * New dates that leave slots of a schedule not published here (planned, or imported) on days
   * outside them: their days, said (a published schedule's scheduleChange says it instead).
   */
  slotsOutside: { count: number; dates: string[] } | null;
}

/**
 * What `slotsOutside` says, the same on every surface: "2 slots of the schedule are on days
 * outside the edition's dates now (2011-06-18, 2011-06-19): HOW". `how` is the surface's way
 * to see them (each is a conflict of the schedule until moved).
 */
export function slotsOutsideSentence(o: { count: number; dates: string[] }, how: string): string {
  return `${o.count === 1 ? '1 slot of the schedule is on a day' : `${o.count} slots of the schedule are on days`} outside the edition's dates now (${o.dates.join(', ')}): ${how}`;
}

/** The slots of an edition on days outside `e`'s dates, with those days; null when none (or no dates). */
async function slotsOutsideDates(trx: Transaction<Database>, e: Edition): Promise<{ count: number; dates: string[] } | null> {
  if (e.start_date === null) return null;
  const end = e.end_date ?? e.start_date;
  const rows = await trx
    .selectFrom('slots')
    .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
    .select(['agenda_days.date'])
    .where('agenda_days.edition_id', '=', e.id)
    .where((w) => w.or([w('agenda_days.date', '<', e.start_date!), w('agenda_days.date', '>', end)]))
    .execute();
  if (rows.length === 0) return null;
  return { count: rows.length, dates: [...new Set(rows.map((r) => String(r.date)))].sort() };
}

/**
 * What a change of the edition that moves its published schedule says, the same on every
 * surface: the changelog's words, and who is told, the speakers whose slots it moves; new dates
 * that leave every slot where it was (a day more at the end) are in the changelog, and tell nobody.
 */
export function scheduleChangeSentence(summary: string, speakers: number): string {
  const told = speakers === 0 ? 'no speaker\'s slot moves, so nobody is mailed' : `${speakers === 1 ? 'the speaker' : `the ${speakers} speakers`} whose slots it moves will be told`;
  return `${summary} It is in the changelog; ${told}.`;
}

/**
 * What `openKeepTheirDate` says, the same on every surface: "2 open invitations keep their own
 * answer-by date (2027-03-01): re-send one with the new date to give it that date". `how` is the
 * surface's way of re-sending.
 */
export function openKeepTheirDateSentence(k: { count: number; dates: string[] }, how: string): string {
  const one = k.count === 1;
  return `${one ? '1 open invitation keeps its' : `${k.count} open invitations keep their`} own answer-by date (${k.dates.join(', ')}): re-send ${one ? 'it' : 'one'} with the new date to give it that date (${how})`;
}

/**
 * Changes the given fields of an edition; the others stay as they are. A new cap is checked
 * and followed in the same transaction, under the edition's lock (invitations/cap.ts): below
 * the places taken it is refused, and the places a raised cap opens go to the waiting list,
 * in order, each promoted person mailed.
 */
export async function updateEdition(
  deps: InvitationDeps,
  actor: Actor,
  input: { series: string; year: number; fields: Record<string, unknown> },
): Promise<UpdatedEdition> {
  return deps.db.transaction().execute(async (trx) => {
    // The edition's row lock, as every accept takes it (seats.lockEdition): held to the end.
    const found = await findEdition(trx, input, { lock: true });
    const { series_slug: _slug, series_name: _name, ...before } = found;
    const stored = { startDate: before.start_date, endDate: before.end_date, answerBy: before.answer_by, colocatedStart: before.colocated_start, colocatedEnd: before.colocated_end };
    const partial: Partial<Fields> = parseFormChecked(EditionShape.partial(), input.fields, (given) =>
      // The year is checked against dates being set, never held against a change of something
      // else, nor against an edition whose dates are outside its year already (so imported).
      crossCheck({ ...stored, ...given, ...(('startDate' in given || 'endDate' in given) && touchesYear(stored, before.year) ? { year: before.year } : {}) }, new Set(Object.keys(given))),
    );
    const set = columns(partial, before);
    if (Object.keys(set).length === 0) throw new Conflict('nothing to change');
    const partsMoved = (['city', 'region', 'country'] as const).some((k) => partial[k] !== undefined && (partial[k] ?? null) !== before[k]);
    const made = placeOf(partsAfter(partial, before));
    const placeKept =
      partsMoved && !('location_text' in set) && before.location_text && made && made !== before.location_text
        ? `The place shown stays “${before.location_text}”, as it was typed (or as the archive's page gave it), not “${made}”: change it too, or empty it to show the city, region and country.`
        : null;
    if (partial.status !== undefined) {
      // Judged by the dates as they will be: a past edition's dates typed in with its status.
      const refused = statusRefusal(before, partial.status, { ...before, ...set } as Edition, before.year, deps.clock());
      if (refused) throw new InvalidForm({ status: refused });
    }
    const capChanges = partial.cap !== undefined && partial.cap !== before.cap;
    if (capChanges) await checkNewCap(trx, before, partial.cap!);
    if (typeof set.time_zone === 'string' && set.time_zone !== before.time_zone) await checkScheduleZone(trx, before.id, set.time_zone);
    const after = await trx
      .updateTable('editions')
      .set({ ...set, updated_at: new Date() } as never)
      .where('id', '=', before.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, { action: 'edition.update', entity: 'edition', entityId: before.id, editionId: before.id, before, after });
    const logged = await logEditionChange(trx, deps, actor, found, { ...after, series_slug: found.series_slug, series_name: found.series_name });
    const scheduleChange = logged?.summary ?? null;
    const passed = after.answer_by !== before.answer_by ? answerByPassed(after, deps.clock()) : null;
    const openKeepTheirDate = after.answer_by !== before.answer_by ? await openWithOtherDate(trx, before.id, after.answer_by) : null;
    const datesMoved = after.start_date !== before.start_date || after.end_date !== before.end_date;
    const slotsOutside = datesMoved && scheduleChange === null ? await slotsOutsideDates(trx, after) : null;
    return { edition: after, promoted: capChanges ? await promoteWaiting(trx, deps, after) : [], scheduleChange, scheduleChangeSpeakers: logged?.speakers ?? 0, answerByPassed: passed, placeKept, openKeepTheirDate, slotsOutside };
  });
}

/** The edition row by series and year, for forms and the CLI. */
export async function getEdition(deps: { db: Kysely<Database> }, series: string, year: number): Promise<FoundEdition> {
  return findEdition(deps.db, { series, year });
}

/** The open invitations (sent, not answered) of an edition whose answer-by date is not `date`. */
async function openWithOtherDate(db: Kysely<Database>, editionId: number, date: string | null): Promise<{ count: number; dates: string[] } | null> {
  const rows = await db
    .selectFrom('invitations')
    .select('answer_by')
    .where('edition_id', '=', editionId)
    .where('state', '=', 'invited')
    .where((eb) => (date === null ? eb('answer_by', 'is not', null) : eb.or([eb('answer_by', 'is', null), eb('answer_by', '<>', date)])))
    .execute();
  if (rows.length === 0) return null;
  const dates = [...new Set(rows.map((r) => r.answer_by ?? 'none'))].sort();
  return { count: rows.length, dates };
}

/**
 * Writes one parsed page as an edition, inside the caller's transaction. An edition is found by
 * series and year; what an earlier import wrote for it is replaced, what people added through
 * conclave itself (invitation attendances, uploaded files, proposals, corrected fields) is kept,
 * and so are their edits of the sponsors, committee roles and references the page gave, unless
 * the page changed those too (page-parts.ts).
 */
import { seriesSlug } from '../editions/find-edition.js';
import { agendaListsDay } from '../editions/load-edition.js';
import { pageNames, storedNames } from '../exports/schedule.js';
import { DEFAULT_DAY_END, DEFAULT_DAY_START } from '../program/conflicts.js';
import { sql, type ExpressionBuilder, type Transaction } from 'kysely';
import type { Database, MaterialKind } from '../../db/schema.js';
import { recordAudit, type Actor } from '../audit/record.js';
import { ImportError } from '../errors.js';
import type { Resolver } from '../people/identity.js';
import type { ParsedMaterial, ParsedPage, ParsedPerson } from './page-model.js';
import { parsePersonLine } from './parse-people.js';
import { writePageParts } from './page-parts.js';
import { auditedReport } from './import-report.js';

type Trx = Transaction<Database>;

/**
 * A day's hours where its slots go past the usual ones (08:00–20:00): a page's dinner until
 * midnight is part of its day, not a slot outside it for the schedule's checks. Within them, none
 * (the usual hours apply).
 */
function dayHours(slots: readonly { start: string; end?: string | undefined }[]): { start_time?: string; end_time?: string } {
  const starts = slots.map((s) => s.start).sort();
  const ends = slots.flatMap((s) => [s.start, ...(s.end ? [s.end] : [])]).sort();
  const first = starts[0];
  const last = ends[ends.length - 1];
  return {
    ...(first !== undefined && first < DEFAULT_DAY_START ? { start_time: first } : {}),
    ...(last !== undefined && last > DEFAULT_DAY_END ? { end_time: last } : {}),
  };
}

/**
 * A person named a second time, for the report: “David Miller” is “David S. Miller” (line 6)
 * again; the same spelling twice, “Jon Maloy” appears again (first at line 8).
 */
function twice(name: string, first: string, firstLine?: number): string {
  if (name === first) return `“${name}” appears again${firstLine !== undefined ? ` (first at line ${firstLine})` : ''}`;
  return `“${name}” is “${first}”${firstLine !== undefined ? ` (line ${firstLine})` : ''} again`;
}

/**
 * The slug of the series a page names: with the year, what an edition is found by. Capitals
 * inside a word do not split it: a page titled "NetConf 2016" is of Netconf, not of "net-conf".
 */
export function seriesSlugOf(name: string): string {
  return seriesSlug(name) || 'series';
}

/** The series of that name or slug, made under this name if there is none. */
async function seriesOfPage(trx: Trx, name: string): Promise<{ id: number; slug: string; name: string }> {
  const slug = seriesSlugOf(name);
  const found = await trx.selectFrom('series').select(['id', 'slug', 'name']).where('slug', '=', slug).executeTakeFirst();
  if (found) return found;
  return trx.insertInto('series').values({ slug, name }).returning(['id', 'slug', 'name']).executeTakeFirstOrThrow();
}

function materialRow(
  m: ParsedMaterial,
  editionId: number,
  position: number,
  extra: { slot_id?: number; topic_id?: number; author_id?: number | null; kind?: MaterialKind } = {},
) {
  return {
    edition_id: editionId,
    slot_id: extra.slot_id ?? null,
    topic_id: extra.topic_id ?? null,
    kind: extra.kind ?? m.kind,
    format: m.format ?? null,
    label: m.label,
    about: m.about ?? null,
    url: m.url ?? null,
    credit: m.credit ?? null,
    author_id: extra.author_id ?? null,
    position,
    imported: true,
  };
}

/**
 * The refusal of pages that would replace what was made in conclave (`why`: workSentence), all
 * named at once: one page in a sentence, several a line each, as FILE: ….
 */
export function replaceRefused(refused: { file: string; why: string }[]): ImportError {
  const [first, ...more] = refused;
  const others = more.map((r) => `\n${r.file}: ${r.why}.`).join('');
  return new ImportError(
    first!.file,
    0,
    `${first!.why}.${others}${others ? '\n' : ' '}Nothing was imported. To let the page win, import again with --overwrite-schedule (added materials are kept on the edition, no longer tied to a slot or topic)`,
  );
}

/** The audit action of an import of an edition: schedule writes after the last one are conclave's. */
const IMPORT_ACTION = 'edition.import';

/** What was made or changed in conclave on the parts of an edition a re-import replaces. */
interface ConclaveWork {
  /** Schedule writes recorded since the last import (adding, moving, publishing …). */
  scheduleWrites: number;
  lastWrite: Date | null;
  /** Materials people added to the slots and imported topics a re-import deletes. */
  materials: string[];
}

/**
 * Materials people added to what a re-import replaces: to a slot (every slot of the edition goes
 * with its day) or to an imported topic. One condition for the refusal and for untying them.
 */
const addedToReplaced = (editionId: number) => (eb: ExpressionBuilder<Database, 'materials'>) =>
  eb.and([
    eb('materials.edition_id', '=', editionId),
    eb('materials.imported', '=', false),
    eb.or([
      eb('materials.slot_id', 'is not', null),
      eb('materials.topic_id', 'in', eb.selectFrom('topics').select('topics.id').where('topics.edition_id', '=', editionId).where('topics.origin', 'in', ['proposed-list', 'invitee'])),
    ]),
  ]);

/**
 * The schedule writes since the edition's last import (its `edition.import` audit row; all of
 * them for an edition imported before those were kept) and the materials added to what a
 * re-import replaces; null when there are none.
 */
async function conclaveWork(trx: Trx, editionId: number): Promise<ConclaveWork | null> {
  const lastImport = await trx
    .selectFrom('audit_log')
    .select((eb) => eb.fn.max('id').as('id'))
    .where('edition_id', '=', editionId)
    .where('action', '=', IMPORT_ACTION)
    .executeTakeFirst();
  const writes = await trx
    .selectFrom('audit_log')
    .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.max('at').as('last')])
    .where('edition_id', '=', editionId)
    // Every schedule write's action is schedule.* (its entity the slot, the day or the schedule).
    .where('action', 'like', 'schedule.%')
    .where('id', '>', lastImport?.id ?? 0)
    .executeTakeFirstOrThrow();
  const materials = await trx.selectFrom('materials').select('label').where(addedToReplaced(editionId)).orderBy('id').execute();
  const n = Number(writes.n);
  if (n === 0 && materials.length === 0) return null;
  return { scheduleWrites: n, lastWrite: writes.last ? new Date(writes.last as Date | string) : null, materials: materials.map((m) => m.label) };
}

function workSentence(title: string, w: ConclaveWork): string {
  const parts: string[] = [];
  if (w.scheduleWrites > 0) {
    parts.push(`its schedule was changed in conclave ${w.scheduleWrites === 1 ? 'once' : `${w.scheduleWrites} times`}${w.lastWrite ? ` (last on ${w.lastWrite.toISOString().slice(0, 10)})` : ''}`);
  }
  if (w.materials.length > 0) {
    const shown = w.materials.slice(0, 3).map((l) => `“${l}”`).join(', ');
    parts.push(`${w.materials.length === 1 ? '1 material was' : `${w.materials.length} materials were`} added to its slots or topics (${shown}${w.materials.length > 3 ? ', …' : ''})`);
  }
  return `${title} was imported before, and since then ${parts.join(', and ')}: importing the page again would replace its schedule and lose that`;
}

/**
 * Why importing `page` again would lose what was made in conclave (see writeEdition), or null:
 * for the importer to name every such page at once, before writing any.
 */
export async function replaceRefusal(trx: Trx, page: ParsedPage): Promise<string | null> {
  const existing = await trx
    .selectFrom('editions')
    .innerJoin('series', 'series.id', 'editions.series_id')
    .select('editions.id')
    .where('series.slug', '=', seriesSlugOf(page.seriesName))
    .where('editions.year', '=', page.year)
    .executeTakeFirst();
  const work = existing ? await conclaveWork(trx, existing.id) : null;
  return work ? workSentence(page.title, work) : null;
}

/** The edition's fields a page gives that the committee can also set in conclave, as named in notes. */
const EDITABLE_FIELDS = {
  title: 'title',
  subtitle: 'subtitle',
  motto: 'motto',
  intro: 'intro',
  location_text: 'location',
  city: 'city',
  region: 'region',
  country: 'country',
  start_date: 'start date',
  end_date: 'end date',
  time_zone: 'time zone',
  colocated_name: 'co-located event',
  colocated_start: "co-located event's start",
  colocated_end: "co-located event's end",
  colocated_place: "co-located event's place",
  status: 'status',
} as const;
type EditableField = keyof typeof EDITABLE_FIELDS;

/** How a field's value reads in a note: the intro by its paragraphs, nothing as "nothing". */
function shown(v: unknown): string {
  if (v === null || v === undefined || v === '') return 'nothing';
  const parsed = typeof v === 'string' && v.startsWith('[') ? (JSON.parse(v) as unknown) : v;
  if (Array.isArray(parsed)) return parsed.length === 0 ? 'nothing' : `${parsed.length === 1 ? 'one paragraph' : `${parsed.length} paragraphs`} beginning “${String(parsed[0]).slice(0, 40)}…”`;
  return `“${String(parsed)}”`;
}

/** One form for comparing a stored value with the page's: dates and JSON as text. */
function comparable(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * The edition's fields that were ever changed in conclave (`edition update`, the admin's edition
 * form): every re-import keeps them as the committee set them, not only the next one.
 */
async function fieldsSetInConclave(trx: Trx, editionId: number): Promise<Set<EditableField>> {
  const updates = await trx
    .selectFrom('audit_log')
    .select(['before', 'after'])
    .where('edition_id', '=', editionId)
    .where('action', '=', 'edition.update')
    .execute();
  const set = new Set<EditableField>();
  const record = (v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as Record<string, unknown>) : ((v ?? {}) as Record<string, unknown>));
  for (const u of updates) {
    const before = record(u.before);
    const after = record(u.after);
    for (const field of Object.keys(EDITABLE_FIELDS) as EditableField[]) {
      if (comparable(before[field]) !== comparable(after[field])) set.add(field);
    }
  }
  return set;
}

async function clearImported(trx: Trx, editionId: number): Promise<void> {
  // Materials people added to what is about to go stay on the edition, untied (not cascaded away).
  await trx.updateTable('materials').set({ slot_id: null, topic_id: null }).where(addedToReplaced(editionId)).execute();
  await trx.deleteFrom('materials').where('edition_id', '=', editionId).where('imported', '=', true).execute();
  await trx.deleteFrom('agenda_days').where('edition_id', '=', editionId).execute();
  await trx.deleteFrom('topics').where('edition_id', '=', editionId).where('origin', 'in', ['proposed-list', 'invitee']).execute();
  await trx.deleteFrom('attendances').where('edition_id', '=', editionId).where('source', 'in', ['page', 'invitees']).execute();
}

/**
 * The slots of an edition that imports of its page (their audit entry's removedSlots) and
 * removals in conclave (schedule.slot.remove's guid) took away, by guid: the ids their changelog
 * rows still name.
 */
async function removedSlots(trx: Trx, editionId: number): Promise<Map<string, number[]>> {
  const rows = await trx
    .selectFrom('audit_log')
    .select(['action', 'entity_id', 'after'])
    .where('edition_id', '=', editionId)
    .where('action', 'in', [IMPORT_ACTION, 'schedule.slot.remove'])
    .orderBy('id')
    .execute();
  const out = new Map<string, number[]>();
  const add = (guid: unknown, id: unknown) => {
    if (typeof guid === 'string' && Number.isInteger(Number(id))) out.set(guid, [...(out.get(guid) ?? []), Number(id)]);
  };
  for (const r of rows) {
    const after = (typeof r.after === 'string' ? JSON.parse(r.after) : r.after) as { removedSlots?: { id: number; guid: string }[]; guid?: string } | null;
    if (r.action === IMPORT_ACTION) for (const s of after?.removedSlots ?? []) add(s.guid, s.id);
    else if (r.entity_id !== null) add(after?.guid, r.entity_id);
  }
  return out;
}

/** A material as a page gives it, to know it again: its kind, its label and its address. */
const materialKey = (m: { kind: string; label: string; url: string | null }) => JSON.stringify([m.kind, m.label, m.url]);

/**
 * The materials imports wrote that the committee removed in conclave since (material.remove of
 * an imported one), each counted by materialKey: a page giving one as it was does not bring it back.
 */
async function removedImports(trx: Trx, editionId: number): Promise<Map<string, number>> {
  const rows = await trx.selectFrom('audit_log').select('before').where('edition_id', '=', editionId).where('action', '=', 'material.remove').execute();
  const out = new Map<string, number>();
  for (const r of rows) {
    const before = (typeof r.before === 'string' ? JSON.parse(r.before) : r.before) as { imported?: boolean; kind: string; label: string; url: string | null } | null;
    if (before?.imported !== true) continue;
    const key = materialKey(before);
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

export interface WrittenEdition {
  editionId: number;
  /** The series the edition is in (the page's, or the one the import was told). */
  series: { slug: string; name: string };
  created: boolean;
  people: number;
  /**
   * What the writing noted beyond the page's parse: topics renumbered around kept ones, fields
   * kept as set in conclave (line 0: about the page as a whole).
   */
  notes: { line: number; message: string }[];
  /** Materials added in conclave to slots or topics the page replaced: kept on the edition, untied. */
  untied: string[];
  /** Files no row refers to any more (a sponsor's logo uploaded in conclave that the page replaced), to remove after the commit. */
  released: string[];
}

export async function writeEdition(
  trx: Trx,
  people: Resolver,
  page: ParsedPage,
  source: { file: string; sha256: string },
  opts: { shownAs: string; actor: Actor; overwriteSchedule?: boolean },
): Promise<WrittenEdition> {
  const series = await seriesOfPage(trx, page.seriesName);
  const sid = series.id;
  const fields = {
    title: page.title,
    subtitle: page.subtitle ?? null,
    motto: page.motto ?? null,
    intro: JSON.stringify(page.intro),
    location_text: page.locationText ?? null,
    city: page.city ?? null,
    region: page.region ?? null,
    country: page.country ?? null,
    dates_text: page.datesText ?? null,
    start_date: page.startDate ?? null,
    end_date: page.endDate ?? null,
    time_zone: page.timeZone ?? null,
    colocated_name: page.colocated?.name ?? null,
    colocated_sentence: page.colocated?.sentence ?? null,
    colocated_dates_text: page.colocated?.datesText ?? null,
    colocated_start: page.colocated?.startDate ?? null,
    colocated_end: page.colocated?.endDate ?? null,
    colocated_place: page.colocated?.place ?? null,
    status: page.tentative ? ('tentative' as const) : ('final' as const),
    attendees_label: page.attendeesLabel ?? null,
    has_attendee_list: page.attendees !== null,
    materials_label: page.materialsLabel ?? null,
    sections: JSON.stringify(page.sections),
    source_file: source.file,
    source_sha256: source.sha256,
    import_report: JSON.stringify({ skipped: page.skipped, notes: page.notes }),
  };
  const existing = await trx
    .selectFrom('editions')
    .select('id')
    .where('series_id', '=', sid)
    .where('year', '=', page.year)
    // Locked as every schedule write locks it first: none can slip in between the check of what
    // was made in conclave and the deletion of what the page replaces.
    .forUpdate()
    .executeTakeFirst();
  let editionId: number;
  let overwritten: ConclaveWork | null = null;
  /** The slots the page replaces, for their changelog to go to the new slot of each one's guid. */
  let replaced: { id: number; guid: string | null }[] = [];
  const notes: { line: number; message: string }[] = [];
  if (existing) {
    editionId = existing.id;
    overwritten = await conclaveWork(trx, editionId);
    if (overwritten && !opts.overwriteSchedule) throw replaceRefused([{ file: opts.shownAs, why: workSentence(page.title, overwritten) }]);
    // What the committee corrected in conclave stays corrected: the page gives the rest.
    const setHere = await fieldsSetInConclave(trx, editionId);
    const update: Partial<typeof fields> = { ...fields };
    if (setHere.size > 0) {
      const current = await trx.selectFrom('editions').selectAll().where('id', '=', editionId).executeTakeFirstOrThrow();
      for (const field of setHere) {
        const ours = current[field];
        if (comparable(ours) !== comparable(fields[field])) {
          notes.push({ line: 0, message: `kept the ${EDITABLE_FIELDS[field]} set in conclave, ${shown(ours)}; the page gives ${shown(fields[field])}` });
        }
        delete update[field];
      }
    }
    await trx.updateTable('editions').set({ ...update, updated_at: sql<Date>`now()` as never }).where('id', '=', editionId).execute();
    replaced = await trx
      .selectFrom('slots')
      .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
      .select(['slots.id', 'slots.guid'])
      .where('agenda_days.edition_id', '=', editionId)
      .execute();
    await clearImported(trx, editionId);
  } else {
    const row = await trx
      .insertInto('editions')
      .values({ series_id: sid, year: page.year, ...fields })
      .returning('id')
      .executeTakeFirstOrThrow();
    editionId = row.id;
  }

  const touched = new Set<number>();
  const person = async (name: string, email?: string) => {
    const id = await people.resolve(name, email ? { address: email, isPublic: true } : undefined);
    touched.add(id);
    return id;
  };

  // Two lines naming one person (the same name twice, or one name and a spelling of it) are one
  // committee member or attendance: the later line is said in the report, not dropped unseen.
  const listedTwice: { line: number; message: string }[] = [];
  // Formal lists first: their spelling of a name is the one a person is created with.
  const serving = new Map<number, { member: ParsedPerson; roles: string[] }>();
  for (const m of page.committee) {
    const pid = await person(m.name, m.email);
    const first = serving.get(pid);
    if (!first) {
      serving.set(pid, { member: m, roles: m.role ? [m.role] : [] });
      continue;
    }
    const newRole = m.role && !first.roles.includes(m.role) ? m.role : null;
    if (newRole) first.roles.push(newRole);
    listedTwice.push({ line: m.line ?? 0, message: `committee member ${twice(m.name, first.member.name, first.member.line)}: listed once${newRole ? `, with both roles` : ''}` });
  }
  // Sponsors, committee roles and references: what the committee edited of them in conclave is
  // kept unless the page changed it too (page-parts.ts).
  const parts = await writePageParts(trx, editionId, {
    sponsors: page.sponsors.map((s) => ({ name: s.name, kind: s.kind, url: s.url ?? null, logo_alt: s.logoAlt ?? null, logo_src: s.logoSrc ?? null })),
    committee: [...serving].map(([pid, { member: m, roles }]) => ({
      personId: pid,
      values: { role: roles.length ? roles.join(', ') : null, email_redacted: !!m.emailRedacted, email_as_listed: m.email ?? null },
    })),
    references: page.references.map((r) => ({ title: r.title, url: r.url ?? null })),
  });
  notes.push(...parts.notes);
  let position = 0;
  const attending = new Map<number, ParsedPerson>();
  for (const a of page.attendees ?? []) {
    const pid = await person(a.name, a.email);
    const first = attending.get(pid);
    if (first) {
      listedTwice.push({ line: a.line ?? 0, message: `attendee ${twice(a.name, first.name, first.line)}: listed once` });
      continue;
    }
    attending.set(pid, a);
    await trx
      .insertInto('attendances')
      .values({
        edition_id: editionId,
        person_id: pid,
        name_as_listed: a.name,
        email_as_listed: a.email ?? null,
        email_redacted: !!a.emailRedacted,
        affiliation_as_listed: a.role ?? null,
        source: 'page',
        position: position++,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  let materialPos = 0;
  // A material of the page that the committee removed stays removed while the page gives it as it was.
  const removedMaterials = existing ? await removedImports(trx, editionId) : new Map<string, number>();
  const insertMaterial = async (row: ReturnType<typeof materialRow> & { thumb_url?: string | null }) => {
    const key = materialKey(row);
    const n = removedMaterials.get(key) ?? 0;
    if (n > 0) {
      removedMaterials.set(key, n - 1);
      notes.push({ line: 0, message: `kept the material “${row.label}” removed in conclave; the page still gives it` });
      return;
    }
    await trx.insertInto('materials').values(row).execute();
  };
  // A slot's guid and numeric id are those of its place on the page (see exports/schedule.ts):
  // what every import of the page names the slot it places there, so a re-import keeps them.
  let listedIndex = 0;
  const written = new Map<string, number>();
  for (const [d, day] of page.days.entries()) {
    const dayRow = await trx
      .insertInto('agenda_days')
      .values({ edition_id: editionId, date: day.date, label: day.label, columns: day.columns, position: d, ...dayHours(day.slots) })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [s, slot] of day.slots.entries()) {
      const slotRow = await trx
        .insertInto('slots')
        .values({
          day_id: dayRow.id,
          start_time: slot.start,
          end_time: slot.end ?? null,
          open_ended: !!slot.openEnded,
          time_text: slot.timeText,
          kind: slot.kind,
          title: slot.title,
          talk_title: slot.talkTitle ?? null,
          room: slot.room ?? null,
          position: s,
          ...storedNames(pageNames(seriesSlugOf(page.seriesName), page.year, day.date, listedIndex, s)),
        })
        .returning(['id', 'guid'])
        .executeTakeFirstOrThrow();
      if (slotRow.guid !== null) written.set(slotRow.guid, slotRow.id);
      const speaking = new Map<number, string>();
      for (const name of slot.speakers) {
        // "Tom Herbert (Google)", "Jesper Dangaard Brouer <brouer@redhat.com>" (an HTML cell says
        // what it likes): the person is Tom Herbert, listed as the page writes him.
        const listed = parsePersonLine({ line: slot.line, text: name });
        const pid = await person(listed?.name ?? name, listed?.email);
        // "David S. Miller / David Miller": one speaker, as the page first names him.
        const first = speaking.get(pid);
        if (first !== undefined) {
          listedTwice.push({ line: slot.line ?? 0, message: `speaker ${twice(name, first)} in the same slot: listed once` });
          continue;
        }
        await trx.insertInto('slot_speakers').values({ slot_id: slotRow.id, person_id: pid, name_as_listed: name, position: speaking.size }).execute();
        speaking.set(pid, name);
      }
      for (const m of slot.materials) {
        await insertMaterial(materialRow(m, editionId, materialPos++, { slot_id: slotRow.id }));
      }
    }
    if (agendaListsDay(day.slots.length)) listedIndex++;
  }

  // The changelog's rows of a replaced slot are the history of its guid's event: the slot the
  // page writes under that guid takes them, so that its SEQUENCE in schedule.ics does not drop
  // back (a calendar would keep the copy it holds).
  for (const old of replaced) {
    const now = old.guid === null ? undefined : written.get(old.guid);
    if (now !== undefined) await trx.updateTable('schedule_changes').set({ slot_id: now }).where('edition_id', '=', editionId).where('slot_id', '=', old.id).execute();
  }
  // So is that of a slot an earlier import (or a removal in conclave) took away, when the page
  // writes its guid again: the calendars saw its event, with the SEQUENCE its rows made.
  const replacedGuids = new Set(replaced.map((r) => r.guid));
  const back = [...written].filter(([guid]) => !replacedGuids.has(guid));
  if (existing && back.length > 0) {
    const gone = await removedSlots(trx, editionId);
    for (const [guid, now] of back) {
      const ids = gone.get(guid) ?? [];
      if (ids.length > 0) await trx.updateTable('schedule_changes').set({ slot_id: now }).where('edition_id', '=', editionId).where('slot_id', 'in', ids).execute();
    }
  }
  // The slots the page no longer has, for a later import that brings one back (removedSlots).
  const removed = replaced.flatMap((r) => (r.guid !== null && !written.has(r.guid) ? [{ id: r.id, guid: r.guid }] : []));

  // A number names one topic of the edition: the page's own numbers where free, else numbers
  // after every other, with a note; the topics proposed in conclave keep theirs.
  const kept = await trx.selectFrom('topics').select(['number', 'title']).where('edition_id', '=', editionId).execute();
  const taken = new Map(kept.map((k) => [k.number, `the topic “${k.title}”, proposed in conclave`]));
  let nextNumber = Math.max(0, ...taken.keys(), ...page.proposedTopics.map((t) => t.number)) + 1;
  notes.push(...listedTwice);
  for (const t of page.proposedTopics) {
    let number = t.number;
    const holder = taken.get(number);
    if (holder !== undefined) {
      number = nextNumber++;
      notes.push({ line: t.line, message: `topic ${t.number} “${t.title}” is numbered ${number} here: ${t.number} is already ${holder}` });
    }
    taken.set(number, `the page's topic “${t.title}” (line ${t.line})`);
    const topic = await trx
      .insertInto('topics')
      .values({ edition_id: editionId, number, title: t.title, abstract: t.description ?? '', origin: 'proposed-list' })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [k, name] of t.presenters.entries()) {
      await trx.insertInto('topic_presenters').values({ topic_id: topic.id, person_id: await person(name), position: k }).execute();
    }
  }

  // Invitees' topics are numbered after all of those.
  let topicNumber = nextNumber;
  for (const invitee of page.inviteeTopics) {
    // An HTML name cell may add an affiliation or an address, as a speaker cell may.
    const listed = parsePersonLine({ line: invitee.line, text: invitee.name });
    const pid = await person(listed?.name ?? invitee.name, listed?.email);
    await trx
      .insertInto('attendances')
      .values({ edition_id: editionId, person_id: pid, name_as_listed: listed?.name ?? invitee.name, affiliation_as_listed: listed?.role ?? null, email_as_listed: listed?.email ?? null, source: 'invitees', position: position++ })
      .onConflict((oc) => oc.doNothing())
      .execute();
    for (const title of invitee.topics) {
      const topic = await trx
        .insertInto('topics')
        .values({ edition_id: editionId, number: topicNumber++, title, origin: 'invitee' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('topic_presenters').values({ topic_id: topic.id, person_id: pid, position: 0 }).execute();
    }
  }

  for (const m of page.meetingNotes) {
    const author = m.author ? await person(m.author) : null;
    await insertMaterial(materialRow(m, editionId, materialPos++, { author_id: author }));
  }
  // One group photo an edition: one uploaded in conclave stays, as a field set there does.
  const uploaded = page.groupPhoto
    ? await trx.selectFrom('materials').select('label').where('edition_id', '=', editionId).where('kind', '=', 'group-photo').where('imported', '=', false).executeTakeFirst()
    : undefined;
  if (page.groupPhoto && uploaded) {
    notes.push({ line: 0, message: `kept the group photo uploaded in conclave, “${uploaded.label}”; the page gives “${page.groupPhoto.caption}”` });
  } else if (page.groupPhoto) {
    await insertMaterial({
      ...materialRow({ kind: 'photo', label: page.groupPhoto.caption, url: page.groupPhoto.src }, editionId, materialPos++, { kind: 'group-photo' }),
      thumb_url: page.groupPhoto.thumb ?? null,
    });
  }
  for (const m of page.materials) {
    const author = m.author ? await person(m.author) : null;
    await insertMaterial(materialRow(m, editionId, materialPos++, { author_id: author }));
  }
  const published = async () => (await trx.selectFrom('editions').select('schedule_published_at').where('id', '=', editionId).executeTakeFirstOrThrow()).schedule_published_at !== null;
  if (overwritten && overwritten.scheduleWrites > 0 && (await published())) {
    // The public changelog said what changed in conclave (a schedule published here, only);
    // it now says that is undone.
    const n = overwritten.scheduleWrites;
    await trx
      .insertInto('schedule_changes')
      .values({
        edition_id: editionId,
        actor: opts.actor.label,
        kind: 'edit',
        summary: `The schedule is again as the page ${source.file} gives it, imported again: ${n === 1 ? 'the change' : `the ${n} changes`} made here since it was last imported ${n === 1 ? 'is' : 'are'} undone`,
        slot_id: null,
        before: null,
        after: null,
        notified: '[]',
      })
      .execute();
  }
  const report = { skipped: page.skipped, notes: [...page.notes, ...notes].sort((a, b) => a.line - b.line) };
  if (notes.length > 0) await trx.updateTable('editions').set({ import_report: JSON.stringify(report) }).where('id', '=', editionId).execute();
  await recordAudit(trx, opts.actor, {
    action: IMPORT_ACTION,
    entity: 'edition',
    entityId: editionId,
    editionId,
    after: {
      file: source.file,
      sha256: source.sha256,
      created: !existing,
      ...(opts.overwriteSchedule ? { overwriteSchedule: true } : {}),
      ...(removed.length > 0 ? { removedSlots: removed } : {}),
      // What the page's report says, so that the log says what the import overrode.
      ...auditedReport(report),
    },
  });
  return { editionId, series: { slug: series.slug, name: series.name }, created: !existing, people: touched.size, notes, untied: overwritten?.materials ?? [], released: parts.released };
}

/**
 * The sponsors, committee roles and references an import of an edition's page writes, kept
 * against the committee's edits in conclave (edition-parts.ts). Each row an import writes keeps
 * the page's values (`page_values`); importing the page again, each part the page gives is
 * matched to the row an import wrote for it, and:
 *
 * - a row not edited since takes the page's values, in place (same id);
 * - a row edited in conclave (its logo, address, role …) stays as the committee left it when the
 *   page gives that part as before; when the page changed it too, the page wins, and a note says
 *   what it overwrote;
 * - a part the committee removed stays removed unless the page changed it (then it is back, noted);
 * - a row the page no longer gives goes, noted when it was edited in conclave.
 *
 * Logos no longer referenced are released (files/store.ts) for the caller to remove once the
 * write has committed.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { releaseFiles } from '../files/store.js';

type Trx = Transaction<Database>;
type Values = Record<string, unknown>;
type Note = { line: number; message: string };

/** One kind of part: its table, its audit action's prefix, and the fields a page gives. */
interface Kind {
  table: 'sponsors' | 'committee_members' | 'edition_references';
  part: 'sponsor' | 'committee-role' | 'reference';
  /** The fields a page gives, written by the import and kept as the row's page_values. */
  fields: readonly string[];
  /** Of those, what the committee can change in conclave: an edit, and a change of the page, is one of these. */
  editable: readonly string[];
  /** The row's fields an edit in conclave may set that a page never gives (an uploaded logo). */
  conclaveOnly: readonly string[];
}

const SPONSOR: Kind = {
  table: 'sponsors',
  part: 'sponsor',
  fields: ['name', 'kind', 'url', 'logo_alt', 'logo_src'],
  editable: ['name', 'kind', 'url', 'logo_alt', 'logo_src'],
  conclaveOnly: ['logo_sha256', 'logo_thumb_sha256'],
};
const COMMITTEE: Kind = {
  table: 'committee_members',
  part: 'committee-role',
  fields: ['role', 'email_redacted', 'email_as_listed'],
  editable: ['role'],
  conclaveOnly: [],
};
const REFERENCE: Kind = { table: 'edition_references', part: 'reference', fields: ['title', 'url'], editable: ['title', 'url'], conclaveOnly: [] };

/** A part as the page gives it: its values, and (committee) the person it is of. */
export interface GivenPart {
  values: Values;
  personId?: number;
}

const parsed = (v: unknown): Values | null => (typeof v === 'string' ? (JSON.parse(v) as Values) : (v as Values | null));
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Whether `row` differs from `values` in what the committee can edit (an uploaded logo is an edit). */
function differs(kind: Kind, row: Values, values: Values): boolean {
  return kind.editable.some((f) => !same(row[f], values[f])) || kind.conclaveOnly.some((f) => row[f] !== null && row[f] !== undefined);
}

/** Which part of the edition a row or a page's part is: the person of a committee role, a sponsor's or reference's name as the page gave it. */
function keyOf(kind: Kind, values: Values, personId?: unknown): string {
  if (kind === COMMITTEE) return String(personId);
  return String(kind === SPONSOR ? values.name : values.title).trim().toLowerCase();
}

/** The part in a note's words: "the sponsor “Intel”", "Jamal Hadi Salim’s committee role". */
function named(kind: Kind, values: Values, person: string | undefined): string {
  if (kind === SPONSOR) return `the sponsor “${String(values.name)}”`;
  if (kind === COMMITTEE) return `${person ?? 'someone'}’s committee role`;
  return `the reference “${String(values.title)}”`;
}

/** What was set in conclave on a row, in words: "its address “https://…”, its logo uploaded there". */
function edits(kind: Kind, row: Values, pageValues: Values): string {
  const words: string[] = [];
  const text = (v: unknown, what: string) => (v === null || v === undefined || v === '' ? `no ${what}` : `its ${what} “${String(v)}”`);
  if (kind === SPONSOR) {
    if (!same(row.name, pageValues.name)) words.push(text(row.name, 'name'));
    if (!same(row.kind, pageValues.kind)) words.push(`its kind ${String(row.kind)}`);
    if (!same(row.url, pageValues.url)) words.push(text(row.url, 'address'));
    if (row.logo_sha256) words.push('its logo uploaded there');
    else if (!same(row.logo_alt, pageValues.logo_alt) || !same(row.logo_src, pageValues.logo_src)) words.push(row.logo_alt || row.logo_src ? 'its logo as set there' : 'no logo');
  } else if (kind === COMMITTEE) {
    words.push(text(row.role, 'role'));
  } else {
    if (!same(row.title, pageValues.title)) words.push(text(row.title, 'title'));
    if (!same(row.url, pageValues.url)) words.push(text(row.url, 'address'));
  }
  return words.join(', ');
}

/**
 * The page's values of each part of this kind the committee removed from the edition, by key, the
 * latest removal of each: its row's page_values, or for a row removed before those were kept,
 * its values before its first edit (audit `before`), as the migration fills them.
 */
async function removedParts(trx: Trx, kind: Kind, editionId: number): Promise<Map<string, Values>> {
  const rows = await trx
    .selectFrom('audit_log')
    .select(['entity_id', 'before'])
    .where('edition_id', '=', editionId)
    .where('action', '=', `${kind.part}.remove`)
    .orderBy('id')
    .execute();
  const out = new Map<string, Values>();
  for (const r of rows) {
    const before = parsed(r.before);
    if (!before || before.imported !== true) continue;
    let values = parsed(before.page_values);
    if (!values) {
      const first = await trx
        .selectFrom('audit_log')
        .select('before')
        .where('edition_id', '=', editionId)
        .where('action', '=', `${kind.part}.update`)
        .where('entity_id', '=', r.entity_id)
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      const source = parsed(first?.before) ?? before;
      values = Object.fromEntries(kind.fields.map((f) => [f, source[f] ?? null]));
    }
    out.set(keyOf(kind, values, before.person_id), values);
  }
  return out;
}

/**
 * Writes the parts of one kind the page gives (in its order) over those an earlier import wrote;
 * returns the notes of what it overwrote or kept, and the hashes of the files it released.
 */
async function writeKind(trx: Trx, kind: Kind, editionId: number, given: GivenPart[], personName: (id: number) => Promise<string | undefined>): Promise<{ notes: Note[]; released: string[] }> {
  const notes: Note[] = [];
  const dropped: (string | null)[] = [];
  const existing = (await trx.selectFrom(kind.table).selectAll().where('edition_id', '=', editionId).where('imported', '=', true).orderBy('position').orderBy('id').execute()) as unknown as Values[];
  const pageValuesOf = (row: Values): Values => parsed(row.page_values) ?? Object.fromEntries(kind.fields.map((f) => [f, row[f] ?? null]));
  const pool = new Map<string, Values[]>();
  for (const row of existing) {
    const k = keyOf(kind, pageValuesOf(row), row.person_id);
    pool.set(k, [...(pool.get(k) ?? []), row]);
  }
  let removed: Map<string, Values> | undefined;
  const logos = (row: Values) => [row.logo_sha256 as string | null, row.logo_thumb_sha256 as string | null];
  const who = async (id: unknown) => (kind === COMMITTEE ? personName(Number(id)) : undefined);

  for (const [position, part] of given.entries()) {
    const k = keyOf(kind, part.values, part.personId);
    const row = pool.get(k)?.shift();
    const written = { ...part.values, position, page_values: JSON.stringify(part.values) };
    if (row) {
      const pageValues = pageValuesOf(row);
      const edited = differs(kind, row, pageValues);
      if (edited && !differs(kind, part.values, pageValues)) {
        // The page gives the part as before: the committee's edit stays; what it cannot edit follows the page.
        const rest = Object.fromEntries(kind.fields.filter((f) => !kind.editable.includes(f)).map((f) => [f, part.values[f]]));
        await trx.updateTable(kind.table).set({ ...rest, position, page_values: JSON.stringify(part.values) } as never).where('id', '=', row.id as number).execute();
        continue;
      }
      const cleared = Object.fromEntries(kind.conclaveOnly.map((f) => [f, null]));
      await trx.updateTable(kind.table).set({ ...written, ...cleared } as never).where('id', '=', row.id as number).execute();
      if (kind === SPONSOR) dropped.push(...logos(row));
      if (edited) notes.push({ line: 0, message: `the page changed ${named(kind, pageValues, await who(row.person_id))}, edited in conclave: written as the page gives it, losing ${edits(kind, row, pageValues)}` });
      continue;
    }
    removed ??= await removedParts(trx, kind, editionId);
    const gone = removed.get(k);
    if (gone && !differs(kind, part.values, gone)) {
      notes.push({ line: 0, message: `kept ${named(kind, part.values, await who(part.personId))} removed in conclave; the page still gives it` });
      continue;
    }
    const values = { ...written, edition_id: editionId, imported: true, ...(kind === COMMITTEE ? { person_id: part.personId } : {}) };
    const ins = await trx.insertInto(kind.table).values(values as never).onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst();
    if (gone && ins) notes.push({ line: 0, message: `${named(kind, part.values, await who(part.personId))}, removed in conclave, is back: the page changed it` });
  }

  // What the page no longer gives goes: said when the committee had edited it.
  for (const row of [...pool.values()].flat()) {
    const pageValues = pageValuesOf(row);
    await trx.deleteFrom(kind.table).where('id', '=', row.id as number).execute();
    if (kind === SPONSOR) dropped.push(...logos(row));
    if (differs(kind, row, pageValues)) {
      notes.push({ line: 0, message: `the page no longer gives ${named(kind, pageValues, await who(row.person_id))}, edited in conclave: removed, losing ${edits(kind, row, pageValues)}` });
    }
  }
  return { notes, released: dropped.some((h) => h) ? await releaseFiles(trx, dropped) : [] };
}

/**
 * Writes an edition's sponsors, committee roles and references as its page gives them (see the
 * head of this file). `committee` is each member's person, with their page's values.
 */
export async function writePageParts(
  trx: Trx,
  editionId: number,
  page: { sponsors: Values[]; committee: { personId: number; values: Values }[]; references: Values[] },
): Promise<{ notes: Note[]; released: string[] }> {
  const names = new Map<number, string | undefined>();
  const personName = async (id: number) => {
    if (!names.has(id)) names.set(id, (await trx.selectFrom('people').select('name').where('id', '=', id).executeTakeFirst())?.name);
    return names.get(id);
  };
  const notes: Note[] = [];
  const released: string[] = [];
  for (const [kind, given] of [
    [SPONSOR, page.sponsors.map((values) => ({ values }))],
    [COMMITTEE, page.committee],
    [REFERENCE, page.references.map((values) => ({ values }))],
  ] as const) {
    const r = await writeKind(trx, kind, editionId, given as GivenPart[], personName);
    notes.push(...r.notes);
    released.push(...r.released);
  }
  return { notes, released };
}

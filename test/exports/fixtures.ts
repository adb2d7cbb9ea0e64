/**
 * What the export tests share: the seed archive, an edition kept in conclave (made here, with
 * the characters exports must escape and days across a DST change), the C3VOC schemas from
 * ../shared/schemas, xmllint and Ajv.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Kysely } from 'kysely';
import type { Database, EditionStatus } from '../../src/db/schema.js';

export const BASE_URL = 'https://netconf.example.org';
export const SEED_YEARS = [2004, 2011, 2014, 2015, 2019];
/** The series of the editions made here. */
export const SERIES = 'exptest';

/** ../shared/schemas from the project root: read there, never copied into the project. */
export const SCHEMAS_DIR = fileURLToPath(new URL('../../../shared/schemas/', import.meta.url));
export const XSD = path.join(SCHEMAS_DIR, 'schedule.xml.xsd');
export const JSON_SCHEMA = path.join(SCHEMAS_DIR, 'schedule.schema.json');

let warned = false;
/**
 * Whether the C3VOC schemas are there. Where they are not, says so loudly, once; in CI (where
 * shared/ always sits beside the project) that is an error.
 */
export function schemasPresent(): boolean {
  if (existsSync(XSD) && existsSync(JSON_SCHEMA)) return true;
  const msg = `!!! ${SCHEMAS_DIR} is missing: schedule.xml and schedule.json are NOT validated against the C3VOC schemas.`;
  if (!warned) console.warn(msg);
  warned = true;
  if (process.env.CI) throw new Error(msg);
  return false;
}

const run = promisify(execFile);

/** xmllint's verdict on a document: ok, or its messages. Well-formedness only without `xsd`. */
export async function xmllint(xml: string, xsd?: string): Promise<{ ok: boolean; output: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'conclave-xml-'));
  const file = path.join(dir, 'doc.xml');
  try {
    await writeFile(file, xml);
    const args = ['--noout', ...(xsd ? ['--schema', xsd] : []), file];
    try {
      const { stderr } = await run('xmllint', args);
      return { ok: true, output: stderr };
    } catch (err) {
      const e = err as { code?: string | number; stderr?: string };
      if (e.code === 'ENOENT') throw new Error('xmllint is not installed (Debian libxml2-utils; .ci/run installs it)');
      return { ok: false, output: e.stderr ?? String(err) };
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Ajv set up for the C3VOC schema: draft-06, formats checked, its extra keywords allowed. */
export function scheduleValidator() {
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => void;
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(JSON.parse(readFileSync(fileURLToPath(import.meta.resolve('ajv/dist/refs/json-schema-draft-06.json')), 'utf8')));
  addFormats(ajv);
  // The schema names a format 'color' without defining it: CSS hex colours, as its XSD says.
  ajv.addFormat('color', /^#[0-9a-fA-F]{6}$/);
  return ajv.compile(JSON.parse(readFileSync(JSON_SCHEMA, 'utf8')));
}

/** The hard slot title: every character iCalendar escapes, a second line, XML's specials. */
export const HARD_TITLE = 'Escapes; commas, back\\slash & <xml> "quotes"\nand a second line';
export const LONG_TITLE = `Überlange Überschrift — ${'näive façade ☃ '.repeat(6)}end`;

export interface MadeEdition {
  editionId: number;
  year: number;
  slotIds: { hard: number; long: number; lunch: number; late: number; sunday: number };
}

async function seriesId(db: Kysely<Database>): Promise<number> {
  const found = await db.selectFrom('series').select('id').where('slug', '=', SERIES).executeTakeFirst();
  if (found) return found.id;
  return (await db.insertInto('series').values({ slug: SERIES, name: 'Exptest' }).returning('id').executeTakeFirstOrThrow()).id;
}

/**
 * An edition kept in conclave (no source page), in Berlin over the night Europe changes to
 * summer time (2027-03-28): Saturday at +01:00, Sunday at +02:00.
 */
export async function makeEdition(
  db: Kysely<Database>,
  opts: { year: number; status: EditionStatus; timeZone?: string | null; dates?: boolean },
): Promise<MadeEdition> {
  const sid = await seriesId(db);
  const withDates = opts.dates ?? true;
  const ed = await db
    .insertInto('editions')
    .values({
      series_id: sid,
      year: opts.year,
      title: `Exptest ${opts.year}`,
      intro: '[]',
      sections: '[]',
      status: opts.status,
      start_date: withDates ? '2027-03-27' : null,
      end_date: withDates ? '2027-03-28' : null,
      dates_text: withDates ? 'March 27-28, 2027' : null,
      location_text: 'Berlin, Germany',
      time_zone: opts.timeZone === undefined ? 'Europe/Berlin' : opts.timeZone,
      schedule_published_at: opts.status === 'planned' ? null : new Date('2027-01-10T10:00:00Z'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (!withDates) return { editionId: ed.id, year: opts.year, slotIds: { hard: 0, long: 0, lunch: 0, late: 0, sunday: 0 } };

  const slug = `exp-speaker-${opts.year}`;
  const person = await db
    .insertInto('people')
    .values({ slug, name: 'Ünïcödé Speaker', name_key: slug })
    .returning('id')
    .executeTakeFirstOrThrow();
  const day = async (date: string, position: number) =>
    (await db.insertInto('agenda_days').values({ edition_id: ed.id, date, label: date, position }).returning('id').executeTakeFirstOrThrow()).id;
  const sat = await day('2027-03-27', 0);
  const sun = await day('2027-03-28', 1);
  const slot = async (dayId: number, position: number, v: { start: string; end?: string; kind: 'talk' | 'meal' | 'social'; title: string; room?: string }) =>
    (
      await db
        .insertInto('slots')
        .values({ day_id: dayId, position, start_time: v.start, end_time: v.end ?? null, kind: v.kind, title: v.title, room: v.room ?? null })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const hard = await slot(sat, 0, { start: '09:00', kind: 'talk', title: HARD_TITLE, room: 'Room A; "east"' });
  const long = await slot(sat, 1, { start: '10:00', end: '10:45', kind: 'talk', title: LONG_TITLE });
  const lunch = await slot(sat, 2, { start: '12:00', kind: 'meal', title: 'Lunch' });
  const late = await slot(sat, 3, { start: '22:00', kind: 'social', title: 'Dinner & drinks' });
  const sunday = await slot(sun, 0, { start: '09:00', end: '10:00', kind: 'talk', title: 'Sunday after the change' });
  await db.insertInto('slot_speakers').values({ slot_id: hard, person_id: person.id, name_as_listed: 'Ünïcödé Speaker', position: 0 }).execute();
  const material = (position: number, v: { kind: 'slides' | 'whitepaper'; label: string; url: string | null }) =>
    db.insertInto('materials').values({ edition_id: ed.id, slot_id: hard, position, ...v }).execute();
  await material(0, { kind: 'slides', label: 'slides', url: '/files/0123abcd/slides.pdf' });
  await material(1, { kind: 'whitepaper', label: 'paper', url: 'https://example.org/paper.pdf?a=1&b=2' });
  await material(2, { kind: 'slides', label: 'lost slides', url: null });
  return { editionId: ed.id, year: opts.year, slotIds: { hard, long, lunch, late, sunday } };
}

/**
 * `importPages`: legacy pages → editions, all in one transaction.
 *
 * Every file is read and parsed before anything is written; any failure (a page it cannot
 * understand, or with --strict any skipped line) throws ImportError naming file and line, and the
 * database is left as it was. Re-importing a page replaces what an earlier import of the same
 * edition wrote and keeps what people added since (invitations, uploaded files, committee roles,
 * sponsors, references, the edition's fields they corrected, their edits of the page's sponsors,
 * committee roles and references that the page did not change: page-parts.ts); one whose schedule was changed in conclave since, or whose slots or
 * topics got materials, is refused unless `overwriteSchedule` says the page wins.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Actor } from '../audit/record.js';
import { count } from '../count.js';
import { ImportError, InvalidInput } from '../errors.js';
import { decodePage } from './decode-page.js';
import { Resolver } from '../people/identity.js';
import type { ParsedPage } from './page-model.js';
import { parseSource } from './parse-page.js';
import { deferSearchRefresh } from '../search/documents.js';
import { removeUnrecorded } from '../files/store.js';
import { seriesSlug } from '../editions/find-edition.js';
import { replaceRefusal, replaceRefused, seriesSlugOf, writeEdition } from './write-edition.js';

/** Why a series cannot be named so (as the edition form says it). */
export const SERIES_NEEDS = 'must have a letter or a digit (it names the series in addresses)';

/** Pages are a few kilobytes; anything this large is not one. */
export const MAX_PAGE_BYTES = 2 * 1024 * 1024;

export interface PageInput {
  /** The name used in messages (usually the path as given). */
  file: string;
  content: Buffer;
}

export interface ImportOptions {
  /** Turn any skipped line into a failure that writes nothing. */
  strict?: boolean;
  /** Where the pages were on the web (absolute http/https), to resolve their relative links. */
  baseUrl?: string;
  /**
   * Replace an edition's schedule and imported topics even when they were changed in conclave
   * since the last import (materials added to them are kept, untied). Without it such a
   * re-import is refused, naming what it would lose.
   */
  overwriteSchedule?: boolean;
  /** Who imports, for the audit log; 'import' when not said. */
  actor?: Actor;
  /**
   * The series every page goes into, by name or slug (a new one is made under this name);
   * without it, each page's own, read from its title.
   */
  series?: string;
}

export interface ImportedPage {
  file: string;
  year: number;
  title: string;
  editionId: number;
  /** The series the page was put into. */
  series: { slug: string; name: string };
  created: boolean;
  slots: number;
  people: number;
  skipped: ParsedPage['skipped'];
  notes: ParsedPage['notes'];
  /** With overwriteSchedule: materials added in conclave to what the page replaced, now the edition's. */
  untied: string[];
}

function decode(input: PageInput): string {
  if (input.content.length > MAX_PAGE_BYTES) {
    // Name the line at which the limit was crossed, so the message points somewhere useful.
    const head = input.content.subarray(0, MAX_PAGE_BYTES);
    let line = 1;
    for (const b of head) if (b === 0x0a) line++;
    throw new ImportError(
      input.file,
      line,
      `the file is ${(input.content.length / 1024 / 1024).toFixed(1)} MB; a page may be at most ${MAX_PAGE_BYTES / 1024 / 1024} MB (limit reached at this line)`,
    );
  }
  return decodePage(input.file, input.content);
}

/** The name of the series the import was told, as stored when it exists: "netconf" is Netconf. */
async function toldSeries(trx: Transaction<Database>, given: string): Promise<string> {
  const name = given.trim();
  if (seriesSlug(name) === '') throw new InvalidInput('series', SERIES_NEEDS);
  const found = await trx.selectFrom('series').select('name').where('slug', '=', seriesSlugOf(name)).executeTakeFirst();
  return found?.name ?? name;
}

export async function importPages(
  deps: { db: Kysely<Database>; filesDir?: string },
  inputs: PageInput[],
  opts: ImportOptions = {},
): Promise<ImportedPage[]> {
  if (inputs.length === 0) throw new ImportError('(none)', 0, 'no files given');
  const base = opts.baseUrl ? { baseUrl: opts.baseUrl } : {};
  const sources = inputs.map((i) => ({ file: i.file, text: decode(i), sha: createHash('sha256').update(i.content).digest('hex') }));

  const released: string[] = [];
  const results = await deps.db.transaction().execute(async (trx) => {
    // Pages write the same talks, topics and editions in many statements: their search
    // documents are made once, at the commit.
    await deferSearchRefresh(trx);
    const resolver = await Resolver.load(trx);
    // First pass: names from every page's committee and attendee lists, so that a speaker listed
    // on another page being imported is known when splitting names from topics.
    const known = new Set(resolver.knownNames());
    const firstPass = sources.map((s) => parseSource(s.text, { file: s.file, knownNames: [...known], ...base }));
    for (const page of firstPass) {
      for (const p of [...page.committee, ...(page.attendees ?? [])]) known.add(p.name);
    }
    const told = opts.series === undefined ? undefined : await toldSeries(trx, opts.series);
    const pages = sources.map((s) => {
      const page = parseSource(s.text, { file: s.file, knownNames: [...known], ...base });
      return { ...s, page: told === undefined ? page : { ...page, seriesName: told } };
    });

    const editions = new Map<string, string>();
    for (const { file, page } of pages) {
      const key = `${seriesSlugOf(page.seriesName)}/${page.year}`;
      const other = editions.get(key);
      if (other) throw new ImportError(file, 1, `edition ${page.year} of ${page.seriesName} is also in ${other}; import one page per edition`);
      editions.set(key, file);
      if (opts.strict && page.skipped.length > 0) {
        const first = page.skipped[0]!;
        const more = page.skipped.length > 1 ? ` (and ${count(page.skipped.length - 1, 'more skipped line', 'more skipped lines')})` : '';
        throw new ImportError(file, first.line, `--strict: skipped "${first.text}": ${first.reason}${more}`);
      }
    }

    // Every page that would replace what was made in conclave, named at once: nothing is written.
    if (!opts.overwriteSchedule) {
      const refused: { file: string; why: string }[] = [];
      for (const { file, page } of pages) {
        const why = await replaceRefusal(trx, page);
        if (why) refused.push({ file, why });
      }
      if (refused.length > 0) throw replaceRefused(refused);
    }

    // Oldest first, so that a person's earliest listing creates them.
    pages.sort((a, b) => a.page.year - b.page.year);
    const results: ImportedPage[] = [];
    for (const { file, page, sha } of pages) {
      // The page's name, not where it lay on the importer's machine: it is shown on the public page.
      const written = await writeEdition(trx, resolver, page, { file: path.basename(file), sha256: sha }, {
        shownAs: file,
        actor: opts.actor ?? { accountId: null, label: 'import' },
        ...(opts.overwriteSchedule ? { overwriteSchedule: true } : {}),
      });
      results.push({
        file,
        year: page.year,
        title: page.title,
        editionId: written.editionId,
        series: written.series,
        created: written.created,
        slots: page.days.reduce((n, d) => n + d.slots.length, 0),
        people: written.people,
        skipped: page.skipped,
        notes: [...page.notes, ...written.notes].sort((a, b) => a.line - b.line),
        untied: written.untied,
      });
      released.push(...written.released);
    }
    return results;
  });
  // A sponsor's uploaded logo that the page replaced: its row went with the write, its bytes go now
  // (without the files' folder, `conclave files prune` removes them).
  if (deps.filesDir !== undefined && released.length > 0) await removeUnrecorded({ db: deps.db, filesDir: deps.filesDir }, released);
  return results;
}

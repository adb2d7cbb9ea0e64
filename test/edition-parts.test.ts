/**
 * Editing a sponsor that came from an imported page: its logo, known there only by its text (or
 * its address on the old site), is a fact the edit keeps, its words following a new name; taking
 * the logo away takes all of it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/connect.js';
import { editionPartsLines } from '../src/cli/edition.js';
import { listEditionParts, updateEditionPart } from '../src/domain/editions/edition-parts.js';
import { loadEdition } from '../src/domain/editions/load-edition.js';
import { EditPartPage } from '../src/web/views/admin/edition-parts.js';
import { testDatabases } from './support/db.js';
import { COMMITTEE, makeDeps, makeEdition } from './invitations/fixtures.js';

describe.each(testDatabases())('editing an imported sponsor on $name', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => handle?.close());

  const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-parts-'));

  it('keeps the imported logo, its words following the new name, until it is removed', async () => {
    const deps = { ...makeDeps(handle.db), filesDir };
    const id = await makeEdition(handle.db);
    const { year } = await handle.db.selectFrom('editions').select('year').where('id', '=', id).executeTakeFirstOrThrow();
    const ref = { series: 'invtest', year };
    const add = (name: string, alt: string | null, src: string | null, position: number) =>
      handle.db
        .insertInto('sponsors')
        .values({ edition_id: id, name, kind: 'company', url: null, logo_alt: alt, logo_src: src, position, imported: true })
        .returning('id')
        .executeTakeFirstOrThrow();
    const fromText = await add('Mojatatu Networks', 'Mojatatu Networks Logo', null, 0);
    const fromHtml = await add('Verizon', 'The red check mark', 'https://old.example/verizon.png', 1);
    const sponsor = async (sid: number) => handle.db.selectFrom('sponsors').select(['name', 'logo_alt', 'logo_src']).where('id', '=', sid).executeTakeFirstOrThrow();

    await updateEditionPart(deps, COMMITTEE, ref, 'sponsor', fromText.id, { name: 'Mojatatu' });
    expect(await sponsor(fromText.id)).toEqual({ name: 'Mojatatu', logo_alt: 'Mojatatu logo', logo_src: null });
    await updateEditionPart(deps, COMMITTEE, ref, 'sponsor', fromHtml.id, { name: 'Verizon Inc.' });
    expect(await sponsor(fromHtml.id)).toEqual({ name: 'Verizon Inc.', logo_alt: 'The red check mark', logo_src: 'https://old.example/verizon.png' });
    const page = await loadEdition({ db: handle.db }, ref.series, ref.year);
    expect(page.sponsors.map((s) => s.logo)).toEqual([
      { alt: 'Mojatatu logo', src: null },
      { alt: 'The red check mark', src: 'https://old.example/verizon.png' },
    ]);

    // `edition parts` says which logo is a file here and which is not, as the page does.
    const lines = editionPartsLines(await listEditionParts({ db: handle.db }, ref));
    expect(lines.find((l) => l.includes('Mojatatu'))).toMatch(/ Mojatatu +listed, not in the archive$/);
    expect(lines.find((l) => l.includes('Verizon'))).toMatch(/ Verizon Inc\. +linked at its old address, not in the archive$/);
    // On a terminal, each table, indented by two, fits the terminal's width with its indent, not two columns more.
    const parts = await listEditionParts({ db: handle.db }, ref);
    const tty = { isTTY: process.stdout.isTTY, columns: process.stdout.columns };
    Object.assign(process.stdout, { isTTY: true, columns: 60 });
    let narrow: string[];
    try {
      narrow = editionPartsLines(parts);
    } finally {
      Object.assign(process.stdout, tty);
    }
    expect(Math.max(...narrow.map((l) => l.length))).toBeLessThanOrEqual(60);
    expect(narrow.find((l) => l.includes('Verizon'))).toMatch(/^ {2}\d+ +company +Verizon Inc\. +linked at its.*\.\.\.$/);

    // Its edit page says what the logo is and offers to take it away.
    const form = await EditPartPage({
      account: { accountId: 1, email: 'pc@example.org', name: 'PC' },
      csrf: 'token',
      editionTitle: 'Netconf',
      back: '/admin/editions/invtest/2100',
      target: { part: 'sponsor', id: fromText.id, name: 'Mojatatu', kind: 'company', url: null, logoThumb: null, logoAlt: 'Mojatatu logo', logoSrc: null },
      values: {},
      errors: {},
    });
    expect(form).toContain('Logo now: the one the imported page showed (“Mojatatu logo”); its image is not kept here.');
    expect(form).toContain('name="removeLogo"');

    await updateEditionPart(deps, COMMITTEE, ref, 'sponsor', fromText.id, { removeLogo: true });
    await updateEditionPart(deps, COMMITTEE, ref, 'sponsor', fromHtml.id, { removeLogo: true });
    expect(await sponsor(fromText.id)).toEqual({ name: 'Mojatatu', logo_alt: null, logo_src: null });
    expect(await sponsor(fromHtml.id)).toEqual({ name: 'Verizon Inc.', logo_alt: null, logo_src: null });
    expect((await loadEdition({ db: handle.db }, ref.series, ref.year)).sponsors.map((s) => s.logo)).toEqual([null, null]);
  });

  it('keeps the imported words as written when the name stays', async () => {
    const deps = { ...makeDeps(handle.db), filesDir };
    const id = await makeEdition(handle.db);
    const { year } = await handle.db.selectFrom('editions').select('year').where('id', '=', id).executeTakeFirstOrThrow();
    const ref = { series: 'invtest', year };
    const add = (name: string, alt: string, position: number) =>
      handle.db
        .insertInto('sponsors')
        .values({ edition_id: id, name, kind: 'company', url: null, logo_alt: alt, logo_src: null, position, imported: true })
        .returning('id')
        .executeTakeFirstOrThrow();
    const cased = await add('Mojatatu Networks', 'Mojatatu Networks Logo', 0);
    const bare = await add('Noiro Networks, a Cisco Project', 'Noiro Networks, a Cisco Project', 1);
    const alt = async (sid: number) => (await handle.db.selectFrom('sponsors').select('logo_alt').where('id', '=', sid).executeTakeFirstOrThrow()).logo_alt;

    // Only the address changes: the page's words for the logo are a fact of the archive.
    await updateEditionPart(deps, COMMITTEE, ref, 'sponsor', cased.id, { url: 'https://mojatatu.example/' });
    await updateEditionPart(deps, COMMITTEE, ref, 'sponsor', bare.id, { kind: 'event' });
    expect(await alt(cased.id)).toBe('Mojatatu Networks Logo');
    expect(await alt(bare.id)).toBe('Noiro Networks, a Cisco Project');
  });
});

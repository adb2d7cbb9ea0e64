/**
 * Importing a page again over the committee's edits of the parts it gave: a sponsor's uploaded
 * logo and address, a committee member's role, a reference, and a part removed in conclave. What
 * the page gives as before keeps the committee's edit (and the row's id); what the page changed
 * too takes the page's, said in the import's notes; a logo no longer used is released.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/connect.js';
import { rewrite } from '../src/db/migrations/038-page-values.js';
import { importPages } from '../src/domain/archive/import-pages.js';
import { removeEditionPart, updateEditionPart } from '../src/domain/editions/edition-parts.js';
import { removeMaterial } from '../src/domain/program/materials.js';
import { filePath } from '../src/domain/files/store.js';
import { runCommand } from './support/cli-in-process.js';
import { commandData, testDatabases } from './support/db.js';

const BASE = 'http://vger.kernel.org/netconf2071.html';
const COMMITTEE = { accountId: null, label: 'test' };

interface PageParts {
  intel?: string | null;
  google?: string;
  jamal?: string;
  slides?: string;
}

/** An HTML page of `year` with two sponsors, two committee members and two references; `p` changes them. */
function page(year: number, p: PageParts = {}): { file: string; content: Buffer } {
  const intel = p.intel === null ? '' : `<a href="${p.intel ?? 'https://intel.example/'}"><img src="intel.png" alt="Intel Logo"></a> `;
  const html = [
    `<html><body><h1>Linux Kernel Developers' Netconf ${year}</h1>`,
    `<ul><li><b>Location</b> : Ottawa, Canada</li><li><b>Dates</b> : February 12, ${year}</li>`,
    `<li><b>Sponsors</b> :<p>${intel}<a href="${p.google ?? 'https://google.example/'}">Google</a></p></li>`,
    `<li><b>Committee</b>:<br>David S. Miller (davem@example.org, netdev maintainer)<br>Jamal Hadi Salim (jhs@example.org, ${p.jamal ?? 'chair'})</li>`,
    `<li><b>References/Resources</b><br><a href="https://lwn.example/a">LWN report</a>, <a href="${p.slides ?? 'https://lwn.example/b'}">Slides archive</a></li>`,
    '</ul></body></html>',
  ].join('\n');
  return { file: `netconf-${year}.html`, content: Buffer.from(html, 'utf8') };
}

/** A page of `year` (a Friday, February 12) with slides on its one slot and meeting notes at `notes`. */
function pageWithMaterials(year: number, notes = 'https://lwn.example/notes'): { file: string; content: Buffer } {
  const html = [
    `<html><body><h1>Linux Kernel Developers' Netconf ${year}</h1>`,
    `<ul><li><b>Location</b> : Ottawa, Canada</li><li><b>Dates</b> : February 12, ${year}</li>`,
    `<li>Topics/Agenda/Schedule :<p>Friday, February 12, ${year}</p><table><tr><th>Time</th><th>Speaker</th><th>Topics</th></tr>`,
    '<tr><td>9:00am</td><td>Jamal Hadi Salim</td><td>Introduction (<a href="intro.pdf">slides</a>)</td></tr></table></li>',
    `<li><b>Meeting notes</b>: <a href="${notes}">LWN notes</a></li>`,
    '</ul></body></html>',
  ].join('\n');
  return { file: `netconf-${year}.html`, content: Buffer.from(html, 'utf8') };
}

describe.each(testDatabases())('re-importing a page over edits in conclave on $name', ({ open }) => {
  let handle: Db;
  let filesDir: string;
  beforeAll(async () => {
    handle = await open();
    filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-reimport-'));
  });
  afterAll(async () => {
    await handle?.close();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  const deps = () => ({ db: handle.db, filesDir });
  /** A logo of its own colour: one test's logo is no other's file. */
  const logo = (background: string) => sharp({ create: { width: 120, height: 60, channels: 3, background } }).png().toBuffer();
  const reimport = async (year: number, p: PageParts = {}) => (await importPages(deps(), [page(year, p)], { baseUrl: BASE }))[0]!;
  const editionOf = async (year: number) => (await handle.db.selectFrom('editions').select('id').where('year', '=', year).executeTakeFirstOrThrow()).id;
  const sponsors = async (year: number) =>
    handle.db.selectFrom('sponsors').select(['id', 'name', 'url', 'logo_alt', 'logo_sha256', 'logo_thumb_sha256']).where('edition_id', '=', await editionOf(year)).orderBy('position').execute();
  const roles = async (year: number) =>
    handle.db
      .selectFrom('committee_members')
      .innerJoin('people', 'people.id', 'committee_members.person_id')
      .select(['committee_members.id', 'people.name', 'committee_members.role'])
      .where('edition_id', '=', await editionOf(year))
      .orderBy('committee_members.position')
      .execute();
  const references = async (year: number) => handle.db.selectFrom('edition_references').select(['id', 'title', 'url']).where('edition_id', '=', await editionOf(year)).orderBy('position').execute();
  const stored = async (sha: string) => ({ row: !!(await handle.db.selectFrom('files').select('sha256').where('sha256', '=', sha).executeTakeFirst()), disk: fs.existsSync(filePath(filesDir, sha)) });

  it("keeps the committee's logo, address, role and title, with their ids, when the page gives those parts as before", async () => {
    await reimport(2071);
    const ref = { series: 'netconf', year: 2071 };
    const [intel] = await sponsors(2071);
    await updateEditionPart(deps(), COMMITTEE, ref, 'sponsor', intel!.id, { logo: await logo('#0071c5'), url: 'https://www.intel.com/' });
    const jamal = (await roles(2071)).find((r) => r.name === 'Jamal Hadi Salim')!;
    await updateEditionPart(deps(), COMMITTEE, ref, 'committee-role', jamal.id, { role: 'chair, Netdev 0.1' });
    const [lwn] = await references(2071);
    await updateEditionPart(deps(), COMMITTEE, ref, 'reference', lwn!.id, { title: 'LWN: the Netconf report' });
    const edited = { sponsors: await sponsors(2071), roles: await roles(2071), references: await references(2071) };
    expect(edited.sponsors[0]).toMatchObject({ name: 'Intel', url: 'https://www.intel.com/', logo_sha256: expect.any(String) });

    const again = await reimport(2071);
    expect({ sponsors: await sponsors(2071), roles: await roles(2071), references: await references(2071) }).toEqual(edited);
    expect(await stored(edited.sponsors[0]!.logo_sha256!)).toEqual({ row: true, disk: true });
    expect(again.notes).toEqual([]);
  });

  it("lets a part the page changed win over the committee's edit, naming what it replaced, and releases the logo", async () => {
    await reimport(2072);
    const ref = { series: 'netconf', year: 2072 };
    const [intel, google] = await sponsors(2072);
    await updateEditionPart(deps(), COMMITTEE, ref, 'sponsor', intel!.id, { logo: await logo('#ea4335') });
    await updateEditionPart(deps(), COMMITTEE, ref, 'sponsor', google!.id, { url: 'https://about.google/' });
    const jamal = (await roles(2072)).find((r) => r.name === 'Jamal Hadi Salim')!;
    await updateEditionPart(deps(), COMMITTEE, ref, 'committee-role', jamal.id, { role: 'co-chair' });
    const uploaded = (await sponsors(2072))[0]!;

    const again = await reimport(2072, { intel: 'https://intel.example/netconf', jamal: 'program chair' });
    expect(await sponsors(2072)).toEqual([
      { id: intel!.id, name: 'Intel', url: 'https://intel.example/netconf', logo_alt: 'Intel Logo', logo_sha256: null, logo_thumb_sha256: null },
      // The page gives Google as before: the committee's address stays.
      { id: google!.id, name: 'Google', url: 'https://about.google/', logo_alt: null, logo_sha256: null, logo_thumb_sha256: null },
    ]);
    expect((await roles(2072)).find((r) => r.name === 'Jamal Hadi Salim')).toEqual({ id: jamal.id, name: 'Jamal Hadi Salim', role: 'program chair' });
    expect(again.notes.map((n) => n.message)).toEqual([
      'the page changed the sponsor “Intel”, edited in conclave: written as the page gives it, losing its logo uploaded there',
      'the page changed Jamal Hadi Salim’s committee role, edited in conclave: written as the page gives it, losing its role “co-chair”',
    ]);
    // The uploaded logo and its thumbnail are no longer served, nor kept on disk.
    expect(await stored(uploaded.logo_sha256!)).toEqual({ row: false, disk: false });
    expect(await stored(uploaded.logo_thumb_sha256!)).toEqual({ row: false, disk: false });
    // The edition's stored import report says it too.
    const report = await handle.db.selectFrom('editions').select('import_report').where('id', '=', await editionOf(2072)).executeTakeFirstOrThrow();
    expect(JSON.stringify(report.import_report)).toContain('the page changed the sponsor “Intel”');
  });

  it('keeps a part the committee removed removed, until the page changes it', async () => {
    await reimport(2073);
    const ref = { series: 'netconf', year: 2073 };
    const google = (await sponsors(2073)).find((s) => s.name === 'Google')!;
    await removeEditionPart(deps(), COMMITTEE, ref, 'sponsor', google.id);
    const david = (await roles(2073)).find((r) => r.name === 'David S. Miller')!;
    await removeEditionPart(deps(), COMMITTEE, ref, 'committee-role', david.id);
    const slides = (await references(2073)).find((r) => r.title === 'Slides archive')!;
    await removeEditionPart(deps(), COMMITTEE, ref, 'reference', slides.id);

    const again = await reimport(2073);
    expect((await sponsors(2073)).map((s) => s.name)).toEqual(['Intel']);
    expect((await roles(2073)).map((r) => r.name)).toEqual(['Jamal Hadi Salim']);
    expect((await references(2073)).map((r) => r.title)).toEqual(['LWN report']);
    expect(again.notes.map((n) => n.message)).toEqual([
      'kept the sponsor “Google” removed in conclave; the page still gives it',
      'kept David S. Miller’s committee role removed in conclave; the page still gives it',
      'kept the reference “Slides archive” removed in conclave; the page still gives it',
    ]);

    const changed = await reimport(2073, { google: 'https://google.example/netconf', slides: 'https://lwn.example/slides' });
    expect((await sponsors(2073)).map((s) => [s.name, s.url])).toEqual([
      ['Intel', 'https://intel.example/'],
      ['Google', 'https://google.example/netconf'],
    ]);
    expect((await references(2073)).map((r) => [r.title, r.url])).toEqual([
      ['LWN report', 'https://lwn.example/a'],
      ['Slides archive', 'https://lwn.example/slides'],
    ]);
    expect((await roles(2073)).map((r) => r.name)).toEqual(['Jamal Hadi Salim']);
    expect(changed.notes.map((n) => n.message)).toEqual([
      'the sponsor “Google”, removed in conclave, is back: the page changed it',
      'kept David S. Miller’s committee role removed in conclave; the page still gives it',
      'the reference “Slides archive”, removed in conclave, is back: the page changed it',
    ]);
  });

  it('removes an edited part the page no longer gives, saying what went with it', async () => {
    await reimport(2074);
    const ref = { series: 'netconf', year: 2074 };
    const [intel] = await sponsors(2074);
    await updateEditionPart(deps(), COMMITTEE, ref, 'sponsor', intel!.id, { logo: await logo('#34a853'), url: 'https://www.intel.com/' });
    const uploaded = (await sponsors(2074))[0]!;
    const again = await reimport(2074, { intel: null });
    expect((await sponsors(2074)).map((s) => s.name)).toEqual(['Google']);
    expect(again.notes.map((n) => n.message)).toEqual([
      'the page no longer gives the sponsor “Intel”, edited in conclave: removed, losing its address “https://www.intel.com/”, its logo uploaded there',
    ]);
    expect(await stored(uploaded.logo_sha256!)).toEqual({ row: false, disk: false });
  });

  it('keeps a material of the page the committee removed removed, until the page changes it', async () => {
    const importMaterials = async (notes?: string) => (await importPages(deps(), [pageWithMaterials(2077, notes)], { baseUrl: BASE }))[0]!;
    await importMaterials();
    const editionId = await editionOf(2077);
    const materials = async () => handle.db.selectFrom('materials').select(['id', 'label', 'url']).where('edition_id', '=', editionId).orderBy('position').execute();
    expect((await materials()).map((m) => m.label)).toEqual(['slides', 'Meeting notes: LWN notes']);
    for (const m of await materials()) await removeMaterial(deps(), COMMITTEE, { editionId, id: m.id });

    const again = await importMaterials();
    expect(await materials()).toEqual([]);
    expect(again.notes.map((n) => n.message).filter((m) => m.includes('removed in conclave'))).toEqual([
      'kept the material “slides” removed in conclave; the page still gives it',
      'kept the material “Meeting notes: LWN notes” removed in conclave; the page still gives it',
    ]);
    await importMaterials('https://lwn.example/netconf-notes');
    expect((await materials()).map((m) => [m.label, m.url])).toEqual([['Meeting notes: LWN notes', 'https://lwn.example/netconf-notes']]);
  });

  it("knows the page's values of rows imported before they were kept, from their first edit", async () => {
    await reimport(2075);
    const ref = { series: 'netconf', year: 2075 };
    const jamal = (await roles(2075)).find((r) => r.name === 'Jamal Hadi Salim')!;
    await updateEditionPart(deps(), COMMITTEE, ref, 'committee-role', jamal.id, { role: 'co-chair' });
    await updateEditionPart(deps(), COMMITTEE, ref, 'committee-role', jamal.id, { role: 'general chair' });
    // As an import before the page's values were kept left the rows; the migration fills them.
    await handle.db.updateTable('committee_members').set({ page_values: null }).where('edition_id', '=', await editionOf(2075)).execute();
    await rewrite(handle.db);
    const again = await reimport(2075);
    expect((await roles(2075)).find((r) => r.name === 'Jamal Hadi Salim')).toEqual({ id: jamal.id, name: 'Jamal Hadi Salim', role: 'general chair' });
    expect(again.notes).toEqual([]);
  });
});

describe('conclave import over edits in conclave', () => {
  it('says what the page overwrote, and removes the uploaded logo it replaced from the files', async () => {
    const env = await commandData('conclave-reimport-');
    const dir = env.CONCLAVE_DATA;
    const write = (p: PageParts = {}) => {
      const { file, content } = page(2076, p);
      fs.writeFileSync(path.join(dir, file), content);
      return path.join(dir, file);
    };
    const first = await runCommand(['import', '--base-url', BASE, write()], env);
    expect(first.code, first.stderr).toBe(0);
    const logoFile = path.join(dir, 'intel.png');
    await sharp({ create: { width: 120, height: 60, channels: 3, background: '#fbbc05' } }).png().toFile(logoFile);
    const parts = JSON.parse((await runCommand(['edition', 'parts', '2076', '--json'], env)).stdout) as { sponsors: { id: number; name: string }[] };
    const intel = parts.sponsors.find((x) => x.name === 'Intel')!;
    expect((await runCommand(['edition', 'update-part', '2076', 'sponsor', String(intel.id), '--logo', logoFile], env)).code).toBe(0);
    const withLogo = JSON.parse((await runCommand(['edition', 'parts', '2076', '--json'], env)).stdout) as { sponsors: { id: number; logo_sha256: string | null }[] };
    const sha = withLogo.sponsors.find((x) => x.id === intel.id)!.logo_sha256!;
    expect(fs.existsSync(filePath(path.join(dir, 'files'), sha))).toBe(true);

    // The page as before: the logo stays, nothing to say about it.
    const same = await runCommand(['import', '--base-url', BASE, write()], env);
    expect([same.code, same.stdout.includes('note:')]).toEqual([0, false]);
    expect(fs.existsSync(filePath(path.join(dir, 'files'), sha))).toBe(true);

    const changed = await runCommand(['import', '--base-url', BASE, write({ intel: 'https://intel.example/netconf' })], env);
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stdout).toContain(`note: the page changed the sponsor “Intel”, edited in conclave: written as the page gives it, losing its logo uploaded there`);
    expect(fs.existsSync(filePath(path.join(dir, 'files'), sha))).toBe(false);
  });
});

/**
 * An import's report where the committee reads it. A re-import writes a report (lines of the page
 * it skipped, notes such as a committee edit the page overrode, "… losing its logo uploaded
 * there"), which reached only the terminal of whoever ran the import: no page showed it and the
 * import's audit entry did not say it. The edition's admin page now shows the last import's
 * report, the `edition.import` entry carries its notes and skipped count, and
 * `conclave edition import-report` and `conclave audit ID` say it again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/connect.js';
import { importPages } from '../src/domain/archive/import-pages.js';
import { listAudit } from '../src/domain/audit/record.js';
import { addCommitteeMember } from '../src/domain/committee/accounts.js';
import { createSigninLink } from '../src/domain/committee/signin.js';
import { createEdition } from '../src/domain/editions/edit-edition.js';
import { listEditionParts, updateEditionPart } from '../src/domain/editions/edition-parts.js';
import { utcMinute } from '../src/domain/invitations/dates.js';
import { buildApp } from '../src/web/app.js';
import { runCommand } from './support/cli-in-process.js';
import { commandData, testDatabases } from './support/db.js';
import { Client } from './support/http.js';
import { hasLynx, lynxDump } from './support/lynx.js';

const BASE = 'http://vger.kernel.org/netconf2081.html';
const COMMITTEE = { accountId: null, label: 'cli:committee' };
const mail = { baseUrl: 'http://conclave.test', from: 'Netconf committee <committee@conclave.test>' };

/**
 * A page of `year` with a line the import skips (a field it does not know, with markup in its
 * text) and a sponsor whose logo's text, its name, has markup too; `intel` changes that sponsor's address.
 */
function page(year: number, intel = 'https://intel.example/'): { file: string; content: Buffer } {
  const html = [
    `<html><body><h1>Linux Kernel Developers' Netconf ${year}</h1>`,
    `<ul><li><b>Location</b> : Ottawa, Canada</li><li><b>Dates</b> : February 12, ${year}</li>`,
    '<li><b>Catering</b> : bagels &lt;i&gt;probably&lt;/i&gt;</li>',
    `<li><b>Sponsors</b> :<p><a href="${intel}"><img src="intel.png" alt="Intel &lt;Labs&gt; Logo"></a> <a href="https://google.example/">Google</a></p></li>`,
    '</ul></body></html>',
  ].join('\n');
  return { file: `netconf-${year}.html`, content: Buffer.from(html, 'utf8') };
}

const LOST = 'the page changed the sponsor “Intel <Labs>”, edited in conclave: written as the page gives it, losing its logo uploaded there';

describe.each(testDatabases())('the last import’s report on the edition’s page and in the audit log on $name', ({ open }) => {
  let handle: Db;
  let app: FastifyInstance;
  let client: Client;
  const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-import-report-'));
  const now = new Date('2026-12-01T10:00:00Z');
  const deps = () => ({ db: handle.db, filesDir });

  beforeAll(async () => {
    handle = await open();
    await addCommitteeMember({ db: handle.db }, COMMITTEE, { email: 'chair@example.org', name: 'Pat Chair' });
    app = await buildApp({ db: handle.db, clock: () => now, mail, limits: { signin: 1000 }, filesDir });
    client = new Client(app);
    const link = await createSigninLink({ db: handle.db, clock: () => now, mail }, { email: 'chair@example.org' });
    const signin = new URL(link!.link).pathname;
    expect((await client.submit(signin, signin, {})).statusCode).toBe(303);

    // Imported, the committee uploads Intel's logo, and the page is imported again with Intel changed.
    await importPages(deps(), [page(2081)], { baseUrl: BASE });
    const intel = (await listEditionParts(deps(), { series: 'netconf', year: 2081 })).sponsors.find((s) => s.name === 'Intel <Labs>')!;
    const logo = await sharp({ create: { width: 120, height: 60, channels: 3, background: '#0071c5' } }).png().toBuffer();
    await updateEditionPart(deps(), COMMITTEE, { series: 'netconf', year: 2081 }, 'sponsor', intel.id, { logo });
    const [again] = await importPages(deps(), [page(2081, 'https://intel.example/netconf')], { baseUrl: BASE, actor: { accountId: null, label: 'cli:importer' } });
    expect(again!.notes.map((n) => n.message)).toContain(LOST);
    expect(again!.skipped.map((s) => s.text)).toEqual([expect.stringContaining('bagels <i>probably</i>')]);
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  const importEntry = async () => (await listAudit({ db: handle.db }, { action: 'edition.import', limit: 1 }))[0]!;

  it('shows the report on the edition’s admin page: when, from which page, the skipped line and the note, escaped', async () => {
    const entry = await importEntry();
    const res = await client.get('/admin/editions/netconf/2081');
    expect(res.statusCode).toBe(200);
    const section = res.body.slice(res.body.indexOf('<section aria-labelledby="a-import">'));
    expect(section).toContain('<h2 id="a-import">Last import</h2>');
    expect(section).toContain(`The page netconf-2081.html was last imported on ${utcMinute(entry.at)} UTC`);
    expect(section).toContain(`<a href="/admin/audit/${entry.id}">audit log entry #${entry.id}</a>`);
    expect(section).toContain('It skipped 1 line and made 1 note:');
    expect(section).toContain('<li>note: the page changed the sponsor “Intel &lt;Labs>”, edited in conclave: written as the page gives it, losing its logo uploaded there</li>');
    expect(section).toMatch(/<li>line \d+: skipped: [^<]+: &#34;Catering : bagels &lt;i>probably&lt;\/i>&#34;<\/li>/);
    expect(res.body).not.toContain('<i>probably');
  });

  it.runIf(hasLynx)('reads the report in lynx, a line each', async () => {
    const text = lynxDump((await client.get('/admin/editions/netconf/2081')).body, { width: 300, list: false });
    const report = text.slice(text.indexOf('Last import'), text.search(/^\s*Sponsors$/m));
    expect(report).toMatch(/The page netconf-2081\.html was last imported on [\d-]+ [\d:]+ UTC \(audit log entry #\d+\)\. It skipped 1 line and made 1 note:/);
    expect(report).toContain(`* note: ${LOST}`);
    expect(report).toMatch(/\* line \d+: skipped: .+: "Catering : bagels <i>probably<\/i>"/);
  });

  it('shows nothing for an edition never imported, nor for an import with nothing to report', async () => {
    await createEdition({ db: handle.db, clock: () => now }, COMMITTEE, { series: 'netconf', year: 2082, fields: { title: 'Netconf 2082' } });
    const made = await client.get('/admin/editions/netconf/2082');
    expect(made.statusCode).toBe(200);
    expect(made.body).not.toContain('Last import');
    const plain = page(2083);
    await importPages(deps(), [{ ...plain, content: Buffer.from(plain.content.toString('utf8').replace(/<li><b>Catering.*\n/, '')) }], { baseUrl: BASE });
    const quiet = await client.get('/admin/editions/netconf/2083');
    expect(quiet.statusCode).toBe(200);
    expect(quiet.body).not.toContain('Last import');
  });

  it('records the notes and the skipped count in the import’s audit entry, which the log and the entry’s page show', async () => {
    const entry = (await listAudit({ db: handle.db }, { action: 'edition.import', actor: 'cli:importer', limit: 1 }))[0]!;
    expect(entry.after).toMatchObject({ file: 'netconf-2081.html', created: false, skipped: 1, notes: [LOST] });
    const log = await client.get('/admin/audit?action=edition.import');
    expect(log.body).toContain(`<li><span>notes:</span><ul><li>the page changed the sponsor “Intel &lt;Labs>”, edited in conclave: written as the page gives it, losing its logo uploaded there</li></ul></li>`);
    expect(log.body).toContain('<li>skipped: 1</li>');
    const full = await client.get(`/admin/audit/${entry.id}`);
    expect(full.body).toContain('&#34;skipped&#34;: 1');
    expect(full.body).toContain('the page changed the sponsor “Intel &lt;Labs>”');
  });

  it.runIf(hasLynx)('reads the import’s notes in the audit log in lynx, whole', async () => {
    const text = lynxDump((await client.get('/admin/audit?action=edition.import')).body, { width: 300, list: false });
    // The notes a nested list: lynx marks its items "+".
    expect(text).toMatch(/\* notes:\n +\+ the page changed the sponsor “Intel <Labs>”, edited in conclave: written as the page gives it, losing its logo uploaded there\n/);
    expect(text).toContain('* skipped: 1');
  });
});

describe('conclave edition import-report and conclave audit ID', () => {
  it('say again what the last import skipped and overrode', async () => {
    const env = await commandData('conclave-import-report-');
    const dir = env.CONCLAVE_DATA;
    const write = (intel?: string) => {
      const { file, content } = page(2084, intel);
      fs.writeFileSync(path.join(dir, file), content);
      return path.join(dir, file);
    };
    expect((await runCommand(['import', '--base-url', BASE, write()], env)).code).toBe(0);
    const logoFile = path.join(dir, 'intel.png');
    await sharp({ create: { width: 120, height: 60, channels: 3, background: '#fbbc05' } }).png().toFile(logoFile);
    const parts = JSON.parse((await runCommand(['edition', 'parts', '2084', '--json'], env)).stdout) as { sponsors: { id: number; name: string }[] };
    const intel = parts.sponsors.find((x) => x.name === 'Intel <Labs>')!;
    expect((await runCommand(['edition', 'update-part', '2084', 'sponsor', String(intel.id), '--logo', logoFile], env)).code).toBe(0);
    const again = await runCommand(['import', '--base-url', BASE, write('https://intel.example/netconf')], env);
    expect(again.code, again.stderr).toBe(0);

    const shown = await runCommand(['edition', 'import-report', '2084'], env);
    expect(shown.code, shown.stderr).toBe(0);
    const lines = shown.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Linux Kernel Developers' Netconf 2084: imported from netconf-2084\.html on \d{4}-\d\d-\d\d \d\d:\d\d UTC \(conclave audit (\d+)\)$/);
    expect(lines.slice(1)).toEqual([`  note: ${LOST}`, expect.stringMatching(/^ {2}line \d+: skipped: .+: "Catering : bagels <i>probably<\/i>"$/)]);
    const json = JSON.parse((await runCommand(['edition', 'import-report', '2084', '--json'], env)).stdout) as { file: string; notes: { message: string }[]; skipped: unknown[] };
    expect({ file: json.file, notes: json.notes.map((n) => n.message), skipped: json.skipped.length }).toEqual({ file: 'netconf-2084.html', notes: [LOST], skipped: 1 });

    // The audit entry the report names, in full.
    const id = /\(conclave audit (\d+)\)/.exec(lines[0]!)![1]!;
    const entry = await runCommand(['audit', id], env);
    expect(entry.code, entry.stderr).toBe(0);
    expect(entry.stdout).toContain(`entry #${id}\n`);
    expect(entry.stdout).toMatch(/what: +edition\.import edition #\d+\n/);
    // The database keeps a record's fields in an order of its own: "skipped" may come last.
    expect(entry.stdout).toMatch(/\n {4}"skipped": 1,?\n/);
    expect(entry.stdout).toContain(`      "${LOST}"\n`);
    // One entry is no list: a filter with it is bad usage.
    const both = await runCommand(['audit', id, '--action', 'edition.import'], env);
    expect([both.code, both.stderr]).toEqual([2, expect.stringContaining('--action')]);

    // An edition made in conclave has no import to report.
    expect((await runCommand(['edition', 'create', '2085'], env)).code).toBe(0);
    const none = await runCommand(['edition', 'import-report', '2085'], env);
    expect([none.code, none.stdout]).toEqual([0, expect.stringContaining('nothing to report')]);
    expect((await runCommand(['edition', 'import-report', '2085', '--json'], env)).stdout.trim()).toBe('null');
  });
});

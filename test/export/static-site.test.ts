/**
 * The static export crawled: the seed archive plus private data planted where the committee
 * keeps it; every internal link of the tree resolves; every public page of the app has its twin
 * (the same page but for its links; files byte for byte); nothing private is in any byte of the
 * tree; a second export writes nothing, a change rewrites only what shows it, a vanished page is
 * removed; schedule.xml validates against the C3VOC XSD.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { bundledPages } from '../../src/domain/archive/bundled.js';
import { importPages } from '../../src/domain/archive/import-pages.js';
import { storeBytes } from '../../src/domain/files/store.js';
import { exportSite, type ExportResult } from '../../src/export/static-site.js';
import { MANIFEST } from '../../src/export/write-tree.js';
import { buildApp } from '../../src/web/app.js';
import { testDatabases } from '../support/db.js';
import { BASE_URL, makeEdition, schemasPresent, SERIES, XSD, xmllint } from '../exports/fixtures.js';

/** Strings planted where only the committee may see them. */
const PRIVATE = {
  attendeeAddress: 'hidden.attendee@private.example',
  declined: 'Qwxz declined proposal title',
  undecided: 'Qwxz undecided proposal title',
  withdrawn: 'Qwxz withdrawn proposal title',
  inviteeAddress: 'secret.invitee@private.example',
  invitationNote: 'Qwxz committee note about an invitee',
  accountAddress: 'committee.account@private.example',
  auditReason: 'Qwxz audit reason',
  plannedSlot: 'Qwxz planned slot',
};

function allFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.relative(dir, path.join(d.parentPath, d.name)));
}

/** href, src and action values of an HTML file, HTML escapes undone. */
function linksOf(html: string): string[] {
  return [...html.matchAll(/\s(?:href|src|action)="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"'));
}

/** A page with its links taken out: what the app serves and what the export wrote must agree on it. */
function withoutLinks(html: string): string {
  return html.replace(/(\s(?:href|src|action)=")[^"]*"/g, '$1"');
}

describe.each(testDatabases())('static export on $name', ({ open }) => {
  let handle: Db;
  let app: FastifyInstance;
  let out: string;
  let filesDir: string;
  let first: ExportResult;
  const clock = () => new Date('2026-11-22T12:00:00Z');
  const run = () => exportSite({ db: handle.db, filesDir, clock }, { outDir: out, baseUrl: BASE_URL });

  beforeAll(async () => {
    handle = await open();
    const { db } = handle;
    await importPages({ db }, bundledPages());
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-export-'));
    out = path.join(tmp, 'site');
    filesDir = path.join(tmp, 'files');

    const e2015 = await db.selectFrom('editions').select('id').where('year', '=', 2015).executeTakeFirstOrThrow();
    const e2014 = await db.selectFrom('editions').select('id').where('year', '=', 2014).executeTakeFirstOrThrow();
    // An attendee of 2004 whose address is kept private, listed with it as the page had it.
    const e2004 = await db.selectFrom('editions').select('id').where('year', '=', 2004).executeTakeFirstOrThrow();
    const attendee = await db.selectFrom('attendances').select(['id', 'person_id']).where('edition_id', '=', e2004.id).orderBy('position').executeTakeFirstOrThrow();
    await db.insertInto('person_emails').values({ person_id: attendee.person_id, email: PRIVATE.attendeeAddress, is_public: false }).execute();
    await db.updateTable('attendances').set({ email_as_listed: PRIVATE.attendeeAddress }).where('id', '=', attendee.id).execute();
    // Proposals the committee has not accepted.
    const topic = (number: number, title: string, state: 'declined' | 'proposed' | 'withdrawn') =>
      db.insertInto('topics').values({ edition_id: e2015.id, number, title, abstract: `${title}: abstract`, origin: 'proposal', state, proposer_id: attendee.person_id }).execute();
    await topic(901, PRIVATE.declined, 'declined');
    await topic(902, PRIVATE.undecided, 'proposed');
    await topic(903, PRIVATE.withdrawn, 'withdrawn');
    // An invitation with the committee's note, an account, an audit entry.
    await db
      .insertInto('invitations')
      .values({ edition_id: e2015.id, person_id: attendee.person_id, email: PRIVATE.inviteeAddress, state: 'declined', note: PRIVATE.invitationNote })
      .execute();
    await db.insertInto('committee_accounts').values({ person_id: attendee.person_id, email: PRIVATE.accountAddress }).execute();
    await db.insertInto('audit_log').values({ actor: 'cli:test', action: 'note', entity: 'invitation', reason: PRIVATE.auditReason }).execute();
    // A planned edition: its program is the committee's work in progress.
    const planned = await makeEdition(db, { year: 2027, status: 'planned' });
    await db.updateTable('slots').set({ title: PRIVATE.plannedSlot }).where('id', '=', planned.slotIds.sunday).execute();
    // A final one, to be renamed away later; and uploaded files: a photo, a logo and its thumbnail.
    const final = await makeEdition(db, { year: 2026, status: 'final' });
    // A slot of it moved since its schedule was published, and slides added to 2015 since:
    // the calendar's SEQUENCE and DTSTAMP must be the running site's.
    await db
      .insertInto('schedule_changes')
      .values({ edition_id: final.editionId, created_at: new Date('2026-11-01T10:00:00Z'), actor: 'test', kind: 'move', summary: 'moved', slot_id: final.slotIds.long, notified: '[]' })
      .execute();
    await db.insertInto('audit_log').values({ at: new Date('2099-01-01T00:00:00Z'), actor: 'cli:test', action: 'material.add', entity: 'material', edition_id: e2015.id }).execute();
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#336699' } }).png().toBuffer();
    const thumb = await sharp(png).resize(20).png().toBuffer();
    const photo = await storeBytes({ db, filesDir }, png, 'image/png');
    const small = await storeBytes({ db, filesDir }, thumb, 'image/png');
    await db
      .insertInto('materials')
      .values({ edition_id: e2015.id, kind: 'photo', label: 'Team photo', file_sha256: photo.sha256, file_name: 'team photo.png', thumb_sha256: small.sha256, position: 99 })
      .execute();
    // Notes linking the photo by names no file has: "." (its directory, on disk), and a "/" or ".." in disguise.
    const odd = ['.', '%2E', '%2E%2E', '..%2F..%2Fescape', '%2Fescape'].map((n, i) => `[odd ${i}](/files/${photo.sha256}/${n})`).join(' ');
    await db.insertInto('materials').values({ edition_id: e2015.id, kind: 'notes', label: 'Odd links', body: odd, position: 98 }).execute();
    const sponsor = await db.selectFrom('sponsors').select('id').where('edition_id', '=', e2014.id).orderBy('position').executeTakeFirstOrThrow();
    await db.updateTable('sponsors').set({ logo_sha256: photo.sha256, logo_thumb_sha256: small.sha256, logo_alt: 'logo' }).where('id', '=', sponsor.id).execute();
    // And a group photo with its thumbnail: edition.json links both, the thumbnail without a name.
    await db
      .insertInto('materials')
      .values({ edition_id: e2014.id, kind: 'group-photo', label: 'Group photo', file_sha256: photo.sha256, file_name: 'team photo.png', thumb_sha256: small.sha256, position: -1 })
      .execute();

    app = await buildApp({ db, filesDir, clock, mail: { baseUrl: BASE_URL, from: 'x <x@example.org>' } });
    first = await run();
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  it('reports every file written and no broken link', () => {
    expect(first.brokenLinks).toEqual([]);
    expect(first.written).toBe(first.files);
    expect(first.files).toBe(allFiles(out).length - 1);
    expect(first.unchanged).toBe(0);
  });

  it('resolves every internal link of every page to a file of the tree', () => {
    const pages = allFiles(out).filter((f) => f.endsWith('.html'));
    expect(pages.length).toBeGreaterThan(50);
    const missing: string[] = [];
    let checked = 0;
    for (const page of pages) {
      for (const link of linksOf(fs.readFileSync(path.join(out, page), 'utf8'))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith('#')) continue;
        // Nothing absolute inside the tree: a leading slash would leave the export on file://.
        expect(link.startsWith('/'), `${page}: ${link}`).toBe(false);
        const rel = decodeURIComponent(link.replace(/[?#].*$/, ''));
        const target = path.join(path.dirname(path.join(out, page)), rel);
        checked++;
        if (!fs.existsSync(target) || !fs.statSync(target).isFile()) missing.push(`${page} → ${link}`);
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(500);
  });

  it('has a twin of every public page the app serves', async () => {
    const { db } = handle;
    const editions = await db.selectFrom('editions').innerJoin('series', 'series.id', 'editions.series_id').select(['series.slug', 'editions.year']).execute();
    const people = await db.selectFrom('people').select('slug').execute();
    const pages: [string, string][] = [
      ['/', 'index.html'],
      ['/people/', 'people/index.html'],
      ['/editions.json', 'editions.json'],
      ['/feed.atom', 'feed.atom'],
      ['/static/style.css', 'static/style.css'],
      ['/static/favicon.svg', 'static/favicon.svg'],
    ];
    for (const e of editions) {
      const dir = `${e.slug}/${e.year}`;
      pages.push([`/${dir}/`, `${dir}/index.html`], [`/${dir}/edition.json`, `${dir}/edition.json`], [`/${dir}/changes/`, `${dir}/changes/index.html`]);
      for (const f of ['schedule.ics', 'schedule.xml', 'schedule.json']) pages.push([`/${dir}/${f}`, `${dir}/${f}`]);
    }
    for (const p of people) pages.push([`/people/${p.slug}/`, `people/${p.slug}/index.html`], [`/people/${p.slug}/person.json`, `people/${p.slug}/person.json`]);
    let served = 0;
    for (const [url, file] of pages) {
      const res = await app.inject(url);
      const there = fs.existsSync(path.join(out, file));
      if (res.statusCode !== 200) {
        expect(there, `${file} exported though ${url} answers ${res.statusCode}`).toBe(false);
        continue;
      }
      served++;
      expect(there, `${url} has no twin ${file}`).toBe(true);
      const written = fs.readFileSync(path.join(out, file));
      if (file.endsWith('changes/index.html')) {
        // The live page's ?since=N does nothing in a copy with one file for the page: not offered there.
        const hint = /<p class="muted">Link to what is new from a given point with <code>\?since=N<\/code>[^<]*<\/p>/;
        expect(res.body).toMatch(hint);
        expect(written.toString('utf8')).not.toContain('?since=');
        expect(withoutLinks(written.toString('utf8'))).toBe(withoutLinks(res.body.replace(hint, '')));
      } else if (file.endsWith('.html')) expect(withoutLinks(written.toString('utf8'))).toBe(withoutLinks(res.body));
      else if (file.endsWith('.json')) {
        // The server's bytes, but for a stored file without a name: addressed as the file written for it.
        expect(written.toString('utf8').replace(/"(\/files\/[0-9a-f]{64})\.(png|jpg)"/g, '"$1"'), `${file} differs from ${url}`).toBe(res.body);
      } else expect(written.equals(res.rawPayload), `${file} differs from ${url}`).toBe(true);
    }
    expect(served).toBeGreaterThan(100);
    expect(fs.readFileSync(path.join(out, 'netconf/2015/schedule.ics'), 'utf8')).toContain('DTSTAMP:20990101T000000Z');
    expect(fs.readFileSync(path.join(out, `${SERIES}/2026/schedule.ics`), 'utf8')).toContain('SEQUENCE:1\r\nLAST-MODIFIED:20261101T100000Z');
  });

  it('addresses in its JSON only files of the tree, as written, from the host’s root', () => {
    const addresses: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string' && v.startsWith('/')) addresses.push(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    const jsonFiles = allFiles(out).filter((f) => f.endsWith('.json') && !f.startsWith('.'));
    for (const f of jsonFiles) walk(JSON.parse(fs.readFileSync(path.join(out, f), 'utf8')));
    // Served at a host's root with no rewrite: the address's path is the file's. (The fixture's
    // slides are named by a made-up hash, 0123abcd, of no stored file: no copy can hold them.)
    const missing = addresses.filter((a) => a !== '/files/0123abcd/slides.pdf' && !fs.existsSync(path.join(out, decodeURIComponent(a.endsWith('/') ? `${a}index.html` : a))));
    expect(missing).toEqual([]);
    const e2014 = JSON.parse(fs.readFileSync(path.join(out, 'netconf/2014/edition.json'), 'utf8'));
    const logo = e2014.sponsors.find((x: { logo: { src: string } | null }) => x.logo?.src?.startsWith('/files/'))!.logo.src;
    expect(logo).toMatch(/^\/files\/[0-9a-f]{64}\.png$/);
    expect(e2014.groupPhoto.thumbUrl).toMatch(/^\/files\/[0-9a-f]{64}\.png$/);
    expect(e2014.groupPhoto.url).toMatch(/^\/files\/[0-9a-f]{64}\/team%20photo\.png$/);
    for (const a of [logo, e2014.groupPhoto.thumbUrl, e2014.groupPhoto.url]) expect(addresses).toContain(a);
  });

  it('says in words that a listed slide deck is not in the archive, as the running site does', () => {
    const page = fs.readFileSync(path.join(out, 'netconf/2011/index.html'), 'utf8');
    expect(page.replace(/<[^>]+>/g, '')).toContain('Bridging/STP— slides (not in the archive)');
  });

  it('answers the address of another name a person was listed under with a page leading on', async () => {
    // The server redirects these (an older spelling, a name as another page wrote it).
    for (const other of ['yoshfuji-hideaki', 'david-miller', 'jeff-kirsher']) {
      const res = await app.inject(`/people/${other}/`);
      expect(res.statusCode, other).toBe(301);
      const to = /^\/people\/([^/]+)\/$/.exec(String(res.headers.location))![1]!;
      const page = fs.readFileSync(path.join(out, `people/${other}/index.html`), 'utf8');
      expect(page).toContain(`<meta http-equiv="refresh" content="0; url=../${to}/index.html"`);
      expect(page).toContain(`href="../${to}/index.html"`);
      expect(fs.existsSync(path.join(out, `people/${to}/index.html`))).toBe(true);
      // Its JSON has no such stand-in: a static host cannot send JSON on.
      expect(fs.existsSync(path.join(out, `people/${other}/person.json`))).toBe(false);
    }
  });

  it('writes the very same tree with worker threads, a nameless file linked from a worker\'s page too', async () => {
    const threaded = path.join(path.dirname(out), 'site-threads');
    const r = await exportSite({ db: handle.db, filesDir, clock }, { outDir: threaded, baseUrl: BASE_URL, threads: 2 });
    expect({ files: r.files, written: r.written, brokenLinks: r.brokenLinks }).toEqual({ files: first.files, written: first.files, brokenLinks: [] });
    const files = allFiles(out).sort();
    expect(allFiles(threaded).sort()).toEqual(files);
    const differ = files.filter((f) => !fs.readFileSync(path.join(out, f)).equals(fs.readFileSync(path.join(threaded, f))));
    expect(differ).toEqual([]);
  });

  it('writes uploaded files, a nameless one under its type, and links them', () => {
    const e2015 = fs.readFileSync(path.join(out, 'netconf/2015/index.html'), 'utf8');
    const photo = linksOf(e2015).find((l) => l.endsWith('team%20photo.png'));
    expect(photo).toMatch(/^\.\.\/\.\.\/files\/[0-9a-f]{64}\/team%20photo\.png$/);
    const logo = linksOf(fs.readFileSync(path.join(out, 'netconf/2014/index.html'), 'utf8')).find((l) => /files\/[0-9a-f]{64}\.png$/.test(l));
    expect(logo).toMatch(/^\.\.\/\.\.\/files\/[0-9a-f]{64}\.png$/);
    expect(fs.readFileSync(path.join(out, 'netconf/2014', logo!)).subarray(1, 4).toString()).toBe('PNG');
  });

  it('leaves a link to a stored file by a name no file has to the running site, writing nothing for it', async () => {
    const e2015 = fs.readFileSync(path.join(out, 'netconf/2015/index.html'), 'utf8');
    const photo = /files\/([0-9a-f]{64})\/team%20photo\.png/.exec(e2015)![1]!;
    const odd = linksOf(e2015).filter((l) => l.includes(`${photo}/`) && !l.endsWith('team%20photo.png'));
    expect(odd).toEqual(['.', '%2E', '%2E%2E', '..%2F..%2Fescape', '%2Fescape'].map((n) => `${BASE_URL}/files/${photo}/${n}`));
    expect(fs.readdirSync(path.join(out, 'files', photo))).toEqual(['team photo.png']);
    expect(allFiles(out).filter((f) => f.endsWith('.tmp') || f.includes('escape'))).toEqual([]);
    // Nor does the app serve the file by such a name.
    expect((await app.inject(`/files/${photo}/%2E`)).statusCode).toBe(404);
    const other = await app.inject(`/files/${photo}/x.png`);
    expect([other.statusCode, other.headers.location]).toEqual([301, `/files/${photo}/team%20photo.png`]);
  });

  it('writes no private page and no private string anywhere', () => {
    const files = allFiles(out);
    expect(files.filter((f) => /^(admin|signin|signout|invitation)\b/.test(f) || f.startsWith('search.json'))).toEqual([]);
    const search = fs.readFileSync(path.join(out, 'search/index.html'), 'utf8');
    expect(search).toContain(`searching it needs the conclave server it was copied from, at <a href="${BASE_URL}/search/">`);
    const leaks: string[] = [];
    for (const f of files) {
      const text = fs.readFileSync(path.join(out, f)).toString('latin1');
      // An iCalendar line is folded at 75 octets: unfolded, a folded address would show.
      const unfolded = text.replace(/\r?\n[ \t]/g, '');
      for (const [what, s] of Object.entries(PRIVATE)) if (unfolded.includes(s) || unfolded.includes(Buffer.from(s).toString('latin1'))) leaks.push(`${what} in ${f}`);
    }
    expect(leaks).toEqual([]);
    // The planted rows are there for the app's own private pages (the test plants what it thinks).
    expect(fs.readFileSync(path.join(out, 'exptest/2027/index.html'), 'utf8')).toContain('Planned');
  });

  it('writes nothing the second time, and after a change only the files that show it', async () => {
    const again = await run();
    expect({ written: again.written, removed: again.removed, brokenLinks: again.brokenLinks }).toEqual({ written: 0, removed: 0, brokenLinks: [] });
    expect(again.unchanged).toBe(first.files);

    await handle.db.updateTable('editions').set({ title: 'Netconf 2011, retitled' }).where('year', '=', 2011).execute();
    const changed = await run();
    expect(changed.changed).toContain('netconf/2011/index.html');
    expect(changed.changed).toContain('netconf/2011/edition.json');
    expect(changed.changed).toContain('index.html');
    expect(changed.changed).not.toContain('netconf/2014/index.html');
    expect(changed.changed).not.toContain('netconf/2015/schedule.xml');
    expect(changed.changed).not.toContain('static/style.css');
    expect(changed.written).toBe(changed.changed.length);
    expect(changed.written).toBeLessThan(first.files / 2);
    expect(fs.readFileSync(path.join(out, 'netconf/2011/index.html'), 'utf8')).toContain('Netconf 2011, retitled');
  });

  it('removes the files of a page that is gone, and records what it wrote', async () => {
    await handle.db.updateTable('series').set({ slug: 'exprenamed' }).where('slug', '=', 'exptest').execute();
    const r = await run();
    expect(r.removed).toBeGreaterThanOrEqual(6);
    expect(fs.existsSync(path.join(out, 'exptest'))).toBe(false);
    expect(fs.existsSync(path.join(out, 'exprenamed/2026/index.html'))).toBe(true);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, MANIFEST), 'utf8')) as { files: string[] };
    expect(manifest.files.sort()).toEqual(allFiles(out).filter((f) => f !== MANIFEST).sort());
  });

  it('refuses a number of threads that is not one, touching nothing', async () => {
    const other = path.join(path.dirname(out), 'site-bad-threads');
    for (const threads of [-1, 1.5, 65]) {
      await expect(exportSite({ db: handle.db, filesDir }, { outDir: other, baseUrl: BASE_URL, threads })).rejects.toThrow(/must be a whole number from 0 to 64/);
    }
    expect(fs.existsSync(other)).toBe(false);
  });

  it('refuses a directory that holds something else', async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-export-other-'));
    fs.writeFileSync(path.join(other, 'notes.txt'), 'mine');
    await expect(exportSite({ db: handle.db, filesDir }, { outDir: other, baseUrl: BASE_URL })).rejects.toThrow(/not empty and holds no previous export/);
    expect(fs.readdirSync(other)).toEqual(['notes.txt']);
  });

  it('writes a 2015 schedule.xml valid against the C3VOC schema', async () => {
    const xml = fs.readFileSync(path.join(out, 'netconf/2015/schedule.xml'), 'utf8');
    expect(xml).toContain('<schedule');
    if (!schemasPresent()) return;
    const verdict = await xmllint(xml, XSD);
    expect(verdict.output).not.toMatch(/fails to validate/);
    expect(verdict.ok).toBe(true);
  });
});

/**
 * The last guard: a page that shows an address kept private stops the export, whether the main
 * thread or a worker wrote it, and a directory that was empty is left empty.
 */
describe.each(testDatabases())('static export guard on $name', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
    await importPages({ db: handle.db }, bundledPages());
    const e2015 = await handle.db.selectFrom('editions').select('id').where('year', '=', 2015).executeTakeFirstOrThrow();
    const someone = await handle.db.selectFrom('people').select('id').orderBy('id').executeTakeFirstOrThrow();
    await handle.db.insertInto('committee_accounts').values({ person_id: someone.id, email: PRIVATE.accountAddress }).execute();
    // A talk title that shows it, as a careless edit might.
    const slot = await handle.db.selectFrom('slots').innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id').select('slots.id').where('agenda_days.edition_id', '=', e2015.id).where('slots.kind', '=', 'talk').orderBy('slots.id').executeTakeFirstOrThrow();
    await handle.db.updateTable('slots').set({ title: `Mail ${PRIVATE.accountAddress.toUpperCase()} about it` }).where('id', '=', slot.id).execute();
  });
  afterAll(async () => {
    await handle?.close();
  });

  it.each([0, 2])('refuses to export with %i worker threads, leaving the new directory empty', async (threads) => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-export-guard-')), 'site');
    await expect(exportSite({ db: handle.db }, { outDir: out, baseUrl: BASE_URL, threads })).rejects.toThrow(
      /^refusing to export \/\S+: it shows an address that is not public$/,
    );
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it('stops every page in flight when one is refused, and says why', async () => {
    // Refused early in the crawl (an edition's intro), while other pages are still being fetched.
    await handle.db.updateTable('editions').set({ intro: JSON.stringify([`Questions? Write to ${PRIVATE.accountAddress}.`]) }).where('year', '=', 2004).execute();
    for (const threads of [0, 2]) {
      const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-export-guard-')), 'site');
      await expect(exportSite({ db: handle.db }, { outDir: out, baseUrl: BASE_URL, threads })).rejects.toThrow(/^refusing to export \/\S+: it shows an address that is not public$/);
      expect(fs.readdirSync(out)).toEqual([]);
    }
  });
});

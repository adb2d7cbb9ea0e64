/**
 * feed.atom through the app: well-formed (xmllint), one entry per edition and one per public
 * schedule announcement, none from a planned edition's changelog.
 */
import type { FastifyInstance } from 'fastify';
import { DomUtils, parseDocument } from 'htmlparser2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { bundledPages } from '../../src/domain/archive/bundled.js';
import { importPages } from '../../src/domain/archive/import-pages.js';
import { loadEdition } from '../../src/domain/editions/load-edition.js';
import { updateEdition } from '../../src/domain/editions/edit-edition.js';
import { buildApp } from '../../src/web/app.js';
import { COMMITTEE, makeDeps } from '../invitations/fixtures.js';
import { testDatabases } from '../support/db.js';
import { BASE_URL, SEED_YEARS, SERIES, makeEdition, xmllint } from './fixtures.js';

interface FeedEntry {
  id: string;
  title: string;
  href: string;
  updated: string;
  published: string;
  summary: string;
}

function entries(xml: string): { title: string; entries: FeedEntry[] } {
  const doc = parseDocument(xml, { xmlMode: true });
  const feed = DomUtils.getElementsByTagName('feed', doc)[0]!;
  // Children only: an entry's <title> is not the feed's.
  const child = (el: typeof feed, tag: string) => DomUtils.getElementsByTagName(tag, el.children, false);
  const text = (el: typeof feed, tag: string) => DomUtils.textContent(child(el, tag)[0] ?? []);
  return {
    title: text(feed, 'title'),
    entries: child(feed, 'entry').map((e) => ({
      id: text(e, 'id'),
      title: text(e, 'title'),
      href: DomUtils.getAttributeValue(child(e, 'link')[0]!, 'href') ?? '',
      updated: text(e, 'updated'),
      published: text(e, 'published'),
      summary: text(e, 'summary'),
    })),
  };
}

describe.each(testDatabases())('Atom feed on $name', ({ open }) => {
  let handle: Db;
  let app: FastifyInstance;

  beforeAll(async () => {
    handle = await open();
    await importPages({ db: handle.db }, bundledPages());
    const made = await makeEdition(handle.db, { year: 2027, status: 'tentative' });
    const planned = await makeEdition(handle.db, { year: 2028, status: 'planned' });
    await handle.db
      .insertInto('schedule_changes')
      .values([
        { edition_id: made.editionId, actor: 'test', kind: 'move', summary: '“A <b> & c” moved from Sat 10:00 to Sun 14:00', created_at: '2027-02-01T10:00:00Z' },
        { edition_id: planned.editionId, actor: 'test', kind: 'add', summary: 'Secret draft slot added', created_at: '2027-02-02T10:00:00Z' },
      ])
      .execute();
    app = await buildApp({ db: handle.db, mail: { baseUrl: BASE_URL, from: 'x@example.org' } });
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  it('is well-formed Atom, served as application/atom+xml', async () => {
    const res = await app.inject('/feed.atom');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    const verdict = await xmllint(res.body);
    expect(verdict.ok, verdict.output).toBe(true);
    expect(res.body).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    expect(res.body).toContain(`<link rel="self" type="application/atom+xml" href="${BASE_URL}/feed.atom"/>`);
  });

  it('has an entry per edition and per public announcement, newest first', async () => {
    const feed = entries((await app.inject('/feed.atom')).body);
    const editionLinks = feed.entries.filter((e) => !e.href.endsWith('/changes/')).map((e) => e.href);
    expect(editionLinks.sort()).toEqual(
      [...SEED_YEARS.map((y) => `${BASE_URL}/netconf/${y}/`), `${BASE_URL}/${SERIES}/2027/`, `${BASE_URL}/${SERIES}/2028/`].sort(),
    );
    const announcements = feed.entries.filter((e) => e.href.endsWith('/changes/'));
    expect(announcements).toHaveLength(1);
    expect(announcements[0]).toMatchObject({
      title: 'Exptest 2027: “A <b> & c” moved from Sat 10:00 to Sun 14:00',
      href: `${BASE_URL}/${SERIES}/2027/changes/`,
      updated: '2027-02-01T10:00:00.000Z',
    });
    expect(JSON.stringify(feed)).not.toContain('Secret draft');
    expect(feed.entries.find((e) => e.href.endsWith('/2028/'))!.summary).toContain('Planned');
    const times = feed.entries.map((e) => e.updated);
    expect([...times].sort().reverse()).toEqual(times);
    expect(new Set(feed.entries.map((e) => e.id)).size).toBe(feed.entries.length);
    expect(feed.entries.every((e) => /^urn:uuid:[0-9a-f-]{36}$/.test(e.id))).toBe(true);
  });

  it('gives an edition’s own dates, not an imported page’s words for dates since changed', async () => {
    const e = await makeEdition(handle.db, { year: 2147, status: 'planned' });
    // Imported as "March 27-28, 2027", then moved a week on.
    await handle.db.updateTable('editions').set({ start_date: '2027-04-03', end_date: '2027-04-04' }).where('id', '=', e.editionId).execute();
    const fresh = await makeEdition(handle.db, { year: 2148, status: 'planned' });
    await handle.db.updateTable('editions').set({ dates_text: null }).where('id', '=', fresh.editionId).execute();
    const feed = entries((await app.inject('/feed.atom')).body);
    expect(feed.entries.find((x) => x.href === `${BASE_URL}/${SERIES}/2147/`)!.summary).toBe('April 3–4, 2027. Berlin, Germany. Planned');
    expect(feed.entries.find((x) => x.href === `${BASE_URL}/${SERIES}/2148/`)!.summary).toBe('March 27–28, 2027. Berlin, Germany. Planned');
  });

  it('dates an imported edition’s entry by the edition, not by its import, until it changes', async () => {
    const imported = async () => new Map(entries((await app.inject('/feed.atom')).body).entries.map((e) => [e.href, e]));
    const before = await imported();
    for (const y of SEED_YEARS) {
      const e = await loadEdition({ db: handle.db }, 'netconf', y);
      const entry = before.get(`${BASE_URL}/netconf/${y}/`)!;
      expect(entry.published, String(y)).toBe(`${e.dates.start ?? `${y}-01-01`}T00:00:00.000Z`);
      expect(entry.updated, String(y)).toBe(entry.published);
    }
    expect(before.get(`${BASE_URL}/netconf/2004/`)!.published).toBe('2004-07-14T00:00:00.000Z');
    // The same pages imported again change nothing; an edit of the edition in conclave does.
    await importPages({ db: handle.db }, bundledPages());
    expect(await imported()).toEqual(before);
    const editedFrom = Date.now();
    await updateEdition(makeDeps(handle.db), COMMITTEE, { series: 'netconf', year: 2011, fields: { subtitle: 'Edited in conclave' } });
    const after = await imported();
    const edited = after.get(`${BASE_URL}/netconf/2011/`)!;
    expect(edited.published).toBe(before.get(`${BASE_URL}/netconf/2011/`)!.published);
    expect(new Date(edited.updated).getTime()).toBeGreaterThanOrEqual(editedFrom - 1000);
    expect(after.get(`${BASE_URL}/netconf/2004/`)).toEqual(before.get(`${BASE_URL}/netconf/2004/`));
    const verdict = await xmllint((await app.inject('/feed.atom')).body);
    expect(verdict.ok, verdict.output).toBe(true);
  });

  it('keeps each edition’s entry id across a re-import', async () => {
    const ids = async () => new Map(entries((await app.inject('/feed.atom')).body).entries.map((e) => [e.href, e.id]));
    const before = await ids();
    await importPages({ db: handle.db }, bundledPages());
    const after = await ids();
    for (const y of SEED_YEARS) expect(after.get(`${BASE_URL}/netconf/${y}/`)).toBe(before.get(`${BASE_URL}/netconf/${y}/`));
  });
});

/**
 * A name with no Latin transliteration ("王小明", "김철수") gives a new person a slug of its own
 * letters, not "person-2": the page is served at its percent-encoded address, every link to it is
 * percent-encoded, and the static export writes it under its UTF-8 name. A slug of anything but
 * letters, digits and "-" is still no person's address.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { importPages } from '../../src/domain/archive/import-pages.js';
import { Resolver, slugOfName } from '../../src/domain/people/identity.js';
import { mergedAlreadySentence, type PersonRecord } from '../../src/domain/people/merge.js';
import { exportSite } from '../../src/export/static-site.js';
import { isExported } from '../../src/export/site-paths.js';
import { buildApp } from '../../src/web/app.js';
import { PeoplePage as AdminPeoplePage } from '../../src/web/views/admin/people.js';
import { InvitationsPage } from '../../src/web/views/admin/invitations.js';
import type { Pipeline } from '../../src/domain/invitations/pipeline.js';
import { INVITATION_STATES, type InvitationState } from '../../src/domain/invitations/states.js';
import { testDatabases } from '../support/db.js';

const WANG = '王小明';
/** WANG as a link writes it. */
const WANG_URL = '%E7%8E%8B%E5%B0%8F%E6%98%8E';

const PAGE = `<h2>Netconf 2009</h2>
<ul><li>Location : Seoul</li><li>Date : July 18, 2009</li></ul>
<p>July 18th:</p>
<table>
<tr><td>Time</td><td>Speaker</td><td>Topics</td></tr>
<tr><td>10:00am</td><td>王小明</td><td>Netdev state</td></tr>
<tr><td>11:00am</td><td>김철수 Kim</td><td>Offloads</td></tr>
<tr><td>12:00pm</td><td>Борис Петров</td><td>XDP</td></tr>
</table>
`;

describe('a slug of a name with no Latin transliteration', () => {
  it('is the name\'s own letters, lower case, NFC, words joined by "-"; a Latin name keeps its slug', () => {
    expect(slugOfName('王小明')).toBe('王小明');
    expect(slugOfName('王 小明')).toBe('王-小明');
    // Mixed: each word as far as it transliterates, in its own letters where it does not.
    expect(slugOfName('김철수 Kim')).toBe('김철수-kim');
    expect(slugOfName('Kim 김철수')).toBe('kim-김철수');
    expect(slugOfName('Ann 王 (王小明)')).toBe('ann-王-王小明');
    // A vowel sign or virama is part of its letter: kept.
    expect(slugOfName('राम शर्मा')).toBe('राम-शर्मा');
    // NFD in, NFC out.
    expect(slugOfName('\u1100\u1161 Kim')).toBe('\uac00-kim');
    // What transliterates keeps the slug it always had.
    expect(slugOfName('Δημήτρης')).toBe('dimitris');
    expect(slugOfName('Борис')).toBe('boris');
    expect(slugOfName('Ævar Arnfjörð Bjarmason')).toBe('a-evar-arnfjoerd-bjarmason');
    expect(slugOfName("O'Brien")).toBe('o-brien');
    expect(slugOfName('Bob 🙂')).toBe('bob');
    expect(slugOfName('🙂 ---')).toBe('');
    // A file name is at most 255 bytes: cut at 120, between characters.
    const long = slugOfName('王'.repeat(100));
    expect(long).toBe('王'.repeat(40));
    expect(slugOfName(`${'王'.repeat(39)} 小明`)).toBe(`${'王'.repeat(39)}`);
  });
});

describe.each(testDatabases())('people with names in their own script on $name', ({ open }) => {
  let handle: Db;
  let app: FastifyInstance;
  let tmp: string;
  beforeAll(async () => {
    handle = await open();
    await importPages({ db: handle.db }, [{ file: 'netconf-2009.html', content: Buffer.from(PAGE, 'utf8') }]);
    app = await buildApp({ db: handle.db, clock: () => new Date('2026-11-22T12:00:00Z') });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-slugs-'));
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('gives a new person the slug of their name, a second of that name the next number', async () => {
    const slugs = await handle.db.selectFrom('people').select(['name', 'slug']).execute();
    expect(slugs.sort((a, b) => a.slug.localeCompare(b.slug))).toEqual([
      { name: 'Борис Петров', slug: 'boris-petrov' },
      { name: '김철수 Kim', slug: '김철수-kim' },
      { name: '王小明', slug: WANG },
    ]);
    const ids = await handle.db.transaction().execute(async (trx) => {
      const r = await Resolver.load(trx);
      const id = await r.resolve('王小明', undefined, 'new');
      const slug = r.shown(id)!.slug;
      await trx.deleteFrom('people').where('id', '=', id).execute();
      return slug;
    });
    expect(ids).toBe(`${WANG}-2`);
  });

  it('serves the page at its percent-encoded address, and links it so', async () => {
    const page = await app.inject(`/people/${WANG_URL}/`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<h1>${WANG}</h1>`);
    expect(page.body).toContain(`href="/people/${WANG_URL}/person.json"`);
    const json = await app.inject(`/people/${WANG_URL}/person.json`);
    expect([json.statusCode, (json.json() as { slug: string }).slug]).toEqual([200, WANG]);
    // Without the slash, to the page's address, percent-encoded.
    const bare = await app.inject(`/people/${WANG_URL}`);
    expect([bare.statusCode, bare.headers.location]).toEqual([301, `/people/${WANG_URL}/`]);
    const people = await app.inject('/people/');
    expect(people.body).toContain(`href="/people/${WANG_URL}/"`);
    expect(people.body).toContain(`href="/people/${encodeURIComponent('김철수-kim')}/"`);
    const edition = await app.inject('/netconf/2009/');
    expect(edition.body).toContain(`href="/people/${WANG_URL}/"`);
    expect(edition.body).not.toContain(`href="/people/${WANG}/"`);
  });

  it('finds the person by their name in a search, linking their page', async () => {
    const res = await app.inject(`/search/?q=${encodeURIComponent(WANG)}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`href="/people/${WANG_URL}/"`);
  });

  it('is no address for a slug holding anything but letters, digits and "-"', async () => {
    for (const bad of ['王.小明', '王%2F小明', '王%20小明', '王%25', '%E2%80%AE王', '王小明%00']) {
      const res = await app.inject(`/people/${bad}/`);
      expect(res.statusCode, bad).toBe(404);
    }
    expect(isExported(`/people/${WANG_URL}/`)).toBe(true);
    expect(isExported(`/people/${WANG_URL}/person.json`)).toBe(true);
    for (const bad of ['%E7%8E%8B.x', '%E7%8E%8B%2Fx', '%E7%8E%8B%20x', '%25', '%E2%80%AEx', '%FF', 'David-S-Miller']) {
      expect(isExported(`/people/${bad}/`), bad).toBe(false);
    }
  });

  it('exports the page under its UTF-8 name, linked percent-encoded', async () => {
    const out = path.join(tmp, 'site');
    const r = await exportSite({ db: handle.db, filesDir: path.join(tmp, 'files'), clock: () => new Date('2026-11-22T12:00:00Z') }, { outDir: out, baseUrl: 'https://netconf.example.org' });
    expect(r.brokenLinks).toEqual([]);
    expect(fs.readFileSync(path.join(out, 'people', WANG, 'index.html'), 'utf8')).toContain(`<h1>${WANG}</h1>`);
    expect(fs.existsSync(path.join(out, 'people', WANG, 'person.json'))).toBe(true);
    expect(fs.existsSync(path.join(out, 'people', '김철수-kim', 'index.html'))).toBe(true);
    const index = fs.readFileSync(path.join(out, 'people', 'index.html'), 'utf8');
    expect(index).toMatch(new RegExp(`href="${WANG_URL}/(index\\.html)?"`));
  });
});

describe('links to a person page', () => {
  it('are percent-encoded in the committee\'s people and invitations pages', async () => {
    const record: PersonRecord = { slug: WANG, name: WANG, otherNames: [], addresses: [], oldSlugs: [], editions: [] };
    const account = { accountId: 1, email: 'c@example.org', name: 'C' };
    const people = String(await AdminPeoplePage({ account, csrf: 'x', people: [record], errors: {}, values: {} }));
    expect(people).toContain(`<a href="/people/${WANG_URL}/">${WANG}</a>`);
    const counts = Object.fromEntries(INVITATION_STATES.map((s) => [s, 0])) as Record<InvitationState, number>;
    const row = { id: 2, personSlug: WANG, hasPage: true, name: WANG, email: 'wang@example.org', state: 'accepted' as InvitationState, since: new Date('2100-01-02T03:04:00Z'), answerBy: '2100-03-01', waitlistRank: null, remindersSent: 0, promoted: false, heldIn: null, source: 'manual' as const, evidence: null, note: null };
    const pipeline: Pipeline = { editionId: 1, title: 'Netconf 2100', counts, cap: 15, accepted: 1, rows: [row] };
    const invitations = String(await InvitationsPage({ account, csrf: 'x', pipeline, base: '/admin/editions/netconf/2100/invitations', errors: {}, values: {} }));
    expect(invitations).toContain(`<a href="/people/${WANG_URL}/" id="invitation-2-name">${WANG}</a>`);
    expect(mergedAlreadySentence(WANG, { slug: 'wang', name: 'Wang' })).toContain(`/people/${WANG_URL}/ leads to them`);
  });
});

/**
 * An edition's admin pages link to each other and to its public page: a member reading its
 * invitations reaches its topics or schedule in one step, in lynx too, instead of going back to
 * the editions list for every page. The page shown is named, not linked. And no two links of an
 * admin page read alike in lynx yet go to different places, but the editions list's "Edit",
 * "Invitations" … each on its edition's row. Rendering is the subject, not the database:
 * embedded PGlite only.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/connect.js';
import { addCommitteeMember } from '../src/domain/committee/accounts.js';
import { createSigninLink } from '../src/domain/committee/signin.js';
import { buildApp } from '../src/web/app.js';
import { freshPglite } from './support/db.js';
import { Client } from './support/http.js';
import { accessibleNames, hasChromium, launchChromium } from './support/browser.js';
import { hasLynx, lynxDump } from './support/lynx.js';
import { makeDeps, makeEdition } from './invitations/fixtures.js';

const PAGES: [string, string][] = [
  ['', 'Edit'],
  ['/invitations', 'Invitations'],
  ['/templates', 'Mail templates'],
  ['/topics', 'Topics'],
  ['/schedule', 'Schedule'],
  ['/materials', 'Materials'],
];

describe('the links between an edition’s admin pages', () => {
  let handle: Db;
  let app: FastifyInstance;
  let committee: Client;
  let year: number;

  beforeAll(async () => {
    handle = await freshPglite();
    const deps = makeDeps(handle.db, new Date().toISOString());
    await addCommitteeMember(deps, { accountId: null, label: 'test' }, { email: 'chair@example.org', name: 'Pat Chair' });
    const editionId = await makeEdition(handle.db, { start_date: '2999-05-11', end_date: '2999-05-13', answer_by: '2999-04-10' });
    year = (await handle.db.selectFrom('editions').select('year').where('id', '=', editionId).executeTakeFirstOrThrow()).year;
    // A second edition, far from the first's next year (a missing one below): two rows in the editions list.
    await makeEdition(handle.db, { year: 2990, title: 'Netconf 2990', start_date: '2990-05-11', end_date: '2990-05-13', answer_by: '2990-04-10' });
    // And 2991 twice, in two series: their Manage links are named by title, not by year alone.
    await makeEdition(handle.db, { year: 2991, title: 'Netconf 2991', start_date: '2991-05-11', end_date: '2991-05-13', answer_by: '2991-04-10' });
    const other = await handle.db.insertInto('series').values({ slug: 'bpf', name: 'BPF Summit' }).returning('id').executeTakeFirstOrThrow();
    await makeEdition(handle.db, { series_id: other.id, year: 2991, title: 'BPF Summit 2991', start_date: '2991-06-11', end_date: '2991-06-13', answer_by: '2991-05-10' });
    app = await buildApp({ db: handle.db, clock: deps.clock, mail: deps.mail, limits: { signin: 1000, invitation: 1000 } });
    committee = new Client(app);
    const link = await createSigninLink(deps, { email: 'chair@example.org' });
    const signin = new URL(link!.link).pathname;
    expect((await committee.submit(signin, signin, {})).statusCode).toBe(303);
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  it('links each page to the other five and the public page, naming itself', async () => {
    const root = `/admin/editions/invtest/${year}`;
    for (const [suffix, label] of PAGES) {
      const res = await committee.get(root + suffix);
      expect(res.statusCode, label).toBe(200);
      const nav = /<nav aria-label="This edition"[^]*?<\/nav>/.exec(res.body)?.[0] ?? '';
      expect(nav, label).toContain(`<strong aria-current="page">${label}</strong>`);
      expect(nav, label).not.toContain(`href="${root + suffix}"`);
      for (const [other, otherLabel] of PAGES.filter(([s]) => s !== suffix)) expect(nav, label).toContain(`<a href="${root + other}">${otherLabel}</a>`);
      expect(nav, label).toContain(`<a href="/invtest/${year}/">Public page</a>`);
    }
  });

  it('leaves them off pages of no one edition', async () => {
    for (const path of ['/admin/', '/admin/editions/new', '/admin/committee']) {
      const res = await committee.get(path);
      expect(res.statusCode, path).toBe(200);
      expect(res.body, path).not.toContain('aria-label="This edition"');
    }
  });

  it('names the edition that is missing on each of its pages, as a 404', async () => {
    for (const missing of [year + 1, 9999]) {
      for (const [suffix, label] of PAGES) {
        const res = await committee.get(`/admin/editions/invtest/${missing}${suffix}`);
        expect(res.statusCode, `${missing} ${label}`).toBe(404);
        expect(res.body, `${missing} ${label}`).toContain(`no edition ${missing} of invtest`);
        expect(res.body, `${missing} ${label}`).not.toContain('There is no page');
      }
    }
  });

  it.runIf(hasLynx)('reads as one line in lynx', async () => {
    const res = await committee.get(`/admin/editions/invtest/${year}/topics`);
    const text = lynxDump(res.body, { width: 200, list: false });
    expect(text).toContain('This edition: Edit · Invitations · Mail templates · Topics · Schedule · Materials · Public page');
  });

  it.runIf(hasLynx)('gives no two links of an admin page the same words for different places, in lynx', async () => {
    // The site header's "Editions" (the public archive) and the admin menu's (the editions list)
    // read alike in lynx's list of links, one above the other on every admin page. The editions
    // list's "Edit", "Invitations" … of each edition read alike too, but each on its edition's row,
    // after its title (below, and named for a screen reader by it, in Chromium).
    const root = `/admin/editions/invtest/${year}`;
    const paths = ['/admin/', '/admin/editions/new', '/admin/committee', '/admin/mail', '/admin/mailbox', '/admin/inbound', '/admin/audit', ...PAGES.map(([suffix]) => root + suffix)];
    for (const path of paths) {
      const res = await committee.get(path);
      expect(res.statusCode, path).toBe(200);
      // Wide enough that no line wraps: a link's words run from its "[n]" to the next link or the
      // line's end. The list of links follows the last "References" (an edition's form has its own).
      const text = lynxDump(res.body, { width: 1000 });
      const at = text.lastIndexOf('\nReferences\n');
      const target = new Map([...text.slice(at).matchAll(/^ *(\d+)\. (.*)$/gm)].map((m) => [m[1]!, m[2]!]));
      const places = new Map<string, Set<string>>();
      for (const [, n, words] of text.slice(0, at).matchAll(/\[(\d+)\]([^[\n]*)/g)) {
        const name = words!.replace(/[\s·]+$/, '');
        places.set(name, (places.get(name) ?? new Set()).add(target.get(n!)!));
      }
      expect(places.get('Editions'), path).toEqual(new Set(['file:///']));
      expect(places.get('Manage editions'), path).toEqual(new Set(['file:///admin/']));
      const manage = path === '/admin/' ? PAGES.map(([, label]) => label) : [];
      expect([...places].filter(([name, to]) => to.size > 1 && !manage.includes(name)), path).toEqual([]);
    }
  });

  it.runIf(hasLynx)('reads each edition’s title once on its row of the editions list, its pages after it', async () => {
    // Each of the row's six links ended with the year or title, out of sight in Chromium but read
    // by lynx, which has no style sheet: "Edit: 2990 · Invitations: 2990 · Mail templates: 2990 …".
    const text = lynxDump((await committee.get('/admin/')).body, { width: 1000, list: false });
    for (const title of ['Netconf 2990', 'Netconf 2991', 'BPF Summit 2991']) {
      const row = text.split('\n').find((l) => l.includes(title)) ?? '';
      expect(row, title).toMatch(/ Edit · Invitations · Mail templates · Topics · Schedule · Materials$/);
      expect(text.split(title), title).toHaveLength(2);
    }
    expect(text).not.toMatch(/Edit: |Invitations: /);
  });

  it.runIf(hasChromium())('names each edition’s links on the editions list by its title, to a screen reader (Chromium)', async () => {
    const browser = await launchChromium();
    try {
      const names = await accessibleNames(browser, (await committee.get('/admin/')).body, 'link');
      const manage = names.filter((n) => /^(Edit|Invitations|Mail templates|Topics|Schedule|Materials) /.test(n));
      expect(new Set(manage).size).toBe(manage.length);
      for (const title of ['Netconf 2990', 'Netconf 2991', 'BPF Summit 2991']) {
        for (const [, label] of PAGES) expect(manage, title).toContain(`${label} ${title}`);
      }
    } finally {
      await browser.close();
    }
  });
});

/**
 * The committee's pages on a 375 px phone: none runs past the window (the whole page scrolling
 * sideways). The schedule builder did by some pixels: its "Slot … goes …" menus are as wide as
 * their longest option, a slot's time and title cut at 56 characters. A table may be wider than
 * the phone: it scrolls in its wrapper, not the page.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { addCommitteeMember } from '../../src/domain/committee/accounts.js';
import { createSigninLink } from '../../src/domain/committee/signin.js';
import { acceptInvitation } from '../../src/domain/invitations/rsvp.js';
import { addSlot } from '../../src/domain/program/schedule-edit.js';
import { decideTopic, proposeTopic } from '../../src/domain/program/topics.js';
import { buildApp } from '../../src/web/app.js';
import { COMMITTEE, inviteGuests, makeDeps, makeEdition } from '../invitations/fixtures.js';
import { hasChromium, launchChromium } from '../support/browser.js';
import { freshPglite } from '../support/db.js';

// Long enough that the builder's menus of slots cut it (OPTION_MAX), in words as a title has them.
const TITLE = 'Page pool recycling, memory providers and what comes after them';

describe.runIf(hasChromium())('the committee’s pages on a phone in Chromium', () => {
  let handle: Db;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let edition: string;
  let deps: ReturnType<typeof makeDeps>;

  beforeAll(async () => {
    handle = await freshPglite();
    deps = makeDeps(handle.db, new Date().toISOString());
    const editionId = await makeEdition(handle.db, { start_date: '2999-05-12', end_date: '2999-05-13', answer_by: '2999-04-10' });
    const year = (await handle.db.selectFrom('editions').select('year').where('id', '=', editionId).executeTakeFirstOrThrow()).year;
    const ref = { series: 'invtest', year };
    edition = `/admin/editions/invtest/${year}`;
    const invited = await inviteGuests(deps, editionId, 3);
    for (const s of invited.slice(0, 2)) await acceptInvitation(deps, { token: s.token });
    const [ada, bob] = (await handle.db.selectFrom('people').select('id').orderBy('id').execute()).map((p) => p.id);
    const topic = await proposeTopic(deps, COMMITTEE, { editionId, proposerId: ada!, title: TITLE, abstract: 'Some *words*.', wishedMinutes: '40', coPresenterIds: [String(bob)] }, 'committee');
    await decideTopic(deps, COMMITTEE, { topicId: topic.id, decision: 'accept', comment: '' });
    await addSlot(deps, COMMITTEE, ref, { date: '2999-05-12', start: '09:30', end: '10:00', kind: 'break', title: 'Coffee' });
    await addSlot(deps, COMMITTEE, ref, { date: '2999-05-12', start: '10:00', end: '10:40', kind: 'talk', title: TITLE, topicId: topic.id, speakerIds: [ada!, bob!], room: 'Main hall' });
    await addSlot(deps, COMMITTEE, ref, { date: '2999-05-13', start: '11:00', end: '11:30', kind: 'talk', title: TITLE.split(' ').reverse().join(' '), speakerIds: [bob!] });
    await addCommitteeMember({ db: handle.db }, { accountId: null, label: 'test' }, { email: 'chair@example.org', name: 'Pat Chair' });
    app = await buildApp({ db: handle.db, clock: deps.clock, mail: deps.mail });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await handle?.close();
  });

  /** How far the page runs past the window's right edge, in CSS pixels (0: not at all). */
  const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

  async function signedIn(javaScriptEnabled: boolean): Promise<Page> {
    const ctx = await browser.newContext({ javaScriptEnabled, viewport: { width: 375, height: 800 } });
    const page = await ctx.newPage();
    const link = await createSigninLink(deps, { email: 'chair@example.org' });
    await page.goto(`${base}${new URL(link!.link).pathname}`);
    await page.getByRole('button', { name: 'Sign in to conclave' }).click();
    await page.waitForURL(`${base}/admin/`);
    return page;
  }

  it('keeps the schedule builder and every other admin page as wide as a 375 px phone', async () => {
    const page = await signedIn(false);
    const paths = ['/admin/', '/admin/committee', '/admin/people', '/admin/mail', '/admin/mailbox', '/admin/inbound', '/admin/audit'];
    for (const suffix of ['', '/invitations', '/templates', '/topics', '/schedule', '/materials']) paths.push(`${edition}${suffix}`);
    const seen: Record<string, number> = {};
    for (const path of paths) {
      const res = await page.goto(`${base}${path}`);
      expect(res!.status(), path).toBe(200);
      seen[path] = await overflow(page);
    }
    expect(seen).toEqual(Object.fromEntries(paths.map((p) => [p, 0])));
    // The builder's menus still offer the slot (cut at a word), and its table is wider than
    // the phone: it scrolls in its wrapper.
    await page.goto(`${base}${edition}/schedule`);
    const options = await page.locator('#place-slot option').allInnerTexts();
    expect(options.filter((o) => /^Sun, May 12 10:00–10:40 Page pool recycling\b.*\.\.\.$/.test(o))).toHaveLength(1);
    const wrap = await page.locator('.table-wrap:has(table.builder)').first().evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(wrap).toBeGreaterThan(0);
    await page.context().close();
  });

  it('breaks no word mid-word in a table cell on a 375 px phone: the table scrolls instead', async () => {
    const page = await signedIn(false);
    // The public agenda too: the edition's own page.
    const paths = ['/admin/people', '/admin/mail', '/admin/audit', edition.replace('/admin/editions', '')];
    for (const suffix of ['', '/invitations', '/topics', '/schedule']) paths.push(`${edition}${suffix}`);
    const broken: Record<string, string[]> = {};
    for (const path of paths) {
      const res = await page.goto(`${base}${path}`);
      expect(res!.status(), path).toBe(200);
      // Every word (not an address: those may wrap) in a cell of a table in its wrapper, laid
      // out on more than one line.
      broken[path] = await page.evaluate(() => {
        const out: string[] = [];
        for (const cell of document.querySelectorAll('.table-wrap td, .table-wrap th')) {
          const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
          for (let n = walk.nextNode(); n; n = walk.nextNode()) {
            for (const m of (n.textContent ?? '').matchAll(/\S+/g)) {
              if (/[/@]/.test(m[0])) continue;
              const r = document.createRange();
              r.setStart(n, m.index!);
              r.setEnd(n, m.index! + m[0].length);
              const tops = new Set([...r.getClientRects()].filter((b) => b.width > 0).map((b) => Math.round(b.top)));
              if (tops.size > 1) out.push(m[0]);
            }
          }
        }
        return out;
      });
    }
    expect(broken).toEqual(Object.fromEntries(paths.map((p) => [p, []])));
    await page.context().close();
  });

  it('keeps the builder as wide as the phone with its drag handles (JavaScript on)', async () => {
    const page = await signedIn(true);
    await page.goto(`${base}${edition}/schedule`);
    await page.locator('.handle.active').first().waitFor();
    expect(await overflow(page)).toBe(0);
    await page.context().close();
  });
});

/**
 * A word longer than the page is wide (a pasted URL, a kernel config symbol run together, a
 * title typed without spaces) wraps where it must: the public page, the edition form and the
 * schedule builder stay as wide as the window, on a laptop and on a phone.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { addCommitteeMember } from '../../src/domain/committee/accounts.js';
import { createSigninLink } from '../../src/domain/committee/signin.js';
import { addSponsor } from '../../src/domain/editions/edition-parts.js';
import { addSlot } from '../../src/domain/program/schedule-edit.js';
import { buildApp } from '../../src/web/app.js';
import { COMMITTEE, makeDeps, makeEdition } from '../invitations/fixtures.js';
import { hasChromium, launchChromium } from '../support/browser.js';
import { freshPglite } from '../support/db.js';

const LONG = `CONFIG_NET_${'SCHED_ACT_'.repeat(7)}MIRRED`;

describe.runIf(hasChromium())('long words in Chromium', () => {
  let handle: Db;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let year: number;
  let deps: ReturnType<typeof makeDeps>;

  beforeAll(async () => {
    handle = await freshPglite();
    deps = makeDeps(handle.db, new Date().toISOString());
    const editionId = await makeEdition(handle.db, { title: `Netconf ${LONG}`, location_text: `Lab ${LONG}`, start_date: '2027-05-12', end_date: '2027-05-13', answer_by: '2027-04-10' });
    year = (await handle.db.selectFrom('editions').select('year').where('id', '=', editionId).executeTakeFirstOrThrow()).year;
    const ref = { series: 'invtest', year };
    await addSlot(deps, COMMITTEE, ref, { date: '2027-05-12', start: '10:00', end: '10:30', kind: 'talk', title: `About ${LONG}`, room: LONG });
    await addSponsor({ db: handle.db, filesDir: '/nonexistent' }, COMMITTEE, ref, { name: LONG, url: `https://example.org/${LONG}` });
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

  it.each([
    ['a laptop', 1000],
    ['a phone', 375],
  ])('keeps every page as wide as the window on %s', async (_, width) => {
    const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width, height: 900 } });
    const page = await ctx.newPage();
    const link = await createSigninLink(deps, { email: 'chair@example.org' });
    await page.goto(`${base}${new URL(link!.link).pathname}`);
    await page.getByRole('button', { name: 'Sign in to conclave' }).click();
    await page.waitForURL(`${base}/admin/`);
    const seen: Record<string, number> = {};
    for (const path of [`/invtest/${year}/`, `/admin/editions/invtest/${year}`, `/admin/editions/invtest/${year}/schedule`]) {
      const res = await page.goto(`${base}${path}`);
      expect(res!.status(), path).toBe(200);
      // The word is on the page, whole in its text (wrapped, not cut).
      expect(await page.locator('main').innerText(), path).toContain(LONG);
      seen[path] = await overflow(page);
    }
    expect(seen).toEqual({ [`/invtest/${year}/`]: 0, [`/admin/editions/invtest/${year}`]: 0, [`/admin/editions/invtest/${year}/schedule`]: 0 });
    await ctx.close();
  });
});

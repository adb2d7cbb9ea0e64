/**
 * The static export opened from disk in real Chromium (file://, no server, no JavaScript): the
 * archive page, an edition reached by its link, its style sheet applied, a person reached from
 * the agenda and back, the schedule files and the search page linked from the edition — every
 * step by following the page's own relative links, as someone who unpacked the tree would.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { bundledPages } from '../../src/domain/archive/bundled.js';
import { importPages } from '../../src/domain/archive/import-pages.js';
import { exportSite } from '../../src/export/static-site.js';
import { hasChromium, launchChromium } from '../support/browser.js';
import { freshPglite } from '../support/db.js';

describe.runIf(hasChromium())('the static export from disk in Chromium', () => {
  let handle: Db;
  let browser: Browser;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-export-e2e-'));
  const out = path.join(work, 'site');

  beforeAll(async () => {
    handle = await freshPglite();
    await importPages({ db: handle.db }, bundledPages());
    await exportSite({ db: handle.db, filesDir: path.join(work, 'files') }, { outDir: out, baseUrl: 'https://netconf.example.org' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await handle?.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('walks from the archive to 2015, a speaker and back by relative links, styled, without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(r.url()));

    const home = pathToFileURL(path.join(out, 'index.html')).href;
    await page.goto(home);
    await page.getByRole('link', { name: /2015/ }).first().click();
    await page.waitForURL(/\/netconf\/2015\/(index\.html)?$/);
    expect(page.url().startsWith('file://')).toBe(true);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/Netconf 2015/);

    // The style sheet came from disk and applies: the page is not in the browser's defaults.
    const sheets = await page.evaluate(() => [...document.styleSheets].map((s) => s.href));
    expect(sheets.some((href) => href?.startsWith('file://'))).toBe(true);
    const style = await page.evaluate(() => ({ font: getComputedStyle(document.documentElement).fontFamily, margin: getComputedStyle(document.body).marginTop }));
    expect(style.font).toMatch(/system-ui/);
    expect(style.margin).toBe('0px');

    // Schedule files and the search page are linked, and each link leads to a file on disk.
    for (const name of [/iCal|\.ics|calendar/i, /XML/i, /JSON/i]) {
      const href = await page.getByRole('link', { name }).first().getAttribute('href');
      expect(href, String(name)).not.toMatch(/^(\/|https?:)/);
      const target = new URL(href!, page.url());
      expect(fs.existsSync(decodeURIComponent(target.pathname)), target.pathname).toBe(true);
    }

    // A speaker of the agenda, then back to the edition from their page.
    const agenda = page.getByRole('table').first();
    const speaker = agenda.locator('a[href*="people/"]').first();
    const name = (await speaker.textContent())!.trim();
    await speaker.click();
    await page.waitForURL(/\/people\/[^/]+\/(index\.html)?$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(name);
    await page.getByRole('link', { name: /2015/ }).first().click();
    await page.waitForURL(/\/netconf\/2015\/(index\.html)?$/);

    expect(failed).toEqual([]);
    await context.close();
  });
});

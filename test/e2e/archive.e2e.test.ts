/**
 * Real Chromium against a real server on 127.0.0.1, as a person would: open the archive, follow
 * 2014, follow a speaker to their page, see their other years. Also: the pages are whole with
 * JavaScript off, and readable in a text browser (lynx) when it is installed.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { bundledPages } from '../../src/domain/archive/bundled.js';
import { importPages } from '../../src/domain/archive/import-pages.js';
import { buildApp } from '../../src/web/app.js';
import { hasChromium, launchChromium } from '../support/browser.js';
import { freshPglite } from '../support/db.js';
import { hasLynx } from '../support/lynx.js';

const execFileAsync = promisify(execFile);

describe.runIf(hasChromium())('archive in Chromium', () => {
  let handle: Db;
  let app: FastifyInstance;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    handle = await freshPglite();
    await importPages({ db: handle.db }, bundledPages());
    app = await buildApp({ db: handle.db });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await handle?.close();
  });

  it('opens the archive, follows 2014, follows a speaker, sees their other years', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    await expect(page.title()).resolves.toMatch(/Netconf/);
    await page.getByRole('link', { name: "Linux Kernel Developers' Netconf 2014" }).click();
    await page.waitForURL(`${base}/netconf/2014/`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe("Linux Kernel Developers' Netconf 2014");
    const agenda = page.getByRole('table');
    await expect(agenda.getByRole('row').count()).resolves.toBe(1 + 13);
    await agenda.getByRole('link', { name: 'Jamal Hadi Salim' }).click();
    await page.waitForURL(`${base}/people/jamal-hadi-salim/`);
    const years = await page.getByRole('heading', { level: 2 }).allTextContents();
    expect(years).toEqual([
      'Over the years',
      "Linux Kernel Developers' Netconf 2015",
      "Linux Kernel Developers' Netconf 2014",
      "Linux Kernel Developers' Netconf 2011",
    ]);
    await page.getByRole('link', { name: "Linux Kernel Developers' Netconf 2011" }).click();
    await page.waitForURL(`${base}/netconf/2011/`);
    await expect(page.getByRole('table').count()).resolves.toBe(2);
    // The separators kept for text browsers are not shown where the table has its columns.
    const row = await page.locator('#at-2011-06-14-1015').innerText();
    expect(row.split('\t').map((c) => c.trim())).toEqual(['10:15', 'Stephen Hemminger', 'Bridging/STP', 'slides (not in the archive)']);
    await page.close();
  });

  it('draws a person\'s chart, an SVG image, at its size', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/people/david-s-miller/`);
    const chart = page.locator('img.timeline-chart');
    await chart.waitFor();
    const drawn = await chart.evaluate((img: HTMLImageElement) => img.decode().then(() => [img.complete, img.naturalWidth > 0, img.getBoundingClientRect().height > 0]));
    expect(drawn).toEqual([true, true, true]);
    await page.close();
  });

  it('writes the chart\'s labels light on a dark page, as the page\'s own text', async () => {
    // An image does not take the page's colour (currentColor is black in it): its labels must
    // follow the reader's dark scheme themselves, or they are black on the dark background.
    const lightPixels = async () => {
      const ctx = await browser.newContext({ colorScheme: 'dark' });
      const page = await ctx.newPage();
      await page.goto(`${base}/people/david-s-miller/`);
      const chart = page.locator('img.timeline-chart');
      await chart.evaluate((img: HTMLImageElement) => img.decode());
      // The labels' column ("Attended", "Spoke", "Committee"), left of the first dot.
      const box = (await chart.boundingBox())!;
      const png = await page.screenshot({ clip: { x: box.x, y: box.y, width: Math.min(80, box.width), height: box.height } });
      await ctx.close();
      const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      let light = 0;
      for (let i = 0; i < data.length; i += info.channels) if (data[i]! > 180 && data[i + 1]! > 180 && data[i + 2]! > 180) light++;
      return { light, all: data.length / info.channels };
    };
    const dark = await lightPixels();
    // A dark page: the background is dark, so light pixels there are the labels' letters.
    expect(dark.light).toBeGreaterThan(50);
    expect(dark.light).toBeLessThan(dark.all / 2);
  });

  it('is whole without JavaScript and lays out on a phone-sized screen', async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 800 } });
    const page = await ctx.newPage();
    await page.goto(`${base}/netconf/2015/`);
    await expect(page.getByRole('table').count()).resolves.toBe(2);
    await expect(page.getByRole('main').count()).resolves.toBe(1);
    await expect(page.getByRole('navigation').count()).resolves.toBe(1);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await ctx.close();
  });

  it('shows each agenda row whole on a phone-sized screen: no cell clipped or off-screen', async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 800 } });
    const page = await ctx.newPage();
    for (const year of [2004, 2011, 2014, 2015]) {
      await page.goto(`${base}/netconf/${year}/`);
      const found = await page.evaluate(() => {
        const wraps = [...document.querySelectorAll('table.agenda')].map((t) => t.closest('.table-wrap')!);
        const cells = [...document.querySelectorAll('table.agenda td')].filter((c) => c.getBoundingClientRect().height > 0);
        return {
          tables: wraps.length,
          scrolling: wraps.filter((w) => w.scrollWidth > w.clientWidth).length,
          cells: cells.length,
          outside: cells.filter((c) => c.getBoundingClientRect().right > window.innerWidth || c.scrollWidth > c.clientWidth).map((c) => c.textContent),
        };
      });
      expect(found.tables, String(year)).toBeGreaterThan(0);
      expect(found.cells, String(year)).toBeGreaterThan(0);
      expect({ year, scrolling: found.scrolling, outside: found.outside }).toEqual({ year, scrolling: 0, outside: [] });
    }
    // A line each, named by the column the hidden header row named ("Speakers: …").
    await page.goto(`${base}/netconf/2011/`);
    const lines = await page.locator('#at-2011-06-14-1015 td').evaluateAll((cells) =>
      cells.map((c) => [getComputedStyle(c, '::before').content, (c as HTMLElement).innerText.trim(), Math.round(c.getBoundingClientRect().left)]),
    );
    const left = lines[0]![2];
    expect(lines).toEqual([
      ['none', '10:15', left],
      ['"Speakers: "', 'Stephen Hemminger', left],
      ['none', 'Bridging/STP', left],
      ['"Materials: "', 'slides (not in the archive)', left],
    ]);
    await ctx.close();
  });

  it.runIf(hasLynx)('reads in lynx -dump', async () => {
    // Asynchronously, over HTTP rather than lynxDump's standard input: the server runs in this
    // very process, and lynx reads the page as a visitor's would, charset and all from the server.
    const r = await execFileAsync('lynx', ['-dump', '-nolist', '-width=100', `${base}/netconf/2004/`], { encoding: 'utf8' });
    expect(r.stdout).toContain("Linux Kernel Developers' Netconf 2004");
    expect(r.stdout).toMatch(/TCPfying the Poor Cousins/);
    expect(r.stdout).toMatch(/Remote DMA and Receive buffering strategies/);
    expect(r.stdout).toContain('davem@redhat.com');
    // At 80 columns lynx cannot lay the agenda out in columns: its cells are kept apart in words.
    const narrow = await execFileAsync('lynx', ['-dump', '-nolist', '-width=80', `${base}/netconf/2011/`], { encoding: 'utf8' });
    expect(narrow.stdout).toContain('10:15 Stephen Hemminger: Bridging/STP — slides (not in the archive)');
    expect(r.stdout).toContain('TCP_OSDL - From DaveM (not in the archive)');
    expect(narrow.stdout).toContain('8:30 BREAKFAST\n');
    // The group photo's caption is a paragraph of its own, not the last line of the intro's.
    const photo = await execFileAsync('lynx', ['-dump', '-nolist', '-width=100', `${base}/netconf/2014/`], { encoding: 'utf8' });
    expect(photo.stdout).toMatch(/bold new ideas are discussed\.\n\n +LKS NetConf '14 Group Photo \(the photo itself is not in the archive\)\n\n/);
  });
});

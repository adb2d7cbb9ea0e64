/**
 * Materials in real Chromium: an accepted invitee who speaks in a slot opens their materials
 * page, chooses a PDF and uploads it (a plain form, no JavaScript); the public edition page links
 * it from the agenda; following the link gives back the same bytes, as a download.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { buildApp } from '../../src/web/app.js';
import { hasChromium, launchChromium } from '../support/browser.js';
import { freshPglite } from '../support/db.js';
import { MINIMAL_PDF, speakerEdition, type SpeakerEdition } from '../program/materials-samples.js';

describe.runIf(hasChromium())('materials in Chromium', () => {
  let handle: Db;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let s: SpeakerEdition;
  const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-materials-e2e-'));

  beforeAll(async () => {
    handle = await freshPglite();
    s = await speakerEdition(handle.db);
    app = await buildApp({ db: handle.db, filesDir, mail: { baseUrl: 'http://127.0.0.1', from: 'Netconf committee <committee@example.org>' } });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await handle?.close();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  it('a speaker uploads slides; the public page links them; the download is byte-identical', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${base}/invitation/${s.ana.token}/materials`);
    await page.getByRole('heading', { name: 'Your slides and materials for Netconf Materials' }).waitFor();
    const upload = page.locator('form[enctype="multipart/form-data"]');
    await upload.getByLabel('For').selectOption({ label: '2027-07-14 10:00: Traffic control' });
    await upload.getByLabel('Kind').selectOption('slides');
    await upload.getByLabel('File').setInputFiles({ name: 'traffic-control.pdf', mimeType: 'application/pdf', buffer: MINIMAL_PDF });
    await upload.getByRole('button', { name: 'Upload' }).click();
    await page.getByRole('status').waitFor();
    expect(await page.getByRole('status').textContent()).toBe('Uploaded traffic-control.pdf.');
    expect(await page.getByRole('link', { name: 'Slides' }).isVisible()).toBe(true);

    await page.goto(`${base}/${s.series}/${s.year}/`);
    const row = page.getByRole('row').filter({ hasText: 'Traffic control' });
    const link = row.getByRole('link', { name: 'PDF' });
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^\/files\/[0-9a-f]{64}\/traffic-control\.pdf$/);

    // Clicking downloads the file (Content-Disposition: attachment) with its name and bytes.
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('traffic-control.pdf');
    const saved = await download.path();
    expect(Buffer.compare(fs.readFileSync(saved), MINIMAL_PDF)).toBe(0);

    const res = await context.request.get(`${base}${href}`);
    expect(res.headers()['content-type']).toBe('application/pdf');
    expect(res.headers()['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(await res.body(), MINIMAL_PDF)).toBe(0);
    await context.close();
  });
});

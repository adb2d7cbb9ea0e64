/**
 * A page the export cannot make (an error where the app would answer 500) stops the export with
 * a message naming the page and why, and leaves a new directory empty: a site whose pages link a
 * file it lacks is not an export. Pages made from the archive (an edition's schedule files) and
 * pages the app answers (the feed) alike. The renderers are made to fail here for one edition.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import type * as StaticSite from '../../src/export/static-site.js';
import { testDatabases } from '../support/db.js';
import { BASE_URL, makeEdition, SERIES } from '../exports/fixtures.js';

const failing = { feed: false };
const MOCKED = ['../../src/domain/exports/schedule-xml.js', '../../src/domain/exports/atom.js'];
let exportSite: typeof StaticSite.exportSite;
let ExportFailed: typeof StaticSite.ExportFailed;

// The test files of a worker share their modules (vitest.config.ts, isolate: false): the export
// and its renderers may have been imported already by another file, so they are imported afresh
// here with the renderers replaced, and the replacements undone for the files after this one.
beforeAll(async () => {
  vi.resetModules();
  vi.doMock('../../src/domain/exports/schedule-xml.js', async (importOriginal) => {
    const real = await importOriginal<typeof import('../../src/domain/exports/schedule-xml.js')>();
    return {
      ...real,
      renderScheduleXml: (...args: Parameters<typeof real.renderScheduleXml>) => {
        if (args[0].edition.year === 2027) throw new Error('the XML renderer broke');
        return real.renderScheduleXml(...args);
      },
    };
  });
  vi.doMock('../../src/domain/exports/atom.js', async (importOriginal) => {
    const real = await importOriginal<typeof import('../../src/domain/exports/atom.js')>();
    return {
      ...real,
      renderAtom: (...args: Parameters<typeof real.renderAtom>) => {
        if (failing.feed) throw new Error('the feed renderer broke');
        return real.renderAtom(...args);
      },
    };
  });
  ({ exportSite, ExportFailed } = await import('../../src/export/static-site.js'));
});
afterAll(() => {
  for (const m of MOCKED) vi.doUnmock(m);
  vi.resetModules();
});

describe.each(testDatabases())('a failing page on $name', ({ open }) => {
  let handle: Db;
  let tmp: string;

  beforeAll(async () => {
    handle = await open();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-export-failure-'));
    await makeEdition(handle.db, { year: 2027, status: 'tentative' });
    await makeEdition(handle.db, { year: 2028, status: 'tentative' });
  });
  afterAll(async () => {
    await handle?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  // In the main thread: the mocks above do not reach worker threads.
  it('stops the export, naming the schedule file and why', async () => {
    const out = path.join(tmp, 'site');
    const run = exportSite({ db: handle.db }, { outDir: out, baseUrl: BASE_URL, threads: 0 });
    await expect(run).rejects.toThrow(ExportFailed);
    await expect(run).rejects.toThrow(`the export stopped: /${SERIES}/2027/schedule.xml could not be made (the XML renderer broke)`);
    expect(fs.existsSync(out) ? fs.readdirSync(out) : []).toEqual([]);
  });

  it('stops the export when the app cannot answer a page, naming it and why', async () => {
    failing.feed = true;
    try {
      const out = path.join(tmp, 'site-feed');
      await expect(exportSite({ db: handle.db }, { outDir: out, baseUrl: BASE_URL, threads: 0 })).rejects.toThrow(
        /the export stopped: \/exptest\/2027\/schedule\.xml could not be made \(the XML renderer broke\); \/feed\.atom could not be made \(the feed renderer broke\)$/,
      );
    } finally {
      failing.feed = false;
    }
  });
});

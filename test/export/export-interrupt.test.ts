/**
 * An export stopped under way (Ctrl-C: its signal aborts) fails as an export that met an error
 * does: nothing is written after the stop, and a new directory is left empty rather than half a
 * site without its list of files, which a static host would serve and the next run would refuse.
 * A directory holding a previous export keeps it, without the files the failed one added: no list
 * names them, so no later export would ever remove them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { bundledPages } from '../../src/domain/archive/bundled.js';
import { importPages } from '../../src/domain/archive/import-pages.js';
import { exportSite } from '../../src/export/static-site.js';
import { MANIFEST } from '../../src/export/write-tree.js';
import { freshPglite } from '../support/db.js';
import { BASE_URL, makeEdition, SERIES } from '../exports/fixtures.js';

describe('an export stopped under way', () => {
  let handle: Db;
  let tmp: string;
  beforeAll(async () => {
    handle = await freshPglite();
    await importPages({ db: handle.db }, bundledPages());
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-export-interrupt-'));
  });
  afterAll(async () => {
    await handle?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it.each([0, 2])('with %i worker threads leaves a new directory empty', async (threads) => {
    const out = path.join(tmp, `site-${threads}`);
    const stop = new AbortController();
    const reason = new Error('SIGINT: the export was stopped');
    const run = exportSite(
      { db: handle.db },
      { outDir: out, baseUrl: BASE_URL, threads, signal: stop.signal, onProgress: (p) => p.done >= 10 && stop.abort(reason) },
    );
    await expect(run).rejects.toBe(reason);
    expect(fs.readdirSync(out)).toEqual([]);
    // And the next run takes the directory.
    const r = await exportSite({ db: handle.db }, { outDir: out, baseUrl: BASE_URL, threads: 0 });
    expect(r.files).toBeGreaterThan(10);
    expect(fs.existsSync(path.join(out, MANIFEST))).toBe(true);
  });

  it.each([0, 2])('with %i worker threads leaves a previous export without the files it added', async (threads) => {
    const out = path.join(tmp, `previous-${threads}`);
    await exportSite({ db: handle.db }, { outDir: out, baseUrl: BASE_URL, threads: 0 });
    const manifest = fs.readFileSync(path.join(out, MANIFEST), 'utf8');
    const listed = new Set((JSON.parse(manifest) as { files: string[] }).files);
    const year = 2100 + threads;
    await makeEdition(handle.db, { year, status: 'tentative' });
    const stop = new AbortController();
    const reason = new Error('SIGINT: the export was stopped');
    // Stopped once the new edition's page is written.
    const run = exportSite(
      { db: handle.db },
      { outDir: out, baseUrl: BASE_URL, threads, signal: stop.signal, onProgress: (p) => p.file === `${SERIES}/${year}/index.html` && stop.abort(reason) },
    );
    await expect(run).rejects.toBe(reason);
    const left = fs.readdirSync(out, { recursive: true, withFileTypes: true }).filter((f) => f.isFile()).map((f) => path.relative(out, path.join(f.parentPath, f.name)));
    expect(left.filter((f) => f !== MANIFEST && !listed.has(f))).toEqual([]);
    expect(fs.existsSync(path.join(out, SERIES))).toBe(false);
    expect(fs.readFileSync(path.join(out, MANIFEST), 'utf8')).toBe(manifest);
    await handle.db.deleteFrom('editions').where('year', '=', year).execute();
  });
});

/**
 * `conclave export` without --base-url, run in this process on a fresh data directory: where the
 * address it falls back on is this machine's, it says so on stderr in one line, and which links
 * point there; with --base-url, or a public BASE_URL, it says nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { localBaseUrlWarning } from '../../src/cli/export.js';
import { run } from '../../src/cli/main.js';
import { freshDataDir } from '../support/db.js';

describe('conclave export without --base-url', () => {
  const dir = freshDataDir('conclave-export-warning-');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-export-warning-out-'));
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** Runs `conclave export` here with only these variables of the environment's own; returns its stderr. */
  async function exportWith(args: string[], env: Record<string, string>): Promise<{ code: number; err: string[] }> {
    const keys = ['CONCLAVE_DATA', 'DATABASE_URL', 'BASE_URL', 'PORT', 'HOST', 'MODE', 'DEV', 'PROD', 'SSR'];
    const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
    for (const k of keys) delete process.env[k];
    Object.assign(process.env, { CONCLAVE_DATA: dir, ...env });
    const err: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
    try {
      const code = await run(['node', 'conclave', 'export', ...args]);
      return { code, err };
    } finally {
      log.mockRestore();
      error.mockRestore();
      for (const k of keys) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  }

  it('warns in one line that the search form and the feed\'s links point at localhost, and how to fix it', async () => {
    const r = await exportWith(['--out', path.join(tmp, 'a'), '--json'], {});
    expect(r.code).toBe(0);
    expect(r.err).toEqual([
      "conclave: warning: no --base-url and no public BASE_URL: every page's search form, sign-in and admin links, and the links in the feed and schedules point at http://localhost:3000; give --base-url https://… (where conclave serves the site) to fix them",
    ]);
    expect(fs.readFileSync(path.join(tmp, 'a', 'index.html'), 'utf8')).toContain('action="http://localhost:3000/search/"');
  });

  it('says nothing with --base-url or a public BASE_URL', async () => {
    expect((await exportWith(['--out', path.join(tmp, 'b'), '--json', '--base-url', 'https://netconf.example.org'], {})).err).toEqual([]);
    expect((await exportWith(['--out', path.join(tmp, 'c'), '--json'], { BASE_URL: 'https://netconf.example.org' })).err).toEqual([]);
  });

  it('knows a loopback address in any spelling, and a public one', () => {
    for (const u of ['http://localhost:3000', 'http://127.0.0.1:8080', 'http://[::1]:3000', 'http://0.0.0.0:3000', 'http://conclave.localhost/']) {
      expect(localBaseUrlWarning(u, false), u).toContain(`point at ${u}`);
      expect(localBaseUrlWarning(u, true), u).toBeNull();
    }
    expect(localBaseUrlWarning('https://netconf.example.org', false)).toBeNull();
    expect(localBaseUrlWarning('http://192.0.2.1:3000', false)).toBeNull();
  });
});

/**
 * `conclave export --out DIR` as a person runs it, after `conclave import` of the seed pages into
 * a fresh data directory: a one-line summary (no terminal, no bar), the tree on disk, nothing
 * written the second time (with the compiled worker threads), --json, and a clear refusal of a
 * directory holding something else or of a bad option.
 * Runs bin/conclave.js as users do (the bundle; built by npm test or test/support/global-setup.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, runConclave } from '../support/cli.js';
import { runCommand } from '../support/cli-in-process.js';
import { makeCommandData, type CommandData } from '../support/db.js';

const root = projectRoot;

describe('conclave export', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-cli-export-'));
  let data: CommandData;
  /** The exports themselves: the executable, its bundle and the bundle's worker threads. */
  const conclave = (args: string[]) => runConclave(args, data.env);
  /**
   * The import the exports read, and the refusals: in this process, on a database of the file's
   * own (makeCommandData), what they check being what the commands do and say, not the bundle.
   */
  const command = (args: string[]) => runCommand(args, data.env);

  beforeAll(async () => {
    data = await makeCommandData('conclave-cli-export-data-');
    // The seed pages by their whole paths, whatever the folder of this process.
    const seeds = fs.readdirSync(path.join(root, 'archive/netconf')).map((f) => path.join(root, 'archive/netconf', f));
    const imported = await command(['import', ...seeds]);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
  });
  afterAll(async () => {
    await data.drop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('writes the site, then nothing the second time, also with worker threads', () => {
    const out = path.join(tmp, 'site');
    const r = conclave(['export', '--out', out, '--base-url', 'https://netconf.example.org']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const m = /^exported (\d+) files to .* in [\d.]+ s: (\d+) written, 0 unchanged, 0 removed\n$/.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    expect(m![2]).toBe(m![1]);
    expect(fs.readFileSync(path.join(out, 'netconf/2015/index.html'), 'utf8')).toContain('href="../../static/style.css"');
    expect(fs.readFileSync(path.join(out, 'feed.atom'), 'utf8')).toContain('https://netconf.example.org/netconf/2015/');
    expect(fs.readFileSync(path.join(out, 'netconf/2015/schedule.ics'), 'utf8')).toMatch(/^BEGIN:VCALENDAR\r\n/);

    // The bundle's worker threads write every byte as the main thread did: nothing to rewrite.
    const again = conclave(['export', '--out', out, '--json', '--threads', '2', '--base-url', 'https://netconf.example.org']);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    const j = JSON.parse(again.stdout) as { written: number; unchanged: number; removed: number; files: number; brokenLinks: unknown[] };
    expect(j).toMatchObject({ written: 0, removed: 0, unchanged: Number(m![1]), files: Number(m![1]), brokenLinks: [] });
  });

  it('refuses a directory that holds something else, and a bad base URL', async () => {
    const other = path.join(tmp, 'other');
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, 'keep.txt'), 'mine');
    const r = await command(['export', '--out', other]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^conclave: --out: .*other is not empty and holds no previous export/);
    expect(fs.readdirSync(other)).toEqual(['keep.txt']);

    const bad = await command(['export', '--out', path.join(tmp, 'x'), '--base-url', 'netconf']);
    // Not a URL is bad usage (exit 2), as a count that is not one.
    expect([bad.code, bad.stderr]).toEqual([2, 'conclave: --base-url: must be an http:// or https:// address such as https://example.org/\n']);
    const threads = await command(['export', '--out', path.join(tmp, 'x'), '--threads', 'many']);
    expect(threads.code).toBe(2);
    expect(threads.stderr).toBe('conclave: --threads: must be a whole number from 0 to 64, not "many"\n');
  });
});

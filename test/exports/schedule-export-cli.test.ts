/**
 * `conclave schedule export YEAR --format ics|xml|json` as a person runs it, after `conclave
 * import` of a seed page into a fresh data directory: standard output, and a file given by --out,
 * hold byte for byte what the web routes answer for the same data and base URL (an app on the
 * same data directory, after the commands ran); the base URL comes from BASE_URL or --base-url;
 * a format it does not know is bad usage (exit code 2) naming the three.
 * Runs bin/conclave.js as users do (the bundle; built by npm test or test/support/global-setup.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDb, type Db } from '../../src/db/connect.js';
import { buildApp } from '../../src/web/app.js';
import { projectRoot, runConclave } from '../support/cli.js';
import { freshDataDir } from '../support/db.js';

const BASE_URL = 'https://netconf.example.org';

describe('conclave schedule export', () => {
  const dataDir = freshDataDir('conclave-schedule-export-');
  const outDir = path.join(dataDir, 'out');
  const env = { CONCLAVE_DATA: dataDir };
  const cli: Record<string, { code: number | null; stdout: string; stderr: string }> = {};
  let handle: Db;
  let app: FastifyInstance;

  beforeAll(async () => {
    const imported = runConclave(['import', path.join(projectRoot, 'archive/netconf/netconf-2015.txt')], env);
    expect(imported.code, imported.stderr).toBe(0);
    fs.mkdirSync(outDir);
    fs.writeFileSync(path.join(outDir, 'netconf.json'), 'an older file');
    // Each the way a person would: BASE_URL from the environment, or --base-url; a file by --out.
    cli.ics = runConclave(['schedule', 'export', '2015', '--format', 'ics'], { ...env, BASE_URL });
    cli.xml = runConclave(['schedule', 'export', '2015', '--format', 'xml', '--base-url', BASE_URL], env);
    cli.json = runConclave(['schedule', 'export', '2015', '--format', 'json', '--base-url', BASE_URL, '--out', path.join(outDir, 'netconf.json')], env);
    cli.bad = runConclave(['schedule', 'export', '2015', '--format', 'pdf'], env);
    // The commands have ended: the server's side may open the same data directory now.
    handle = await openDb(loadConfig({ CONCLAVE_DATA: dataDir }));
    app = await buildApp({ db: handle.db, mail: { baseUrl: BASE_URL, from: 'x@example.org' } });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await handle?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const served = async (file: string) => {
    const r = await app.inject(`/netconf/2015/${file}`);
    expect(r.statusCode).toBe(200);
    return r.body;
  };

  it('prints the iCalendar and the XML the site serves, byte for byte', async () => {
    for (const [format, file] of [['ics', 'schedule.ics'], ['xml', 'schedule.xml']] as const) {
      expect(cli[format]!.stderr).toBe('');
      expect(cli[format]!.code).toBe(0);
      expect(cli[format]!.stdout).toBe(await served(file));
    }
    // A published schedule: the edition's event and one per slot, links under the base URL.
    expect(cli.ics!.stdout.match(/^BEGIN:VEVENT\r$/gm)!.length).toBeGreaterThan(5);
    expect(cli.ics!.stdout).toContain('\r\nURL:https://netconf.example.org/netconf/2015/\r\n');
    expect(cli.xml!.stdout).toContain('<url>https://netconf.example.org/netconf/2015/schedule.xml</url>');
  });

  it('writes the JSON to the --out file in place of the old one, and says so', async () => {
    expect(cli.json!.stderr).toBe('');
    expect(cli.json!.code).toBe(0);
    const file = path.join(outDir, 'netconf.json');
    expect(cli.json!.stdout).toBe(`wrote schedule.json of netconf 2015 to ${file} (${fs.statSync(file).size} bytes)\n`);
    expect(fs.readFileSync(file, 'utf8')).toBe(await served('schedule.json'));
    // Nothing else beside it: the temporary file was renamed over it.
    expect(fs.readdirSync(outDir)).toEqual(['netconf.json']);
  });

  it('refuses a format it does not know as bad usage, naming the three', () => {
    expect(cli.bad!.code).toBe(2);
    expect(cli.bad!.stdout).toBe('');
    expect(cli.bad!.stderr).toBe("conclave: schedule export: option '--format <format>' argument 'pdf' is invalid. Allowed choices are ics, xml, json. (conclave schedule export --help for usage)\n");
  });
});

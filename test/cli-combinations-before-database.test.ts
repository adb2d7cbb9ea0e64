/**
 * Options that do not go together, or a command missing what it is to do, are bad usage said
 * before anything runs: exit 2, a line naming the option, and no database opened or made.
 * Checked once the database was open, `conclave schedule move 2027 3` first made one where there
 * was none, and beside a running `conclave serve` it answered "busy, try again" (75) to a command
 * that no retry mends. The sibling of cli-usage-before-database.test.ts, which does the same for
 * a malformed value.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBeforeDatabase } from './support/cli-in-process.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-combinations-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const file = path.join(dir, 'none');

/** Each command line, and the one line it must print. */
const CASES: [string[], string][] = [
  [['topics', 'update', '2027', '1'], '--title: give --title, --abstract, --abstract-file, --length or --presenter: what to change'],
  [['topics', 'update', '2027', '1', '--abstract', 'x', '--abstract-file', file], '--abstract-file: give --abstract or --abstract-file, not both'],
  [['topics', 'propose', '2027', '--by', 'ada', '--title', 't', '--abstract', 'x', '--abstract-file', file], '--abstract-file: give --abstract or --abstract-file, not both'],
  [['schedule', 'add', '2027', '--start', '10:00'], '--date: is required'],
  [['schedule', 'add', '2027', '--date', '2027-07-14'], '--start: is required'],
  [['schedule', 'edit', '2027', '3'], '--start: give --date, --start, --end, --length, --kind, --title, --topic, --speaker or --room: what to change'],
  [['edition', 'update', '2027'], '--title: give --title, --subtitle, --motto, --intro, --city, --region, --country, --location, --start, --end, --time-zone, --colocated, --colocated-start, --colocated-end, --colocated-place, --status, --cap, --reminder-days or --answer-by: what to change'],
  [['schedule', 'move', '2027', '3'], '--start: give --start, --after SLOT, --before SLOT or --date (the top of that day)'],
  [['schedule', 'move', '2027', '3', '--after', '1', '--before', '2'], '--after: give --before or --after, not both'],
  [['materials', 'add', '2027', '--file', file, '--url', 'https://example.org/'], '--file: give either --file or --url'],
  [['materials', 'add', '2027'], '--file: give either --file or --url'],
  [['materials', 'add', '2027', '--url', 'https://example.org/', '--slot', '1', '--topic', '2'], '--slot: give --slot or --topic, not both'],
  [['mail', 'ingest', '--mbox', file, '--maildir', dir], '--mbox: give --mbox or --maildir, not both'],
  [['template', 'set', '2027', 'invitation'], '--subject: give --subject, --body-file or both'],
  [['edition', 'update-part', '2027', 'reference', '3', '--role', 'chair'], '--role: a reference has no role'],
  [['edition', 'update-part', '2027', 'committee-role', '3', '--no-logo', '--url', 'https://example.org/'], '--url: a committee-role has no url; --no-logo: a committee-role has no logo'],
  [['edition', 'update-part', '2027', 'sponsor', '3', '--logo', file, '--title', 'x'], '--title: a sponsor has no title'],
  [['edition', 'update-part', '2027', 'sponsor', '9', '--logo', file, '--no-logo'], '--logo: give --logo or --no-logo, not both'],
  [['edition', 'update-part', '2027', 'sponsor', '9', '--no-logo', '--logo', file], '--logo: give --logo or --no-logo, not both'],
  [['mail', 'inbound', '--raw'], '--raw: give the id of the message to print as it arrived (conclave mail inbound ID --raw)'],
  [['mail', 'inbound', '3', '--raw', '--json'], '--raw: give --raw or --json, not both'],
  [['edition', 'update-part', '2027', 'sponsor', '3'], '--name: give --name, --kind, --url, --logo or --no-logo: what to change'],
  [['edition', 'update-part', '2027', 'committee-role', '3'], '--role: give --role: what to change'],
  [['edition', 'update-part', '2027', 'reference', '3', '--json'], '--title: give --title or --url: what to change'],
  [['import', file, '--series', ' -- '], '--series: must have a letter or a digit (it names the series in addresses)'],
];

describe('options that do not go together, or none of those a command needs', () => {
  it('are refused with exit 2 naming the option, before a database is opened or made', async () => {
    const data = path.join(dir, 'data');
    const said = [];
    for (const [args] of CASES) {
      const r = await runBeforeDatabase(args, { CONCLAVE_DATA: data });
      said.push([args, r.code, r.stderr, fs.existsSync(data)]);
    }
    expect(said).toEqual(CASES.map(([args, line]) => [args, 2, `conclave: ${line}\n`, false]));
  }, 300_000);
});

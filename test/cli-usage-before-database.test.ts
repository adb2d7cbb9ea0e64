/**
 * A mistyped value of a fixed form (a topic number, a length, an id, a choice…) is bad usage said
 * before anything runs, on every command: exit 2, a line naming the option or argument, and no
 * database opened or made. Checked after the database was opened, `conclave topics accept 2027
 * abc` first made one where there was none, and beside a running `conclave serve` (which holds
 * the embedded database) it answered "busy, try again" (75) to a typo that no retry mends.
 * The sibling of cli-year-before-database.test.ts, which does the same for years.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Argument, Option } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { runBeforeDatabase } from './support/cli-in-process.js';
import { leafCommands } from './support/leaf-commands.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-usage-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * The value of each fixed form (by the name of its placeholder, "<number>", or of its argument)
 * that is not one: what a command must refuse as bad usage before it opens a database.
 */
const MALFORMED: Record<string, string> = {
  // A topic's number in its edition (--topic, and topics' NUMBER).
  number: 'abc',
  // A length (--length).
  minutes: 'abc',
  // A count (--limit, --cap, --smtp-port…).
  n: 'abc',
  // A row's id: an invitation, a message, a slot, a material, an audit entry…
  id: 'abc',
  ids: 'abc',
  slot: 'abc',
  // A date, and a time of day.
  date: '2027-13-45',
  'YYYY-MM-DD': '14.7.2027',
  'HH:MM': '9h30',
  // An address (committee's EMAIL, invite add's EMAIL, --same-as, edition role --email).
  email: 'not-an-email',
  address: 'not-an-email',
  // An address on the web (--url, --base-url), or of a PostgreSQL database (db move-to-postgres URL).
  url: 'not-a-url',
  // A time zone (--time-zone), one the time zone database knows.
  zone: 'Mars/Olympus',
  // A year, or "site" (template's YEAR|site).
  'year|site': '20x7',
  // One of fixed states (invite override's STATE; those with choices are tried with "bogus").
  state: 'bogus',
};

/**
 * The placeholders of free text: any value has their form (a title, a name, a path), so there is
 * nothing to check as the command line is read; what the rules say of one (a name nobody has, a
 * file that is not there) is a refused request, found once the database is open. A placeholder
 * in neither MALFORMED nor here fails the test: a new option says which it is.
 */
const FREE_TEXT = new Set([
  // Words a person writes: titles, names, texts, places, roles.
  'title', 'text', 'markdown', 'name', 'city', 'region', 'country', 'place', 'role',
  // Somebody of the archive or of an edition (a name, slug, address or #id); a series (a name or slug).
  'who', 'name-or-slug', 'slug',
  // The two records `people merge` makes one, by slug.
  'from-slug', 'into-slug',
  // Files and directories, and a git repository: whether they are there is the file system's to say.
  'file', 'path', 'dir', 'repo',
  // A batch of held mail, by the name `mail list` shows (mail send --batch, mail discard).
  'batch',
  // What audit's --action and --entity match in the log.
  'action', 'entity',
  // What git takes: a revision range and a path pattern (candidates --range, --exclude).
  'A..B', 'pattern',
  // The SMTP server's host name or address (serve --smtp-host).
  'host',
  // The words to search for.
  'query',
  // A year: tried by cli-year-before-database.test.ts.
  'year',
]);

/** A value of each form a command needs besides the one tried ("<year>" 2027). */
const VALID: Record<string, string> = {
  year: '2027',
  'year|site': '2027',
  date: '2027-07-14',
  'YYYY-MM-DD': '2027-07-14',
  'HH:MM': '10:00',
  email: 'someone@example.org',
  address: 'someone@example.org',
  url: 'https://example.org/',
  file: path.join(dir, 'none'),
  path: path.join(dir, 'none'),
  dir: path.join(dir, 'out'),
  repo: dir,
};

/** "<number>", "[ids...]": the name of an option's placeholder. */
const placeholder = (o: Option): string | undefined => /[<[]([^>\]]+?)(\.\.\.)?[>\]]/.exec(o.flags)?.[1];

function valid(name: string | undefined, choices?: readonly string[]): string {
  return choices?.[0] ?? (name !== undefined ? VALID[name] : undefined) ?? '1';
}

/** Each command with a malformed value of one of its options or arguments, and what it is. */
async function malformedCommands(): Promise<{ args: string[]; field: string }[]> {
  const found: { args: string[]; field: string }[] = [];
  for (const { cmd, words } of await leafCommands()) {
    const args = cmd.registeredArguments;
    const required = cmd.options.filter((o) => o.mandatory);
    const requiredValues = (but?: Option) => required.filter((o) => o !== but).flatMap((o) => [o.long!, valid(placeholder(o), o.argChoices)]);
    const wrong = (a: Argument | Option, name: string | undefined) => (a.argChoices ? 'bogus' : name !== undefined ? MALFORMED[name] : undefined);
    args.forEach((a, i) => {
      const bad = wrong(a, a.name());
      if (bad === undefined) return;
      // The arguments before it, and the ones required after it, as they should be.
      const positional = args.filter((b, j) => j <= i || b.required).map((b, j) => (j === i ? bad : valid(b.name(), b.argChoices)));
      // The one of "[ids...]" that is wrong is an "id".
      found.push({ args: [...words, ...positional, ...requiredValues()], field: a.variadic ? a.name().replace(/s$/, '') : a.name() });
    });
    for (const o of cmd.options) {
      const bad = wrong(o, placeholder(o));
      if (bad === undefined || !o.long) continue;
      const positional = args.filter((a) => a.required).map((a) => valid(a.name(), a.argChoices));
      found.push({ args: [...words, ...positional, ...requiredValues(o), o.long, bad], field: o.long });
    }
  }
  return found;
}

describe('a malformed value of a fixed form', () => {
  it('is refused with exit 2 naming what was wrong, on every command, before a database is opened or made', async () => {
    const commands = await malformedCommands();
    const fields = commands.map((c) => c.field);
    // Each kind, as an option and as an argument where there is one.
    expect(fields).toEqual(expect.arrayContaining(['--topic', 'number', '--length', 'state', '--limit', '--smtp-port', '--cap', '--since', 'id', '--before', 'slot', '--slot', '--date', 'date', '--start', '--answer-by', 'email', '--same-as', '--email', 'url', '--url', '--base-url', '--time-zone', 'year|site']));
    const data = path.join(dir, 'data');
    const wrong: string[] = [];
    for (const { args, field } of commands) {
      // PORT 0: were serve to start, it would not take a port another test uses.
      const r = await runBeforeDatabase(args, { CONCLAVE_DATA: data, PORT: '0', HOST: '127.0.0.1' });
      const said = r.stderr.split('\n')[0] ?? '';
      if (r.code !== 2 || !said.includes(field)) wrong.push(`conclave ${args.join(' ')}: exit ${r.code}: ${r.stderr.trim()}`);
      if (fs.existsSync(data)) {
        wrong.push(`conclave ${args.join(' ')}: made ${data}`);
        fs.rmSync(data, { recursive: true, force: true });
      }
    }
    expect(wrong).toEqual([]);
  }, 900_000);

  it('knows every placeholder of every command: a malformed value to try, or free text', async () => {
    const unknown: string[] = [];
    for (const { cmd, words } of await leafCommands()) {
      // One of fixed choices is tried with "bogus".
      const names = [...cmd.registeredArguments.filter((a) => !a.argChoices).map((a) => a.name()), ...cmd.options.filter((o) => !o.argChoices).map(placeholder)];
      for (const name of names) if (name !== undefined && !(name in MALFORMED) && !FREE_TEXT.has(name)) unknown.push(`conclave ${words.join(' ')}: ${name}`);
    }
    expect(unknown).toEqual([]);
  });
});

/**
 * A mistyped year is bad usage said before anything runs, on every command that takes one: the
 * commands checked it only once they had opened the database, so that `conclave invite list 20x7`
 * in a directory with no database first made one (PostgreSQL's initdb, seconds and ~700 MB), then
 * exited 2.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { runBeforeDatabase } from './support/cli-in-process.js';
import { leafCommands } from './support/leaf-commands.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-year-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Every command taking a year, with the arguments it needs and "20x7" where the year goes. */
async function commandsTakingAYear(): Promise<{ args: string[]; field: string }[]> {
  const found: { args: string[]; field: string }[] = [];
  for (const { cmd, words } of await leafCommands()) {
    // A value each needs: one of its choices where it has some ("--format ics").
    const required = cmd.options.filter((o) => o.mandatory).flatMap((o) => [o.long!, o.argChoices?.[0] ?? '1']);
    // A date and an address are checked as the command line is read, before the year: give good ones.
    const value = (a: Command['registeredArguments'][number]) => a.argChoices?.[0] ?? (a.name() === 'date' ? '2027-05-01' : a.name() === 'email' ? 'someone@example.org' : '1');
    const positional = cmd.registeredArguments.filter((a) => a.required || a.name() === 'year').map((a) => (a.name() === 'year' ? '20x7' : value(a)));
    if (cmd.registeredArguments.some((a) => a.name() === 'year')) found.push({ args: [...words, ...positional, ...required], field: 'year' });
    for (const o of cmd.options.filter((o) => /<year>/.test(o.flags)))
      found.push({ args: [...words, ...positional.map((p) => (p === '20x7' ? '2027' : p)), ...required, o.long!, '20x7'], field: o.long! });
  }
  return found;
}

describe('a mistyped year', () => {
  it('is refused with exit 2 on every command that takes one, before a database is opened or made', async () => {
    const commands = await commandsTakingAYear();
    // Each kind: a year argument ("invite list"), and the options "--year" and "--edition".
    expect(commands.length).toBeGreaterThan(30);
    expect(commands.map((c) => c.field)).toEqual(expect.arrayContaining(['year', '--year', '--edition']));
    const data = path.join(dir, 'data');
    const wrong: string[] = [];
    for (const { args, field } of commands) {
      const r = await runBeforeDatabase(args, { CONCLAVE_DATA: data });
      const expected = `conclave: ${field}: "20x7" is not a year such as 2027\n`;
      if (r.code !== 2 || r.stderr !== expected) wrong.push(`conclave ${args.join(' ')}: exit ${r.code}: ${r.stderr.trim()}`);
    }
    expect(wrong).toEqual([]);
    // Nothing was made where there was no database.
    expect(fs.existsSync(data) ? fs.readdirSync(data) : []).toEqual([]);
  }, 300_000);
});

/**
 * `conclave db move-to-postgres URL`: the embedded database's rows copied into an empty
 * PostgreSQL database, which then serves the same archive; a database holding data is refused in
 * the move's own words (unless --force), an embedded database moved already is not moved again
 * (even with --force), and an argument that is not a PostgreSQL URL is bad usage.
 * A server that cannot be reached is blamed on the argument, not on DATABASE_URL, which is unset.
 *
 * The commands run in this process (runCommand): what they check is what the move and the
 * commands after it do and say, and each as the executable costs a Node process and the bundle's
 * loading. A mistyped CONCLAVE_DATA stays the executable's: that no directory is made is about
 * the process, from its start.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot, runConclave } from '../support/cli.js';
import { runCommand } from '../support/cli-in-process.js';
import { freshDataDir } from '../support/db.js';
import { adminQuery, databaseUrl } from '../support/pg-admin.js';

const adminUrl = process.env.TEST_DATABASE_URL;

// Without TEST_DATABASE_URL the global setup says so in one loud line, and this is skipped.
describe.skipIf(!adminUrl)('conclave db move-to-postgres', () => {
  const name = `conclave_move_${process.pid}_${randomBytes(4).toString('hex')}`;
  const data = freshDataDir('conclave-move-');
  afterAll(async () => {
    await adminQuery(adminUrl!, `drop database if exists ${name} with (force)`);
    fs.rmSync(data, { recursive: true, force: true });
  });

  it('copies the embedded archive into an empty database, and refuses one holding data', async () => {
    const env = { CONCLAVE_DATA: data };
    const seeds = fs.readdirSync(path.join(projectRoot, 'archive/netconf')).map((f) => path.join(projectRoot, 'archive/netconf', f));
    expect((await runCommand(['import', ...seeds], env)).code).toBe(0);
    const before = (await runCommand(['edition', 'list', '--json'], env)).stdout;

    // A new, empty database: not even migrated.
    await adminQuery(adminUrl!, `create database ${name}`);
    const url = databaseUrl(adminUrl!, name);
    const moved = await runCommand(['db', 'move-to-postgres', url], env);
    expect([moved.code, moved.stderr]).toEqual([0, '']);
    expect(moved.stdout).toMatch(new RegExp(`^copied \\d+ rows in \\d+ tables from ${data.replace(/[/.]/g, '\\$&')}.* to postgres://.*/${name}\\nnow serve with DATABASE_URL=postgres://.*/${name} and the same CONCLAVE_DATA \\(`));
    expect((await runCommand(['edition', 'list', '--json'], { ...env, DATABASE_URL: url })).stdout).toBe(before);

    // The old copy is stale: without DATABASE_URL, nothing serves it, writes to it or sends its
    // queued mail again (nor prunes the files that serve the copy now); only backup and db read it.
    const today = new Date().toISOString().slice(0, 10);
    const refusal = `conclave: the embedded database in ${data} was moved to ${url.replace(/:[^:@/]*@/, ':***@')} on ${today} (conclave db move-to-postgres) and is no longer used: set DATABASE_URL=${url.replace(/:[^:@/]*@/, ':***@')} (with its password) to use that one. This old copy is only read by \`conclave backup FILE\`; to use it anyway, restore that backup into a PostgreSQL database of its own (its queued mail would be sent again: serve it with --no-mail-worker)\n`;
    const old = await runCommand(['backup', path.join(data, 'old.gz')], env);
    expect([old.code, old.stderr]).toEqual([0, '']);
    expect((await runCommand(['db', 'migrate'], env)).code).toBe(0);
    for (const args of [['serve', '--no-cache'], ['edition', 'update', '2015', '--reminder-days', '6'], ['mail', 'send'], ['files', 'prune'], ['import', 'archive/netconf/netconf-2015.txt'], ['restore', '--force', path.join(data, 'old.gz')]]) {
      // serve as the executable: were its refusal to break, a server started in this process
      // would hold the test to its timeout; a process is killed after runConclave's 120 s.
      const r = args[0] === 'serve' ? runConclave(args, { ...env, PORT: '0' }) : await runCommand(args, { ...env, PORT: '0' });
      expect([args, r.code, r.stderr]).toEqual([args, 1, refusal]);
    }
    expect((await runCommand(['edition', 'list', '--json'], { ...env, DATABASE_URL: url })).stdout).toBe(before);
    const beside = await runCommand(['files', 'prune'], { ...env, DATABASE_URL: url });
    expect([beside.code, beside.stderr]).toEqual([1, `conclave: an embedded database in ${data} shares ${path.join(data, 'files')}, and its files look unrecorded from here: move it away if it is no longer used, or pass --force\n`]);
    expect((await runCommand(['files', 'prune', '--force'], { ...env, DATABASE_URL: url })).code).toBe(0);

    // Moved once, it is not moved again: neither over the copy, which serves (and is written to)
    // from then on (--force is about a target holding data), nor into another database.
    const other = `${name}_other`;
    await adminQuery(adminUrl!, `create database ${other}`);
    try {
      const refused = `conclave: the embedded database in ${data} was moved to ${url.replace(/:[^:@/]*@/, ':***@')} on ${today} already, and is stale since: not moved again. To copy this old copy anyway, \`conclave backup FILE\` it and \`conclave restore FILE\` with DATABASE_URL set to the database to fill\n`;
      for (const args of [[url], [url, '--force'], [databaseUrl(adminUrl!, other)]]) {
        const again = await runCommand(['db', 'move-to-postgres', ...args], env);
        expect([args, again.code, again.stderr, again.stdout]).toEqual([args, 1, refused, '']);
      }
      expect((await runCommand(['edition', 'list', '--json'], { ...env, DATABASE_URL: url })).stdout).toBe(before);
      expect((await runCommand(['edition', 'list', '--json'], { ...env, DATABASE_URL: databaseUrl(adminUrl!, other) })).stdout).toBe('[]\n');
    } finally {
      await adminQuery(adminUrl!, `drop database if exists ${other} with (force)`);
    }

    // A mistyped CONCLAVE_DATA (which a command would make, empty) or an unused one moves
    // nothing, even with --force, and leaves the target as it was.
    const typo = `${data}-typo`;
    const none = runConclave(['db', 'move-to-postgres', url, '--force'], { CONCLAVE_DATA: typo });
    expect([none.code, none.stderr]).toEqual([1, `conclave: CONCLAVE_DATA: ${typo} holds no database: nothing to move (is it the directory \`conclave serve\` uses?)\n`]);
    expect(fs.existsSync(typo)).toBe(false);
    const unused = freshDataDir('conclave-move-unused-');
    const empty = await runCommand(['db', 'move-to-postgres', url, '--force'], { CONCLAVE_DATA: unused });
    fs.rmSync(unused, { recursive: true, force: true });
    expect([empty.code, empty.stderr]).toEqual([1, `conclave: CONCLAVE_DATA: ${unused} holds no data: nothing to move\n`]);
    expect((await runCommand(['edition', 'list', '--json'], { ...env, DATABASE_URL: url })).stdout).toBe(before);

    const bad = await runCommand(['db', 'move-to-postgres', 'not-a-url'], env);
    expect([bad.code, bad.stderr]).toEqual([2, 'conclave: url: must be a postgres:// or postgresql:// URL such as postgres://conclave@127.0.0.1:5432/conclave\n']);
  }, 300_000);
});

describe('conclave db move-to-postgres to a server that does not answer', () => {
  const data = freshDataDir('conclave-move-unreachable-');
  afterAll(() => fs.rmSync(data, { recursive: true, force: true }));

  it('names the URL argument, not DATABASE_URL', async () => {
    const env = { CONCLAVE_DATA: data };
    expect((await runCommand(['import', path.join(projectRoot, 'archive/netconf/netconf-2015.txt')], env)).code).toBe(0);
    // Port 1 on loopback: nothing listens there.
    const r = await runCommand(['db', 'move-to-postgres', 'postgres://conclave:secret@127.0.0.1:1/conclave'], env);
    expect([r.code, r.stderr]).toEqual([75, 'conclave: url: cannot connect to postgres://conclave:***@127.0.0.1:1/conclave: connect ECONNREFUSED 127.0.0.1:1\n']);
  });
});

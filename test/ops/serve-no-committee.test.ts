/**
 * A site begun empty (without --bootstrap) has no committee member, and only the command line
 * adds the first one: until then nobody can sign in. An organiser's trial started such a server
 * and learnt it only at /signin. `conclave serve` says it once among its start-up lines, with the
 * command that adds a member; a server whose committee has a member does not.
 *
 * PostgreSQL (one database per test, dropped after); the embedded database's line is checked
 * once too, as it also says to stop the server first. The servers are the processes under test;
 * the member is added in this process (runCommand), and the embedded database is a copy of the
 * run's, empty and migrated as a first start leaves it (a new one costs the server initdb).
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { serveUntilOpen, type Served } from '../support/cli.js';
import { runCommand } from '../support/cli-in-process.js';
import { freshDataDir, freshPostgresDatabase } from '../support/db.js';

const adminUrl = process.env.TEST_DATABASE_URL;
const WARNING =
  'conclave: warning: the committee has no member, so nobody can sign in; add one with `npx conclave committee add EMAIL --name NAME`';

const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const f of cleanups.splice(0).reverse()) await f();
});
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function dataDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-no-committee-'));
  dirs.push(d);
  return d;
}

/** A database of its own, dropped after the test: made as any test's (test/support/db.ts). */
async function freshDatabase(): Promise<string> {
  const made = await freshPostgresDatabase(adminUrl!);
  cleanups.push(made.drop);
  return made.url;
}

function serve(env: Record<string, string>, args: string[] = []): Promise<Served> {
  return serveUntilOpen(env, args, { started: (c) => children.push(c) });
}

const warnings = (out: string) => out.split('\n').filter((l) => l.includes('nobody can sign in'));

describe.skipIf(!adminUrl)('conclave serve on a database without a committee member', () => {
  it('says once, at start, that nobody can sign in and how to add a member', async () => {
    const db = await freshDatabase();
    const s = await serve({ DATABASE_URL: db, CONCLAVE_DATA: dataDir() });
    for (const p of ['/', '/signin', '/admin/']) await fetch(s.url + p, { redirect: 'manual' });
    await new Promise((r) => setTimeout(r, 200));
    expect(warnings(s.output())).toEqual([WARNING]);
  });

  it('says nothing of it once a member was added', async () => {
    const db = await freshDatabase();
    const data = dataDir();
    const added = await runCommand(['committee', 'add', 'ana@example.org', '--name', 'Ana Example'], { DATABASE_URL: db, CONCLAVE_DATA: data });
    expect([added.code, added.stderr]).toEqual([0, '']);
    const s = await serve({ DATABASE_URL: db, CONCLAVE_DATA: data });
    expect(warnings(s.output())).toEqual([]);
  });

  it('says nothing of it with --bootstrap, which creates the demo member', async () => {
    const db = await freshDatabase();
    const s = await serve({ DATABASE_URL: db, CONCLAVE_DATA: dataDir() }, ['--bootstrap']);
    expect(s.output()).toContain('a demo committee member was created');
    expect(warnings(s.output())).toEqual([]);
  });

  it('says it once from the primary of --workers 2', async () => {
    const db = await freshDatabase();
    const s = await serve({ DATABASE_URL: db, CONCLAVE_DATA: dataDir() }, ['--workers', '2']);
    await new Promise((r) => setTimeout(r, 500));
    expect(warnings(s.output())).toEqual([WARNING]);
  });
});

describe('conclave serve on an embedded database without a committee member', () => {
  it('also says to stop the server before adding one', async () => {
    const data = freshDataDir('conclave-no-committee-');
    dirs.push(data);
    const s = await serve({ CONCLAVE_DATA: data });
    expect(warnings(s.output())).toEqual([`${WARNING} (stop the server first: it holds the data directory)`]);
  }, 120_000);
});

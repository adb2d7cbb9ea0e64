/**
 * `conclave serve` on PostgreSQL when the network to the server goes away under a query: the
 * request fails, the process lives on, and once the server can be reached again it serves.
 *
 * An operator's trial killed a TCP proxy in front of PostgreSQL while the server was working, and
 * the process died of an unhandled 'error' event from a pool client that was checked out (the
 * pool listens for errors on idle clients only). Here a relay stands for that proxy, and a page's
 * query is held on a table lock so that the cut comes while its client is checked out.
 *
 * PostgreSQL only (TEST_DATABASE_URL); runs bin/conclave.js, so dist/ must be built.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { Relay } from '../support/pg-relay.js';
import { adminQuery, databaseUrl } from '../support/pg-admin.js';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/conclave.js');
const adminUrl = process.env.TEST_DATABASE_URL;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function freshDatabase(): Promise<string> {
  const name = `conclave_lost_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl!, `create database ${name}`);
  cleanups.push(() => adminQuery(adminUrl!, `drop database if exists ${name} with (force)`));
  return databaseUrl(adminUrl!, name);
}

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!adminUrl)('serve when the network to PostgreSQL is cut under a query', () => {
  it('fails that request and keeps serving, once the server answers again', async () => {
    const url = await freshDatabase();
    const target = new URL(url);
    const relay = new Relay(target);
    await relay.start();
    cleanups.push(() => relay.kill().catch(() => {}));
    const relayed = new URL(url);
    relayed.port = String(relay.port);

    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-lost-'));
    cleanups.push(() => fs.rmSync(data, { recursive: true, force: true }));
    const e: NodeJS.ProcessEnv = { ...process.env };
    for (const k of ['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'CONCLAVE_DATA']) delete e[k];
    const child: ChildProcess = spawn(process.execPath, [bin, 'serve', '--no-cache'], {
      cwd: root,
      env: { ...e, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', DATABASE_URL: relayed.toString(), CONCLAVE_DATA: data, CONCLAVE_MAILBOX: path.join(data, 'mailbox') },
    });
    cleanups.push(() => void (child.exitCode === null && child.kill('SIGKILL')));
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    let exitCode: number | null | undefined;
    child.on('exit', (c) => (exitCode = c));
    await until(() => /conclave: open http:\/\/\S+/.test(out) || exitCode !== undefined, 'serve to start', 90_000);
    const site = /conclave: open (http:\/\/\S+?)\/?\n/.exec(out)![1]!;
    expect((await fetch(`${site}/`)).status).toBe(200);

    // The home page's query waits on a lock this connection holds: its pool client is checked out.
    const direct = new pg.Client({ connectionString: url });
    await direct.connect();
    cleanups.push(() => direct.end().catch(() => {}));
    await direct.query('begin');
    await direct.query('lock table editions in access exclusive mode');
    const page = fetch(`${site}/`);
    await until(
      async () => (await direct.query(`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`)).rows[0].n > 0,
      'the page’s query to wait on the lock',
    );

    await relay.kill();
    // The request under way fails; the process does not.
    expect((await page).status).toBe(503);
    await direct.query('rollback');
    expect(exitCode).toBeUndefined();
    expect((await fetch(`${site}/readyz`)).status).toBe(503);
    expect(exitCode).toBeUndefined();
    expect(out).not.toMatch(/Unhandled 'error' event/);
    // Said in the server's JSON log, one object a line, as every line after the start-up's.
    const events = out.slice(out.indexOf('conclave: open')).split('\n').slice(1).filter(Boolean);
    expect(events.length).toBeGreaterThan(0);
    const parsed = events.map((line) => JSON.parse(line) as { msg?: string; error?: string; code?: string });
    expect(parsed).toContainEqual(expect.objectContaining({ msg: 'PostgreSQL connection lost', error: 'Connection terminated unexpectedly' }));

    // The proxy back on its port: the same process serves again.
    await relay.start();
    await until(async () => (await fetch(`${site}/readyz`)).status === 200, '/readyz to say 200 again');
    expect((await fetch(`${site}/`)).status).toBe(200);
    expect(exitCode).toBeUndefined();
    for (const line of out.slice(out.indexOf('conclave: open')).split('\n').slice(1).filter(Boolean)) expect(() => JSON.parse(line), line).not.toThrow();
  });
});

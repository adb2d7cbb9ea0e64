/**
 * `conclave serve --workers 2` keeps one server's rate limits: the sign-in links' ten requests a
 * client per quarter of an hour hold across the workers, whichever of them each connection
 * reaches (ops/cluster-rate-limit.ts). PostgreSQL only (a cluster needs it).
 */
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serveUntilOpen } from '../support/cli.js';
import { adminQuery, databaseUrl } from '../support/pg-admin.js';

const adminUrl = process.env.TEST_DATABASE_URL;
const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const f of cleanups.splice(0).reverse()) await f();
});

describe.skipIf(!adminUrl)('serve --workers 2: rate limits', () => {
  it('counts a client’s sign-in requests across both workers', async () => {
    const name = `conclave_rl_${process.pid}_${randomBytes(4).toString('hex')}`;
    await adminQuery(adminUrl!, `create database ${name}`);
    cleanups.push(() => adminQuery(adminUrl!, `drop database if exists ${name} with (force)`));
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-rl-'));
    cleanups.push(async () => fs.rmSync(data, { recursive: true, force: true }));
    const s = await serveUntilOpen({ DATABASE_URL: databaseUrl(adminUrl!, name), CONCLAVE_DATA: data }, ['--workers', '2'], { started: (c) => children.push(c) });
    const { port } = new URL(s.url);
    // A new connection each time: the primary deals connections to the workers in turn, so
    // counted in each worker alone the 11th request would be the 6th of one of them.
    const status = (p: string) =>
      new Promise<number>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: p, agent: false }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          })
          .on('error', reject);
      });
    const link = `/signin/${'x'.repeat(43)}`;
    const answers: number[] = [];
    for (let i = 0; i < 12; i++) answers.push(await status(link));
    expect(answers.slice(0, 10).every((c) => c !== 429), answers.join(' ')).toBe(true);
    expect(answers.slice(10), answers.join(' ')).toEqual([429, 429]);
    // Another route keeps its own count.
    expect(await status('/signin')).toBe(200);
  }, 120_000);
});

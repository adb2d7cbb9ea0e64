/**
 * `conclave serve` keeps uploaded files (and, without SMTP_URL, its mail) under CONCLAVE_DATA,
 * also on PostgreSQL. A directory it cannot write is a configuration error said at start, naming
 * CONCLAVE_DATA, before any database is opened: an operator's trial started a server on
 * PostgreSQL with CONCLAVE_DATA=/proc/nonexist/x, which said "mail goes to the local mailbox
 * /proc/nonexist/x/mailbox" and would have failed at the first upload or mail.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runConclave } from '../support/cli.js';

// Nothing answers on port 1: were the database opened first, serve would exit 75 (try again).
const NOWHERE_DB = 'postgres://conclave@127.0.0.1:1/conclave';
const made = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-data-dir-'));
afterAll(() => fs.rmSync(made, { recursive: true, force: true }));

describe('conclave serve with a CONCLAVE_DATA it cannot write', () => {
  it('refuses at start, naming CONCLAVE_DATA and the directory, before the database', () => {
    // /proc takes no new directory, not even from root.
    const r = runConclave(['serve'], { CONCLAVE_DATA: '/proc/conclave-nowhere/data', DATABASE_URL: NOWHERE_DB, PORT: '0' });
    expect([r.code, r.stderr]).toEqual([
      1,
      'conclave: CONCLAVE_DATA="/proc/conclave-nowhere/data": cannot write /proc/conclave-nowhere/data/files (ENOENT), where the server keeps uploaded files: set CONCLAVE_DATA to a directory it may write\n',
    ]);
  });

  it('refuses a CONCLAVE_DATA under a file', () => {
    const file = path.join(made, 'a-file');
    fs.writeFileSync(file, '');
    const r = runConclave(['serve'], { CONCLAVE_DATA: path.join(file, 'data'), DATABASE_URL: NOWHERE_DB, PORT: '0', SMTP_URL: 'smtp://127.0.0.1:1' });
    expect([r.code, r.stderr]).toEqual([
      1,
      `conclave: CONCLAVE_DATA=${JSON.stringify(path.join(file, 'data'))}: cannot write ${path.join(file, 'data', 'files')} (ENOTDIR), where the server keeps uploaded files: set CONCLAVE_DATA to a directory it may write\n`,
    ]);
  });

  it('makes the directories it needs when they are missing, then goes on to the database', () => {
    const data = path.join(made, 'new', 'data');
    const r = runConclave(['serve'], { CONCLAVE_DATA: data, DATABASE_URL: NOWHERE_DB, PORT: '0' });
    expect(r.code).toBe(75);
    expect(fs.statSync(path.join(data, 'files')).isDirectory()).toBe(true);
    expect(fs.statSync(path.join(data, 'mailbox')).isDirectory()).toBe(true);
  });
});

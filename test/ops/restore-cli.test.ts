/**
 * `conclave restore FILE` given a wrong FILE: a path that does not exist, or a directory, is
 * refused in one line naming it (exit 1), before the database is opened — a new data directory
 * is left as it was, not holding half a database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runConclave } from '../support/cli.js';

describe('conclave restore of a wrong path', () => {
  it('names a file that does not exist, and makes no database', () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-restore-'));
    const missing = path.join(data, 'no-such-backup.gz');
    const r = runConclave(['restore', missing], { CONCLAVE_DATA: data });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`conclave: FILE: cannot read ${missing}: no such file\n`);
    expect(fs.readdirSync(data)).toEqual([]);
  });

  it('names a directory given for the file', () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-restore-'));
    const r = runConclave(['restore', os.tmpdir()], { CONCLAVE_DATA: data });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`conclave: FILE: ${os.tmpdir()} is not a file\n`);
    expect(fs.readdirSync(data)).toEqual([]);
  });
});

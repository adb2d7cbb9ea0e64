/**
 * The embedded database's buffer pool: small by default (PGLITE_BUFFERS_MB), since every process
 * that opens it touches all of it (src/db/connect.ts), and set by CONCLAVE_PGLITE_BUFFERS_MB.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDb, openPglite, PGLITE_BUFFERS_MB, type Db } from '../../src/db/connect.js';
import { freshPglite } from '../support/db.js';

const opened: Db[] = [];
afterEach(async () => {
  for (const h of opened.splice(0)) await h.close();
});

async function sharedBuffers(handle: Db): Promise<string> {
  opened.push(handle);
  const { rows } = await sql<{ shared_buffers: string }>`show shared_buffers`.execute(handle.db);
  return rows[0]!.shared_buffers;
}

describe('embedded PGlite', () => {
  it('starts with the small buffer pool, in memory', async () => {
    expect(PGLITE_BUFFERS_MB).toBe(16);
    expect(await sharedBuffers(await freshPglite())).toBe('16MB');
  });

  it('starts with the small buffer pool in a data directory, and keeps its data there', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-embedded-'));
    try {
      const first = await openPglite({ dir });
      expect(await sharedBuffers(first)).toBe('16MB');
      await sql`create table kept (n int)`.execute(first.db);
      await sql`insert into kept select generate_series(1, 5000)`.execute(first.db);
      await first.close();
      opened.splice(opened.indexOf(first), 1);
      const again = await openPglite({ dir });
      expect(await sharedBuffers(again)).toBe('16MB');
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from kept`.execute(again.db);
      expect(rows[0]!.n).toBe(5000);
    } finally {
      for (const h of opened.splice(0)) await h.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes its size from CONCLAVE_PGLITE_BUFFERS_MB, and refuses a size that is not one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-embedded-'));
    try {
      const config = loadConfig({ CONCLAVE_DATA: dir, CONCLAVE_PGLITE_BUFFERS_MB: '24' });
      expect(config.pgliteBuffersMB).toBe(24);
      expect(await sharedBuffers(await openDb(config))).toBe('24MB');
    } finally {
      for (const h of opened.splice(0)) await h.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(loadConfig({}).pgliteBuffersMB).toBe(16);
    expect(() => loadConfig({ CONCLAVE_PGLITE_BUFFERS_MB: '1.5' })).toThrow(/CONCLAVE_PGLITE_BUFFERS_MB="1.5": must be a whole number of megabytes/);
    expect(() => loadConfig({ CONCLAVE_PGLITE_BUFFERS_MB: 'lots' })).toThrow(/CONCLAVE_PGLITE_BUFFERS_MB="lots": must be a whole number of megabytes/);
    expect(() => loadConfig({ CONCLAVE_PGLITE_BUFFERS_MB: '0' })).toThrow(/CONCLAVE_PGLITE_BUFFERS_MB="0": must be at least 1/);
  });
});

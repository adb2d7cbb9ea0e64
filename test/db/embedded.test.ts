/**
 * The embedded database's buffer pool: small by default (PGLITE_BUFFERS_MB), since every process
 * that opens it touches all of it (src/db/connect.ts), and set by CONCLAVE_PGLITE_BUFFERS_MB.
 * Where the pool of a data directory is the point, not its making, the directory holds a copy of
 * the run's database (freshDataDir): a new one costs initdb, and openDb all the migrations.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDb, openPglite, PGLITE_BUFFERS_MB, type Db } from '../../src/db/connect.js';
import { lockDataDir } from '../../src/db/lock.js';
import { freshDataDir, freshPglite } from '../support/db.js';

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
    const dir = freshDataDir('conclave-embedded-');
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

  it('keeps the exit code a command set before closing it', async () => {
    const handle = await freshPglite();
    await sql`select 1`.execute(handle.db);
    const before = process.exitCode;
    try {
      // A command that failed a check (1), or was stopped by Ctrl-C (130), and then closes.
      process.exitCode = 130;
      await handle.close();
      expect(process.exitCode).toBe(130);
    } finally {
      process.exitCode = before;
    }
  });

  it('takes its size from CONCLAVE_PGLITE_BUFFERS_MB, and refuses a size that is not one', async () => {
    const dir = freshDataDir('conclave-embedded-');
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

  it('creates a new database in a process of its own, so that the opener does not keep what initdb used', () => {
    // PGlite's initdb peaks at 660-780 MB in the process that runs it (with and without
    // --liftoff-only, measured 2026-12-07), and that process keeps most of it (src/db/connect.ts,
    // createCluster). The opener here reports its own peak: 230-270 MB alone, but 515 MB once in
    // a whole CI run (its first open of the new cluster, on a busy machine). The bound lies
    // between that and initdb's least.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-embedded-'));
    try {
      const connect = pathToFileURL(path.resolve(import.meta.dirname, '../../src/db/connect.ts')).href;
      const code = `const { openPglite } = await import(${JSON.stringify(connect)}); const h = await openPglite({ dir: process.argv[1] }); await h.close(); console.log(JSON.stringify({ peakMB: process.resourceUsage().maxRSS / 1024 }));`;
      const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, dir], { encoding: 'utf8', timeout: 120_000 });
      expect(r.stderr).toBe('');
      const { peakMB } = JSON.parse(r.stdout) as { peakMB: number };
      expect(peakMB).toBeLessThan(600);
      expect(fs.existsSync(path.join(dir, 'pgdata', 'PG_VERSION'))).toBe(true);
      expect(fs.readdirSync(dir).sort()).not.toContain('pgdata.new');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never leaves a half-made database: an interrupted creation is made again, a foreign directory refused', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-embedded-'));
    try {
      // What a creation killed half way leaves: a directory beside the database, none in place.
      fs.mkdirSync(path.join(dir, 'pgdata.new', 'base'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'pgdata.new', 'PG_VERSION'), '17\n');
      const h = await openPglite({ dir });
      opened.push(h);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_class`.execute(h.db);
      expect(rows[0]!.n).toBeGreaterThan(100);
      expect(fs.existsSync(path.join(dir, 'pgdata.new'))).toBe(false);
      await h.close();
      opened.splice(opened.indexOf(h), 1);

      const other = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-embedded-'));
      fs.mkdirSync(path.join(other, 'pgdata'));
      fs.writeFileSync(path.join(other, 'pgdata', 'notes.txt'), 'not a database');
      try {
        await expect(openPglite({ dir: other })).rejects.toThrow(`${path.join(other, 'pgdata')} holds files but no database (no PG_VERSION): move it away`);
        expect(fs.readFileSync(path.join(other, 'pgdata', 'notes.txt'), 'utf8')).toBe('not a database');
        // The refusal let go of the directory's lock.
        lockDataDir(other).release();
      } finally {
        fs.rmSync(other, { recursive: true, force: true });
      }
    } finally {
      for (const x of opened.splice(0)) await x.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

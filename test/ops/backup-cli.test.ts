/**
 * `conclave backup FILE` given a FILE it cannot write: in a directory that does not exist, or a
 * directory itself, is refused in one line naming it (exit 1) before the database is opened, and
 * leaves nothing behind. A write that fails on the way (a full disk) fails the backup with its
 * error, never hangs it waiting for the stream to drain. A backup cut off by its reader (`backup -`)
 * is not reported as made. A FILE that is a pipe or a device is written as it is, and a symbolic
 * link has its target replaced: neither is swapped for a plain file.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBackup } from '../../src/ops/backup.js';
import { cleanEnv, conclaveBin, projectRoot } from '../support/cli.js';
import { runCommand } from '../support/cli-in-process.js';
import { freshPglite, makeCommandData, type CommandData } from '../support/db.js';

/*
 * The commands run in this process where what they check is what `backup` does and says to the
 * FILE and the data directory (a Node process and the bundle's loading each, otherwise); a
 * reader that goes away, and a pipe, are the executable's own standard output and file, so
 * they run it.
 */
describe('conclave backup to a path it cannot write', () => {
  it('names a directory that does not exist', async () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-backup-'));
    const target = path.join(data, 'no-such-dir', 'b.gz');
    const r = await runCommand(['backup', target], { CONCLAVE_DATA: data });
    expect([r.code, r.stderr]).toEqual([1, `conclave: FILE: cannot write ${target}: there is no directory ${path.dirname(target)}\n`]);
    expect(fs.readdirSync(data)).toEqual([]);
  });

  it('refuses a data directory that holds no database, rather than back up a new empty one', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-backup-'));
    const typo = path.join(tmp, 'no-such-data');
    const r = await runCommand(['backup', path.join(tmp, 'b.gz')], { CONCLAVE_DATA: typo });
    expect([r.code, r.stderr]).toEqual([1, `conclave: CONCLAVE_DATA: ${typo} holds no database: nothing to back up (is it the directory \`conclave serve\` uses?)\n`]);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it('names a directory given for the file, and writes nothing beside it', async () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-backup-'));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-backup-to-'));
    const r = await runCommand(['backup', dir], { CONCLAVE_DATA: data });
    expect([r.code, r.stderr]).toEqual([1, `conclave: FILE: ${dir} is a directory: give the name of the backup file to write, such as ${path.join(dir, 'conclave-backup.gz')}\n`]);
    expect(fs.readdirSync(path.dirname(dir)).filter((f) => f.startsWith(`${path.basename(dir)}.partial`))).toEqual([]);
  });

  it('fails, not hangs, when its output fails on the way', async () => {
    const handle = await freshPglite();
    try {
      let writes = 0;
      const full = new Writable({
        highWaterMark: 1,
        write(_chunk, _enc, cb) {
          // Slow enough that the writer waits for a drain, then the disk is full.
          setTimeout(() => cb(++writes > 3 ? Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }) : null), 5);
        },
      });
      full.on('error', () => {});
      await expect(writeBackup(handle.db, full, { source: 'test' })).rejects.toThrow(/no space left/);
    } finally {
      await handle.close();
    }
  }, 20_000);
});

describe('conclave backup to a reader that goes away', () => {
  let data: CommandData;

  beforeAll(async () => {
    data = await makeCommandData('conclave-cli-backup-');
    const seeds = fs.readdirSync(path.join(projectRoot, 'archive/netconf')).map((f) => path.join(projectRoot, 'archive/netconf', f));
    const imported = await runCommand(['import', ...seeds], data.env);
    expect(imported.code, imported.stderr).toBe(0);
  });
  afterAll(() => data.drop());

  it('fails, saying so, when the reader of `backup -` goes away before the end', async () => {
    const child = spawn(process.execPath, [conclaveBin, 'backup', '-'], { cwd: projectRoot, env: cleanEnv(data.env), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // as a reader that died does: the next write fails (EPIPE)
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect([code, stderr]).toEqual([1, 'conclave: the reader of the backup went away before its end: the backup is incomplete\n']);
  });
});

describe('conclave backup to what is not a plain file', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-cli-backup-'));
  let data: CommandData;
  beforeAll(async () => {
    data = await makeCommandData('conclave-cli-backup-data-');
  });
  afterAll(async () => {
    await data.drop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  const header = (gz: Buffer) => JSON.parse(zlib.gunzipSync(gz).toString('utf8').split('\n')[0]!).format;

  it('writes into a named pipe, leaving it a pipe', async () => {
    const fifo = path.join(tmp, 'to-ssh');
    execFileSync('mkfifo', [fifo]);
    // The reader, as `ssh host 'cat > b.gz' < FIFO` would be: it waits for a writer to open the pipe.
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    reader.stdout.on('data', (d: Buffer) => chunks.push(d));
    const ended = new Promise<number | null>((resolve) => reader.on('close', resolve));
    try {
      const child = spawn(process.execPath, [conclaveBin, 'backup', fifo], { cwd: projectRoot, env: cleanEnv(data.env), stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect([code, out]).toEqual([0, expect.stringMatching(new RegExp(`^backed up .* to ${fifo}\n$`))]);
      expect(fs.statSync(fifo).isFIFO()).toBe(true);
      expect(await ended).toBe(0);
      expect(header(Buffer.concat(chunks))).toBe('conclave-backup');
    } finally {
      reader.kill();
    }
  }, 60_000);

  it('names a device that is full, and leaves it a device', async () => {
    const r = await runCommand(['backup', '/dev/full'], data.env);
    expect([r.code, r.stderr]).toEqual([1, 'conclave: FILE: cannot write /dev/full: no space left on the device\n']);
    expect(fs.statSync('/dev/full').isCharacterDevice()).toBe(true);
  });

  it('replaces the file a symbolic link names, keeping the link', async () => {
    fs.mkdirSync(path.join(tmp, 'backups'));
    const real = path.join(tmp, 'backups', 'latest.gz');
    fs.writeFileSync(real, 'an older backup');
    const link = path.join(tmp, 'latest.gz');
    fs.symlinkSync(real, link);
    const r = await runCommand(['backup', link], data.env);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(header(fs.readFileSync(real))).toBe('conclave-backup');
    expect(fs.readdirSync(tmp).sort()).toEqual(['backups', 'latest.gz', 'to-ssh']);
  });
});

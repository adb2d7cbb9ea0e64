/**
 * `conclave restore FILE` given a wrong FILE: a path that does not exist, or a directory, is
 * refused in one line naming it (exit 1), before the database is opened — a new data directory
 * is left as it was, not holding half a database. So is a file that is not a backup at all (not
 * gzip, or gzip of something else): neither a data directory nor a PostgreSQL database is made
 * or migrated for it. Nor is one left behind by a backup cut short in its middle, nor an empty
 * PostgreSQL database left migrated by it (the schema is made in the restore's transaction).
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBackup } from '../../src/ops/backup.js';
import { runConclave } from '../support/cli.js';
import { runCommand } from '../support/cli-in-process.js';
import { copyDataDir, freshPglite } from '../support/db.js';
import { adminQuery, databaseUrl } from '../support/pg-admin.js';

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

describe('conclave restore of a file that is not a backup', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-restore-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const notGzip = path.join(tmp, 'notes.txt');
  fs.writeFileSync(notGzip, 'these are not the rows you are looking for\n');
  const otherGzip = path.join(tmp, 'other.json.gz');
  fs.writeFileSync(otherGzip, zlib.gzipSync('{"format":"something-else"}\n'));
  const cases = [
    { what: 'a text file', file: notGzip, why: 'not a conclave backup (not gzip)' },
    { what: 'gzip of other JSON', file: otherGzip, why: 'not a conclave backup' },
  ];

  // A backup's header, then rows enough that a cut in its middle falls well after it.
  const header = { format: 'conclave-backup', version: 1, createdAt: '2100-01-01T00:00:00Z', source: 'test', migrations: [] };
  const rows = Array.from({ length: 1_500 }, (_, i) => JSON.stringify({ table: 'people', row: { id: i + 1, slug: `p-${randomBytes(8).toString('hex')}` } }));
  const whole = zlib.gzipSync(`${JSON.stringify(header)}\n${rows.join('\n')}\n`);
  const cut = path.join(tmp, 'cut.gz');
  fs.writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));

  it('leaves no embedded database behind when a backup is cut short in its middle', () => {
    const data = path.join(tmp, 'data-cut');
    const r = runConclave(['restore', cut], { CONCLAVE_DATA: data });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toBe(`conclave: ${cut}: the backup is cut short (its gzip data ends early); nothing was restored\n`);
    expect(fs.existsSync(data)).toBe(false);
    // Nor the parents it made for a data directory deeper down.
    const deep = path.join(tmp, 'made', 'for', 'data-cut');
    const d = runConclave(['restore', cut], { CONCLAVE_DATA: deep });
    expect(d.code, d.stderr).toBe(1);
    expect(fs.existsSync(path.join(tmp, 'made'))).toBe(false);
  });

  it.each(cases)('refuses $what, making no embedded database', ({ file, why }) => {
    const data = path.join(tmp, `data-${path.basename(file)}`);
    const r = runConclave(['restore', file], { CONCLAVE_DATA: data });
    expect([r.code, r.stderr]).toEqual([1, `conclave: ${file}: ${why}\n`]);
    expect(fs.existsSync(data)).toBe(false);
  });

  // Cut inside a line, then gzipped whole again (a copy of the text cut short); and damaged in
  // the middle of its gzip data, which inflates to garbage before gzip's check fails.
  const midLine = path.join(tmp, 'mid-line.gz');
  const text = `${JSON.stringify(header)}\n${rows.join('\n')}\n`;
  fs.writeFileSync(midLine, zlib.gzipSync(text.slice(0, Math.floor(text.length / 2) + 3)));
  const corrupt = path.join(tmp, 'corrupt.gz');
  const bytes = Buffer.from(whole);
  for (let i = Math.floor(bytes.length / 2); i < Math.floor(bytes.length / 2) + 64; i++) bytes[i] = 0x41;
  fs.writeFileSync(corrupt, bytes);

  // What is said of the file, whatever the database: an empty PostgreSQL one of its own when the
  // run has a server (no initdb, ~15-30 s of CPU each on the embedded database), else embedded.
  it.each([
    { what: 'cut inside a line', file: midLine, why: /^the backup is cut short \(its last line ends early\); nothing was restored$/ },
    { what: 'damaged gzip data', file: corrupt, why: /^the backup is damaged \(gzip: .+\); nothing was restored$/ },
  ])('says a backup $what is so, naming it', async ({ file, why }) => {
    const env: Record<string, string> = { CONCLAVE_DATA: path.join(tmp, `data-${path.basename(file)}`) };
    const admin = process.env.TEST_DATABASE_URL;
    const name = `conclave_restore_said_${process.pid}_${randomBytes(4).toString('hex')}`;
    if (admin) {
      await adminQuery(admin, `create database ${name}`);
      env.DATABASE_URL = databaseUrl(admin, name);
    }
    try {
      const r = runConclave(['restore', file], env);
      expect(r.code).toBe(1);
      expect(r.stderr.startsWith(`conclave: ${file}: `), r.stderr).toBe(true);
      expect(r.stderr.slice(`conclave: ${file}: `.length).trimEnd()).toMatch(why);
    } finally {
      if (admin) await adminQuery(admin, `drop database if exists ${name} with (force)`);
    }
  });

  const adminUrl = process.env.TEST_DATABASE_URL;
  describe.skipIf(!adminUrl)('on PostgreSQL', () => {
    const name = `conclave_restore_${process.pid}_${randomBytes(4).toString('hex')}`;
    afterAll(async () => {
      await adminQuery(adminUrl!, `drop database if exists ${name} with (force)`);
    });

    it('leaves an empty database unmigrated when a backup is cut short in its middle', async () => {
      await adminQuery(adminUrl!, `create database ${name}`);
      const url = databaseUrl(adminUrl!, name);
      const c = new pg.Client({ connectionString: url });
      try {
        const r = runConclave(['restore', cut], { CONCLAVE_DATA: path.join(tmp, 'pg-data'), DATABASE_URL: url });
        expect([r.code, r.stderr]).toEqual([1, `conclave: ${cut}: the backup is cut short (its gzip data ends early); nothing was restored\n`]);
        await c.connect();
        const tables = await c.query(`select table_name from information_schema.tables where table_schema = 'public'`);
        expect(tables.rows).toEqual([]);
      } finally {
        await c.end();
        await adminQuery(adminUrl!, `drop database ${name} with (force)`);
      }
    });

    it.each(cases)('refuses $what, leaving an empty database unmigrated', async ({ file, why }) => {
      await adminQuery(adminUrl!, `create database ${name}`);
      const url = databaseUrl(adminUrl!, name);
      const r = runConclave(['restore', file], { CONCLAVE_DATA: path.join(tmp, 'pg-data'), DATABASE_URL: url });
      expect([r.code, r.stderr]).toEqual([1, `conclave: ${file}: ${why}\n`]);
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        const tables = await c.query(`select table_name from information_schema.tables where table_schema = 'public'`);
        expect(tables.rows).toEqual([]);
      } finally {
        await c.end();
        await adminQuery(adminUrl!, `drop database ${name} with (force)`);
      }
    });
  });
});

/**
 * A restore into a second database (a check of a backup) brings back the mail queued when the
 * backup was made, which a server there would send again: the restore says how many, and how to
 * serve without sending. What it says is the point, not the making of a data directory: the
 * restores run in this process (runCommand) into a copy of the run's empty database (a new one
 * costs initdb, and the executable a Node process and the bundle's loading).
 */
describe('conclave restore of a backup holding queued mail', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-restore-queued-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const file = path.join(tmp, 'b.gz');
  beforeAll(async () => {
    const source = await freshPglite();
    try {
      const mail = (state: 'queued' | 'sending' | 'sent' | 'failed' | 'draft', n: number) => ({
        kind: 'notice', to_address: `p${n}@example.org`, from_address: 'committee@example.org', subject: `#${n}`, body: 'hello', message_id: `<m${n}@example.org>`, next_attempt_at: new Date(), state,
        ...(state === 'sending' ? { claimed_by: 'a sender that died', claimed_at: new Date() } : {}),
        ...(state === 'sent' ? { sent_at: new Date(), transport: 'mailbox' as const } : {}),
        ...(state === 'draft' ? { batch: 'held' } : {}),
      });
      await source.db.insertInto('outbox').values([mail('queued', 1), mail('sending', 2), mail('sent', 3), mail('failed', 4), mail('draft', 5)]).execute();
      const gz = zlib.createGzip();
      const written = new Promise<void>((resolve, reject) => gz.pipe(fs.createWriteStream(file)).on('finish', resolve).on('error', reject));
      await writeBackup(source.db, gz, { source: 'test' });
      gz.end();
      await written;
    } finally {
      await source.close();
    }
  }, 60_000);

  it('says how many messages came back queued, not yet sent', async () => {
    const r = await runCommand(['restore', file], { CONCLAVE_DATA: copyDataDir(path.join(tmp, 'data')) });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout.split('\n')).toEqual([
      expect.stringMatching(/^restored \d+ rows in \d+ tables, .* into .*data$/),
      '2 messages came back queued, not yet sent: `conclave serve` on this database sends them (again, if the backed-up database sent them); `conclave serve --no-mail-worker` serves it without sending mail',
      '',
    ]);
  }, 120_000);

  it('says how many files it left that nothing records now, without removing them', async () => {
    // A file of the database a forced restore replaces, which the backup does not hold.
    const data = copyDataDir(path.join(tmp, 'data-loose'));
    const sha = createHash('sha256').update('old slides').digest('hex');
    const loose = path.join(data, 'files', sha.slice(0, 2), sha);
    fs.mkdirSync(path.dirname(loose), { recursive: true });
    fs.writeFileSync(loose, 'old slides');
    const r = await runCommand(['restore', file], { CONCLAVE_DATA: data });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout.split('\n').slice(1)).toEqual([
      '2 messages came back queued, not yet sent: `conclave serve` on this database sends them (again, if the backed-up database sent them); `conclave serve --no-mail-worker` serves it without sending mail',
      `1 file in ${path.join(data, 'files')} that the backup does not hold and nothing records now, left there: \`conclave files prune\` removes them`,
      '',
    ]);
    expect(fs.readFileSync(loose, 'utf8')).toBe('old slides');
  }, 120_000);
});

/**
 * Backups that restore into either database: a logical dump, not a data-directory copy.
 *
 * A backup is one gzip stream of JSON lines: a header (format, version, the migrations applied),
 * every row of every table (row_to_json, in primary-key order, tables in foreign-key order, all
 * read in one repeatable-read snapshot), every uploaded file its rows record (base64 chunks,
 * checked against its SHA-256 on the way back), and a trailer with the counts, so that a cut-off backup is refused
 * rather than half restored. JSON as PostgreSQL writes and reads it (json_populate_recordset)
 * keeps every type exactly: timestamps to the microsecond with their offset, bytea as hex, jsonb
 * as JSON. The same stream, unzipped, moves the embedded database to PostgreSQL.
 *
 * A restore goes into an empty database (any data: refused unless forced, which empties it
 * first), in one transaction, with the migrations of a new database (a restore that fails leaves
 * it unmigrated); sequences are set past the restored ids. A backup of an older
 * schema restores into a newer one (columns it lacks get their defaults, and the rows go through
 * the rewrites of the migrations it predates); a backup from a newer conclave is refused.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import zlib from 'node:zlib';
import { sql, type Kysely, type Transaction } from 'kysely';
import { migrateToLatest, rowRewrites } from '../db/migrate.js';
import type { Database } from '../db/schema.js';
import { Conflict, InvalidInput } from '../domain/errors.js';
import { filePath, holdFiles } from '../domain/files/store.js';
import { deferSearchRefresh } from '../domain/search/documents.js';

export const BACKUP_FORMAT = 'conclave-backup';
export const BACKUP_VERSION = 1;

/**
 * Tables that are not data: the migrator's own, the page cache's log (migration 011), and
 * search's stored documents (migration 031), which the restored rows make anew as they go in
 * (once, at the restore's commit: migration 032), with the ids it has yet to make them of.
 */
const NOT_DATA = new Set(['kysely_migration', 'kysely_migration_lock', 'cache_invalidations', 'search_slots', 'search_topics', 'search_editions', 'search_pending']);

const BATCH = 500;
const FILE_CHUNK = 768 * 1024;

type AnyDb = Kysely<Database> | Transaction<Database>;

export interface BackupSummary {
  tables: Record<string, number>;
  rows: number;
  files: number;
  fileBytes: number;
  migrations: string[];
}

interface Header {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  source: string;
  migrations: string[];
}

/** The data tables, parents before children (foreign keys), each with its primary key columns. */
export async function dataTables(db: AnyDb): Promise<{ name: string; key: string[] }[]> {
  const tables = (
    await sql<{ name: string }>`select table_name as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db)
  ).rows
    .map((r) => r.name)
    .filter((n) => !NOT_DATA.has(n));
  const fks = (
    await sql<{ child: string; parent: string }>`select c.relname as child, p.relname as parent
      from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
      join pg_namespace n on n.oid = c.relnamespace
      where k.contype = 'f' and n.nspname = 'public' and k.conrelid <> k.confrelid`.execute(db)
  ).rows;
  const keys = (
    await sql<{ name: string; col: string }>`select c.relname as name, a.attname as col
      from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
      join lateral unnest(i.indkey) with ordinality as k(attnum, ord) on true
      join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
      where i.indisprimary and n.nspname = 'public' order by c.relname, k.ord`.execute(db)
  ).rows;
  const keyOf = new Map<string, string[]>();
  for (const k of keys) keyOf.set(k.name, [...(keyOf.get(k.name) ?? []), k.col]);
  // Depth-first topological order; alphabetical among equals, so the order is stable.
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (t: string, stack: Set<string>) => {
    if (seen.has(t) || stack.has(t)) return;
    stack.add(t);
    for (const fk of fks) if (fk.child === t && tables.includes(fk.parent)) visit(fk.parent, stack);
    stack.delete(t);
    seen.add(t);
    order.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return order.map((name) => ({ name, key: keyOf.get(name) ?? [] }));
}

async function appliedMigrations(db: AnyDb): Promise<string[]> {
  return (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)).rows.map((r) => r.name);
}

/**
 * Writes a line, waiting when the stream asks to. A stream that fails or closes meanwhile (a full
 * disk, a reader of "-" gone) fails the backup with its error: waiting for a drain that never
 * comes would hang it.
 */
async function writeLine(out: Writable, value: unknown): Promise<void> {
  const gone = () => out.errored ?? new Error('the backup output was closed before the backup ended');
  if (out.destroyed) throw gone();
  if (out.write(`${JSON.stringify(value)}\n`)) return;
  await new Promise<void>((resolve, reject) => {
    const done = (err?: Error | null) => {
      out.off('drain', onDrain);
      out.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(gone());
    out.on('drain', onDrain);
    out.on('close', onClose);
  });
}

/**
 * Writes the backup lines of the database (and the files its rows record, from `filesDir`, when
 * given) to `out`, which is not ended. All rows come from one snapshot.
 */
export async function writeBackup(db: Kysely<Database>, out: Writable, opts: { filesDir?: string; source: string }): Promise<BackupSummary> {
  const summary: BackupSummary = { tables: {}, rows: 0, files: 0, fileBytes: 0, migrations: [] };
  await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      summary.migrations = await appliedMigrations(trx);
      const header: Header = { format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt: new Date().toISOString(), source: opts.source, migrations: summary.migrations };
      await writeLine(out, header);
      for (const t of await dataTables(trx)) {
        await writeLine(out, { table: t.name });
        const order = t.key.length ? sql.join(t.key.map((k) => sql.ref(`t.${k}`))) : sql`row_to_json(t)::text`;
        let n = 0;
        for (let offset = 0; ; offset += BATCH) {
          const rows = (
            await sql<{ r: unknown }>`select row_to_json(t) as r from ${sql.table(t.name)} as t order by ${order} limit ${BATCH} offset ${offset}`.execute(trx)
          ).rows;
          for (const row of rows) await writeLine(out, { r: row.r });
          n += rows.length;
          if (rows.length < BATCH) break;
        }
        summary.tables[t.name] = n;
        summary.rows += n;
      }
      if (opts.filesDir) {
        // The files this snapshot records, read while it lasts and while holdFiles keeps their
        // bytes: a file whose row went after the snapshot (its material removed) loses its bytes
        // once its write commits, and the backup would restore a row with no file. A file on
        // disk with no row (a write that crashed after storing it) is not served: left out.
        await holdFiles(trx);
        const files = await trx.selectFrom('files').select('sha256').orderBy('sha256').execute();
        for (const { sha256 } of files) {
          const data = readStored(opts.filesDir, sha256);
          // Stored by its hash: other bytes under the name (cut short, changed) are a damaged file,
          // which a backup would carry on as if whole.
          if (createHash('sha256').update(data).digest('hex') !== sha256) {
            throw new Conflict(`the uploaded file ${sha256} in ${opts.filesDir} is damaged (its content does not match its hash): \`conclave files check\` names what uses it, to upload again or remove`);
          }
          await writeLine(out, { file: `${sha256.slice(0, 2)}/${sha256}`, size: data.length, sha256 });
          for (let at = 0; at < data.length; at += FILE_CHUNK) await writeLine(out, { chunk: data.subarray(at, at + FILE_CHUNK).toString('base64') });
          summary.files++;
          summary.fileBytes += data.length;
        }
      }
    });
  await writeLine(out, { end: true, tables: summary.tables, files: summary.files });
  return summary;
}

/**
 * A recorded file's bytes, for the backup; one gone from disk stops it, saying which and how to
 * find what uses it, rather than with a bare ENOENT.
 */
function readStored(filesDir: string, sha256: string): Buffer {
  try {
    return fs.readFileSync(filePath(filesDir, sha256));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    throw new Conflict(`the uploaded file ${sha256} is missing from ${filesDir}: \`conclave files check\` names what uses it, to upload again or remove`);
  }
}

/** Whether the database holds any data (rows in a data table), and where. */
export async function nonEmptyTables(db: AnyDb): Promise<string[]> {
  const out: string[] = [];
  for (const t of await dataTables(db)) {
    const r = await sql<{ any: boolean }>`select exists (select 1 from ${sql.table(t.name)}) as any`.execute(db);
    if (r.rows[0]?.any) out.push(t.name);
  }
  return out;
}

/**
 * Sets each sequence owned by a public table's column (serial or identity) after its largest
 * restored id. Read from pg_depend, not by calling pg_get_serial_sequence on unqualified names
 * from information_schema: PostgreSQL may call that on other schemas' rows before the schema
 * filter, where the name resolves to nothing and the restore fails.
 */
async function setSequences(trx: AnyDb): Promise<void> {
  const seqs = (
    await sql<{ tbl: string; col: string; seq: string }>`select t.relname as tbl, a.attname as col, format('%I.%I', sn.nspname, s.relname) as seq
      from pg_class s
      join pg_namespace sn on sn.oid = s.relnamespace
      join pg_depend d on d.classid = 'pg_class'::regclass and d.objid = s.oid
        and d.refclassid = 'pg_class'::regclass and d.deptype in ('a', 'i')
      join pg_class t on t.oid = d.refobjid
      join pg_namespace tn on tn.oid = t.relnamespace
      join pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
      where s.relkind = 'S' and tn.nspname = 'public'`.execute(trx)
  ).rows;
  for (const s of seqs) {
    if (NOT_DATA.has(s.tbl)) continue;
    await sql`select setval(${s.seq}::regclass, coalesce((select max(${sql.ref(s.col)}) from ${sql.table(s.tbl)}), 1),
      (select max(${sql.ref(s.col)}) from ${sql.table(s.tbl)}) is not null)`.execute(trx);
  }
}

/**
 * Mail in the database queued and not yet sent (or claimed by a sender that died, which is sent
 * again): after a restore, what a server on it would send, a second time if the database backed
 * up sent it since the backup.
 */
export async function queuedMail(db: AnyDb): Promise<number> {
  const r = await db.selectFrom('outbox').select(sql<number>`count(*)::int`.as('n')).where('state', 'in', ['queued', 'sending']).executeTakeFirstOrThrow();
  return r.n;
}

/** The database a restore would write holds data, in `tables`; --force replaces it. */
export class NotEmpty extends Conflict {
  override name = 'NotEmpty';
  constructor(readonly tables: string[]) {
    super(`the database is not empty (${NotEmpty.list(tables)} hold rows); restore into an empty database, or pass --force to replace everything in it`);
  }

  /** The first tables holding rows, for a message. */
  static list(tables: string[]): string {
    return `${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', …' : ''}`;
  }
}

/** A backup refused, said of the file it was read from (its path; FILE when not given). */
class Bad extends InvalidInput {
  constructor(why: string, name = 'FILE') {
    super(name, why);
  }
}

/** What gunzip's error says of the file: cut short, damaged (in gzip's words), or not gzip at all. */
function gzipProblem(err: unknown, started: boolean, name: string): Error {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'Z_BUF_ERROR') return new Bad('the backup is cut short (its gzip data ends early); nothing was restored', name);
  if (code === 'Z_DATA_ERROR') return new Bad(started ? `the backup is damaged (gzip: ${(err as Error).message}); nothing was restored` : 'not a conclave backup (not gzip)', name);
  return err as Error;
}

/**
 * The lines of a backup, each read as JSON: what gunzip and JSON.parse say of a file that is
 * not one (not gzip, cut short, damaged after its start, a line not JSON), said in words, of the
 * file `name`.
 */
function backupLines(input: Readable, name = 'FILE'): () => Promise<Record<string, unknown> | null> {
  const lines = readline.createInterface({ input, crlfDelay: Infinity })[Symbol.asyncIterator]();
  let started = false;
  return async () => {
    let r: IteratorResult<string>;
    try {
      r = await lines.next();
    } catch (err) {
      // What gunzip says of a file cut off (a copy stopped short) or damaged after its start.
      throw gzipProblem(err, started, name);
    }
    started = true;
    if (r.done) return null;
    try {
      return JSON.parse(r.value) as Record<string, unknown>;
    } catch {
      // Damaged gzip data may inflate to garbage before its checksum fails, and a backup cut
      // inside a line ends in half of one: read on to say which it is.
      let last: boolean;
      try {
        last = !!(await lines.next()).done;
        if (!last) while (!(await lines.next()).done);
      } catch (err) {
        throw gzipProblem(err, true, name);
      }
      throw new Bad(last ? 'the backup is cut short (its last line ends early); nothing was restored' : 'not a conclave backup (a line is not JSON)', name);
    }
  };
}

/** The header, the first line, checked: a backup, of a format this conclave reads. */
async function readHeader(next: () => Promise<Record<string, unknown> | null>, name: string): Promise<Header> {
  const header = (await next()) as Partial<Header> | null;
  if (!header || header.format !== BACKUP_FORMAT) throw new Bad('not a conclave backup', name);
  if ((header.version ?? 0) > BACKUP_VERSION) throw new Bad(`backup format ${header.version} is newer than this conclave reads (${BACKUP_VERSION})`, name);
  return header as Header;
}

/**
 * Reads the header of the backup in `file` and refuses, in readBackup's words, a file that is not
 * a backup (not gzip, no header) or is of a newer format: said before a database is opened, so a
 * wrong file does not make and migrate a new one. The rest is checked as the restore reads it.
 */
export async function checkBackupHeader(file: string): Promise<void> {
  const input = fs.createReadStream(file, { highWaterMark: 16 * 1024 });
  const gunzip = zlib.createGunzip();
  input.on('error', (err) => gunzip.destroy(err));
  try {
    await readHeader(backupLines(input.pipe(gunzip), file), file);
  } finally {
    input.destroy();
    gunzip.destroy();
  }
}

/**
 * Restores a backup read line by line from `input` into `db`, and its files into `filesDir`.
 * Refuses a database holding data unless `force`, which empties it first. The schema is migrated
 * already, or, with `migrate`, is brought up to date in the restore's transaction: a restore that
 * fails (a backup cut short) then leaves a new database as it was, not migrated and empty.
 */
export async function readBackup(
  db: Kysely<Database>,
  input: Readable,
  opts: { filesDir?: string; force?: boolean; migrate?: boolean; name?: string },
): Promise<BackupSummary> {
  const name = opts.name ?? 'FILE';
  const next = backupLines(input, name);
  const header = await readHeader(next, name);
  const summary: BackupSummary = { tables: {}, rows: 0, files: 0, fileBytes: 0, migrations: header.migrations };

  // Files this restore put where none was: taken away again if it fails, so that a refused
  // backup leaves the files directory as it found it, as the database.
  const added: string[] = [];
  try {
    await restoreInto(db, next, header, summary, added, opts);
  } catch (err) {
    for (const f of added) fs.rmSync(f, { force: true });
    throw err;
  }
  return summary;
}

/**
 * Runs `body` in one transaction. With `ddl`, on one connection that begins and ends it itself,
 * so that the migrator (which wants a connection, not a Transaction) can run inside it: schema
 * and rows commit together, or neither does (DDL is transactional on PostgreSQL and PGlite).
 */
async function inTransaction(db: Kysely<Database>, ddl: boolean, body: (trx: Transaction<Database>) => Promise<void>): Promise<void> {
  if (!ddl) return db.transaction().execute(body);
  await db.connection().execute(async (conn) => {
    await sql`begin`.execute(conn);
    let committed = false;
    try {
      // A Transaction in all but name: this connection, inside the transaction begun above.
      await body(conn as unknown as Transaction<Database>);
      await sql`commit`.execute(conn);
      committed = true;
    } finally {
      if (!committed) await sql`rollback`.execute(conn).catch(() => {});
    }
  });
}

async function restoreInto(
  db: Kysely<Database>,
  next: () => Promise<Record<string, unknown> | null>,
  header: Header,
  summary: BackupSummary,
  added: string[],
  opts: { filesDir?: string; force?: boolean; migrate?: boolean; name?: string },
): Promise<void> {
  const bad = (why: string) => new Bad(why, opts.name);
  await inTransaction(db, !!opts.migrate, async (trx) => {
    if (opts.migrate) await migrateToLatest(trx, { inTransaction: true });
    await deferSearchRefresh(trx);
    // The files written below have their rows only when this commits: until then, a removal of
    // unrecorded bytes (conclave files prune) must not take them for garbage.
    if (opts.filesDir) await holdFiles(trx);
    const have = new Set(await appliedMigrations(trx));
    const unknown = header.migrations.filter((m) => !have.has(m));
    if (unknown.length) throw bad(`the backup was made by a newer conclave (migrations ${unknown.join(', ')}); upgrade conclave first`);
    const tables = await dataTables(trx);
    const busy = await nonEmptyTables(trx);
    if (busy.length && !opts.force) {
      throw new NotEmpty(busy);
    }
    if (busy.length) await sql`truncate ${sql.join(tables.map((t) => sql.table(t.name)))} restart identity cascade`.execute(trx);
    const known = new Set(tables.map((t) => t.name));
    const columnsOf = async (table: string) =>
      new Set(
        (await sql<{ c: string }>`select column_name as c from information_schema.columns where table_schema = 'public' and table_name = ${table}`.execute(trx)).rows.map(
          (r) => r.c,
        ),
      );

    let table: string | null = null;
    let cols: Set<string> = new Set();
    let batch: Record<string, unknown>[] = [];
    const flush = async () => {
      if (!table || batch.length === 0) return;
      // Only the columns the backup has: a newer schema's added columns take their defaults.
      const present = [...new Set(batch.flatMap((r) => Object.keys(r)))].filter((c) => cols.has(c));
      const list = sql.join(present.map((c) => sql.ref(c)));
      await sql`insert into ${sql.table(table)} (${list}) select ${list} from json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(batch)}::json)`.execute(trx);
      summary.rows += batch.length;
      summary.tables[table] = (summary.tables[table] ?? 0) + batch.length;
      batch = [];
    };

    let file: { rel: string; size: number; sha256: string; parts: Buffer[] } | null = null;
    const finishFile = () => {
      if (!file) return;
      const data = Buffer.concat(file.parts);
      const sha = createHash('sha256').update(data).digest('hex');
      // Its name is its hash too (a backup of before a damaged file was refused may hold one).
      if (data.length !== file.size || sha !== file.sha256 || path.basename(file.rel) !== sha) throw bad(`file ${file.rel} in the backup is damaged (its SHA-256 does not match)`);
      if (opts.filesDir) {
        const target = path.resolve(opts.filesDir, file.rel);
        if (!target.startsWith(path.resolve(opts.filesDir) + path.sep)) throw bad(`file ${file.rel} would land outside the files directory`);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        const tmp = `${target}.restore-${process.pid}`;
        if (!fs.existsSync(target)) added.push(target);
        fs.writeFileSync(tmp, data);
        fs.renameSync(tmp, target);
      }
      summary.files++;
      summary.fileBytes += data.length;
      file = null;
    };

    for (;;) {
      const line = await next();
      if (line === null) throw bad('the backup is cut short (no end line); nothing was restored');
      if ('r' in line) {
        if (!table) throw bad('a row before any table');
        batch.push(line.r as Record<string, unknown>);
        if (batch.length >= BATCH) await flush();
      } else if ('table' in line) {
        await flush();
        table = String(line.table);
        if (!known.has(table)) throw bad(`the backup has a table this database lacks: ${table}`);
        cols = await columnsOf(table);
      } else if ('chunk' in line) {
        if (!file) throw bad('file data before its name');
        file.parts.push(Buffer.from(String(line.chunk), 'base64'));
      } else if ('file' in line) {
        await flush();
        table = null;
        finishFile();
        file = { rel: String(line.file), size: Number(line.size), sha256: String(line.sha256), parts: [] };
      } else if ('end' in line) {
        await flush();
        finishFile();
        const expected = line.tables as Record<string, number>;
        for (const [t, n] of Object.entries(expected)) {
          if ((summary.tables[t] ?? 0) !== n) throw bad(`table ${t}: the backup says ${n} rows, ${summary.tables[t] ?? 0} were read`);
          summary.tables[t] = n;
        }
        if (Number(line.files) !== summary.files) throw bad(`the backup says ${String(line.files)} files, ${summary.files} were read`);
        // Read to the end of the gzip data, so that its length and checksum are checked before
        // anything is committed: a damaged byte inside a row would pass every count.
        if ((await next()) !== null) throw bad('not a conclave backup (a line after its end)');
        break;
      } else throw bad('not a conclave backup (an unknown line)');
    }
    // The rows a migration rewrote when it ran (secrets taken out of sent mail, file rows no
    // page references dropped…) come back from an older backup as they were before it.
    const made = new Set(header.migrations);
    for (const m of rowRewrites()) if (!made.has(m.name)) await m.rewrite(trx);
    await setSequences(trx);
  });
}

/**
 * openDb(config) → Kysely over a PostgreSQL server (DATABASE_URL) or embedded PGlite (a data
 * directory, locked while open). Nobody else knows which one it is.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { ConfigError, redactUrl } from '../config.js';
import { DatabaseUnavailable } from '../domain/errors.js';
import { serverGone } from './server-gone.js';
import type { Database } from './schema.js';
import { lockDataDir, type DirLock } from './lock.js';
import { migrateToLatest } from './migrate.js';

export type DbKind = 'postgres' | 'pglite';

export interface Db {
  readonly db: Kysely<Database>;
  readonly kind: DbKind;
  /** Where the data lives, for messages: the data directory or the server URL without password. */
  readonly where: string;
  close(): Promise<void>;
  /** Embedded only: the whole data directory as a tarball (test templates, backups). */
  dump?: () => Promise<Blob>;
  /**
   * PostgreSQL only: LISTEN on `channel` over a connection of its own, reconnecting when it is
   * lost. `onState(true)` once listening (again), `onState(false)` while not; `onNotify` for
   * each notification. Resolves to a function that stops listening.
   */
  listen?: (channel: string, on: { onNotify: () => void; onState: (listening: boolean) => void }) => () => Promise<void>;
}

/**
 * Where a connection that is lost is said (a command: stderr; `serve`: its JSON log). `message`
 * is one line; `err` is the connection's error, absent when the line says it works again.
 */
export type ConnectionLog = (message: string, err?: Error) => void;

const stderrLog: ConnectionLog = (message, err) => console.error(`conclave: ${message}${err ? `: ${err.message}` : ''}`);

/**
 * Keeps one LISTEN connection open, reconnecting with a growing pause (at most 10 s). An outage
 * is said twice, however long it lasts: its first failure, and the return with how many attempts
 * failed; the attempts between (one each 10 s) are not.
 */
function listener(url: string, channel: string, on: { onNotify: () => void; onState: (listening: boolean) => void }, log: ConnectionLog): () => Promise<void> {
  let stopped = false;
  let client: pg.Client | null = null;
  let pause = 250;
  let timer: NodeJS.Timeout | undefined;
  /** Attempts failed since it last listened (the loss the first), and when the first did; 0 while it listens. */
  let failures = 0;
  let failingSince = 0;
  const connect = async () => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: url });
    client = c;
    let lost = false;
    const onLost = (err?: Error) => {
      if (lost) return;
      lost = true;
      if (stopped) return;
      on.onState(false);
      if (failures++ === 0) {
        failingSince = Date.now();
        log(`LISTEN ${channel} lost; retrying (the next line says when it listens again)`, err ?? new Error('the server ended the connection'));
      }
      void c.end().catch(() => {});
      timer = setTimeout(() => void connect(), pause);
      pause = Math.min(pause * 2, 10_000);
    };
    c.on('error', onLost);
    c.on('end', () => onLost());
    c.on('notification', () => on.onNotify());
    try {
      await c.connect();
      await c.query(`listen ${channel}`);
      pause = 250;
      if (failures > 0) log(`LISTEN ${channel} listens again, ${Math.round((Date.now() - failingSince) / 1000)} s and ${failures} failed attempt${failures === 1 ? '' : 's'} after it was lost`);
      failures = 0;
      on.onState(true);
    } catch (err) {
      onLost(err as Error);
    }
  };
  void connect();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await client?.end().catch(() => {});
  };
}

const DATE_OID = 1082;
const INT8_OID = 20;

// `date` stays a plain "YYYY-MM-DD" string (no time zone shift); bigint becomes a number.
pg.types.setTypeParser(DATE_OID, (v) => v);
pg.types.setTypeParser(INT8_OID, (v) => Number(v));

const pgliteParsers = {
  [DATE_OID]: (v: string) => v,
  [INT8_OID]: (v: string) => Number(v),
};

export async function openPostgres(url: string, log: ConnectionLog = stderrLog): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  let closing = false;
  // A connection can be cut at any time: the server restarts, a database is dropped as it closes,
  // the network between goes away. pg's client then emits 'error', and an 'error' nobody listens
  // to takes the whole process down. The pool listens only while a client is idle; one checked
  // out (a query under way, a transaction, the clock jobs' lock) needs a listener of its own for
  // as long as it lives. The work under way fails by itself (its query is rejected with an error
  // serverGone() knows), and the pool drops the broken client as it is released.
  const lost = (err: Error) => {
    if (!closing) log('PostgreSQL connection lost', err);
  };
  pool.on('connect', (client) => client.on('error', lost));
  // The pool passes an idle client's error on too: said once above already.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'postgres',
    where: redactUrl(url),
    listen: (channel, on) => listener(url, channel, on, log),
    close: async () => {
      closing = true;
      await db.destroy();
    },
  };
}

/**
 * PGlite's buffer pool (shared_buffers) lives in its WebAssembly heap, and PostgreSQL touches all
 * of it at start: at PostgreSQL's default of 128MB every process that opened the embedded
 * database was ~350 MB resident, whatever it did. An embedded conclave database is small (the
 * Netconf archive a few MB; a miner's cache of 100,000 commits ~30 MB), its pages are files the
 * operating system caches anyway, and at 16 MB a command is ~120 MB smaller and no slower
 * (docs/benchmarks.md, "Embedded database"). CONCLAVE_PGLITE_BUFFERS_MB changes it.
 */
export const PGLITE_BUFFERS_MB = 16;

const execFileAsync = promisify(execFile);

/**
 * Creates the embedded database cluster in `dataDir` if there is none, in a process of its own.
 *
 * PGlite runs initdb inside its WebAssembly heap: the process that creates a cluster peaks at
 * ~750 MB and, since a WebAssembly heap never shrinks and Node keeps the arrays it used, stays at
 * ~450–720 MB for its life, where one that opens an existing cluster is ~150–280 MB. The first
 * `npm start` on a fresh machine was such a process, for as long as the server ran. A child
 * process gives all of it back when it exits (a worker thread does not: its allocations stay in
 * the process). The cluster is made beside `dataDir` and renamed into place once whole, so an
 * interrupted creation leaves nothing half made (the caller holds the directory's lock).
 */
async function createCluster(dataDir: string, buffersMB: number): Promise<void> {
  if (fs.existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0) {
    throw new ConfigError(`${dataDir} holds files but no database (no PG_VERSION): move it away to create a new database there`);
  }
  const making = `${dataDir}.new`;
  fs.rmSync(making, { recursive: true, force: true });
  fs.mkdirSync(making, { recursive: true });
  const pglite = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const script = [
    'const { PGlite } = require(process.argv[1]);',
    'PGlite.create({ dataDir: process.argv[2], startParams: [...PGlite.defaultStartParams, "-c", `shared_buffers=${process.argv[3]}MB`] }).then((c) => c.close()).catch((e) => { console.error(e && e.message ? e.message : String(e)); process.exit(1); });',
  ].join('\n');
  try {
    await execFileAsync(process.execPath, ['--liftoff-only', '-e', script, pglite, making, String(buffersMB)], { maxBuffer: 1 << 20 });
  } catch (err) {
    fs.rmSync(making, { recursive: true, force: true });
    const e = err as { stderr?: string; message: string };
    throw new Error(`creating the embedded database in ${dataDir} failed: ${(e.stderr ?? '').trim() || e.message}`);
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.renameSync(making, dataDir);
}

/** Opens an embedded PGlite database: in `dir` (locked), or in memory, optionally from a dump. */
export async function openPglite(opts: { dir?: string; loadDataDir?: Blob | File; buffersMB?: number }): Promise<Db> {
  let lock: DirLock | undefined;
  let dataDir: string | undefined;
  if (opts.dir) {
    lock = lockDataDir(opts.dir);
    dataDir = path.join(opts.dir, 'pgdata');
  }
  try {
    if (dataDir && !opts.loadDataDir) await createCluster(dataDir, opts.buffersMB ?? PGLITE_BUFFERS_MB);
    // Loaded here, not at the top: a process on PostgreSQL never needs PGlite.
    const [{ PGlite }, { PGliteDialect }, { unaccent }] = await Promise.all([
      import('@electric-sql/pglite'),
      import('kysely-pglite-dialect'),
      import('@electric-sql/pglite/contrib/unaccent'),
    ]);
    const client = await PGlite.create({
      // Search folds accents with it (migration 018).
      extensions: { unaccent },
      ...(dataDir ? { dataDir } : {}),
      ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
      parsers: pgliteParsers,
      startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${opts.buffersMB ?? PGLITE_BUFFERS_MB}MB`],
    });
    const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
    return {
      db,
      kind: 'pglite',
      where: opts.dir ?? 'memory',
      dump: () => client.dumpDataDir('none'),
      close: async () => {
        // PGlite's runtime sets process.exitCode to 0 as it shuts down (here in db.destroy()),
        // which would lose the code a command set before (1 for a failed check, 130 on Ctrl-C).
        const exitCode = process.exitCode;
        await db.destroy();
        if (!client.closed) await client.close();
        process.exitCode = exitCode;
        lock?.release();
      },
    };
  } catch (err) {
    lock?.release();
    throw err;
  }
}

/**
 * Opens the configured database and brings its schema up to date. A PostgreSQL server that cannot
 * be reached is said before anything else is tried, naming where its address came from (`urlName`,
 * by default DATABASE_URL): a DatabaseUnavailable when it may answer later (serverGone), a
 * configuration error otherwise. `log`: where a connection lost later is said (default stderr).
 */
export async function openDb(
  config: { databaseUrl?: string | undefined; dataDir: string; pgliteBuffersMB?: number },
  opts: { migrate?: boolean; urlName?: string; log?: ConnectionLog } = {},
): Promise<Db> {
  const handle = config.databaseUrl ? await openPostgres(config.databaseUrl, opts.log) : await openPglite({ dir: config.dataDir, buffersMB: config.pgliteBuffersMB });
  if (handle.kind === 'postgres') {
    try {
      await sql`select 1`.execute(handle.db);
    } catch (err) {
      await handle.close();
      const message = `${opts.urlName ?? 'DATABASE_URL'}: cannot connect to ${handle.where}: ${(err as Error).message}`;
      // A server that is down or starting may answer later (the command's exit 75 says so); a
      // database or user that does not exist, a wrong password or an unknown host will not.
      throw serverGone(err) ? new DatabaseUnavailable(message) : new ConfigError(message);
    }
  }
  if (opts.migrate !== false) {
    try {
      await migrateToLatest(handle.db);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }
  return handle;
}


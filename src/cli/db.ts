import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { ConfigError, loadConfig, postgresUrl } from '../config.js';
import { openDb } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { Conflict, InvalidInput } from '../domain/errors.js';
import { NotEmpty, nonEmptyTables, readBackup, writeBackup } from '../ops/backup.js';
import { movedTo, recordMovedTo } from '../domain/mail/server-settings.js';
import { existingDatabase } from './context.js';
import { UsageError } from './usage-error.js';
import { count } from '../domain/count.js';

/**
 * The URL of `db move-to-postgres`, by DATABASE_URL's own rule, as commander reads it: anything
 * else (empty too) is bad usage, before the embedded database is opened.
 */
function postgresUrlValue(value: string): string {
  const r = postgresUrl.safeParse(value);
  if (!r.success) throw new UsageError('url', r.error.issues[0]!.message);
  return value;
}

export function dbCommand(): Command {
  const db = new Command('db').description('Database maintenance.');
  db.command('migrate')
    .description('Bring the database schema up to date (embedded by default, PostgreSQL with DATABASE_URL).')
    .action(async () => {
      const config = loadConfig();
      const handle = await openDb(config, { migrate: false });
      try {
        const applied = await migrateToLatest(handle.db);
        console.log(applied.length ? `applied ${applied.join(', ')} to ${handle.where}` : `${handle.where} is up to date`);
      } finally {
        await handle.close();
      }
    });

  // The embedded database's rows go to PostgreSQL through the backup format, in memory; the
  // uploaded files stay where they are (CONCLAVE_DATA/files serves both databases).
  db.command('move-to-postgres')
    .description('Copy the embedded database (CONCLAVE_DATA) into an empty PostgreSQL database; then serve with DATABASE_URL set to it.')
    .argument('<url>', 'the PostgreSQL database, e.g. postgres://conclave@127.0.0.1:5432/conclave', postgresUrlValue)
    .option('--force', 'replace everything in a PostgreSQL database that holds data')
    .action(async (url: string, opts: { force?: boolean }) => {
      const config = loadConfig();
      if (config.databaseUrl) throw new ConfigError('DATABASE_URL: unset it for the move: the embedded database in CONCLAVE_DATA is read, the URL argument is written');
      const target = loadConfig({ ...process.env, DATABASE_URL: url });
      existingDatabase(config, 'nothing to move');
      const from = await openDb(config);
      try {
        // Moved already: its rows stopped there, and the copy has been written to since. A second
        // move would bring the old rows back (over that copy's with --force, which is about the
        // target holding data, not about moving again).
        const moved = await movedTo(from.db);
        if (moved) {
          throw new Conflict(
            `the embedded database in ${config.dataDir} was moved to ${moved.where} on ${moved.at.toISOString().slice(0, 10)} already, and is stale since: not moved again. ` +
              'To copy this old copy anyway, `conclave backup FILE` it and `conclave restore FILE` with DATABASE_URL set to the database to fill',
          );
        }
        // An embedded database with no data (made and never used): moving it would only empty
        // the target, with --force.
        if (!(await nonEmptyTables(from.db)).length) throw new InvalidInput('CONCLAVE_DATA', `${config.dataDir} holds no data: nothing to move`);
        // The address is the argument here: DATABASE_URL is unset (and would be wrong to blame).
        // Migrated in the copy's transaction: a move that fails leaves the target as it was.
        const to = await openDb(target, { urlName: 'url', migrate: false });
        try {
          const pipe = new PassThrough({ highWaterMark: 1 << 20 });
          const reading = readBackup(to.db, pipe, { force: !!opts.force, migrate: true }).catch((err: unknown) => {
            if (err instanceof NotEmpty) throw new Conflict(`${to.where} is not empty (${NotEmpty.list(err.tables)} hold rows): move into an empty database, or pass --force to replace everything in it`);
            throw err;
          });
          // If the restore fails early, the writer must not wait on a pipe nobody reads.
          reading.catch(() => pipe.destroy());
          const writing = writeBackup(from.db, pipe, { source: from.kind }).then((s) => {
            pipe.end();
            return s;
          });
          const [, restored] = await Promise.all([writing.catch(async (err) => {
            await reading.catch(() => {});
            throw err;
          }), reading]);
          // Its files serve the copy from now on: `files prune` on it would take the copy's new ones for garbage.
          await recordMovedTo(from.db, to.where, new Date());
          console.log(`copied ${count(restored.rows, 'row')} in ${count(Object.keys(restored.tables).length, 'table')} from ${from.where} to ${to.where}`);
          console.log(`now serve with DATABASE_URL=${to.where.replace(/:\*\*\*@/, ':…@')} and the same CONCLAVE_DATA (uploaded files and the mailbox stay in ${config.dataDir})`);
        } finally {
          await to.close();
        }
      } finally {
        await from.close();
      }
    });
  return db;
}

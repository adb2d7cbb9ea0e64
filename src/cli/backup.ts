/**
 * `conclave backup FILE` and `conclave restore FILE`: the whole database (embedded or PostgreSQL)
 * and the uploaded files as one gzip file of JSON lines (ops/backup.ts), restorable into either
 * database. `-` is stdout or stdin. The backup is written beside FILE and renamed into place, so
 * FILE is never half a backup; a FILE that is a device or a pipe (/dev/stdout, a FIFO) is written
 * as it is, since a rename would put a plain file in its place.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { Command } from 'commander';
import { loadConfig } from '../config.js';
import { openDb } from '../db/connect.js';
import { fileProblem, InvalidInput } from '../domain/errors.js';
import { checkFiles } from '../domain/files/check.js';
import { checkBackupHeader, queuedMail, readBackup, writeBackup, type BackupSummary } from '../ops/backup.js';
import { existingDatabase, output, refuseMoved } from './context.js';
import { readableFile } from './read-upload.js';
import { count } from '../domain/count.js';

/** The outermost directory of `p` (itself or a parent) that does not exist yet, or null. */
function firstMissing(p: string): string | null {
  let missing: string | null = null;
  for (let dir = path.resolve(p); !fs.existsSync(dir); dir = path.dirname(dir)) missing = dir;
  return missing;
}

function sizeOf(n: number): string {
  return n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : `${Math.ceil(n / 1024)} kB`;
}

function describe(s: BackupSummary): string {
  return `${count(s.rows, 'row')} in ${count(Object.keys(s.tables).length, 'table')}, ${count(s.files, 'file')} (${sizeOf(s.fileBytes)})`;
}

/**
 * Where the backup of FILE is written, refusing before anything is opened a FILE that could not
 * be written. A regular file (or a new name) gets the backup beside it, renamed into place; a
 * symbolic link to one has its target replaced, not the link. A device or a pipe is written
 * directly: renaming over it would leave a plain file where /dev/stdout or a FIFO was.
 */
function writableTarget(file: string): { path: string; direct: boolean } {
  let stat: fs.Stats | null = null;
  try {
    stat = fs.statSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new InvalidInput('FILE', `cannot write ${file}: ${fileProblem(err)}`);
  }
  if (stat?.isDirectory()) throw new InvalidInput('FILE', `${file} is a directory: give the name of the backup file to write, such as ${path.join(file, 'conclave-backup.gz')}`);
  if (stat && !stat.isFile()) {
    try {
      fs.accessSync(file, fs.constants.W_OK);
    } catch (err) {
      throw new InvalidInput('FILE', `cannot write ${file}: ${fileProblem(err)}`);
    }
    return { path: file, direct: true };
  }
  const target = stat ? fs.realpathSync(file) : path.resolve(file);
  const dir = path.dirname(target);
  try {
    if (!fs.statSync(dir).isDirectory()) throw new InvalidInput('FILE', `cannot write ${file}: ${dir} is not a directory`);
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (err) {
    if (err instanceof InvalidInput) throw err;
    throw new InvalidInput('FILE', `cannot write ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? `there is no directory ${dir}` : fileProblem(err)}`);
  }
  return { path: target, direct: false };
}

export function backupCommands(): Command[] {
  const backup = new Command('backup')
    .description('Write the database and the uploaded files to FILE (gzip; "-" for stdout), restorable into either database with `conclave restore`.')
    .argument('<file>')
    .option('--json', 'print the summary as JSON (on stderr with "-")')
    .action(async (file: string, opts: { json?: boolean }) => {
      const config = loadConfig();
      const toStdout = file === '-';
      const target = toStdout ? null : writableTarget(file);
      existingDatabase(config, 'nothing to back up');
      // Migrated in the restore's transaction, not here: a restore that fails leaves a new
      // database as empty as it found it, not migrated.
      const handle = await openDb(config, { migrate: false });
      const tmp = target && !target.direct ? `${target.path}.partial-${process.pid}` : null;
      // bin/conclave.js ends a command quietly with 0 when its reader goes away (`| head`); a
      // backup cut off so is not one, and a script (set -o pipefail) must hear of it.
      if (toStdout) {
        process.stdout.prependListener('error', (err: NodeJS.ErrnoException) => {
          if (err.code !== 'EPIPE') return;
          console.error('conclave: the reader of the backup went away before its end: the backup is incomplete');
          process.exit(1);
        });
      }
      try {
        const gz = zlib.createGzip({ level: 6 });
        // A write that fails (a full disk) ends the pipeline: its error is the backup's.
        let failed: unknown = null;
        const done = pipeline(gz, target ? fs.createWriteStream(tmp ?? target.path, { mode: 0o600 }) : process.stdout).catch((err: unknown) => {
          // Said of FILE, as a person names it: not an "unexpected error" of a write().
          failed = target ? new InvalidInput('FILE', `cannot write ${file}: ${fileProblem(err)}`) : err;
        });
        let summary: BackupSummary;
        try {
          summary = await writeBackup(handle.db, gz, { filesDir: config.filesDir, source: handle.kind });
        } catch (err) {
          throw failed ?? err;
        }
        gz.end();
        await done;
        if (failed) throw failed;
        if (tmp) fs.renameSync(tmp, target!.path);
        const say = toStdout ? console.error : console.log;
        if (opts.json) say(JSON.stringify(summary, null, 2));
        else say(`backed up ${handle.where}: ${describe(summary)}${!target ? '' : target.direct ? ` to ${file}` : ` to ${file} (${sizeOf(fs.statSync(target.path).size)})`}`);
      } catch (err) {
        if (tmp) fs.rmSync(tmp, { force: true });
        throw err;
      } finally {
        await handle.close();
      }
    });

  const restore = new Command('restore')
    .description('Restore a backup made by `conclave backup` (from either database) into an empty database, and its files into CONCLAVE_DATA/files ("-" for stdin).')
    .argument('<file>')
    .option('--force', 'replace everything in a database that holds data')
    .option('--json', 'print the summary as JSON')
    .action(async (file: string, opts: { force?: boolean; json?: boolean }) => {
      const config = loadConfig();
      // A wrong path, or a file that is no backup, is said before the database is opened (or, in
      // a new data directory, made) and migrated.
      if (file !== '-') {
        await readableFile(file, 'FILE');
        await checkBackupHeader(file);
      }
      // What this restore makes of the embedded database's directories, with the parents it makes
      // for them: a restore that fails (a backup cut short in its middle) takes them away again,
      // rather than leave an empty database, or empty directories, where none was.
      const made = config.databaseUrl ? [] : [...new Set([config.dataDir, path.join(config.dataDir, 'pgdata'), config.filesDir].map(firstMissing))].filter((p) => p !== null);
      // Migrated in the restore's transaction, not here: a restore that fails leaves a new
      // database as empty as it found it, not migrated.
      const handle = await openDb(config, { migrate: false });
      const input = file === '-' ? process.stdin : fs.createReadStream(file);
      let restored = false;
      try {
        // A moved embedded database is stale: a restore into it (forgetting DATABASE_URL) would
        // make it a live one again, whose queued mail a server there would send a second time.
        await refuseMoved(handle, config);
        const gunzip = zlib.createGunzip();
        input.on('error', (err: Error) => gunzip.destroy(err));
        const summary = await readBackup(handle.db, input.pipe(gunzip), { filesDir: config.filesDir, force: !!opts.force, migrate: true, name: file === '-' ? 'stdin' : file });
        restored = true;
        // The backup's queued mail comes back queued: a server on a second database (a check of
        // the backup) would send it again, to people, as the first one did or will.
        const queued = await queuedMail(handle.db);
        // Files the database held before (--force) that the backup does not: left, not removed.
        const loose = (await checkFiles({ db: handle.db, filesDir: config.filesDir }, { content: false })).unrecorded.length;
        output(opts.json, { ...summary, queuedMail: queued, unrecordedFiles: loose }, () => [
          `restored ${describe(summary)} into ${handle.where}`,
          ...(queued ? [`${count(queued, 'message')} came back queued, not yet sent: \`conclave serve\` on this database sends them (again, if the backed-up database sent them); \`conclave serve --no-mail-worker\` serves it without sending mail`] : []),
          ...(loose ? [`${count(loose, 'file')} in ${config.filesDir} that the backup does not hold and nothing records now, left there: \`conclave files prune\` removes them`] : []),
        ]);
      } finally {
        input.destroy();
        await handle.close();
        if (!restored) for (const p of made) fs.rmSync(p, { recursive: true, force: true });
      }
    });
  return [backup, restore];
}

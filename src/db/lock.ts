/**
 * An exclusive lock on the embedded database directory.
 *
 * PGlite itself does not lock its directory, and two processes on one directory silently lose
 * writes. The lock is a file created with O_EXCL holding the owner's pid and command line; a lock
 * whose process is gone is stale and taken over. proper-lockfile was not used because it does not
 * record who holds the lock, and the refusal must name the holding process.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DataDirLocked } from '../domain/errors.js';

export interface DirLock {
  readonly file: string;
  release(): void;
}

interface Holder {
  pid: number;
  command: string;
  since: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): Holder | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Holder;
  } catch {
    return null;
  }
}

/**
 * The command as its user typed it: "conclave serve --bootstrap", not the script's path (under
 * npx's cache, for `npx conclave`, a path nobody recognises as the clone's server).
 */
function commandLine(argv: readonly string[]): string {
  const script = argv[1] ? path.basename(argv[1]).replace(/\.[cm]?js$/, '') : 'node';
  return [script, ...argv.slice(2)].join(' ');
}

export function lockDataDir(dir: string): DirLock {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'conclave.lock');
  const me: Holder = { pid: process.pid, command: commandLine(process.argv), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(me), { flag: 'wx' });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        const holder = readHolder(file);
        if (holder?.pid === process.pid) fs.rmSync(file, { force: true });
        process.off('exit', release);
      };
      process.on('exit', release);
      return { file, release };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = readHolder(file);
    if (holder && alive(holder.pid)) {
      throw new DataDirLocked(
        `the database directory ${dir} is in use by process ${holder.pid} (${holder.command}) since ${holder.since}; ` +
          `stop that process first, or set CONCLAVE_DATA to another directory`,
      );
    }
    // Stale (its process is gone) or unreadable: move it aside atomically, then retry.
    try {
      fs.renameSync(file, `${file}.stale-${process.pid}`);
      fs.rmSync(`${file}.stale-${process.pid}`, { force: true });
    } catch {
      /* another process took it over first; retry */
    }
  }
  throw new DataDirLocked(`could not lock the database directory ${dir}`);
}

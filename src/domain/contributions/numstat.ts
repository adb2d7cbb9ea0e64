/**
 * Reading commits with their lines in parallel: one `git diff-tree --stdin --numstat` per core,
 * each fed its share of the commit ids, printing for each commit both what `git log` would (the
 * fields of log-parser.ts: author, times, trailers) and its numstat. So with lines the history is
 * read once — git parses each commit in one process only — and no `git log` runs beside them.
 *
 * A worker answers in the order it was asked; a commit ends where the next one starts (or the
 * output ends). Renames are detected (-M) as `git log` does by default, so moving a file is not
 * counted as writing it. Directories are the first three components of a file's directory.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { GitMissing, spawnGit, type Git } from './git.js';
import { FIELDS, parseRecord, type CommitRecord } from './log-parser.js';
import type { CommitLines } from './tally.js';

export function dirOf(file: string): string {
  const parts = file.split('/');
  parts.pop();
  return parts.length ? parts.slice(0, 3).join('/') : '.';
}

// Each commit starts with NUL and 0x01: a token that starts with 0x01 is a commit, never a
// numstat line (those start with a digit or "-"); a path is only read after a rename's counts.
const FORMAT = `--format=%x00%x01${FIELDS}`;

/** Consecutive commits given to one worker, by default. */
export const BLOCK = 1024;

interface Worker {
  child: ChildProcessWithoutNullStreams;
  current: { rec: CommitRecord; lines: CommitLines } | null;
  rest: Buffer;
  pendingPath: number;
  renameLines: [number, number] | null;
  done: Promise<void>;
}

export class LineCounter {
  private readonly workers: Worker[] = [];
  private next = 0;
  private queued: string[] = [];
  private failure: Error | null = null;

  constructor(
    git: Git,
    n: number,
    private readonly onCommit: (rec: CommitRecord, lines: CommitLines) => void,
    private readonly block = BLOCK,
  ) {
    for (let i = 0; i < n; i++) this.workers.push(this.start(git));
  }

  private start(git: Git): Worker {
    const child = spawnGit(git, ['diff-tree', '--stdin', '-r', '--root', '--numstat', '-M', '-z', '--always', FORMAT]);
    const w: Worker = { child, current: null, rest: Buffer.alloc(0), pendingPath: 0, renameLines: null, done: Promise.resolve() };
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.stdin.on('error', () => {});
    child.stdout.on('data', (d: Buffer) => this.read(w, d));
    w.done = new Promise((resolve) => {
      child.on('error', (e: NodeJS.ErrnoException) => {
        this.failure ??= e.code === 'ENOENT' ? new GitMissing(git.bin) : e;
        resolve();
      });
      child.on('close', (code, signal) => {
        if (code !== 0 && !signal) this.failure ??= new Error(`git diff-tree failed: ${stderr.trim()}`);
        if (w.rest.length) this.token(w, w.rest, 0, w.rest.length);
        this.finishCommit(w);
        resolve();
      });
    });
    return w;
  }

  private finishCommit(w: Worker): void {
    if (!w.current) return;
    const { rec, lines } = w.current;
    w.current = null;
    this.onCommit(rec, lines);
  }

  private read(w: Worker, d: Buffer): void {
    const buf = w.rest.length ? Buffer.concat([w.rest, d]) : d;
    let start = 0;
    for (;;) {
      const end = buf.indexOf(0, start);
      if (end < 0) break;
      this.token(w, buf, start, end);
      start = end + 1;
    }
    w.rest = Buffer.from(buf.subarray(start));
  }

  private token(w: Worker, buf: Buffer, start: number, end: number): void {
    if (w.pendingPath > 0) {
      // A rename: "a\tr\t" then the old path, then the new one (counted).
      w.pendingPath--;
      if (w.pendingPath === 0 && w.current && w.renameLines) this.count(w.current.lines, w.renameLines[0], w.renameLines[1], buf.toString('utf8', start, end));
      return;
    }
    if (start < end && buf[start] === 0x0a) start++;
    if (start >= end) return;
    if (buf[start] === 0x01) {
      // A commit: it ends the one before it.
      this.finishCommit(w);
      const rec = parseRecord(buf.subarray(start + 1, end));
      if (rec) w.current = { rec, lines: { added: 0, removed: 0, paths: {} } };
      return;
    }
    const tok = buf.toString('utf8', start, end);
    const t1 = tok.indexOf('\t');
    const t2 = tok.indexOf('\t', t1 + 1);
    if (t1 < 0 || t2 < 0) return;
    const a = Number(tok.slice(0, t1)) || 0;
    const r = Number(tok.slice(t1 + 1, t2)) || 0;
    const file = tok.slice(t2 + 1);
    if (!file) {
      w.pendingPath = 2;
      w.renameLines = [a, r];
      return;
    }
    if (w.current) this.count(w.current.lines, a, r, file);
  }

  private count(l: CommitLines, a: number, r: number, file: string): void {
    l.added += a;
    l.removed += r;
    const d = dirOf(file);
    l.paths[d] = (l.paths[d] ?? 0) + a + r;
  }

  /**
   * Queues a commit for a worker; send() passes what was queued on. Each worker gets runs of
   * `block` (BLOCK) consecutive commits: a commit's parent is then mostly read by the same git,
   * whose object cache already holds its tree (dealt one by one, each worker read twice the
   * trees: half the commits cost 70 % of the CPU of all of them).
   */
  queue(sha: string): void {
    const i = Math.floor(this.next / this.block) % this.workers.length;
    this.next++;
    this.queued[i] = (this.queued[i] ?? '') + `${sha}\n`;
  }

  /** Writes the queued commits, one write a worker; false when an input is full (wait for drain()). */
  send(): boolean {
    let room = true;
    this.queued.forEach((text, i) => {
      if (text && !this.workers[i]!.child.stdin.write(text)) room = false;
    });
    this.queued = [];
    return room;
  }

  /** Resolves when every worker's input has room again. */
  async drain(): Promise<void> {
    await Promise.all(
      this.workers.map((w) => (w.child.stdin.writableNeedDrain ? new Promise<void>((r) => w.child.stdin.once('drain', () => r())) : undefined)),
    );
  }

  /** Ends the input and waits for every answer. */
  async finish(): Promise<void> {
    for (const w of this.workers) w.child.stdin.end();
    await Promise.all(this.workers.map((w) => w.done));
    if (this.failure) throw this.failure;
  }

  kill(): void {
    for (const w of this.workers) w.child.kill('SIGTERM');
  }
}

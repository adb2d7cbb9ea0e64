/**
 * Counting lines in parallel: one `git diff-tree --stdin --numstat` per core, each fed its share
 * of the commit ids as the log streams them. A worker answers in the order it was asked, and says
 * nothing for a commit that changes no file, so an answer for commit X also finishes every
 * commit sent to that worker before X.
 *
 * Renames are detected (-M) as `git log` does by default, so moving a file is not counted as
 * writing it. Directories are the first three components of a file's directory.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { GitMissing, spawnGit, type Git } from './git.js';
import type { CommitLines } from './tally.js';

export function dirOf(file: string): string {
  const parts = file.split('/');
  parts.pop();
  return parts.length ? parts.slice(0, 3).join('/') : '.';
}

interface Worker {
  child: ChildProcessWithoutNullStreams;
  queue: string[];
  head: number;
  current: { sha: string; lines: CommitLines } | null;
  rest: Buffer;
  pendingPath: number;
  renameLines: [number, number] | null;
  done: Promise<void>;
}

export class LineCounter {
  private readonly workers: Worker[] = [];
  private next = 0;
  private failure: Error | null = null;
  inFlight = 0;

  constructor(
    git: Git,
    n: number,
    private readonly onLines: (sha: string, lines: CommitLines) => void,
  ) {
    for (let i = 0; i < n; i++) this.workers.push(this.start(git));
  }

  private start(git: Git): Worker {
    const child = spawnGit(git, ['diff-tree', '--stdin', '-r', '--root', '--numstat', '-M', '-z', '--always']);
    const w: Worker = { child, queue: [], head: 0, current: null, rest: Buffer.alloc(0), pendingPath: 0, renameLines: null, done: Promise.resolve() };
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
        this.flush(w, null);
        resolve();
      });
    });
    return w;
  }

  /** Finishes every queued commit up to (not including) `sha`, or all when null. */
  private flush(w: Worker, sha: string | null): void {
    if (w.current) {
      this.emit(w.current.sha, w.current.lines);
      w.current = null;
    }
    while (w.head < w.queue.length) {
      const s = w.queue[w.head]!;
      if (s === sha) return;
      w.head++;
      this.emit(s, { added: 0, removed: 0, paths: {} });
    }
  }

  private emit(sha: string, lines: CommitLines): void {
    this.inFlight--;
    this.onLines(sha, lines);
  }

  private read(w: Worker, d: Buffer): void {
    const buf = w.rest.length ? Buffer.concat([w.rest, d]) : d;
    let start = 0;
    for (;;) {
      const end = buf.indexOf(0, start);
      if (end < 0) break;
      this.token(w, buf.toString('utf8', start, end));
      start = end + 1;
    }
    w.rest = Buffer.from(buf.subarray(start));
  }

  private token(w: Worker, tok: string): void {
    if (w.pendingPath > 0) {
      // A rename: "a\tr\t" then the old path, then the new one (counted).
      w.pendingPath--;
      if (w.pendingPath === 0 && w.current && w.renameLines) this.count(w.current.lines, w.renameLines[0], w.renameLines[1], tok);
      return;
    }
    const t1 = tok.indexOf('\t');
    if (t1 < 0) {
      // A commit id: it starts a new commit, and finishes the ones before it.
      this.flush(w, tok);
      if (w.queue[w.head] === tok) w.head++;
      if (w.head > 4096) {
        w.queue = w.queue.slice(w.head);
        w.head = 0;
      }
      w.current = { sha: tok, lines: { added: 0, removed: 0, paths: {} } };
      return;
    }
    const t2 = tok.indexOf('\t', t1 + 1);
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

  /** Queues a commit; false when the chosen worker's input is full (wait for drain()). */
  send(sha: string): boolean {
    const w = this.workers[this.next]!;
    this.next = (this.next + 1) % this.workers.length;
    w.queue.push(sha);
    this.inFlight++;
    return w.child.stdin.write(`${sha}\n`);
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

/**
 * Reading commits with their lines in parallel, one git per core, each printing for each commit
 * both what `git log` would (the fields of log-parser.ts: author, times, trailers) and its
 * numstat. So with lines the history is read once — git parses each commit in one process only.
 *
 * Two ways to share the work:
 *
 * - LogSplit, when nothing is cached: the commits of the walk are cut into one contiguous run
 *   per core, and each git walks the history itself, `git log --skip=S --max-count=N
 *   --numstat`. Consecutive commits share most of their trees, which a git then reads once,
 *   from its delta cache; and no commit id passes through the miner. (`git rev-list | git
 *   diff-tree --stdin` per core cost git 2 s more CPU time over 100,000 commits: a third process,
 *   and each counter meeting trees the other had decoded.) The first git starts at once, before
 *   the commits are counted; it is stopped when it has done its share.
 * - LineCounter, when some commits are cached: the ids of the others are fed to one
 *   `git diff-tree --stdin` per core.
 *
 * Both print the same bytes for a commit (`git log` is told to work as `git diff-tree` does,
 * whatever the user's configuration: renames detected with -M, the root commit's files counted,
 * all the files of a commit even with a path filter, Myers diff, no text conversion).
 *
 * A worker answers in the order it was asked; a commit ends where the next one starts (or the
 * output ends). Renames are detected (-M) as `git log` does by default, so moving a file is not
 * counted as writing it. Directories are the first three components of a file's directory.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { GitKilled, GitMissing, spawnGit, type Git } from './git.js';
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

/** `git diff-tree --stdin` reading commit ids. */
const DIFF_TREE = ['diff-tree', '--stdin', '-r', '--root', '--numstat', '-M', '-z', '--always', FORMAT];

/**
 * `git log` printing what DIFF_TREE prints for the same commits: settings of the user's that
 * `git log` reads and `git diff-tree` does not are overridden.
 */
export function logNumstatArgs(walk: string[]): string[] {
  return [
    '-c', 'log.follow=false', '-c', 'diff.ignoreSubmodules=none',
    'log', '-z', '--numstat', '-M', '--root', '--full-diff', '--no-textconv', '--no-ext-diff', '--no-relative', '--diff-algorithm=myers', FORMAT,
    ...walk,
  ];
}

/** Consecutive commits given to one worker, by default. */
export const BLOCK = 1024;

type OnCommit = (rec: CommitRecord, lines: CommitLines) => void;

const TAB = 0x09;
const SLASH = 0x2f;

/**
 * One git's output, read as it comes: commits with their numstat. `limit` stops it after that
 * many commits (the rest of its output is not read).
 */
class Reader {
  current: { rec: CommitRecord; lines: CommitLines } | null = null;
  private rest: Buffer = Buffer.alloc(0);
  private pendingPath = 0;
  private renameA = 0;
  private renameR = 0;
  taken = 0;
  limit = Infinity;
  /** Where its run starts in the walk (--skip), for a LogSplit. */
  skip = 0;
  stopped = false;
  closed = false;
  readonly born = performance.now();
  stderr = '';
  readonly done: Promise<void>;

  constructor(
    readonly child: ChildProcessWithoutNullStreams,
    private readonly onCommit: OnCommit,
    onFailure: (e: Error) => void,
    bin: string,
    what: string,
  ) {
    child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString('utf8')));
    child.stdin.on('error', () => {});
    child.stdout.on('data', (d: Buffer) => this.read(d));
    this.done = new Promise((resolve) => {
      child.on('error', (e: NodeJS.ErrnoException) => {
        onFailure(e.code === 'ENOENT' ? new GitMissing(bin) : e);
        this.closed = true;
        resolve();
      });
      child.on('close', (code, signal) => {
        this.closed = true;
        if (code !== 0 && !signal && !this.stopped) onFailure(new Error(`git ${what} failed: ${this.stderr.trim()}`));
        if (signal) {
          // Ended by a signal (stopped, killed, or Ctrl-C, which reaches git too): its output
          // stops anywhere, and the commit it was printing may lack files, or its trailers.
          this.current = null;
          // Not stopped here: the commits after it in its run are missing too.
          if (!this.stopped) onFailure(new GitKilled(`git ${what}`, signal));
        } else if (this.rest.length && !this.stopped) this.token(this.rest, 0, this.rest.length);
        this.rest = Buffer.alloc(0);
        this.finishCommit();
        resolve();
      });
    });
  }

  /** No more commits from this git: it is stopped, and what it has not finished is dropped. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.current = null;
    this.child.kill('SIGTERM');
  }

  finishCommit(): void {
    if (!this.current) return;
    const { rec, lines } = this.current;
    this.current = null;
    this.taken++;
    this.onCommit(rec, lines);
  }

  private read(d: Buffer): void {
    if (this.stopped) return;
    const buf = this.rest.length ? Buffer.concat([this.rest, d]) : d;
    let start = 0;
    for (;;) {
      const end = buf.indexOf(0, start);
      if (end < 0) break;
      this.token(buf, start, end);
      if (this.stopped) return;
      start = end + 1;
    }
    this.rest = Buffer.from(buf.subarray(start));
  }

  private token(buf: Buffer, start: number, end: number): void {
    if (this.pendingPath > 0) {
      // A rename: "a\tr\t" then the old path, then the new one (counted).
      this.pendingPath--;
      if (this.pendingPath === 0 && this.current) this.count(this.renameA, this.renameR, buf, start, end);
      return;
    }
    if (start < end && buf[start] === 0x0a) start++;
    if (start >= end) return;
    if (buf[start] === 0x01) {
      // A commit: it ends the one before it.
      this.finishCommit();
      if (this.taken >= this.limit) {
        this.stop();
        return;
      }
      const rec = parseRecord(buf.subarray(start + 1, end));
      if (rec) this.current = { rec, lines: { added: 0, removed: 0, paths: {} } };
      return;
    }
    const t1 = buf.indexOf(TAB, start);
    const t2 = t1 < 0 || t1 >= end ? -1 : buf.indexOf(TAB, t1 + 1);
    if (t2 < 0 || t2 >= end) return;
    const a = numberAt(buf, start, t1);
    const r = numberAt(buf, t1 + 1, t2);
    if (t2 + 1 === end) {
      this.pendingPath = 2;
      this.renameA = a;
      this.renameR = r;
      return;
    }
    if (this.current) this.count(a, r, buf, t2 + 1, end);
  }

  /** Adds a file's lines, the file being buf[start, end). */
  private count(a: number, r: number, buf: Buffer, start: number, end: number): void {
    const l = this.current!.lines;
    l.added += a;
    l.removed += r;
    // dirOf(), on the bytes: the directory is cut at its third "/", or its last.
    let slashes = 0;
    let last = -1;
    let cut = -1;
    for (let i = start; i < end; i++) {
      if (buf[i] === SLASH) {
        last = i;
        if (++slashes === 3) cut = i;
      }
    }
    const d = last < 0 ? '.' : buf.toString('utf8', start, cut >= 0 ? cut : last);
    l.paths[d] = (l.paths[d] ?? 0) + a + r;
  }
}

/** A numstat count, buf[start, end): digits, or "-" for a binary file (0). */
function numberAt(buf: Buffer, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i]! - 0x30;
    if (c < 0 || c > 9) return Number(buf.toString('latin1', start, end)) || 0;
    n = n * 10 + c;
  }
  return n;
}

/** The parts of a pool: its readers, and the first failure of one. */
abstract class Pool {
  protected readonly readers: Reader[] = [];
  protected failure: Error | null = null;

  constructor(
    protected readonly git: Git,
    protected readonly onCommit: OnCommit,
  ) {}

  protected spawn(args: string[], what: string): Reader {
    const r = new Reader(spawnGit(this.git, args), this.onCommit, (e) => (this.failure ??= e), this.git.bin, what);
    this.readers.push(r);
    return r;
  }

  /** Stops reading (git's output is left in its pipe until resume()). */
  pause(): void {
    for (const r of this.readers) r.child.stdout.pause();
  }

  resume(): void {
    for (const r of this.readers) r.child.stdout.resume();
  }

  protected killed = false;

  kill(): void {
    this.killed = true;
    for (const r of this.readers) r.stop();
  }
}

export class LineCounter extends Pool {
  private next = 0;
  private queued: string[] = [];

  constructor(
    git: Git,
    n: number,
    onCommit: OnCommit,
    private readonly block = BLOCK,
  ) {
    super(git, onCommit);
    for (let i = 0; i < n; i++) this.spawn(DIFF_TREE, 'diff-tree');
  }

  /**
   * Queues a commit for a worker; send() passes what was queued on. Each worker gets runs of
   * `block` (BLOCK) consecutive commits: a commit's parent is then mostly read by the same git,
   * whose object cache already holds its tree (dealt one by one, each worker read twice the
   * trees: half the commits cost 70 % of the CPU of all of them).
   */
  queue(sha: string): void {
    const i = Math.floor(this.next / this.block) % this.readers.length;
    this.next++;
    this.queued[i] = (this.queued[i] ?? '') + `${sha}\n`;
  }

  /** Writes the queued commits, one write a worker; false when an input is full (wait for drain()). */
  send(): boolean {
    let room = true;
    this.queued.forEach((text, i) => {
      if (text && !this.readers[i]!.child.stdin.write(text)) room = false;
    });
    this.queued = [];
    return room;
  }

  /** Resolves when every worker's input has room again. */
  async drain(): Promise<void> {
    await Promise.all(
      this.readers.map((w) => (w.child.stdin.writableNeedDrain ? new Promise<void>((r) => w.child.stdin.once('drain', () => r())) : undefined)),
    );
  }

  /** Ends the input and waits for every answer. */
  async finish(): Promise<void> {
    for (const w of this.readers) w.child.stdin.end();
    await Promise.all(this.readers.map((w) => w.done));
    if (this.failure) throw this.failure;
  }
}

/**
 * The commits of `walk` (rev-list arguments, paths last) cut into `n` contiguous runs, one
 * `git log` each. `total` is how many commits the walk has (`git rev-list --count`), null when
 * unknown: the first git then reads them all.
 */
export class LogSplit extends Pool {
  /** `worth`: the seconds a new git must save beyond its walk to be started (tests: -1, always). */
  constructor(
    git: Git,
    private readonly n: number,
    onCommit: OnCommit,
    private readonly worth = 0.05,
  ) {
    super(git, onCommit);
  }

  async run(walk: string[], total: Promise<number | null>): Promise<void> {
    const dash = walk.indexOf('--');
    const revs = dash < 0 ? walk : walk.slice(0, dash);
    const paths = dash < 0 ? [] : walk.slice(dash);
    const spawnRun = (skip: number, count: number | null) => {
      const r = this.spawn(logNumstatArgs([...(skip ? [`--skip=${skip}`] : []), ...(count === null ? [] : [`--max-count=${count}`]), ...revs, ...paths]), 'log');
      r.skip = skip;
      if (count !== null) r.limit = count;
      return r;
    };
    const first = spawnRun(0, null);
    if (this.n > 1) {
      const all = await total;
      if (all !== null && !first.stopped && !this.killed) {
        // The first git has read some commits by now: what it has not read yet is shared
        // equally, the first git's part starting where it stands (a part for each from the
        // start would leave the first one idle at the end for as long as the count took).
        const firstRun = first.taken + Math.max(1, Math.ceil((all - first.taken) / this.n));
        first.limit = firstRun;
        const others = this.n - 1;
        const each = Math.ceil((all - firstRun) / others);
        for (let i = 0, skip = firstRun; i < others && skip < all; i++, skip += each) spawnRun(skip, Math.min(each, all - skip));
      }
    }
    // Commits do not all cost the same (in git's own history, the newer half costs twice the
    // older): when a git is done, the one with the most left to read gives the second half of
    // what it has left to a new git, if that is worth the new git's walk to it.
    for (;;) {
      const running = this.readers.filter((r) => !r.closed);
      if (!running.length) break;
      await Promise.race(running.map((r) => r.done));
      if (this.killed || this.failure) continue;
      const still = this.readers.filter((r) => !r.closed && !r.stopped);
      if (still.length >= this.n) continue;
      let best: Reader | null = null;
      let left = 0;
      for (const r of still) {
        if (r.limit !== Infinity && r.limit - r.taken > left) {
          best = r;
          left = r.limit - r.taken;
        }
      }
      if (!best || left < 2) continue;
      const half = Math.floor(left / 2);
      const mid = best.limit - half;
      const rate = best.taken / Math.max(0.001, (performance.now() - best.born) / 1000);
      if (!(rate > 0) || half / rate < (best.skip + mid) / WALK_RATE + this.worth) continue;
      best.limit = mid;
      spawnRun(best.skip + mid, half);
    }
    if (this.failure) throw this.failure;
  }
}

/** Commits a git walks per second without reading their changes (at least; for LogSplit). */
const WALK_RATE = 100_000;

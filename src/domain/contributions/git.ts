/**
 * Running git: the one place that spawns it. A missing git, a directory that is not a
 * repository, and a revision that does not exist become named errors with a sentence a person
 * can act on.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DomainError, InvalidInput } from '../errors.js';

export class GitMissing extends DomainError {
  override name = 'GitMissing';
  constructor(git: string) {
    super(`git is not installed or not on PATH (tried "${git}"); install git and try again`);
  }
}

/**
 * A git ended by a signal the miner did not send (the out-of-memory killer's SIGKILL, or
 * Ctrl-C's SIGINT, which reaches git too): its output stops anywhere, so the history it was
 * reading is not all there.
 */
export class GitKilled extends InvalidInput {
  override name = 'GitKilled';
  constructor(
    what: string,
    readonly signal: NodeJS.Signals,
  ) {
    super('repo', `${what} was ended by ${signal} before it was done${signal === 'SIGKILL' ? ' (out of memory?)' : ''}`);
  }
}

/**
 * Options every invocation gets: no signatures, pagers or prompts from the user's setup; and
 * pack files mapped a window of 8 MiB at a time, at most 32 MiB at once, with a 32 MiB cache of
 * delta bases. By default git maps a whole pack (and keeps 96 MiB of delta bases), and every
 * page of it read counts in its resident memory: 140 MiB for a `git log` over 100,000 commits,
 * 280 MiB for a line counter, growing with the repository. Bounded, the same `git log` holds
 * 55 MiB and a line counter 90–130 MiB, for the same CPU time (a smaller delta cache than 32 MiB
 * costs line counting 10 %).
 */
const BASE = [
  '-c', 'log.showSignature=false', '-c', 'core.pager=cat', '-c', 'color.ui=never',
  '-c', 'core.packedGitWindowSize=8m', '-c', 'core.packedGitLimit=32m', '-c', 'core.deltaBaseCacheLimit=32m',
];

/**
 * The environment of every git: no prompts, messages in English, and output fully buffered
 * (GIT_FLUSH=0). Writing to a pipe, git otherwise flushes after every commit: 100,000 writes of
 * 270 bytes for a `git log`, each a wake-up and a read for the miner, which cost it more CPU time
 * (0.9 s) than the parsing; buffered, git writes 4 KiB at a time (0.14 s).
 */
const ENV = { GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', LANGUAGE: 'C', GIT_FLUSH: '0' };

export interface Git {
  /** The git executable. */
  bin: string;
  /** The repository: its git directory (bare or not). */
  gitDir: string;
}

export function spawnGit(git: Git, args: string[]): ChildProcessWithoutNullStreams {
  return spawn(git.bin, ['--git-dir', git.gitDir, ...BASE, ...args], {
    env: { ...process.env, ...ENV },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** Runs git to the end and collects its (small) output; `input` is written to its stdin. */
export function runGit(bin: string, args: string[], opts: { cwd?: string; gitDir?: string; input?: string } = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const full = opts.gitDir ? ['--git-dir', opts.gitDir, ...BASE, ...args] : [...BASE, ...args];
    const child = spawn(bin, full, {
      cwd: opts.cwd,
      env: { ...process.env, ...ENV },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ENOENT' ? new GitMissing(bin) : e));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}

export interface Repo extends Git {
  /** The work tree, or null for a bare repository. */
  workTree: string | null;
  shallow: boolean;
}

/** Finds the repository at (or above) `dir`; InvalidInput('repo') when there is none. */
export async function openRepo(bin: string, dir: string): Promise<Repo> {
  const abs = path.resolve(dir);
  if (!fs.existsSync(abs)) throw new InvalidInput('repo', `${dir} does not exist`);
  const r = await runGit(bin, ['rev-parse', '--absolute-git-dir', '--is-bare-repository', '--is-shallow-repository'], { cwd: abs });
  if (r.code !== 0) throw new InvalidInput('repo', `${dir} is not a git repository`);
  const [gitDir, bare, shallow] = r.stdout.toString('utf8').trim().split('\n');
  let workTree: string | null = null;
  if (bare !== 'true') {
    const t = await runGit(bin, ['rev-parse', '--show-toplevel'], { cwd: abs });
    if (t.code === 0) workTree = t.stdout.toString('utf8').trim() || null;
  }
  return { bin, gitDir: gitDir!, workTree, shallow: shallow === 'true' };
}

/** A path as it is on disk (symbolic links resolved), or as given when it is not there. */
function onDisk(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/**
 * The --path values as pathspecs from the repository's top, whatever directory the command runs
 * in: git runs on the git directory alone, which reads a pathspec from the top, so that `net` is
 * the repository's net/ from anywhere, and the cache, which keys on them, gives the same answer.
 * An absolute path inside the work tree is made one from the top; one outside it, or a relative
 * one climbing out of the top with "..", is refused. Pathspec magic (":(glob)…") is git's.
 */
export function pathspecs(repo: Repo, paths: readonly string[]): string[] {
  return paths.map((p) => {
    if (p.startsWith(':')) return p;
    if (path.isAbsolute(p)) {
      const rel = repo.workTree ? path.relative(onDisk(repo.workTree), onDisk(p)) : null;
      if (rel === null || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
        throw new InvalidInput('path', `${p} is not in the repository's work tree${repo.workTree ? ` (${repo.workTree})` : ' (it is bare)'}: give a path from its top, such as net`);
      }
      return rel === '' ? '.' : rel.split(path.sep).join('/');
    }
    const norm = path.posix.normalize(p);
    if (norm === '..' || norm.startsWith('../')) throw new InvalidInput('path', `${p} climbs out of the repository: give a path from its top, such as net`);
    return p;
  });
}

/** The commit a revision names, or null when it names none. */
export async function resolveCommit(repo: Git, rev: string): Promise<string | null> {
  if (rev.startsWith('-')) return null;
  const r = await runGit(repo.bin, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], { gitDir: repo.gitDir });
  return r.code === 0 ? r.stdout.toString('utf8').trim() : null;
}

/** Whether `a` is an ancestor of (or equal to) `b`. */
export async function isAncestor(repo: Git, a: string, b: string): Promise<boolean> {
  const r = await runGit(repo.bin, ['merge-base', '--is-ancestor', a, b], { gitDir: repo.gitDir });
  return r.code === 0;
}

/** A file in HEAD's tree, or null (used for .mailmap in a bare repository). */
export async function headFile(repo: Git, file: string): Promise<string | null> {
  const r = await runGit(repo.bin, ['cat-file', 'blob', `HEAD:${file}`], { gitDir: repo.gitDir });
  return r.code === 0 ? r.stdout.toString('utf8') : null;
}

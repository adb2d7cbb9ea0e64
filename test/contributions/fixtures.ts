/**
 * Repositories built by the tests: git commands (or `git fast-import` for bytes git commands
 * would not take) in a temporary directory, with fixed dates and an environment where the
 * user's own git configuration cannot leak in.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-git-home-'));

/**
 * Call once at the top of a test file: the miner's own git runs see the same clean setup, for
 * that file's tests only. A worker runs many files (vitest.config.ts, `isolate: false`): the
 * variables are put back after the file, for the files after it.
 */
export function isolateGit(): void {
  const keys = ['HOME', 'XDG_CONFIG_HOME', 'GIT_CONFIG_NOSYSTEM', 'GIT_DIR', 'GIT_WORK_TREE'] as const;
  const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
  beforeAll(() => {
    process.env.HOME = home;
    process.env.XDG_CONFIG_HOME = home;
    process.env.GIT_CONFIG_NOSYSTEM = '1';
    delete process.env.GIT_DIR;
    delete process.env.GIT_WORK_TREE;
  });
  afterAll(() => {
    for (const k of keys) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });
}

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: home, GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C', ...extra };
}

export function tmpDir(prefix = 'conclave-repo-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface CommitSpec {
  author: string;
  date: string;
  message: string;
  files?: Record<string, string>;
  committer?: string;
}

function split(who: string): [string, string] {
  const m = /^(.*?)\s*<([^<>]*)>$/.exec(who);
  if (!m) throw new Error(`not "Name <address>": ${who}`);
  return [m[1]!, m[2]!];
}

export class TestRepo {
  constructor(readonly dir: string) {}

  static init(): TestRepo {
    const r = new TestRepo(tmpDir());
    r.git(['init', '-q', '-b', 'main']);
    return r;
  }

  git(args: string[], extra: Record<string, string> = {}, input?: string | Buffer): string {
    return execFileSync('git', args, { cwd: this.dir, env: env(extra), input, encoding: 'utf8' });
  }

  /** Writes the files and commits them with the given author, date and message; returns the id. */
  commit(c: CommitSpec): string {
    const files = Object.entries(c.files ?? { [`f${Math.random().toString(36).slice(2)}.txt`]: 'x\n' });
    for (const [f, content] of files) {
      fs.mkdirSync(path.dirname(path.join(this.dir, f)), { recursive: true });
      fs.writeFileSync(path.join(this.dir, f), content);
    }
    // One git for all the files: a test file's repositories took hundreds of git processes.
    if (files.length) this.git(['add', '--', ...files.map(([f]) => f)]);
    const [an, ae] = split(c.author);
    const [cn, ce] = split(c.committer ?? c.author);
    this.git(['commit', '-q', '--allow-empty', '-F', '-'], {
      GIT_AUTHOR_NAME: an,
      GIT_AUTHOR_EMAIL: ae,
      GIT_AUTHOR_DATE: c.date,
      GIT_COMMITTER_NAME: cn,
      GIT_COMMITTER_EMAIL: ce,
      GIT_COMMITTER_DATE: c.date,
    }, c.message);
    return this.headRef() ?? this.head();
  }

  /** HEAD's commit id read from the files of the git directory (null when it is not there so plainly: a packed ref). */
  private headRef(): string | null {
    const git = path.join(this.dir, '.git');
    const head = fs.readFileSync(path.join(git, 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return /^[0-9a-f]{40}$/.test(head) ? head : null;
    const ref = path.join(git, head.slice(5));
    return fs.existsSync(ref) ? fs.readFileSync(ref, 'utf8').trim() : null;
  }

  /**
   * A copy in a new directory, made without running git: a repository of its own (its own git
   * directory, so a cache of its own), with the same commits.
   */
  copy(): TestRepo {
    const r = new TestRepo(tmpDir());
    fs.cpSync(this.dir, r.dir, { recursive: true });
    return r;
  }

  head(): string {
    return this.git(['rev-parse', 'HEAD']).trim();
  }

  write(file: string, content: string): void {
    fs.writeFileSync(path.join(this.dir, file), content);
  }
}

/**
 * Repositories built once per test file and copied for each use (call once at the top of the
 * file): `repo(key, build)` builds a new repository with `build` the first time a key is asked
 * for, and each time gives a copy of it (TestRepo.copy), which a test may change and mine with
 * the cache as a repository of its own. A test run on each database, or a repository several
 * tests start from, then spawns git to build it once rather than a few dozen times: building
 * them was most of these tests' time.
 */
export function repoTemplates(): (key: string, build: (r: TestRepo) => void) => TestRepo {
  const made = new Map<string, TestRepo>();
  afterAll(() => {
    for (const r of made.values()) fs.rmSync(r.dir, { recursive: true, force: true });
    made.clear();
  });
  return (key, build) => {
    let t = made.get(key);
    if (!t) {
      t = TestRepo.init();
      build(t);
      made.set(key, t);
    }
    return t.copy();
  };
}

/** Runs `git fast-import` on a stream given as bytes, in a new repository. */
export function fastImport(stream: Buffer): TestRepo {
  const r = TestRepo.init();
  execFileSync('git', ['fast-import', '--quiet'], { cwd: r.dir, env: env(), input: stream });
  r.git(['checkout', '-q', 'main']);
  return r;
}

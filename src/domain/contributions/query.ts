/**
 * What a run asks git for: the revisions (a range, or HEAD), the dates and paths, and the
 * .mailmap in force; and the key under which the run's tally is cached.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileProblem, InvalidInput } from '../errors.js';
import { headFile, resolveCommit, type Repo } from './git.js';
import { LOG_FORMAT } from './log-parser.js';
import { Mailmap } from './mailmap.js';

export interface Revisions {
  tip: string;
  /** Commits whose history is left out (the A of A..B). */
  excludes: string[];
  /** As the person wrote it, for messages: "v6.1..v6.6" or "HEAD". */
  text: string;
}

export async function resolveRange(repo: Repo, range: string | undefined, where: string): Promise<Revisions> {
  const text = range?.trim() || 'HEAD';
  if (text.includes('...')) throw new InvalidInput('range', `${text}: A...B is not supported; use A..B (the commits in B that are not in A)`);
  // As git reads a range: a side left out is HEAD ("..v6.1" is HEAD..v6.1, not v6.1's history).
  const sides = text.split('..');
  if (sides.length > 2) throw new InvalidInput('range', `${text} is not a range; use A..B (the commits in B that are not in A)`);
  const [a, b] = sides.length === 2 ? [sides[0] || 'HEAD', sides[1]] : [undefined, text];
  const tipName = b || 'HEAD';
  const tip = await resolveCommit(repo, tipName);
  if (!tip) {
    if (tipName === 'HEAD' && !range) throw new InvalidInput('repo', `${where} has no commits yet`);
    throw new InvalidInput('range', `${tipName} is not a commit in ${where}`);
  }
  const excludes: string[] = [];
  if (a) {
    const x = await resolveCommit(repo, a);
    if (!x) throw new InvalidInput('range', `${a} is not a commit in ${where}`);
    excludes.push(x);
  }
  return { tip, excludes, text };
}

/** The repository's .mailmap (work tree, else HEAD's tree for a bare one), then --mailmap. */
export async function loadMailmap(repo: Repo, file: string | undefined): Promise<Mailmap> {
  const m = new Mailmap();
  const own = repo.workTree ? readIfThere(path.join(repo.workTree, '.mailmap')) : await headFile(repo, '.mailmap');
  if (own) m.add(own);
  if (file) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new InvalidInput('mailmap', `cannot read ${file}: ${fileProblem(err)}`);
    }
    m.add(text);
  }
  return m;
}

function readIfThere(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

export interface Filters {
  paths: string[];
  since?: string | undefined;
  until?: string | undefined;
  includeMerges: boolean;
}

/** git's date limits, in UTC: --since from the start of its day, --until to the end of its. */
export function dateLimits(f: Filters): string[] {
  const out: string[] = [];
  if (f.since) out.push(`--since=${f.since} 00:00:00 +0000`);
  if (f.until) out.push(`--until=${f.until} 23:59:59 +0000`);
  return out;
}

/** Arguments for `git log` (or, without the format, `git rev-list --count`) over `revs`. */
export function walkArgs(f: Filters, revs: string[]): string[] {
  return [...(f.includeMerges ? [] : ['--no-merges']), ...dateLimits(f), ...revs, '--', ...f.paths];
}

export function logArgs(f: Filters, revs: string[]): string[] {
  return ['log', LOG_FORMAT, ...walkArgs(f, revs)];
}

/** The words for a query in messages and evidence: "HEAD -- net/ since 2015-01-01". */
export function describeQuery(revs: Revisions, f: Filters): string {
  const parts = [revs.text];
  if (f.paths.length) parts.push(`-- ${f.paths.join(' ')}`);
  if (f.since) parts.push(`since ${f.since}`);
  if (f.until) parts.push(`until ${f.until}`);
  if (f.includeMerges) parts.push('with merges');
  return parts.join(' ');
}

/**
 * Reading `git log` as a stream: each commit is one record that starts with a NUL byte, its
 * fields separated by 0x1f (LOG_FORMAT). Only a chunk and one partial record are held at a time.
 *
 * Names and messages are bytes: a record that is not valid UTF-8 (an old commit written in
 * Latin-1, say) is read field by field, and a field that is not UTF-8 is read as Latin-1, so no
 * byte is lost and no name becomes "\uFFFD".
 */
import { isUtf8 } from 'node:buffer';
import { cleanAddress, cleanName, identProblem, parseIdent, type Ident } from './ident.js';
import { TRAILER_ROLES, type Role } from './roles.js';

/** The fields of a commit, as git formats them: id, author name, address, author time, commit time, trailers. */
export const FIELDS = '%H%x1f%an%x1f%ae%x1f%at%x1f%ct%x1f%(trailers:only,unfold)';
export const LOG_FORMAT = `--format=%x00${FIELDS}`;

export interface CommitRecord {
  sha: string;
  name: string;
  email: string;
  /** Author time, in seconds: when the work was done (also for its trailers' credits). */
  time: number;
  /** Commit time, in seconds: where the cache looks for the commit (cache.ts). */
  ctime: number;
  credits: [Role, Ident][];
  /** Trailers of a credited kind whose value held no usable address (usually none: NO_SKIPS). */
  skipped: readonly SkippedLine[];
  /**
   * The record's bytes as git printed them (without the leading NUL), while it is being read:
   * what the cache stores. Null for a record read back from the cache.
   */
  raw: Buffer | null;
}

/** A trailer skipped: its line as git gave it (unfolded), and why it credits nobody. */
export interface SkippedLine {
  line: string;
  why: string;
}

/** The skipped trailers of a commit that has none, shared. */
export const NO_SKIPS: readonly SkippedLine[] = Object.freeze([]);

/** Characters of a skipped trailer's line kept: a crafted one could be any length. */
export const SKIPPED_LINE_MAX = 200;

/**
 * A skipped trailer's line, to be shown: each control character as U+FFFD (a crafted commit's
 * terminal escape sequence is never printed, as in an address: ident.ts), cut at SKIPPED_LINE_MAX.
 */
function shownLine(line: string): string {
  const t = line.trim().replace(/[\u0000-\u001f\u007f]/g, '\uFFFD');
  return own(t.length > SKIPPED_LINE_MAX ? `${t.slice(0, SKIPPED_LINE_MAX - 1)}…` : t);
}

const NUL = 0;
const US = 0x1f;

function decode(b: Buffer): string {
  return isUtf8(b) ? b.toString('utf8') : b.toString('latin1');
}

/** One record (without its leading NUL) → fields. */
function fields(rec: Buffer): string[] {
  if (isUtf8(rec)) return rec.toString('utf8').split('\x1f');
  const out: string[] = [];
  let start = 0;
  for (;;) {
    const i = rec.indexOf(US, start);
    if (i < 0) {
      out.push(decode(rec.subarray(start)));
      return out;
    }
    out.push(decode(rec.subarray(start, i)));
    start = i + 1;
  }
}

/**
 * A string that holds no reference to the (large) text it was cut from: V8 keeps a substring as
 * a view of its parent, and a memo or a tally that kept such views would keep whole chunks of
 * the log alive.
 */
export function own(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/**
 * Memos of what repeats from commit to commit: the same names, trailer keys and trailer values
 * come back thousands of times, and parsing one once is cheaper than parsing it each time. What
 * they return is shared, never changed. Each is emptied when it grows past MEMO entries.
 */
const MEMO = 1 << 16;
const names = new Map<string, string>();
const authors = new Map<string, Ident>();
const roles = new Map<string, Role | null>();
const values = new Map<Role, Map<string, [Role, Ident] | null>>();

function remember<K, V>(m: Map<K, V>, k: K, v: V): V {
  if (m.size >= MEMO) m.clear();
  m.set(k, v);
  return v;
}

function authorName(raw: string): string {
  const hit = names.get(raw);
  return hit !== undefined ? hit : remember(names, own(raw), own(cleanName(raw)));
}

/** The author of "name\x1faddress", cleaned: strings shared from commit to commit. */
function authorOf(raw: string, us: number): Ident {
  const hit = authors.get(raw);
  return hit !== undefined ? hit : remember(authors, own(raw), { name: authorName(raw.slice(0, us)), email: own(cleanAddress(raw.slice(us + 1))) });
}

function roleOf(key: string): Role | null {
  const hit = roles.get(key);
  return hit !== undefined ? hit : remember(roles, own(key), TRAILER_ROLES.get(key.trim().toLowerCase()) ?? null);
}

function credit(role: Role, value: string): [Role, Ident] | null {
  let m = values.get(role);
  if (!m) values.set(role, (m = new Map()));
  const hit = m.get(value);
  if (hit !== undefined) return hit;
  const who = parseIdent(value);
  return remember(m, own(value), who ? [role, { name: own(who.name), email: own(who.email) }] : null);
}

/** The credits of the trailer block text[from, to) (one "Key: value" per line, unfolded). */
function trailersIn(text: string, from: number, to: number): { credits: [Role, Ident][]; skipped: readonly SkippedLine[] } {
  const credits: [Role, Ident][] = [];
  let skipped: SkippedLine[] | null = null;
  let ls = from;
  while (ls < to) {
    let le = text.indexOf('\n', ls);
    if (le < 0 || le > to) le = to;
    const colon = text.indexOf(':', ls);
    if (colon > ls && colon < le) {
      const role = roleOf(text.slice(ls, colon));
      if (role) {
        const value = text.slice(colon + 1, le);
        const c = credit(role, value);
        if (c) credits.push(c);
        else (skipped ??= []).push({ line: shownLine(text.slice(ls, le)), why: identProblem(value) });
      }
    }
    ls = le + 1;
  }
  return { credits, skipped: skipped ?? NO_SKIPS };
}

/** The credits in the trailer block git found (one "Key: value" per line, unfolded). */
export function parseTrailers(block: string): { credits: [Role, Ident][]; skipped: readonly SkippedLine[] } {
  return trailersIn(block, 0, block.length);
}

export function parseRecord(rec: Buffer): CommitRecord | null {
  let r: CommitRecord | null;
  if (isUtf8(rec)) {
    const text = rec.toString('utf8');
    r = recordIn(text, 0, text.length);
  } else r = fromFields(fields(rec));
  if (r) r.raw = rec;
  return r;
}

function fromFields(f: string[]): CommitRecord | null {
  if (f.length < 6) return null;
  const block = f.length === 6 ? f[5]! : f.slice(5).join('\x1f');
  const t = trailersIn(block, 0, block.length);
  return { sha: f[0]!.trim(), name: authorName(f[1]!), email: cleanAddress(f[2]!), time: Number(f[3]), ctime: Number(f[4]), credits: t.credits, skipped: t.skipped, raw: null };
}

/**
 * The record text[start, end) — its fields separated by 0x1f, the trailer block last (which may
 * hold 0x1f itself) — read in place, without splitting it into strings first.
 */
function recordIn(text: string, start: number, end: number): CommitRecord | null {
  const f1 = text.indexOf('\x1f', start);
  const f2 = f1 < 0 ? -1 : text.indexOf('\x1f', f1 + 1);
  const f3 = f2 < 0 ? -1 : text.indexOf('\x1f', f2 + 1);
  const f4 = f3 < 0 ? -1 : text.indexOf('\x1f', f3 + 1);
  const f5 = f4 < 0 ? -1 : text.indexOf('\x1f', f4 + 1);
  if (f5 < 0 || f5 >= end) return null;
  const t = trailersIn(text, f5 + 1, end);
  const author = authorOf(text.slice(f1 + 1, f3), f2 - f1 - 1);
  return {
    sha: text.slice(start, f1).trim(),
    name: author.name,
    email: author.email,
    time: Number(text.slice(f3 + 1, f4)),
    ctime: Number(text.slice(f4 + 1, f5)),
    credits: t.credits,
    skipped: t.skipped,
    raw: null,
  };
}

/**
 * Splits a stream of `git log --format=LOG_FORMAT` output into commit records, in batches. The
 * complete records of a chunk are decoded at once when they are valid UTF-8 (the usual case),
 * else one by one.
 */
export async function* readRecords(stream: AsyncIterable<Buffer>): AsyncGenerator<CommitRecord[]> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of stream) {
    const buf = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    const end = buf.lastIndexOf(NUL);
    if (end <= 0) {
      rest = buf;
      continue;
    }
    const whole = buf.subarray(0, end);
    rest = Buffer.from(buf.subarray(end));
    const batch: CommitRecord[] = [];
    if (isUtf8(whole)) {
      // The records of the decoded text and of the bytes, side by side (a NUL is one of each).
      const text = whole.toString('utf8');
      let start = text.indexOf('\0');
      let bstart = whole.indexOf(NUL);
      while (start >= 0) {
        const next = text.indexOf('\0', start + 1);
        const bnext = whole.indexOf(NUL, bstart + 1);
        const stop = next < 0 ? text.length : next;
        if (stop > start + 1) {
          const r = recordIn(text, start + 1, stop);
          if (r) {
            r.raw = whole.subarray(bstart + 1, bnext < 0 ? whole.length : bnext);
            batch.push(r);
          }
        }
        start = next;
        bstart = bnext;
      }
    } else {
      let start = whole.indexOf(NUL);
      while (start >= 0) {
        const next = whole.indexOf(NUL, start + 1);
        const r = parseRecord(whole.subarray(start + 1, next < 0 ? whole.length : next));
        if (r) batch.push(r);
        start = next;
      }
    }
    if (batch.length) yield batch;
  }
  if (rest.length > 1) {
    const r = parseRecord(rest.subarray(1));
    if (r) yield [r];
  }
}

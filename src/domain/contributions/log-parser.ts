/**
 * Reading `git log` as a stream: each commit is one record that starts with a NUL byte, its
 * fields separated by 0x1f (LOG_FORMAT). Only a chunk and one partial record are held at a time.
 *
 * Names and messages are bytes: a record that is not valid UTF-8 (an old commit written in
 * Latin-1, say) is read field by field, and a field that is not UTF-8 is read as Latin-1, so no
 * byte is lost and no name becomes "\uFFFD".
 */
import { isUtf8 } from 'node:buffer';
import { cleanName, parseIdent, type Ident } from './ident.js';
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
  /** Trailers of a credited kind whose value held no usable address. */
  skipped: number;
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

/** The credits in the trailer block git found (one "Key: value" per line, unfolded). */
export function parseTrailers(block: string): { credits: [Role, Ident][]; skipped: number } {
  const credits: [Role, Ident][] = [];
  let skipped = 0;
  if (!block) return { credits, skipped };
  for (const line of block.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const role = TRAILER_ROLES.get(line.slice(0, colon).trim().toLowerCase());
    if (!role) continue;
    const who = parseIdent(line.slice(colon + 1));
    if (who) credits.push([role, who]);
    else skipped++;
  }
  return { credits, skipped };
}

export function parseRecord(rec: Buffer): CommitRecord | null {
  return fromFields(fields(rec));
}

function fromFields(f: string[]): CommitRecord | null {
  if (f.length < 6) return null;
  const t = parseTrailers(f.length === 6 ? f[5]! : f.slice(5).join('\x1f'));
  return {
    sha: f[0]!.trim(),
    name: cleanName(f[1]!),
    email: f[2]!.trim(),
    time: Number(f[3]),
    ctime: Number(f[4]),
    credits: t.credits,
    skipped: t.skipped,
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
      for (const rec of whole.toString('utf8').split('\0')) {
        if (!rec) continue;
        const r = fromFields(rec.split('\x1f'));
        if (r) batch.push(r);
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

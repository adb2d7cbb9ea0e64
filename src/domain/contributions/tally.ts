/**
 * The running tally of a scan: per identity (after .mailmap, keyed by address in lower case),
 * counts per role, decayed weights per role, first and last activity, lines and directories.
 *
 * Decay is kept so that a tally made last month still scores correctly today: a credit at time t
 * adds 2^((t − T0)/h) (h the half-life), and the score multiplies the sum by 2^(−(now − T0)/h),
 * which is Σ 2^(−(now − t)/h). So a tally can be saved, grown by new commits and scored later.
 */
import { identKey, type Ident } from './ident.js';
import { own, type CommitRecord } from './log-parser.js';
import type { Mailmap } from './mailmap.js';
import { ROLE_INDEX, ROLES } from './roles.js';

export const T0 = Date.UTC(2005, 0, 1) / 1000;
export const YEAR = 365.25 * 86400;

export interface IdentityTally {
  /** The name shown; empty while only bare addresses (`Acked-by: a@b`) have named this identity. */
  name: string;
  nameTime: number;
  email: string;
  /**
   * "name\naddress" → [credits, last time] of each spelling of this identity (its address in
   * other cases, its name written otherwise): the most used is the one shown. Absent in a tally
   * saved before it was kept; it then starts from the spelling shown.
   */
  spell?: Record<string, [number, number]>;
  n: number[];
  d: number[];
  first: number;
  last: number;
  added: number;
  removed: number;
  /** Σ log2(1 + lines) × decay over authored commits. */
  ld: number;
  /** Directory → commits in it credited to this identity. */
  paths: Record<string, number>;
}

/** What a commit credited, kept until its lines are counted. */
export interface Credited {
  author: string;
  keys: string[];
  time: number;
}

export interface CommitLines {
  added: number;
  removed: number;
  paths: Record<string, number>;
}

/**
 * Directories kept per identity: when an identity has touched more than twice this many, only
 * the most frequent PATHS_KEPT stay (and a dropped one that comes back starts again from 0). The
 * evidence shows the top three, so memory stays bounded by the people, not by the tree.
 */
export const PATHS_KEPT = 256;

function prunePaths(e: IdentityTally): void {
  const keys = Object.keys(e.paths);
  if (keys.length <= 2 * PATHS_KEPT) return;
  const kept = keys.sort((a, b) => e.paths[b]! - e.paths[a]! || (a < b ? -1 : 1)).slice(0, PATHS_KEPT);
  const paths: Record<string, number> = {};
  for (const k of kept) paths[k] = e.paths[k]!;
  e.paths = paths;
}

/** An identity after .mailmap, its key, and its name in lower case. */
interface Mapped {
  who: Ident;
  key: string;
  lname: string;
}

/**
 * Counts a credit to a spelling of `e` (one with a name: a bare address is no spelling), and
 * shows the most used: of two used as often, the one used last (then the greater), so that the
 * order commits are read in does not matter. Only the spelling counted can overtake the one
 * shown, so comparing those two keeps the most used; any name overtakes none.
 */
function spelled(e: IdentityTally, who: Ident, t: number): void {
  const sp = (e.spell ??= {});
  const k = `${who.name}\n${who.email}`;
  const mine = sp[k] ?? [0, t];
  mine[0]++;
  if (t > mine[1]) mine[1] = t;
  sp[k] = mine;
  const shown = `${e.name}\n${e.email}`;
  if (k === shown) return;
  const [n, last] = sp[shown] ?? [0, e.nameTime];
  if (!e.name || mine[0] > n || (mine[0] === n && (mine[1] > last || (mine[1] === last && k > shown)))) {
    e.name = who.name;
    e.email = who.email;
    e.nameTime = mine[1];
  }
}

/** A skipped trailer (log-parser.ts) with its commit: id and author time (seconds). */
export interface SkippedTrailer {
  commit: string;
  time: number;
  line: string;
  why: string;
}

/**
 * Skipped trailers listed (skipped counts them all): the newest, by author time, then commit id,
 * then the line. That order is total, so the list is the same whichever order the commits were
 * read in, by one git or several (numstat.ts), at once or grown from a cached tally.
 */
export const SKIPPED_KEPT = 1000;

function newestFirst(a: SkippedTrailer, b: SkippedTrailer): number {
  if (a.time !== b.time) return b.time - a.time;
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.line !== b.line) return a.line < b.line ? -1 : 1;
  return a.why < b.why ? -1 : a.why > b.why ? 1 : 0;
}

const AUTHORED = ROLE_INDEX.authored;
/** Addresses whose mapping is remembered at once (tally.mapped). */
const MEMO = 1 << 16;

export class Tally {
  readonly ids = new Map<string, IdentityTally>();
  commits = 0;
  skipped = 0;
  /** Skipped trailers, unsorted, up to twice SKIPPED_KEPT: skippedTrailers() gives the list. */
  private skips: SkippedTrailer[] = [];
  private memoFor: Mailmap | null = null;
  private readonly memo = new Map<string, Map<string, Mapped>>();

  constructor(readonly halfLifeYears: number) {}

  decay(t: number): number {
    return 2 ** ((t - T0) / (this.halfLifeYears * YEAR));
  }

  private get(key: string, who: Ident, t: number): IdentityTally {
    let e = this.ids.get(key);
    if (!e) {
      e = { name: who.name, nameTime: t, email: who.email, spell: who.name ? { [`${who.name}\n${who.email}`]: [1, t] } : {}, n: ROLES.map(() => 0), d: ROLES.map(() => 0), first: t, last: t, added: 0, removed: 0, ld: 0, paths: {} };
      this.ids.set(key, e);
    } else {
      if (t < e.first) e.first = t;
      if (t > e.last) e.last = t;
      if (who.name) spelled(e, who, t);
    }
    return e;
  }

  /**
   * Credits one commit: its author, and each trailer's person once per kind. A Signed-off-by of
   * the author or of a co-developer is their own patch, not a maintainer's sign-off, and is not
   * credited.
   */
  addCommit(rec: CommitRecord, mailmap: Mailmap): Credited {
    const t = rec.time;
    const w = this.decay(t);
    const author = this.mapped(mailmap, rec.name, rec.email);
    const akey = author.key;
    const aname = author.lname;
    const ae = this.get(akey, author.who, t);
    ae.n[AUTHORED]!++;
    ae.d[AUTHORED]! += w;
    this.commits++;
    if (rec.skipped.length) this.skip(rec);
    const keys = [akey];
    const cs = rec.credits;
    const n = cs.length;
    if (!n) return { author: akey, keys, time: t };
    // A commit has a handful of credits: arrays scanned beat sets built.
    const ms: Mapped[] = new Array<Mapped>(n);
    for (let i = 0; i < n; i++) ms[i] = this.mapped(mailmap, cs[i]![1].name, cs[i]![1].email);
    const done: number[] = [];
    for (let i = 0; i < n; i++) {
      const role = cs[i]![0];
      const m = ms[i]!;
      if (role === 'signedOff') {
        if (m.key === akey || (aname && m.lname === aname)) continue;
        let ownPatch = false;
        for (let j = 0; j < n && !ownPatch; j++) ownPatch = cs[j]![0] === 'coDeveloped' && ms[j]!.key === m.key;
        if (ownPatch) continue;
      }
      let seen = false;
      for (let j = 0; j < done.length && !seen; j++) seen = cs[done[j]!]![0] === role && ms[done[j]!]!.key === m.key;
      if (seen) continue;
      done.push(i);
      const e = this.get(m.key, m.who, t);
      const ri = ROLE_INDEX[role];
      e.n[ri]!++;
      e.d[ri]! += w;
      if (!keys.includes(m.key)) keys.push(m.key);
    }
    return { author: akey, keys, time: t };
  }

  private skip(rec: CommitRecord): void {
    this.skipped += rec.skipped.length;
    for (const s of rec.skipped) this.skips.push({ commit: rec.sha, time: rec.time, line: s.line, why: s.why });
    if (this.skips.length > 2 * SKIPPED_KEPT) this.skips = this.skippedTrailers();
  }

  /** The SKIPPED_KEPT newest skipped trailers, newest first (newestFirst). */
  skippedTrailers(): SkippedTrailer[] {
    return this.skips.sort(newestFirst).slice(0, SKIPPED_KEPT);
  }

  /**
   * A name and address after .mailmap, with its key: worked out once per spelling (memo), as the
   * same few thousand people come back on every commit.
   */
  private mapped(mailmap: Mailmap, name: string, email: string): Mapped {
    if (mailmap !== this.memoFor) {
      this.memoFor = mailmap;
      this.memo.clear();
    }
    let byName = this.memo.get(email);
    if (!byName) {
      if (this.memo.size >= MEMO) this.memo.clear();
      this.memo.set(own(email), (byName = new Map()));
    }
    let m = byName.get(name);
    if (!m) {
      const who = mailmap.map(name, email);
      m = { who: { name: own(who.name), email: own(who.email) }, key: own(identKey(who)), lname: who.name.toLowerCase() };
      byName.set(own(name), m);
    }
    return m;
  }

  /** Adds a commit's lines to its author and its directories to everyone it credited. */
  addLines(c: Credited, lines: CommitLines): void {
    const a = this.ids.get(c.author);
    if (a) {
      a.added += lines.added;
      a.removed += lines.removed;
      a.ld += Math.log2(1 + lines.added + lines.removed) * this.decay(c.time);
    }
    const dirs = Object.keys(lines.paths);
    for (const k of c.keys) {
      const e = this.ids.get(k);
      if (!e) continue;
      let grew = false;
      for (const d of dirs) {
        const n = e.paths[d];
        if (n === undefined) grew = true;
        e.paths[d] = (n ?? 0) + 1;
      }
      if (grew) prunePaths(e);
    }
  }

  toJSON(): string {
    return JSON.stringify({
      v: 2,
      h: this.halfLifeYears,
      commits: this.commits,
      skipped: this.skipped,
      skips: this.skippedTrailers(),
      ids: [...this.ids.entries()],
    });
  }

  static fromJSON(text: string): Tally | null {
    try {
      const o = JSON.parse(text) as { v: number; h: number; commits: number; skipped: number; skips?: SkippedTrailer[]; ids: [string, IdentityTally][] };
      // A tally saved before skipped trailers were listed (v 1) counted them only: it serves
      // only when there were none, else the history is read again to list them.
      if (!(o.v === 2 || (o.v === 1 && o.skipped === 0))) return null;
      const t = new Tally(o.h);
      t.commits = o.commits;
      t.skipped = o.skipped;
      t.skips = o.skips ?? [];
      for (const [k, e] of o.ids) t.ids.set(k, e);
      return t;
    } catch {
      return null;
    }
  }
}

/**
 * From a tally to ranked people: identities with one address, or one full name, are one person
 * (a person's addresses merge); bots and --exclude patterns drop out; each person gets a score
 * from the weights, and the evidence that made it.
 */
import { shownName } from './ident.js';
import { ROLES, ROLE_INDEX, ROLE_WORDS, type Role } from './roles.js';
import { T0, YEAR, type IdentityTally, type Tally } from './tally.js';
import type { Weights } from './weights.js';

/**
 * Bots and robots, left out unless --include-bots: GitHub apps, syzbot, the kernel test robot,
 * no-reply senders. Matched like --exclude (see matcher()).
 */
export const BOT_PATTERNS = ['*[bot]*', '*bot@*', '*bot+*@*', '*-robot@*', 'lkp@intel.com', 'noreply@*', 'no-reply@*', '*@syzkaller.appspotmail.com'];

export interface PathCount {
  path: string;
  commits: number;
}

export interface Evidence {
  summary: string;
  score: number;
  counts: Record<Role, number>;
  points: Record<Role | 'lines', number>;
  lines: { added: number; removed: number } | null;
  first: string;
  last: string;
  topPaths: PathCount[];
  addresses: string[];
  repository: string;
  query: string;
}

export interface CandidateRow extends Evidence {
  rank: number;
  name: string;
  email: string;
}

/** A glob (`*` and `?`, case-insensitive) matching a whole address, name, or "Name <address>". */
export function matcher(patterns: string[]): (name: string, email: string) => boolean {
  if (!patterns.length) return () => false;
  // One expression for all the patterns: a whole string matches it when it matches one of them.
  const re = new RegExp(`^(?:${patterns.map((p) => p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')).join('|')})$`, 'i');
  return (name, email) => re.test(email) || re.test(name) || re.test(`${name} <${email}>`);
}

const day = (t: number) => new Date(t * 1000).toISOString().slice(0, 10);
const round = (x: number) => Math.round(x * 10) / 10;

/** Identities sharing an address key or a full (two-word or longer) name, grouped. */
function people(t: Tally): IdentityTally[][] {
  const keys = [...t.ids.keys()];
  const parent = keys.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const byName = new Map<string, number>();
  keys.forEach((k, i) => {
    const name = t.ids.get(k)!.name.toLowerCase().replace(/\s+/g, ' ').trim();
    if (!name.includes(' ')) return;
    const j = byName.get(name);
    if (j === undefined) byName.set(name, i);
    else parent[find(i)] = find(j);
  });
  const groups = new Map<number, IdentityTally[]>();
  keys.forEach((k, i) => {
    const r = find(i);
    let g = groups.get(r);
    if (!g) groups.set(r, (g = []));
    g.push(t.ids.get(k)!);
  });
  return [...groups.values()];
}

export interface RankOptions {
  weights: Weights;
  exclude: string[];
  includeBots: boolean;
  lines: boolean;
  now: Date;
  top: number;
  repository: string;
  query: string;
}

/** The top people of a tally, best first; ties by name. */
export function rank(t: Tally, o: RankOptions): { rows: CandidateRow[]; people: number; excluded: number } {
  const excluded = matcher([...o.exclude, ...(o.includeBots ? [] : BOT_PATTERNS)]);
  const factor = 2 ** (-(o.now.getTime() / 1000 - T0) / (t.halfLifeYears * YEAR));
  const all: CandidateRow[] = [];
  const rest = new Map<CandidateRow, { group: IdentityTally[]; first: number; last: number; exact: number }>();
  let dropped = 0;
  for (const group of people(t)) {
    if (group.some((e) => excluded(shownName(e), e.email))) {
      dropped++;
      continue;
    }
    const counts = Object.fromEntries(ROLES.map((r) => [r, 0])) as Record<Role, number>;
    const points = Object.fromEntries([...ROLES, 'lines'].map((r) => [r, 0])) as Record<Role | 'lines', number>;
    let added = 0;
    let removed = 0;
    let first = Infinity;
    let last = -Infinity;
    let best = group[0]!;
    let bestN = -1;
    for (const e of group) {
      for (const r of ROLES) {
        counts[r] += e.n[ROLE_INDEX[r]]!;
        points[r] += o.weights[r] * e.d[ROLE_INDEX[r]]! * factor;
      }
      points.lines += o.lines ? o.weights.lines * e.ld * factor : 0;
      added += e.added;
      removed += e.removed;
      first = Math.min(first, e.first);
      last = Math.max(last, e.last);
      const n = e.n.reduce((a, b) => a + b, 0);
      if (n > bestN || (n === bestN && e.last > best.last)) {
        best = e;
        bestN = n;
      }
    }
    // The score of the parts as they are, each part and the score rounded alone: rounded parts
    // summed would be off (1.946 + 0.814 shown 2.7), and rank a near tie the wrong way round.
    const exact = Object.values(points).reduce((a, b) => a + b, 0);
    for (const k of Object.keys(points) as (Role | 'lines')[]) points[k] = round(points[k]);
    const score = round(exact);
    const row: CandidateRow = {
      rank: 0,
      name: shownName(best),
      email: best.email,
      score,
      counts,
      points,
      lines: o.lines ? { added, removed } : null,
      first: '',
      last: '',
      topPaths: [],
      addresses: [],
      repository: o.repository,
      query: o.query,
      summary: '',
    };
    all.push(row);
    rest.set(row, { group, first, last, exact });
  }
  all.sort((a, b) => rest.get(b)!.exact - rest.get(a)!.exact || a.name.localeCompare(b.name) || a.email.localeCompare(b.email));
  // The evidence that only a row shown needs (dates, paths, addresses, summary): for those only.
  const rows = all.slice(0, o.top).map((r, i) => {
    const { group, first, last } = rest.get(r)!;
    const paths = new Map<string, number>();
    for (const e of group) for (const [p, n] of Object.entries(e.paths)) paths.set(p, (paths.get(p) ?? 0) + n);
    const topPaths = [...paths.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 3)
      .map(([path, commits]) => ({ path, commits }));
    const addresses = [...new Set(group.map((e) => e.email))].filter(Boolean).sort();
    const row = { ...r, rank: i + 1, first: day(first), last: day(last), topPaths, addresses };
    row.summary = summarize(row);
    return row;
  });
  return { rows, people: all.length, excluded: dropped };
}

/** One line a committee member reads: "score 41.2: 12 commits, 30 sign-offs …; 2019-03-01 – 2024-05-02; net/ipv4 (9)". */
export function summarize(r: Evidence): string {
  const parts = ROLES.filter((k) => r.counts[k] > 0).map((k) => `${r.counts[k]} ${ROLE_WORDS[k][r.counts[k] === 1 ? 0 : 1]}`);
  if (r.lines) parts.push(`+${r.lines.added}/-${r.lines.removed} lines`);
  const paths = r.topPaths.map((p) => `${p.path} (${p.commits})`).join(', ');
  return `score ${r.score}: ${parts.join(', ')}; active ${r.first} – ${r.last}${paths ? `; mostly ${paths}` : ''}`;
}

import { describe, expect, it } from 'vitest';
import { rank } from './rank.js';
import { ROLE_INDEX, ROLES } from './roles.js';
import { T0, Tally } from './tally.js';
import { DEFAULT_WEIGHTS } from './weights.js';

/** A tally of people whose decayed credits are given outright (scored at T0: no decay). */
function tally(people: { name: string; email: string; authored: number; tested: number }[]): Tally {
  const t = new Tally(2);
  for (const p of people) {
    const d = ROLES.map(() => 0);
    d[ROLE_INDEX.authored] = p.authored;
    d[ROLE_INDEX.tested] = p.tested;
    t.ids.set(p.email, { name: p.name, nameTime: T0, email: p.email, n: ROLES.map(() => 1), d, first: T0, last: T0, added: 0, removed: 0, ld: 0, paths: {} });
  }
  return t;
}

describe('rank', () => {
  it('scores the parts as they are, not as rounded, and ranks by that', () => {
    const t = tally([
      { name: 'Dave Near', email: 'dave@x.test', authored: 1.789, tested: 0.96 },
      { name: 'Bob Near', email: 'bob@x.test', authored: 1.946, tested: 0.814 },
    ]);
    const weights = { ...DEFAULT_WEIGHTS, authored: 1, tested: 1 };
    const { rows } = rank(t, { weights, exclude: [], includeBots: false, lines: false, now: new Date(T0 * 1000), top: 10, repository: 'r', query: 'q' });
    // Bob's parts are 1.946 + 0.814 = 2.76, Dave's 1.789 + 0.96 = 2.749: shown 1.9 + 0.8 and 1.8 + 1.
    expect(rows.map((r) => [r.name, r.score, r.points.authored, r.points.tested])).toEqual([
      ['Bob Near', 2.8, 1.9, 0.8],
      ['Dave Near', 2.7, 1.8, 1],
    ]);
  });
});

/**
 * The time-zone computations the export leans on, kept per zone and year: they must give what
 * the direct computation gives (the zone's offset read from formatToParts at each instant, and
 * its changes found by sampling every 6 hours, over the whole range at once), also for ranges of
 * several years, near each change, and in zones with odd offsets (local mean time, half hours).
 */
import { describe, expect, it } from 'vitest';
import { offsetAt, zoneTransitions } from '../../src/domain/exports/time-zone.js';

function reference(tz: string) {
  const f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const offset = (ms: number) => {
    const parts: Record<string, number> = {};
    for (const p of f.formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
    const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
    return Math.round((wall - Math.floor(ms / 1000) * 1000) / 60000);
  };
  const transitions = (fromYear: number, toYear: number) => {
    const start = Date.UTC(fromYear, 0, 1);
    const end = Date.UTC(toYear + 1, 0, 1);
    const step = 6 * 3600_000;
    const initial = offset(start);
    const found: { at: number; from: number; to: number }[] = [];
    let prev = initial;
    for (let t = start + step; t <= end; t += step) {
      const off = offset(t);
      if (off === prev) continue;
      let lo = t - step;
      let hi = t;
      while (hi - lo > 60000) {
        const mid = lo + Math.floor((hi - lo) / 120000) * 60000;
        if (offset(mid) === prev) lo = mid;
        else hi = mid;
      }
      found.push({ at: hi, from: prev, to: off });
      prev = off;
    }
    return { initial, transitions: found };
  };
  return { offset, transitions };
}

const CASES: [string, number, number][] = [
  ['Europe/Madrid', 1900, 1904], // local mean time until 1901 (-0:14:44)
  ['America/Toronto', 2014, 2016],
  ['Australia/Lord_Howe', 2019, 2020], // a half-hour daylight saving time
  ['Asia/Kolkata', 1941, 1946],
  ['Europe/London', 1940, 1947], // double summer time
  ['America/Boa_Vista', 2000, 2000], // daylight saving time for one week of October
];

describe.each(CASES)('%s %i–%i', (tz, from, to) => {
  const ref = reference(tz);

  it('finds the same offset changes, for the range and for each of its years', () => {
    expect(zoneTransitions(tz, from, to)).toEqual(ref.transitions(from, to));
    expect(zoneTransitions(tz, to, to)).toEqual(ref.transitions(to, to));
    // Asked again (kept): the same, and a copy the caller may change.
    const again = zoneTransitions(tz, from, to);
    again.transitions.length = 0;
    expect(zoneTransitions(tz, from, to)).toEqual(ref.transitions(from, to));
  });

  it('gives the same offset at any instant, and minute by minute around each change', () => {
    let seed = 7;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const start = Date.UTC(from, 0, 1);
    const end = Date.UTC(to + 1, 0, 1);
    const instants = Array.from({ length: 300 }, () => Math.floor(start + rnd() * (end - start)));
    for (const t of ref.transitions(from, to).transitions) for (let m = -30; m <= 30; m++) instants.push(t.at + m * 60000 + 17);
    const differ = instants.filter((ms) => offsetAt(tz, ms) !== ref.offset(ms)).map((ms) => new Date(ms).toISOString());
    expect(differ).toEqual([]);
  });
});

/**
 * `conclave schedule day` as a person runs it (bin/conclave.js, the bundle): a new end of a day
 * moves the end of the open-ended slot that runs until it, and `conclave schedule export --format
 * ics` then gives that event a higher SEQUENCE, and the others the SEQUENCE they had.
 */
import fs from 'node:fs';
import path from 'node:path';
import ICAL from 'ical.js';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot, runConclave } from '../support/cli.js';
import { freshDataDir } from '../support/db.js';

describe('conclave schedule day and the calendar', () => {
  const dataDir = freshDataDir('conclave-ical-sequence-');
  const env = { CONCLAVE_DATA: dataDir, BASE_URL: 'https://netconf.example.org' };
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  /** Each event of the 2004 calendar by summary: its DTEND and SEQUENCE. */
  const calendar = (): Map<string, { end: string; sequence: number }> => {
    const r = runConclave(['schedule', 'export', '2004', '--format', 'ics'], env);
    expect(r.code, r.stderr).toBe(0);
    const out = new Map<string, { end: string; sequence: number }>();
    for (const c of new ICAL.Component(ICAL.parse(r.stdout)).getAllSubcomponents('vevent').slice(1)) {
      out.set(String(c.getFirstPropertyValue('summary')), { end: String(c.getFirstPropertyValue('dtend')), sequence: Number(c.getFirstPropertyValue('sequence')) });
    }
    return out;
  };

  it('raises the SEQUENCE of the open-ended slot whose end the day’s new hours move, and only its', () => {
    const imported = runConclave(['import', path.join(projectRoot, 'archive/netconf/netconf-2004.txt')], env);
    expect(imported.code, imported.stderr).toBe(0);
    const before = calendar();
    // "2:00pm+ Open discussion, just like previous day": the last slot of July 15, to the day's end.
    const open = 'Open discussion, just like previous day';
    expect(before.get(open)!.end).toMatch(/^2004-07-15T20:00/);

    const day = runConclave(['schedule', 'day', '2004', '2004-07-15', '--end', '18:00'], env);
    expect(day.code, day.stderr).toBe(0);
    const after = calendar();
    expect(after.get(open)!.end).toMatch(/^2004-07-15T18:00/);
    expect(after.get(open)!.sequence).toBeGreaterThan(before.get(open)!.sequence);
    for (const [summary, was] of before) {
      if (summary !== open) expect(after.get(summary), summary).toEqual(was);
    }
  });
});

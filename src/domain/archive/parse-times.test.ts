import { describe, expect, it } from 'vitest';
import { type TimeContext, TimeError, misspeltTime, resolveTime, startsWithTime, timeAtStart } from './parse-times.js';

function read(text: string, ctx: TimeContext = { usesAmPm: true }) {
  const t = timeAtStart(text);
  if (!t) throw new Error(`no time in ${text}`);
  return resolveTime(t, ctx);
}

describe('timeAtStart', () => {
  it('finds the time and keeps the raw rest (no-break spaces included)', () => {
    expect(timeAtStart('    8:30am \u00a0 BREAKFAST')).toEqual({
      timeText: '8:30am',
      rest: ' \u00a0 BREAKFAST',
      start: '8:30',
      startSuffix: 'am',
      openEnded: false,
    });
    expect(timeAtStart('12:00:00\u00a0 Lunch\u00a0 \u00a0')?.rest).toBe('\u00a0 Lunch\u00a0 \u00a0');
  });

  it('reads ranges and open ends', () => {
    expect(timeAtStart('10:00-10:45am Talk')).toMatchObject({ timeText: '10:00-10:45am', start: '10:00', end: '10:45', endSuffix: 'am' });
    expect(timeAtStart('3:00pm+ Open discussion')).toMatchObject({ timeText: '3:00pm+', openEnded: true });
    expect(timeAtStart('4:00PM Talk')).toMatchObject({ startSuffix: 'pm' });
    expect(timeAtStart('9am Keynote')).toMatchObject({ timeText: '9am' });
  });

  it('ignores numbered lists, versions and words', () => {
    expect(timeAtStart('1. Remote DMA')).toBeNull();
    expect(timeAtStart('802.11 stacks')).toBeNull();
    expect(timeAtStart('2014 Report')).toBeNull();
    expect(timeAtStart('Time Speaker Topics')).toBeNull();
    expect(startsWithTime('25:00 Talk')).toBe(true); // shaped like a time: refused later
  });
});

describe('resolveTime', () => {
  it('reads am/pm and 24-hour times', () => {
    expect(read('9:00am')).toEqual({ start: '09:00', minutes: 540 });
    expect(read('4:00PM').start).toBe('16:00');
    expect(read('12:30pm').start).toBe('12:30');
    expect(read('9:00:00', { usesAmPm: false }).start).toBe('09:00');
    expect(read('13:30:00', { usesAmPm: false }).start).toBe('13:30');
    expect(read('17:00', { usesAmPm: true }).start).toBe('17:00');
  });

  it('applies the end suffix to a start without one', () => {
    expect(read('10:00-10:45am')).toEqual({ start: '10:00', end: '10:45', minutes: 600 });
    expect(read('1:00-2:30pm')).toMatchObject({ start: '13:00', end: '14:30' });
    expect(read('11:30-1:00pm')).toMatchObject({ start: '11:30', end: '13:00' });
    expect(read('9:00am-12:00pm')).toMatchObject({ start: '09:00', end: '12:00' });
  });

  it('reads 12:xx am after a morning slot as noon, with a note', () => {
    const r = read('12:00am', { usesAmPm: true, previous: 11 * 60 });
    expect(r.start).toBe('12:00');
    expect(r.note).toMatch(/noon/);
    expect(read('12:00am', { usesAmPm: true }).start).toBe('00:00');
  });

  it('reads 12:00 without a suffix as noon in a page that uses am/pm', () => {
    expect(read('12:00', { usesAmPm: true, previous: 11 * 60 })).toEqual({ start: '12:00', minutes: 720 });
  });

  it('guesses am or pm for a bare hour from the slot before it', () => {
    const r = read('1:00', { usesAmPm: true, previous: 12 * 60 });
    expect(r.start).toBe('13:00');
    expect(r.note).toMatch(/no am\/pm/);
    expect(read('9:30', { usesAmPm: true }).start).toBe('09:30');
  });

  it('refuses impossible times', () => {
    expect(() => read('25:00')).toThrow(TimeError);
    expect(() => read('25:00')).toThrow("invalid time '25:00': hours run from 0 to 23");
    expect(() => read('9:75')).toThrow("invalid time '9:75': minutes run from 00 to 59");
    expect(() => read('13:00pm')).toThrow(/hours run from 1 to 12 with am\/pm/);
    expect(() => read('9:00:61')).toThrow(/seconds/);
    expect(() => read('11:00-10:00', { usesAmPm: false })).toThrow(/ends before it starts/);
    expect(() => read('24:00')).toThrow(/hours run from 0 to 23/);
  });

  it('reads a range that ends at midnight as ending the day, at 24:00', () => {
    expect(read('9:00pm-12:00am', { usesAmPm: true, previous: 18 * 60 })).toEqual({ start: '21:00', end: '24:00', minutes: 21 * 60 });
    expect(read('22:00-24:00', { usesAmPm: false })).toEqual({ start: '22:00', end: '24:00', minutes: 22 * 60 });
    expect(read('22:00-00:00', { usesAmPm: false })).toEqual({ start: '22:00', end: '24:00', minutes: 22 * 60 });
    expect(read('11:00-12:00am', { usesAmPm: true, previous: 10 * 60 }).end).toBe('12:00');
  });

  it('says a range that runs past midnight does, and how to write it', () => {
    expect(() => read('11:00pm-1:00am', { usesAmPm: true, previous: 18 * 60 })).toThrow(
      "invalid time '11:00pm-1:00am': the range runs past midnight into the next day, and a slot ends on its own day: end it at midnight (12:00am) and put the rest on the next day, or give only its start",
    );
    expect(() => read('23:00-01:30', { usesAmPm: false })).toThrow(/runs past midnight/);
  });
});

describe('misspeltTime', () => {
  it('tells a time written with a dot or an h', () => {
    expect(misspeltTime('2.00pm James Morris', false)).toEqual({ written: '2.00pm', meant: '2:00pm' });
    expect(misspeltTime('  9h30 Coffee', false)).toEqual({ written: '9h30', meant: '9:30' });
    expect(misspeltTime('10.30 a.m. Talk', false)).toEqual({ written: '10.30 a.m.', meant: '10:30 a.m.' });
    expect(misspeltTime('14.00 Lunch', true)).toEqual({ written: '14.00', meant: '14:00' });
  });

  it('leaves alone what is a version number, or a time as the agenda writes them', () => {
    expect(misspeltTime('4.19 stable tree plans', false)).toBeNull();
    expect(misspeltTime('2.6.32 regressions', true)).toBeNull();
    expect(misspeltTime('2:00pm James Morris', true)).toBeNull();
    expect(misspeltTime('1. Remote DMA', true)).toBeNull();
  });
});

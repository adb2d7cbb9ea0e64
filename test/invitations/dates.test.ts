/** Dates as mail and the invitee's page write them, and "today" where the edition takes place. */
import { describe, expect, it } from 'vitest';
import { addDays, dateRange, daysBetween, longDate, todayIn } from '../../src/domain/invitations/dates.js';
import { isoDate, parseInput } from '../../src/domain/invitations/deps.js';
import { InvalidInput } from '../../src/domain/errors.js';

describe('invitation dates', () => {
  it('writes ranges in their shortest clear form', () => {
    expect(dateRange('2015-02-12', '2015-02-13')).toBe('February 12–13, 2015');
    expect(dateRange('2015-02-12', null)).toBe('February 12, 2015');
    expect(dateRange('2015-02-12', '2015-02-12')).toBe('February 12, 2015');
    expect(dateRange('2015-01-30', '2015-02-02')).toBe('January 30 – February 2, 2015');
    expect(dateRange('2015-12-30', '2016-01-02')).toBe('December 30, 2015 – January 2, 2016');
    expect(longDate('2026-04-10')).toBe('April 10, 2026');
  });

  it('counts days across months and leap years', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-04-10', -7)).toBe('2026-04-03');
    expect(daysBetween('2026-04-03', '2026-04-10')).toBe(7);
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2); // over a DST change in Europe
  });

  it('knows today in the edition’s time zone, UTC otherwise', () => {
    const now = new Date('2026-04-10T23:30:00Z');
    expect(todayIn(null, now)).toBe('2026-04-10');
    expect(todayIn('Europe/Lisbon', now)).toBe('2026-04-11');
    expect(todayIn('America/New_York', now)).toBe('2026-04-10');
    expect(todayIn('Not/AZone', now)).toBe('2026-04-10');
  });

  it('accepts only real ISO dates', () => {
    expect(parseInput(isoDate, '2024-02-29')).toBe('2024-02-29');
    for (const bad of ['2026-02-29', '2026-13-01', '2026-4-1', 'tomorrow']) {
      expect(() => parseInput(isoDate, bad)).toThrow(InvalidInput);
    }
  });
});

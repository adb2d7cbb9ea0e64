import { describe, expect, it } from 'vitest';
import { addDays, daySpan, looksLikeDayHeader, parseDateRange, parseDayHeader, weekdayProblem } from './parse-dates.js';
import { parseSource } from './parse-page.js';

describe('parseDateRange', () => {
  it.each([
    ['August 19, 2014', undefined, '2014-08-19', '2014-08-19'],
    ['June 14-15, 2011', undefined, '2011-06-14', '2011-06-15'],
    ['July 14-15, 2004', undefined, '2004-07-14', '2004-07-15'],
    ['February 12-13, 2015', undefined, '2015-02-12', '2015-02-13'],
    ['February 14-17, 2015', undefined, '2015-02-14', '2015-02-17'],
    ['June 20 - June 21, 2019', undefined, '2019-06-20', '2019-06-21'],
    ['June 30 - July 2, 2012', undefined, '2012-06-30', '2012-07-02'],
    ['18-19 September 2009', undefined, '2009-09-18', '2009-09-19'],
    ['18 September 2009', undefined, '2009-09-18', '2009-09-18'],
    ['30 June - 2 July 2012', undefined, '2012-06-30', '2012-07-02'],
    ['Sept 18, 2008', undefined, '2008-09-18', '2008-09-18'],
    ['Sept 18', 2008, '2008-09-18', '2008-09-18'],
    ['Sep 18-19', 2008, '2008-09-18', '2008-09-19'],
    ['Sept. 18th', 2008, '2008-09-18', '2008-09-18'],
    ['December 30 - January 2, 2013', undefined, '2012-12-30', '2013-01-02'],
    ['Tuesday, June 14, 2011', undefined, '2011-06-14', '2011-06-14'],
    ['2014-08-19', undefined, '2014-08-19', '2014-08-19'],
  ])('%s', (text, year, start, end) => {
    expect(parseDateRange(text, year)).toEqual({ start, end });
  });

  it('is null for what is not only a date', () => {
    expect(parseDateRange('Sept 18')).toBeNull(); // no year anywhere
    expect(parseDateRange('Netconf 2011')).toBeNull();
    expect(parseDateRange('February 30, 2015')).toBeNull();
    expect(parseDateRange('June 15-14, 2011')).toBeNull();
    expect(parseDateRange('Chicago, IL')).toBeNull();
    expect(parseDateRange('The meeting is on June 14, 2011')).toBeNull();
  });
});

describe('parseDayHeader', () => {
  it('reads the day headers of the seeds', () => {
    expect(parseDayHeader('Tuesday, June 14, 2011', 2011)).toBe('2011-06-14');
    expect(parseDayHeader('Thursday, February 12, 2015', 2015)).toBe('2015-02-12');
    expect(parseDayHeader('July 14th:', 2004)).toBe('2004-07-14');
  });

  it('reads short and numbered headers, with the edition year', () => {
    expect(parseDayHeader('Sept 18', 2008)).toBe('2008-09-18');
    expect(parseDayHeader('Day 1 - Monday, June 13', 2011)).toBe('2011-06-13');
    expect(parseDayHeader('Day 2', 2011, '2011-06-14')).toBe('2011-06-15');
    expect(parseDayHeader('Day 2', 2011)).toBeNull();
    // With only a weekday after the number: the day counted, when the weekday is its own.
    expect(parseDayHeader('Day 1 - Tuesday', 2011, '2011-06-14')).toBe('2011-06-14');
    expect(parseDayHeader('Day 2 (Wednesday)', 2011, '2011-06-14')).toBe('2011-06-15');
    expect(parseDayHeader('Day 2: Wed.', 2011, '2011-06-14')).toBe('2011-06-15');
    expect(parseDayHeader('Day 2 (Thursday)', 2011, '2011-06-14')).toBeNull();
    expect(parseDayHeader('Day 2 - Wednesday', 2011)).toBeNull();
  });

  it('is null for a range or a non-date', () => {
    expect(parseDayHeader('June 14-15, 2011', 2011)).toBeNull();
    expect(parseDayHeader('Time Speaker Topics', 2011)).toBeNull();
    expect(parseDayHeader('TOE Offloading', 2004)).toBeNull();
  });
});

describe('looksLikeDayHeader', () => {
  it('tells a mistyped day header', () => {
    for (const t of ['Tuesday, Octber 4, 2016', 'Jly 15th:', 'Day 2 (Tuesday)', 'Wednesday', 'Tuesday, June 14, 2011 (second day)', '15 Jnue 2011:']) {
      expect([t, looksLikeDayHeader(t)]).toEqual([t, true]);
    }
  });

  it('from a title or a note', () => {
    for (const t of ['Netfilter Project plans for 2.7.x', 'Plans for March 2005', 'Things to do in 2.7.x', 'Coffee is served all day.', 'Lunch!', 'Status and future plans of USAGI project', 'Time Speaker Topics']) {
      expect([t, looksLikeDayHeader(t)]).toEqual([t, false]);
    }
  });
});

describe('day arithmetic', () => {
  it('counts and adds days', () => {
    expect(daySpan({ start: '2011-06-14', end: '2011-06-15' })).toBe(2);
    expect(daySpan({ start: '2014-08-19', end: '2014-08-19' })).toBe(1);
    expect(addDays('2012-02-28', 2)).toBe('2012-03-01');
  });
});

describe('weekdayProblem', () => {
  it('says what the date is when a day header names another weekday', () => {
    expect(weekdayProblem('Wednesday, June 16, 2011', '2011-06-16')).toBe('2011-06-16 is a Thursday');
    expect(weekdayProblem('Wed., June 15', '2011-06-15')).toBeNull();
    expect(weekdayProblem('Tuesday, June 14, 2011', '2011-06-14')).toBeNull();
    expect(weekdayProblem('July 14th:', '2004-07-14')).toBeNull();
  });

  it('is noted at the day header of an agenda', () => {
    const text = [
      "Linux Kernel Developers' Netconf 2011",
      '',
      '  • Dates : June 14-15, 2011',
      '  • Topics/Agenda/Schedule :',
      '    Tuesday, June 14, 2011',
      '    Time Speaker Topics',
      '    10:00am David S. Miller Welcome',
      '    Tuesday, June 15, 2011',
      '    Time Speaker Topics',
      '    10:00am Ben Hutchings Queues',
      '',
    ].join('\n');
    const page = parseSource(text, { file: 'a.txt', knownNames: ['David S. Miller', 'Ben Hutchings'] });
    expect(page.notes).toEqual([
      { line: 8, message: "the day 'Tuesday, June 15, 2011' names another weekday: 2011-06-15 is a Wednesday; its rows are put on 2011-06-15: correct the date or the weekday" },
    ]);
  });
});

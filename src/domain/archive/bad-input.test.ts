/**
 * Pages that cannot be understood: each throws ImportError naming the file, the line and why.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../errors.js';
import { parsePage, parseSource } from './parse-page.js';
import { textLines } from './read-lines.js';

function seedText(year: number): string {
  return readFileSync(new URL(`../../../archive/netconf/netconf-${year}.txt`, import.meta.url), 'utf8');
}

/** The first `n` lines of a seed, as if the download stopped there. */
function firstLines(year: number, n: number): string {
  return seedText(year).split('\n').slice(0, n).join('\n');
}

function failure(source: string, file = 'page.txt'): ImportError {
  try {
    parseSource(source, { file, knownNames: [] });
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw e;
  }
  throw new Error('expected an ImportError');
}

describe('pages that cannot be imported', () => {
  it('an empty file', () => {
    const e = failure('', 'empty.txt');
    expect([e.file, e.line, e.reason]).toEqual(['empty.txt', 1, 'empty page']);
    expect(e.message).toBe('empty.txt:1: empty page');
    expect(failure('  \n\u00a0\n\t\n').reason).toBe('empty page');
    expect(() => parsePage([], { file: 'x', knownNames: [] })).toThrow('x:1: empty page');
  });

  it('binary garbage', () => {
    const bytes = Buffer.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x0a, 0x01, 0x00, 0x01, 0x00, 0x80, 0xff, 0x00, 0x0a]);
    const e = failure(`Linux Kernel Developers' Netconf 2014\n${bytes.toString('latin1')}`);
    expect(e.line).toBe(3);
    expect(e.reason).toMatch(/^not a text or HTML page/);
    const noise = Array.from({ length: 400 }, (_, i) => String.fromCharCode((i * 37) % 32)).join('');
    expect(failure(noise.replace(/\0/g, '\x01')).reason).toMatch(/^not a text or HTML page/);
    const lines = textLines('Netconf 2014\n\u0000\u0001');
    expect(() => parsePage(lines, { file: 'x', knownNames: [] })).toThrow('x:2: not a text or HTML page');
  });

  it('no title with a year', () => {
    const e = failure('Welcome to our workshop\n\nSome words here.\n  • Location : Chicago, IL');
    expect([e.line, e.reason]).toEqual([1, 'no title with a year found in the first lines']);
  });

  it('a slot at 25:00', () => {
    const source = seedText(2011).replace('4:00pm Tom Herbert', '25:00 Tom Herbert');
    const e = failure(source, 'netconf-2011.txt');
    expect([e.file, e.line, e.reason]).toEqual(['netconf-2011.txt', 47, "invalid time '25:00': hours run from 0 to 23"]);
  });

  it('a slot at 9:75', () => {
    const source = seedText(2015).replace('9:30:00 Thomas Graf', '9:75:00 Thomas Graf');
    const e = failure(source);
    expect([e.line, e.reason]).toEqual([31, "invalid time '9:75:00': minutes run from 00 to 59"]);
  });

  it('an unknown table header', () => {
    const source = seedText(2011).replace('Time Speaker Topics', 'Time Track Topic');
    const e = failure(source);
    expect(e.line).toBe(35);
    expect(e.reason).toMatch(/^unknown agenda table header 'Time Track Topic'/);
  });

  it('a table header with no topic column', () => {
    const source = seedText(2015).replace('Time Name Topic', 'Time Name Track');
    const e = failure(source);
    expect(e.line).toBe(29);
    expect(e.reason).toMatch(/^unknown agenda table header 'Time Name Track'/);
  });

  it('a page cut in half, inside the agenda', () => {
    const e = failure(firstLines(2011, 49), 'netconf-2011.txt');
    expect([e.line, e.reason]).toEqual([49, 'the agenda ends after 1 of 2 days (June 14-15, 2011): the page looks cut off']);
  });

  it('a page cut in the middle of a row', () => {
    const cut = seedText(2004).slice(0, seedText(2004).indexOf('Open discussion on days'));
    const e = failure(cut);
    expect([e.line, e.reason]).toEqual([25, 'the agenda ends after 1 of 2 days (July 14-15, 2004): the page looks cut off']);
  });

  it('a page cut right after a day header', () => {
    const e = failure(firstLines(2015, 46));
    expect([e.line, e.reason]).toEqual([46, "the agenda's last day (Friday, February 13, 2015) has no slots: the page looks cut off"]);
  });

  it('a page cut in its intro', () => {
    const e = failure(firstLines(2014, 8));
    expect([e.line, e.reason]).toEqual([8, 'the page ends before its first field (Location, Dates, Agenda…): it looks cut off']);
  });

  it('a day header with a typo, which would put its rows on the day above', () => {
    const e = failure(seedText(2011).replace('Wednesday, June 15, 2011', 'Wednesday, Jnue 15, 2011'), 'netconf-2011.txt');
    expect([e.file, e.line]).toEqual(['netconf-2011.txt', 50]);
    expect(e.reason).toMatch(/^'Wednesday, Jnue 15, 2011' stands where a day header goes, but is not a date this importer reads .*: correct the date$/);
    // Under a 2004 row, where it would be read as the last line of the talk's title.
    const e2004 = failure(seedText(2004).replace('    July 15th:', '    Jly 15th:'));
    expect([e2004.line, e2004.reason.slice(0, 48)]).toEqual([27, "'Jly 15th:' stands where a day header goes, but "]);
    const wrongDay = failure(seedText(2011).replace('Wednesday, June 15, 2011', 'Day 2 (Thursday)'));
    expect([wrongDay.line, wrongDay.reason]).toEqual([50, "'Day 2 (Thursday)' is a day header whose weekday is not its day's (day 2 is 2011-06-15, a Wednesday): correct the day or the weekday"]);
    const aside = failure(seedText(2011).replace('Wednesday, June 15, 2011', 'Wednesday, June 15, 2011 (second day)'));
    expect(aside.line).toBe(50);
  });

  it('a day header left out, which would put two days on one', () => {
    const e = failure(seedText(2004).replace('    July 15th:\n', ''));
    expect([e.line, e.reason]).toEqual([27, "10:00 comes after 17:00 on 'July 14th:', and the agenda has 1 of the edition's 2 days: is a day header missing above this row? Add it (such as \"Tuesday, June 14, 2011\"), or correct the time"]);
    const e2011 = failure(seedText(2011).replace('    Wednesday, June 15, 2011\n', ''));
    expect(e2011.line).toBe(51);
    // With every day there, a row out of order is the page's own, noted (parse-page.test.ts).
  });

  it('a row whose time is written with a dot, which would lose the talk', () => {
    const e = failure(seedText(2011).replace('4:00pm Tom Herbert', '4.00pm Tom Herbert'));
    expect([e.line, e.reason]).toEqual([47, "'4.00pm' is not written as the agenda's times are (9:00am, 14:00, 9:00:00): write it '4:00pm'"]);
    // Under a 2004 row, where it would be read as a line of the talk above.
    const e2004 = failure(seedText(2004).replace('2:00pm James Morris', '2.00pm James Morris'));
    expect([e2004.line, e2004.reason]).toEqual([23, "'2.00pm' is not written as the agenda's times are (9:00am, 14:00, 9:00:00): write it '2:00pm'"]);
    // A title line that begins with a kernel version stays a title line.
    const page = parseSource(seedText(2004).replace('Things to do in 2.7.x', '4.19 and beyond'), { file: 'x', knownNames: [] });
    expect(page.days[1]!.slots[1]!.title).toBe('Recent TCP developments.\n4.19 and beyond');
  });

  it('but a whole page with a complete agenda at its end is fine', () => {
    expect(() => parseSource(seedText(2011), { file: 'ok', knownNames: [] })).not.toThrow();
  });
});

describe('what is skipped rather than refused', () => {
  it('lines it cannot place, each with its line and a reason', () => {
    const source = seedText(2014)
      .replace('  • Committee:', '  • Venue details : Room 12\n  • Committee:')
      .replace('    Eric Dumazet\n', '    Eric Dumazet\n    42 is not a name\n')
      .replace('    9:40am', '    Coffee is served all day.\n    9:40am');
    const page = parseSource(source, { file: 'x', knownNames: [] });
    expect(page.skipped).toEqual([
      { line: 22, text: '• Venue details : Room 12', reason: "unknown field 'Venue details'" },
      { line: 30, text: '42 is not a name', reason: "not a person's name in the attendees list" },
      { line: 50, text: 'Coffee is served all day.', reason: 'not an agenda row, a day header or a table header' },
    ]);
  });

  it('a place with no known time zone is noted', () => {
    const page = parseSource(seedText(2014).replace('Location : Chicago, IL', 'Location : Atlantis'), { file: 'x', knownNames: [] });
    expect(page.timeZone).toBeUndefined();
    expect(page.city).toBe('Atlantis');
    expect(page.notes).toContainEqual({ line: 16, message: "no time zone known for the place 'Atlantis'" });
  });
});

describe('pages without field labels', () => {
  it('takes a bare date and a bare place under the title', () => {
    const page = parseSource(
      [
        'Linux Kernel Developers\' Netconf 2008',
        'Sept 18-19',
        'Portland, OR',
        '',
        'Netconf is a yearly, by-invitation-only, Linux community conference running for the third year.',
        '',
        'Sept 18',
        'Time Speaker Topic',
        '9:00am David S. Miller Opening',
        '12:00 Lunch',
        'Sept 19',
        'Time Speaker Topic',
        '9:00am Stephen Hemminger Bridges',
      ].join('\n'),
      { file: 'x', knownNames: ['David S. Miller', 'Stephen Hemminger'] },
    );
    expect([page.datesText, page.startDate, page.endDate]).toEqual(['Sept 18-19', '2008-09-18', '2008-09-19']);
    expect([page.city, page.region, page.country, page.timeZone]).toEqual(['Portland', 'OR', 'US', 'America/Los_Angeles']);
    expect(page.intro).toEqual(['Netconf is a yearly, by-invitation-only, Linux community conference.']);
    expect(page.motto).toBeUndefined();
    expect(page.sections).toEqual(['dates', 'location', 'intro', 'agenda']);
    expect(page.days.map((d) => [d.date, d.slots.map((s) => [s.start, s.kind, s.speakers.join(), s.title])])).toEqual([
      ['2008-09-18', [['09:00', 'talk', 'David S. Miller', 'Opening'], ['12:00', 'meal', '', 'Lunch']]],
      ['2008-09-19', [['09:00', 'talk', 'Stephen Hemminger', 'Bridges']]],
    ]);
  });
});

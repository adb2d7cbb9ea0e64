/**
 * Dates as the pages write them: "August 19, 2014", "June 14-15, 2011", "June 20 - June 21, 2019",
 * "June 30 - July 2, 2012", "18-19 September 2009", "Sept 18", "Tuesday, June 14, 2011",
 * "July 14th:", "Day 2 - Tuesday, June 15". A missing year is the edition's.
 */

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5,
  jun: 6, june: 6, jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9,
  oct: 10, october: 10, nov: 11, november: 11, dec: 12, december: 12,
};

const WEEKDAY =
  /\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\b\.?,?/gi;

export interface DateRange {
  /** ISO dates. */
  start: string;
  end: string;
}

function iso(y: number, m: number, d: number): string | null {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return null;
  }
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function month(word: string | undefined): number | undefined {
  return word === undefined ? undefined : MONTHS[word.toLowerCase().replace(/\.$/, '')];
}

/** Weekdays, ordinals, commas and a trailing colon gone; dashes normalised to "-". */
function normalise(text: string): string {
  return text
    .replace(WEEKDAY, ' ')
    .replace(/(\d)(?:st|nd|rd|th)\b/gi, '$1')
    .replace(/\s*(?:[-–—]|\bto\b|\bthrough\b|\bthru\b)\s*/gi, '-')
    .replace(/,/g, ' ')
    .replace(/[:.]\s*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

interface Parts {
  m1: number;
  d1: number;
  y1?: number;
  m2: number;
  d2: number;
  y2?: number;
}

const M = String.raw`([A-Za-z]{3,9})\.?`;
const D = String.raw`(\d{1,2})`;
const Y = String.raw`(?:\s(\d{4}))?`;

const SHAPES: { re: RegExp; read: (g: string[]) => Parts | null }[] = [
  // June 20 - June 21 2019, June 30 - July 2 2012, December 30 2012 - January 2 2013
  {
    re: new RegExp(`^${M}\\s${D}${Y}-${M}\\s${D}${Y}$`),
    read: (g) => two(month(g[1]), g[2], g[3], month(g[4]), g[5], g[6]),
  },
  // June 14-15 2011
  {
    re: new RegExp(`^${M}\\s${D}-${D}${Y}$`),
    read: (g) => two(month(g[1]), g[2], g[4], month(g[1]), g[3], g[4]),
  },
  // August 19 2014
  {
    re: new RegExp(`^${M}\\s${D}${Y}$`),
    read: (g) => two(month(g[1]), g[2], g[3], month(g[1]), g[2], g[3]),
  },
  // 30 June - 2 July 2012
  {
    re: new RegExp(`^${D}\\s${M}${Y}-${D}\\s${M}${Y}$`),
    read: (g) => two(month(g[2]), g[1], g[3], month(g[5]), g[4], g[6]),
  },
  // 18-19 September 2009
  {
    re: new RegExp(`^${D}-${D}\\s${M}${Y}$`),
    read: (g) => two(month(g[3]), g[1], g[4], month(g[3]), g[2], g[4]),
  },
  // 18 September 2009
  {
    re: new RegExp(`^${D}\\s${M}${Y}$`),
    read: (g) => two(month(g[2]), g[1], g[3], month(g[2]), g[1], g[3]),
  },
];

function two(
  m1: number | undefined,
  d1: string | undefined,
  y1: string | undefined,
  m2: number | undefined,
  d2: string | undefined,
  y2: string | undefined,
): Parts | null {
  if (m1 === undefined || m2 === undefined || d1 === undefined || d2 === undefined) return null;
  const parts: Parts = { m1, d1: Number(d1), m2, d2: Number(d2) };
  if (y1) parts.y1 = Number(y1);
  if (y2) parts.y2 = Number(y2);
  return parts;
}

/**
 * The dates a whole text names, or null when the text is not just a date or a range of dates.
 * `defaultYear` fills a missing year; without one a yearless date is not understood.
 */
export function parseDateRange(text: string, defaultYear?: number): DateRange | null {
  const t = normalise(text);
  const isoMatch = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (isoMatch) {
    const d = iso(Number(isoMatch[1]), Number(isoMatch[2]), Number(isoMatch[3]));
    return d ? { start: d, end: d } : null;
  }
  for (const shape of SHAPES) {
    const g = shape.re.exec(t);
    if (!g) continue;
    const p = shape.read([...g].map((x) => x ?? ''));
    if (!p) continue;
    const y2 = p.y2 ?? p.y1 ?? defaultYear;
    if (y2 === undefined) return null;
    let y1 = p.y1 ?? y2;
    if (p.y1 === undefined && (p.m1 > p.m2 || (p.m1 === p.m2 && p.d1 > p.d2))) y1 = y2 - 1;
    const start = iso(y1, p.m1, p.d1);
    const end = iso(y2, p.m2, p.d2);
    if (!start || !end || end < start) return null;
    return { start, end };
  }
  return null;
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** 0 (Sunday) to 6 for a weekday's name or abbreviation ("Tue", "Tues", "Tuesday"). */
function weekdayNumber(word: string): number | undefined {
  if (!new RegExp(`^${WEEKDAY.source}$`, 'i').test(word)) return undefined;
  const n = WEEKDAYS.indexOf(word.slice(0, 3).toLowerCase());
  return n < 0 ? undefined : n;
}

/**
 * For a day header that names a weekday other than its date's ("Wednesday, June 16, 2011"),
 * what the date is ("2011-06-16 is a Thursday"); null otherwise.
 */
export function weekdayProblem(text: string, date: string): string | null {
  const word = new RegExp(WEEKDAY.source, 'i').exec(text)?.[0].replace(/[.,]+$/, '');
  const n = word === undefined ? undefined : weekdayNumber(word);
  const day = new Date(`${date}T00:00:00Z`);
  if (n === undefined || day.getUTCDay() === n) return null;
  return `${date} is a ${day.toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' })}`;
}

/**
 * For "Day N (Weekday)" whose weekday is not that of day N of the edition, what day N is
 * ("day 2 is 2011-06-15, a Wednesday"); null otherwise.
 */
export function numberedDayProblem(text: string, editionStart?: string): string | null {
  const m = /^day\s+(\d{1,2})\b\s*[-–—:,]?\s*\(?\s*([A-Za-z]+)\.?\s*\)?:?$/i.exec(text.trim());
  if (!m || !editionStart || weekdayNumber(m[2]!) === undefined) return null;
  const date = addDays(editionStart, Number(m[1]) - 1);
  const name = new Date(`${date}T00:00:00Z`).toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
  return `day ${m[1]} is ${date}, a ${name}`;
}

/**
 * Whether a line that parseDayHeader did not read still looks like a day header: a weekday,
 * a month with a day, "Day N", or a number ending in a colon ("Jly 15th:"), with at most one
 * other word outside parentheses ("Tuesday, Octber 4, 2016", "Day 2 (Tuesday)"). The rows
 * below such a line belong to a day that cannot be told, not to the day above.
 */
export function looksLikeDayHeader(text: string): boolean {
  const t = text.trim();
  if (t === '' || t.length > 60) return false;
  const monthDay = /\b[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?\b|\b\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\b/;
  const hasMonth = t.split(/[^A-Za-z]+/).some((w) => month(w) !== undefined);
  const signal =
    /^day\s*\d{1,2}\b/i.test(t) ||
    new RegExp(WEEKDAY.source, 'i').test(t) ||
    (hasMonth && monthDay.test(t)) ||
    (/:$/.test(t) && /\d/.test(t));
  if (!signal) return false;
  const rest = t
    .replace(/\([^)]*\)?/g, ' ')
    .replace(new RegExp(WEEKDAY.source, 'gi'), ' ')
    .replace(/\bday\b/gi, ' ')
    .split(/[^\p{L}]+/u)
    .filter((w) => w !== '' && month(w) === undefined && !/^(?:st|nd|rd|th)$/i.test(w));
  return rest.length <= 1;
}

/** Days from `start` to `end` inclusive. */
export function daySpan(range: DateRange): number {
  const ms = Date.parse(`${range.end}T00:00:00Z`) - Date.parse(`${range.start}T00:00:00Z`);
  return Math.round(ms / 86_400_000) + 1;
}

/** `date` plus `days`, ISO. */
export function addDays(date: string, days: number): string {
  const d = new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/**
 * The date of an agenda day header: "Tuesday, June 14, 2011", "July 14th:", "Sept 18",
 * "Day 1 - Monday, June 13", "Day 2" and "Day 2 (Tuesday)" (counted from the edition's first
 * day; a weekday must be that day's). Null when the text is not a single day.
 */
export function parseDayHeader(
  text: string,
  year: number,
  editionStart?: string,
): string | null {
  let t = text.trim().replace(/:$/, '').trim();
  const dayN = /^day\s+(\d{1,2})\b\s*[-–—:,]?\s*/i.exec(t);
  if (dayN) {
    t = t.slice(dayN[0].length);
    const counted = editionStart ? addDays(editionStart, Number(dayN[1]) - 1) : null;
    if (t === '') return counted;
    // "Day 1 - Monday", "Day 2 (Tuesday)": the day counted, if the weekday agrees with it.
    const weekday = /^\(?\s*([A-Za-z]+)\.?\s*\)?$/.exec(t)?.[1];
    const n = weekday === undefined ? undefined : weekdayNumber(weekday);
    if (n !== undefined) return counted && new Date(`${counted}T00:00:00Z`).getUTCDay() === n ? counted : null;
  }
  const range = parseDateRange(t, year);
  if (!range || range.start !== range.end) return null;
  return range.start;
}

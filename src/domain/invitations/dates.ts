/**
 * Calendar arithmetic for answer-by dates: "today" in the edition's time zone, days between two
 * dates, and dates written out for mail and pages ("February 12–13, 2015"). Dates are ISO
 * strings "YYYY-MM-DD" throughout, as the database returns them; no time zone shifts them.
 */

const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

function parts(iso: string): { y: number; m: number; d: number } {
  const [y, m, d] = iso.split('-').map(Number);
  return { y: y!, m: m!, d: d! };
}

function utc(iso: string): number {
  const { y, m, d } = parts(iso);
  return Date.UTC(y, m - 1, d);
}

/**
 * Whether an edition is over: its last day (its end, else its start) has passed where it takes
 * place. One with no dates is still to come.
 */
export function editionOver(e: { start_date: string | null; end_date: string | null; time_zone: string | null }, now: Date): boolean {
  const last = e.end_date ?? e.start_date;
  return last !== null && last < todayIn(e.time_zone, now);
}

/**
 * The calendar date at `now` in `timeZone` (an IANA name), or in UTC when none is set or the
 * name is unknown: an answer-by date ends at midnight where the edition takes place.
 */
export function todayIn(timeZone: string | null, now: Date): string {
  if (timeZone) {
    try {
      return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
    } catch {
      // An unknown zone name: fall through to UTC rather than refuse to work.
    }
  }
  return now.toISOString().slice(0, 10);
}

/** `iso` moved by `days` (negative to go back). */
export function addDays(iso: string, days: number): string {
  return new Date(utc(iso) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((utc(to) - utc(from)) / 86_400_000);
}

/** "2026-12-05 00:01": an instant to the minute in UTC, as the committee's lists and logs show it. */
/** When the answer date is, in words: "in 5 days", "tomorrow", "today". */
export function timeLeft(days: number): string {
  return days <= 0 ? 'today' : days === 1 ? 'tomorrow' : `in ${days} days`;
}

export function utcMinute(d: Date): string {
  return d.toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * "2026-12-05 00:01 UTC": utcMinute with its zone named, for a reader who may not know that
 * conclave writes times in UTC (the schedule's changelog, the same on its page and in the CLI).
 */
export function utcMinuteZoned(d: Date): string {
  return `${utcMinute(d)} UTC`;
}

/** "April 10, 2026": the way mail and the invitee's page write a single date. */
export function longDate(iso: string): string {
  const { y, m, d } = parts(iso);
  return `${MONTHS[m - 1]} ${d}, ${y}`;
}

/**
 * An edition's dates written out, shortest form that is still clear: "February 12, 2015",
 * "February 12–13, 2015", "January 30 – February 2, 2015", "December 30, 2015 – January 2, 2016".
 */
export function dateRange(start: string, end: string | null): string {
  const a = parts(start);
  const b = end ? parts(end) : a;
  if (!end || end === start) return longDate(start);
  if (a.y !== b.y) return `${longDate(start)} – ${longDate(end)}`;
  if (a.m !== b.m) return `${MONTHS[a.m - 1]} ${a.d} – ${MONTHS[b.m - 1]} ${b.d}, ${b.y}`;
  return `${MONTHS[a.m - 1]} ${a.d}–${b.d}, ${a.y}`;
}

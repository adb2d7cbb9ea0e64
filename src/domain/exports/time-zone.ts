/**
 * Local times of an IANA time zone, computed with the runtime's own zone data (Intl), so that
 * exports give "09:00 in Ottawa" the right UTC offset for that very day, and a calendar gets the
 * zone's rules (VTIMEZONE) for the years an edition covers.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The zone's name when the runtime knows it (canonical spelling kept as given), else null. */
export function knownTimeZone(tz: string | null | undefined): string | null {
  if (!tz) return null;
  try {
    formatter(tz);
    return tz;
  } catch {
    return null;
  }
}

/** Minutes east of UTC in `tz` at the instant `ms` (epoch milliseconds). */
export function offsetAt(tz: string, ms: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / 60000);
}

/**
 * The instant of a wall-clock time in `tz`: `date` 'YYYY-MM-DD' plus `minute` minutes since its
 * midnight (1440 and more roll over into the next days). A time skipped by a DST change is read
 * with the offset from before the change, as calendar programs do.
 */
export function zonedInstant(tz: string, date: string, minute: number): number {
  const wall = wallMs(date, minute);
  // The offsets in force a day either side cover any single change near this time.
  const candidates = [...new Set([offsetAt(tz, wall - 86400_000), offsetAt(tz, wall), offsetAt(tz, wall + 86400_000)])];
  const valid = candidates.map((off) => wall - off * 60000).filter((utc) => offsetAt(tz, utc) * 60000 === wall - utc);
  // An hour that happens twice (autumn) is its first occurrence; one that never happens
  // (spring) is read with the offset from before the change, the smaller one.
  if (valid.length > 0) return Math.min(...valid);
  return wall - Math.min(...candidates) * 60000;
}

/** Epoch milliseconds of a date and minute read as if in UTC. */
export function wallMs(date: string, minute: number): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y!, m! - 1, d!, 0, minute);
}

/** '+05:30' / '-04:00' for minutes east of UTC; with `colon` false '+0530' (iCalendar). */
export function formatOffset(minutesEast: number, colon = true): string {
  const sign = minutesEast < 0 ? '-' : '+';
  const abs = Math.abs(minutesEast);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${sign}${hh}${colon ? ':' : ''}${mm}`;
}

/** 'YYYY-MM-DDTHH:MM:SS' of epoch milliseconds read as UTC (a wall time when shifted first). */
export function isoWall(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

/**
 * A local time with its offset, '2015-02-12T09:00:00-05:00'; with `tz` null the time is given in
 * UTC ('+00:00'), the documented fallback for editions whose zone is unknown.
 */
export function zonedDateTime(tz: string | null, date: string, minute: number): string {
  if (!tz) return `${isoWall(wallMs(date, minute))}+00:00`;
  const utc = zonedInstant(tz, date, minute);
  const off = offsetAt(tz, utc);
  return `${isoWall(utc + off * 60000)}${formatOffset(off)}`;
}

export interface ZoneTransition {
  /** The instant of the change. */
  at: number;
  from: number;
  to: number;
}

/**
 * Offset changes of `tz` from the start of `fromYear` to the end of `toYear`, found by sampling
 * every 6 hours and narrowing each change down to the minute. Also the offset at the start.
 */
export function zoneTransitions(tz: string, fromYear: number, toYear: number): { initial: number; transitions: ZoneTransition[] } {
  const start = Date.UTC(fromYear, 0, 1);
  const end = Date.UTC(toYear + 1, 0, 1);
  const step = 6 * 3600_000;
  const initial = offsetAt(tz, start);
  const transitions: ZoneTransition[] = [];
  let prev = initial;
  for (let t = start + step; t <= end; t += step) {
    const off = offsetAt(tz, t);
    if (off === prev) continue;
    let lo = t - step;
    let hi = t;
    while (hi - lo > 60000) {
      const mid = lo + Math.floor((hi - lo) / 120000) * 60000;
      if (offsetAt(tz, mid) === prev) lo = mid;
      else hi = mid;
    }
    transitions.push({ at: hi, from: prev, to: off });
    prev = off;
  }
  return { initial, transitions };
}

/** The zone's short name at an instant ('EST', 'CEST'), or null when the runtime has only 'GMT+2'. */
export function zoneAbbreviation(tz: string, ms: number): string | null {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'short' })
    .formatToParts(new Date(ms))
    .find((p) => p.type === 'timeZoneName')?.value;
  return name && /^[A-Z]{2,6}$/.test(name) ? name : null;
}

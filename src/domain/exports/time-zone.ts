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

/** What the formatter writes: '06/12/2015, 09:00:00' (its parts joined: formatToParts says the same). */
const FORMATTED = /^(\d{2})\/(\d{2})\/(\d+), (\d{2}):(\d{2}):(\d{2})$/;

/** Offsets already computed, per zone and instant (a bounded memo: the same instants recur). */
const offsets = new Map<string, Map<number, number>>();
const OFFSETS_KEPT = 100_000;
const DAY_MS = 86400_000;

/**
 * Minutes east of UTC in `tz` at the instant `ms` (epoch milliseconds). Read from the year's
 * offset changes (worked out once per zone and year, see zoneTransitions) when the instant is
 * more than a day away from any of them; computed otherwise.
 */
export function offsetAt(tz: string, ms: number): number {
  const year = new Date(ms).getUTCFullYear();
  if (year >= 1000 && year <= 9999) {
    const y = yearTransitions(tz, year);
    let off = y.initial;
    let near = false;
    for (const t of y.transitions) {
      if (Math.abs(ms - t.at) <= DAY_MS) near = true;
      else if (t.at < ms) off = t.to;
    }
    if (!near) return off;
  }
  return sampledOffset(tz, ms);
}

/** The offset at an instant, computed from the zone's data (remembered). */
function sampledOffset(tz: string, ms: number): number {
  let known = offsets.get(tz);
  if (!known) offsets.set(tz, (known = new Map()));
  const hit = known.get(ms);
  if (hit !== undefined) return hit;
  const off = computeOffset(tz, ms);
  if (known.size >= OFFSETS_KEPT) known.clear();
  known.set(ms, off);
  return off;
}

function computeOffset(tz: string, ms: number): number {
  const f = formatter(tz);
  const date = new Date(ms);
  // format() is the parts joined, and several times cheaper than formatToParts.
  const m = FORMATTED.exec(f.format(date));
  const parts: Record<string, number> = {};
  if (m) {
    const [month, day, year, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
    Object.assign(parts, { month, day, year, hour, minute, second });
  } else {
    for (const p of f.formatToParts(date)) {
      if (p.type !== 'literal') parts[p.type] = Number(p.value);
    }
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
  const { wall, offsets, instants } = readWall(tz, date, minute);
  // An hour that happens twice (autumn) is its first occurrence; one that never happens
  // (spring) is read with the offset from before the change, the smaller one.
  if (instants.length > 0) return Math.min(...instants);
  return wall - Math.min(...offsets) * 60000;
}

/**
 * A wall-clock time read in `tz`: the instants it names (none when the clocks skip it, two when
 * they pass it twice) and the offsets tried, those in force a day either side of it, which cover
 * any single change near it.
 */
function readWall(tz: string, date: string, minute: number): { wall: number; offsets: number[]; instants: number[] } {
  const wall = wallMs(date, minute);
  const offsets = [...new Set([offsetAt(tz, wall - 86400_000), offsetAt(tz, wall), offsetAt(tz, wall + 86400_000)])];
  const instants = [...new Set(offsets.map((off) => wall - off * 60000).filter((utc) => offsetAt(tz, utc) * 60000 === wall - utc))];
  return { wall, offsets, instants };
}

/** A change of the clocks as the wall times it goes from and to ("02:00" → "03:00"). */
function changeAsWall(t: ZoneTransition): { from: string; to: string } {
  const hm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
  return { from: hm(t.at + t.from * 60000), to: hm(t.at + t.to * 60000) };
}

/**
 * Whether a wall-clock time happens once in `tz`: null when it does; else whether the clocks
 * skip it (spring) or pass it twice (autumn), with the change as wall times: "02:00" → "03:00".
 */
export function wallTimeGap(tz: string, date: string, minute: number): { kind: 'skipped' | 'repeated'; from: string; to: string } | null {
  const { wall, instants } = readWall(tz, date, minute);
  if (instants.length === 1) return null;
  const year = Number(date.slice(0, 4));
  const change = zoneTransitions(tz, year - 1, year + 1).transitions.find((t) => Math.abs(t.at + t.from * 60000 - wall) < 86400_000);
  return change ? { kind: instants.length === 0 ? 'skipped' : 'repeated', ...changeAsWall(change) } : null;
}

/**
 * The change of the clocks on `date` in `tz`, as wall times ("02:00" → "03:00"); null when the
 * clocks do not change that day.
 */
export function clockChangeOn(tz: string, date: string): { from: string; to: string } | null {
  const year = Number(date.slice(0, 4));
  const change = zoneTransitions(tz, year, year).transitions.find((t) => isoWall(t.at + t.from * 60000).slice(0, 10) === date);
  return change ? changeAsWall(change) : null;
}

/**
 * Minutes that pass between two wall-clock times of one date in `tz` (across a change of the
 * clocks, an hour more or less than the clock shows); with `tz` null, as the clock shows.
 */
export function elapsedMinutes(tz: string | null, date: string, start: number, end: number): number {
  if (!tz) return end - start;
  return Math.round((zonedInstant(tz, date, end) - zonedInstant(tz, date, start)) / 60000);
}

/**
 * The wall-clock time `elapsed` minutes after a wall-clock time of `date` in `tz`, as minutes
 * since that date's midnight (1440 and more: the next day): across a change of the clocks an
 * hour more or less than the clock face adds up to.
 */
export function wallMinuteAfter(tz: string, date: string, minute: number, elapsed: number): number {
  const at = zonedInstant(tz, date, minute) + elapsed * 60000;
  return Math.round((at + offsetAt(tz, at) * 60000 - wallMs(date, 0)) / 60000);
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
 * A local time with its offset, '2015-02-12T09:00:00-05:00'; with `tz` null the local time alone,
 * '2015-02-12T09:00:00' (ISO 8601's local time, a floating time as iCalendar has it): where the
 * zone is unknown, no offset is true, and +00:00 would place the times in UTC.
 */
export function zonedDateTime(tz: string | null, date: string, minute: number): string {
  if (!tz) return isoWall(wallMs(date, minute));
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
 * Each year is worked out once per zone and kept (editions of a year share it); the samples of
 * a range are those of its years, so the years joined give the range.
 */
export function zoneTransitions(tz: string, fromYear: number, toYear: number): { initial: number; transitions: ZoneTransition[] } {
  const transitions: ZoneTransition[] = [];
  let initial: number | null = null;
  for (let year = fromYear; year <= toYear; year++) {
    const y = yearTransitions(tz, year);
    initial ??= y.initial;
    for (const t of y.transitions) transitions.push({ ...t });
  }
  return { initial: initial ?? sampledOffset(tz, Date.UTC(fromYear, 0, 1)), transitions };
}

const years = new Map<string, { initial: number; transitions: ZoneTransition[] }>();

/**
 * One year's offset changes, from its first instant to the first of the next (included). A
 * stretch of three days whose end has the offset its start had is passed over without its twelve
 * 6-hour samples: a change and its undoing within three days is not in any zone's history (with
 * Node 20's zone data, 3-day, daily and 6-hourly sampling find the same changes in all 418 zones
 * from 1900 to 2040; 14-day stretches would miss Brazil's one-week daylight saving time of 2000).
 */
function yearTransitions(tz: string, year: number): { initial: number; transitions: ZoneTransition[] } {
  const key = `${tz}\u0000${year}`;
  const known = years.get(key);
  if (known) return known;
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  const step = 6 * 3600_000;
  const stretch = 12 * step;
  const initial = sampledOffset(tz, start);
  const transitions: ZoneTransition[] = [];
  let prev = initial;
  for (let d = start; d < end; d += stretch) {
    if (sampledOffset(tz, Math.min(d + stretch, end)) === prev) continue;
    for (let t = d + step; t <= d + stretch && t <= end; t += step) {
      const off = sampledOffset(tz, t);
      if (off === prev) continue;
      let lo = t - step;
      let hi = t;
      while (hi - lo > 60000) {
        const mid = lo + Math.floor((hi - lo) / 120000) * 60000;
        if (sampledOffset(tz, mid) === prev) lo = mid;
        else hi = mid;
      }
      transitions.push({ at: hi, from: prev, to: off });
      prev = off;
    }
  }
  const result = { initial, transitions };
  years.set(key, result);
  return result;
}

const shortNames = new Map<string, Intl.DateTimeFormat>();

/** The zone's short name at an instant ('EST', 'CEST'), or null when the runtime has only 'GMT+2'. */
export function zoneAbbreviation(tz: string, ms: number): string | null {
  let f = shortNames.get(tz);
  if (!f) shortNames.set(tz, (f = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'short' })));
  const name = f
    .formatToParts(new Date(ms))
    .find((p) => p.type === 'timeZoneName')?.value;
  return name && /^[A-Z]{2,6}$/.test(name) ? name : null;
}

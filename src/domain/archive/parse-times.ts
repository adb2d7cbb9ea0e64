/**
 * Agenda times as the pages write them: "9:00am", "4:00PM", "9:00:00" (24-hour), "10:00-10:45am",
 * "3:00pm+" (open-ended), "12:00am" after a morning slot (meaning noon), "12:00" in a page that
 * otherwise writes am/pm (noon).
 */

/** A time the page cannot mean (25:00, 9:75). The caller names the line. */
export class TimeError extends Error {
  override name = 'TimeError';
}

const CLOCK = String.raw`\d{1,2}(?::\d{1,2}){0,2}`;
const SUFFIX = String.raw`\s?[ap]\.?m\.?`;
const TOKEN = new RegExp(
  String.raw`^(${CLOCK})(${SUFFIX})?(?:\s*[-–—]\s*(${CLOCK})(${SUFFIX})?)?(\+)?(?=\s|$)`,
  'i',
);

export interface TimeAtStart {
  /** The time exactly as written, e.g. "10:00-10:45am", "3:00pm+". */
  timeText: string;
  /** The raw text after the time (leading spaces and no-break spaces kept). */
  rest: string;
  start: string;
  startSuffix?: 'am' | 'pm';
  end?: string;
  endSuffix?: 'am' | 'pm';
  openEnded: boolean;
}

function suffixOf(text: string | undefined): 'am' | 'pm' | undefined {
  if (!text) return undefined;
  return /p/i.test(text) ? 'pm' : 'am';
}

/**
 * The time written at the start of `text` (after any indentation), or null when the line does
 * not start with one. "9:00am", "9am", "9:00:00", "14:00" and ranges qualify; a bare number ("1.")
 * does not. Validity is checked later by resolveTime, so "25:00 Foo" is a time row with a bad time.
 */
export function timeAtStart(text: string): TimeAtStart | null {
  const body = text.replace(/^\s+/, '');
  const m = TOKEN.exec(body);
  if (!m) return null;
  const [whole, start = '', sa, end, ea, plus] = m;
  if (!start.includes(':') && !sa) return null;
  if (end !== undefined && !end.includes(':') && !ea) return null;
  const out: TimeAtStart = {
    timeText: whole,
    rest: body.slice(whole.length),
    start,
    openEnded: plus === '+',
  };
  const s1 = suffixOf(sa);
  const s2 = suffixOf(ea);
  if (s1) out.startSuffix = s1;
  if (end !== undefined) out.end = end;
  if (s2) out.endSuffix = s2;
  return out;
}

/**
 * A time at the start of `text` written with a dot or an "h" for the colon ("2.00pm", "9h30"),
 * as `{ written, meant }` ("2.00pm", "2:00pm"); null otherwise. Without am/pm, "4.19" may be a
 * kernel version rather than a time: it counts only when `bare` says the line can only be a row.
 */
export function misspeltTime(text: string, bare: boolean): { written: string; meant: string } | null {
  const m = /^(\d{1,2})([.h])(\d{2})(\s?[ap]\.?m\.?)?(?=[\s+\-–—]|$)/i.exec(text.replace(/^\s+/, ''));
  if (!m) return null;
  if (!m[4] && m[2] === '.' && !bare) return null;
  return { written: m[0], meant: `${m[1]}:${m[3]}${m[4] ?? ''}` };
}

/** Whether a line starts with something shaped like a time. */
export function startsWithTime(text: string): boolean {
  return timeAtStart(text) !== null;
}

interface Clock {
  h: number;
  m: number;
  seconds: boolean;
}

/** `end`: the clock ends a range, where 24:00 is the midnight that ends the day. */
function readClock(text: string, suffix: 'am' | 'pm' | undefined, whole: string, end = false): Clock {
  const parts = text.split(':');
  const [h = NaN, m = 0, s = 0] = parts.map(Number);
  if (end && !suffix && h === 24 && m === 0 && s === 0 && parts.slice(1).every((p) => p.length === 2)) return { h, m, seconds: parts.length === 3 };
  if (parts.slice(1).some((p) => p.length !== 2)) {
    throw new TimeError(`invalid time '${whole}': minutes and seconds take two digits`);
  }
  if (m > 59) throw new TimeError(`invalid time '${whole}': minutes run from 00 to 59`);
  if (s > 59) throw new TimeError(`invalid time '${whole}': seconds run from 00 to 59`);
  if (suffix && (h < 1 || h > 12)) {
    throw new TimeError(`invalid time '${whole}': hours run from 1 to 12 with am/pm`);
  }
  if (!suffix && h > 23) throw new TimeError(`invalid time '${whole}': hours run from 0 to 23`);
  return { h, m, seconds: parts.length === 3 };
}

export interface ResolvedTime {
  /** "HH:MM", 24-hour. */
  start: string;
  end?: string;
  /** Minutes after midnight of the start, to compare with the next slot. */
  minutes: number;
  /** Set when the reading was a guess (an "am" read as noon, an hour with no am/pm). */
  note?: string;
}

export interface TimeContext {
  /** The page writes am/pm somewhere in its agenda. */
  usesAmPm: boolean;
  /** Start of the previous slot of the same day, in minutes. */
  previous?: number;
}

function hhmm(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

function minutesOf(
  c: Clock,
  suffix: 'am' | 'pm' | undefined,
  ctx: TimeContext,
  notes: string[],
  written: string,
): number {
  if (suffix === 'pm') return ((c.h % 12) + 12) * 60 + c.m;
  if (suffix === 'am') {
    if (c.h !== 12) return c.h * 60 + c.m;
    if (ctx.previous !== undefined && ctx.previous < 12 * 60) {
      notes.push(`read '${written}' as noon (${hhmm(12 * 60 + c.m)}): it follows a morning slot`);
      return 12 * 60 + c.m;
    }
    return c.m;
  }
  if (c.seconds || c.h >= 13 || c.h === 0 || c.h === 12 || !ctx.usesAmPm) return c.h * 60 + c.m;
  const am = c.h * 60 + c.m;
  const pm = am + 12 * 60;
  const pick = ctx.previous !== undefined ? (am >= ctx.previous ? am : pm) : c.h >= 7 ? am : pm;
  notes.push(`read '${written}' (no am/pm) as ${hhmm(pick)}`);
  return pick;
}

/** The 24-hour reading of a time found by timeAtStart; throws TimeError when it is impossible. */
export function resolveTime(t: TimeAtStart, ctx: TimeContext): ResolvedTime {
  const notes: string[] = [];
  const whole = t.timeText;
  const startClock = readClock(t.start, t.startSuffix, whole);
  let startSuffix = t.startSuffix;
  let endMinutes: number | undefined;
  if (t.end !== undefined) {
    const endClock = readClock(t.end, t.endSuffix, whole, true);
    if (!startSuffix && t.endSuffix && !startClock.seconds && startClock.h <= 12) {
      startSuffix = t.endSuffix;
      const trial = minutesOf(startClock, startSuffix, ctx, [], whole);
      const endTrial = minutesOf(endClock, t.endSuffix, ctx, [], whole);
      if (trial > endTrial && t.endSuffix === 'pm') startSuffix = 'am';
    }
    const start = minutesOf(startClock, startSuffix, ctx, notes, whole);
    endMinutes = minutesOf(endClock, t.endSuffix, { ...ctx, previous: start }, notes, whole);
    // Midnight ("9:00pm-12:00am", "22:00-00:00", "22:00-24:00") ends the slot's own day.
    if (endMinutes === 0 && start > 0) endMinutes = 24 * 60;
    if (endMinutes <= start && start >= 12 * 60 && endMinutes < 12 * 60) {
      throw new TimeError(
        `invalid time '${whole}': the range runs past midnight into the next day, and a slot ends on its own day: ` +
          `end it at midnight (12:00am) and put the rest on the next day, or give only its start`,
      );
    }
    if (endMinutes <= start) {
      throw new TimeError(`invalid time '${whole}': the range ends before it starts`);
    }
    return {
      start: hhmm(start),
      end: hhmm(endMinutes),
      minutes: start,
      ...(notes.length ? { note: notes.join('; ') } : {}),
    };
  }
  const start = minutesOf(startClock, startSuffix, ctx, notes, whole);
  return { start: hhmm(start), minutes: start, ...(notes.length ? { note: notes.join('; ') } : {}) };
}

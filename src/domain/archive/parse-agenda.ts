/**
 * The agenda: day headers, table headers and time rows.
 *
 * Style A (2011, 2014, 2015): a day header, a table header ("Time Speaker Topics"), one row per
 * slot. Style B (2004): a day header ("July 14th:"), then a time and a speaker on one line and the
 * title on the lines below. The style follows from whether a table header was seen.
 */
import { type Columns, agendaHeader } from './agenda-columns.js';
import {
  type RowParts,
  speakerThenLines,
  speakersFirst,
  speakersFromCells,
  speakersLast,
} from './agenda-row.js';
import { clean, isBlank, quote } from './line-text.js';
import { extractMarkers } from './material-markers.js';
import { type PageContext, noteGuess } from './page-context.js';
import type { ParsedDay, ParsedSlot, SourceLine } from './page-model.js';
import type { Section } from './page-sections.js';
import { daySpan, looksLikeDayHeader, numberedDayProblem, parseDayHeader, weekdayProblem } from './parse-dates.js';
import { type TimeAtStart, TimeError, misspeltTime, resolveTime, timeAtStart } from './parse-times.js';
import { slotKind } from './slot-kind.js';
import type { NameBook } from './speaker-names.js';

function usesAmPm(lines: readonly SourceLine[]): boolean {
  return lines.some((l) => {
    const t = timeAtStart(clean(l.text));
    return t !== null && (t.startSuffix !== undefined || t.endSuffix !== undefined);
  });
}

function tableRow(line: SourceLine, time: TimeAtStart, columns: Columns, names: NameBook, ctx: PageContext): RowParts {
  if (line.cells && line.cells.length === columns.count) return speakersFromCells(line.cells, columns, names);
  // More cells than the header has: blank ones are padding; others do not fit the columns.
  const filled = line.cells?.reduce((n, c, i) => (c.trim() === '' ? n : i + 1), 0) ?? 0;
  if (line.cells && line.cells.length > columns.count && filled <= columns.count) return speakersFromCells(line.cells.slice(0, columns.count), columns, names);
  if (line.cells && line.cells.length > columns.count) ctx.note(line.line, `${filled} cells where the table header ${quote(columns.text)} has ${columns.count}: the row is read as text, its last cells in the title`);
  // Text rows: the time cell is followed by the raw rest of the line.
  const rest = time.rest;
  if (columns.speaker < 0) return { speakers: [], title: clean(rest), guessed: [] };
  return columns.speakerFirst ? speakersFirst(rest, names) : speakersLast(rest, names);
}

function buildSlot(
  line: SourceLine,
  time: TimeAtStart,
  at: { start: string; end?: string },
  parts: RowParts,
): ParsedSlot {
  // A marker whose link was left out (javascript:, say) is still a marker, without an address.
  const marked = extractMarkers(parts.title, line.anchors ?? line.links ?? []);
  let title = marked.title;
  let talkTitle = parts.talkTitle;
  const quoted = /^["“]([^"”]+)["”]$/.exec(title);
  if (quoted?.[1] && !talkTitle) {
    title = quoted[1];
    talkTitle = quoted[1];
  }
  return {
    line: line.line,
    start: at.start,
    ...(at.end ? { end: at.end } : {}),
    ...(time.openEnded ? { openEnded: true } : {}),
    timeText: time.timeText,
    kind: slotKind(title, parts.speakers),
    title,
    ...(talkTitle ? { talkTitle } : {}),
    speakers: parts.speakers,
    ...(parts.room ? { room: parts.room } : {}),
    materials: marked.materials,
  };
}

/**
 * Whether lines[i] is a day header this importer cannot read (a typo in the month, a weekday
 * it does not agree with): it looks like one, and rows or a table header follow it.
 */
function unreadableDayHeader(lines: readonly SourceLine[], i: number, ctx: PageContext): boolean {
  const line = lines[i];
  if (!line) return false;
  const text = clean(line.text);
  if (!looksLikeDayHeader(text) || parseDayHeader(text, ctx.year, ctx.startDate)) return false;
  const next = lines.slice(i + 1).find((l) => !isBlank(l));
  return next !== undefined && (timeAtStart(next.text) !== null || agendaHeader(next) !== null);
}

/** Lines under a style-B time line, up to the next time, day, header or blank line. */
function linesBelow(lines: readonly SourceLine[], from: number, ctx: PageContext): string[] {
  const out: string[] = [];
  for (let j = from; j < lines.length; j++) {
    const l = lines[j];
    if (!l || isBlank(l)) break;
    const text = clean(l.text);
    if (timeAtStart(text) || agendaHeader(l) || parseDayHeader(text, ctx.year, ctx.startDate)) break;
    // Not a title line: the agenda refuses it (a day header it cannot read, a row whose time
    // is misspelt).
    if (unreadableDayHeader(lines, j, ctx) || misspeltTime(text, false)) break;
    out.push(text);
  }
  return out;
}

export function parseAgenda(section: Section, ctx: PageContext, names: NameBook): ParsedDay[] {
  const lines = section.lines;
  const ampm = usesAmPm(lines);
  const days: ParsedDay[] = [];
  let day: ParsedDay | undefined;
  let columns: Columns | undefined;
  let previous: number | undefined;
  /** The first row earlier than the one above it: where a day header may be missing. */
  let backward: { line: number; start: string; above: string; day: string } | undefined;
  if (section.field?.value) ctx.skip(section.header ?? lines[0] ?? { line: section.line, text: '' }, 'text after the agenda label');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line || isBlank(line)) continue;
    const text = clean(line.text);
    const time = timeAtStart(line.text);
    if (!time) {
      const header = agendaHeader(line);
      if (header && 'unknown' in header) ctx.fail(line.line, header.unknown);
      if (header) {
        columns = header.columns;
        if (day && day.slots.length === 0) day.columns = columns.text;
        continue;
      }
      const date = parseDayHeader(text, ctx.year, ctx.startDate);
      if (date) {
        if (ctx.startDate && ctx.endDate && (date < ctx.startDate || date > ctx.endDate)) {
          ctx.note(line.line, `the day ${quote(text)} is ${date}, outside the edition's dates (${ctx.startDate} to ${ctx.endDate})`);
        }
        // A weekday that is not the date's: one of the two is a typo, and the rows are put on the date.
        const weekday = weekdayProblem(text, date);
        if (weekday) ctx.note(line.line, `the day ${quote(text)} names another weekday: ${weekday}; its rows are put on ${date}: correct the date or the weekday`);
        day = { line: line.line, date, label: text, columns: columns?.text ?? '', slots: [] };
        days.push(day);
        previous = undefined;
        continue;
      }
      // A table's rows are only rows; under a 2004-style time line, "4.19" may begin a title.
      const misspelt = misspeltTime(text, columns !== undefined);
      if (misspelt) {
        ctx.fail(line.line, `'${misspelt.written}' is not written as the agenda's times are (9:00am, 14:00, 9:00:00): write it '${misspelt.meant}'`);
      }
      if (unreadableDayHeader(lines, i, ctx)) {
        // Skipped, it would put the rows below on the day above (or the edition's first day).
        const numbered = numberedDayProblem(text, ctx.startDate);
        if (numbered) ctx.fail(line.line, `${quote(text)} is a day header whose weekday is not its day's (${numbered}): correct the day or the weekday`);
        ctx.fail(
          line.line,
          `${quote(text)} stands where a day header goes, but is not a date this importer reads ` +
            `(such as "Tuesday, June 14, 2011", "July 14th:" or "Day 2"), so the rows below it cannot be put on their day: correct the date`,
        );
      }
      ctx.skip(line, 'not an agenda row, a day header or a table header');
      continue;
    }
    if (!day) {
      if (!ctx.startDate) {
        ctx.skip(line, 'an agenda row before any day header, on a page without dates');
        continue;
      }
      day = { line: line.line, date: ctx.startDate, label: '', columns: columns?.text ?? '', slots: [] };
      days.push(day);
      ctx.note(line.line, `agenda rows before any day header: put on the edition's first day, ${ctx.startDate}`);
    }
    let at;
    try {
      at = resolveTime(time, { usesAmPm: ampm, previous });
    } catch (e) {
      if (e instanceof TimeError) return ctx.fail(line.line, e.message);
      throw e;
    }
    if (at.note) ctx.note(line.line, at.note);
    const above = day.slots[day.slots.length - 1];
    if (above && previous !== undefined && at.minutes < previous) {
      ctx.note(line.line, `${at.start} is earlier than the row above it (${above.start}): the schedule shows the day's rows in the order of their times`);
      backward ??= { line: line.line, start: at.start, above: above.start, day: day.label || day.date };
    }
    previous = at.minutes;
    let parts: RowParts;
    if (columns) {
      parts = tableRow(line, time, columns, names, ctx);
    } else {
      const below = linesBelow(lines, i + 1, ctx);
      parts = speakerThenLines(time.rest, below, names);
      i += below.length;
    }
    if (parts.title.trim() === '' && parts.speakers.length === 0 && !parts.talkTitle) {
      ctx.skip(line, 'a time with nothing after it: no title and no speaker');
      continue;
    }
    for (const name of parts.guessed) noteGuess(ctx, names, line.line, name, 'speaker');
    day.slots.push(buildSlot(line, time, at, parts));
  }
  // Rows going back in time, and fewer days than the edition has: the next day's header is
  // missing, and its rows would be put on the day above.
  if (backward && ctx.startDate && ctx.endDate && days.length < daySpan({ start: ctx.startDate, end: ctx.endDate })) {
    const span = daySpan({ start: ctx.startDate, end: ctx.endDate });
    ctx.fail(
      backward.line,
      `${backward.start} comes after ${backward.above} on ${quote(backward.day)}, and the agenda has ${days.length} of the edition's ${span} days: ` +
        `is a day header missing above this row? Add it (such as "Tuesday, June 14, 2011"), or correct the time`,
    );
  }
  return days;
}

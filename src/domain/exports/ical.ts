/**
 * schedule.ics (RFC 5545): the edition as an all-day event and one event per slot, with its
 * speakers, its topic's abstract, room and materials. Times carry the edition's time zone, with a VTIMEZONE made from
 * the runtime's zone data for the years concerned, so calendar programs place them right
 * wherever the reader is. An edition whose zone is unknown gets floating times ("09:00 wherever
 * you are"), and its calendar description says so. Pure: ScheduleExport in, text out.
 */
import { agendaTentative } from '../editions/load-edition.js';
import { dateRange } from '../invitations/dates.js';
import { urls } from '../../web/urls.js';
import { absoluteUrl, addDays, kindLabel, linkUri, materialLine, type ExportSlot, type ScheduleExport } from './schedule.js';
import { isoWall, wallMs, zoneAbbreviation, zoneTransitions, formatOffset } from './time-zone.js';

export interface IcsOptions {
  /** The public site's address, for links: https://netconf.example.org */
  baseUrl: string;
}

/** TEXT value escaping (RFC 5545 3.3.11); control characters other than tab are dropped. */
export function escapeText(s: string): string {
  return s
    .replace(/\r\n?/g, '\n')
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '')
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\n/g, '\\n');
}

/** A URI value: no escaping in iCalendar, so what would break the line or the URI is encoded. */
function uri(s: string): string {
  return s.replace(/[\x00-\x20\x7f"<>\\^`{|}]/g, (c) => encodeURIComponent(c));
}

/** Folds a content line into lines of at most 75 octets, never inside a UTF-8 character. */
export function foldLine(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let start = 0;
  let limit = 75;
  while (start < bytes.length) {
    let end = Math.min(start + limit, bytes.length);
    // Back up to the start of a character: continuation bytes are 10xxxxxx.
    while (end < bytes.length && end > start && (bytes[end]! & 0xc0) === 0x80) end--;
    parts.push(bytes.subarray(start, end).toString('utf8'));
    start = end;
    limit = 74; // the leading space of a continuation line counts
  }
  return parts.join('\r\n ');
}

function basic(isoLocal: string): string {
  return isoLocal.replace(/[-:]/g, '');
}

/** '20150212T090000' of a date and a minute of it (1440 and past roll into the next day). */
function localStamp(date: string, minute: number): string {
  return basic(isoWall(wallMs(date, minute)));
}

function utcStamp(d: Date): string {
  return `${basic(d.toISOString().slice(0, 19))}Z`;
}

/** The VTIMEZONE of `tz` for the years fromYear..toYear, one observance per offset change. */
export function vtimezone(tz: string, fromYear: number, toYear: number): string[] {
  const { initial, transitions } = zoneTransitions(tz, fromYear, toYear);
  const lowest = Math.min(initial, ...transitions.map((t) => t.to));
  const observance = (from: number, to: number, localStart: string, at: number) => {
    const kind = to > lowest ? 'DAYLIGHT' : 'STANDARD';
    const name = zoneAbbreviation(tz, at);
    return [
      `BEGIN:${kind}`,
      `DTSTART:${localStart}`,
      `TZOFFSETFROM:${formatOffset(from, false)}`,
      `TZOFFSETTO:${formatOffset(to, false)}`,
      ...(name ? [`TZNAME:${escapeText(name)}`] : []),
      `END:${kind}`,
    ];
  };
  const yearStart = Date.UTC(fromYear, 0, 1);
  return [
    'BEGIN:VTIMEZONE',
    `TZID:${escapeText(tz)}`,
    ...observance(initial, initial, `${fromYear}0101T000000`, yearStart),
    // Each change starts at the wall time it happens at, read in the offset before it.
    ...transitions.flatMap((t) => observance(t.from, t.to, basic(isoWall(t.at + t.from * 60000)), t.at)),
    'END:VTIMEZONE',
  ];
}

function dateTime(prop: string, s: ScheduleExport, date: string, minute: number): string {
  return s.timeZone ? `${prop};TZID=${s.timeZone}:${localStamp(date, minute)}` : `${prop}:${localStamp(date, minute)}`;
}

function slotEvent(s: ScheduleExport, x: ExportSlot, opts: IcsOptions, stamp: string, pageUrl: string): string[] {
  const e = s.edition;
  const speakers = x.slot.speakers.map((p) => p.nameAsListed);
  const description = [
    speakers.length > 0 ? `Speakers: ${speakers.join(', ')}` : null,
    x.detail,
    x.slot.abstract,
    x.slot.room ? `Room: ${x.slot.room}` : null,
    x.slot.materials.length > 0 ? `Materials:\n${x.slot.materials.map((m) => `- ${materialLine(m, x.slot.materials, opts.baseUrl)}`).join('\n')}` : null,
    `${e.title}: ${pageUrl}`,
  ].filter((l): l is string => l !== null);
  const location = [x.slot.room, e.location.text].filter((l): l is string => !!l).join(', ');
  return [
    'BEGIN:VEVENT',
    `UID:${x.guid}`,
    `DTSTAMP:${stamp}`,
    // Raised by each move or edit once published, and by an edit of the edition's title or
    // place, so that a calendar importing the file again takes the new event rather than keeping
    // the copy it holds.
    `SEQUENCE:${x.sequence}`,
    ...(x.modified ? [`LAST-MODIFIED:${utcStamp(x.modified)}`] : []),
    dateTime('DTSTART', s, x.date, x.start),
    // RFC 5545 3.8.2.2: DTEND must be later than DTSTART. A slot of no length (its end before its
    // start, a typo) has none: a DTSTART alone is an event ending as it begins.
    ...(x.end > x.start ? [dateTime('DTEND', s, x.date, x.end)] : []),
    `SUMMARY:${escapeText(x.summary)}`,
    `DESCRIPTION:${escapeText(description.join('\n'))}`,
    ...(location ? [`LOCATION:${escapeText(location)}`] : []),
    `CATEGORIES:${escapeText(kindLabel(x.slot.kind))}`,
    `STATUS:${e.status === 'planned' || agendaTentative(e) ? 'TENTATIVE' : 'CONFIRMED'}`,
    // The slot's own row of the agenda, as search links it.
    `URL:${uri(`${pageUrl}#${x.slot.anchor}`)}`,
    ...x.slot.materials.flatMap((m) => (m.url ? [`ATTACH:${uri(linkUri(opts.baseUrl, m.url))}`] : [])),
    'END:VEVENT',
  ];
}

/** The whole calendar, CRLF line ends and folded lines, as RFC 5545 wants it. */
export function renderIcs(s: ScheduleExport, opts: IcsOptions): string {
  const e = s.edition;
  const stamp = utcStamp(s.stamp);
  const pageUrl = absoluteUrl(opts.baseUrl, urls.edition(e.series.slug, e.year));
  const timed = s.days.flatMap((d) => d.slots);
  const zoneNote = s.timeZone
    ? `Times are local to ${e.location.text ?? 'the venue'} (${s.timeZone}).`
    : 'Times are local to the venue; its time zone is not known, so they are given as floating times.';
  const about = [
    e.subtitle,
    // The dates the page shows: the edition's own (changed since an import, the page's words are stale).
    [e.dates.start ? dateRange(e.dates.start, e.dates.end) : e.dates.text, e.location.text].filter(Boolean).join(', ') || null,
    s.published ? (timed.length > 0 ? zoneNote : 'No timed agenda.') : 'The schedule is not published yet.',
    pageUrl,
  ].filter((l): l is string => !!l);
  const startYear = Number(s.start.slice(0, 4));
  const endYear = Number(s.end.slice(0, 4));
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//conclave//edition schedule//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `NAME:${escapeText(e.title)}`,
    `X-WR-CALNAME:${escapeText(e.title)}`,
    `DESCRIPTION:${escapeText(about.join('\n'))}`,
    `X-WR-CALDESC:${escapeText(about.join('\n'))}`,
    `URL:${uri(pageUrl)}`,
    ...(s.timeZone ? [`X-WR-TIMEZONE:${s.timeZone}`, ...vtimezone(s.timeZone, startYear, endYear)] : []),
    'BEGIN:VEVENT',
    `UID:${s.editionGuid}`,
    `DTSTAMP:${stamp}`,
    `SEQUENCE:${s.editionSequence}`,
    ...(s.editionModified ? [`LAST-MODIFIED:${utcStamp(s.editionModified)}`] : []),
    `DTSTART;VALUE=DATE:${s.start.replace(/-/g, '')}`,
    `DTEND;VALUE=DATE:${addDays(s.end, 1).replace(/-/g, '')}`,
    `SUMMARY:${escapeText(e.title)}`,
    `DESCRIPTION:${escapeText(about.join('\n'))}`,
    ...(e.location.text ? [`LOCATION:${escapeText(e.location.text)}`] : []),
    `STATUS:${e.status === 'planned' || agendaTentative(e) ? 'TENTATIVE' : 'CONFIRMED'}`,
    'TRANSP:TRANSPARENT',
    `URL:${uri(pageUrl)}`,
    'END:VEVENT',
    ...timed.flatMap((x) => slotEvent(s, x, opts, stamp, pageUrl)),
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

/**
 * The top of a page, before its first field: title (one line or two), subtitle, motto, intro
 * paragraphs, group photo, and the bare date or place lines some pages put under the title.
 */
import { type Colocated, parseColocation } from './colocation.js';
import { fieldHeader } from './field-labels.js';
import { clean, isBlank } from './line-text.js';
import type { PageContext } from './page-context.js';
import type { SourceLine } from './page-model.js';
import { parseDateRange } from './parse-dates.js';
import { looksLikePlace } from './places.js';

/** A year as an edition may have one (1900–2999, as editions.year). */
const YEAR = /\b(19\d\d|2\d\d\d)\b/;
/** How many non-blank lines the title may be preceded by (navigation, in HTML). */
const TITLE_WINDOW = 10;

export interface Title {
  title: string;
  seriesName: string;
  year: number;
  /** Index in `lines` just after the title. */
  next: number;
}

/**
 * The series a title names: all it says before the year ("BPF & Storage Plumbers 2025" is "BPF &
 * Storage Plumbers"), less a lead-in that ends in an apostrophe, a colon or a dash, as an owner
 * does ("Linux Kernel Developers' Netconf 2014" is "Netconf"). A title that starts with its year
 * names the series by the rest of it.
 */
export function seriesOf(title: string, yearAt: number): string {
  const words = title.slice(0, yearAt).trim().split(/\s+/).filter(Boolean);
  let leadIn = -1;
  words.forEach((w, i) => {
    if (/['’:\-–]$/.test(w)) leadIn = i;
  });
  const name = words.slice(leadIn + 1).join(' ').replace(/[\s,;:\-–]+$/, '');
  if (name !== '') return name;
  return title.replace(YEAR, '').replace(/\s+/g, ' ').trim();
}

/** Whether the line above lines[i] is the first half of a title over two lines. */
function joinsAbove(lines: readonly SourceLine[], i: number): boolean {
  const prev = lines[i - 1];
  const line = lines[i];
  if (!prev || !line || isBlank(prev) || prev.tag !== line.tag) return false;
  const p = clean(prev.text);
  return p.length <= 60 && !YEAR.test(p) && !fieldHeader(prev);
}

/**
 * The title: the first line with a year near the top (an HTML page's first heading with one,
 * before any), joined with the line just above it.
 */
export function readTitle(lines: readonly SourceLine[], ctx: PageContext): Title {
  const filled = lines.map((l, i) => ({ l, i })).filter(({ l }) => !isBlank(l));
  const firstLine = filled[0]?.l.line ?? 1;
  const window: { n: number; l: SourceLine; i: number; year: RegExpExecArray }[] = [];
  for (const [n, { l, i }] of filled.slice(0, TITLE_WINDOW).entries()) {
    const text = clean(l.text);
    if (fieldHeader(l)) break;
    const year = YEAR.exec(text);
    if (!year || text.length > 100 || parseDateRange(text)) continue;
    // A year alone is a title only below the rest of it ("Netconf" over "2011"); else it is a
    // link to another edition, in a navigation column.
    if (!/\p{L}/u.test(text.replace(YEAR, '')) && (!joinsAbove(lines, i) || l.links?.length)) continue;
    window.push({ n, l, i, year });
  }
  // An HTML page's heading is its title, whatever lines with years stand above it.
  const heading = window.find((c) => c.l.tag === 'h1') ?? window.find((c) => c.l.tag !== undefined && /^h[2-6]$/.test(c.l.tag));
  for (const { n, i, year } of heading ? [heading] : window.slice(0, 1)) {
    const start = joinsAbove(lines, i) ? i - 1 : i;
    for (const before of filled.slice(0, n)) {
      if (before.i < start) ctx.skip(before.l, 'before the title');
    }
    const title = lines
      .slice(start, i + 1)
      .map((x) => clean(x.text))
      .join(' ');
    const yearAt = title.search(YEAR);
    return { title, seriesName: seriesOf(title, yearAt), year: Number(year[1]), next: i + 1 };
  }
  return ctx.fail(firstLine, 'no title with a year found in the first lines');
}

export interface Preamble {
  subtitle?: string;
  motto?: string;
  intro: string[];
  introLine?: number;
  colocated?: Colocated;
  groupPhoto?: { caption: string; src?: string; thumb?: string };
  /** A line under the title that is just a date, or just a place. */
  bareDates?: SourceLine;
  barePlace?: SourceLine;
}

/** "…conference, by-invitation-only, running for the seventh year." → "…conference, by-invitation-only." */
export function withoutRunningClause(paragraph: string): string {
  return paragraph.replace(/,?\s*running for the [\w-]+(?: [\w-]+)? years?\b/i, '');
}

function isGroupPhoto(text: string): boolean {
  return /\bgroup\s+photos?\b/i.test(text) && text.length <= 100 && !/[.!?]$/.test(text);
}

/**
 * Where a group photo line's photo is. An image linking elsewhere (`<a href="group.jpg"><img
 * src="group-small.jpg"></a>`) is the thumbnail of the photo it links to, as an uploaded photo
 * is shown by its thumbnail linking to the full size; an image alone, or a link alone, is the
 * photo itself.
 */
function photoAddresses(line: SourceLine): { src?: string; thumb?: string } {
  const image = line.images?.find((i) => i.src !== '')?.src;
  const link = line.links?.[0]?.href;
  if (image && link && link !== image) return { src: link, thumb: image };
  const src = image ?? link;
  return src ? { src } : {};
}

/** Reads the lines between the title and the first field. */
export function readPreamble(lines: readonly SourceLine[], ctx: PageContext): Preamble {
  const out: Preamble = { intro: [] };
  const motto: string[] = [];
  let inIntro = false;
  let first = true;
  const series = ctx.seriesName.toLowerCase();
  // An image alone on its line (`<img …><br>Group Photo`), for a group photo caption next to it.
  let picture: SourceLine | undefined;
  let captionAbove = false;
  const notPictured = 'an image among the intro paragraphs that is not next to a group photo caption';
  for (const line of lines) {
    if (isBlank(line)) continue;
    const text = clean(line.text);
    const above = picture;
    const afterCaption = captionAbove;
    picture = undefined;
    captionAbove = false;
    if (text === '') {
      if (afterCaption && out.groupPhoto && !out.groupPhoto.src) out.groupPhoto = { ...out.groupPhoto, ...photoAddresses(line) };
      else picture = line;
      if (above) ctx.skip(above, notPictured);
      continue;
    }
    const wasFirst = first;
    first = false;
    const caption = isGroupPhoto(text) && !out.groupPhoto && !(wasFirst && /^\(.*\)$/.test(text));
    const own = photoAddresses(line);
    if (above && !(caption && !own.src)) ctx.skip(above, notPictured);
    if (wasFirst && /^\(.*\)$/.test(text) && text.length <= 100) {
      out.subtitle = text.slice(1, -1).trim();
      continue;
    }
    if (caption) {
      out.groupPhoto = { caption: text, ...(own.src || !above ? own : photoAddresses(above)) };
      captionAbove = !out.groupPhoto.src;
      continue;
    }
    if (!out.bareDates && text.length <= 60 && parseDateRange(text, ctx.year)) {
      out.bareDates = line;
      continue;
    }
    if (!out.barePlace && looksLikePlace(text)) {
      out.barePlace = line;
      continue;
    }
    const prose = (series !== '' && text.toLowerCase().startsWith(`${series} is `)) || text.length >= 120;
    if (!inIntro && !prose) {
      motto.push(text);
      continue;
    }
    if (prose || text.length >= 60 || /[.!?]$/.test(text)) {
      inIntro = true;
      out.introLine ??= line.line;
      const paragraph = withoutRunningClause(text);
      out.intro.push(paragraph);
      if (!out.colocated) {
        const colocated = parseColocation(paragraph, ctx.year);
        if (colocated) out.colocated = colocated;
      }
      continue;
    }
    ctx.skip(line, 'a short line among the intro paragraphs that is not a date, a place or a group photo');
  }
  if (picture) ctx.skip(picture, notPictured);
  if (motto.length) out.motto = motto.join('\n');
  return out;
}

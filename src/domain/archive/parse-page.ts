/**
 * Reading one legacy Netconf page into a ParsedPage.
 *
 * parsePage takes SourceLines (from read-lines.ts) and goes top-down: title, preamble (subtitle,
 * motto, intro, group photo), then one section per field header. People are read before the
 * agenda so the page's own committee and attendees help split speaker from topic.
 * Fatal problems throw ImportError naming the file and line; everything else that cannot be
 * placed lands in `skipped`, and every guess in `notes`.
 */
import { lastFilledLine, clean, isBlank, quote } from './line-text.js';
import { fieldHeader } from './field-labels.js';
import { PageContext } from './page-context.js';
import { assertReadable, assertReadableSource, looksLikeHtml } from './page-checks.js';
import { readPreamble, readTitle } from './page-head.js';
import type { ParsedPage, SectionKey, SourceLine } from './page-model.js';
import { type Section, splitSections } from './page-sections.js';
import { parseAgenda } from './parse-agenda.js';
import { daySpan, parseDateRange } from './parse-dates.js';
import { parseMaterialsList, parseMeetingNotes, parseReferences } from './parse-materials.js';
import { parsePeople } from './parse-people.js';
import { sponsorsIn } from './parse-sponsors.js';
import { parseInviteeTopics, parseProposedTopics } from './parse-topics.js';
import { parsePlace } from './places.js';
import { htmlLines, textLines } from './read-lines.js';
import { NameBook } from './speaker-names.js';

export interface ParseOptions {
  /** The file's name, for errors. */
  file: string;
  /** Names known from the rest of the archive, to split speakers from topics. */
  knownNames: string[];
  /**
   * The page says where it ends (an HTML page's `</html>`): an agenda short of the edition's days
   * is then the page's own, noted, not a sign that the file was cut off.
   */
  ended?: boolean;
}

/** The section's value: text after its label, else its first line (which it then consumes). */
function valueOf(section: Section): { text: string; line: SourceLine; rest: SourceLine[] } | null {
  const header = section.header;
  if (header && section.field?.value) return { text: section.field.value, line: header, rest: section.lines };
  const idx = section.lines.findIndex((l) => !isBlank(l));
  const first = section.lines[idx];
  if (!first) return null;
  return { text: clean(first.text), line: first, rest: section.lines.slice(idx + 1) };
}

function skipRest(ctx: PageContext, lines: readonly SourceLine[], reason: string): void {
  for (const l of lines) if (!isBlank(l)) ctx.skip(l, reason);
}

function applyLocation(page: ParsedPage, ctx: PageContext, text: string, line: number): void {
  page.locationText = text;
  const place = parsePlace(text);
  if (place.city) page.city = place.city;
  if (place.region) page.region = place.region;
  if (place.country) page.country = place.country;
  if (place.timeZone) page.timeZone = place.timeZone;
  else ctx.note(line, `no time zone known for the place ${quote(text)}`);
}

function applyDates(page: ParsedPage, ctx: PageContext, text: string, line: number): void {
  page.datesText = text;
  const range = parseDateRange(text, ctx.year);
  if (!range) {
    ctx.note(line, `dates ${quote(text)} not understood`);
    return;
  }
  page.startDate = ctx.startDate = range.start;
  page.endDate = ctx.endDate = range.end;
  if (!range.start.startsWith(String(ctx.year))) {
    ctx.note(line, `the dates ${quote(text)} are not in the title's year ${ctx.year}`);
  }
}

/** Reads the edition's dates ahead, so "Day 2" headers and implicit agendas can use them. */
function peekDates(lines: readonly SourceLine[], ctx: PageContext): void {
  for (const l of lines) {
    const f = fieldHeader(l);
    if (f?.key !== 'dates' || !f.value) continue;
    const range = parseDateRange(f.value, ctx.year);
    if (range) [ctx.startDate, ctx.endDate] = [range.start, range.end];
    return;
  }
}

function blankPage(ctx: PageContext, title: ReturnType<typeof readTitle>): ParsedPage {
  return {
    title: title.title,
    seriesName: title.seriesName,
    year: title.year,
    intro: [],
    tentative: false,
    sponsors: [],
    committee: [],
    attendees: null,
    meetingNotes: [],
    days: [],
    proposedTopics: [],
    inviteeTopics: [],
    materials: [],
    references: [],
    sections: [],
    skipped: ctx.skipped,
    notes: ctx.notes,
  };
}

function checkComplete(page: ParsedPage, ctx: PageContext, sections: Section[], lines: readonly SourceLine[], ended: boolean): void {
  const last = lastFilledLine(lines)?.line ?? 1;
  const doubt = (line: number, why: string) => (ended ? ctx.note(line, why.replace(': the page looks cut off', ', though the page ends whole')) : ctx.fail(line, why));
  const final = sections[sections.length - 1];
  if (!final || final.key !== 'agenda' || !page.startDate || !page.endDate) return;
  const days = page.days.filter((d) => d.line >= final.line);
  // Without day headers (all rows put on the first day) a missing day cannot be told.
  if (!days.some((d) => d.label !== '')) return;
  const span = daySpan({ start: page.startDate, end: page.endDate });
  if (days.length < span) {
    doubt(last, `the agenda ends after ${days.length} of ${span} days (${page.datesText}): the page looks cut off`);
  }
  const lastDay = days[days.length - 1];
  if (lastDay && lastDay.slots.length === 0) {
    doubt(last, `the agenda's last day (${lastDay.label}) has no slots: the page looks cut off`);
  }
}

export function parsePage(lines: SourceLine[], opts: ParseOptions): ParsedPage {
  assertReadable(lines, opts.file);
  const ctx = new PageContext(opts.file);
  const title = readTitle(lines, ctx);
  ctx.year = title.year;
  ctx.seriesName = title.seriesName;
  const below = lines.slice(title.next);
  peekDates(below, ctx);
  const body = splitSections(below, ctx);
  const pre = readPreamble(body.preamble, ctx);
  if (pre.colocated) ctx.colocatedName = pre.colocated.name;

  const page = blankPage(ctx, title);
  if (pre.subtitle) page.subtitle = pre.subtitle;
  if (pre.motto) page.motto = pre.motto;
  page.intro = pre.intro;
  if (pre.colocated) page.colocated = pre.colocated;
  if (pre.groupPhoto) page.groupPhoto = pre.groupPhoto;
  const order: { line: number; key: SectionKey }[] = [];
  if (pre.intro.length && pre.introLine !== undefined) order.push({ line: pre.introLine, key: 'intro' });

  const later: Section[] = [];
  for (const s of body.sections) {
    if (s.field?.tentative) page.tentative = true;
    if (s.key === 'unknown') {
      if (s.header) ctx.skip(s.header, `unknown field ${quote(s.field?.label ?? '')}`);
      skipRest(ctx, s.lines, `under the unknown field ${quote(s.field?.label ?? '')}`);
      continue;
    }
    order.push({ line: s.line, key: s.key });
    switch (s.key) {
      case 'location':
      case 'dates': {
        const v = valueOf(s);
        if (v) {
          if (s.key === 'location') applyLocation(page, ctx, v.text, v.line.line);
          else applyDates(page, ctx, v.text, v.line.line);
          skipRest(ctx, v.rest, `unexpected under ${s.field?.label ?? s.key}`);
        }
        break;
      }
      case 'sponsors': {
        if (s.header && s.field?.value) page.sponsors.push(...sponsorsIn(s.field.value, s.header, ctx));
        for (const l of s.lines) if (!isBlank(l)) page.sponsors.push(...sponsorsIn(clean(l.text), l, ctx));
        break;
      }
      case 'committee':
      case 'attendees': {
        const valueLine = s.header && s.field?.value ? [{ ...s.header, text: s.field.value }] : [];
        const people = parsePeople([...valueLine, ...s.lines], ctx, s.key);
        if (s.key === 'committee') page.committee.push(...people);
        else {
          page.attendees = [...(page.attendees ?? []), ...people];
          if (s.field?.label) page.attendeesLabel = s.field.label;
        }
        break;
      }
      case 'notes':
        page.meetingNotes.push(...parseMeetingNotes(s, ctx));
        break;
      case 'materials':
        page.materials.push(...parseMaterialsList(s, ctx));
        if (s.field?.label) page.materialsLabel = s.field.label;
        break;
      case 'references':
        page.references.push(...parseReferences(s));
        break;
      default:
        later.push(s);
    }
  }
  if (!page.datesText && pre.bareDates) {
    applyDates(page, ctx, clean(pre.bareDates.text), pre.bareDates.line);
    order.push({ line: pre.bareDates.line, key: 'dates' });
  } else if (pre.bareDates) ctx.skip(pre.bareDates, 'a second date under the title');
  if (!page.locationText && pre.barePlace) {
    applyLocation(page, ctx, clean(pre.barePlace.text), pre.barePlace.line);
    order.push({ line: pre.barePlace.line, key: 'location' });
  } else if (pre.barePlace) ctx.skip(pre.barePlace, 'a second place under the title');

  const names = new NameBook([
    ...opts.knownNames,
    ...page.committee.map((p) => p.name),
    ...(page.attendees ?? []).map((p) => p.name),
  ]);
  for (const s of later) {
    if (s.key === 'agenda') page.days.push(...parseAgenda(s, ctx, names));
    else if (s.key === 'proposed-topics') page.proposedTopics.push(...parseProposedTopics(s, ctx));
    else if (s.key === 'invitee-topics') page.inviteeTopics.push(...parseInviteeTopics(s, ctx, names));
  }

  if (body.sections.length === 0 && !pre.bareDates && !pre.barePlace) {
    ctx.fail(
      lastFilledLine(lines)?.line ?? 1,
      'the page ends before its first field (Location, Dates, Agenda…): it looks cut off',
    );
  }
  checkComplete(page, ctx, body.sections, lines, !!opts.ended);
  // A page without dates it reads (no Dates field, or one not understood) still dates its
  // agenda's days: without dates an edition of the archive would count as still to come.
  if (!page.startDate && page.days.length > 0) {
    const dates = page.days.map((d) => d.date).sort();
    page.startDate = dates[0]!;
    page.endDate = dates[dates.length - 1]!;
    ctx.note(page.days[0]!.line, `the edition's dates are taken from its agenda's days, ${page.startDate} to ${page.endDate}: the page gives none it reads`);
  }
  for (const l of lines) {
    for (const d of l.dropped ?? []) ctx.note(l.line, `left out the link to ${quote(d.href.length > 80 ? `${d.href.slice(0, 77)}...` : d.href)}: ${d.why}`);
  }

  const seen = new Set<SectionKey>();
  page.sections = order
    .sort((a, b) => a.line - b.line)
    .filter((o) => !seen.has(o.key) && (seen.add(o.key), true))
    .map((o) => o.key);
  page.skipped.sort((a, b) => a.line - b.line);
  page.notes.sort((a, b) => a.line - b.line);
  return page;
}

/** Reads a page's source (plain-text rendering or HTML, detected unless `format` says) and parses it. */
export function parseSource(
  source: string,
  opts: ParseOptions & { format?: 'text' | 'html'; baseUrl?: string },
): ParsedPage {
  assertReadableSource(source, opts.file);
  const html = opts.format ? opts.format === 'html' : looksLikeHtml(source);
  const lines = html ? htmlLines(source, opts.baseUrl ? { base: opts.baseUrl } : {}) : textLines(source);
  return parsePage(lines, { file: opts.file, knownNames: opts.knownNames, ended: html && /<\/html\s*>\s*$/i.test(source) });
}

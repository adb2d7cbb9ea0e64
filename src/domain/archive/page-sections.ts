/**
 * Cutting the page below the title into its preamble and its sections: one section per field
 * header, plus an agenda that starts without a header (2004's "July 14th:" under the dates).
 */
import { agendaHeader, isInviteeHeader } from './agenda-columns.js';
import { type FieldHeader, type FieldKey, fieldHeader } from './field-labels.js';
import { clean, isBlank } from './line-text.js';
import type { PageContext } from './page-context.js';
import type { SectionKey, SourceLine } from './page-model.js';
import { parseDayHeader } from './parse-dates.js';
import { startsWithTime } from './parse-times.js';

export interface Section {
  key: SectionKey | 'unknown';
  /** First line of the section (its header, or its first line when it has none). */
  line: number;
  /** The header, when the section has one. */
  header?: SourceLine;
  field?: FieldHeader;
  /** The lines under the header. */
  lines: SourceLine[];
}

export interface PageBody {
  preamble: SourceLine[];
  sections: Section[];
}

const AGENDA_LIKE = new Set<FieldKey>(['agenda', 'topics', 'invitee-topics']);

function nextFilled(lines: readonly SourceLine[], i: number): SourceLine | undefined {
  for (let j = i + 1; j < lines.length; j++) {
    const l = lines[j];
    if (l && !isBlank(l)) return l;
  }
  return undefined;
}

/** A day header or a table header with agenda rows right after it. */
function startsAgenda(lines: readonly SourceLine[], i: number, ctx: PageContext): boolean {
  const line = lines[i];
  if (!line) return false;
  const text = clean(line.text);
  if (startsWithTime(text)) return false;
  const next = nextFilled(lines, i);
  if (!next) return false;
  const rowNext = startsWithTime(clean(next.text)) || agendaHeader(next) !== null;
  if (agendaHeader(line) !== null) return startsWithTime(clean(next.text));
  return rowNext && parseDayHeader(text, ctx.year, ctx.startDate) !== null;
}

function decideTopics(section: Section, ctx: PageContext): SectionKey {
  const label = section.field?.label ?? '';
  const first = section.lines.find((l) => !isBlank(l));
  if (!first) return /agenda|schedule|program/i.test(label) ? 'agenda' : 'proposed-topics';
  const text = clean(first.text);
  if (/^\d+[.)]\s/.test(text) || first.tag === 'li' || first.tag === 'dt') return 'proposed-topics';
  if (isInviteeHeader(first)) return 'invitee-topics';
  if (startsWithTime(text) || agendaHeader(first) !== null || parseDayHeader(text, ctx.year, ctx.startDate)) {
    return 'agenda';
  }
  return /agenda|schedule|program/i.test(label) ? 'agenda' : 'proposed-topics';
}

export function splitSections(lines: readonly SourceLine[], ctx: PageContext): PageBody {
  const preamble: SourceLine[] = [];
  const sections: Section[] = [];
  let current: Section | undefined;
  let currentKey: FieldKey | undefined;
  lines.forEach((line, i) => {
    const field = fieldHeader(line);
    if (field) {
      current = {
        key: field.key === 'topics' ? 'agenda' : field.key,
        line: line.line,
        header: line,
        field,
        lines: [],
      };
      currentKey = field.key;
      sections.push(current);
      return;
    }
    if (!isBlank(line) && (currentKey === undefined || !AGENDA_LIKE.has(currentKey)) && startsAgenda(lines, i, ctx)) {
      current = { key: 'agenda', line: line.line, lines: [line] };
      currentKey = 'agenda';
      sections.push(current);
      return;
    }
    if (current) current.lines.push(line);
    else preamble.push(line);
  });
  for (const s of sections) {
    if (s.field?.key === 'topics' || (s.key === 'agenda' && s.field)) s.key = decideTopics(s, ctx);
  }
  return { preamble, sections };
}

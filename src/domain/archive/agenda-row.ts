/**
 * Splitting one agenda row into speakers and topic.
 *
 * HTML rows have cells, and the cells say it all. Text rows run the cells together; an empty cell
 * shows as a no-break space ("8:30am \u00a0 BREAKFAST": no speaker; "Introduction\u00a0": no
 * presenter), and otherwise a name is found at the start (speaker-first tables) or at the end
 * ("Time Topic Presentation") from the known names, else guessed.
 */
import type { Columns } from './agenda-columns.js';
import { NBSP, squash } from './line-text.js';
import { isNonTalk } from './slot-kind.js';
import type { FoundName, NameBook } from './speaker-names.js';

export interface RowParts {
  speakers: string[];
  title: string;
  talkTitle?: string;
  /** The room, from a Room column. */
  room?: string;
  /** Speakers the heuristic found (to be noted). */
  guessed: string[];
}

/** An empty cell after the time: a no-break space in the gap, or a gap of two spaces or more. */
const EMPTY_CELL_FIRST = new RegExp(`^(?:[ \\t]*${NBSP}|\\s{2,})`);
/** An empty last cell: the row ends in a (no-break) space. */
const EMPTY_CELL_LAST = /\s$/;
const SEP_AFTER = /^\s*(?:\/|,|&|\band\b)\s*/;
const SEP_BEFORE = /\s*(?:\/|,|&|\band)\s*$/;
const SPLIT = /\s*(?:\/|,|&|\band\b)\s*/;
/** A name's suffix, written after a comma. */
const SUFFIX = /^(?:jr|sr|ii|iii|iv)\.?$/i;
/** A presenter's talk title in quotes after the name: `Tom Herbert("Encapsulation …")`. */
const QUOTED_AFTER = /\s*\(\s*["“]([^"”]+)["”]\s*\)\s*$/;

function push(parts: RowParts, found: FoundName): void {
  parts.speakers.push(found.name);
  if (found.guessed) parts.guessed.push(found.name);
}

/**
 * Whether what stands where a row's speaker would is no one: a break, a meal, a social or a
 * discussion, and no known name. "Open Discussion" in a Speaker column, and "Open Discussion TBD"
 * after the time of a text row (whose cells run together), are a slot without a speaker, titled
 * by the row's words. One rule for text rows and HTML cells.
 */
function namesNoOne(who: string, names: NameBook): boolean {
  return isNonTalk(who) && !names.find(who, 'start', false);
}

/** "Jamal Hadi Salim , David Miller Introduction" → two speakers, title "Introduction". */
export function speakersFirst(rest: string, names: NameBook): RowParts {
  const parts: RowParts = { speakers: [], title: '', guessed: [] };
  const t = squash(rest);
  if (t === '' || EMPTY_CELL_FIRST.test(rest)) return { ...parts, title: t };
  if (namesNoOne(t, names)) return { ...parts, title: t };
  let found = names.find(t, 'start');
  let pos = 0;
  while (found) {
    push(parts, { ...found, start: found.start + pos, end: found.end + pos });
    pos += found.end;
    const sep = SEP_AFTER.exec(t.slice(pos));
    if (!sep) break;
    const next = names.find(t.slice(pos + sep[0].length), 'start');
    if (!next) break;
    pos += sep[0].length;
    found = next;
  }
  return { ...parts, title: t.slice(pos).trim() };
}

/** "Wireless John Linville, Johannes Berg" → title "Wireless", two speakers. */
export function speakersLast(rest: string, names: NameBook): RowParts {
  const parts: RowParts = { speakers: [], title: '', guessed: [] };
  let t = squash(rest);
  if (t === '' || EMPTY_CELL_LAST.test(rest)) return { ...parts, title: t };
  const quoted = QUOTED_AFTER.exec(t);
  if (quoted?.[1]) {
    parts.talkTitle = quoted[1].trim();
    t = t.slice(0, quoted.index);
  }
  const found: FoundName[] = [];
  let hit = names.find(t, 'end');
  while (hit) {
    found.unshift(hit);
    t = t.slice(0, hit.start);
    const sep = SEP_BEFORE.exec(t);
    if (!sep) break;
    const before = t.slice(0, sep.index);
    const next = names.find(before, 'end');
    if (!next) break;
    t = before;
    hit = next;
  }
  for (const f of found) push(parts, f);
  return { ...parts, title: t.trim() };
}

/** A row whose cells are known (HTML): no names needed, but to tell a name from "Open Discussion". */
export function speakersFromCells(cells: readonly string[], columns: Columns, names: NameBook): RowParts {
  const parts: RowParts = { speakers: [], title: '', guessed: [] };
  // A cell's lines (names a line each, by <br> or a table of its own) are one speaker each.
  const whoLines = columns.speaker >= 0 ? (cells[columns.speaker] ?? '').split('\n').map(squash).filter((l) => l !== '') : [];
  let who = whoLines.join(' / ');
  const topic = squash(cells[columns.topic] ?? '');
  const room = columns.room >= 0 ? squash(cells[columns.room] ?? '') : '';
  if (room !== '') parts.room = room;
  const whoText = whoLines.join(' ');
  if (whoText !== '' && namesNoOne(whoText, names)) return { ...parts, title: [whoText, topic].filter((t) => t !== '').join(' ') };
  const quoted = QUOTED_AFTER.exec(who);
  if (quoted?.[1]) {
    parts.talkTitle = quoted[1].trim();
    who = who.slice(0, quoted.index).trim();
  }
  // "John W. Linville, Jr.": a suffix after a comma is the name's, not a speaker of its own.
  parts.speakers = who
    .split(SPLIT)
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .reduce<string[]>((out, s) => {
      if (SUFFIX.test(s) && out.length > 0) out[out.length - 1] += `, ${s}`;
      else out.push(s);
      return out;
    }, []);
  return { ...parts, title: topic };
}

/**
 * The 2004 style: "10:00am Arnaldo Carvalho de Melo" and the title on the lines below. A time
 * line with no lines below, or whose text is a meal, break or discussion, is a slot without a
 * speaker titled by its own text.
 */
export function speakerThenLines(rest: string, below: readonly string[], names: NameBook): RowParts {
  const parts: RowParts = { speakers: [], title: '', guessed: [] };
  const head = squash(rest);
  let lines = [...below];
  if (below.length === 0 || isNonTalk(head)) {
    lines = [head, ...below];
  } else {
    const found = names.find(head, 'start');
    if (found && found.end === head.length) push(parts, found);
    else lines = [head, ...below];
  }
  const first = lines[0] ?? '';
  const quoted = /^["“](.+)["”]$/.exec(first);
  if (quoted?.[1] && parts.speakers.length > 0) {
    parts.talkTitle = quoted[1];
    lines[0] = quoted[1];
  }
  return { ...parts, title: lines.filter((l) => l !== '').join('\n') };
}

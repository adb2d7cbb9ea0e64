/**
 * Columns of text for a terminal. On a terminal the table fits its width: the widest columns are
 * narrowed (to 12 characters at the least) and their cells cut at "...", or, for the columns
 * given as `wrap`, wrapped at spaces onto lines of their own under the column, nothing cut.
 * Piped, every cell is whole, for grep and awk; scripts have --json. A cell's line breaks and
 * tabs are spaces.
 */
import stringWidth from 'string-width';
import { terminalText } from './terminal-text.js';

const MIN_COLUMN = 12;
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Columns a cell takes on a terminal (its `length` counts UTF-16 units, not columns). */
function columnsOf(cell: string): number {
  return stringWidth(cell);
}

/** The cell padded with spaces to `columns`. */
function pad(cell: string, columns: number): string {
  return cell + ' '.repeat(Math.max(0, columns - columnsOf(cell)));
}

/**
 * The cell in at most `columns`, cut at "..." where longer: whole characters as a reader sees them
 * (an emoji, a letter with its accents), never half of one.
 */
function cut(cell: string, columns: number): string {
  if (columnsOf(cell) <= columns) return cell;
  let kept = '';
  let used = 0;
  for (const { segment } of graphemes.segment(cell)) {
    const w = stringWidth(segment);
    if (used + w > Math.max(1, columns - 3)) break;
    kept += segment;
    used += w;
  }
  return `${kept.trimEnd()}...`;
}

/**
 * The cell as lines of at most `columns`, broken at spaces; a word longer than a line is broken
 * between whole characters. Every character of the cell is kept.
 */
function wrapCell(cell: string, columns: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of cell.split(' ').filter((w) => w !== '')) {
    const joined = line === '' ? word : `${line} ${word}`;
    if (columnsOf(joined) <= columns) {
      line = joined;
      continue;
    }
    if (line !== '') lines.push(line);
    line = '';
    // A word wider than the column: as many whole characters a line as fit.
    for (const { segment } of graphemes.segment(word)) {
      if (line !== '' && columnsOf(line + segment) > columns) {
        lines.push(line);
        line = '';
      }
      line += segment;
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

/**
 * `text` after `first` (a list's mark: "  ! "), wrapped to `width` columns at spaces, its further
 * lines indented under the text's start; one line when piped with no width (Infinity).
 */
export function hanging(first: string, text: string, width: number): string[] {
  const indent = columnsOf(first);
  const lines = wrapCell(oneLine(text), Math.max(MIN_COLUMN, width - indent));
  return lines.map((l, i) => (i === 0 ? first : ' '.repeat(indent)) + l);
}

/** A cell on one line: a title of two lines (as imported pages have them) would break its row. */
function oneLine(cell: string): string {
  return terminalText(cell).replace(/\s*[\r\n]+\s*/g, ' ').replace(/\t/g, ' ');
}

/** The width a table fits on standard output: the terminal's, or none when piped. */
export function stdoutWidth(): number {
  return process.stdout.isTTY ? process.stdout.columns || 80 : Infinity;
}

/**
 * The rows as lines of aligned columns, at most `width` columns wide where the columns can be
 * narrowed that far. The columns numbered in `wrap` are narrowed first, their cells wrapped (a
 * row then takes more than one line); the others are cut at "...".
 */
export function table(given: string[][], width = stdoutWidth(), wrap: readonly number[] = []): string[] {
  const rows = given.map((r) => r.map(oneLine));
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => columnsOf(r[i] ?? '')))) ?? [];
  // Columns empty to the end of the row (a mark most rows lack) take no room: the line is trimmed there.
  const total = () => {
    const used = widths.length - [...widths].reverse().findIndex((w) => w > 0);
    return widths.reduce((s, w) => s + w, 0) + 2 * Math.max(0, (used > widths.length ? 0 : used) - 1);
  };
  const widest = (among: number[]) => among.reduce((best, i) => (widths[i]! > widths[best]! ? i : best), among[0]!);
  const wrapped = wrap.filter((i) => i < widths.length);
  const all = widths.map((_, i) => i);
  while (total() > width) {
    // A wrapped column loses nothing when narrowed: those first, then the widest of all.
    const w = wrapped.length > 0 && widths[widest(wrapped)]! > MIN_COLUMN ? widest(wrapped) : widest(all);
    if (widths[w]! <= MIN_COLUMN) break;
    widths[w]! -= 1;
  }
  return rows.flatMap((r) => {
    const cells = r.map((c, i) => (wrapped.includes(i) ? wrapCell(c, widths[i]!) : [cut(c, widths[i]!)]));
    const height = Math.max(1, ...cells.map((c) => c.length));
    return Array.from({ length: height }, (_, k) =>
      cells
        .map((c, i) => (i === cells.length - 1 ? (c[k] ?? '') : pad(c[k] ?? '', widths[i]!)))
        .join('  ')
        .trimEnd(),
    );
  });
}

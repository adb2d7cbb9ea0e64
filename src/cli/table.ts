/**
 * Columns of text for a terminal. On a terminal the table fits its width: the widest columns are
 * narrowed (to 12 characters at the least) and their cells cut at "...". Piped, every cell is
 * whole, for grep and awk; scripts have --json. A cell's line breaks and tabs are spaces.
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

/** A cell on one line: a title of two lines (as imported pages have them) would break its row. */
function oneLine(cell: string): string {
  return terminalText(cell).replace(/\s*[\r\n]+\s*/g, ' ').replace(/\t/g, ' ');
}

export function table(given: string[][], width = process.stdout.isTTY ? process.stdout.columns || 80 : Infinity): string[] {
  const rows = given.map((r) => r.map(oneLine));
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => columnsOf(r[i] ?? '')))) ?? [];
  const total = () => widths.reduce((s, w) => s + w, 0) + 2 * Math.max(0, widths.length - 1);
  while (total() > width) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest]! <= MIN_COLUMN) break;
    widths[widest]! -= 1;
  }
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? cut(c, widths[i]!) : pad(cut(c, widths[i]!), widths[i]!))).join('  ').trimEnd());
}

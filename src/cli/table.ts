/**
 * Columns of text for a terminal. On a terminal the table fits its width: the widest columns are
 * narrowed (to 12 characters at the least) and their cells cut at "...". Piped, every cell is
 * whole, for grep and awk; scripts have --json. A cell's line breaks and tabs are spaces.
 */
const MIN_COLUMN = 12;

/**
 * Columns a character takes on a terminal: two for the wide and fullwidth ones of East Asian
 * scripts (日本語, 한국어, fullwidth forms) and for emoji shown as pictures, none for a combining
 * mark (the ring of an Å written as A and U+030A) or a zero-width joiner, one for the rest.
 */
function charWidth(c: string): number {
  if (/^[\p{Mn}\p{Me}\u200b-\u200f\ufe00-\ufe0f]$/u.test(c)) return 0;
  const cp = c.codePointAt(0)!;
  const wide =
    (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0x303e) || (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) || (cp >= 0x20000 && cp <= 0x3fffd);
  return wide ? 2 : 1;
}

/** Columns a cell takes on a terminal (its `length` counts UTF-16 units, not columns). */
function columnsOf(cell: string): number {
  let n = 0;
  for (const c of cell) n += charWidth(c);
  return n;
}

/** The cell padded with spaces to `columns`. */
function pad(cell: string, columns: number): string {
  return cell + ' '.repeat(Math.max(0, columns - columnsOf(cell)));
}

/** The cell in at most `columns`, cut at "..." where longer: whole characters, never half of one. */
function cut(cell: string, columns: number): string {
  if (columnsOf(cell) <= columns) return cell;
  let kept = '';
  let used = 0;
  for (const c of cell) {
    if (used + charWidth(c) > Math.max(1, columns - 3)) break;
    kept += c;
    used += charWidth(c);
  }
  return `${kept.trimEnd()}...`;
}

/**
 * Stored text as a terminal may be given it: without control characters (an imported page of an
 * older conclave may hold ESC, BEL, backspace …, which a terminal would act on: retitle the
 * window, recolour, overwrite the line). Tab and newline are spacing and stay.
 */
export function terminalText(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
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

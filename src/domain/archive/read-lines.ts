/**
 * Turning a page's source into SourceLines, the one shape both parsers read.
 *
 * Text: one SourceLine per line of the file, raw (indentation, bullets and no-break spaces kept).
 * HTML: one SourceLine per block element as a browser would lay it out; a table row is one line
 * whose `cells` are its td/th texts (a cell's lines, broken by <br> or a block inside it, joined
 * by "\n"; a cell with rowspan is repeated in the rows it spans) and whose `text` is the cells
 * joined by one space, so the
 * same heuristics work on both. Links and images inside a line are kept beside its text; an
 * image's alt text is part of the text, as a browser's text rendering shows it.
 *
 * Tables inside tables, as hand-written pages have them:
 * - A layout table (the page set in a table beside a navigation column; see `layoutTables`) is
 *   no row of cells: its rows and cells are blocks, and the tables inside read as tables.
 * - A small table inside a cell (the speakers of one talk, a line each) is that cell's text: its
 *   rows are lines of the cell, and it does not end the row or the cell around it.
 */
import { Parser } from 'htmlparser2';
import { baseAddress, linkTarget } from './link-target.js';
import type { SourceLine } from './page-model.js';

export function textLines(source: string): SourceLine[] {
  const body = source.startsWith('\ufeff') ? source.slice(1) : source;
  return body.split(/\r\n|\r|\n/).map((text, i) => ({ line: i + 1, text }));
}

const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'center', 'dd', 'details',
  'dialog', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2',
  'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr', 'html', 'legend', 'li', 'main', 'menu',
  'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'tfoot', 'thead', 'ul',
]);
const IGNORED = new Set(['script', 'style', 'head', 'title', 'noscript', 'template', 'svg']);

/** ASCII whitespace only: a browser collapses it, but keeps no-break spaces. */
function collapse(text: string): string {
  return text.replace(/[ \t\n\r\f\u2028]+/g, ' ').replace(/^ | $/g, '');
}

/** Marks a <br> or a block's edge inside a table cell, where the source's own newlines are only layout. */
const CELL_BREAK = '\u2028';

/** A cell's text: each of its lines (broken by <br>, <p>, <li> …) collapsed, joined by "\n". */
function cellText(text: string): string {
  return text
    .split(CELL_BREAK)
    .map(collapse)
    .filter((l) => l !== '')
    .join('\n');
}

function lineIndex(source: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === '\n') starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

interface Sink {
  id: number;
  text: string;
}

/** A table cell being read, with how many rows and columns it spans. */
interface CellSink extends Sink {
  rows: number;
  cols: number;
}

/** A cell spanning the rows below its own: its text, the rows still to fill, its columns. */
interface Carried {
  text: string;
  left: number;
  cols: number;
}

function span(value: string | undefined): number {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isFinite(n) && n > 1 ? Math.min(n, 1000) : 1;
}

const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const BLOCKY = new Set(['p', 'div', 'ul', 'ol', 'dl', 'li', 'blockquote', 'center', 'pre', ...HEADINGS]);
/** Text in one cell beyond which the cell holds a page, not a slot's speaker or topic. */
const LAYOUT_CELL_CHARS = 1500;

/**
 * Which tables of the page (by the order their <table> tags open) are layout, not data: a cell
 * holds a heading, a table of more than one column, another layout table, or more text than a
 * row of data has; or the table has one column and blocks (paragraphs, lists) in it. A table of
 * one column without blocks inside a cell (names, a line each) is that cell's content.
 */
export function layoutTables(source: string): boolean[] {
  interface Rec {
    ordinal: number;
    inCell: boolean;
    parentInCell: boolean;
    cellChars: number;
    maxCells: number;
    rowCells: number;
    strong: boolean;
    blocks: boolean;
  }
  const result: boolean[] = [];
  const stack: Rec[] = [];
  let ordinal = 0;
  let ignored = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (IGNORED.has(name)) ignored++;
        const top = stack[stack.length - 1];
        if (name === 'table') {
          stack.push({ ordinal: ordinal++, inCell: false, parentInCell: !!top?.inCell, cellChars: 0, maxCells: 0, rowCells: 0, strong: false, blocks: false });
          return;
        }
        if (!top) return;
        if (name === 'tr') top.rowCells = 0;
        else if (name === 'td' || name === 'th') {
          top.inCell = true;
          top.cellChars = 0;
          top.maxCells = Math.max(top.maxCells, ++top.rowCells);
        } else if (top.inCell && HEADINGS.has(name)) top.strong = true;
        else if (top.inCell && BLOCKY.has(name)) top.blocks = true;
      },
      ontext(text) {
        const top = stack[stack.length - 1];
        if (ignored || !top?.inCell) return;
        top.cellChars += text.trim().length;
        if (top.cellChars > LAYOUT_CELL_CHARS) top.strong = true;
      },
      onclosetag(name) {
        if (IGNORED.has(name)) ignored = Math.max(0, ignored - 1);
        const top = stack[stack.length - 1];
        if (!top) return;
        if (name === 'td' || name === 'th') top.inCell = false;
        if (name !== 'table') return;
        stack.pop();
        result[top.ordinal] = top.strong || (top.maxCells <= 1 && top.blocks);
        const parent = stack[stack.length - 1];
        if (parent && top.parentInCell && (top.maxCells > 1 || top.strong)) parent.strong = true;
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(source);
  parser.end();
  return result;
}

interface Collector {
  line: number | null;
  tag?: string;
  links: { text: string; href: string }[];
  images: { alt: string; src: string }[];
  bold: string[];
  dropped: { href: string; why: string }[];
  anchors: { text: string; href: string }[];
}

function finish(line: number, text: string, c: Collector, cells?: string[]): SourceLine {
  const out: SourceLine = { line, text };
  if (cells) out.cells = cells;
  if (c.links.length) out.links = c.links;
  if (c.images.length) out.images = c.images;
  if (c.tag) out.tag = c.tag;
  if (c.bold.length) out.bold = c.bold;
  if (c.dropped.length) out.dropped = c.dropped;
  if (c.anchors.some((a) => a.href === '')) out.anchors = c.anchors;
  return out;
}

/**
 * `base` is the page's own address (conclave import --base-url); a `<base href>` in the page
 * takes its place. Links and images keep only addresses link-target.ts allows; the others are
 * left out of the line, and listed in its `dropped`.
 */
export function htmlLines(source: string, opts: { base?: string } = {}): SourceLine[] {
  let base = opts.base;
  const lineAt = lineIndex(source);
  const out: SourceLine[] = [];
  const blocks: string[] = [];
  let ignored = 0;
  let pre = 0;
  let sinkIds = 0;
  let pendingLine: number | null = null;

  const fresh = (): Collector => ({ line: null, links: [], images: [], bold: [], dropped: [], anchors: [] });
  let lineSink: Sink = { id: ++sinkIds, text: '' };
  let lineInfo = fresh();
  let row: (Collector & { cells: string[]; start: number }) | null = null;
  let cell: CellSink | null = null;
  // A cell with rowspan belongs to the rows below too (a speaker giving two talks in a row):
  // its text is put in their cells at its column, as a browser lays the table out.
  let carried = new Map<number, Carried>();
  const outerTables: Map<number, Carried>[] = [];
  let column = 0;
  const marks: { tag: string; sink: number; at: number; href?: string }[] = [];
  // The open tables, innermost last: a data table's rows are lines of cells; a layout table's
  // rows and cells are blocks; an inner table (inside a data cell) is text of that cell.
  const layout = layoutTables(source);
  let tableOrdinal = 0;
  const tables: ('data' | 'layout' | 'inner')[] = [];
  const tableKind = () => tables[tables.length - 1];

  const sink = (): Sink => cell ?? lineSink;
  const info = (): Collector => row ?? lineInfo;

  /** Puts in the row the cells carried down from rows above, at the column reached. */
  function takeCarried(): void {
    for (let c = carried.get(column); row && c; c = carried.get(column)) {
      row.cells.push(c.text);
      if (--c.left === 0) carried.delete(column);
      column += c.cols;
    }
  }

  function endCell(): void {
    if (!row || !cell) return;
    takeCarried();
    const text = cellText(cell.text);
    row.cells.push(text);
    if (cell.rows > 1) carried.set(column, { text, left: cell.rows - 1, cols: cell.cols });
    column += cell.cols;
    cell = null;
  }

  function flush(): void {
    if (row) return; // a row is emitted whole when it closes
    const text = collapse(lineSink.text);
    if ((text.trim() !== '' || lineInfo.images.length) && lineInfo.line !== null) {
      out.push(finish(lineInfo.line, text, lineInfo));
    }
    lineSink = { id: ++sinkIds, text: '' };
    lineInfo = fresh();
    pendingLine = null;
  }

  function addText(text: string, offset: number): void {
    if (row && !cell) return; // whitespace between cells
    const target = sink();
    if (!row && lineInfo.line === null) {
      const lead = /^[ \t\n\r\f]*/.exec(text)?.[0].length ?? 0;
      if (lead === text.length) {
        target.text += text;
        return;
      }
      lineInfo.line = pendingLine ?? lineAt(offset + lead);
      const tag = blocks[blocks.length - 1];
      if (tag) lineInfo.tag = tag;
    }
    target.text += text;
  }

  function spanText(mark: { sink: number; at: number }): string {
    const s = sink();
    return collapse(s.id === mark.sink ? s.text.slice(mark.at) : s.text).trim();
  }

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const at = parser.startIndex;
        // Counted as layoutTables counts them, ignored or not.
        const ordinal = name === 'table' ? tableOrdinal++ : -1;
        if (name === 'base' && attribs['href'] !== undefined) {
          base = baseAddress(attribs['href']) ?? base;
          return;
        }
        if (IGNORED.has(name)) {
          ignored++;
          return;
        }
        if (ignored) return;
        if (name === 'br') {
          if (row) addText(CELL_BREAK, at);
          else if (pre) lineSink.text += '\n';
          else flush();
          return;
        }
        if (name === 'table' && (row || tableKind() === 'inner')) {
          tables.push('inner');
          if (row) addText(CELL_BREAK, at);
          return;
        }
        if (name === 'table') tables.push(layout[ordinal] ? 'layout' : 'data');
        if ((name === 'tr' || name === 'td' || name === 'th') && tableKind() === 'inner') {
          if (row) addText(name === 'tr' ? CELL_BREAK : ' ', at);
          return;
        }
        if ((name === 'tr' || name === 'td' || name === 'th') && tableKind() === 'layout') {
          flush();
          blocks.push(name);
          pendingLine = lineAt(at);
          return;
        }
        if (name === 'tr' && !row) {
          flush();
          row = { ...fresh(), line: lineAt(at), cells: [], start: at, tag: 'tr' };
          column = 0;
          return;
        }
        if ((name === 'td' || name === 'th') && row) {
          endCell();
          cell = { id: ++sinkIds, text: '', rows: span(attribs['rowspan']), cols: span(attribs['colspan']) };
          return;
        }
        if (name === 'table' && !row) {
          outerTables.push(carried);
          carried = new Map();
        }
        if (name === 'img') {
          const alt = attribs['alt'] ?? '';
          if (!row && lineInfo.line === null) {
            lineInfo.line = pendingLine ?? lineAt(at);
            const tag = blocks[blocks.length - 1];
            if (tag) lineInfo.tag = tag;
          }
          const src = attribs['src'];
          const target = src === undefined ? null : linkTarget(src, base);
          if (target && 'dropped' in target) info().dropped.push({ href: src!, why: target.dropped });
          info().images.push({ alt, src: target && 'url' in target ? target.url : '' });
          if (alt) sink().text += alt;
          return;
        }
        if (name === 'a' && attribs['href'] !== undefined) {
          marks.push({ tag: 'a', sink: sink().id, at: sink().text.length, href: attribs['href'] });
          return;
        }
        if (name === 'b' || name === 'strong') {
          marks.push({ tag: 'b', sink: sink().id, at: sink().text.length });
          return;
        }
        if (BLOCKS.has(name)) {
          if (row) {
            addText(CELL_BREAK, at);
            return;
          }
          flush();
          blocks.push(name);
          pendingLine = lineAt(at);
          if (name === 'pre') pre++;
        }
      },
      ontext(text) {
        if (ignored) return;
        const at = parser.startIndex;
        if (!pre) {
          addText(text, at);
          return;
        }
        const parts = text.split('\n');
        let offset = at;
        parts.forEach((part, i) => {
          if (i > 0) flush();
          addText(part, offset);
          offset += part.length + 1;
        });
      },
      onclosetag(name) {
        if (IGNORED.has(name)) {
          ignored = Math.max(0, ignored - 1);
          return;
        }
        if (ignored) return;
        if (name === 'table' && tableKind() === 'inner') {
          tables.pop();
          if (row) addText(CELL_BREAK, parser.startIndex);
          return;
        }
        if ((name === 'tr' || name === 'td' || name === 'th') && tableKind() === 'inner') return;
        if ((name === 'tr' || name === 'td' || name === 'th') && tableKind() === 'layout') {
          flush();
          const idx = blocks.lastIndexOf(name);
          if (idx >= 0) blocks.splice(idx);
          return;
        }
        if (name === 'table') tables.pop();
        if ((name === 'td' || name === 'th') && row && cell) {
          endCell();
          return;
        }
        if (name === 'tr' && row) {
          endCell();
          takeCarried();
          const done = row;
          row = null;
          const text = collapse(done.cells.join(' '));
          if (text.trim() !== '' || done.images.length) {
            out.push(finish(done.line ?? lineAt(done.start), text, done, done.cells));
          }
          return;
        }
        if (name === 'a' || name === 'b' || name === 'strong') {
          const want = name === 'a' ? 'a' : 'b';
          const idx = marks.map((m) => m.tag).lastIndexOf(want);
          if (idx < 0) return;
          const [mark] = marks.splice(idx, 1);
          if (!mark) return;
          const text = spanText(mark);
          if (want === 'a' && mark.href !== undefined) {
            const target = linkTarget(mark.href, base);
            if ('url' in target) info().links.push({ text, href: target.url });
            else info().dropped.push({ href: mark.href, why: target.dropped });
            info().anchors.push({ text, href: 'url' in target ? target.url : '' });
          }
          else if (text) info().bold.push(text);
          return;
        }
        if (BLOCKS.has(name)) {
          if (row) {
            addText(' ', parser.startIndex);
            return;
          }
          if (name === 'table') carried = outerTables.pop() ?? new Map();
          flush();
          const idx = blocks.lastIndexOf(name);
          if (idx >= 0) blocks.splice(idx);
          if (name === 'pre') pre = Math.max(0, pre - 1);
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(source);
  parser.end();
  flush();
  return out;
}

/**
 * Reading the text of one source line: bullets, indentation, no-break spaces.
 *
 * The plain-text renderings keep what a browser shows: "•" bullets, indentation, and U+00A0
 * where a table cell held only `&nbsp;`. The parsers look at the raw text for those signals and
 * at `clean()` text for everything else.
 */
import type { SourceLine } from './page-model.js';

const BULLET = /^[ \t\u00a0]*[•◦▪‣·][ \t\u00a0]*/;

export const NBSP = '\u00a0';

/** The line starts with a bullet ("  • Location : …"). */
export function isBulleted(text: string): boolean {
  return BULLET.test(text);
}

/** Leading spaces (tabs count as four). */
export function indentOf(text: string): number {
  const lead = /^[ \t]*/.exec(text)?.[0] ?? '';
  return [...lead].reduce((n, c) => n + (c === '\t' ? 4 : 1), 0);
}

/** Whitespace runs (no-break spaces included) collapsed to one space, ends trimmed. */
export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The line's text without its bullet, squashed. */
export function clean(text: string): string {
  return squash(text.replace(BULLET, ''));
}

export function isBlank(line: SourceLine): boolean {
  return clean(line.text) === '' && !(line.images?.length ?? 0);
}

/** The last non-blank line, for errors about a page that stops early. */
export function lastFilledLine(lines: readonly SourceLine[]): SourceLine | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i];
    if (line && !isBlank(line)) return line;
  }
  return undefined;
}

/** "'text'" for messages, cut short when long. */
export function quote(text: string, max = 60): string {
  const t = squash(text);
  return `'${t.length > max ? `${t.slice(0, max - 1)}…` : t}'`;
}

/**
 * Refusing what is not a page at all: an empty file, or bytes that are not text.
 * (The size limit is the caller's: it knows the file before reading it.)
 */
import { ImportError } from '../errors.js';
import type { SourceLine } from './page-model.js';

/** Control characters other than tab, newline, carriage return and form feed; U+FFFD. */
const NOT_TEXT = /[\u0000-\u0008\u000b\u000e-\u001f\u007f\ufffd]/g;

/** Whether more than 5% of a text is control characters and replacement marks. */
export function mostlyControls(text: string): boolean {
  const bad = text.match(NOT_TEXT)?.length ?? 0;
  return bad > 0 && bad / Math.max(1, text.length) > 0.05;
}

/** Whether a text holds NUL bytes or is mostly control characters and replacement marks. */
export function looksBinary(text: string): boolean {
  return text.includes('\u0000') || mostlyControls(text);
}

/** Throws ImportError for an empty page (line 1) or binary garbage (its first bad line). */
export function assertReadable(lines: readonly SourceLine[], file: string): void {
  if (lines.every((l) => l.text.trim() === '')) throw new ImportError(file, 1, 'empty page');
  const all = lines.map((l) => l.text).join('\n');
  if (looksBinary(all)) {
    const first = lines.find((l) => /[\u0000-\u0008\u000b\u000e-\u001f\u007f\ufffd]/.test(l.text));
    throw new ImportError(file, first?.line ?? 1, 'not a text or HTML page (it holds binary data)');
  }
}

/** End tags of the elements a hand-written page is made of; a browser's text rendering has none. */
const END_TAGS = /<\/(?:p|li|ul|ol|dl|dt|dd|h[1-6]|div|center|pre|blockquote|a|b|strong|i|em|font|span)\s*>/gi;

/**
 * Whether a source is HTML rather than the plain-text rendering: a whole document, a table, or
 * a fragment (hand-written pages often have no <html> or <body>) with end tags in it.
 */
export function looksLikeHtml(source: string): boolean {
  const head = source.slice(0, 2048).trimStart().toLowerCase();
  if (head.startsWith('<!doctype') || head.startsWith('<html') || /<body[\s>]/i.test(source) || /<table[\s>]/i.test(source)) return true;
  return (source.match(END_TAGS)?.length ?? 0) >= 2;
}

/** The raw source checked before it is read into lines (binary data may break an HTML reader). */
export function assertReadableSource(source: string, file: string): void {
  if (source.trim() === '') throw new ImportError(file, 1, 'empty page');
  if (looksBinary(source)) {
    const at = source.search(/[\u0000-\u0008\u000b\u000e-\u001f\u007f\ufffd]/);
    const line = at < 0 ? 1 : source.slice(0, at).split('\n').length;
    throw new ImportError(file, line, 'not a text or HTML page (it holds binary data)');
  }
}

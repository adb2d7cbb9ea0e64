/**
 * A page's bytes → its text, in the encoding the page is in, or an error that says where it is
 * not. Old pages were often saved in Latin-1: read as UTF-8, "Høiland" became "H\uFFFDiland",
 * a name no list knew, and the row split at the wrong place (a talk given to the wrong person).
 *
 * - A byte order mark says the encoding (UTF-8, UTF-16LE/BE).
 * - An HTML page's declared charset (`<meta charset=…>`, or `http-equiv="Content-Type"` with
 *   `charset=…`), in its first 1,024 bytes as a browser looks for it, is honoured.
 * - Anything else must be UTF-8: the first byte that is not is named by line and column.
 */
import { ImportError } from '../errors.js';
import { looksLikeHtml, mostlyControls } from './page-checks.js';

/** Where a browser's prescan looks for the charset (HTML, "prescan a byte stream"). */
const PRESCAN_BYTES = 1024;

const META_CHARSET = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)/i;

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence; -1 if none. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * Windows-1252's characters for bytes 0x80 to 0x9F (the Encoding Standard's table; the five
 * bytes it leaves undefined map to the C1 control of their value, as the standard says).
 */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/**
 * Windows-1252, which an HTML page's "iso-8859-1", "latin1", "us-ascii" or "windows-1252" all
 * mean. Node's TextDecoder reads it as ISO-8859-1 proper (bytes 0x80 to 0x9F as C1 controls):
 * "June 14\x9615" was no date, and “Team” was titled "\x93Team\x94".
 */
function windows1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const chunk = Array.from(bytes.subarray(i, i + 8192), (b) => (b >= 0x80 && b <= 0x9f ? WINDOWS_1252_HIGH[b - 0x80]! : b));
    out += String.fromCharCode(...chunk);
  }
  return out;
}

/** Line and column (1-based, in bytes) of an offset. */
function position(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** The charset an HTML page declares in its first 1,024 bytes, with the line it is on. */
export function declaredCharset(bytes: Uint8Array): { label: string; line: number } | null {
  const head = Buffer.from(bytes.subarray(0, PRESCAN_BYTES)).toString('latin1');
  const m = META_CHARSET.exec(head);
  if (!m) return null;
  return { label: m[1]!, line: head.slice(0, m.index).split('\n').length };
}

function hex(b: number): string {
  return `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** Where `bytes` stop being UTF-8 ("byte 0xE9 at line 1, column 4"), or null if they are. */
export function utf8Problem(bytes: Uint8Array): string | null {
  const bad = firstInvalidUtf8(bytes);
  if (bad < 0) return null;
  const at = position(bytes, bad);
  return `byte ${hex(bytes[bad]!)} at line ${at.line}, column ${at.column}`;
}

/**
 * Decodes a page. `file` names it in errors. A page that is binary (mostly control characters)
 * is decoded leniently, so that the parser's own check says "binary data" of it.
 */
export function decodePage(file: string, bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return utf8(file, bytes.subarray(3), 3);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return withoutControls(file, new TextDecoder('utf-16le').decode(bytes.subarray(2)));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return withoutControls(file, new TextDecoder('utf-16be').decode(bytes.subarray(2)));
  // Read byte for byte: control bytes, not undecodable ones, make a page binary (a short page in
  // another encoding is not), and HTML is told as the parser tells it. A page of text with a
  // stray NUL is not binary: withoutControls names it at its line and column.
  const bytewise = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  if (mostlyControls(bytewise)) return new TextDecoder('utf-8').decode(bytes);
  const declared = looksLikeHtml(bytewise) ? declaredCharset(bytes) : null;
  if (declared) {
    let decoder: TextDecoder;
    try {
      decoder = new TextDecoder(declared.label, { fatal: true });
    } catch {
      throw new ImportError(file, declared.line, `the page declares charset "${declared.label}", which is not an encoding this importer knows; convert the page to UTF-8 and declare that`);
    }
    if (decoder.encoding === 'utf-8') return utf8(file, bytes, 0, ` (the page declares charset "${declared.label}")`);
    if (decoder.encoding === 'windows-1252') return windows1252(bytes);
    try {
      return decoder.decode(bytes);
    } catch {
      throw new ImportError(file, declared.line, `the page is not valid ${decoder.encoding}, the charset it declares`);
    }
  }
  return utf8(file, bytes, 0, '');
}

/** Names of the control characters a page is likeliest to hold by mistake. */
const CONTROL_NAMES: Record<number, string> = { 0x00: 'NUL', 0x07: 'BEL', 0x08: 'backspace', 0x1b: 'ESC', 0x7f: 'DEL' };

/**
 * The text, unless it holds a control character, which no page means. A C1 one (U+0080 to
 * U+009F): a page in Windows-1252 converted as Latin-1 (`iconv -f latin1`, as this importer once
 * advised) has its bullets and quotes there, and its fields would not be read. Another (ESC, BEL,
 * backspace, NUL …; tab, line ends and form feed are spacing): stored, it would reach every
 * terminal that prints the text (`conclave schedule show`) and act there — retitle the window,
 * recolour, overwrite a line — and PostgreSQL cannot store a NUL at all.
 */
function withoutControls(file: string, text: string): string {
  const at = text.search(/[\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f]/);
  if (at < 0) return text;
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  const n = text.charCodeAt(at);
  const code = n.toString(16).toUpperCase().padStart(4, '0');
  const name = CONTROL_NAMES[n] ? ` (${CONTROL_NAMES[n]})` : '';
  throw new ImportError(
    file,
    line,
    n >= 0x80
      ? `character U+${code} at column ${column} is a control character, not text: the page looks converted from Windows-1252 as if it were Latin-1; convert the original with iconv -f windows-1252 -t utf-8 FILE`
      : `character U+${code}${name} at column ${column} is a control character, not text: take it out of the page`,
  );
}

function utf8(file: string, bytes: Uint8Array, skipped: number, declared = ''): string {
  const bad = firstInvalidUtf8(bytes);
  if (bad < 0) return withoutControls(file, new TextDecoder('utf-8').decode(bytes));
  const at = position(bytes, bad);
  const column = at.line === 1 ? at.column + skipped : at.column;
  const hint = declared
    ? ''
    : '; convert the page to UTF-8 (for Latin-1 or Windows-1252: iconv -f windows-1252 -t utf-8 FILE) or, in HTML, declare its charset (<meta charset="windows-1252">)';
  throw new ImportError(file, at.line, `not valid UTF-8${declared}: byte ${hex(bytes[bad]!)} at column ${column}${hint}`);
}

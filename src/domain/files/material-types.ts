/**
 * What an uploaded material is, judged from its bytes: an allow-list of slide, document, text,
 * image and animation types. The name a person gave the file is checked against the content (a
 * "talk.pdf" that is really HTML is refused, naming both) and must be a plain file name. Nothing
 * here writes anything: a refusal leaves no trace.
 */
import { InvalidInput } from '../errors.js';
import { orList } from '../word-list.js';

export type MaterialClass = 'document' | 'text' | 'image' | 'animation';

export interface MaterialType {
  mime: string;
  /** As a sentence says it: "a PDF", "an ODP presentation". */
  name: string;
  /** As a list of accepted types says it: "PDF", "Keynote (.key)". */
  label: string;
  /** Extensions a file of this type may carry, the first the usual one. */
  exts: readonly string[];
  class: MaterialClass;
}

const T = (mime: string, name: string, label: string, exts: string[], cls: MaterialClass): MaterialType => ({ mime, name, label, exts, class: cls });

/** Text goes by many names: the list says which. */
const TEXT_EXTS = ['txt', 'text', 'md', 'markdown', 'rst', 'patch', 'diff', 'mbox', 'eml', 'log', 'csv', 'c', 'h', 'py', 'sh', 'pl'];

/** Every type conclave accepts as a material. No SVG, no HTML: they can carry script. */
export const MATERIAL_TYPES: readonly MaterialType[] = [
  T('application/pdf', 'a PDF', 'PDF', ['pdf'], 'document'),
  T('application/vnd.oasis.opendocument.presentation', 'an ODP presentation', 'ODP', ['odp'], 'document'),
  T('application/vnd.oasis.opendocument.text', 'an ODT document', 'ODT', ['odt'], 'document'),
  T('application/vnd.oasis.opendocument.spreadsheet', 'an ODS spreadsheet', 'ODS', ['ods'], 'document'),
  T('application/vnd.openxmlformats-officedocument.presentationml.presentation', 'a PPTX presentation', 'PPTX', ['pptx'], 'document'),
  T('application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'a DOCX document', 'DOCX', ['docx'], 'document'),
  T('application/vnd.apple.keynote', 'a Keynote presentation', 'Keynote (.key)', ['key'], 'document'),
  T('application/vnd.sun.xml.impress', 'an SXI presentation', 'SXI', ['sxi'], 'document'),
  T('application/vnd.sun.xml.writer', 'an SXW document', 'SXW', ['sxw'], 'document'),
  T('application/vnd.ms-powerpoint', 'a PPT presentation', 'PPT', ['ppt'], 'document'),
  T('application/msword', 'a DOC document', 'DOC', ['doc'], 'document'),
  T('text/plain', 'plain text', `UTF-8 text (${TEXT_EXTS.map((e) => `.${e}`).join(', ')})`, TEXT_EXTS, 'text'),
  T('image/png', 'a PNG image', 'PNG', ['png'], 'image'),
  T('image/apng', 'an animated PNG', 'APNG', ['png', 'apng'], 'animation'),
  T('image/jpeg', 'a JPEG image', 'JPEG', ['jpg', 'jpeg'], 'image'),
  T('image/gif', 'a GIF image', 'GIF', ['gif'], 'animation'),
  T('image/webp', 'a WebP image', 'WebP', ['webp'], 'image'),
  T('video/mp4', 'an MP4 video', 'MP4', ['mp4', 'm4v'], 'animation'),
  T('video/webm', 'a WebM video', 'WebM', ['webm'], 'animation'),
];

/**
 * The accepted types as a list, from MATERIAL_TYPES (what the upload check takes): the forms'
 * hint, `conclave materials add --help` and a refusal say it, and README repeats it.
 */
export const ACCEPTED_TEXT = MATERIAL_TYPES.map((t) => t.label).join(', ');

const byMime = new Map(MATERIAL_TYPES.map((t) => [t.mime, t]));
const byExt = new Map<string, MaterialType>();
for (const t of MATERIAL_TYPES) for (const e of t.exts) if (!byExt.has(e)) byExt.set(e, t);

export function materialType(mime: string): MaterialType | undefined {
  return byMime.get(mime.split(';')[0]!.trim());
}

/** Images and animations a browser shows; everything else is downloaded. */
export function servedInline(mime: string): boolean {
  const t = materialType(mime);
  return !!t && (t.class === 'image' || t.class === 'animation');
}

/** "812 bytes", "3.4 KB", "61.2 MB". */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1048576) return `${(bytes / 1024).toFixed(1).replace(/\.0$/, '')} KB`;
  return `${(bytes / 1048576).toFixed(1).replace(/\.0$/, '')} MB`;
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** A file's own name: no directories, not "." and no "..", no control characters, at most 200 characters. */
export function checkFileName(name: string, field = 'file'): string {
  if (name.trim() === '') throw new InvalidInput(field, 'the file has no name; give it one, such as slides.pdf');
  if (/[/\\]/.test(name)) throw new InvalidInput(field, `the name ${JSON.stringify(name)} contains a directory (/ or \\); give the file's own name, such as slides.pdf`);
  if (name.includes('..')) throw new InvalidInput(field, `the name ${JSON.stringify(name)} contains ".."; rename the file, such as slides.pdf`);
  // "." names the directory a file is in, in a link and on disk (a static copy's files/<sha>/.).
  if (name === '.') throw new InvalidInput(field, 'the name "." is no file\'s name; rename the file, such as slides.pdf');
  if (CONTROL.test(name)) throw new InvalidInput(field, `the name ${JSON.stringify(name)} contains control characters; rename the file`);
  if (name.length > 200) throw new InvalidInput(field, `the name is ${name.length} characters long; at most 200`);
  return name;
}

function extOf(name: string): string | null {
  const i = name.lastIndexOf('.');
  return i > 0 && i < name.length - 1 ? name.slice(i + 1).toLowerCase() : null;
}

// --- zip archives file-type does not name: OpenOffice 1.x and Keynote -----------------------

/** The `mimetype` entry of a zip when it comes first and stored, as ODF and OpenOffice 1.x write it. */
function zipMimetype(b: Buffer): string | null {
  if (b.length < 30 || b.readUInt32LE(0) !== 0x04034b50) return null;
  const method = b.readUInt16LE(8);
  const size = b.readUInt32LE(18);
  const nameLen = b.readUInt16LE(26);
  const extraLen = b.readUInt16LE(28);
  if (method !== 0 || size > 200 || 30 + nameLen + extraLen + size > b.length) return null;
  if (b.toString('latin1', 30, 30 + nameLen) !== 'mimetype') return null;
  return b.toString('latin1', 30 + nameLen + extraLen, 30 + nameLen + extraLen + size).trim();
}

/** The entry names of a zip's central directory (empty when it has none that reads). */
function zipEntryNames(b: Buffer, max = 5000): string[] {
  const from = Math.max(0, b.length - 65557);
  let eocd = -1;
  for (let i = b.length - 22; i >= from; i--) {
    if (b.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return [];
  const count = b.readUInt16LE(eocd + 10);
  let at = b.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < Math.min(count, max) && at + 46 <= b.length; n++) {
    if (b.readUInt32LE(at) !== 0x02014b50) break;
    const nameLen = b.readUInt16LE(at + 28);
    const extraLen = b.readUInt16LE(at + 30);
    const commentLen = b.readUInt16LE(at + 32);
    names.push(b.toString('utf8', at + 46, Math.min(b.length, at + 46 + nameLen)));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

function zipType(b: Buffer): string | null {
  const m = zipMimetype(b);
  if (m && byMime.has(m)) return m;
  const names = zipEntryNames(b);
  // Keynote '13 and later: IWA archives; Keynote '09: index.apxl.
  if (names.some((n) => n === 'Index/Document.iwa' || n === 'index.apxl' || n === 'index.apxl.gz')) return 'application/vnd.apple.keynote';
  return null;
}

// --- text --------------------------------------------------------------------------------------

/** Starts as an HTML page would (the tags browsers sniff for), or carries a script anywhere. */
function isHtml(text: string): boolean {
  const head = text.replace(/^\uFEFF/, '').trimStart().slice(0, 1024).toLowerCase();
  if (/^<(!doctype html|html|head|body|script|iframe|h1|div|font|table|a|style|title|b|br|p|!--)[\s>/]/.test(head)) return true;
  return /<\s*(script|iframe|object|embed)[\s>/]/i.test(text);
}

const SVG = 'an SVG image (refused: it can carry scripts)';

/** An SVG image, with or without an XML declaration, doctype or comments before it. */
function isSvg(text: string): boolean {
  const head = text.replace(/^\uFEFF/, '').trimStart().slice(0, 1024).toLowerCase();
  return /^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!doctype svg[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>/]/.test(head);
}

function isXml(text: string): boolean {
  const head = text.replace(/^\uFEFF/, '').trimStart().slice(0, 256).toLowerCase();
  return head.startsWith('<?xml') || head.startsWith('<svg') || head.startsWith('<!doctype svg');
}

/** Text in another encoding than UTF-8 (Latin-1, say): no NUL, hardly a control character. */
const NOT_UTF8 = 'not-utf-8';

function textType(b: Buffer): { mime: string } | { refused: string } | null {
  if (b.includes(0)) return null;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    let controls = 0;
    for (const c of b) if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) controls++;
    return controls <= b.length / 100 ? { refused: NOT_UTF8 } : null;
  }
  if (isSvg(text)) return { refused: SVG };
  if (isHtml(text)) return { refused: 'an HTML document' };
  if (isXml(text)) return { refused: 'an XML document' };
  return { mime: 'text/plain' };
}

/** Types refused, named as people know them. */
const REFUSED_NAMES: Record<string, string> = {
  'application/xml': 'an XML document',
  'text/html': 'an HTML document',
  'application/zip': 'a zip archive',
};

/** A type file-type read that is not a material's, named as people know it (an SVG image apart). */
function refusedName(mime: string, bytes: Buffer): string {
  // An XML declaration is all file-type reads: an SVG image is named as one.
  const svg = mime === 'image/svg+xml' || (mime === 'application/xml' && isSvg(bytes.subarray(0, 4096).toString('utf8')));
  return svg ? SVG : (REFUSED_NAMES[mime] ?? `of type ${mime}`);
}

/**
 * What `bytes` are, named as people know them ("an SVG image (refused: it can carry scripts)",
 * "an HTML document", "a PDF"), for a refusal that names what was sent instead of a media type.
 */
export async function contentName(bytes: Buffer): Promise<string> {
  const { fileTypeFromBuffer } = await import('file-type');
  const ft = await fileTypeFromBuffer(bytes);
  if (ft) return byMime.get(ft.mime)?.name ?? refusedName(ft.mime, bytes);
  const t = textType(bytes);
  if (!t) return 'of a type conclave cannot tell';
  if ('mime' in t) return byMime.get(t.mime)?.name ?? t.mime;
  return t.refused === NOT_UTF8 ? 'text (not in UTF-8)' : t.refused;
}

/** "a PNG image, a JPEG image or a GIF image" for a list of media types. */
export function typeNames(mimes: readonly string[]): string {
  const names = mimes.map((m) => byMime.get(m)?.name ?? m);
  return orList(names);
}

// --- the verdict -------------------------------------------------------------------------------

/**
 * The type of a material from its bytes, checked against its name; InvalidInput on `field`
 * otherwise, with a sentence naming the file: empty, over `maxBytes`, a bad name, a type not
 * accepted, or an extension that says something else than the content.
 */
export async function sniffMaterial(bytes: Buffer, fileName: string, maxBytes: number, field = 'file'): Promise<MaterialType> {
  checkFileName(fileName, field);
  if (bytes.length === 0) throw new InvalidInput(field, `${fileName} is empty`);
  if (bytes.length > maxBytes) {
    // Just over: rounded, both would read "50 MB".
    const exact = sizeText(bytes.length) === sizeText(maxBytes);
    const n = (b: number) => `${b.toLocaleString('en-US')} bytes`;
    throw new InvalidInput(field, exact ? `${fileName} is ${n(bytes.length)}; the limit is ${n(maxBytes)} (${sizeText(maxBytes)})` : `${fileName} is ${sizeText(bytes.length)}; the limit is ${sizeText(maxBytes)}`);
  }
  const ext = extOf(fileName);
  const claimed = ext ? byExt.get(ext) : undefined;
  // Loaded on first use: a serving process that takes no uploads never needs it.
  const { fileTypeFromBuffer } = await import('file-type');
  const ft = await fileTypeFromBuffer(bytes);
  let found: MaterialType | undefined;
  let what: string | undefined;
  if (ft?.mime === 'application/x-cfb') {
    // Office 97–2003 files share one container: the name tells a presentation from a document.
    if (ext === 'ppt' || ext === 'doc') found = byExt.get(ext);
    else what = 'a Microsoft Office 97–2003 file';
  } else if (!ft || ft.mime === 'application/zip') {
    const z = bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50 ? zipType(bytes) : null;
    if (z) found = byMime.get(z);
    else if (ft) what = 'a zip archive';
    else {
      const t = textType(bytes);
      if (t && 'mime' in t) found = byMime.get(t.mime);
      else if (t) what = t.refused;
    }
  } else {
    found = byMime.get(ft.mime);
    what = found ? undefined : refusedName(ft.mime, bytes);
  }
  if (!found) {
    if (what === NOT_UTF8) {
      throw new InvalidInput(field, `${fileName} is text, but not in UTF-8: convert it first, e.g. iconv -f latin1 -t utf-8 < ${fileName} > utf8-${fileName}`);
    }
    const is = what ?? 'of a type conclave cannot tell';
    if (claimed) throw new InvalidInput(field, `${fileName} is ${is}, not ${claimed.name}`);
    throw new InvalidInput(field, `${fileName} is ${is}; accepted are ${ACCEPTED_TEXT}`);
  }
  if (ext && !found.exts.includes(ext)) {
    if (claimed) throw new InvalidInput(field, `${fileName} is ${found.name}, not ${claimed.name}`);
    throw new InvalidInput(field, `${fileName} is ${found.name}, but its name ends in .${ext}; name it .${found.exts[0]}`);
  }
  return found;
}

/**
 * Material markers inside agenda titles: "(slides)", "(PDF, PDF)", "(slides, animations)",
 * "(ILA, in PDF)". In a browser they are links; in the text rendering only their words remain.
 *
 * A marker is taken out of the title and becomes a ParsedMaterial. Its `about` says which part of
 * the title it belongs to, and is always a substring of the cleaned title:
 *  - a title with a single marker group at its end: the whole title ("Catching up with Herbert
 *    (slides, animations)" → both about "Catching up with Herbert"), except that N markers after
 *    exactly N comma-separated parts go one to each part ("iWarp portspace, standard netdev module
 *    parms, advanced stats (slides, slides, slides )");
 *  - otherwise: the words since the previous marker or comma, without a leading "and"
 *    ("LNST (slides) and "team" (slides)" → about "LNST" and "\"team\"", quotes kept as written).
 */
import type { MaterialKind, ParsedMaterial } from './page-model.js';
import { squash } from './line-text.js';

interface Marker {
  kind: MaterialKind;
  format?: string;
  label: string;
}

function markerOf(item: string): Marker | null {
  const label = item.trim().replace(/^in\s+/i, '');
  const t = label.toLowerCase();
  if (/^slides?$/.test(t)) return { kind: 'slides', label };
  if (t === 'pdf' || t === 'ps') return { kind: 'slides', format: t, label };
  if (/^(?:ppt|pptx|odp|key)$/.test(t)) return { kind: 'slides', format: t, label };
  if (/^animations?$/.test(t)) return { kind: 'animation', label };
  if (/^videos?$/.test(t)) return { kind: 'video', label };
  if (/^photos?$/.test(t)) return { kind: 'photo', label };
  if (/^(?:notes|minutes)$/.test(t)) return { kind: 'notes', label };
  if (/^(?:white ?paper|paper)s?$/.test(t)) return { kind: 'whitepaper', label };
  return null;
}

/** A material named by a link's target, or null when the target is not a document. */
export function materialFromHref(label: string, href: string): ParsedMaterial | null {
  const path = href.toLowerCase().replace(/[?#].*$/, '');
  const ext = /\.([a-z0-9]+)$/.exec(path)?.[1] ?? '';
  const base = { label, url: href };
  if (['pdf', 'ps'].includes(ext)) return { kind: 'slides', format: ext, ...base };
  if (['ppt', 'pptx', 'odp', 'key', 'sxi'].includes(ext)) return { kind: 'slides', format: ext, ...base };
  if (['mp4', 'webm', 'ogv', 'avi', 'mov'].includes(ext) || /youtube\.com|youtu\.be|vimeo\.com/.test(path)) {
    return { kind: 'video', ...(ext ? { format: ext } : {}), ...base };
  }
  if (['jpg', 'jpeg', 'png', 'gif', 'webp'].includes(ext)) return { kind: 'photo', format: ext, ...base };
  if (['txt', 'doc', 'docx', 'odt'].includes(ext)) return { kind: 'notes', format: ext, ...base };
  return null;
}

function tidy(segment: string): string {
  return squash(segment)
    .replace(/^[,;:\s]+/, '')
    .replace(/^(?:and|or|&)\s+/i, '')
    .replace(/[,;:\s]+$/, '')
    .trim();
}

function parts(segment: string): string[] {
  return segment
    .split(',')
    .map(tidy)
    .filter((p) => p !== '');
}

/** A word markerOf() reads as a marker, as a pattern. */
const MARKER_WORD = String.raw`(?:in\s+)?(?:slides?|pdf|ps|pptx?|odp|key|animations?|videos?|photos?|notes|minutes|(?:white ?)?papers?)`;
const TRAILING_RUN = new RegExp(String.raw`^(.*?\S)\s+(${MARKER_WORD}(?:\s*(?:,|and|&)\s*${MARKER_WORD})*)[\s.]*$`, 'is');

/** A link's words as a marker compares them: "(PDF)" and "in PDF" are "pdf". */
function linkWords(text: string): string {
  return squash(text)
    .toLowerCase()
    .replace(/^\(\s*|\s*\)$/g, '')
    .replace(/^in\s+/, '');
}

/**
 * An HTML page may link its markers without parentheses ("Über-offload <a>PDF</a>, <a>PDF</a>"),
 * which its text rendering shows as words of the title. A run of such words at the end of the
 * title, each the text of a link, is put in parentheses, as text pages write markers. Words that
 * are no link's text ("PDF parsing in the kernel, notes") stay words.
 */
function bracketLinkedMarkers(title: string, links: readonly { text: string; href: string }[]): string {
  if (links.length === 0) return title;
  const m = TRAILING_RUN.exec(title);
  if (!m?.[1] || !m[2] || /\($/.test(m[1])) return title;
  const words = m[2].split(/\s*(?:,|\band\b|&)\s*/i).filter((w) => w.trim() !== '');
  const free = links.map((l) => linkWords(l.text));
  for (const w of words) {
    const i = free.indexOf(linkWords(w));
    if (i < 0) return title;
    free.splice(i, 1);
  }
  return `${m[1]} (${words.map((w) => w.trim()).join(', ')})`;
}

export interface MarkedTitle {
  title: string;
  materials: ParsedMaterial[];
}

/**
 * Takes the markers out of `title`. `links` (HTML) give the markers their urls, in order of
 * their text; links to documents that are not markers become materials of their own.
 */
export function extractMarkers(
  given: string,
  links: readonly { text: string; href: string }[] = [],
): MarkedTitle {
  const title = bracketLinkedMarkers(given, links);
  let out = '';
  let last = 0;
  const groups: { pos: number; markers: Marker[] }[] = [];
  for (const m of title.matchAll(/(\s*)\(([^()]*)\)/g)) {
    const items = (m[2] ?? '')
      .split(',')
      .map((i) => i.trim())
      .filter((i) => i !== '');
    const markers = items.map(markerOf);
    if (!markers.some((x) => x !== null)) continue;
    out += title.slice(last, m.index);
    const kept = items.filter((_, i) => markers[i] === null);
    if (kept.length) out += `${m[1] ?? ''}(${kept.join(', ')})`;
    groups.push({ pos: out.length, markers: markers.filter((x): x is Marker => x !== null) });
    last = m.index + m[0].length;
  }
  out += title.slice(last);

  const materials: ParsedMaterial[] = [];
  const only = groups.length === 1 ? groups[0] : undefined;
  const atEnd = only !== undefined && /^[\s.!?]*$/.test(out.slice(only.pos));
  groups.forEach((g, k) => {
    const from = atEnd ? 0 : (groups[k - 1]?.pos ?? 0);
    const segment = out.slice(from, g.pos);
    const pieces = parts(segment);
    const n = g.markers.length;
    const mapped = n > 1 && pieces.length === n;
    const whole = atEnd ? tidy(segment) : (pieces[pieces.length - 1] ?? '');
    g.markers.forEach((marker, i) => {
      const about = mapped ? (pieces[i] ?? whole) : whole;
      materials.push({ ...marker, ...(about ? { about } : {}) });
    });
  });

  const used = new Set<number>();
  for (const mat of materials) {
    const want = mat.label.toLowerCase();
    const idx = links.findIndex(
      (l, i) => !used.has(i) && linkWords(l.text) === want,
    );
    if (idx >= 0) {
      used.add(idx);
      const href = links[idx]?.href;
      if (href) mat.url = href;
    }
  }
  const cleaned = out
    .split('\n')
    .map(squash)
    .join('\n');
  links.forEach((l, i) => {
    if (used.has(i)) return;
    const text = squash(l.text);
    if (!text || !cleaned.includes(text)) return;
    const mat = materialFromHref(text, l.href);
    if (mat) materials.push({ ...mat, about: text });
  });
  return { title: cleaned, materials };
}

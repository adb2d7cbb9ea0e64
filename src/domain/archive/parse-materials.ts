/**
 * Materials not tied to a slot: meeting notes ("Meeting notes(from Ben Hutchings)"), a list of
 * slides and photos ("Slides and Photos from Netconf 2004" / "1. TCP_OSDL - From DaveM"), and
 * references.
 */
import { clean, isBlank, squash } from './line-text.js';
import { materialFromHref } from './material-markers.js';
import type { PageContext } from './page-context.js';
import type { MaterialKind, ParsedMaterial, SourceLine } from './page-model.js';
import type { Section } from './page-sections.js';

/** A full name ("Ben Hutchings") is an author; a handle ("DaveM") is only a credit. */
function credited(who: string): Pick<ParsedMaterial, 'author' | 'credit'> {
  const words = who.trim().split(/\s+/);
  const fullName = words.length >= 2 && words.every((w) => /^\p{Lu}[\p{L}.'’-]*$/u.test(w));
  return fullName ? { author: who.trim() } : { credit: who.trim() };
}

function linkOf(line: SourceLine | undefined, text: string): string | undefined {
  if (!line?.links?.length) return undefined;
  const t = squash(text).toLowerCase();
  return (line.links.find((l) => squash(l.text).toLowerCase() === t) ?? line.links[0])?.href;
}

/**
 * A list line as one item per link it holds: "LWN: <a>day one</a>, <a>day two</a>" is two,
 * "LWN: day one" and "LWN: day two", each with its address; a line with one link or none is
 * one item, titled by its whole text.
 */
export function linkedItems(line: SourceLine): { title: string; url?: string }[] {
  const text = clean(line.text);
  const links = line.links ?? [];
  if (links.length <= 1) return [{ title: text, ...(links[0] ? { url: links[0].href } : {}) }];
  let outside = text;
  for (const l of links) {
    const t = squash(l.text);
    if (t) outside = outside.replace(t, ' ');
  }
  const lead = squash(outside.replace(/[\s,;:|/&()–—-]+/g, ' ').replace(/\band\b/gi, ' '));
  return links.map((l) => {
    const t = squash(l.text) || l.href;
    return { title: lead ? `${lead}: ${t}` : t, url: l.href };
  });
}

export function parseMeetingNotes(section: Section, ctx: PageContext): ParsedMaterial[] {
  const label = section.field?.label ?? 'Meeting notes';
  const first: ParsedMaterial = { kind: 'notes', label };
  if (section.field?.from) Object.assign(first, credited(section.field.from));
  const url = linkOf(section.header, label);
  if (url) first.url = url;
  const value = section.field?.value;
  if (value && /^https?:\/\/\S+$/.test(value)) first.url ??= value;
  else if (value) first.label = `${label}: ${value}`;
  const out = [first];
  for (const line of section.lines) {
    if (isBlank(line)) continue;
    const text = clean(line.text);
    if (!line.links?.length && !/notes|minutes/i.test(text)) {
      ctx.skip(line, 'not a link to meeting notes');
      continue;
    }
    for (const item of linkedItems(line)) out.push({ kind: 'notes', label: item.title, ...(item.url ? { url: item.url } : {}) });
  }
  return out;
}

function defaultKind(heading: string): MaterialKind {
  if (/slides|presentations/i.test(heading)) return 'slides';
  if (/photos/i.test(heading)) return 'photo';
  if (/videos/i.test(heading)) return 'video';
  return 'other';
}

/** "1. TCP_OSDL - From DaveM" → label "TCP_OSDL", credit "DaveM". */
export function parseMaterialsList(section: Section, ctx: PageContext): ParsedMaterial[] {
  const heading = section.field?.label ?? '';
  const kind = defaultKind(heading);
  const out: ParsedMaterial[] = [];
  for (const line of section.lines) {
    if (isBlank(line)) continue;
    const text = clean(line.text).replace(/^\d+[.)]\s*/, '');
    const m = /^(.+?)(?:\s+[-–—]\s+(?:from|by)\s+(.+))?$/i.exec(text);
    const label = (m?.[1] ?? text).trim();
    if (!label) {
      ctx.skip(line, 'not a material');
      continue;
    }
    const href = linkOf(line, label);
    const fromHref = href ? materialFromHref(label, href) : null;
    const mat: ParsedMaterial = fromHref ?? { kind, label, ...(href ? { url: href } : {}) };
    if (m?.[2]) Object.assign(mat, credited(m[2]));
    out.push(mat);
  }
  return out;
}

export function parseReferences(section: Section): { title: string; url?: string }[] {
  const out: { title: string; url?: string }[] = [];
  for (const line of section.lines) {
    if (isBlank(line)) continue;
    out.push(...linkedItems(line));
  }
  return out;
}

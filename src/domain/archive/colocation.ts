/**
 * The intro's co-location sentence: "This year, the Netconf joins the Linux Kernel Summit in a
 * workshop format in Chicago, IL." / "This winter, the Netconf joins the Netdev 0.1 held
 * February 14-17, 2015 in Ottawa, Canada."
 */
import type { ParsedPage } from './page-model.js';
import { parseDateRange } from './parse-dates.js';

export type Colocated = NonNullable<ParsedPage['colocated']>;

const VERB = /\b(?:joins|is co-?located with|co-?locates with|is held (?:together )?with|alongside)\s+(?:the\s+)?/i;

function sentences(paragraph: string): string[] {
  return paragraph.split(/(?<=[.!?])\s+(?=[A-Z])/);
}

/** The co-located event a paragraph announces, or null. */
export function parseColocation(paragraph: string, year: number): Colocated | null {
  for (const sentence of sentences(paragraph)) {
    const verb = VERB.exec(sentence);
    if (!verb) continue;
    const after = sentence.slice(verb.index + verb[0].length);
    const nameWords: string[] = [];
    let rest = after;
    for (const m of after.matchAll(/\S+/g)) {
      const w = m[0].replace(/[.,;]$/, '');
      if (!/^[\p{Lu}\d]/u.test(w)) break;
      nameWords.push(w);
      rest = after.slice(m.index + m[0].length);
      if (w !== m[0]) break;
    }
    if (nameWords.length === 0) continue;
    const out: Colocated = { name: nameWords.join(' '), sentence: sentence.trim() };
    const tail = rest.trim().replace(/\.$/, '');
    const held = /^(?:held|on|from)\s+(.+?)\s+in\s+/i.exec(tail);
    if (held?.[1]) {
      const range = parseDateRange(held[1], year);
      if (range) {
        out.datesText = held[1];
        out.startDate = range.start;
        out.endDate = range.end;
      }
    }
    const lastIn = tail.lastIndexOf(' in ');
    const placeText = lastIn >= 0 ? tail.slice(lastIn + 4) : /^in\s+(.+)$/i.exec(tail)?.[1];
    if (placeText && /^\p{Lu}/u.test(placeText)) out.place = placeText.trim();
    return out;
  }
  return null;
}

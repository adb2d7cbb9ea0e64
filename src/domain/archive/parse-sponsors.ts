/**
 * Sponsors: a comma list on the label's line ("Intel, OSDL, RedHat,Inc."), names on lines of
 * their own ("Linux Kernel Summit"), or logos. In the text rendering a logo is its alt text:
 * "Mojatatu Networks Logo Cumulus Networks Logo" is two sponsors, split at " Logo"; an image
 * whose alt has no "Logo" ("Noiro Networks, a Cisco Project") is the rest of a logo line.
 */
import { squash } from './line-text.js';
import type { PageContext } from './page-context.js';
import type { ParsedSponsor, SourceLine } from './page-model.js';

const EVENT_WORDS = /\b(?:summit|conference|conf|netdev|plumbers|symposium|workshop|expo|linuxcon|meetup)\b/i;

function kindOf(name: string, ctx: PageContext): ParsedSponsor['kind'] {
  const colocated = ctx.colocatedName?.toLowerCase();
  if (colocated && name.toLowerCase() === colocated) return 'event';
  return EVENT_WORDS.test(name) ? 'event' : 'company';
}

/** What follows a company's name after a comma: "Red Hat, Inc.", "Acme, Ltd". */
const COMPANY_SUFFIX = /^(?:inc|incorporated|ltd|limited|llc|llp|plc|corp|corporation|co|gmbh|ag|sa|s\.a|bv|b\.v|nv|n\.v|oy|ab|as|srl|s\.r\.l|spa|s\.p\.a|kk|k\.k|pty|pte)\.?$/i;

/**
 * "Intel, OSDL, RedHat,Inc." → 3 names: split at comma+space; a lowercase piece, or a company
 * suffix ("Red Hat, Inc."), stays attached to the name before it.
 */
export function splitSponsorNames(text: string): string[] {
  const out: string[] = [];
  for (const piece of text.split(/,\s+/)) {
    const p = piece.trim();
    if (!p) continue;
    const prev = out.length - 1;
    if ((/^\p{Ll}/u.test(p) || COMPANY_SUFFIX.test(p)) && prev >= 0) out[prev] = `${out[prev]}, ${p}`;
    else out.push(p);
  }
  return out;
}

function linkFor(line: SourceLine, text: string): string | undefined {
  const t = squash(text).toLowerCase();
  return line.links?.find((l) => squash(l.text).toLowerCase() === t)?.href;
}

function fromLogoText(alt: string): { name: string; logoAlt: string } {
  const name = alt.replace(/\s+logo$/i, '').trim();
  return { name: name || alt, logoAlt: alt };
}

/** Sponsors written in `text` of `line` (the label's value, or a line under the label). */
export function sponsorsIn(text: string, line: SourceLine, ctx: PageContext): ParsedSponsor[] {
  const out: ParsedSponsor[] = [];
  let rest = squash(text);
  const add = (s: Omit<ParsedSponsor, 'kind'>): void => {
    const url = s.url ?? linkFor(line, s.logoAlt ?? s.name);
    out.push({ ...s, kind: kindOf(s.name, ctx), ...(url ? { url } : {}) });
  };
  const images = line.images ?? [];
  for (const img of images) {
    const alt = squash(img.alt);
    if (!alt) {
      ctx.skip(line, 'a sponsor logo without alt text');
      continue;
    }
    const at = rest.indexOf(alt);
    if (at >= 0) rest = `${rest.slice(0, at)} ${rest.slice(at + alt.length)}`.trim();
    add({ ...fromLogoText(alt), ...(img.src ? { logoSrc: img.src } : {}) });
  }
  rest = squash(rest);
  if (images.length === 0) {
    const logos = [...rest.matchAll(/(.+?)\s+Logo\b\s*/g)];
    if (logos.length) {
      for (const m of logos) add(fromLogoText(`${squash(m[1] ?? '')} Logo`));
      const last = logos[logos.length - 1];
      const tail = last ? squash(rest.slice(last.index + last[0].length)) : '';
      if (tail) add({ name: tail, logoAlt: tail });
      return out;
    }
  }
  for (const name of splitSponsorNames(rest)) add({ name });
  return out;
}

/**
 * Committee and attendee lists: "David S. Miller (, netdev maintainer)", "Soyoung Park (",
 * "David S. Miller (davem@redhat.com)", "Eric W. Biederman".
 *
 * A lone "(" (or "(, role") is what remains where the site hid an address: the person has one,
 * the page does not show it (emailRedacted).
 */
import { clean, isBlank } from './line-text.js';
import type { PageContext } from './page-context.js';
import type { ParsedPerson, SourceLine } from './page-model.js';

export type ListedPerson = ParsedPerson & { role?: string };

const EMAIL = /^[^\s@()<>,]+@[^\s@()<>,]+\.[^\s@()<>,]+$/;

/**
 * An address spelled out against harvesters, as old pages wrote them ("davem at davemloft.net",
 * "hadi [at] cyberus [dot] ca"), as the address; anything else as it is. Read as text, it would
 * be taken for the person's role.
 */
function unspellAddress(text: string): string {
  const address = text
    .replace(/\s*(?:\[at\]|\{at\}|\bat\b)\s*/i, '@')
    .replace(/\s*(?:\[dot\]|\{dot\}|\s\bdot\b)\s*/gi, '.');
  return /\s/.test(text) && EMAIL.test(address) ? address : text;
}

/** Whether `name` can be a person's name as printed in a list. */
export function isPlausibleName(name: string): boolean {
  const words = name.split(/\s+/).filter(Boolean);
  if (words.length < 1 || words.length > 6) return false;
  if (/[\d@/\\|{}[\]<>=_]/.test(name)) return false;
  return words.some((w) => /^\p{Lu}/u.test(w));
}

/** One list line as a person, or null when it does not read as one. */
export function parsePersonLine(line: SourceLine): ListedPerson | null {
  const text = clean(line.text);
  const mailto = line.links?.find((l) => /^mailto:/i.test(l.href))?.href.replace(/^mailto:/i, '');
  let name = text;
  let inner: string | undefined;
  const paren = /^(.+?)\s*\((.*)$/.exec(text);
  const angle = /^(.+?)\s*<([^>]*)>?\s*$/.exec(text);
  if (paren) {
    name = paren[1] ?? '';
    inner = (paren[2] ?? '').replace(/\)\s*$/, '').trim();
  } else if (angle) {
    name = angle[1] ?? '';
    inner = (angle[2] ?? '').trim();
  }
  name = name.trim();
  if (!isPlausibleName(name)) return null;
  const person: ListedPerson = { name };
  if (inner === undefined) {
    if (mailto) person.email = mailto;
    return person;
  }
  const [spelled = '', ...rest] = inner.split(',').map((p) => p.trim());
  const first = unspellAddress(spelled);
  const role = rest.filter(Boolean).join(', ');
  if (first === '') {
    if (mailto) person.email = mailto;
    else person.emailRedacted = true;
    if (role) person.role = role;
  } else if (EMAIL.test(first)) {
    person.email = first;
    if (role) person.role = role;
  } else {
    if (mailto) person.email = mailto;
    person.role = inner;
  }
  return person;
}

/** A committee or attendee list; lines that are not people are skipped with a reason. */
export function parsePeople(
  lines: readonly SourceLine[],
  ctx: PageContext,
  what: 'committee' | 'attendees',
): ListedPerson[] {
  const out: ListedPerson[] = [];
  for (const line of lines) {
    if (isBlank(line)) continue;
    const person = parsePersonLine(line);
    if (person) out.push({ ...person, line: line.line });
    else ctx.skip(line, `not a person's name in the ${what} list`);
  }
  return out;
}

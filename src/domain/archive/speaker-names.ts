/**
 * Finding a person's name at the start or the end of an agenda row.
 *
 * A plain-text row runs the speaker and the topic together ("Neil Horman User Space DMA (PDF)").
 * Names known from the archive and from the page's own committee and attendee lists come first
 * (matched loosely, see people/names.ts); otherwise a heuristic guesses the longest run of
 * name-case words, and the caller notes the guess.
 */
import { findKnownNameAt } from '../people/names.js';

const PARTICLES = new Set([
  'de', 'van', 'von', 'der', 'den', 'da', 'das', 'dos', 'del', 'della', 'di', 'du', 'le', 'la',
  'bin', 'ibn', 'al', 'ter', 'ten', 'zu', 'y',
]);

/** Capitalised words that start titles rather than names. */
const TITLE_WORDS = new Set([
  'a', 'an', 'the', 'and', 'user', 'users', 'what', 'how', 'why', 'when', 'where', 'who', 'which',
  'introduction', 'intro', 'open', 'new', 'kernel', 'linux', 'network', 'networks', 'networking',
  'wireless', 'netfilter', 'bridging', 'routing', 'welcome', 'closing', 'opening', 'keynote',
  'status', 'update', 'updates', 'report', 'future', 'futures', 'state', 'overview', 'discussion',
  'discussions', 'session', 'panel', 'lunch', 'break', 'breakfast', 'dinner', 'morning',
  'afternoon', 'evening', 'coffee', 'day', 'tbd', 'tba', 'dynamic', 'multipath', 'generic',
  'hardware', 'software', 'driver', 'drivers', 'stack', 'performance', 'packet', 'packets',
  'socket', 'sockets', 'virtual', 'next', 'current', 'recent', 'early', 'late', 'remote', 'total',
  'various', 'does', 'is', 'are', 'can', 'should', 'will', 'my', 'our', 'your', 'this', 'that',
  'these', 'those', 'some', 'all', 'any', 'beyond', 'towards', 'toward', 'into', 'with',
  'without', 'using', 'for', 'from', 'on', 'in', 'of', 'to', 'at', 'by', 'group', 'photo',
  'photos', 'slides', 'scalability', 'security', 'traffic', 'control', 'flow', 'offload',
  'offloads', 'support', 'design', 'more', 'less', 'fast', 'faster', 'better', 'about', 'mobile',
]);

/** English endings that make a capitalised third word more likely a title's first word. */
const WORDY_ENDING =
  /(?:ing|tion|sion|ment|ness|less|ity|ive|ous|able|ible|ence|ance|ics|ure|ery|ary|ism|ize|ise|ed)$/;

const NAME_WORD = /^(?:\p{Lu}[\p{Ll}'’]*\p{Ll}(?:\p{Lu}\p{Ll}+)?(?:-\p{Lu}?\p{Ll}+)*|\p{Lu}['’]\p{Lu}\p{Ll}+)$/u;
const INITIAL = /^\p{Lu}\.$/u;

interface Word {
  text: string;
  start: number;
  end: number;
}

function wordsOf(text: string): Word[] {
  return [...text.matchAll(/\S+/g)].map((m) => ({
    text: m[0],
    start: m.index,
    end: m.index + m[0].length,
  }));
}

function isNameWord(core: string): boolean {
  return NAME_WORD.test(core) && !TITLE_WORDS.has(core.toLowerCase());
}

function wordy(core: string): boolean {
  const w = core.toLowerCase();
  return TITLE_WORDS.has(w) || WORDY_ENDING.test(w) || (w.length >= 6 && w.endsWith('ic'));
}

export interface GuessedName {
  name: string;
  start: number;
  end: number;
}

/** Particles and initials: part of a name, but never its outer word. */
function isFiller(word: Word): boolean {
  return PARTICLES.has(word.text) || INITIAL.test(word.text);
}

function dropOuterFillers(taken: Word[]): void {
  while (taken.length > 0 && isFiller(taken[taken.length - 1] as Word)) taken.pop();
}

/**
 * One word of the scan, with punctuation glued to its outer side removed. `last` says the
 * punctuation ends the name ("Graf," at the start); `stop` that the word cannot be in it at all
 * ("lately." before a name at the end).
 */
function wordAt(w: Word, i: number, where: 'start' | 'end'): Word & { last: boolean; stop: boolean } {
  const glued = where === 'start' ? /[,;:]$/ : i === 0 ? /[,;:]$|(?<=\p{Ll}{2})\.$/u : null;
  if (glued?.test(w.text)) {
    return { text: w.text.slice(0, -1), start: w.start, end: w.end - 1, last: where === 'start', stop: false };
  }
  const stop = where === 'end' && i > 0 && /[,;:.]$/.test(w.text) && !INITIAL.test(w.text);
  return { ...w, last: false, stop };
}

/**
 * The heuristic: at most three name-case words (initials and particles such as "de" extra),
 * stopping at acronyms, words with digits, slashes or quotes, punctuation, and title words.
 * A particle and the word after it end a name ("Willem de Bruijn"), so does the word after a
 * middle initial ("Eric W. Biederman"). A third word that reads like English ("Outstanding",
 * "Dynamic") is left to the topic.
 */
export function guessNameAt(text: string, where: 'start' | 'end'): GuessedName | null {
  const words = wordsOf(text);
  if (where === 'end') words.reverse();
  const taken: Word[] = [];
  let full = 0;
  let afterInitial = false;
  for (let i = 0; i < words.length; i++) {
    const raw = words[i];
    if (!raw) break;
    const w = wordAt(raw, i, where);
    if (w.stop) break;
    const word: Word = { text: w.text, start: w.start, end: w.end };
    if (taken.length > 0 && PARTICLES.has(word.text)) {
      if (where === 'end') {
        taken.push(word);
        continue;
      }
      const next = words[i + 1] ? wordAt(words[i + 1] as Word, i + 1, where) : undefined;
      if (next && isNameWord(next.text)) {
        taken.push(word, { text: next.text, start: next.start, end: next.end });
        full++;
      }
      break;
    }
    if (taken.length > 0 && INITIAL.test(word.text)) {
      taken.push(word);
      afterInitial = true;
      continue;
    }
    if (!isNameWord(word.text) || full === 3) break;
    taken.push(word);
    full++;
    if (w.last || afterInitial) break;
  }
  dropOuterFillers(taken);
  const names = taken.filter((t) => !isFiller(t));
  const outer = names[2];
  if (outer && wordy(outer.text)) {
    taken.splice(taken.indexOf(outer));
    dropOuterFillers(taken);
  }
  if (taken.filter((t) => !isFiller(t)).length < 2) return null;
  const ordered = where === 'end' ? [...taken].reverse() : taken;
  const first = ordered[0];
  const last = ordered[ordered.length - 1];
  if (!first || !last) return null;
  return { name: text.slice(first.start, last.end), start: first.start, end: last.end };
}

export interface FoundName extends GuessedName {
  /** Not known from the page or the archive: the heuristic found it. */
  guessed: boolean;
}

/**
 * The names a page's parser knows: the archive's, the page's committee and attendees, and each
 * name guessed so far (so a speaker guessed once is matched the same way on later rows).
 */
export class NameBook {
  private readonly names: string[];

  constructor(names: Iterable<string>) {
    this.names = [...new Set(names)];
  }

  /** A known name at the start/end of `text`, else a guessed one (when `guess`), else null. */
  find(text: string, where: 'start' | 'end', guess = true): FoundName | null {
    const known = findKnownNameAt(text, this.names, where);
    if (known) return { name: known.name, start: known.start, end: known.end, guessed: false };
    if (!guess) return null;
    const g = guessNameAt(text, where);
    return g ? { ...g, guessed: true } : null;
  }

  add(name: string): void {
    if (!this.names.includes(name)) this.names.push(name);
  }
}

/**
 * Plain-text mail is read at 72 columns (mutt, a terminal, a list archive). A template's own lines
 * are short, but a filled-in value (a committee's comment typed as one long paragraph, a status
 * sentence, a long title) makes lines of any length. Wrapping such a line alone would leave a short
 * stub of it above the template's next line, so the filled text is laid out by paragraph (lines
 * between blank lines), by one rule (README, "Mail templates"; the template editor's help):
 *  - a plain paragraph (every line starting at the left margin, none quoted or a list item) with a
 *    line longer than 72 columns is reflowed as a whole, as fmt would: its lines joined, then
 *    wrapped at spaces;
 *  - any other paragraph keeps the line breaks its author gave it: a plain one that fits, and one
 *    with an indented line (a link or a list set off from the text); a line of it longer than 72
 *    columns is wrapped at spaces, continuing under the line's indent, a list item's ("- ", "* ",
 *    "1. ") under its text;
 *  - a line that is a link alone stands on its own line, never joined to the text around it;
 *  - quoted lines ("> …"), blank lines, and the signature ("-- " and every line after it) are left
 *    as they are;
 *  - a word is never broken: one longer than the width (an address) gets a line of its own;
 *    nor is a command in parentheses ("(conclave invite override 4 STATE --reason WHY)"), a
 *    short phrase in curly quotes ("“1 hour”") or a name ("Eve Ekström", "Toke Høiland-Jørgensen":
 *    two to four capitalized words), each kept as one word when it fits a line.
 */
export const MAIL_WIDTH = 72;

const ITEM = /^(\s*(?:[-*•]|\d{1,3}[.)])\s+)/;
/** A line that is an address alone (https://…, mailto:…), at the left margin. */
const LINK_LINE = /^<?(?:[a-z][a-z0-9+.-]*:\/\/|mailto:)\S+$/i;
const SIGNATURE = '-- ';

/**
 * Runs of words kept whole: a command in parentheses, to be copied as one, and a phrase in curly
 * quotes of at most QUOTE_MAX characters (a longer one, a title, wraps as any text).
 */
const UNBROKEN = /\(conclave [^()\n]*\)|“[^“”\n]*”/g;
const QUOTE_MAX = 30;
/**
 * A person's name as mail gives it: two to four words, each a capital and a small letter first
 * ("O’Brien", "McKenney"; a hyphen or an apostrophe may join another part: "Høiland-Jørgensen",
 * "Jean-Luc"), so that "Eve" is not left at a line's end
 * and "Ekström" at the next one's start. A run of such words in a sentence ("Hello Ada") is kept
 * as well: that only moves where the line breaks.
 */
const NAME_WORD = "\\p{Lu}(?:['’]\\p{Lu})?\\p{Ll}[\\p{L}\\p{M}]*(?:[-'’]\\p{L}[\\p{L}\\p{M}]*)*";
const NAME = new RegExp(`(?<![\\p{L}\\p{N}\\p{M}'’-])${NAME_WORD}(?: ${NAME_WORD}){1,3}(?![\\p{L}\\p{N}\\p{M}'’-])`, 'gu');
/** What stands for a space inside a run kept whole while the line is cut into words. */
const JOINER = '\u0000';

/** The words of `text`, a run kept whole (UNBROKEN, NAME) counting as one when it fits `width`. */
function wordsOf(text: string, width: number): string[] {
  const glue = (run: string, max: number) => (run.length <= max ? run.replace(/ /g, JOINER) : run);
  const glued = text.replace(UNBROKEN, (run) => glue(run, run.startsWith('“') ? QUOTE_MAX : width)).replace(NAME, (run) => glue(run, width));
  return glued
    .split(/ +/)
    .filter((w) => w !== '')
    .map((w) => w.replaceAll(JOINER, ' '));
}

function wrapLine(line: string, width: number): string[] {
  if (line.length <= width || line.startsWith('>')) return [line];
  const lead = ITEM.exec(line)?.[1] ?? /^\s*/.exec(line)![0];
  const indent = ' '.repeat(lead.length);
  const words = wordsOf(line.slice(lead.length), width - lead.length);
  const out: string[] = [];
  let current = lead;
  let empty = true;
  for (const word of words) {
    if (!empty && current.length + 1 + word.length > width) {
      out.push(current);
      current = indent;
      empty = true;
    }
    current += empty ? word : ` ${word}`;
    empty = false;
  }
  out.push(current);
  return out;
}

/** Whether a paragraph's lines may be joined: each starts at the left margin, none quoted or an item. */
function isPlain(lines: readonly string[]): boolean {
  return lines.every((l) => !/^\s/.test(l) && !l.startsWith('>') && !ITEM.test(l));
}

/** One paragraph laid out: reflowed as a whole when plain and too wide, else line by line. */
function layParagraph(lines: readonly string[], width: number): string[] {
  if (isPlain(lines) && lines.some((l) => l.length > width)) {
    return wrapLine(lines.map((l) => l.trim()).join(' '), width);
  }
  return lines.flatMap((line) => wrapLine(line, width));
}

/** The body laid out at `width` columns, by the rule above. */
export function wrapMailBody(body: string, width = MAIL_WIDTH): string {
  const lines = body.split('\n');
  const sig = lines.indexOf(SIGNATURE);
  const text = sig === -1 ? lines : lines.slice(0, sig);
  const out: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    out.push(...layParagraph(paragraph, width));
    paragraph = [];
  };
  for (const line of text) {
    if (line.trim() === '' || line.startsWith('>') || LINK_LINE.test(line)) {
      flush();
      out.push(line);
    } else paragraph.push(line);
  }
  flush();
  return [...out, ...(sig === -1 ? [] : lines.slice(sig))].join('\n');
}

/**
 * `text` in at most `max` characters: whole when it fits, else cut at the last space before the
 * limit with "…" after it (inside a word only when one word fills the room). Never splits a
 * character written as two UTF-16 units (an emoji, say).
 */
export function cutToFit(text: string, max: number): string {
  if (text.length <= max) return text;
  let room = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(room)) room = room.slice(0, -1);
  const space = room.lastIndexOf(' ');
  return `${(space > max / 2 ? room.slice(0, space) : room).trimEnd()}…`;
}

/**
 * A title for a subject line: as it is (spaces made single) when at most `max` characters, else
 * its first words with "..." (plain ASCII, as the rest of a subject), inside a word only when the
 * first word alone fills more than half the room. Never splits a character written as two UTF-16
 * units.
 */
export function cutAtWord(title: string, max: number): string {
  const t = title.trim().replace(/\s+/g, ' ');
  if (t.length <= max) return t;
  let cut = t.slice(0, max - 3);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const atWord = cut.lastIndexOf(' ');
  return `${(atWord > max / 2 ? cut.slice(0, atWord) : cut).replace(/[\s,;:.-]+$/, '')}...`;
}

/**
 * Plain-text mail is read at 72 columns (mutt, a terminal, a list archive). A template's own lines
 * are short, but a filled-in value (a committee's comment typed as one long paragraph, a status
 * sentence, a long title) makes lines of any length. Such lines are wrapped at spaces; what must
 * stay whole stays whole:
 *  - a word longer than the width (an address) gets a line of its own, unbroken;
 *  - quoted lines ("> …") and the signature separator are left as they are;
 *  - continuation lines keep the line's indent, and a list item's ("- ", "* ", "1. ") text column.
 */
export const MAIL_WIDTH = 72;

const ITEM = /^(\s*(?:[-*•]|\d{1,3}[.)])\s+)/;

function wrapLine(line: string, width: number): string[] {
  if (line.length <= width || line.startsWith('>') || line === '-- ') return [line];
  const lead = ITEM.exec(line)?.[1] ?? /^\s*/.exec(line)![0];
  const indent = ' '.repeat(lead.length);
  const words = line.slice(lead.length).split(/ +/).filter((w) => w !== '');
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

/** The body with every line longer than `width` wrapped at spaces. */
export function wrapMailBody(body: string, width = MAIL_WIDTH): string {
  return body
    .split('\n')
    .flatMap((line) => wrapLine(line, width))
    .join('\n');
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

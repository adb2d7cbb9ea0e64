/**
 * An unstructured header (Subject) written to be read in the raw: the words that are plain ASCII
 * as they are, only the words that need it as RFC 2047 encoded words (=?UTF-8?Q?…?=), and the
 * field folded at spaces to lines of at most 78 columns (RFC 5322 2.1.1) where its words allow.
 * Nodemailer instead encodes a whole subject as soon as one character in it is outside ASCII or
 * is a straight `"`, which needs no encoding at all in an unstructured field: the raw message,
 * grep, list archives and mail programs that do not decode then read =?UTF-8?Q?…?= for every
 * word, the plain ones too.
 *
 * The result decodes back to exactly the text (RFC 2047 decoders, mailparser's libmime among
 * them): a run of words that need encoding is encoded as one, with the spaces between its words
 * inside it, because a decoder drops the whitespace between two adjacent encoded words; a
 * character is never split between two encoded words; and the field is folded only before a
 * single space, which unfolding gives back (mailparser unfolds a line break with all the
 * whitespace after it into one space, so a fold before a tab or a second space would lose it).
 */

/** RFC 5322's recommended line length, without the CRLF. */
const LINE = 78;
/** RFC 2047's longest encoded word. */
const WORD = 75;
const PREFIX = '=?UTF-8?Q?';
const SUFFIX = '?=';
/** The least encoded text worth an encoded word at the end of a line rather than on the next. */
const MIN_HERE = 18;

/** The longest line SMTP and RFC 5322 allow, without the CRLF. */
const MAX_LINE = 998;

/**
 * Whether a word (no whitespace in it) of field `name` must be encoded: a character outside
 * printable ASCII, `=?`, which a decoder could read as the start of an encoded word of its own, or
 * a length that no line could hold (encoded words can be split, a plain word cannot).
 */
function needsEncoding(name: string, word: string): boolean {
  return /[^\x21-\x7e]/.test(word) || word.includes('=?') || name.length + 2 + word.length > MAX_LINE;
}

/**
 * The Q encoding of each character of `text`: only letters, digits and `!*+-/` as they are (the
 * set RFC 2047 5(3) allows everywhere), a space as `_`, every other octet as =XX.
 */
function qPieces(text: string): string[] {
  return Array.from(text, (ch) => {
    if (/^[A-Za-z0-9!*+\-/]$/.test(ch)) return ch;
    if (ch === ' ') return '_';
    return Array.from(Buffer.from(ch, 'utf8'), (b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  });
}

/** A piece of the field: a word or an encoded word, and the whitespace before it. */
interface Piece {
  space: string;
  text: string;
}

/**
 * The field's value for `name: value`, folded with CRLF and a space. A CR or LF in the value is
 * read as a space, as Nodemailer does; whitespace at either end is not kept (decoders trim it).
 */
export function foldedHeaderText(name: string, value: string): string {
  const tokens = value.replace(/\r\n|\r|\n/g, ' ').trim().split(/([ \t]+)/);
  const lines: string[] = [];
  let line = `${name}:`;
  let empty = true; // nothing of the value on this line yet

  /** Whether the piece may start a new line: folding before its last space loses nothing. */
  const foldable = (p: Piece) => p.space.endsWith(' ');
  const place = (p: Piece) => {
    const joined = `${line}${empty ? ' ' : p.space}${p.text}`;
    if (!empty && joined.length > LINE && foldable(p)) {
      lines.push(line + p.space.slice(0, -1));
      line = ` ${p.text}`;
    } else {
      line = joined;
    }
    empty = false;
  };

  /**
   * Places a run of words to encode as encoded words, each as long as RFC 2047 and the line
   * allow; the next line is started first when little of the run would fit on this one.
   */
  const placeEncoded = (space: string, text: string) => {
    const pieces = qPieces(text);
    for (let sep = space; pieces.length; sep = ' ') {
      const here = Math.min(WORD, LINE - line.length - (empty ? 1 : sep.length)) - PREFIX.length - SUFFIX.length;
      const fresh = !empty && sep.endsWith(' ') && here < Math.min(pieces.join('').length, MIN_HERE);
      let take = Math.max(1, fit(pieces, fresh ? WORD - PREFIX.length - SUFFIX.length : here));
      // Cut after a space of the text if there is one in the word's latter half: words stay whole.
      if (take < pieces.length) {
        const lastSpace = pieces.slice(0, take).lastIndexOf('_');
        if (lastSpace >= take / 2) take = lastSpace + 1;
      }
      const word = `${PREFIX}${pieces.splice(0, take).join('')}${SUFFIX}`;
      if (fresh) {
        lines.push(line + sep.slice(0, -1));
        line = ` ${word}`;
      } else {
        line = `${line}${empty ? ' ' : sep}${word}`;
      }
      empty = false;
    }
  };

  // tokens alternate word, whitespace, word, …; a run of words to encode takes its inner spaces.
  let run: { space: string; text: string } | null = null;
  let space = '';
  for (let i = 0; i < tokens.length; i += 2) {
    const word = tokens[i]!;
    const next = tokens[i + 1] ?? '';
    if (word && needsEncoding(name, word)) {
      if (run) run.text += space + word;
      else run = { space, text: word };
    } else if (word) {
      if (run) {
        placeEncoded(run.space, run.text);
        run = null;
      }
      place({ space, text: word });
    }
    space = next;
  }
  if (run) placeEncoded(run.space, run.text);
  lines.push(line);
  return lines.join('\r\n').slice(name.length + 2);
}

/** How many of `pieces` fit in `room` characters. */
function fit(pieces: string[], room: number): number {
  let n = 0;
  let used = 0;
  while (n < pieces.length && used + pieces[n]!.length <= room) used += pieces[n++]!.length;
  return n;
}

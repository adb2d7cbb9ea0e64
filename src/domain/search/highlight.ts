/**
 * Highlighted text without HTML: PostgreSQL's ts_headline marks matches with two private-use
 * characters, which are split here into segments. A view escapes each segment and wraps the
 * matching ones; JSON and the terminal read the same segments. The markers are removed from the
 * stored text before ts_headline runs, so a page cannot fake a highlight.
 */

export const MARK_START = '\uE000';
export const MARK_END = '\uE001';
/** Both markers, for SQL translate() to strip them from stored text. */
export const MARKS = MARK_START + MARK_END;

export interface Segment {
  text: string;
  /** The segment matched a search term. */
  match: boolean;
}

/** "a \uE000bond\uE001ing" → [{a , false}, {bond, true}, {ing, false}]; adjacent equal kinds merge. */
export function segments(marked: string): Segment[] {
  const out: Segment[] = [];
  let match = false;
  let text = '';
  const flush = () => {
    if (!text) return;
    const last = out[out.length - 1];
    if (last && last.match === match) last.text += text;
    else out.push({ text, match });
    text = '';
  };
  for (const ch of marked) {
    if (ch === MARK_START || ch === MARK_END) {
      flush();
      match = ch === MARK_START;
    } else {
      text += ch;
    }
  }
  flush();
  return out;
}

/** The plain text of segments. */
export function plain(segs: Segment[]): string {
  return segs.map((s) => s.text).join('');
}

/**
 * A snippet of Markdown (an abstract, meeting notes) as the words it shows: "**BPF**" as BPF,
 * `code` and [a link](url) as their text, without heading, list and quote marks at the start of
 * a line. Run on ts_headline's output, markers included: they sit on the words, never on marks.
 * Single underscores stay (bpf_loop, AF_XDP).
 */
export function markdownWords(marked: string): string {
  return marked
    .replace(/!?\[([^\]\n]*)\]\([^)\s]*\)/g, '$1')
    .replace(/(^|\n)[ \t]*(#{1,6}|>+|[-*+]|\d+[.)])[ \t]+/g, '$1')
    .replace(/\*\*|__|`+/g, '')
    .replace(/(^|[\s(])\*([^*\s][^*\n]*?)\*(?=[\s.,;:!?)]|$)/g, '$1$2');
}

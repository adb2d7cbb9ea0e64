/**
 * Topic lists that are not an agenda: the numbered "(Tentative) Topics" with descriptions (2004)
 * and the "Topics/Invitees" table of names with zero or more topics each (2019).
 */
import { isInviteeHeader } from './agenda-columns.js';
import { clean, isBlank, squash } from './line-text.js';
import { type PageContext, noteGuess } from './page-context.js';
import type { ParsedPage, ParsedTopic } from './page-model.js';
import type { Section } from './page-sections.js';
import type { NameBook } from './speaker-names.js';

/** Words after which a capitalised word still belongs to the title ("DMA and Receive …"). */
const JOINERS = new Set([
  'and', 'or', 'nor', 'of', 'for', 'in', 'on', 'to', 'with', 'the', 'a', 'an', 'vs', 'vs.',
  'via', 'at', 'by', 'from', 'into', 'over', 'under', '&', '-', '–',
]);

/**
 * A numbered topic runs its title and description together: "Early Traffic Control I don't know
 * much …". The description starts at the first word that opens a sentence: a capitalised word
 * (or "I") that does not follow a joining word, is followed by a lowercase word, and leads into
 * at least three words that end a sentence (or six words).
 */
export function splitTopicText(text: string): { title: string; description?: string } {
  const words = squash(text).split(' ');
  for (let i = 1; i < words.length; i++) {
    const w = words[i] ?? '';
    const prev = (words[i - 1] ?? '').toLowerCase();
    const next = words[i + 1];
    const opener = /^\p{Lu}\p{Ll}+$/u.test(w) || /^I(?:['’]\p{Ll}+)?$/u.test(w);
    if (!opener || JOINERS.has(prev) || !next || !/^\p{Ll}/u.test(next)) continue;
    const rest = words.slice(i);
    if (rest.length < 3 || (!/[.!?]$/.test(rest.join(' ')) && rest.length < 6)) continue;
    return { title: words.slice(0, i).join(' '), description: rest.join(' ') };
  }
  return { title: squash(text) };
}

export function parseProposedTopics(section: Section, ctx: PageContext): ParsedTopic[] {
  const topics: ParsedTopic[] = [];
  let current: ParsedTopic | undefined;
  for (const line of section.lines) {
    if (isBlank(line)) continue;
    const text = clean(line.text);
    const numbered = /^(\d+)[.)]\s+(.*)$/.exec(text);
    const listed = numbered !== null || line.tag === 'li' || line.tag === 'dt';
    if (!listed && current && (line.tag === 'dd' || line.tag === undefined || line.tag === 'p')) {
      current.description = current.description ? `${current.description} ${text}` : text;
      continue;
    }
    if (!listed) {
      ctx.skip(line, 'not a numbered topic');
      continue;
    }
    const body = numbered ? (numbered[2] ?? '') : text;
    const number = numbered ? Number(numbered[1]) : topics.length + 1;
    const bold = line.bold?.[0];
    let split: { title: string; description?: string };
    if (bold && body.startsWith(bold)) {
      const rest = body.slice(bold.length).replace(/^[\s:.–—-]+/, '').trim();
      split = { title: bold.replace(/[:.]$/, ''), ...(rest ? { description: rest } : {}) };
    } else if (line.tag === 'dt') {
      split = { title: body };
    } else {
      split = splitTopicText(body);
    }
    current = { line: line.line, number, title: split.title, presenters: [] };
    if (split.description) current.description = split.description;
    topics.push(current);
  }
  return topics;
}

const NO_TOPIC = /^(?:n\/?a|tbd|tba|none|-|—|–)$/i;

/**
 * "Daniel Borkmann BPF mesh device …" opens an invitee with one topic (commas do not split it);
 * a line that does not start with a name is another topic of the invitee above; "N/A" is none.
 */
export function parseInviteeTopics(
  section: Section,
  ctx: PageContext,
  names: NameBook,
): ParsedPage['inviteeTopics'] {
  const out: ParsedPage['inviteeTopics'] = [];
  let current: ParsedPage['inviteeTopics'][number] | undefined;
  for (const line of section.lines) {
    if (isBlank(line) || isInviteeHeader(line)) continue;
    const text = clean(line.text);
    let name: string | undefined;
    let topic = text;
    // A cell may hold several topics, one per line (<br> or a paragraph each).
    let more: string[] = [];
    let guessed = false;
    if (line.cells && line.cells.length >= 2) {
      name = squash(line.cells[0] ?? '') || undefined;
      [topic = '', ...more] = line.cells.slice(1).flatMap((c) => c.split('\n')).map(squash).filter((t) => t !== '');
    } else {
      const found = names.find(text, 'start');
      if (found && found.start === 0) {
        name = found.name;
        topic = text.slice(found.end).trim();
        guessed = found.guessed;
      }
    }
    if (name !== undefined) {
      if (guessed) noteGuess(ctx, names, line.line, name, 'invitee');
      current = { line: line.line, name, topics: [topic, ...more].filter((t) => t !== '' && !NO_TOPIC.test(t)) };
      out.push(current);
      continue;
    }
    if (current) current.topics.push(...[topic, ...more].filter((t) => t !== ''));
    else ctx.skip(line, 'a topic before any invitee');
  }
  return out;
}

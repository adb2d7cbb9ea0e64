/**
 * Agenda table headers: "Time Speaker Topics", "Time Name Topic", "Time Topic Presentation",
 * and the invitee table's "Name Topic". Column words decide where the speaker is: before the
 * topic (speaker-first) or after it ("Time Topic Presentation": the presenter closes the row).
 */
import { clean } from './line-text.js';
import type { SourceLine } from './page-model.js';

export interface Columns {
  /** The header as written. */
  text: string;
  /** Cell indexes (for HTML rows); speaker is -1 in a table without a speaker column. */
  time: number;
  speaker: number;
  topic: number;
  /** The Room column's index, -1 when the table has none. */
  room: number;
  count: number;
  /** The speaker is written before the topic. */
  speakerFirst: boolean;
}

const SPEAKER = /^(?:speakers?|names?|presenters?|who|by|presented by|invitees?)$/i;
const TOPIC = /^(?:topics?|titles?|subjects?|talks?|sessions?|descriptions?)$/i;
const PRESENTATION = /^presentations?$/i;
const TIME = /^time$/i;
const ROOM = /^(?:rooms?|where|venue)$/i;

export type HeaderMatch = { columns: Columns } | { unknown: string } | null;

function headerWords(line: SourceLine): string[] {
  if (line.cells && line.cells.length > 1) return line.cells.map((c) => clean(c)).filter((c) => c !== '');
  return clean(line.text).split(' ');
}

/**
 * Whether the line is an agenda table header. A line that starts with the word "Time" followed
 * by one to four capitalised words is a header; if its columns are not a time, a speaker and a
 * topic, `unknown` says why.
 */
export function agendaHeader(line: SourceLine): HeaderMatch {
  const words = headerWords(line);
  const [first, ...rest] = words;
  if (!first || !TIME.test(first) || rest.length < 1 || rest.length > 4) return null;
  if (!rest.every((w) => /^[\p{Lu}][\p{L}()/ ]*$/u.test(w))) return null;
  const text = clean(line.text);
  let speaker = -1;
  let topic = -1;
  let room = -1;
  const roles = rest.map((w) => (SPEAKER.test(w) ? 'speaker' : TOPIC.test(w) ? 'topic' : PRESENTATION.test(w) ? 'presentation' : ROOM.test(w) ? 'room' : 'unknown'));
  const hasTopic = roles.includes('topic');
  for (const [i, role] of roles.entries()) {
    const r = role === 'presentation' ? (hasTopic ? 'speaker' : 'topic') : role;
    if (r === 'speaker' && speaker < 0) speaker = i + 1;
    else if (r === 'topic' && topic < 0) topic = i + 1;
    else if (r === 'room' && room < 0 && line.cells && line.cells.length > 1) room = i + 1;
    else if (r === 'room' && room < 0) {
      return {
        unknown:
          `agenda table header '${text}' has a ${rest[i]} column, which only an HTML table's cells tell apart from the speaker and topic: ` +
          `import the page's HTML, or leave the column out`,
      };
    } else {
      return {
        unknown:
          `unknown agenda table header '${text}': expected a Time column, a speaker column ` +
          `(Speaker, Name, Presenter) and a topic column (Topic, Topics, Presentation)`,
      };
    }
  }
  if (topic < 0) {
    return { unknown: `unknown agenda table header '${text}': it has no topic column (Topic, Topics, Presentation)` };
  }
  return {
    columns: { text, time: 0, speaker, topic, room, count: words.length, speakerFirst: speaker < topic },
  };
}

/** The invitee table's header: "Name Topic", "Invitee Topics". */
export function isInviteeHeader(line: SourceLine): boolean {
  return /^(?:names?|invitees?|speakers?|presenters?|who)\s+topics?$/i.test(headerWords(line).join(' '));
}

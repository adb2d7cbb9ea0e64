/**
 * The page's field headers: "• Location : Chicago, IL", "• Date: …", "• Sponsor(s) :",
 * "• Committee:", "• Attendees (by invitation only)", "• Meeting notes(from Ben Hutchings)",
 * "• (Tentative) Topics/Agenda/Schedule :", "• Topics/Invitees :", "References/Resources",
 * "Slides and Photos from Netconf 2004".
 */
import { clean, indentOf, isBulleted } from './line-text.js';
import type { SectionKey, SourceLine } from './page-model.js';

/** 'topics' is decided by its content: an agenda, a numbered list, or an invitee table. */
export type FieldKey = SectionKey | 'topics' | 'unknown';

export interface FieldHeader {
  key: FieldKey;
  /** The label as written, without "(Tentative)" and the colon. */
  label: string;
  /** Text after the colon on the same line. */
  value: string;
  tentative: boolean;
  /** "Meeting notes(from Ben Hutchings)" → "Ben Hutchings". */
  from?: string;
}

const KEYS: { re: RegExp; key: FieldKey }[] = [
  { re: /^(?:location|venue|place|where)$/i, key: 'location' },
  { re: /^(?:dates?|when)$/i, key: 'dates' },
  { re: /^sponsors?(?:\s*\(s\))?$/i, key: 'sponsors' },
  { re: /^(?:(?:program|programme|organi[sz]ing|steering)\s+)?committee$|^organi[sz]ers$/i, key: 'committee' },
  { re: /^(?:attendees|participants)\b.*$/i, key: 'attendees' },
  { re: /^meeting\s+(?:notes|minutes)\b.*$/i, key: 'notes' },
  { re: /^(?:topics?\s*\/\s*invitees?|invitees?\s*\/\s*topics?|topics per invitee)$/i, key: 'invitee-topics' },
  { re: /^(?:agenda|schedule|program|programme)(?:\s*\/\s*(?:topics?|agenda|schedule|program))*$/i, key: 'agenda' },
  { re: /^topics?(?:\s*\/\s*(?:agenda|schedule|program))*$/i, key: 'topics' },
  { re: /^(?:references?|resources|links)(?:\s*\/\s*(?:references?|resources|links))*$/i, key: 'references' },
  { re: /^(?:slides|photos|presentations|materials|videos)\b.*$/i, key: 'materials' },
];

function classify(label: string): FieldKey | null {
  return KEYS.find((k) => k.re.test(label))?.key ?? null;
}

/**
 * The field header a line starts, or null. Content lines of the text rendering are indented
 * four spaces or more; a header is bulleted or less indented. A bulleted "Label : value" with an
 * unknown label is an 'unknown' header (its lines are skipped with the label as the reason).
 */
export function fieldHeader(line: SourceLine): FieldHeader | null {
  const bulleted = isBulleted(line.text);
  if (!bulleted && indentOf(line.text) >= 4) return null;
  const body = clean(line.text);
  if (body === '' || body.length > 120) return null;
  let rest = body;
  let tentative = false;
  const tent = /^\(tentative\)\s*/i.exec(rest);
  if (tent) {
    tentative = true;
    rest = rest.slice(tent[0].length);
  }
  const colon = /^([^:]{1,60}?)\s*:\s*(.*)$/.exec(rest);
  const candidates: [string, string][] = colon ? [[colon[1] ?? '', colon[2] ?? ''], [rest, '']] : [[rest, '']];
  for (const [rawLabel, value] of candidates) {
    const from = /^(.*?)\s*\(\s*from\s+([^)]+)\)\s*$/i.exec(rawLabel);
    const label = (from ? (from[1] ?? '') : rawLabel).trim();
    const key = classify(label);
    if (!key) continue;
    if (key === 'materials' && (colon || body.length > 80)) continue;
    const header: FieldHeader = { key, label, value: value.trim(), tentative };
    if (from?.[2]) header.from = from[2].trim();
    return header;
  }
  if (bulleted && colon && /^[A-Za-z][\w ()/'-]{0,40}$/.test(colon[1] ?? '')) {
    return { key: 'unknown', label: (colon[1] ?? '').trim(), value: (colon[2] ?? '').trim(), tentative };
  }
  return null;
}

/**
 * What a reply says. Only the person's own words count: quoted text ("> …") and the marks of a
 * trimmed quote ("[...]", "<snip>"), the attribution
 * line before it ("On Mon, … wrote:", over one or two lines; mutt's "* Name <addr> [date]:" and
 * the like before quoted lines), everything after a signature
 * separator ("-- ") or an "-----Original Message-----" / Outlook "From: … Sent: …" block is cut.
 * One greeting line ("Hi Jamal,", "Hello all") is skipped. Then the first line that is left
 * decides, by the phrase lists below, and nothing else is guessed:
 *
 * - a line with a question mark asks rather than answers ("Yes?"), and decides nothing;
 * - the line is cut into clauses at , . ; : ! ( ) and dashes;
 * - every clause must be made only of phrases from the lists (longest first) and polite words;
 * - at least one phrase says yes (ACCEPT) or no (DECLINE), never both;
 * - regrets ("unfortunately", "sadly", "sorry") may go with a no, never alone or with a yes;
 * - "actually" or "well" may open the line ("Actually, yes", "Well, no"), and counts for nothing;
 * - a change of plans or of mind ("my plans changed") goes with either answer and decides nothing.
 *
 * So "Yes, I'll be there!", "Count me in, thanks" and "Unfortunately, I can't make it this
 * year" decide; "Yes, but only on Tuesday", "No idea yet", "Maybe" and "Thanks!" do not: they go
 * to the committee. docs/inbound-mail.md lists the phrases.
 */

export type ReplyAnswer = 'accept' | 'decline' | 'unclear';

/** Phrases that say yes (lowercase, straight apostrophes). */
export const ACCEPT_PHRASES = [
  'yes', 'yep', 'yeah', 'yup', 'ack', 'accept', 'accepted', 'i accept', 'i gladly accept', 'i happily accept',
  'count me in', "i'm in", 'i am in', "i'll be there", 'i will be there', "i'll attend", 'i will attend',
  "i'll come", 'i will come', "i'll be attending", 'i will be attending', "i'll join", 'i will join',
  'sure', 'of course', 'absolutely', 'definitely', 'gladly', 'with pleasure', 'happily',
  "i'd love to", 'i would love to', "i'd love to come", 'i would love to come', "i'd love to attend", 'i would love to attend',
  'happy to attend', 'happy to come', 'happy to join', "i'm happy to attend", "i'm happy to come", 'i am happy to attend', 'i am happy to come',
  'looking forward to it', 'see you there', 'see you in person',
] as const;

/** Phrases that say no. */
export const DECLINE_PHRASES = [
  'no', 'nope', 'nack', 'decline', 'i decline', 'i must decline', 'i have to decline', 'i need to decline', 'i will decline',
  "can't make it", 'cannot make it', 'can not make it', "i can't make it", 'i cannot make it', 'i can not make it',
  "can't come", 'cannot come', "i can't come", 'i cannot come', "can't attend", 'cannot attend', "i can't attend", 'i cannot attend',
  "i won't be there", 'i will not be there', "i won't make it", 'i will not make it', "i won't be able to make it", "i won't be able to attend", 'i will not be able to attend',
  "i'm unable to attend", 'i am unable to attend', 'unable to attend', "i'm not able to attend", 'i am not able to attend',
  'not this time', 'not this year', 'unfortunately not', 'sadly not', "i'll pass", 'i will pass', 'i have to pass', 'count me out',
  'no thanks', 'no thank you', 'sorry no',
] as const;

/** Words that go with either answer and decide nothing. */
const POLITE = [
  'thanks', 'thank you', 'thanks a lot', 'thank you very much', 'many thanks', 'thanks again', 'cheers', 'please', 'great',
  'thanks for the invitation', 'thanks for the invite', 'thank you for the invitation', 'thank you for the invite',
  'thanks for inviting me', 'thank you for inviting me', 'after all', 'ok', 'okay', 'hi', 'hello', 'hey', 'all', 'and', 'this year', 'this time',
  // Why the answer is what it is, or differs from the last: "Actually, yes - my plans changed."
  'my plans changed', 'my plans have changed', 'plans changed', 'change of plans',
  'i changed my mind', "i've changed my mind", 'i have changed my mind',
];

/** Words of regret: with a no only. */
const REGRETS = ['unfortunately', 'sadly', 'sorry', "i'm sorry", 'i am sorry', "i'm afraid", 'i am afraid', 'regretfully', 'alas'];

/** A word that may open the line and says nothing by itself ("Actually, yes", "Well, no"); never elsewhere. */
const LEADING_FILLER = /^(?:actually|well)\b[\s,]*/;

type Kind = 'accept' | 'decline' | 'polite' | 'regret';
const PHRASES: [string, Kind][] = [
  ...ACCEPT_PHRASES.map((p): [string, Kind] => [p, 'accept']),
  ...DECLINE_PHRASES.map((p): [string, Kind] => [p, 'decline']),
  ...POLITE.map((p): [string, Kind] => [p, 'polite']),
  ...REGRETS.map((p): [string, Kind] => [p, 'regret']),
].sort((a, b) => b[0].length - a[0].length);

/**
 * A line that introduces the quote: "… wrote:", and the forms that name the writer after the
 * verb ("Am 02.03.26 um 09:00 schrieb Netconf committee <netconf@example.org>:", "Op … schreef
 * …:"): the verb, then no colon but the one ending the line.
 */
const WRITES = /(\bwrote|\ba écrit|\bschrieb|\bschreef|\bescribió|\bha scritto)/i;
const ATTRIBUTION = new RegExp(`${WRITES.source}[^:]*:\\s*$`, 'i');
/**
 * Attributions that say no "wrote", cut only where quoted lines follow them (blank lines
 * between allowed), as a sentence of the person's own could look the same: mutt's as kernel
 * people set it ("* Netconf committee <committee@netconf.test> [2026-12-07 21:41:22 +0000]:"),
 * Gnus's ("Netconf committee <committee@netconf.test> writes:") and Horde's ("Quoting Netconf
 * committee (2026-12-07):").
 */
const QUOTE_INTRO = /^(\*\s.*\[[^\]]*\]|.*\bwrites|quoting\s.*)\s*:$/i;
const GREETING = /^(hi|hello|hey|dear|hallo|greetings|good (morning|afternoon|evening))\b[^.!?]{0,60}[,!]?$/i;
const CUT = /^(-----\s*original message\s*-----|_{10,}|sent from my \S.*)$/i;
/** Where a reply trimmed the quote: "[...]", "[snip]", "<snip>", "…" alone on a line. */
const SNIP = /^(\[\s*(\.{2,}|…|snip(ped)?|trimmed|cut)\s*\]|<\s*(\.{2,}|…|snip(ped)?)\s*>|\.{3,}|…)$/i;

/** Whether the first non-blank line from `from` on is quoted ("> …"). */
function quoteFollows(lines: string[], from: number): boolean {
  for (let i = from; i < lines.length; i++) {
    const t = lines[i]!.trim();
    if (t !== '') return t.startsWith('>');
  }
  return false;
}

/**
 * The person's own lines: before any signature or forwarded/original block, without quoted
 * lines and attributions. Leading and trailing blank lines removed.
 */
export function ownLines(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const t = line.trim();
    if (/^-- ?$/.test(line) || CUT.test(t)) break;
    // Outlook's forwarded block: "From: …" then "Sent: …" (or "Date: …").
    if (/^from:\s/i.test(t) && /^(sent|date):\s/i.test(lines[i + 1]?.trim() ?? '')) break;
    if (t.startsWith('>') || SNIP.test(t)) continue;
    if (ATTRIBUTION.test(t) || (QUOTE_INTRO.test(t) && quoteFollows(lines, i + 1))) continue;
    // "On Mon, 1 Mar 2026 at 12:00, Netconf committee" + "<committee@…> wrote:" on the next line.
    if (/^on\s/i.test(t) && i + 1 < lines.length && ATTRIBUTION.test(lines[i + 1]!.trim())) {
      i++;
      continue;
    }
    // "Am 02.03.26 um 09:00 schrieb Netconf committee" + "<netconf@example.org>:" on the next line.
    if (WRITES.test(t) && i + 1 < lines.length && /^<[^<>\s]+@[^<>\s]+>\s*:\s*$/.test(lines[i + 1]!.trim())) {
      i++;
      continue;
    }
    out.push(line.replace(/\s+$/, ''));
  }
  while (out.length && out[0]!.trim() === '') out.shift();
  while (out.length && out[out.length - 1]!.trim() === '') out.pop();
  return out;
}

/** The line that decides: the first non-empty own line, after one greeting line; '' when none. */
export function decidingLine(text: string): string {
  const lines = ownLines(text).filter((l) => l.trim() !== '');
  if (lines.length > 1 && GREETING.test(lines[0]!.trim()) && !classifyLine(lines[0]!).decided) return lines[1]!.trim();
  return lines[0]?.trim() ?? '';
}

function normalize(line: string): string {
  return line
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`´]/g, "'")
    .replace(/[\u201c\u201d"*_]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Reads one clause as a run of known phrases; null when some words are not in the lists. */
function phrasesOf(clause: string): Kind[] | null {
  const kinds: Kind[] = [];
  let rest = clause.trim();
  while (rest) {
    const hit = PHRASES.find(([p]) => rest === p || rest.startsWith(`${p} `));
    if (!hit) return null;
    kinds.push(hit[1]);
    rest = rest.slice(hit[0].length).trim();
  }
  return kinds;
}

function classifyLine(line: string): { answer: ReplyAnswer; decided: boolean } {
  // "Yes?" asks; it does not answer.
  if (line.includes('?')) return { answer: 'unclear', decided: false };
  // "Actually, yes" / "Well no": the word only sets the answer off, at the start alone.
  const clauses = normalize(line)
    .replace(LEADING_FILLER, '')
    .split(/[,.;:!?()\[\]]+|\s[-–—]+\s|\s[-–—]+$|^[-–—]+\s/)
    .map((c) => c.trim())
    .filter((c) => c && !/^[-–—~=+<>3dp')(\s]*$/.test(c));
  const kinds: Kind[] = [];
  for (const c of clauses) {
    const k = phrasesOf(c);
    if (!k) return { answer: 'unclear', decided: false };
    kinds.push(...k);
  }
  const yes = kinds.includes('accept');
  const no = kinds.includes('decline');
  if (yes && !no && !kinds.includes('regret')) return { answer: 'accept', decided: true };
  if (no && !yes) return { answer: 'decline', decided: true };
  return { answer: 'unclear', decided: false };
}

/** What a reply answers: accept, decline, or unclear (for the committee to read). */
export function classifyReply(text: string): { answer: ReplyAnswer; line: string } {
  const line = decidingLine(text);
  return { answer: line ? classifyLine(line).answer : 'unclear', line };
}

const CLOSING = /^(thanks|thank you|many thanks|thanks again|cheers|regards|best regards|kind regards|warm regards|best|all the best|br|greetings)\b[,.!]?/i;
/** A name signing off: a few words, the first capitalised, no sentence ("Eve", "Willem de Bruijn"). */
const SIGNER = /^[-–—\s]*\p{Lu}[\p{L}.'’-]*(\s+[\p{L}][\p{L}.'’-]*){0,3}$/u;

/**
 * The lines without a closing at their end: "Thanks, Eve", or "Cheers," then "Eve" on its own
 * line, or a closing alone. A line that says more than that stays.
 */
function withoutClosing(lines: string[]): string[] {
  const out = [...lines];
  const trimEnd = () => {
    while (out.length && out[out.length - 1]!.trim() === '') out.pop();
  };
  trimEnd();
  const last = out[out.length - 1]?.trim() ?? '';
  const before = out[out.length - 2]?.trim() ?? '';
  const closingAlone = (l: string) => CLOSING.test(l) && l.replace(CLOSING, '').trim() === '';
  if (CLOSING.test(last) && (closingAlone(last) || SIGNER.test(last.replace(CLOSING, '').trim()))) out.pop();
  else if (SIGNER.test(last) && closingAlone(before)) out.splice(-2, 2);
  trimEnd();
  return out;
}

/**
 * Own lines (ownLines) as an abstract: without a greeting line before them and a closing after
 * them. A topic mail's abstract (topic-mail.ts) is this, less its Length: and Co-presenter: lines.
 */
export function abstractOf(lines: string[]): string {
  const first = lines.findIndex((l) => l.trim() !== '');
  // "Hi," or "Hello committee," before the abstract is said to the committee, not part of it;
  // so is "Thanks, Eve" after it.
  const rest = withoutClosing(first >= 0 && GREETING.test(lines[first]!.trim()) ? lines.slice(first + 1) : lines);
  const own = rest.join('\n').trim();
  return own === '' ? lines.join('\n').trim() : own;
}

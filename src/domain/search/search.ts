/**
 * Search over every edition: talks (with their slides' labels), topics, speakers, meeting notes,
 * people, and editions by their subtitle, place, co-located event, sponsors and notes' authors, with PostgreSQL full-text search
 * (it runs the same on PGlite). The query is web-search syntax as websearch_to_tsquery reads it:
 * words, "quoted phrases", -excluded, or. English stemming makes "bonding" find "bond" and
 * "bonding"; accents are folded ("hoiland" finds Høiland); a hyphenated word is a phrase
 * ("af-xdp" finds AF_XDP), in the text as in the query ("5549" finds RFC-5549); a word of a
 * group of equivalent terms finds the others ("bpf" finds eBPF: equivalent-terms.ts). Results are
 * ranked (ts_rank over weighted text: titles before speakers before abstracts), with highlighted
 * snippets (ts_headline) and counts per year. Hits of equal rank, common (every title match of
 * a one-word query ranks alike), come newest edition first, then by day and time, then by title
 * (letter case aside, compared code point by code point so that PGlite and PostgreSQL agree
 * whatever their collation), so that a page, the next page, the web and the terminal agree.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { parseInput } from '../validate.js';
import { SPLITTING_MARK, matchingDocuments, type DocumentRow } from './documents.js';
import { EQUIVALENT_TERMS, withEquivalentTerms } from './equivalent-terms.js';
import { MARK_END, MARK_START, MARKS, markdownWords, segments, type Segment } from './highlight.js';

export const MAX_QUERY_LENGTH = 200;

export type HitType = DocumentRow['type'];

export interface SearchHit {
  type: HitType;
  /** What it is, in words: "Talk", "Discussion", "Topic", "Meeting notes", "Person", "Edition" … */
  what: string;
  edition: { series: string; seriesName: string; year: number; title: string } | null;
  /** Where on the edition page ("agenda", "proposed-topics", "notes" …); null for a person. */
  anchor: string | null;
  /** The person's page, for a person. */
  personSlug: string | null;
  date: string | null;
  time: string | null;
  title: Segment[];
  /** A talk's own title, a material's subject, a person's other names, an edition's place; null where it would repeat the title. */
  subtitle: Segment[] | null;
  /** Fragments of an abstract or of notes around the matches; an edition's sponsors and notes' authors. */
  snippet: Segment[] | null;
  /** Speakers, presenters or the notes' author, their names highlighted where they match. */
  people: { slug: string; name: string; highlighted: Segment[] }[];
  rank: number;
}

export interface SearchResult {
  query: string;
  year: number | null;
  /** Hits in the year asked for, or in all years and people. */
  total: number;
  /** Hits per edition year, newest first, whatever year was asked for. */
  perYear: { year: number; count: number }[];
  /** Person hits (they have no year). */
  people: number;
  limit: number;
  offset: number;
  hits: SearchHit[];
  /** How the query was read where it was not as written (an unclosed quote, ignored operators). */
  notices: string[];
  /**
   * What to know of a search that found nothing at all (WHOLE_WORDS_HINT, or LEFT_OUT_HINT where
   * the words left out took away what the others find); null where it found something, in any
   * year, or where the query had nothing to search for (a notice says why).
   */
  hint: string | null;
  /**
   * The query had nothing to search for (only very common words or punctuation, or only words
   * left out): no word was looked up, and the last notice says why. That is the whole answer:
   * "Nothing found" beside it would say the same twice.
   */
  unsearchable: boolean;
}

/** Why an empty query is refused: the web's JSON and the terminal say it (the page shows its form). */
export const EMPTY_QUERY = 'type a word or two to search for';

/**
 * A query as it is searched: control characters and our highlight markers mean nothing in a
 * query (and NUL breaks SQL), so they are spaces; then trimmed. Empty is no query.
 */
export function queryText(query: string): string {
  return query.replace(/[\u0000-\u001f\u007f\uE000\uE001]/g, ' ').trim();
}

const input = z.object({
  query: z
    .string({ error: EMPTY_QUERY })
    .max(MAX_QUERY_LENGTH, `is too long: at most ${MAX_QUERY_LENGTH} characters, please`)
    .transform(queryText)
    .pipe(z.string().min(1, EMPTY_QUERY)),
  year: z.coerce.number().int().min(1900).max(2999).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

export type SearchInput = z.input<typeof input>;

const SLOT_KINDS: Record<string, string> = { talk: 'Talk', discussion: 'Discussion', break: 'Break', meal: 'Meal', social: 'Social event' };
const TOPIC_ORIGINS: Record<string, string> = { 'proposed-list': 'Proposed topic', invitee: 'Topic', proposal: 'Topic' };
const MATERIAL_KINDS: Record<string, string> = {
  notes: 'Meeting notes',
  slides: 'Slides',
  photo: 'Photo',
  'group-photo': 'Group photo',
  animation: 'Animation',
  whitepaper: 'Paper',
  video: 'Video',
};

function what(type: HitType, subkind: string | null): string {
  if (type === 'talk') return SLOT_KINDS[subkind ?? ''] ?? 'Talk';
  if (type === 'topic') return TOPIC_ORIGINS[subkind ?? ''] ?? 'Topic';
  if (type === 'person') return 'Person';
  if (type === 'edition') return 'Edition';
  return MATERIAL_KINDS[subkind ?? ''] ?? 'Material';
}

/** Where the query will not be read as typed, said in words (the search still runs). */
export function queryNotices(query: string): string[] {
  const notices: string[] = [];
  if ((query.match(/"/g)?.length ?? 0) % 2 === 1)
    notices.push('A quotation mark was not closed: the words after it were searched as a phrase.');
  // Only those typed: a list of them all, when one backslash was typed, does not say what was.
  // + and # as well: +word asks for a word in other searches, and c++ or #xdp are typed as such.
  const ignored = [...'&|!():*<>\\+#'].filter((c) => query.includes(c));
  if (ignored.length > 0)
    notices.push(
      `${ignored.length === 1 ? `The character ${ignored[0]} is not an operator here and was` : `The characters ${ignored.join(' ')} are not operators here and were`} ignored. ` +
        'Write -word to leave a word out, "two words" for a phrase, and or between alternatives.',
    );
  return notices;
}

/**
 * A hyphenated word is searched as the phrase of its parts: "af-xdp" as "af xdp", "RFC-5549" as
 * "rfc 5549". Search reads the text so (documents.ts, `words`), and the parser splits AF_XDP
 * into af and xdp; as a query word "af-xdp" would also require the compound itself, which the
 * text no longer holds. Words joined by a slash likewise: "bridging/stp" is the phrase "bridging
 * stp". Inside quotes the parts join the phrase.
 */
export function compoundsAsPhrases(query: string): string {
  let quoted = false;
  return query
    .split(/(")/)
    .map((part) => {
      if (part === '"') {
        quoted = !quoted;
        return part;
      }
      return part.replace(/(?<![\p{L}\p{N}._])[\p{L}\p{N}](?:[\p{L}\p{N}._]*[\p{L}\p{N}])?(?:[-/][\p{L}\p{N}](?:[\p{L}\p{N}._]*[\p{L}\p{N}])?)+/gu, (w) => {
        const phrase = w.replace(/[-/]/g, ' ');
        return quoted ? phrase : `"${phrase}"`;
      });
    })
    .join('');
}

/** The tsquery of what was typed, each word of equivalent-terms.ts widened to its group ("bpf" to bpf or ebpf). */
export function searchQuery(query: string): RawBuilder<unknown> {
  return withEquivalentTerms(sql`websearch_to_tsquery('conclave_text', ${compoundsAsPhrases(query)})`);
}

/** Title-like text: highlight every match, keep the whole text. */
const WHOLE = `StartSel=${MARK_START}, StopSel=${MARK_END}, HighlightAll=true`;
/** The most words a fragment of a long text shows. */
const FRAGMENT_WORDS = 24;
/** Long text: up to three fragments around the matches. */
const FRAGMENTS = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxFragments=3, MaxWords=${FRAGMENT_WORDS}, MinWords=8, FragmentDelimiter=" … "`;

/**
 * A text's snippet: whole when it is no longer than one fragment, else fragments. ts_headline's
 * fragments drop short words (ShortWord, three letters) at their ends, so that a short text
 * ended at its last match: "Sponsors: … Zorblat" of "… Zorblat, Inc.".
 */
function snippet(text: RawBuilder<unknown>, tsq: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`case when array_length(regexp_split_to_array(btrim(${text}), '\s+'), 1) <= ${sql.lit(FRAGMENT_WORDS)}
    then ${headline(text, tsq, WHOLE)} else ${headline(text, tsq, FRAGMENTS)} end`;
}

/** A zero-width space: after a hyphen, a slash or an angle bracket, it makes the parser read the words on both sides apart. */
const ZWSP = '\u200b';

/**
 * ts_headline of a text as search reads it (words joined by a hyphen or a slash, or in angle
 * brackets, are words: documents.ts), yet shown as written: each such mark is followed by a zero-width space while the
 * parser reads it, and the space is taken out again.
 */
function headline(text: RawBuilder<unknown>, tsq: RawBuilder<unknown>, options: string): RawBuilder<string> {
  return sql<string>`replace(ts_headline('conclave_text', regexp_replace(translate(${text}, ${MARKS}, ''), ${sql.lit(SPLITTING_MARK)}, ${`\\1\\2${ZWSP}`}, 'g'), ${tsq}, ${options}), ${ZWSP}, '')`;
}

interface PageRow extends Omit<DocumentRow, 'people'> {
  rank: number;
  title_hl: string;
  subtitle_hl: string | null;
  body_hl: string | null;
  people_hl: PersonRow[] | string | null;
}

type PersonRow = { slug: string; name: string; hl: string };

/** A title as read to compare it: without quotes around it, spaces as one, in any case. */
function titleKey(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^["'“”‘’„«»]+|["'“”‘’„«»]+$/g, '')
    .trim()
    .toLocaleLowerCase('en');
}

/**
 * A hit's second line, unless it says again what its title says: an archive page lists a talk
 * as `"TCPfying the Poor Cousins"`, which is both the slot's title and the talk's.
 */
function subtitleOf(r: PageRow): Segment[] | null {
  if (r.subtitle_hl === null || r.subtitle === null) return null;
  return titleKey(r.subtitle) === titleKey(r.title) ? null : segments(r.subtitle_hl);
}

/** json_agg arrives parsed from pg; a driver that hands back text is read too. */
function peopleOf(v: PageRow['people_hl']): PersonRow[] {
  if (v === null) return [];
  return typeof v === 'string' ? (JSON.parse(v) as PersonRow[]) : v;
}

/**
 * What a search that finds nothing may say: whole words match, not parts of them (the query
 * syntax has no prefix search: a * is ignored, queryNotices). Not where the query had nothing
 * to search for: no word was looked up, and a notice says so.
 */
export const WHOLE_WORDS_HINT = 'Whole words are matched, in any of their forms (bond, bonding), not parts of words.';

/**
 * What a search that finds nothing says where its words without those left out ("-word") do
 * find something: the words were matched, whole; the words left out took every result away.
 */
export const LEFT_OUT_HINT = 'The other words were found, but every result holds a word left out (-word).';

/**
 * A query split into what it looks for and its words and phrases to leave out (`-bpf`,
 * `-"two words"`, without their minus sign); a minus sign inside a quoted phrase is left as it
 * is, as the search reads it.
 */
export function splitExclusions(query: string): { kept: string; leftOut: string[] } {
  const leftOut: string[] = [];
  const kept = query
    .replace(/"[^"]*"?|(^|\s)-("[^"]*"?|[^\s"]+)/g, (m: string, before: string | undefined, excluded: string | undefined) => {
      if (excluded === undefined) return m;
      leftOut.push(excluded);
      return before ?? '';
    })
    .replace(/\s+/g, ' ')
    .trim();
  return { kept, leftOut };
}

/**
 * A search's hint where it found nothing in any year and no person: the words left out took away
 * what the others find (LEFT_OUT_HINT, and where a word left out is one of a group of equivalent
 * terms, "-bpf" beside "ebpf", that it leaves out the others too), else WHOLE_WORDS_HINT.
 */
async function nothingFoundHint(db: Kysely<Database>, query: string): Promise<string> {
  const { kept, leftOut } = splitExclusions(query);
  if (leftOut.length === 0 || kept === '') return WHOLE_WORDS_HINT;
  const found = await sql<{ found: boolean }>`select exists (select 1 from (${matchingDocuments(searchQuery(kept))}) h) as found`.execute(db);
  if (!found.rows[0]?.found) return WHOLE_WORDS_HINT;
  const words = (texts: string[]) => new Set(texts.join(' ').toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []);
  const [looked, left] = [words([kept]), words(leftOut)];
  const group = EQUIVALENT_TERMS.find((g) => g.some((w) => looked.has(w)) && g.some((w) => left.has(w)));
  return group ? `${LEFT_OUT_HINT} ${group.join(' and ')} are searched as one word: leaving out one leaves out the other.` : LEFT_OUT_HINT;
}

/**
 * Searches every edition. InvalidInput('query', why) when the query is empty or too long; a
 * query with nothing to search for (punctuation, only very common words, only exclusions) finds
 * nothing, with a notice saying why.
 */
export async function search(deps: { db: Kysely<Database> }, raw: SearchInput): Promise<SearchResult> {
  const { db } = deps;
  const { query, year, limit, offset } = parseInput(input, raw);
  const tsq = searchQuery(query);

  // Only stop words or punctuation leave nothing; only exclusions ("-xdp") would match
  // everything, unranked. Both find nothing, and a notice says why: a search that was asked
  // for and found nothing, not a request refused.
  const parsed = await sql<{ n: number; tree: string }>`select numnode(q) as n, querytree(q) as tree from (select ${tsq} as q) x`.execute(db);
  const { n, tree } = parsed.rows[0] ?? { n: 0, tree: '' };
  const unsearchable =
    Number(n) === 0
      ? `Nothing to search for in “${query}”: it has only very common words or punctuation. Try a more specific word.`
      : tree === 'T'
        ? 'Say what to look for, not only what to leave out: add at least one word without a minus sign.'
        : null;
  if (unsearchable !== null)
    return { query, year: year ?? null, total: 0, perYear: [], people: 0, limit, offset, hits: [], notices: [...queryNotices(query), unsearchable], hint: null, unsearchable: true };

  const docs = matchingDocuments(tsq);
  const counts = await sql<{ year: number | null; n: number }>`select h.year, count(*)::int as n from (${docs}) h group by h.year`.execute(db);
  const perYear = counts.rows
    .filter((r): r is { year: number; n: number } => r.year !== null)
    .map((r) => ({ year: Number(r.year), count: Number(r.n) }))
    .sort((a, b) => b.year - a.year);
  const people = Number(counts.rows.find((r) => r.year === null)?.n ?? 0);
  const total = year === undefined ? perYear.reduce((s, y) => s + y.count, people) : (perYear.find((y) => y.year === year)?.count ?? 0);

  const page = await sql<PageRow>`
    select h.type, h.subkind, h.series, h.series_name, h.edition_title, h.year, h.date, h.time, h.person_slug,
           h.anchor, h.title, h.subtitle, h.body, h.sort_id,
           ts_rank(h.doc, querytree(${tsq})::tsquery) as rank,
           (select json_agg(json_build_object('slug', x.p->>'slug', 'name', x.p->>'name',
                                              'hl', ${headline(sql`x.p->>'name'`, tsq, WHOLE)}) order by x.i)
              from json_array_elements(h.people) with ordinality as x(p, i)) as people_hl,
           ${headline(sql`h.title`, tsq, WHOLE)} as title_hl,
           case when h.subtitle is null then null else ${headline(sql`h.subtitle`, tsq, WHOLE)} end as subtitle_hl,
           case when h.body is null then null else ${snippet(sql`h.body`, tsq)} end as body_hl
      from (${docs}) h
     ${year === undefined ? sql`` : sql`where h.year = ${year}`}
     order by rank desc, h.year desc nulls last, h.date nulls last, h.time nulls last, lower(h.title) collate "C", h.title collate "C", h.type, h.sort_id
     limit ${limit} offset ${offset}`.execute(db);

  return {
    query,
    year: year ?? null,
    total,
    perYear,
    people,
    limit,
    offset,
    notices: queryNotices(query),
    // Found in another year: its words were found, whole.
    hint: perYear.length === 0 && people === 0 ? await nothingFoundHint(db, query) : null,
    unsearchable: false,
    hits: page.rows.map((r) => ({
      type: r.type,
      what: what(r.type, r.subkind),
      edition:
        r.year === null || r.series === null
          ? null
          : { series: r.series, seriesName: r.series_name ?? r.series, year: Number(r.year), title: r.edition_title ?? String(r.year) },
      anchor: r.anchor,
      personSlug: r.person_slug,
      date: r.date,
      time: r.time,
      title: segments(r.title_hl),
      subtitle: subtitleOf(r),
      snippet: r.body_hl === null ? null : segments(markdownWords(r.body_hl)),
      people: peopleOf(r.people_hl).map((p) => ({ slug: p.slug, name: p.name, highlighted: segments(p.hl) })),
      rank: Number(r.rank),
    })),
  };
}

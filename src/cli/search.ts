/** `conclave search QUERY [--year Y] [--limit N] [--offset N] [--json]`: search every edition. */
import { Command } from 'commander';
import type { Segment } from '../domain/search/highlight.js';
import { EMPTY_QUERY, MAX_QUERY_LENGTH, queryText, search, type SearchResult } from '../domain/search/search.js';
import { searchJson } from '../domain/search/search-json.js';
import { urls } from '../web/urls.js';
import { oneLine } from '../web/views/format.js';
import { commandMail, output, withDb, yearArgument } from './context.js';
import { terminalText } from './terminal-text.js';
import { UsageError, wholeNumberOption, wholeNumberValue } from './usage-error.js';

/**
 * Segments as terminal text: matches in bold on a terminal, as they are elsewhere. A title of
 * several lines (`joined`) on one line as the web shows it (oneLine: "Design of Mobile-IPV6;
 * Status and future plans …"); other text with its lines run together.
 */
function marked(segs: Segment[], bold: boolean, joined = false): string {
  return segs
    .map((s) => {
      const text = joined ? oneLine(terminalText(s.text)) : terminalText(s.text);
      return s.match && bold ? `\x1b[1m${text}\x1b[22m` : text;
    })
    .join('')
    .replace(/\s*\n\s*/g, ' ');
}

/** The result as lines: a summary, counts per year, then each hit with where it is. */
export function searchLines(r: SearchResult, opts: { bold?: boolean; baseUrl?: string } = {}): string[] {
  const bold = !!opts.bold;
  const scope = r.year === null ? '' : ` in ${r.year}`;
  const lines = [...r.notices.map((n) => `note: ${n}`)];
  const years = r.perYear.map((y) => `${y.year}: ${y.count}`);
  if (r.people > 0 && r.year === null) years.push(`people: ${r.people}`);
  // A year asked for: how many there are in all, first, as the web's "All years (N)".
  if (r.year !== null && r.perYear.length > 0) years.unshift(`all years: ${r.perYear.reduce((s, y) => s + y.count, r.people)}`);
  // Nothing in the year asked for: the years that have some, as the web lists them.
  // Nothing to search for: its note says so, and why; "Nothing found" would say it again.
  if (r.unsearchable) return lines;
  if (r.total === 0) return [...lines, `Nothing found for “${r.query}”${scope}.`, ...(years.length > 0 ? [`Per year: ${years.join(', ')}`] : []), ...(r.hint === null ? [] : [r.hint])];
  lines.push(
    `${r.total} result${r.total === 1 ? '' : 's'} for “${r.query}”${scope}` +
      (r.hits.length === 0 ? ` (none from number ${r.offset + 1} on: a smaller --offset shows them)` : r.total > r.hits.length ? ` (${r.offset + 1}–${r.offset + r.hits.length} shown)` : ''),
  );
  lines.push(`Per year: ${years.join(', ')}`, '');
  r.hits.forEach((h, i) => {
    // The date says the year; the year alone where there is no date.
    const where = [h.date ?? (h.edition ? String(h.edition.year) : null), h.time].filter((x) => x !== null).join(' ');
    // An untitled talk ("9:00 Jeff Kirsher") is named by its talk title, else said to be untitled, as on the web.
    const titled = marked(h.title, false).trim() !== '';
    const heading = titled ? marked(h.title, bold, true) : h.subtitle && marked(h.subtitle, false).trim() ? marked(h.subtitle, bold, true) : '(untitled)';
    lines.push(`${r.offset + i + 1}. [${h.what}${where ? `, ${where}` : ''}] ${heading}`);
    if (h.subtitle && titled) lines.push(`   ${h.type === 'person' ? 'also listed as ' : ''}${marked(h.subtitle, bold)}`);
    if (h.people.length > 0) lines.push(`   ${h.people.map((p) => marked(p.highlighted, bold)).join(', ')}`);
    if (h.snippet) lines.push(`   ${marked(h.snippet, bold)}`);
    if (opts.baseUrl !== undefined) lines.push(`   ${opts.baseUrl.replace(/\/+$/, '')}${urls.hit(h)}`);
  });
  return lines;
}

/**
 * The search command. Commander reads "-af_xdp" as an option it does not know, yet a word with
 * one minus sign in front is the query's way to leave a word out, and search has no short
 * option but -h. So before commander reads the options, each such word (and every word after
 * "--") is moved behind a "--" of its own, in its place among the words; an unknown "--option"
 * stays where it is and is refused, as every other command refuses it ("--jsn" is a typo, not a
 * word to look for).
 */
class SearchCommand extends Command {
  override parseOptions(args: string[]): { operands: string[]; unknown: string[] } {
    const flags: string[] = [];
    const words: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      if (arg === '--') {
        words.push(...args.slice(i + 1));
        break;
      }
      const option = this.options.find((o) => o.long === arg.replace(/=.*/, '') || o.short === arg);
      if (option) {
        flags.push(arg);
        // Its value, whatever it looks like (as commander takes it): "--year -1" is a bad year.
        if (option.required && !arg.includes('=') && i + 1 < args.length) flags.push(args[++i]!);
      } else if (arg.startsWith('--') || arg === '-h') flags.push(arg);
      else words.push(arg);
    }
    return super.parseOptions([...flags, '--', ...words]);
  }
}

export function searchCommand(): Command {
  return new SearchCommand('search')
    .description('Search every edition: talks, slides, topics, speakers, meeting notes, people, subtitles, places and sponsors.')
    .argument('<query...>', 'words to look for: "quoted phrase", -word to leave out, or between alternatives')
    .option('--year <year>', 'only results of this edition year')
    .option('--limit <n>', 'at most this many results (1–100)', wholeNumberValue('--limit', 1, 100), 20)
    .option('--offset <n>', 'skip this many results first', wholeNumberValue('--offset', 0, 100_000), 0)
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nA word with one minus sign in front (-word) is left out of the results; an\n' +
        'unknown --option is refused. After -- every word is a word of the query,\n' +
        'whatever it begins with.\n' +
        '\nExamples, in the bundled Netconf archive:\n  conclave search bonding\n  conclave search xdp -af_xdp\n  conclave search \'"feature detection"\' --year 2019',
    )
    .action(async (words: string[], opts: { year?: string; limit: string | number; offset: string | number; json?: boolean }) => {
      // A year or a count that is not one is bad usage, before the database is opened.
      const year = opts.year === undefined ? undefined : yearArgument(opts.year, '--year');
      const limit = wholeNumberOption(opts.limit, '--limit', 1, 100);
      const offset = wholeNumberOption(opts.offset, '--offset', 0, 100_000);
      // A query too long to search, or none (`search ''`), is refused as bad usage, as the web's
      // JSON refuses it (400): a command needs its query as it needs its year.
      const query = words.join(' ');
      if (query.length > MAX_QUERY_LENGTH) throw new UsageError('query', `is too long: at most ${MAX_QUERY_LENGTH} characters, please`);
      if (queryText(query) === '') throw new UsageError('query', EMPTY_QUERY);
      await withDb(async (handle, config) => {
        const { db } = handle;
        const { baseUrl } = await commandMail(handle, config);
        const r = await search({ db }, { query, year, limit, offset });
        // Each hit with its address, as the web's search.json gives it.
        output(opts.json, searchJson(r), () => searchLines(r, { bold: !!process.stdout.isTTY && !process.env.NO_COLOR, baseUrl }));
      });
    });
}

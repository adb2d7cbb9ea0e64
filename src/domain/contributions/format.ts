/**
 * A mining result as text: a table for a terminal, CSV for a spreadsheet. (JSON is the result
 * itself.) Pure functions.
 */
import type { MineResult } from './mine.js';
import { ROLE_HEADINGS, ROLES } from './roles.js';
import { count } from '../count.js';

function header(r: MineResult): string[] {
  return ['RANK', 'SCORE', 'NAME', 'EMAIL', ...ROLES.map((k) => ROLE_HEADINGS[k]), ...(r.lines ? ['ADDED', 'REMOVED'] : []), 'FIRST', 'LAST', ...(r.lines ? ['PATHS'] : [])];
}

type TopPaths = MineResult['rows'][number]['topPaths'];

/** The rows' cells, the paths written by `paths` (a table and CSV write them differently). */
function cells(r: MineResult, paths: (p: TopPaths) => string): string[][] {
  return r.rows.map((row) => [
    String(row.rank),
    row.score.toFixed(1),
    row.name,
    row.email,
    ...ROLES.map((k) => String(row.counts[k])),
    ...(r.lines ? [String(row.lines?.added ?? 0), String(row.lines?.removed ?? 0)] : []),
    row.first,
    row.last,
    // Paths are read with the lines (git prints them together); without --lines there are none.
    ...(r.lines ? [paths(row.topPaths)] : []),
  ]);
}

/** The line under the table: what was read, and how. */
export function footer(r: MineResult): string {
  const how = r.incremental ? `${r.newCommits} new since the cached run` : `all read now`;
  const skipped = r.skippedTrailers ? `; ${count(r.skippedTrailers, 'malformed trailer')} skipped` : '';
  const excluded = r.excluded ? `; ${r.excluded} excluded (bots, --exclude)` : '';
  const hint = r.lines ? '' : '; lines and paths: --lines';
  return `${count(r.commits, 'commit')} of ${r.query} (${how}); ${count(r.people, 'person', 'people')}${excluded}${skipped}${hint}`;
}

/** Skipped trailers shown under the table (JSON has them all: mine.ts). */
export const SKIPPED_SHOWN = 5;

/**
 * The newest skipped trailers, under the footer: each with its commit's short id and date, the
 * line as git gave it, and why it credits nobody. None when none was skipped.
 */
export function skippedSample(r: MineResult): string[] {
  if (!r.skipped.length) return [];
  const shown = r.skipped.slice(0, SKIPPED_SHOWN);
  const all = r.skipped.length === r.skippedTrailers ? 'them all' : `the newest ${r.skipped.length}`;
  const head = shown.length === r.skippedTrailers ? `skipped ${count(shown.length, 'trailer')}:` : `skipped trailers, the newest ${shown.length} of ${r.skippedTrailers} (--format json lists ${all}):`;
  return [head, ...shown.map((s) => `  ${s.commit.slice(0, 12)} ${s.date}  ${s.line}  (${s.why})`)];
}

export function formatTable(r: MineResult): string[] {
  const rows = [header(r), ...cells(r, (ps) => ps.map((p) => `${p.path} (${p.commits})`).join(', '))];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((x) => x[i]!.length)));
  const numeric = (i: number) => i <= 1 || (i >= 4 && i < 4 + ROLES.length + (r.lines ? 2 : 0));
  const lines = rows.map((x) => x.map((c, i) => (i === x.length - 1 ? c : numeric(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd());
  return [...lines, '', footer(r), ...skippedSample(r)];
}

function csvCell(s: string): string {
  return /[",\r\n]/.test(s) || /^[=+\-@]/.test(s) ? `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV; a cell a spreadsheet would run as a formula is quoted with a leading '. */
export function formatCsv(r: MineResult): string {
  const head = header(r).map((h) => h.toLowerCase());
  const body = cells(r, (ps) => ps.map((p) => `${p.path}:${p.commits}`).join(' '));
  return [head, ...body].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

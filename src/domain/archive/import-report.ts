/**
 * An edition's import report: the lines its page's last import skipped and what it noted (a
 * guessed speaker, a committee edit the page overrode). writeEdition stores it on the edition
 * (`editions.import_report`) and its `edition.import` audit entry counts it; the edition's admin
 * page, `conclave edition import-report` and `conclave import` show it.
 */
import type { Kysely } from 'kysely';
import type { Database, Edition } from '../../db/schema.js';
import type { SkippedLine } from './page-model.js';

export interface ReportNote {
  /** The page's line, 0 for the page as a whole (a field kept as set in conclave). */
  line: number;
  message: string;
}

/** What an import skipped and noted. */
export interface ImportReport {
  skipped: SkippedLine[];
  notes: ReportNote[];
}

/** One entry of a report, skipped line or note, as a line of text without the page's name. */
export interface ReportItem {
  line: number;
  kind: 'skipped' | 'note';
  /** `a time with nothing after it: "11:00am"` for a skipped line (its reason, then its text); the message for a note. */
  text: string;
}

/** The report's skipped lines and notes together, in the order of the page's lines (the page as a whole first). */
export function reportItems(r: ImportReport): ReportItem[] {
  return [
    ...r.skipped.map((s) => ({ line: s.line, kind: 'skipped' as const, text: `${s.reason}: ${JSON.stringify(s.text)}` })),
    ...r.notes.map((n) => ({ line: n.line, kind: 'note' as const, text: n.message })),
  ].sort((a, b) => a.line - b.line);
}

/** An item as the edition's page, `edition import-report` and the audit entry say it: "line 39: skipped: …", "note: …". */
export function reportItemText(i: ReportItem): string {
  return `${i.line > 0 ? `line ${i.line}: ` : ''}${i.kind}: ${i.text}`;
}

/**
 * What the import's audit entry carries of its report: how many lines it skipped and its notes,
 * each as a line of text, so that the log says what the import overrode. Nothing for an empty report.
 */
export function auditedReport(r: ImportReport): { skipped?: number; notes?: string[] } {
  return {
    ...(r.skipped.length > 0 ? { skipped: r.skipped.length } : {}),
    ...(r.notes.length > 0 ? { notes: reportItems({ skipped: [], notes: r.notes }).map((i) => `${i.line > 0 ? `line ${i.line}: ` : ''}${i.text}`) } : {}),
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The stored report, read with care: a column written by older versions, or by hand. */
function storedReport(v: unknown): ImportReport {
  const value = typeof v === 'string' ? (JSON.parse(v) as unknown) : v;
  const list = (k: string) => (isRecord(value) && Array.isArray(value[k]) ? (value[k] as unknown[]).filter(isRecord) : []);
  const line = (x: Record<string, unknown>) => (typeof x.line === 'number' ? x.line : 0);
  return {
    skipped: list('skipped').map((s) => ({ line: line(s), text: String(s.text ?? ''), reason: String(s.reason ?? '') })),
    notes: list('notes').map((n) => ({ line: line(n), message: String(n.message ?? '') })),
  };
}

/** The last import's report with where and when it was made, and its audit entry. */
export interface LastImport extends ImportReport {
  /** The page's file name, as the import was given it. */
  file: string;
  /** When: the import's audit entry's time (an edition imported before the log kept it: when it was made). */
  at: Date;
  /** The import's audit entry, where there is one. */
  auditId: number | null;
}

/**
 * The report of the edition's last import, or null for an edition never imported, or one whose
 * last import skipped nothing and noted nothing.
 */
export async function lastImportReport(deps: { db: Kysely<Database> }, edition: Pick<Edition, 'id' | 'source_file' | 'import_report' | 'created_at'>): Promise<LastImport | null> {
  if (edition.source_file === null || edition.import_report === null) return null;
  const report = storedReport(edition.import_report);
  if (report.skipped.length === 0 && report.notes.length === 0) return null;
  const entry = await deps.db
    .selectFrom('audit_log')
    .select(['id', 'at'])
    .where('action', '=', 'edition.import')
    .where('edition_id', '=', edition.id)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return { file: edition.source_file, at: new Date(entry?.at ?? edition.created_at), auditId: entry?.id ?? null, ...report };
}

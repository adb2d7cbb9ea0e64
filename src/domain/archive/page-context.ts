/**
 * What the section parsers share while reading one page: where they are, what is known of the
 * edition so far, and where to put the lines and doubts they cannot settle.
 */
import { ImportError } from '../errors.js';
import { quote } from './line-text.js';
import type { SkippedLine, SourceLine } from './page-model.js';
import type { NameBook } from './speaker-names.js';

export class PageContext {
  readonly skipped: SkippedLine[] = [];
  readonly notes: { line: number; message: string }[] = [];
  /** Set once the title is read. */
  year = 0;
  seriesName = '';
  /** The edition's first day, once its dates are read. */
  startDate?: string;
  /** And its last. */
  endDate?: string;
  /** The co-located event's name, which makes a sponsor of that name an event. */
  colocatedName?: string;

  constructor(readonly file: string) {}

  skip(line: SourceLine, reason: string): void {
    this.skipped.push({ line: line.line, text: line.text.trim(), reason });
  }

  note(line: number, message: string): void {
    this.notes.push({ line, message });
  }

  fail(line: number, reason: string): never {
    throw new ImportError(this.file, line, reason);
  }
}

/** Notes a name the heuristic guessed, once per name on the page. */
export function noteGuess(ctx: PageContext, names: NameBook, line: number, name: string, role: string): void {
  ctx.note(line, `guessed ${role} ${quote(name)} (not known from the page or the archive)`);
  names.add(name);
}

/**
 * A list of candidates added at once (`conclave invite add YEAR --file FILE`): one person a line,
 * "Name <address>" as a mail header names them, each added as addCandidate adds one, all in one
 * transaction. Any line refused refuses the list, each such line named by its number, and
 * nothing is written.
 */
import type { Actor } from '../audit/record.js';
import { InvalidForm, InvalidInput } from '../errors.js';
import { addCandidatesIn, AmbiguousPerson, type AddCandidateInput, type CandidateView } from './candidates.js';
import type { InvitationDeps } from './deps.js';

/** The refusal of a list: each line refused, then that nothing of it was added. */
function refused(bad: Record<string, string>, where: string): InvalidForm {
  const n = Object.keys(bad).length;
  return new InvalidForm({ ...bad, [where]: `${n === 1 ? '1 line' : `${n} lines`} refused; nobody of the list was added` });
}

/** One person of the list, with the number of their line. */
export interface ListedCandidate {
  line: number;
  name: string;
  email: string;
}

/**
 * The people of a list's text, by line: "Name <address>" (the name may be quoted, as in a mail
 * header: "Anders, Alice" <alice@example.org>); blank lines and lines starting with "#" are
 * skipped. A line of another shape is refused, with every other one, as `where:LINE` (the file's
 * name, as a compiler names a line).
 */
export function parseCandidateList(text: string, where: string): ListedCandidate[] {
  const people: ListedCandidate[] = [];
  const bad: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(.*?)\s*<([^<>]*)>$/.exec(line);
    const name = m?.[1]!.replace(/^"(.*)"$/, '$1').trim() ?? '';
    if (!m || name === '') {
      bad[`${where}:${i + 1}`] = `${JSON.stringify(line)} is not "Name <address>" (one person a line; blank lines and "#" comments are skipped)`;
      return;
    }
    people.push({ line: i + 1, name, email: m[2]!.trim() });
  });
  if (Object.keys(bad).length > 0) throw refused(bad, where);
  return people;
}

/**
 * Adds everybody of `people` to the edition as candidates, in one transaction, as addCandidate
 * adds each (the same checks, rows and audit; a note for all when given). One refused (on the
 * list already, twice in it, an address that is not one, a name the archive knows by other
 * addresses) refuses all: an InvalidForm naming each such line as `where:LINE`, nothing written.
 * `ambiguous` says what to do for a namesake of somebody known (the caller's words).
 */
export async function addCandidateList(
  deps: InvitationDeps,
  actor: Actor,
  input: { editionId: number; people: ListedCandidate[]; where: string; note?: string; source: AddCandidateInput['source']; ambiguous: (err: AmbiguousPerson) => string },
): Promise<CandidateView[]> {
  if (input.people.length === 0) throw new InvalidInput(input.where, 'names nobody: one person a line, "Name <address>"');
  return deps.db.transaction().execute(async (trx) => {
    const done = await addCandidatesIn(
      trx,
      deps.clock,
      actor,
      input.editionId,
      input.people.map((p) => ({ name: p.name, email: p.email, source: input.source, ...(input.note ? { note: input.note } : {}) })),
    );
    const bad: Record<string, string> = {};
    done.forEach((d, i) => {
      if (!(d instanceof Error)) return;
      bad[`${input.where}:${input.people[i]!.line}`] = d instanceof AmbiguousPerson ? input.ambiguous(d) : d.message;
    });
    // Thrown inside the transaction: it rolls back what the others wrote.
    if (Object.keys(bad).length > 0) throw refused(bad, input.where);
    return done as CandidateView[];
  });
}

/**
 * `--edition YEAR --add`: the miner's top people become candidates of an edition, each with the
 * evidence that ranked them, all in one transaction (each addition audited as addCandidate
 * audits it), set-based (candidates.ts addCandidatesIn). One already on the edition's list, or
 * whose address is not one an invitation can go to, is left out and said so; the others stay.
 * Ctrl-C (`signal`) before the transaction commits undoes all of it.
 */
import type { Actor } from '../audit/record.js';
import { addCandidatesIn, type CandidateView } from '../invitations/candidates.js';
import type { InvitationDeps } from '../invitations/deps.js';
import { heard, Interrupted, type MineResult } from './mine.js';

export interface AddedCandidates {
  added: CandidateView[];
  left: { name: string; email: string; why: string }[];
}

/** Ctrl-C (`deps.signal`) before the transaction commits: it rolls back, and nobody is added. */
const stopped = () => new Interrupted('interrupted before the candidates were added; nobody was added');

export async function addMinedCandidates(deps: InvitationDeps & { signal?: AbortSignal }, actor: Actor, editionId: number, result: MineResult): Promise<AddedCandidates> {
  await heard(deps.signal, stopped);
  return deps.db.transaction().execute(async (trx) => {
    const rows = result.rows.map((row) => {
      const { name, email, ...evidence } = row;
      return { name, email, source: 'git' as const, evidence };
    });
    const done = await addCandidatesIn(trx, deps.clock, actor, editionId, rows);
    const out: AddedCandidates = { added: [], left: [] };
    done.forEach((d, i) => {
      if (d instanceof Error) out.left.push({ name: rows[i]!.name, email: rows[i]!.email, why: d.message });
      else out.added.push(d);
    });
    await heard(deps.signal, stopped);
    return out;
  });
}

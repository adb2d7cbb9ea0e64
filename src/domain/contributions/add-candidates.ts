/**
 * `--edition YEAR --add`: the miner's top people become candidates of an edition, each with the
 * evidence that ranked them. Each is added by addCandidate (its own transaction, audited); one
 * already on the edition's list, or whose address is not one an invitation can go to, is left
 * out and said so.
 */
import type { Actor } from '../audit/record.js';
import { Conflict, InvalidInput } from '../errors.js';
import { addCandidate, type CandidateView } from '../invitations/candidates.js';
import type { InvitationDeps } from '../invitations/deps.js';
import type { MineResult } from './mine.js';

export interface AddedCandidates {
  added: CandidateView[];
  left: { name: string; email: string; why: string }[];
}

export async function addMinedCandidates(deps: InvitationDeps, actor: Actor, editionId: number, result: MineResult): Promise<AddedCandidates> {
  const out: AddedCandidates = { added: [], left: [] };
  for (const row of result.rows) {
    const { name, email, ...evidence } = row;
    try {
      out.added.push(await addCandidate(deps, actor, { editionId, name, email, source: 'git', evidence }));
    } catch (err) {
      if (err instanceof Conflict || err instanceof InvalidInput) out.left.push({ name, email, why: err.message });
      else throw err;
    }
  }
  return out;
}

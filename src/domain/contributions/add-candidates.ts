/**
 * `--edition YEAR --add`: the miner's top people become candidates of an edition, each with the
 * evidence that ranked them, all in one transaction (each addition audited as addCandidate
 * audits it). One already on the edition's list, or whose address is not one an invitation can
 * go to, is left out and said so: their addition is undone to a savepoint, the others stay.
 * Ctrl-C (`signal`) before the transaction commits undoes all of it.
 */
import { sql } from 'kysely';
import type { Actor } from '../audit/record.js';
import { Conflict, InvalidInput } from '../errors.js';
import { addCandidateIn, openEdition, type CandidateView } from '../invitations/candidates.js';
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
    const out: AddedCandidates = { added: [], left: [] };
    // Said once for all, not once for each person.
    await openEdition(trx, editionId, deps.clock);
    for (const row of result.rows) {
      await heard(deps.signal, stopped);
      const { name, email, ...evidence } = row;
      await sql`savepoint mined_candidate`.execute(trx);
      try {
        out.added.push(await addCandidateIn(trx, deps.clock, actor, { editionId, name, email, source: 'git', evidence }));
        await sql`release savepoint mined_candidate`.execute(trx);
      } catch (err) {
        await sql`rollback to savepoint mined_candidate`.execute(trx);
        if (err instanceof Conflict || err instanceof InvalidInput) out.left.push({ name, email, why: err.message });
        else throw err;
      }
    }
    await heard(deps.signal, stopped);
    return out;
  });
}

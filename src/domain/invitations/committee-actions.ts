/**
 * What the committee does to one invitation besides sending it (send.ts): revoke it, or
 * override its state. Both need a reason, land in the audit log with before and after, and
 * hand a freed place to the first on the waiting list. Neither mails the invitee: to give them
 * a working link again, re-send (send.ts resendInvitation).
 */
import { z } from 'zod';
import type { Actor } from '../audit/record.js';
import { count } from '../count.js';
import { Conflict } from '../errors.js';
import { invitationId, invitationNotFound, parseInput, reason, type InvitationDeps, type InvitationRow, type Trx } from './deps.js';
import { promoteWaiting, type Promoted } from './cap.js';
import { countAccepted, lockEdition, lockInvitation } from './seats.js';
import { takeBackHeldDraft, takeBackUnsentInviteeMail } from './send.js';
import { changeState } from './state-change.js';
import { INVITATION_STATES, linksEnded, unsentMailReason } from './states.js';

export const RevokeInput = z.object({ id: invitationId, reason });
export type RevokeInput = z.input<typeof RevokeInput>;

export const OverrideInput = z.object({
  id: invitationId,
  state: z.enum(INVITATION_STATES),
  reason,
  /** Accept past the cap (otherwise refused when every place is taken). */
  force: z.boolean().default(false),
});
export type OverrideInput = z.input<typeof OverrideInput>;

/**
 * An override to accepted refused because every place is taken. What to do about it is said by
 * each interface in its own words (the CLI's --cap and --force, the web's form and its box): the
 * message here is the fact and the way out in words of neither.
 */
export class CapFull extends Conflict {
  override name = 'CapFull';
  constructor(
    readonly edition: { title: string; year: number; series: string },
    readonly taken: number,
    readonly cap: number,
  ) {
    super(`${edition.title} is full: ${taken} of ${cap} places are taken. Raise the cap, or force it to go past.`);
  }
}

/** Locks the invitation's edition, then the invitation (the order every seat write uses). */
async function lockBoth(trx: Trx, id: number) {
  const found = await trx.selectFrom('invitations').select('edition_id').where('id', '=', id).executeTakeFirst();
  if (!found) throw invitationNotFound(id);
  const edition = await lockEdition(trx, found.edition_id);
  return { edition, inv: await lockInvitation(trx, id) };
}

/**
 * The invitation as a committee action left it, who moved up from the waiting list for it, and
 * how many mails to the invitee not sent yet it took back (`withdrawn`: mail that would have gone).
 */
export type ChangedInvitation = InvitationRow & { promoted: Promoted[]; withdrawn: number };

/**
 * What a revoke or an override took back, as a clause to end its notice with ("; 1 unsent mail
 * to them withdrawn"), or '' when it took back nothing.
 */
export function withdrawnClause(r: Pick<ChangedInvitation, 'withdrawn'>): string {
  return r.withdrawn > 0 ? `; ${count(r.withdrawn, 'unsent mail')} to them withdrawn` : '';
}

/**
 * What a revoke did, in words for the committee, said alike by the web's notice and the
 * terminal: "Invitation #12 (ada@example.org) revoked.", with what it took back (withdrawnClause).
 * Who moved up for the freed place is said after it (cap.ts promotedSentence).
 */
export function revokedSentence(r: Pick<ChangedInvitation, 'id' | 'email' | 'withdrawn'>): string {
  return `Invitation #${r.id} (${r.email}) revoked${withdrawnClause(r)}.`;
}

/**
 * What an override did, in words for the committee, said alike by the web's notice and the
 * terminal: "Invitation #12 (ada@example.org) is now accepted.", with what it took back.
 */
export function overriddenSentence(r: Pick<ChangedInvitation, 'id' | 'email' | 'state' | 'withdrawn'>): string {
  return `Invitation #${r.id} (${r.email}) is now ${r.state}${withdrawnClause(r)}.`;
}

/** The row as it stands now (a promotion may have moved it since the change). */
function reread(trx: Trx, id: number): Promise<InvitationRow> {
  return trx.selectFrom('invitations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/**
 * A change that ends the invitation's links (to revoked or candidate) also takes back its
 * invitation mail not sent yet, held as a draft, queued or failed (takeBackHeldDraft), and its
 * other invitee mail (invitation, reminder, "you are in", confirmation of an answer) not sent
 * yet, queued (tried or not) or failed (takeBackUnsentInviteeMail), each counted once:
 * released with its batch, sent by the worker, once the mail server is back, or retried, it would
 * mail a link that no longer works. Audited as the discard it is. Mail being sent at that moment
 * is left alone; the worker checks the invitation again before each send (mail/worker.ts).
 * Returns how many of those mails would have gone: not those superseded by the mail taken back.
 */
async function takeBackHeldMail(trx: Trx, actor: Actor, inv: InvitationRow): Promise<number> {
  if (!linksEnded(inv.state)) return 0;
  const why = unsentMailReason(inv);
  const held = await takeBackHeldDraft(trx, actor, inv, why);
  const rest = await takeBackUnsentInviteeMail(trx, actor, inv, why, held?.id ?? null);
  return (held ? 1 : 0) + rest.filter((r) => r.state !== 'superseded').length;
}

/**
 * Revokes an invitation: its links stop working (the page says the committee withdrew it),
 * an accepted person leaves the attendees and their place goes to the waiting list. Allowed
 * from any state but withdrawn and revoked.
 */
export async function revokeInvitation(deps: InvitationDeps, actor: Actor, input: RevokeInput): Promise<ChangedInvitation> {
  const r = parseInput(RevokeInput, input);
  return deps.db.transaction().execute(async (trx) => {
    const { edition, inv } = await lockBoth(trx, r.id);
    const after = await changeState(trx, deps, inv, 'revoked', { actor, action: 'invitation.revoke', reason: r.reason });
    const withdrawn = await takeBackHeldMail(trx, actor, after);
    const promoted = await promoteWaiting(trx, deps, edition);
    return { ...(await reread(trx, after.id)), promoted, withdrawn };
  });
}

/**
 * Sets any state, outside the transition table, with a reason: the committee's way to mend
 * what the rules did not foresee (withdraw someone, take back a revoke, accept by hand). The
 * cap still holds: overriding to accepted when every place is taken is a Conflict unless
 * `force` (then the edition is over its cap until someone leaves). The waiting-list position,
 * attendance and links follow the state as in every other change; nothing is mailed.
 */
export async function overrideState(deps: InvitationDeps, actor: Actor, input: OverrideInput): Promise<ChangedInvitation> {
  const o = parseInput(OverrideInput, input);
  return deps.db.transaction().execute(async (trx) => {
    const { edition, inv } = await lockBoth(trx, o.id);
    if (inv.state === o.state) throw new Conflict(`invitation ${inv.id} (${inv.email}) is ${inv.state} already`);
    if (o.state === 'accepted' && !o.force) {
      const taken = await countAccepted(trx, edition.id);
      if (taken >= edition.cap) {
        const { slug } = await trx.selectFrom('series').select('slug').where('id', '=', edition.series_id).executeTakeFirstOrThrow();
        throw new CapFull({ title: edition.title, year: edition.year, series: slug }, taken, edition.cap);
      }
    }
    const after = await changeState(trx, deps, inv, o.state, { actor, action: 'invitation.override', reason: o.reason, override: true });
    const withdrawn = await takeBackHeldMail(trx, actor, after);
    const promoted = await promoteWaiting(trx, deps, edition);
    return { ...(await reread(trx, after.id)), promoted, withdrawn };
  });
}

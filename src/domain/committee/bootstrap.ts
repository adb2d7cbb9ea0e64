/**
 * The first start of a new data directory: a demo committee member, so that the whole cycle can
 * be tried at once, with a sign-in link printed on the terminal.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { addCommitteeMember } from './accounts.js';
import { createSigninLink, type SigninDeps } from './signin.js';

export const DEMO_MEMBER = { email: 'committee@example.org', name: 'Demo Committee Member' };

/** Creates the demo member when the committee is empty; returns a sign-in link for them, or null. */
export async function bootstrapCommittee(deps: SigninDeps & { db: Kysely<Database> }): Promise<string | null> {
  const any = await deps.db.selectFrom('committee_accounts').select('id').limit(1).executeTakeFirst();
  if (any) return null;
  const actor = { accountId: null, label: 'system:bootstrap' };
  await addCommitteeMember(deps, actor, DEMO_MEMBER);
  const link = await createSigninLink(deps, { email: DEMO_MEMBER.email }, actor);
  return link?.link ?? null;
}

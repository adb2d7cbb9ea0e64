/**
 * Committee sessions, stored in the database so that several app processes behind one proxy
 * share them. The cookie holds a random secret; the table holds its hash.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { recordAudit, type Actor } from '../audit/record.js';
import { NotFound } from '../errors.js';
import { parseInput } from '../validate.js';
import { MemberAddressInput } from './accounts.js';
import { hashSecret } from './tokens.js';

export interface SessionAccount {
  accountId: number;
  email: string;
  name: string;
}

/** The member a session secret belongs to, or null when it is unknown, expired or disabled. */
export async function sessionAccount(deps: { db: Kysely<Database>; clock: () => Date }, secret: string | undefined): Promise<SessionAccount | null> {
  if (!secret || secret.length > 100) return null;
  const now = deps.clock();
  const row = await deps.db
    .selectFrom('sessions')
    .innerJoin('committee_accounts', 'committee_accounts.id', 'sessions.account_id')
    .innerJoin('people', 'people.id', 'committee_accounts.person_id')
    .select(['sessions.id_hash', 'sessions.last_seen_at', 'committee_accounts.id', 'committee_accounts.email', 'people.name'])
    .where('sessions.id_hash', '=', hashSecret(secret))
    .where('sessions.expires_at', '>', now)
    .where('committee_accounts.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  // Touch at most once a minute: a page view should not always be a write.
  if (now.getTime() - row.last_seen_at.getTime() > 60_000) {
    await deps.db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', row.id_hash).execute();
  }
  return { accountId: row.id, email: row.email, name: row.name };
}

/**
 * Ends one session, logged as its member's, as signing in is: the audit log then tells when a
 * session ended by hand from one that ran out. An unknown secret (ended already) does nothing.
 */
export async function signOut(deps: { db: Kysely<Database> }, secret: string): Promise<void> {
  if (secret.length > 100) return;
  await deps.db.transaction().execute(async (trx) => {
    const ended = await trx
      .deleteFrom('sessions')
      .using('committee_accounts')
      .whereRef('committee_accounts.id', '=', 'sessions.account_id')
      .where('sessions.id_hash', '=', hashSecret(secret))
      .returning(['committee_accounts.id', 'committee_accounts.email'])
      .executeTakeFirst();
    if (!ended) return;
    await recordAudit(trx, { accountId: ended.id, label: ended.email }, { action: 'session.signout', entity: 'committee_account', entityId: ended.id });
  });
}

/** Ends every session of a member, on every device. */
export async function signOutEverywhere(deps: { db: Kysely<Database> }, account: SessionAccount): Promise<number> {
  return deps.db.transaction().execute((trx) => endSessions(trx, { accountId: account.accountId, label: account.email }, account.accountId));
}

/**
 * Ends every session of the member with this address, for someone else than the member (`conclave
 * committee signout`: a lost laptop, a member who cannot reach the web). Their account stays.
 */
export async function signOutMember(deps: { db: Kysely<Database> }, actor: Actor, input: MemberAddressInput): Promise<{ email: string; name: string; ended: number }> {
  const { email } = parseInput(MemberAddressInput, input);
  return deps.db.transaction().execute(async (trx) => {
    const account = await trx
      .selectFrom('committee_accounts')
      .innerJoin('people', 'people.id', 'committee_accounts.person_id')
      .select(['committee_accounts.id', 'committee_accounts.email', 'people.name'])
      .where((eb) => eb(eb.fn('lower', ['committee_accounts.email']), '=', email.toLowerCase()))
      .executeTakeFirst();
    if (!account) throw new NotFound(`${email} is not a committee member`);
    return { email: account.email, name: account.name, ended: await endSessions(trx, actor, account.id) };
  });
}

/** Deletes an account's sessions and logs it, in the caller's transaction; returns how many. */
async function endSessions(trx: Kysely<Database>, actor: Actor, accountId: number): Promise<number> {
  const r = await trx.deleteFrom('sessions').where('account_id', '=', accountId).executeTakeFirst();
  await recordAudit(trx, actor, { action: 'session.signout-everywhere', entity: 'committee_account', entityId: accountId, after: { ended: Number(r.numDeletedRows) } });
  return Number(r.numDeletedRows);
}

/**
 * Committee members: the people who may sign in and run an edition. An account is an address
 * tied to a person of the archive (found or created by name and address).
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { recordAudit, type Actor } from '../audit/record.js';
import { Conflict, InvalidInput, NotFound } from '../errors.js';
import { Resolver } from '../people/identity.js';
import { parseInput, visibleLine } from '../validate.js';
import { sendTemplate, type MailSettings, type TemplateMail } from '../mail/templates.js';
import type { CommitteeNoticeKey } from '../mail/template-keys.js';

export const AddMemberInput = z.object({
  email: z.email('must be an e-mail address').trim().max(320),
  name: visibleLine(z.string().trim().min(1).max(200)).optional(),
});
export type AddMemberInput = z.input<typeof AddMemberInput>;

export interface CommitteeMember {
  id: number;
  email: string;
  name: string;
  personSlug: string;
  createdAt: Date;
  disabled: boolean;
  /** Added again after being disabled: the same account, back on the committee. */
  restored?: boolean;
}


/** Adds a committee member by address (and name, when the address is new to the archive). */
export async function addCommitteeMember(deps: { db: Kysely<Database> }, actor: Actor, input: AddMemberInput): Promise<CommitteeMember> {
  const { email, name } = parseInput(AddMemberInput, input);
  return deps.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('committee_accounts')
      .innerJoin('people', 'people.id', 'committee_accounts.person_id')
      .select(['committee_accounts.id', 'committee_accounts.email', 'committee_accounts.created_at', 'committee_accounts.disabled_at', 'people.name', 'people.slug'])
      .where((eb) => eb(eb.fn('lower', ['committee_accounts.email']), '=', email.toLowerCase()))
      .executeTakeFirst();
    if (existing && existing.disabled_at === null) throw new Conflict(`${existing.email} is already a committee member`);
    if (existing) {
      // Back on the committee: the same account, so that the audit log keeps one actor.
      await trx.updateTable('committee_accounts').set({ disabled_at: null }).where('id', '=', existing.id).execute();
      await recordAudit(trx, actor, { action: 'committee.enable', entity: 'committee_account', entityId: existing.id, before: { disabledAt: existing.disabled_at }, after: { disabledAt: null } });
      return { id: existing.id, email: existing.email, name: existing.name, personSlug: existing.slug, createdAt: existing.created_at, disabled: false, restored: true };
    }
    const known = await trx
      .selectFrom('person_emails')
      .select('person_id')
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .executeTakeFirst();
    let personId = known?.person_id;
    if (personId === undefined) {
      if (!name) throw new InvalidInput('name', `${email} is new to the archive: give the member's name too`);
      const resolver = await Resolver.load(trx);
      personId = await resolver.resolve(name, { address: email, isPublic: false });
    }
    const row = await trx
      .insertInto('committee_accounts')
      .values({ person_id: personId, email })
      .returning(['id', 'created_at'])
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, { action: 'committee.add', entity: 'committee_account', entityId: row.id, after: { email, personId } });
    const person = await trx.selectFrom('people').select(['name', 'slug']).where('id', '=', personId).executeTakeFirstOrThrow();
    return { id: row.id, email, name: person.name, personSlug: person.slug, createdAt: row.created_at, disabled: false };
  });
}

/** A member named by their address (disable, `committee signout`). */
export const MemberAddressInput = z.object({ email: z.email('must be an e-mail address').trim().max(320) });
export type MemberAddressInput = z.input<typeof MemberAddressInput>;

/**
 * Takes a member off the committee: their account is disabled (kept, for the audit log's sake),
 * their sessions end and their unused sign-in links stop working, at once. Adding the address
 * again brings the account back. The last active member stays: nobody could sign in after.
 */
export async function disableCommitteeMember(deps: { db: Kysely<Database>; clock: () => Date }, actor: Actor, input: MemberAddressInput): Promise<CommitteeMember> {
  const { email } = parseInput(MemberAddressInput, input);
  return deps.db.transaction().execute(async (trx) => {
    // Locked, all of them: two members disabling each other at once leave one, not none.
    const all = await trx.selectFrom('committee_accounts').select(['id', 'email', 'disabled_at']).orderBy('id').forUpdate().execute();
    const account = all.find((a) => a.email.toLowerCase() === email.toLowerCase());
    if (!account) throw new NotFound(`${email} is not a committee member`);
    if (account.disabled_at !== null) throw new Conflict(`${account.email} is off the committee already (since ${account.disabled_at.toISOString().slice(0, 10)})`);
    if (!all.some((a) => a.id !== account.id && a.disabled_at === null)) {
      throw new Conflict(`${account.email} is the last committee member: nobody could sign in after; add another member first`);
    }
    const now = deps.clock();
    await trx.updateTable('committee_accounts').set({ disabled_at: now }).where('id', '=', account.id).execute();
    const sessions = await trx.deleteFrom('sessions').where('account_id', '=', account.id).executeTakeFirst();
    const links = await trx.deleteFrom('signin_tokens').where('account_id', '=', account.id).where('used_at', 'is', null).executeTakeFirst();
    await recordAudit(trx, actor, {
      action: 'committee.disable',
      entity: 'committee_account',
      entityId: account.id,
      before: { disabledAt: null },
      after: { disabledAt: now.toISOString(), sessionsEnded: Number(sessions.numDeletedRows), linksVoided: Number(links.numDeletedRows) },
    });
    return getCommitteeMember({ db: trx }, account.id);
  });
}

export async function listCommitteeMembers(deps: { db: Kysely<Database> }): Promise<CommitteeMember[]> {
  const rows = await deps.db
    .selectFrom('committee_accounts')
    .innerJoin('people', 'people.id', 'committee_accounts.person_id')
    .select(['committee_accounts.id', 'committee_accounts.email', 'committee_accounts.created_at', 'committee_accounts.disabled_at', 'people.name', 'people.slug'])
    .orderBy('committee_accounts.id')
    .execute();
  return rows.map((r) => ({ id: r.id, email: r.email, name: r.name, personSlug: r.slug, createdAt: r.created_at, disabled: r.disabled_at !== null }));
}

/** Whether the committee has a member not disabled: somebody may sign in, and mailCommittee reaches somebody. */
export async function hasActiveCommitteeMember(deps: { db: Kysely<Database> }): Promise<boolean> {
  const row = await deps.db.selectFrom('committee_accounts').select('id').where('disabled_at', 'is', null).limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function getCommitteeMember(deps: { db: Kysely<Database> }, id: number): Promise<CommitteeMember> {
  const m = (await listCommitteeMembers(deps)).find((x) => x.id === id);
  if (!m) throw new NotFound(`no committee member ${id}`);
  return m;
}

/**
 * Mails every active committee member the template mail `m` (each its own message, in no thread
 * unless `m.threadUnder` gives one), in the caller's transaction: what conclave tells the committee
 * at once (a speaker who leaves, a mail it did not act on): a notice, one of COMMITTEE_NOTICE_KEYS,
 * sent as automatic (Auto-Submitted: auto-generated). Returns how many were mailed: none
 * when no member is active, and then nobody was told.
 */
export async function mailCommittee(trx: Kysely<Database>, mail: MailSettings, m: Omit<TemplateMail, 'to' | 'key'> & { key: CommitteeNoticeKey }): Promise<number> {
  const members = (await listCommitteeMembers({ db: trx })).filter((x) => !x.disabled);
  for (const x of members) await sendTemplate(trx, mail, { threadUnder: null, ...m, to: { address: x.email, name: x.name } });
  return members.length;
}

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
}


/** Adds a committee member by address (and name, when the address is new to the archive). */
export async function addCommitteeMember(deps: { db: Kysely<Database> }, actor: Actor, input: AddMemberInput): Promise<CommitteeMember> {
  const { email, name } = parseInput(AddMemberInput, input);
  return deps.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('committee_accounts')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .executeTakeFirst();
    if (existing) throw new Conflict(`${email} is already a committee member`);
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

export async function listCommitteeMembers(deps: { db: Kysely<Database> }): Promise<CommitteeMember[]> {
  const rows = await deps.db
    .selectFrom('committee_accounts')
    .innerJoin('people', 'people.id', 'committee_accounts.person_id')
    .select(['committee_accounts.id', 'committee_accounts.email', 'committee_accounts.created_at', 'committee_accounts.disabled_at', 'people.name', 'people.slug'])
    .orderBy('committee_accounts.id')
    .execute();
  return rows.map((r) => ({ id: r.id, email: r.email, name: r.name, personSlug: r.slug, createdAt: r.created_at, disabled: r.disabled_at !== null }));
}

export async function getCommitteeMember(deps: { db: Kysely<Database> }, id: number): Promise<CommitteeMember> {
  const m = (await listCommitteeMembers(deps)).find((x) => x.id === id);
  if (!m) throw new NotFound(`no committee member ${id}`);
  return m;
}

/**
 * Mails every active committee member the template mail `m` (each its own message, not threaded),
 * in the caller's transaction: what conclave tells the committee at once (a speaker who leaves, a
 * mail it did not act on).
 */
export async function mailCommittee(trx: Kysely<Database>, mail: MailSettings, m: Omit<TemplateMail, 'to' | 'threadUnder'>): Promise<void> {
  const members = (await listCommitteeMembers({ db: trx })).filter((x) => !x.disabled);
  for (const x of members) await sendTemplate(trx, mail, { ...m, to: { address: x.email, name: x.name }, threadUnder: null });
}

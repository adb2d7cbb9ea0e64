/**
 * Candidates: people the committee thinks of inviting to an edition, added by hand, from the
 * CLI, or by the git history miner with its evidence. Each is one person (found or created by
 * name and address), at most once per edition; sending the invitation is send.ts.
 */
import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { recordAudit, type Actor } from '../audit/record.js';
import { Conflict, InvalidInput, NotFound } from '../errors.js';
import { Resolver } from '../people/identity.js';
import { parseForm, visibleLine } from '../validate.js';
import { editionOver, longDate } from './dates.js';
import { type InvitationDeps } from './deps.js';
import { auditView } from './state-change.js';

export const CANDIDATE_SOURCES = ['manual', 'cli', 'git'] as const;

export const AddCandidateInput = z.object({
  editionId: z.number().int().positive(),
  // A name goes into a mail's To: one line of text, never a header of its own, read as it shows.
  name: visibleLine(z.string().trim().min(1, 'must not be empty').max(200)),
  email: z
    .email({ error: (iss) => (String(iss.input ?? '').trim() === '' ? 'must not be empty' : `${JSON.stringify(String(iss.input))} is not an address such as ada@example.org`) })
    .trim()
    .max(320),
  source: z.enum(CANDIDATE_SOURCES).default('manual'),
  /** Why this person: for the git miner, their commits and scores (any JSON). */
  evidence: z.unknown().optional(),
  note: z.string().trim().max(2000).optional(),
  /**
   * When the archive knows somebody of this name by other addresses, who this is: `sameAs`, the
   * person known by that address (this address is a new one of theirs); `newPerson`, somebody
   * else of that name. Asked, never guessed: an address tied to a person is one whose replies
   * may answer that person's invitation.
   */
  sameAs: z.email({ error: (iss) => `${JSON.stringify(String(iss.input))} is not an address such as ada@example.org` }).trim().optional(),
  newPerson: z.boolean().default(false),
});
export type AddCandidateInput = z.input<typeof AddCandidateInput>;

/**
 * The people an address may belong to, by the name given: the committee says which, or nobody.
 * `listed`: a namesake on the edition's list already, who is no answer (the same person would be
 * on the list twice) and is left out of `namesakes`, the answers; the question says so.
 */
export class AmbiguousPerson extends Conflict {
  override name = 'AmbiguousPerson';
  constructor(
    readonly address: string,
    readonly namesakes: { id: number; name: string; addresses: string[] }[],
    readonly listed?: { name: string; email: string; state: string; edition: string; addresses: string[] },
  ) {
    const by = (p: { addresses: string[] }) => p.addresses.join(' and ');
    const l = listed;
    const onList = l ? `${l.name} <${l.email}> is on the list of ${l.edition} already (${l.state})` : '';
    super(
      namesakes.length === 0 && l
        ? `${l.name} is known by ${by(l)}, not ${address}, and is on the list of ${l.edition} already (${l.state}): if that is a new address of theirs, there is nothing to add; if it is somebody else of that name, add them as a new person`
        : namesakes.length === 1
          ? `${namesakes[0]!.name} is known by ${by(namesakes[0]!)}, not ${address}: say whether that is a new address of theirs (the same person) or somebody else of that name (a new person)${l ? `; ${onList}` : ''}`
          : `${namesakes.length} people are known as ${namesakes[0]!.name} (one by ${namesakes.map(by).join('; one by ')}), none by ${address}: say which of them has this new address, or that it is somebody else of that name (a new person)${l ? `; ${onList}` : ''}`,
    );
  }
}

export interface CandidateView {
  id: number;
  personId: number;
  personSlug: string;
  name: string;
  email: string;
  source: string;
  evidence: unknown;
  note: string | null;
  createdAt: Date;
}

function evidenceJson(evidence: unknown): string | null {
  if (evidence === undefined || evidence === null) return null;
  try {
    const s = JSON.stringify(evidence);
    if (s === undefined) throw new Error('not JSON');
    return s;
  } catch {
    throw new InvalidInput('evidence', 'must be plain JSON data');
  }
}

/**
 * Adds a person as a candidate for an edition: the person is found by address or name (or
 * created), and may be on an edition's list once; a second time is a Conflict naming the entry
 * already on the list (its name and address, not the ones just given) and its state. Audited.
 */
export async function addCandidate(deps: InvitationDeps, actor: Actor, input: AddCandidateInput): Promise<CandidateView> {
  const c = parseForm(AddCandidateInput, input);
  const evidence = evidenceJson(c.evidence);
  return deps.db.transaction().execute((trx) => insertCandidate(trx, deps.clock, actor, c, evidence));
}

/**
 * addCandidate inside the caller's transaction `trx` (so that several additions are one
 * transaction): the same checks, the same row, the same audit. A Conflict or NotFound is thrown
 * before anything is written for this candidate. Whether to go on after an error is the caller's
 * choice; a database error leaves `trx` aborted.
 */
export async function addCandidateIn(trx: Transaction<Database>, clock: () => Date, actor: Actor, input: AddCandidateInput): Promise<CandidateView> {
  const c = parseForm(AddCandidateInput, input);
  return insertCandidate(trx, clock, actor, c, evidenceJson(c.evidence));
}

/**
 * The edition candidates are added to; NotFound, or a Conflict for one that is over: nobody can
 * be invited to it, and a year mistyped (2019 for 2029) is caught here rather than at sending.
 */
export async function openEdition(trx: Transaction<Database>, editionId: number, clock: () => Date): Promise<{ id: number; title: string }> {
  const edition = await trx.selectFrom('editions').select(['id', 'title', 'start_date', 'end_date', 'time_zone']).where('id', '=', editionId).executeTakeFirst();
  if (!edition) throw new NotFound(`edition ${editionId} not found`);
  if (editionOver(edition, clock())) {
    throw new Conflict(`${edition.title} is over (its last day was ${longDate(edition.end_date ?? edition.start_date!)}): invite people to an edition still to come`);
  }
  return edition;
}

/**
 * Whom the committee says the candidate is ('new', a person's id), or undefined to match by
 * address and name, as when the name is nobody's known by another address. Refuses an address
 * of somebody else, and asks (AmbiguousPerson) when the name is somebody's with other addresses.
 */
function whoIsIt(resolver: Resolver, c: z.output<typeof AddCandidateInput>): 'new' | number | undefined {
  const owner = resolver.byAddress(c.email);
  if (c.newPerson && c.sameAs !== undefined) throw new InvalidInput('sameAs', 'a new person cannot be the same as somebody known');
  if (c.newPerson) {
    if (owner) throw new Conflict(`${c.email} is already the address of ${owner.name}: a new person needs an address of their own`);
    return 'new';
  }
  if (c.sameAs !== undefined) {
    const same = resolver.byAddress(c.sameAs);
    if (!same) throw new InvalidInput('sameAs', `nobody is known by ${c.sameAs}`);
    if (owner && owner.id !== same.id) throw new Conflict(`${c.email} is already the address of ${owner.name}, not of ${same.name} <${c.sameAs}>`);
    return same.id;
  }
  const namesakes = resolver.namesakes(c.name, c.email);
  if (namesakes.length > 0) throw new AmbiguousPerson(c.email, namesakes);
  return undefined;
}

async function insertCandidate(
  trx: Transaction<Database>,
  clock: () => Date,
  actor: Actor,
  c: z.output<typeof AddCandidateInput>,
  evidence: string | null,
): Promise<CandidateView> {
  const edition = await openEdition(trx, c.editionId, clock);
  const resolver = await Resolver.load(trx);
  // Looked for before resolving, which would record the name given as the person's (the longer
  // spelling wins): the refusal names the entry on the list as it stands, not the one typed.
  let as: 'new' | number | undefined;
  try {
    as = whoIsIt(resolver, c);
  } catch (err) {
    // A namesake on the list already is no answer ("the same person" would be refused for it
    // next): left out of the answers, and the question says so.
    if (!(err instanceof AmbiguousPerson)) throw err;
    const listed = await trx
      .selectFrom('invitations')
      .select(['person_id', 'email', 'state'])
      .where('edition_id', '=', c.editionId)
      .where('person_id', 'in', err.namesakes.map((n) => n.id))
      .orderBy('id')
      .execute();
    const first = listed[0] && err.namesakes.find((n) => n.id === listed[0]!.person_id)!;
    if (!first) throw err;
    const others = err.namesakes.filter((n) => !listed.some((l) => l.person_id === n.id));
    throw new AmbiguousPerson(c.email, others, { name: first.name, addresses: first.addresses, email: listed[0]!.email, state: listed[0]!.state, edition: edition.title });
  }
  const knownId = as === 'new' ? undefined : (as ?? resolver.find(c.name, c.email));
  if (knownId !== undefined) {
    const existing = await trx
      .selectFrom('invitations')
      .innerJoin('people', 'people.id', 'invitations.person_id')
      .select(['people.name', 'invitations.state', 'invitations.email'])
      .where('invitations.edition_id', '=', c.editionId)
      .where('invitations.person_id', '=', knownId)
      .executeTakeFirst();
    if (existing) {
      throw new Conflict(`${existing.name} <${existing.email}> is already on the list of ${edition.title} (${existing.state})`);
    }
  }
  const personId = await resolver.resolve(c.name, { address: c.email, isPublic: false }, as);
  const person = await trx.selectFrom('people').select(['slug', 'name']).where('id', '=', personId).executeTakeFirstOrThrow();
  const row = await trx
    .insertInto('invitations')
    .values({
      edition_id: c.editionId,
      person_id: personId,
      email: c.email,
      state: 'candidate',
      state_since: clock(),
      source: c.source,
      evidence,
      note: c.note || null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    action: 'invitation.add-candidate',
    entity: 'invitation',
    entityId: row.id,
    editionId: c.editionId,
    after: { ...auditView(row), person: person.name, source: c.source },
  });
  return {
    id: row.id,
    personId,
    personSlug: person.slug,
    name: person.name,
    email: row.email,
    source: row.source,
    evidence: row.evidence,
    note: row.note,
    createdAt: row.created_at,
  };
}

/** The candidates of an edition, oldest first: who may be invited next, and why. */
export async function listCandidates(deps: Pick<InvitationDeps, 'db'>, editionId: number): Promise<CandidateView[]> {
  const rows = await deps.db
    .selectFrom('invitations')
    .innerJoin('people', 'people.id', 'invitations.person_id')
    .select([
      'invitations.id',
      'invitations.person_id',
      'people.slug',
      'people.name',
      'invitations.email',
      'invitations.source',
      'invitations.evidence',
      'invitations.note',
      'invitations.created_at',
    ])
    .where('invitations.edition_id', '=', editionId)
    .where('invitations.state', '=', 'candidate')
    .orderBy('invitations.created_at')
    .orderBy('invitations.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    personId: r.person_id,
    personSlug: r.slug,
    name: r.name,
    email: r.email,
    source: r.source,
    evidence: r.evidence,
    note: r.note,
    createdAt: r.created_at,
  }));
}

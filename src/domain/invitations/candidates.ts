/**
 * Candidates: people the committee thinks of inviting to an edition, added by hand, from the
 * CLI, or by the git history miner with its evidence. Each is one person (found or created by
 * name and address), at most once per edition; sending the invitation is send.ts.
 */
import type { Insertable, Selectable, Transaction } from 'kysely';
import { z } from 'zod';
import { statementChunks } from '../../db/chunks.js';
import type { Database } from '../../db/schema.js';
import { recordAudits, type Actor } from '../audit/record.js';
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
  /**
   * When adding them: the name typed, when the archive does not know them by it. They were
   * added under the archive's name (`name`), found by `by`: the address theirs in the archive
   * (the one given, or --same-as), or null when by a name close to one of theirs.
   */
  nameNotTaken?: { typed: string; by: string | null };
}

/**
 * The person added is known to the archive by another name than the one typed: said after
 * adding ("dan@example.net is Dan Davis in the archive: added Dan Davis, not “Daniel D.”").
 */
export function nameNotTakenSentence(c: Pick<CandidateView, 'name' | 'nameNotTaken'>): string | undefined {
  const n = c.nameNotTaken;
  if (!n) return undefined;
  return `${n.by === null ? `The archive knows them as ${c.name}` : `${n.by} is ${c.name} in the archive`}: added ${c.name}, not “${n.typed}”`;
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
  return deps.db.transaction().execute(async (trx) => {
    const [added] = await addCandidatesIn(trx, deps.clock, actor, c.editionId, [c]);
    if (added instanceof Error) throw added;
    return added!;
  });
}

/**
 * addCandidate for many people in the caller's transaction `trx` (so that all are one
 * transaction): the same checks, the same rows, the same audit, as if each were added in turn.
 * One refused (a Conflict or an InvalidInput: on the list already, an address that is not one,
 * a name known by other addresses) is returned as its error with nothing written for it; the
 * others are added. Set-based: the edition, the people and its list are read once, the checks
 * and the matching run in memory, and the people new to the archive, their names and addresses,
 * the invitations and their audit records are written in a few multi-row statements.
 */
export async function addCandidatesIn(
  trx: Transaction<Database>,
  clock: () => Date,
  actor: Actor,
  editionId: number,
  inputs: Omit<AddCandidateInput, 'editionId'>[],
): Promise<(CandidateView | Conflict | InvalidInput)[]> {
  const edition = await openEdition(trx, editionId, clock);
  const resolver = await Resolver.load(trx);
  const list = new EditionList(await trx.selectFrom('invitations').select(['person_id', 'email', 'state']).where('edition_id', '=', editionId).orderBy('id').execute());
  const out: (Conflict | InvalidInput | { at: number; nameNotTaken: CandidateView['nameNotTaken'] })[] = [];
  const rows: Insertable<Database['invitations']>[] = [];
  for (const input of inputs) {
    try {
      const c = parseForm(AddCandidateInput, { ...input, editionId });
      const evidence = evidenceJson(c.evidence);
      // A person new to the archive has a provisional id until the resolver writes them.
      const { personId, email, nameNotTaken } = resolveCandidate(resolver, list, edition, c);
      list.add(personId, email);
      out.push({ at: rows.length, nameNotTaken });
      rows.push({ edition_id: editionId, person_id: personId, email, state: 'candidate', state_since: clock(), source: c.source, evidence, note: c.note || null });
    } catch (err) {
      if (err instanceof Conflict || err instanceof InvalidInput) out.push(err);
      else throw err;
    }
  }
  // A refusal names nobody by a provisional id: a person new in this batch is on the list, and
  // a question leaves those on the list out of its answers.
  const ids = await resolver.write();
  for (const r of rows) r.person_id = ids.get(r.person_id) ?? r.person_id;
  if (rows.length === 0) return out as (Conflict | InvalidInput)[];
  const inserted: Selectable<Database['invitations']>[] = [];
  for (const chunk of statementChunks(rows)) inserted.push(...(await trx.insertInto('invitations').values(chunk).returningAll().execute()));
  // Matched by person (once on an edition's list), not by the order the rows come back in.
  const byPerson = new Map(inserted.map((r) => [r.person_id, r]));
  const views = rows.map((r): CandidateView => {
    const row = byPerson.get(r.person_id)!;
    const person = resolver.shown(r.person_id)!;
    return { id: row.id, personId: row.person_id, personSlug: person.slug, name: person.name, email: row.email, source: row.source, evidence: row.evidence, note: row.note, createdAt: row.created_at };
  });
  const ordered = [...views].sort((a, b) => a.id - b.id);
  await recordAudits(
    trx,
    actor,
    ordered.map((v) => ({
      action: 'invitation.add-candidate',
      entity: 'invitation',
      entityId: v.id,
      editionId,
      after: { ...auditView(byPerson.get(v.personId)!), person: v.name, source: v.source },
    })),
  );
  return out.map((o) => ('at' in o ? (o.nameNotTaken ? { ...views[o.at]!, nameNotTaken: o.nameNotTaken } : views[o.at]!) : o));
}

/** The people on an edition's list (person, address, state), in the order they were added. */
class EditionList {
  private entries: { person_id: number; email: string; state: string }[];
  constructor(entries: { person_id: number; email: string; state: string }[]) {
    this.entries = entries;
  }
  first(personIds: number[]) {
    return this.entries.find((e) => personIds.includes(e.person_id));
  }
  add(personId: number, email: string) {
    this.entries.push({ person_id: personId, email, state: 'candidate' });
  }
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

/**
 * Who the candidate `c` is, found or made known to `resolver` (its write() writes them), after
 * the checks: not already on `list`, and no name known by other addresses left to answer.
 * Throws before the resolver learns anything of them. A person of the archive keeps their
 * names when the committee typed the name: it is not added to them, and never becomes their
 * shown name (as a longer spelling read in an import does); when it is not theirs, that is said
 * back (`nameNotTaken`). An address they are known by is the invitation's in the spelling the
 * archive has.
 */
function resolveCandidate(
  resolver: Resolver,
  list: EditionList,
  edition: { title: string },
  c: z.output<typeof AddCandidateInput>,
): { personId: number; email: string; nameNotTaken?: { typed: string; by: string | null } } {
  // Looked for before resolving, which would record the name given as the person's (the longer
  // spelling wins): the refusal names the entry on the list as it stands, not the one typed.
  let as: 'new' | number | undefined;
  try {
    as = whoIsIt(resolver, c);
  } catch (err) {
    // A namesake on the list already is no answer ("the same person" would be refused for it
    // next): left out of the answers, and the question says so.
    if (!(err instanceof AmbiguousPerson)) throw err;
    const listed = list.first(err.namesakes.map((n) => n.id));
    const first = listed && err.namesakes.find((n) => n.id === listed.person_id)!;
    if (!first || !listed) throw err;
    const others = err.namesakes.filter((n) => !list.first([n.id]));
    throw new AmbiguousPerson(c.email, others, { name: first.name, addresses: first.addresses, email: listed.email, state: listed.state, edition: edition.title });
  }
  const knownId = as === 'new' ? undefined : (as ?? resolver.find(c.name, c.email));
  if (knownId !== undefined) {
    const existing = list.first([knownId]);
    if (existing) {
      throw new Conflict(`${resolver.nameOf(knownId)} <${existing.email}> is already on the list of ${edition.title} (${existing.state})`);
    }
  }
  const owner = resolver.byAddress(c.email);
  const email = owner?.addresses.find((a) => a.toLowerCase() === c.email.toLowerCase()) ?? c.email;
  // A name from git history is read, as an import reads a page (a longer spelling may become
  // theirs); one typed by the committee is not.
  const personId = c.source === 'git' ? resolver.resolveLater(c.name, { address: email, isPublic: false }, as) : resolver.resolveLaterKeepingNames(c.name, { address: email, isPublic: false }, as);
  if (knownId === undefined || resolver.isKnownAs(knownId, c.name)) return { personId, email };
  const by = typeof as === 'number' ? resolver.byAddress(c.sameAs!)!.addresses.find((a) => a.toLowerCase() === c.sameAs!.toLowerCase())! : owner ? email : null;
  return { personId, email, nameNotTaken: { typed: c.name.replace(/\s+/g, ' '), by } };
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

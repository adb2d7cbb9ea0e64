/**
 * Many candidates at once (what `candidates --add` does with the miner's top people): hundreds
 * new to the archive, mixed with the same person again under another spelling or address case,
 * a namesake at a new address, close names that are other people, two people of one name, and
 * people the archive knew with or without an address. The people, names, addresses, list and
 * audit that result are exactly those of adding each in turn, written in a few statements. A
 * held batch of more invitations than one statement binds is released whole.
 */
import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { statementChunks } from '../../src/db/chunks.js';
import { addCandidate, addCandidatesIn, type AddCandidateInput, type CandidateView } from '../../src/domain/invitations/candidates.js';
import { releaseHeldBatch, sendInvitations } from '../../src/domain/invitations/send.js';
import { nameKey } from '../../src/domain/people/names.js';
import { testDatabases } from '../support/db.js';
import { COMMITTEE, makeDeps, makeEdition } from './fixtures.js';

/** Counts the statements run through a Kysely instance it is plugged into. */
function statementCounter(): KyselyPlugin & { count: number } {
  return {
    count: 0,
    transformQuery(args) {
      this.count++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
}

describe.each(testDatabases())('many candidates at once on $name', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => handle?.close());

  it('adds 300 in a few statements: new people once each, the known ones found, the rest refused', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    // Known before: by name only (Bea), and by an address (Cy).
    const bea: number[] = [];
    const cy: number[] = [];
    for (let j = 0; j < 15; j++) {
      const name = `Bea C${j}`;
      bea.push((await handle.db.insertInto('people').values({ slug: `bea-c${j}`, name, name_key: nameKey(name) }).returning('id').executeTakeFirstOrThrow()).id);
    }
    for (let j = 0; j < 10; j++) {
      const name = `Cy D${j}`;
      const { id } = await handle.db.insertInto('people').values({ slug: `cy-d${j}`, name, name_key: nameKey(name) }).returning('id').executeTakeFirstOrThrow();
      await handle.db.insertInto('person_emails').values({ person_id: id, email: `cy${j}@known.example`, is_public: true, is_primary: true }).execute();
      cy.push(id);
    }
    const peopleBefore = await handle.db.selectFrom('people').select('id').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();

    const inputs: Omit<AddCandidateInput, 'editionId'>[] = [];
    for (let i = 0; i < 200; i++) {
      inputs.push({ name: `Ada B${i}`, email: `ada${i}@bulk.example`, source: 'git', evidence: { rank: i + 1 } });
      // The same person again, by their address in other letters: on the list already.
      if (i < 40) inputs.push({ name: `Ada  B${i}`, email: `ADA${i}@Bulk.example`, source: 'git' });
    }
    // Their very name at a new address: a question, whose only answer is on the list already.
    for (let i = 40; i < 60; i++) inputs.push({ name: `Ada B${i}`, email: `ada${i}@other.example`, source: 'git' });
    // A close name at an address of their own: somebody else.
    for (let i = 60; i < 70; i++) inputs.push({ name: `Adalbert B${i}`, email: `adalbert${i}@bulk.example`, source: 'git' });
    // Known by name, now with a middle initial and an address; known by address, another spelling.
    for (let j = 0; j < 15; j++) inputs.push({ name: `Bea Q. C${j}`, email: `bea${j}@bulk.example`, source: 'git' });
    for (let j = 0; j < 10; j++) inputs.push({ name: `C. D${j}`, email: `CY${j}@KNOWN.example`, source: 'git' });
    inputs.push({ name: 'Nobody', email: 'not-an-address', source: 'git' }, { name: 'Nobody Else', email: 'also@', source: 'git' });
    // Two more people of one name, said to be new people.
    inputs.push({ name: 'Eve F', email: 'eve1@bulk.example', source: 'git' }, { name: 'Eve F', email: 'eve2@bulk.example', source: 'git', newPerson: true }, { name: 'Eve  F', email: 'eve3@bulk.example', source: 'git', newPerson: true });
    expect(inputs).toHaveLength(300);

    const counter = statementCounter();
    const out = await handle.db
      .withPlugin(counter)
      .transaction()
      .execute((trx) => addCandidatesIn(trx, deps.clock, COMMITTEE, editionId, inputs));
    // Read the edition, the people, their names and addresses and the list; write the people,
    // their names, their addresses, the renamed ones (one each), the list and the audit.
    expect(counter.count).toBeLessThanOrEqual(10 + 15);

    const added = out.filter((o): o is CandidateView => !(o instanceof Error));
    const refused = out.flatMap((o, i) => (o instanceof Error ? [[inputs[i]!.email, o.message]] : []));
    expect(refused).toEqual([
      ...Array.from({ length: 40 }, (_, i) => [`ADA${i}@Bulk.example`, `Ada B${i} <ada${i}@bulk.example> is already on the list of Netconf 2026 (candidate)`]),
      ...Array.from({ length: 20 }, (_, k) => [
        `ada${40 + k}@other.example`,
        `Ada B${40 + k} is known by ada${40 + k}@bulk.example, not ada${40 + k}@other.example, and is on the list of Netconf 2026 already (candidate): if that is a new address of theirs, there is nothing to add; if it is somebody else of that name, add them as a new person`,
      ]),
      ['not-an-address', 'email: "not-an-address" is not an address such as ada@example.org'],
      ['also@', 'email: "also@" is not an address such as ada@example.org'],
    ]);
    const expected = [
      ...Array.from({ length: 200 }, (_, i) => ({ name: `Ada B${i}`, slug: `ada-b${i}`, email: `ada${i}@bulk.example` })),
      ...Array.from({ length: 10 }, (_, k) => ({ name: `Adalbert B${60 + k}`, slug: `adalbert-b${60 + k}`, email: `adalbert${60 + k}@bulk.example` })),
      ...Array.from({ length: 15 }, (_, j) => ({ name: `Bea Q. C${j}`, slug: `bea-c${j}`, email: `bea${j}@bulk.example` })),
      // Their address as the archive has it, not as given.
      ...Array.from({ length: 10 }, (_, j) => ({ name: `Cy D${j}`, slug: `cy-d${j}`, email: `cy${j}@known.example` })),
      { name: 'Eve F', slug: 'eve-f', email: 'eve1@bulk.example' },
      { name: 'Eve F', slug: 'eve-f-2', email: 'eve2@bulk.example' },
      { name: 'Eve F', slug: 'eve-f-3', email: 'eve3@bulk.example' },
    ];
    expect(added.map((c) => ({ name: c.name, slug: c.personSlug, email: c.email }))).toEqual(expected);
    expect(added[0]!.evidence).toEqual({ rank: 1 });

    // The list, as it is read back: the same rows, in the order given.
    const listed = await handle.db
      .selectFrom('invitations')
      .innerJoin('people', 'people.id', 'invitations.person_id')
      .select(['invitations.id', 'invitations.person_id', 'people.name', 'people.slug', 'invitations.email', 'invitations.state', 'invitations.source'])
      .where('edition_id', '=', editionId)
      .orderBy('invitations.id')
      .execute();
    expect(listed.map((r) => ({ name: r.name, slug: r.slug, email: r.email }))).toEqual(expected);
    expect(listed.map((r) => [r.id, r.person_id])).toEqual(added.map((c) => [c.id, c.personId]));
    expect(new Set(listed.map((r) => `${r.state} ${r.source}`))).toEqual(new Set(['candidate git']));
    expect(listed.slice(210, 235).map((r) => r.person_id)).toEqual([...bea, ...cy]);

    // The people new to the archive: one each, in the order they came, with one name and one address.
    const fresh = await handle.db.selectFrom('people').select(['id', 'name', 'slug', 'name_key']).where('id', '>', peopleBefore.id).orderBy('id').execute();
    expect(fresh.map((p) => [p.name, p.slug, p.name_key])).toEqual([...expected.slice(0, 210), ...expected.slice(235)].map((e) => [e.name, e.slug, nameKey(e.name)]));
    const ids = [...fresh.map((p) => p.id), ...bea, ...cy];
    const names = await handle.db.selectFrom('person_names').select(['person_id', 'name']).where('person_id', 'in', ids).orderBy('person_id').orderBy('name').execute();
    expect(names.map((n) => [n.person_id, n.name])).toEqual([
      // Known by name: the new spelling, now the shown name (the slug stays); known by address: another name seen.
      ...bea.map((id, j) => [id, `Bea Q. C${j}`]),
      ...cy.map((id, j) => [id, `C. D${j}`]),
      ...fresh.map((p) => [p.id, p.name]),
    ]);
    const addresses = await handle.db.selectFrom('person_emails').select(['person_id', 'email', 'is_public', 'is_primary']).where('person_id', 'in', ids).orderBy('id').execute();
    expect(addresses.map((a) => [a.person_id, a.email, a.is_public, a.is_primary])).toEqual([
      ...cy.map((id, j) => [id, `cy${j}@known.example`, true, true]),
      ...added.filter((c) => !cy.includes(c.personId)).map((c) => [c.personId, c.email, false, true]),
    ]);
    const shown = await handle.db.selectFrom('people').select(['id', 'name', 'name_key']).where('id', 'in', bea).orderBy('id').execute();
    expect(shown.map((p) => [p.name, p.name_key])).toEqual(bea.map((_, j) => [`Bea Q. C${j}`, `bea c${j}`]));

    // One audit record an invitation, in the order of the list.
    const audit = await handle.db
      .selectFrom('audit_log')
      .select(['entity_id', 'actor', 'after'])
      .where('edition_id', '=', editionId)
      .where('action', '=', 'invitation.add-candidate')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => [a.entity_id, a.actor, (a.after as { person: string }).person, (a.after as { state: string }).state])).toEqual(
      listed.map((r) => [String(r.id), 'cli:committee', r.name, 'candidate']),
    );
  });

  it('adds more people than one statement can bind on PGlite (8,200, in a few statements each)', async () => {
    // Their addresses (4 columns), invitations (8) and audit records (9) pass PGlite's 32,767
    // parameters a statement: one statement each failed with "RangeError: Invalid array length".
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    const inputs = Array.from({ length: 8_200 }, (_, i) => ({ name: `Many P${i}`, email: `many${i}@bulk.example`, source: 'git' as const, evidence: { rank: i + 1 } }));
    const out = await handle.db.transaction().execute((trx) => addCandidatesIn(trx, deps.clock, COMMITTEE, editionId, inputs));
    expect(out.map((c) => (c instanceof Error ? c.message : [c.name, c.email]))).toEqual(inputs.map((i) => [i.name, i.email]));
    const listed = await handle.db
      .selectFrom('invitations')
      .innerJoin('person_emails', 'person_emails.person_id', 'invitations.person_id')
      .select(['invitations.id', 'invitations.email', 'person_emails.email as address', 'person_emails.is_primary'])
      .where('edition_id', '=', editionId)
      .orderBy('invitations.id')
      .execute();
    expect(listed.map((r) => [r.id, r.email, r.address, r.is_primary])).toEqual((out as CandidateView[]).map((c) => [c.id, c.email, c.email, true]));
    const audit = await handle.db.selectFrom('audit_log').select('entity_id').where('edition_id', '=', editionId).where('action', '=', 'invitation.add-candidate').orderBy('id').execute();
    expect(audit.map((a) => a.entity_id)).toEqual(listed.map((r) => String(r.id)));
  });

  it('releases a held batch of more invitations than a statement binds', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    const c = await addCandidate(deps, COMMITTEE, { editionId, name: 'Ada Held', email: 'ada@held.example' });
    const { batch } = await sendInvitations(deps, COMMITTEE, { editionId, ids: [c.id], hold: true });
    // 33,000 more invitations held in the batch, written as sending them would leave them: past
    // PGlite's 32,767 parameters when the batch's drafts are looked up by their Message-IDs.
    const n = 33_000;
    const tag = `held${editionId}`;
    const people = Array.from({ length: n }, (_, i) => ({ slug: `${tag}-${i}`, name: `Held ${tag} ${i}`, name_key: nameKey(`Held ${tag} ${i}`) }));
    const personIds: number[] = [];
    for (const chunk of statementChunks(people)) personIds.push(...(await handle.db.insertInto('people').values(chunk).returning('id').execute()).map((r) => r.id));
    const earlier = new Date('2026-02-01T00:00:00Z');
    const invitations = personIds.map((person_id, i) => ({ edition_id: editionId, person_id, email: `${tag}-${i}@held.example`, state: 'invited' as const, invited_at: earlier, invitation_message_id: `<${tag}-${i}@conclave.example>` }));
    for (const chunk of statementChunks(invitations)) await handle.db.insertInto('invitations').values(chunk).execute();
    const drafts = invitations.map((inv) => ({ edition_id: editionId, kind: 'invitation', batch, state: 'draft' as const, to_address: inv.email, from_address: 'netconf@example.org', subject: 'Invitation', body: 'Hello', message_id: inv.invitation_message_id, next_attempt_at: earlier }));
    for (const chunk of statementChunks(drafts)) await handle.db.insertInto('outbox').values(chunk).execute();

    deps.set('2026-03-02T09:00:00Z');
    expect(await releaseHeldBatch(deps, COMMITTEE, batch!)).toEqual({ released: n + 1 });
    const queued = await handle.db.selectFrom('outbox').select((eb) => eb.fn.countAll<string>().as('n')).where('batch', '=', batch).where('state', '=', 'queued').executeTakeFirstOrThrow();
    expect(Number(queued.n)).toBe(n + 1);
    // Invited when released, every one of them: the reminder counts from here.
    const invited = await handle.db.selectFrom('invitations').select('invited_at').where('edition_id', '=', editionId).execute();
    expect(invited).toHaveLength(n + 1);
    expect(new Set(invited.map((r) => r.invited_at?.toISOString()))).toEqual(new Set(['2026-03-02T09:00:00.000Z']));
  }, 300_000);
});

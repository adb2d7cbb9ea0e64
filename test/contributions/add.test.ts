/**
 * `--edition YEAR --add`: the miner's top people become candidates of the edition with their
 * evidence, audited; one already on the list is left out and said so.
 */
import type { KyselyPlugin, UpdateQueryNode } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { addMinedCandidates } from '../../src/domain/contributions/add-candidates.js';
import { mineContributions } from '../../src/domain/contributions/mine.js';
import { addCandidate, listCandidates } from '../../src/domain/invitations/candidates.js';
import { nameKey } from '../../src/domain/people/names.js';
import { testDatabases } from '../support/db.js';
import { COMMITTEE, makeDeps, makeEdition } from '../invitations/fixtures.js';
import { isolateGit, repoTemplates } from './fixtures.js';

isolateGit();
const built = repoTemplates();

describe.each(testDatabases())('mined candidates ($name)', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('adds the top people with their evidence, once', async () => {
    const r = built('alice-bob', (r) => {
      r.commit({ author: 'Alice Author <alice@example.org>', date: '2024-01-01T00:00:00Z', message: 'a\n\nSigned-off-by: Alice Author <alice@example.org>\nSigned-off-by: Mai Maintainer <mai@example.org>\n' });
      r.commit({ author: 'Bob Builder <bob@example.org>', date: '2024-01-02T00:00:00Z', message: 'b\n\nReviewed-by: Rita Reviewer <rita@example.org>\nSigned-off-by: Mai Maintainer <mai@example.org>\n' });
    });
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    await addCandidate(deps, COMMITTEE, { editionId, name: 'Rita Reviewer', email: 'rita@example.org' });
    const result = await mineContributions({ db: handle.db, clock: deps.clock }, { repo: r.dir, top: 3 });
    // Bob's commit is a day younger than Alice's: it weighs a little more.
    expect(result.rows.map((x) => x.name)).toEqual(['Mai Maintainer', 'Rita Reviewer', 'Bob Builder']);

    const out = await addMinedCandidates(deps, COMMITTEE, editionId, result);
    expect(out.added.map((c) => [c.name, c.email, c.source])).toEqual([
      ['Mai Maintainer', 'mai@example.org', 'git'],
      ['Bob Builder', 'bob@example.org', 'git'],
    ]);
    expect(out.left).toEqual([{ name: 'Rita Reviewer', email: 'rita@example.org', why: expect.stringMatching(/already on the list/) }]);

    const listed = await listCandidates(deps, editionId);
    const mai = listed.find((c) => c.name === 'Mai Maintainer')!;
    expect(mai.evidence).toMatchObject({
      rank: 1,
      summary: expect.stringMatching(/^score \d+(\.\d)?: 2 sign-offs; active 2024-01-01 – 2024-01-02$/),
      counts: { signedOff: 2 },
      repository: expect.stringContaining(r.dir.split('/').pop()!),
      query: 'HEAD',
    });
    const audit = await handle.db.selectFrom('audit_log').select(['action', 'actor']).where('edition_id', '=', editionId).where('action', '=', 'invitation.add-candidate').execute();
    expect(audit).toHaveLength(3);

    const again = await addMinedCandidates(deps, COMMITTEE, editionId, result);
    expect(again.added).toEqual([]);
    expect(again.left).toHaveLength(3);
  });

  it('leaves out, and says why, a name the archive knows by other addresses', async () => {
    const r = built('namesake', (r) => {
      r.commit({ author: 'Nell Namesake <nell@work.example>', date: '2024-01-01T00:00:00Z', message: 'a\n\nSigned-off-by: Nell Namesake <nell@work.example>\n' });
    });
    const deps = makeDeps(handle.db);
    const earlier = await makeEdition(handle.db);
    await addCandidate(deps, COMMITTEE, { editionId: earlier, name: 'Nell Namesake', email: 'nell@home.example' });
    const editionId = await makeEdition(handle.db);
    const out = await addMinedCandidates(deps, COMMITTEE, editionId, await mineContributions({ db: handle.db, clock: deps.clock }, { repo: r.dir, top: 3 }));
    expect(out.added).toEqual([]);
    expect(out.left).toEqual([{ name: 'Nell Namesake', email: 'nell@work.example', why: expect.stringMatching(/^Nell Namesake is known by nell@home\.example, not nell@work\.example: say whether/) }]);
  });

  it('adds them in one transaction: a failure part-way adds none', async () => {
    const r = built('failure', (r) => {
      r.commit({ author: 'Alice Author <alice@example.org>', date: '2024-01-01T00:00:00Z', message: 'a\n\nSigned-off-by: Mai Maintainer <mai@example.org>\n' });
      r.commit({ author: 'Bob Builder <bob@example.org>', date: '2024-01-02T00:00:00Z', message: 'b\n\nSigned-off-by: Mai Maintainer <mai@example.org>\n' });
    });
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    const result = await mineContributions({ db: handle.db, clock: deps.clock }, { repo: r.dir, top: 3 });
    expect(result.rows).toHaveLength(3);
    // The second row cannot be read: the first, already added in the transaction, is undone too.
    const broken = Object.defineProperty({ ...result.rows[1]! }, 'summary', {
      enumerable: true,
      get() {
        throw new Error('unreadable row');
      },
    });
    await expect(addMinedCandidates(deps, COMMITTEE, editionId, { ...result, rows: [result.rows[0]!, broken, result.rows[2]!] })).rejects.toThrow('unreadable row');
    expect(await listCandidates(deps, editionId)).toEqual([]);
    const audit = await handle.db.selectFrom('audit_log').select('id').where('edition_id', '=', editionId).execute();
    expect(audit).toEqual([]);

    const out = await addMinedCandidates(deps, COMMITTEE, editionId, result);
    expect(out.added.map((c) => c.name)).toEqual(result.rows.map((x) => x.name));
  });

  it('adds nobody when Ctrl-C comes while they are added', async () => {
    // It used to add them all: on the embedded database, whose queries are answered without a
    // turn of the event loop, the signal was not heard before the transaction committed.
    const r = built('ctrl-c', (r) => {
      r.commit({ author: 'Alice Author <alice@example.org>', date: '2024-01-01T00:00:00Z', message: 'a\n\nSigned-off-by: Mai Maintainer <mai@example.org>\n' });
      r.commit({ author: 'Bob Builder <bob@example.org>', date: '2024-01-02T00:00:00Z', message: 'b\n\nSigned-off-by: Mai Maintainer <mai@example.org>\n' });
    });
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    const result = await mineContributions({ db: handle.db, clock: deps.clock }, { repo: r.dir, top: 3 });
    expect(result.rows).toHaveLength(3);
    // The abort comes from the event loop, as Ctrl-C's signal does, once the first row is read.
    const stop = new AbortController();
    const reading = Object.defineProperty({ ...result.rows[0]! }, 'summary', {
      enumerable: true,
      get() {
        setImmediate(() => stop.abort());
        return result.rows[0]!.summary;
      },
    });
    const run = addMinedCandidates({ ...deps, signal: stop.signal }, COMMITTEE, editionId, { ...result, rows: [reading, ...result.rows.slice(1)] });
    await expect(run).rejects.toThrow(/^interrupted before the candidates were added; nobody was added$/);
    expect(await listCandidates(deps, editionId)).toEqual([]);
    const audit = await handle.db.selectFrom('audit_log').select('id').where('edition_id', '=', editionId).execute();
    expect(audit).toEqual([]);
  });

  it('renames the people it knows, with their new addresses, in one update, whatever their number', async () => {
    const r = built('renames', (r) => {
      r.commit({ author: 'Alice Author <alice@example.org>', date: '2024-01-01T00:00:00Z', message: 'a\n' });
    });
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    const mined = await mineContributions({ db: handle.db, clock: deps.clock }, { repo: r.dir, top: 1 });
    // Known by a name without an address; mined with a middle initial: the same person, whose
    // shown name becomes the longer one, with a new (primary) address. Each code differs from
    // another's in its first and its last name, so that nobody is one letter off another.
    const code = (i: number) => String.fromCharCode(97 + Math.floor(i / 26), 97 + (i % 26));
    const people = Array.from({ length: 60 }, (_, i) => ({ known: `Ren${code(i)} Amed${code(i)}son`, mined: `Ren${code(i)} Q. Amed${code(i)}son`, email: `ren${i}@mined.example` }));
    const before = new Map<string, { id: number; slug: string }>();
    for (const p of people) {
      const slug = `${nameKey(p.known).replace(/ /g, '-')}-${editionId}`;
      before.set(p.mined, await handle.db.insertInto('people').values({ slug, name: p.known, name_key: nameKey(p.known) }).returning(['id', 'slug']).executeTakeFirstOrThrow());
    }
    // The UPDATE statements the addition runs, by table.
    const updates: string[] = [];
    const counting: KyselyPlugin = {
      transformQuery: ({ node }) => {
        if (node.kind === 'UpdateQueryNode') updates.push(JSON.stringify((node as UpdateQueryNode).table));
        return node;
      },
      transformResult: async ({ result }) => result,
    };
    const rows = people.map((p) => ({ ...mined.rows[0]!, name: p.mined, email: p.email }));
    const out = await addMinedCandidates({ ...deps, db: handle.db.withPlugin(counting) }, COMMITTEE, editionId, { ...mined, rows });
    expect(out.left).toEqual([]);

    // As one update each wrote it: the new shown name and its key, the slug kept, the name seen, the address.
    const ids = people.map((p) => before.get(p.mined)!.id);
    const written = await handle.db.selectFrom('people').select(['id', 'name', 'name_key', 'slug']).where('id', 'in', ids).orderBy('id').execute();
    expect(written).toEqual(people.map((p) => ({ id: before.get(p.mined)!.id, name: p.mined, name_key: nameKey(p.mined), slug: before.get(p.mined)!.slug })));
    const names = await handle.db.selectFrom('person_names').select(['person_id', 'name']).where('person_id', 'in', ids).orderBy('person_id').orderBy('name').execute();
    expect(names).toEqual(people.map((p) => ({ person_id: before.get(p.mined)!.id, name: p.mined })));
    const emails = await handle.db.selectFrom('person_emails').select(['person_id', 'email', 'is_primary']).where('person_id', 'in', ids).orderBy('person_id').execute();
    expect(emails).toEqual(people.map((p) => ({ person_id: before.get(p.mined)!.id, email: p.email, is_primary: true })));
    expect(out.added.map((c) => [c.personId, c.name, c.personSlug, c.email])).toEqual(people.map((p) => [before.get(p.mined)!.id, p.mined, before.get(p.mined)!.slug, p.email]));
    const audit = await handle.db.selectFrom('audit_log').select(['entity_id', 'after']).where('edition_id', '=', editionId).where('action', '=', 'invitation.add-candidate').orderBy('id').execute();
    expect(audit.map((a) => [(a.after as { person: string }).person, (a.after as { email: string }).email])).toEqual(people.map((p) => [p.mined, p.email]));
    expect(audit.map((a) => a.entity_id)).toEqual(out.added.map((c) => String(c.id)));
    // Sixty people renamed, one statement: not one each.
    expect(updates).toHaveLength(1);
    expect(updates[0]).toContain('"people"');
  });
});

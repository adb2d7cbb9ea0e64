/**
 * Two records of one person made one (mergePeople), and a person's shown name changed
 * (renamePerson): every reference moves, what would be there twice becomes one, what cannot be
 * made one is refused writing nothing, the old spellings and the old slug still lead to them.
 */
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import type { Database } from '../../src/db/schema.js';
import { Conflict } from '../../src/domain/errors.js';
import { Resolver } from '../../src/domain/people/identity.js';
import { loadPerson, slugOfOtherName } from '../../src/domain/people/load-person.js';
import { MergedAlready, mergePeople, planMerge, personRecord, renamePerson } from '../../src/domain/people/merge.js';
import { COMMITTEE, makeEdition } from '../invitations/fixtures.js';
import { testDatabases } from '../support/db.js';
import { raceDatabase } from '../support/pg-race.js';

let serial = 0;

/** A person as an import writes one: a name (and an address), through the Resolver. */
async function person(db: Kysely<Database>, name: string, address?: string): Promise<{ id: number; slug: string }> {
  const r = await Resolver.load(db);
  const id = await r.resolve(name, address ? { address, isPublic: true } : undefined, 'new');
  return { id, slug: r.shown(id)!.slug };
}

/** A talk slot of `editionId` with `speakers` in that order. */
async function talk(db: Kysely<Database>, editionId: number, title: string, speakers: number[]): Promise<number> {
  const day =
    (await db.selectFrom('agenda_days').select('id').where('edition_id', '=', editionId).executeTakeFirst()) ??
    (await db.insertInto('agenda_days').values({ edition_id: editionId, date: '2026-05-11', label: 'Monday', position: 0 }).returning('id').executeTakeFirstOrThrow());
  const slot = await db
    .insertInto('slots')
    .values({ day_id: day.id, start_time: `1${serial++ % 10}:00`, kind: 'talk', title, position: serial })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const [i, id] of speakers.entries()) await db.insertInto('slot_speakers').values({ slot_id: slot.id, person_id: id, name_as_listed: `speaker ${i}`, position: i }).execute();
  return slot.id;
}

async function attend(db: Kysely<Database>, editionId: number, personId: number, extra: { email?: string; affiliation?: string } = {}) {
  await db
    .insertInto('attendances')
    .values({ edition_id: editionId, person_id: personId, name_as_listed: 'as listed', email_as_listed: extra.email ?? null, affiliation_as_listed: extra.affiliation ?? null, position: serial++ })
    .execute();
}

async function invite(db: Kysely<Database>, editionId: number, personId: number, email: string): Promise<number> {
  const r = await db.insertInto('invitations').values({ edition_id: editionId, person_id: personId, email, state: 'invited' }).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/** Every reference to `id` in the tables holding person ids. */
async function references(db: Kysely<Database>, id: number): Promise<Record<string, number>> {
  const count = async (table: keyof Database, column: string) =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where(column as never, '=', id as never).executeTakeFirstOrThrow()).n);
  return {
    people: await count('people', 'id'),
    person_names: await count('person_names', 'person_id'),
    person_emails: await count('person_emails', 'person_id'),
    attendances: await count('attendances', 'person_id'),
    committee_members: await count('committee_members', 'person_id'),
    invitations: await count('invitations', 'person_id'),
    slot_speakers: await count('slot_speakers', 'person_id'),
    topic_presenters: await count('topic_presenters', 'person_id'),
    topics: await count('topics', 'proposer_id'),
    materials: await count('materials', 'author_id'),
    committee_accounts: await count('committee_accounts', 'person_id'),
  };
}

/** What two merges at once came to, the merge first: "merged", or what MergedAlready said; anything else as it is. */
function outcomes(settled: PromiseSettledResult<unknown>[]): unknown[] {
  return settled
    .map((r) => (r.status === 'fulfilled' ? 'merged' : r.reason instanceof MergedAlready ? r.reason.message : r.reason))
    .sort((a, b) => Number(a !== 'merged') - Number(b !== 'merged'));
}

describe.each(testDatabases())('merging and renaming people on $name', ({ open }) => {
  let handle: Db;
  let db: Kysely<Database>;
  beforeAll(async () => {
    handle = await open();
    db = handle.db;
  });
  afterAll(async () => handle?.close());

  it('moves every reference to the kept person, makes doubles one, and leaves nothing of the other', async () => {
    const e1 = await makeEdition(db, { status: 'final' });
    const e2 = await makeEdition(db, { status: 'final' });
    const from = await person(db, 'Dave Miller', 'davem@example.net');
    const into = await person(db, 'David S. Miller', 'david@example.org');
    const other = await person(db, 'Jamal Hadi Salim');
    // Both attended e1 (only the merged record's row has the address the page gave); one of them e2.
    await attend(db, e1, into.id);
    await attend(db, e1, from.id, { email: 'davem@example.net', affiliation: 'Red Hat' });
    await attend(db, e2, from.id);
    // One committee seat each in e1, one role; the merged record's alone in e2.
    await db.insertInto('committee_members').values({ edition_id: e1, person_id: into.id, role: 'Chair', position: 0 }).execute();
    await db.insertInto('committee_members').values({ edition_id: e1, person_id: from.id, role: 'chair', position: 1 }).execute();
    await db.insertInto('committee_members').values({ edition_id: e2, person_id: from.id, role: null, position: 0 }).execute();
    // A slot both speak in, one only the merged record speaks in.
    const both = await talk(db, e1, 'Netdev status', [into.id, other.id, from.id]);
    const alone = await talk(db, e2, 'TCP futures', [from.id]);
    const topic = await db
      .insertInto('topics')
      .values({ edition_id: e2, number: 1, title: 'GRO', origin: 'proposal', proposer_id: from.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('topic_presenters').values([{ topic_id: topic.id, person_id: from.id, position: 0 }]).execute();
    await db.insertInto('materials').values({ edition_id: e2, kind: 'notes', label: 'Notes', author_id: from.id, position: 0 }).execute();
    await db.insertInto('committee_accounts').values({ person_id: from.id, email: 'davem@example.net' }).execute();
    const invitation = await invite(db, e2, from.id, 'davem@example.net');
    const change = await db
      .insertInto('schedule_changes')
      .values({ edition_id: e2, actor: 'cli:x', kind: 'edit', summary: 'moved', notified: JSON.stringify([from.id, other.id, into.id]) })
      .returning('id')
      .executeTakeFirstOrThrow();

    const planned = await planMerge({ db }, { from: from.slug, into: into.slug });
    expect(planned.clashes).toEqual([]);
    expect(planned.items.find((i) => i.what === 'attendances')).toMatchObject({ moved: [expect.stringContaining(' ')], collapsed: [expect.stringContaining(' ')] });
    // The plan wrote nothing.
    expect((await references(db, from.id)).people).toBe(1);

    await mergePeople({ db }, COMMITTEE, { from: from.slug, into: into.slug });

    expect(Object.values(await references(db, from.id)).every((n) => n === 0)).toBe(true);
    const kept = await references(db, into.id);
    expect(kept).toMatchObject({ people: 1, person_emails: 2, attendances: 2, committee_members: 2, invitations: 1, slot_speakers: 2, topic_presenters: 1, topics: 1, materials: 1, committee_accounts: 1 });
    // The doubles are one row, the kept person's, given what only the other's had.
    const e1Attendance = await db.selectFrom('attendances').selectAll().where('edition_id', '=', e1).execute();
    expect(e1Attendance).toHaveLength(1);
    expect(e1Attendance[0]).toMatchObject({ person_id: into.id, email_as_listed: 'davem@example.net', affiliation_as_listed: 'Red Hat' });
    expect(await db.selectFrom('committee_members').select(['person_id', 'role']).where('edition_id', '=', e1).execute()).toEqual([{ person_id: into.id, role: 'Chair' }]);
    expect((await db.selectFrom('slot_speakers').select('person_id').where('slot_id', '=', both).orderBy('position').execute()).map((r) => r.person_id)).toEqual([into.id, other.id]);
    expect((await db.selectFrom('slot_speakers').select('person_id').where('slot_id', '=', alone).execute()).map((r) => r.person_id)).toEqual([into.id]);
    expect((await db.selectFrom('invitations').select('person_id').where('id', '=', invitation).executeTakeFirstOrThrow()).person_id).toBe(into.id);
    expect((await db.selectFrom('schedule_changes').select('notified').where('id', '=', change.id).executeTakeFirstOrThrow()).notified).toEqual([into.id, other.id]);
    // Only one primary address.
    expect((await db.selectFrom('person_emails').select('email').where('person_id', '=', into.id).where('is_primary', '=', true).execute()).map((r) => r.email)).toEqual(['david@example.org']);
    // The page shows both years, and the talk of each.
    const view = await loadPerson({ db }, into.slug, '2030-01-01');
    expect(view.otherNames).toContain('Dave Miller');
    expect(view.years.flatMap((y) => y.talks.map((t) => t.title)).sort()).toEqual(['Netdev status', 'TCP futures']);
    const audit = await db.selectFrom('audit_log').select(['action', 'entity_id']).where('action', '=', 'person.merge').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(audit.entity_id).toBe(String(into.id));
  });

  it('leads the old slug and the old spelling to the kept person', async () => {
    const e = await makeEdition(db, { status: 'final' });
    const from = await person(db, 'Tom Graf');
    const into = await person(db, 'Thomas Graf');
    // A namesake's record ("tom-graf-2"): its slug is no name's, and still leads on.
    const twin = await person(db, 'Tom Graf');
    expect(twin.slug).toBe(`${from.slug}-2`);
    await attend(db, e, into.id);
    await mergePeople({ db }, COMMITTEE, { from: twin.slug, into: into.slug });
    await mergePeople({ db }, COMMITTEE, { from: from.slug, into: into.slug });
    expect(await slugOfOtherName({ db }, from.slug, '2030-01-01')).toBe(into.slug);
    expect(await slugOfOtherName({ db }, twin.slug, '2030-01-01')).toBe(into.slug);
    // A later import of either spelling finds the kept person; a new person does not get the old slug.
    const r = await Resolver.load(db);
    expect(r.find('Tom Graf')).toBe(into.id);
    const fresh = await r.resolve('Tom Graf', undefined, 'new');
    expect(r.shown(fresh)!.slug).not.toBe(from.slug);
    expect(r.shown(fresh)!.slug).not.toBe(twin.slug);
    expect((await personRecord({ db }, into.slug)).oldSlugs.sort()).toEqual([from.slug, twin.slug].sort());
  });

  it('refuses two invitations to one edition, or two roles on one committee, writing nothing', async () => {
    const e = await makeEdition(db, { status: 'final' });
    const from = await person(db, 'Hideaki Yoshifuji');
    const into = await person(db, 'Yoshifuji Hideaki');
    await attend(db, e, from.id);
    await invite(db, e, from.id, 'yoshfuji@example.net');
    await invite(db, e, into.id, 'hideaki@example.net');
    await db.insertInto('committee_members').values({ edition_id: e, person_id: from.id, role: 'Chair', position: 0 }).execute();
    await db.insertInto('committee_members').values({ edition_id: e, person_id: into.id, role: 'Treasurer', position: 1 }).execute();
    const before = await references(db, from.id);

    const planned = await planMerge({ db }, { from: from.slug, into: into.slug });
    expect(planned.clashes).toHaveLength(2);
    expect(planned.clashes.join('\n')).toMatch(/Netconf \d+: both have an invitation/);
    expect(planned.clashes.join('\n')).toMatch(/Netconf \d+: both sat on the committee, as “Chair”.*“Treasurer”/);
    // What clashes is neither among what moves nor what is made one with theirs.
    expect(planned.items.find((i) => i.what === 'committee seats')).toBeUndefined();
    expect(planned.items.find((i) => i.what === 'invitations')).toBeUndefined();
    const refused = mergePeople({ db }, COMMITTEE, { from: from.slug, into: into.slug });
    await expect(refused).rejects.toBeInstanceOf(Conflict);
    await expect(refused).rejects.toThrow(/both have an invitation/);
    expect(await references(db, from.id)).toEqual(before);
  });

  it('merges a pair asked twice at once once, and says the other is merged already', async () => {
    const e = await makeEdition(db, { status: 'final' });
    const from = await person(db, 'Jamal Hadi');
    const into = await person(db, 'Jamal Hadi Salim');
    await attend(db, e, from.id);
    const both = await Promise.allSettled([mergePeople({ db }, COMMITTEE, { from: from.slug, into: into.slug }), mergePeople({ db }, COMMITTEE, { from: from.slug, into: into.slug })]);
    expect(outcomes(both)).toEqual(['merged', `${from.slug} is merged into Jamal Hadi Salim (${into.slug}) already: there is nothing left to merge, and /people/${from.slug}/ leads to them.`]);
    expect(await references(db, into.id)).toMatchObject({ people: 1, attendances: 1 });
    expect(await db.selectFrom('person_slugs').select('person_id').where('slug', '=', from.slug).execute()).toEqual([{ person_id: into.id }]);
  });

  it('refuses a person merged into themselves, and one nobody is', async () => {
    const p = await person(db, 'Pablo Neira Ayuso');
    await expect(planMerge({ db }, { from: p.slug, into: p.slug })).rejects.toThrow(/same person/);
    await expect(mergePeople({ db }, COMMITTEE, { from: 'nobody-at-all', into: p.slug })).rejects.toThrow(/nobody is known as nobody-at-all/);
  });

  it('renames a person: the slug follows, the old name and slug still lead to them', async () => {
    const e = await makeEdition(db, { status: 'final' });
    const p = await person(db, 'Jesper Brouer');
    await attend(db, e, p.id);
    const done = await renamePerson({ db }, COMMITTEE, { slug: p.slug, name: '  Jesper  Dangaard Brouer ' });
    expect(done).toEqual({ before: { slug: p.slug, name: 'Jesper Brouer' }, after: { slug: 'jesper-dangaard-brouer', name: 'Jesper Dangaard Brouer' } });
    const view = await loadPerson({ db }, 'jesper-dangaard-brouer', '2030-01-01');
    expect(view.name).toBe('Jesper Dangaard Brouer');
    expect(view.otherNames).toEqual(['Jesper Brouer']);
    expect(await slugOfOtherName({ db }, p.slug, '2030-01-01')).toBe('jesper-dangaard-brouer');
    const r = await Resolver.load(db);
    expect(r.find('Jesper Brouer')).toBe(p.id);
    // Renamed back: the first slug is theirs again.
    await renamePerson({ db }, COMMITTEE, { slug: 'jesper-dangaard-brouer', name: 'Jesper Brouer' });
    expect((await personRecord({ db }, p.slug)).oldSlugs).toEqual(['jesper-dangaard-brouer']);
    expect((await db.selectFrom('audit_log').select('action').where('action', '=', 'person.rename').execute()).length).toBeGreaterThanOrEqual(2);
  });

  it('renames a person to a name in its own script: the slug is its letters', async () => {
    const p = await person(db, 'Xiaoming Wang');
    const done = await renamePerson({ db }, COMMITTEE, { slug: p.slug, name: '王小明' });
    expect(done.after.slug).toBe('王小明');
    expect((await personRecord({ db }, '王小明')).oldSlugs).toEqual([p.slug]);
  });

  it('keeps the slug when the new name’s is somebody else’s', async () => {
    const taken = await person(db, 'Florian Westphal');
    const p = await person(db, 'F. Westphal');
    const done = await renamePerson({ db }, COMMITTEE, { slug: p.slug, name: 'Florian Westphal' });
    expect(done.after.slug).toBe(p.slug);
    expect(taken.slug).toBe('florian-westphal');
  });
});

const postgres = testDatabases().filter((d) => d.name === 'postgres');

/**
 * Two merges of one pair truly at once, on PostgreSQL (PGlite runs one transaction at a time and
 * would hide it): both are under way before either has the rows, held by a third transaction.
 */
describe.skipIf(postgres.length === 0)('two merges of one pair racing on postgres', () => {
  let db: Kysely<Database>;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ db, drop } = await raceDatabase(process.env.TEST_DATABASE_URL!, 4));
  });
  afterAll(async () => drop?.());

  /** Waits (up to two seconds) until `n` sessions wait for a lock; how many do. */
  async function waiting(n: number): Promise<number> {
    const count = async () => (await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(db)).rows[0]!.n;
    for (let i = 0; i < 100 && (await count()) < n; i++) await new Promise((r) => setTimeout(r, 20));
    return count();
  }

  it('merges once, and the other merge says it is merged already instead of failing', async () => {
    const e = await makeEdition(db, { status: 'final' });
    const from = await person(db, 'Stephen Hemminger');
    const into = await person(db, 'Stephen C. Hemminger');
    await attend(db, e, from.id);
    let both: Promise<PromiseSettledResult<unknown>[]> | undefined;
    await db.transaction().execute(async (trx) => {
      // What another write to the kept person does, held open while both merges start.
      await trx.selectFrom('people').select('id').where('id', '=', into.id).forUpdate().execute();
      const merge = () => mergePeople({ db }, COMMITTEE, { from: from.slug, into: into.slug });
      both = Promise.allSettled([merge(), merge()]);
      expect(await waiting(2)).toBe(2);
    });
    expect(outcomes(await both!)).toEqual(['merged', `${from.slug} is merged into Stephen C. Hemminger (${into.slug}) already: there is nothing left to merge, and /people/${from.slug}/ leads to them.`]);
    expect(await references(db, from.id)).toMatchObject({ people: 0, attendances: 0 });
    expect(await references(db, into.id)).toMatchObject({ people: 1, attendances: 1 });
    expect((await db.selectFrom('audit_log').select('action').where('action', '=', 'person.merge').execute()).length).toBe(1);
  });
});

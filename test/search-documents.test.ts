/**
 * The stored search documents (migration 031) follow every write that changes what search finds:
 * a person renamed or given another name, a slot's or a topic's title edited, an edition's
 * subtitle, place or sponsor changed, a material relabelled, a slot removed, a topic declined,
 * an edition set back to planned. After each, search finds the new text and no longer the old.
 * Edits go through the domain's functions where it has one, else (renames, other names, labels:
 * what imports write) straight to the tables, as an import or a hand-written UPDATE would.
 * A transaction that defers them (migration 032: imports, restores) has them made once, at its
 * commit, and a rolled-back one leaves nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/connect.js';
import type { Database } from '../src/db/schema.js';
import { bundledPages } from '../src/domain/archive/bundled.js';
import { importPages } from '../src/domain/archive/import-pages.js';
import { removeEditionPart, updateEditionPart } from '../src/domain/editions/edition-parts.js';
import { updateEdition } from '../src/domain/editions/edit-edition.js';
import { removeSlot } from '../src/domain/program/schedule-edit.js';
import { updateTopic } from '../src/domain/program/topics.js';
import { readBackup, writeBackup } from '../src/ops/backup.js';
import { deferSearchRefresh } from '../src/domain/search/documents.js';
import { plain } from '../src/domain/search/highlight.js';
import { search } from '../src/domain/search/search.js';
import { COMMITTEE, makeDeps } from './invitations/fixtures.js';
import { testDatabases } from './support/db.js';

const ref = { series: 'netconf', year: 2090 };

interface Fixture {
  editionId: number;
  talkId: number;
  topicSlotId: number;
  topicId: number;
  speakerId: number;
  presenterId: number;
  sponsorId: number;
  slidesId: number;
}

/**
 * Netconf 2090, final: a talk by Ada Oldsurname (listed as "Ada O.") with slides labelled "Oldlabelword", a topic by
 * Bert Presenter with its own slot, notes by Nora Notetaker, a sponsor, a subtitle and a place.
 */
async function build(db: Kysely<Database>): Promise<Fixture> {
  const series = await db.insertInto('series').values({ slug: 'netconf', name: 'Netconf' }).returning('id').executeTakeFirstOrThrow();
  const e = await db
    .insertInto('editions')
    .values({ series_id: series.id, year: 2090, title: 'Netconf 2090', intro: '[]', sections: '[]', status: 'final', start_date: '2090-05-10', subtitle: 'Oldsubtitleword workshop', location_text: 'Oldplaceton, Spain' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const person = (slug: string, name: string) =>
    db.insertInto('people').values({ slug, name, name_key: name.toLowerCase() }).returning('id').executeTakeFirstOrThrow();
  const ada = await person('ada', 'Ada Oldsurname');
  const bert = await person('bert', 'Bert Presenter');
  const nora = await person('nora', 'Nora Notetaker');
  const day = await db.insertInto('agenda_days').values({ edition_id: e.id, date: '2090-05-10', label: 'Monday', position: 0 }).returning('id').executeTakeFirstOrThrow();
  const talk = await db
    .insertInto('slots')
    .values({ day_id: day.id, start_time: '10:00', kind: 'talk', title: 'Oldslottitle in the stack', position: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('slot_speakers').values({ slot_id: talk.id, person_id: ada.id, name_as_listed: 'Ada O.', position: 0 }).execute();
  const topic = await db
    .insertInto('topics')
    .values({ edition_id: e.id, number: 1, title: 'Oldtopictitle for everyone', abstract: 'What we would do.', origin: 'invitee', state: 'accepted', proposer_id: bert.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('topic_presenters').values({ topic_id: topic.id, person_id: bert.id, position: 0 }).execute();
  const topicSlot = await db
    .insertInto('slots')
    .values({ day_id: day.id, start_time: '11:00', kind: 'discussion', title: '', topic_id: topic.id, position: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const slides = await db
    .insertInto('materials')
    .values({ edition_id: e.id, slot_id: talk.id, kind: 'slides', label: 'Oldlabelword slides', url: 'https://example.org/s.pdf', position: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('materials').values({ edition_id: e.id, kind: 'notes', label: 'Meeting notes', body: 'Notes.', author_id: nora.id, position: 0 }).execute();
  const sponsor = await db.insertInto('sponsors').values({ edition_id: e.id, name: 'Oldsponsorco', kind: 'company', position: 0 }).returning('id').executeTakeFirstOrThrow();
  return { editionId: e.id, talkId: talk.id, topicSlotId: topicSlot.id, topicId: topic.id, speakerId: ada.id, presenterId: bert.id, sponsorId: sponsor.id, slidesId: slides.id };
}

describe.each(testDatabases())('stored search documents on $name', ({ open }) => {
  let handle: Db;
  let db: Kysely<Database>;
  let f: Fixture;
  let filesDir: string;
  const deps = () => ({ ...makeDeps(db, '2091-01-01T12:00:00Z'), filesDir });
  /** What search finds for `query`: "type: title" of each hit, sorted. */
  const found = async (query: string) => (await search({ db }, { query })).hits.map((h) => `${h.type}: ${plain(h.title)}`).sort();

  beforeAll(async () => {
    handle = await open();
    db = handle.db;
    filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-search-docs-'));
    f = await build(db);
  });
  afterAll(async () => {
    await handle?.close();
    if (filesDir) fs.rmSync(filesDir, { recursive: true, force: true });
  });

  it('finds what was written before any edit', async () => {
    expect(await found('oldslottitle')).toEqual(['talk: Oldslottitle in the stack']);
    expect(await found('oldsurname')).toContain('talk: Oldslottitle in the stack');
    expect(await found('oldlabelword')).toEqual(['talk: Oldslottitle in the stack']);
    expect(await found('oldtopictitle')).toEqual(['talk: Oldtopictitle for everyone', 'topic: Oldtopictitle for everyone']);
    expect(await found('oldsubtitleword')).toEqual(['edition: Netconf 2090']);
    expect(await found('notetaker')).toContain('edition: Netconf 2090');
  });

  it('follows a person renamed: their talk by the new name, not the old', async () => {
    await db.updateTable('people').set({ name: 'Ada Newsurname', name_key: 'ada newsurname' }).where('id', '=', f.speakerId).execute();
    expect(await found('newsurname')).toEqual(['person: Ada Newsurname', 'talk: Oldslottitle in the stack']);
    expect(await found('oldsurname')).toEqual([]);
  });

  it('follows another name added to and taken from a person: talk, topic and notes', async () => {
    await db.insertInto('person_names').values([{ person_id: f.speakerId, name: 'Adelheid Altname' }, { person_id: f.presenterId, name: 'Bertram Otherbert' }]).execute();
    expect(await found('altname')).toEqual(['person: Ada Newsurname', 'talk: Oldslottitle in the stack']);
    expect(await found('otherbert')).toEqual(['person: Bert Presenter', 'topic: Oldtopictitle for everyone']);
    await db.deleteFrom('person_names').where('name', 'in', ['Adelheid Altname', 'Bertram Otherbert']).execute();
    expect(await found('altname')).toEqual([]);
    expect(await found('otherbert')).toEqual([]);
  });

  it('follows the author of notes renamed: the edition by the new name', async () => {
    await db.updateTable('people').set({ name: 'Nora Scribewell', name_key: 'nora scribewell' }).where('slug', '=', 'nora').execute();
    expect(await found('scribewell')).toContain('edition: Netconf 2090');
    expect(await found('notetaker')).toEqual([]);
  });

  it('follows a speaker added to a talk and a presenter to a topic, and taken off again', async () => {
    const carl = await db.insertInto('people').values({ slug: 'carl', name: 'Carl Cospeaker', name_key: 'carl cospeaker' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('slot_speakers').values({ slot_id: f.talkId, person_id: carl.id, name_as_listed: 'Carl Cospeaker', position: 1 }).execute();
    await db.insertInto('topic_presenters').values({ topic_id: f.topicId, person_id: carl.id, position: 1 }).execute();
    expect(await found('cospeaker')).toEqual(['person: Carl Cospeaker', 'talk: Oldslottitle in the stack', 'topic: Oldtopictitle for everyone']);
    await db.deleteFrom('slot_speakers').where('person_id', '=', carl.id).execute();
    await db.deleteFrom('topic_presenters').where('person_id', '=', carl.id).execute();
    expect(await found('cospeaker')).toEqual([]);
  });

  it('follows a topic’s notes: their author finds the edition while the topic is accepted and on the agenda', async () => {
    await db.insertInto('materials').values({ edition_id: f.editionId, topic_id: f.topicId, kind: 'notes', label: 'Topic notes', body: 'Said.', credit: 'Tessa Topicscribe', position: 1 }).execute();
    expect(await found('topicscribe')).toContain('edition: Netconf 2090');
    await db.updateTable('slots').set({ topic_id: null, title: 'Open floor' }).where('id', '=', f.topicSlotId).execute();
    expect(await found('topicscribe')).toEqual([]);
    await db.updateTable('slots').set({ topic_id: f.topicId, title: '' }).where('id', '=', f.topicSlotId).execute();
    expect(await found('topicscribe')).toContain('edition: Netconf 2090');
    await db.deleteFrom('materials').where('credit', '=', 'Tessa Topicscribe').execute();
    expect(await found('topicscribe')).toEqual([]);
  });

  it('follows a slot’s title edited', async () => {
    await db.updateTable('slots').set({ title: 'Newslottitle in the stack' }).where('id', '=', f.talkId).execute();
    expect(await found('newslottitle')).toEqual(['talk: Newslottitle in the stack']);
    expect(await found('oldslottitle')).toEqual([]);
  });

  it('follows a topic’s title edited: the topic and the slot made for it', async () => {
    await updateTopic(deps(), COMMITTEE, { topicId: f.topicId, title: 'Newtopictitle for everyone' });
    expect(await found('newtopictitle')).toEqual(['talk: Newtopictitle for everyone', 'topic: Newtopictitle for everyone']);
    expect(await found('oldtopictitle')).toEqual([]);
  });

  it('follows a material’s label edited, and its removal', async () => {
    await db.updateTable('materials').set({ label: 'Newlabelword slides' }).where('id', '=', f.slidesId).execute();
    expect(await found('newlabelword')).toEqual(['talk: Newslottitle in the stack']);
    expect(await found('oldlabelword')).toEqual([]);
    await db.deleteFrom('materials').where('id', '=', f.slidesId).execute();
    expect(await found('newlabelword')).toEqual([]);
  });

  it('follows an edition’s subtitle, place and co-located event edited', async () => {
    await updateEdition(deps(), COMMITTEE, { ...ref, fields: { subtitle: 'Newsubtitleword workshop', locationText: 'Newplaceton, Spain', colocatedName: 'Newcolocon' } });
    expect(await found('newsubtitleword')).toEqual(['edition: Netconf 2090']);
    expect(await found('newplaceton')).toEqual(['edition: Netconf 2090']);
    expect(await found('newcolocon')).toEqual(['edition: Netconf 2090']);
    expect(await found('oldsubtitleword')).toEqual([]);
    expect(await found('oldplaceton')).toEqual([]);
  });

  it('follows a sponsor renamed and removed', async () => {
    await updateEditionPart(deps(), COMMITTEE, ref, 'sponsor', f.sponsorId, { name: 'Newsponsorco' });
    expect(await found('newsponsorco')).toEqual(['edition: Netconf 2090']);
    expect(await found('oldsponsorco')).toEqual([]);
    await removeEditionPart(deps(), COMMITTEE, ref, 'sponsor', f.sponsorId);
    expect(await found('newsponsorco')).toEqual([]);
  });

  it('follows a topic declined: its slot’s title stays on the agenda, the topic goes', async () => {
    await db.updateTable('topics').set({ state: 'declined' }).where('id', '=', f.topicId).execute();
    expect(await found('newtopictitle')).toEqual(['talk: Newtopictitle for everyone']);
  });

  it('follows a slot removed', async () => {
    await removeSlot(deps(), COMMITTEE, ref, f.talkId);
    expect(await found('newslottitle')).toEqual([]);
    // Nor is she found as a person any more: that talk was what she was shown for.
    expect(await found('newsurname')).toEqual([]);
    expect(await sql<{ n: number }>`select count(*)::int as n from search_slots where slot_id = ${f.talkId}`.execute(db)).toMatchObject({ rows: [{ n: 0 }] });
  });

  it('follows an edition set back to planned: its notes’ authors no longer find it', async () => {
    expect(await found('scribewell')).toContain('edition: Netconf 2090');
    await db.updateTable('editions').set({ status: 'planned' }).where('id', '=', f.editionId).execute();
    expect(await found('scribewell')).toEqual([]);
    expect(await found('newsubtitleword')).toEqual(['edition: Netconf 2090']);
  });
});

/** Rows of the stored documents that differ from those the migration's functions make anew. */
async function staleDocuments(db: Kysely<Database>): Promise<number> {
  await sql`create temp table kept_slots as select * from search_slots`.execute(db);
  await sql`create temp table kept_topics as select * from search_topics`.execute(db);
  await sql`create temp table kept_editions as select * from search_editions`.execute(db);
  await sql`select search_refresh_slots(array(select id from slots)), search_refresh_topics(array(select id from topics)),
                   search_refresh_editions(array(select id from editions))`.execute(db);
  const r = await sql<{ n: number }>`select
      (select count(*) from ((select * from kept_slots except select * from search_slots) union all (select * from search_slots except select * from kept_slots)) x)
    + (select count(*) from ((select * from kept_topics except select * from search_topics) union all (select * from search_topics except select * from kept_topics)) x)
    + (select count(*) from ((select * from kept_editions except select * from search_editions) union all (select * from search_editions except select * from kept_editions)) x) as n`.execute(db);
  await sql`drop table kept_slots, kept_topics, kept_editions`.execute(db);
  return Number(r.rows[0]!.n);
}

describe.each(testDatabases())('stored search documents after imports on $name', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('follows an import and a re-import of a changed page: every document as made anew, the new title found, not the old', async () => {
    const db = handle.db;
    const pages = bundledPages();
    await importPages({ db }, pages);
    const stored = await sql<{ n: number }>`select (select count(*) from search_slots) - (select count(*) from slots) as n`.execute(db);
    expect(Number(stored.rows[0]!.n)).toBe(0);
    expect(await staleDocuments(db)).toBe(0);
    const titles = async (query: string) => (await search({ db }, { query })).hits.filter((h) => h.type === 'talk').map((h) => plain(h.title));
    expect(await titles('stp')).toEqual(['Bridging/STP']);

    const page = pages.find((p) => p.file.endsWith('netconf-2011.txt'))!;
    await importPages({ db }, [{ file: page.file, content: Buffer.from(page.content.toString('utf8').replace('Bridging/STP', 'Bridging/Quokkastp')) }]);
    expect(await titles('quokkastp')).toEqual(['Bridging/Quokkastp']);
    expect(await titles('stp')).toEqual([]);
    expect(await staleDocuments(db)).toBe(0);
  });
});

describe.each(testDatabases().filter((d) => d.name === 'postgres'))('stored search documents under concurrent writes on $name', ({ open }) => {
  it('keeps both changes of two transactions to one talk: a title committed while a speaker’s addition waited', async () => {
    const handle = await open();
    try {
      const db = handle.db;
      const f = await build(db);
      const carl = await db.insertInto('people').values({ slug: 'carl', name: 'Carl Waitspeaker', name_key: 'carl waitspeaker' }).returning('id').executeTakeFirstOrThrow();
      let updated!: () => void;
      let mayCommit!: () => void;
      const titleWritten = new Promise<void>((r) => (updated = r));
      const commitNow = new Promise<void>((r) => (mayCommit = r));
      const first = db.transaction().execute(async (trx) => {
        await trx.updateTable('slots').set({ title: 'Racetitle in the stack' }).where('id', '=', f.talkId).execute();
        updated();
        await commitNow;
      });
      await titleWritten;
      const second = db.insertInto('slot_speakers').values({ slot_id: f.talkId, person_id: carl.id, name_as_listed: 'Carl Waitspeaker', position: 1 }).execute();
      // The second waits for the first's lock on the talk's document before the first commits.
      for (let i = 0; i < 400; i++) {
        const w = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
        if (w.rows[0]!.n > 0) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      mayCommit();
      await Promise.all([first, second]);
      const found = async (query: string) => (await search({ db }, { query })).hits.filter((h) => h.type === 'talk').map((h) => plain(h.title));
      expect(await found('racetitle')).toEqual(['Racetitle in the stack']);
      expect(await found('waitspeaker')).toEqual(['Racetitle in the stack']);
      expect(await found('oldslottitle')).toEqual([]);
    } finally {
      await handle.close();
    }
  });
});

describe.each(testDatabases())('stored search documents when an agenda day changes on $name', ({ open }) => {
  let handle: Db;
  let db: Kysely<Database>;
  let f: Fixture;
  const found = async (query: string) => (await search({ db }, { query })).hits.map((h) => `${h.type}: ${plain(h.title)}`).sort();
  beforeAll(async () => {
    handle = await open();
    db = handle.db;
    f = await build(db);
    await db.insertInto('materials').values({ edition_id: f.editionId, topic_id: f.topicId, kind: 'notes', label: 'Topic notes', body: 'Said.', credit: 'Tessa Topicscribe', position: 1 }).execute();
  });
  afterAll(async () => {
    await handle?.close();
  });

  // A topic's notes count for its edition only while the topic is on that edition's agenda
  // (031): a day moved to another edition, or removed with its slots, takes the topic off it.
  it('follows a day moved to another edition and back: the topic notes’ author finds the edition only while the day is its', async () => {
    expect(await found('topicscribe')).toContain('edition: Netconf 2090');
    const series = await db.selectFrom('series').select('id').executeTakeFirstOrThrow();
    const other = await db
      .insertInto('editions')
      .values({ series_id: series.id, year: 2091, title: 'Netconf 2091', intro: '[]', sections: '[]', status: 'final', start_date: '2091-05-10' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const day = await db.selectFrom('slots').select('day_id').where('id', '=', f.topicSlotId).executeTakeFirstOrThrow();
    await db.updateTable('agenda_days').set({ edition_id: other.id }).where('id', '=', day.day_id).execute();
    expect(await found('topicscribe')).toEqual([]);
    await db.updateTable('agenda_days').set({ edition_id: f.editionId }).where('id', '=', day.day_id).execute();
    expect(await found('topicscribe')).toContain('edition: Netconf 2090');
    expect(await staleDocuments(db)).toBe(0);
  });

  it('follows a day removed with its slots: the topic notes’ author no longer finds the edition', async () => {
    const day = await db.selectFrom('slots').select('day_id').where('id', '=', f.topicSlotId).executeTakeFirstOrThrow();
    await db.deleteFrom('agenda_days').where('id', '=', day.day_id).execute();
    expect(await found('topicscribe')).toEqual([]);
    expect(await found('oldslottitle')).toEqual([]);
    expect(await found('oldsubtitleword')).toEqual(['edition: Netconf 2090']);
    expect(await staleDocuments(db)).toBe(0);
  });
});

/**
 * Counts the statements that write each table of stored documents (one a call of a refresh
 * function: insert … on conflict), in a schema of its own so that a restore does not take the
 * counts for data.
 */
async function countDocumentWrites(db: Kysely<Database>): Promise<() => Promise<Record<string, number>>> {
  await sql`create schema counts`.execute(db);
  await sql`create table counts.writes (tab text not null)`.execute(db);
  await sql`create function counts.write() returns trigger language plpgsql as $$ begin insert into counts.writes values (tg_table_name); return null; end $$`.execute(db);
  for (const t of ['search_slots', 'search_topics', 'search_editions']) {
    await sql.raw(`create trigger ${t}_count after insert on ${t} for each statement execute function counts.write()`).execute(db);
  }
  return async () => {
    const r = await sql<{ tab: string; n: number }>`select tab, count(*)::int as n from counts.writes group by tab`.execute(db);
    await sql`delete from counts.writes`.execute(db);
    return Object.fromEntries(r.rows.map((x) => [x.tab, x.n]));
  };
}

/** The stored document of slot `id`, as text. */
async function slotDocument(db: Kysely<Database>, id: number): Promise<string> {
  return (await sql<{ head: string }>`select head::text as head from search_slots where slot_id = ${id}`.execute(db)).rows[0]!.head;
}

describe.each(testDatabases())('stored search documents refreshed once a transaction (migration 032) on $name', ({ open }) => {
  let handle: Db;
  let db: Kysely<Database>;
  let f: Fixture;
  let writes: () => Promise<Record<string, number>>;
  const found = async (query: string) => (await search({ db }, { query })).hits.map((h) => `${h.type}: ${plain(h.title)}`).sort();
  const pending = async () => Number((await sql<{ n: number }>`select count(*)::int as n from search_pending`.execute(db)).rows[0]!.n);
  beforeAll(async () => {
    handle = await open();
    db = handle.db;
    writes = await countDocumentWrites(db);
    f = await build(db);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('makes the documents a deferring transaction touched once, at its commit, as a full refresh makes them', async () => {
    await writes();
    const before = await slotDocument(db, f.talkId);
    await db.transaction().execute(async (trx) => {
      await deferSearchRefresh(trx);
      await trx.updateTable('slots').set({ title: 'Deferslottitle in the stack' }).where('id', '=', f.talkId).execute();
      const dora = await trx.insertInto('people').values({ slug: 'dora', name: 'Dora Deferspeaker', name_key: 'dora deferspeaker' }).returning('id').executeTakeFirstOrThrow();
      await trx.insertInto('slot_speakers').values({ slot_id: f.talkId, person_id: dora.id, name_as_listed: 'Dora Deferspeaker', position: 1 }).execute();
      await trx.updateTable('materials').set({ label: 'Deferlabelword slides' }).where('id', '=', f.slidesId).execute();
      await trx.updateTable('topics').set({ title: 'Defertopictitle for everyone' }).where('id', '=', f.topicId).execute();
      await trx.updateTable('editions').set({ subtitle: 'Defersubtitleword workshop' }).where('id', '=', f.editionId).execute();
      // Not yet: the documents are made at the commit.
      expect(await slotDocument(trx, f.talkId)).toBe(before);
    });
    expect(await writes()).toEqual({ search_slots: 1, search_topics: 1, search_editions: 1 });
    expect(await pending()).toBe(0);
    expect(await found('deferslottitle')).toEqual(['talk: Deferslottitle in the stack']);
    expect(await found('deferspeaker')).toEqual(['person: Dora Deferspeaker', 'talk: Deferslottitle in the stack']);
    expect(await found('deferlabelword')).toEqual(['talk: Deferslottitle in the stack']);
    expect(await found('defertopictitle')).toEqual(['talk: Defertopictitle for everyone', 'topic: Defertopictitle for everyone']);
    expect(await found('defersubtitleword')).toEqual(['edition: Netconf 2090']);
    expect(await found('oldslottitle')).toEqual([]);
    expect(await staleDocuments(db)).toBe(0);
  });

  it('makes them before the commit when the transaction asks (search_flush), and again at the commit for what it wrote after', async () => {
    await writes();
    await db.transaction().execute(async (trx) => {
      await deferSearchRefresh(trx);
      await trx.updateTable('slots').set({ title: 'Flushslottitle in the stack' }).where('id', '=', f.talkId).execute();
      await sql`select search_flush()`.execute(trx);
      expect(await slotDocument(trx, f.talkId)).toContain('flushslottitl');
      await trx.updateTable('slots').set({ title: 'Afterflushtitle in the stack' }).where('id', '=', f.talkId).execute();
      expect(await slotDocument(trx, f.talkId)).toContain('flushslottitl');
    });
    expect(await writes()).toEqual({ search_slots: 2 });
    expect(await found('afterflushtitle')).toEqual(['talk: Afterflushtitle in the stack']);
    expect(await found('flushslottitle')).toEqual([]);
    expect(await staleDocuments(db)).toBe(0);
  });

  it('still refreshes a write that does not defer at its statement, as migration 031 did', async () => {
    await writes();
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('slots').set({ title: 'Nowslottitle in the stack' }).where('id', '=', f.talkId).execute();
      expect(await slotDocument(trx, f.talkId)).toContain('nowslottitl');
      await trx.updateTable('slots').set({ title: 'Againslottitle in the stack' }).where('id', '=', f.talkId).execute();
    });
    expect(await writes()).toEqual({ search_slots: 2 });
    expect(await pending()).toBe(0);
    expect(await found('againslottitle')).toEqual(['talk: Againslottitle in the stack']);
  });

  it('leaves nothing behind of a deferring transaction rolled back, and the next one defers as well', async () => {
    await writes();
    await expect(
      db.transaction().execute(async (trx) => {
        await deferSearchRefresh(trx);
        await trx.updateTable('slots').set({ title: 'Rolledslottitle in the stack' }).where('id', '=', f.talkId).execute();
        await trx.deleteFrom('sponsors').where('id', '=', f.sponsorId).execute();
        expect(await sql<{ n: number }>`select count(*)::int as n from search_pending`.execute(trx)).not.toMatchObject({ rows: [{ n: 0 }] });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await pending()).toBe(0);
    expect(await found('rolledslottitle')).toEqual([]);
    expect(await found('againslottitle')).toEqual(['talk: Againslottitle in the stack']);
    expect(await found('oldsponsorco')).toEqual(['edition: Netconf 2090']);
    expect(await staleDocuments(db)).toBe(0);

    await writes();
    await db.transaction().execute(async (trx) => {
      await deferSearchRefresh(trx);
      await trx.updateTable('slots').set({ title: 'Nextslottitle in the stack' }).where('id', '=', f.talkId).execute();
      await trx.updateTable('slots').set({ title: 'Lastslottitle in the stack' }).where('id', '=', f.talkId).execute();
    });
    expect(await writes()).toEqual({ search_slots: 1 });
    expect(await found('lastslottitle')).toEqual(['talk: Lastslottitle in the stack']);
  });
});

describe.each(testDatabases())('stored search documents of bulk writers (migration 032) on $name', ({ open }) => {
  let handle: Db;
  let backup: Buffer;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('makes each document of an import once, at its commit: the same as a full refresh', async () => {
    const db = handle.db;
    const writes = await countDocumentWrites(db);
    await importPages({ db }, bundledPages());
    expect(await writes()).toEqual({ search_slots: 1, search_topics: 1, search_editions: 1 });
    const stored = await sql<{ n: number }>`select (select count(*) from search_slots) - (select count(*) from slots) as n`.execute(db);
    expect(Number(stored.rows[0]!.n)).toBe(0);
    expect(await staleDocuments(db)).toBe(0);
    backup = await backupOf(db);
  });

  it('makes each document of a restore once, at its commit: the same as a full refresh', async () => {
    const into = await open();
    try {
      const writes = await countDocumentWrites(into.db);
      await readBackup(into.db, Readable.from([backup]).pipe(zlib.createGunzip()), {});
      expect(await writes()).toEqual({ search_slots: 1, search_topics: 1, search_editions: 1 });
      expect(await staleDocuments(into.db)).toBe(0);
      const titles = async (query: string) => (await search({ db: into.db }, { query })).hits.filter((h) => h.type === 'talk').map((h) => plain(h.title));
      expect(await titles('stp')).toEqual(['Bridging/STP']);
    } finally {
      await into.close();
    }
  });
});

async function backupOf(db: Kysely<Database>): Promise<Buffer> {
  const gz = zlib.createGzip();
  const chunks: Buffer[] = [];
  gz.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise((resolve) => gz.on('end', resolve));
  await writeBackup(db, gz, { source: 'test' });
  gz.end();
  await ended;
  return Buffer.concat(chunks);
}

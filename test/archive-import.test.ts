/**
 * The importer against a real database (PGlite, and PostgreSQL when TEST_DATABASE_URL is set):
 * complete editions written, re-import idempotent, one person across editions, and bad input
 * refused with file and line while the database stays exactly as it was.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/connect.js';
import { bundledPages } from '../src/domain/archive/bundled.js';
import { importPages } from '../src/domain/archive/import-pages.js';
import { addCommitteeRole, addReference, addSponsor } from '../src/domain/editions/edition-parts.js';
import { createEdition, updateEdition } from '../src/domain/editions/edit-edition.js';
import { findEdition } from '../src/domain/editions/find-edition.js';
import { loadEdition } from '../src/domain/editions/load-edition.js';
import { ImportError } from '../src/domain/errors.js';
import { loadPerson } from '../src/domain/people/load-person.js';
import { addMaterialLink } from '../src/domain/program/materials.js';
import { loadSchedule } from '../src/domain/program/schedule.js';
import { addSlot } from '../src/domain/program/schedule-edit.js';
import { listChanges } from '../src/domain/program/schedule-changelog.js';
import { testDatabases } from './support/db.js';

/** Row counts of every table: "unchanged" means all of these are equal. */
async function snapshot(handle: Db): Promise<Record<string, number>> {
  const tables = [
    'series', 'editions', 'people', 'person_names', 'person_emails', 'committee_members', 'attendances',
    'sponsors', 'agenda_days', 'slots', 'slot_speakers', 'topics', 'topic_presenters', 'materials', 'edition_references',
  ];
  const out: Record<string, number> = {};
  for (const t of tables) {
    const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(t)}`.execute(handle.db);
    out[t] = r.rows[0]!.n;
  }
  return out;
}

const page = (file: string, text: string) => ({ file, content: Buffer.from(text, 'utf8') });

describe.each(testDatabases())('import on $name', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
    await importPages({ db: handle.db }, bundledPages());
  });
  afterAll(async () => handle?.close());

  it('writes the five seed editions with their agendas', async () => {
    const years = await handle.db.selectFrom('editions').select('year').orderBy('year').execute();
    expect(years.map((y) => y.year)).toEqual([2004, 2011, 2014, 2015, 2019]);
    const e2015 = await loadEdition({ db: handle.db }, 'netconf', 2015);
    expect(e2015.agenda.map((d) => [d.date, d.slots.length])).toEqual([
      ['2015-02-12', 15],
      ['2015-02-13', 15],
    ]);
    expect(e2015.colocated).toMatchObject({ name: 'Netdev 0.1', start: '2015-02-14', end: '2015-02-17' });
    expect(e2015.sponsors.map((s) => s.name)).toEqual(['Mojatatu Networks', 'Cumulus Networks', 'Verizon', 'Noiro Networks, a Cisco Project']);
    expect(e2015.attendees).toBeNull();
    expect(e2015.ordinal).toBe(4);
    expect(e2015.editionsKnown).toBe(5);
    const e2011 = await loadEdition({ db: handle.db }, 'netconf', 2011);
    expect(e2011.meetingNotes[0]).toMatchObject({ kind: 'notes', author: { name: 'Ben Hutchings' } });
    const team = e2011.agenda[0]!.slots.find((s) => s.start === '11:45')!;
    expect(team.speakers.map((s) => s.nameAsListed)).toEqual(['Jiri Pirko']);
    expect(team.materials).toHaveLength(2);
  });

  it('keeps one person across editions, under several spellings', async () => {
    const miller = await handle.db
      .selectFrom('person_names')
      .innerJoin('people', 'people.id', 'person_names.person_id')
      .select(['people.slug', 'person_names.name'])
      .where('person_names.name', 'in', ['David S. Miller', 'David Miller'])
      .execute();
    expect(new Set(miller.map((m) => m.slug)).size).toBe(1);
    const p = await loadPerson({ db: handle.db }, miller[0]!.slug);
    expect(p.name).toBe('David S. Miller');
    expect(p.years.map((y) => y.year)).toEqual([2019, 2015, 2014, 2011, 2004]);
    expect(p.years.find((y) => y.year === 2011)!.committeeRole).toBe('netdev maintainer');
    expect(p.emails).toEqual(['davem@redhat.com']);
    const linville = await loadPerson({ db: handle.db }, 'john-w-linville');
    expect(linville.years.map((y) => y.year)).toEqual([2015, 2014]);
    expect(linville.years.find((y) => y.year === 2015)!.talks[0]!.title).toBe('Wireless maintainership transition details');
  });

  it('re-imports in place: same editions, same people, same rows', async () => {
    const before = await snapshot(handle);
    const ids = await handle.db.selectFrom('people').select(['id', 'slug']).orderBy('id').execute();
    const result = await importPages({ db: handle.db }, bundledPages());
    expect(result.every((r) => !r.created)).toBe(true);
    expect(await snapshot(handle)).toEqual(before);
    expect(await handle.db.selectFrom('people').select(['id', 'slug']).orderBy('id').execute()).toEqual(ids);
  });

  it('keeps what the committee added to an imported edition when its page is imported again', async () => {
    const actor = { accountId: null, label: 'test' };
    const ref = { series: 'netconf', year: 2014 };
    const parts = { db: handle.db, filesDir: '/nonexistent' };
    await addReference(parts, actor, ref, { title: 'LWN coverage', url: 'https://lwn.example/netconf2014/' });
    await addCommitteeRole(parts, actor, ref, { name: 'Jamal Hadi Salim', role: 'local arrangements' });
    await addSponsor(parts, actor, ref, { name: 'Netdev Society', kind: 'event' });
    const before = await loadEdition({ db: handle.db }, 'netconf', 2014);
    await importPages({ db: handle.db }, bundledPages());
    const after = await loadEdition({ db: handle.db }, 'netconf', 2014);
    expect(after.references).toEqual([{ title: 'LWN coverage', url: 'https://lwn.example/netconf2014/' }]);
    // The page's name only: where it lay on the importer's machine is not the public's business.
    expect(after.source.file).toBe('netconf-2014.txt');
    expect(after.committee.map((c) => [c.name, c.role])).toEqual(before.committee.map((c) => [c.name, c.role]));
    expect(after.committee.map((c) => c.role)).toContain('local arrangements');
    expect(after.sponsors.map((s) => s.name)).toEqual(['Linux Kernel Summit', 'Netdev Society']);
  });

  it('keeps the fields the committee corrected in conclave through every later import, and says where the page differs', async () => {
    const actor = { accountId: null, label: 'test' };
    const deps = { db: handle.db, clock: () => new Date('2030-01-01T00:00:00Z'), mail: { baseUrl: 'http://localhost', from: 'c@example.org' } };
    await updateEdition(deps, actor, { series: 'netconf', year: 2011, fields: { locationText: 'Toronto, Ontario, Canada', country: 'Canada', intro: 'Written again by the committee.', colocatedName: 'Linux Symposium' } });
    for (const round of [1, 2]) {
      const [result] = await importPages({ db: handle.db }, [page('netconf-2011.txt', bundledPages().find((p) => p.file.endsWith('2011.txt'))!.content.toString('utf8'))]);
      const e = await loadEdition({ db: handle.db }, 'netconf', 2011);
      expect([round, e.location, e.intro, e.colocated?.name]).toEqual([round, { text: 'Toronto, Ontario, Canada', city: 'Toronto', region: 'Ontario', country: 'Canada' }, ['Written again by the committee.'], 'Linux Symposium']);
      // What the committee did not touch is still the page's.
      expect(e.dates.text).toBe('June 14-15, 2011');
      expect(result!.notes.filter((n) => n.line === 0).map((n) => n.message)).toEqual([
        'kept the intro set in conclave, one paragraph beginning “Written again by the committee.…”; the page gives 3 paragraphs beginning “Netconf is a yearly, by-invitation-only,…”',
        'kept the location set in conclave, “Toronto, Ontario, Canada”; the page gives “Toronto, Ontario, CA”',
        'kept the country set in conclave, “Canada”; the page gives “CA”',
        'kept the co-located event set in conclave, “Linux Symposium”; the page gives nothing',
      ]);
    }
  });

  it('refuses to replace a schedule changed in conclave since the import, unless told; added materials survive', async () => {
    const actor = { accountId: null, label: 'test' };
    const e = await handle.db.selectFrom('editions').select('id').where('year', '=', 2015).executeTakeFirstOrThrow();
    const slot = await handle.db
      .selectFrom('slots')
      .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
      .select('slots.id')
      .where('agenda_days.edition_id', '=', e.id)
      .orderBy('slots.id')
      .executeTakeFirstOrThrow();
    const deps = { db: handle.db, clock: () => new Date('2026-12-01T12:00:00Z'), mail: { baseUrl: 'http://localhost', from: 'committee@example.org' } };
    await addSlot(deps, actor, { series: 'netconf', year: 2015 }, { date: '2015-02-13', start: '19:00', end: '21:00', kind: 'meal', title: 'Committee dinner' });
    await addMaterialLink({ db: handle.db, filesDir: '/nonexistent' }, actor, { editionId: e.id, slotId: slot.id, url: 'https://example.org/s.pdf', label: 'committee slides' });
    const before = await snapshot(handle);
    const seed = bundledPages().filter((p) => p.file.endsWith('2015.txt'));
    const err = await importPages({ db: handle.db }, seed).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as Error).message).toMatch(
      new RegExp(
        `^${seed[0]!.file}: Linux Kernel Developers' Netconf 2015 was imported before, and since then its schedule was changed in conclave once \\(last on \\d{4}-\\d\\d-\\d\\d\\), and 1 material was added to its slots or topics \\(“committee slides”\\): ` +
          'importing the page again would replace its schedule and lose that\\. Nothing was imported\\. To let the page win, import again with --overwrite-schedule \\(added materials are kept on the edition, no longer tied to a slot or topic\\)$',
      ),
    );
    expect(await snapshot(handle)).toEqual(before);
    // With other pages: every page refused is named, each on its line; still nothing is written.
    await addSlot(deps, actor, { series: 'netconf', year: 2014 }, { date: '2014-08-19', start: '19:00', end: '21:00', kind: 'meal', title: 'Dinner' });
    const three = bundledPages().filter((p) => /(2011|2014|2015)\.txt$/.test(p.file));
    const all = await importPages({ db: handle.db }, three).catch((x: unknown) => x);
    expect((all as Error).message.split('\n').map((l) => l.split(' was imported before')[0]!.slice(0, 40))).toEqual([
      "archive/netconf/netconf-2014.txt: Linux Kernel Developers' Netconf 2014",
      "archive/netconf/netconf-2015.txt: Linux Kernel Developers' Netconf 2015",
      'Nothing was imported. To let the page wi',
    ].map((l) => l.slice(0, 40)));
    expect(await snapshot(handle)).toMatchObject({ slots: before.slots! + 1 });
    // Told to, the page wins: the dinner goes, the slides stay on the edition, and the CLI says so.
    const [won] = await importPages({ db: handle.db }, seed, { overwriteSchedule: true });
    expect(won!.untied).toEqual(['committee slides']);
    const titles = (await loadEdition({ db: handle.db }, 'netconf', 2015)).agenda.flatMap((d) => d.slots.map((s) => s.title));
    expect(titles).not.toContain('Committee dinner');
    expect(await handle.db.selectFrom('materials').select(['slot_id', 'topic_id']).where('label', '=', 'committee slides').execute()).toEqual([{ slot_id: null, topic_id: null }]);
    // Its schedule was never published here: its corrections, and their undoing, are no public news.
    expect(await listChanges({ db: handle.db }, { series: 'netconf', year: 2015 })).toEqual([]);
    // That import is the new starting point: importing again is no longer refused.
    expect((await importPages({ db: handle.db }, seed))[0]!.created).toBe(false);
    // A schedule published here has a public changelog: it lists the change, then its undoing.
    await handle.db.updateTable('editions').set({ schedule_published_at: new Date() }).where('id', '=', e.id).execute();
    await addSlot(deps, actor, { series: 'netconf', year: 2015 }, { date: '2015-02-13', start: '19:00', end: '21:00', kind: 'meal', title: 'Committee dinner' });
    await importPages({ db: handle.db }, seed, { overwriteSchedule: true });
    expect((await listChanges({ db: handle.db }, { series: 'netconf', year: 2015 })).map((c) => c.summary)).toEqual([
      'The schedule is again as the page netconf-2015.txt gives it, imported again: the change made here since it was last imported is undone',
      expect.stringContaining('Committee dinner'),
    ]);
    await handle.db.updateTable('editions').set({ schedule_published_at: null }).where('id', '=', e.id).execute();
    // 2014 as its page gives it again, for the tests that follow.
    await importPages({ db: handle.db }, three.filter((p) => p.file.endsWith('2014.txt')), { overwriteSchedule: true });
  });

  it('numbers the page’s topics around those proposed in conclave, so a number names one topic', async () => {
    const seed = bundledPages().find((p) => p.file.endsWith('2004.txt'))!;
    const page2033 = page('netconf-2033.txt', seed.content.toString('utf8').replace(/2004/g, '2033'));
    const [first] = await importPages({ db: handle.db }, [page2033]);
    const someone = await handle.db.selectFrom('people').select('id').orderBy('id').executeTakeFirstOrThrow();
    // A proposal made in conclave since, numbered after the page's eight topics, as proposeTopic does …
    await handle.db.insertInto('topics').values({ edition_id: first!.editionId, number: 9, title: 'Made in conclave', origin: 'proposal', state: 'proposed', proposer_id: someone.id }).execute();
    // … and the page, imported again, has gained a ninth.
    const longer = page('netconf-2033.txt', page2033.content.toString('utf8').replace('    8. Futures\n', '    8. Futures\n    9. Page pools\n'));
    const [again] = await importPages({ db: handle.db }, [longer]);
    const topics = await handle.db.selectFrom('topics').select(['number', 'title']).where('edition_id', '=', first!.editionId).orderBy('number').execute();
    expect(new Set(topics.map((t) => t.number)).size).toBe(topics.length);
    expect(topics.filter((t) => t.number >= 8)).toEqual([
      { number: 8, title: 'Futures' },
      { number: 9, title: 'Made in conclave' },
      { number: 10, title: 'Page pools' },
    ]);
    expect(again!.notes.map((n) => n.message)).toContain('topic 9 “Page pools” is numbered 10 here: 9 is already the topic “Made in conclave”, proposed in conclave');
    // A page that numbers two of its own topics alike is told so, not that conclave took the number.
    const twice = page('netconf-2034.txt', seed.content.toString('utf8').replace(/2004/g, '2034').replace('    2. Early Traffic Control', '    1. Early Traffic Control'));
    const [dup] = await importPages({ db: handle.db }, [twice]);
    expect(dup!.notes.map((n) => n.message)).toContain('topic 1 “Early Traffic Control” is numbered 9 here: 1 is already the page\'s topic “Remote DMA and Receive buffering strategies” (line 52)');
  });

  it('takes one page per edition: the same year of two series is two editions', async () => {
    const seed = bundledPages().find((p) => p.file.endsWith('2011.txt'))!.content.toString('utf8');
    const a = page('a-2041.txt', seed.replace(/2011/g, '2041'));
    const twice = await importPages({ db: handle.db }, [a, page('b-2041.txt', seed.replace(/2011/g, '2041'))]).catch((e: unknown) => e);
    expect((twice as Error).message).toBe("b-2041.txt:1: edition 2041 of Netconf is also in a-2041.txt; import one page per edition");
    const other = page('fooconf-2041.txt', seed.replace(/2011/g, '2041').replace(/Netconf/g, 'Fooconf'));
    const both = await importPages({ db: handle.db }, [a, other]);
    expect(both.map((r) => [r.file, r.title, r.created])).toEqual([
      ['a-2041.txt', "Linux Kernel Developers' Netconf 2041", true],
      ['fooconf-2041.txt', "Linux Kernel Developers' Fooconf 2041", true],
    ]);
  });

  it('finds the series of a page that writes its name with other capitals ("NetConf")', async () => {
    const seed = bundledPages().find((p) => p.file.endsWith('2011.txt'))!.content.toString('utf8');
    const [r] = await importPages({ db: handle.db }, [page('netconf-2042.txt', seed.replace(/2011/g, '2042').replace('Netconf 2042', 'NetConf 2042'))]);
    expect(r!.title).toBe("Linux Kernel Developers' NetConf 2042");
    const e = await loadEdition({ db: handle.db }, 'netconf', 2042);
    // One series: the latest of all Netconf editions, not the first of another.
    expect(e.series.slug).toBe('netconf');
    expect(e.ordinal).toBe(e.editionsKnown);
    expect(e.ordinal).toBeGreaterThan(5);
    expect(await handle.db.selectFrom('series').select('slug').where('slug', '=', 'net-conf').execute()).toEqual([]);
    await handle.db.deleteFrom('editions').where('year', '=', 2042).execute();
    // The committee spells it so too: `edition create --series NetConf`, and finding it by that name.
    const made = await createEdition({ db: handle.db }, { accountId: null, label: 'cli:test' }, { series: 'NetConf', year: 2044, fields: { title: 'NetConf 2044' } });
    expect((await findEdition(handle.db, { series: 'netconf', year: 2044 })).id).toBe(made.id);
    expect((await findEdition(handle.db, { series: 'NetConf', year: 2044 })).series_slug).toBe('netconf');
    expect(await handle.db.selectFrom('series').select('slug').where('slug', '=', 'net-conf').execute()).toEqual([]);
    await handle.db.deleteFrom('editions').where('id', '=', made.id).execute();
  });

  it('finds the person of an HTML speaker cell that adds an affiliation or an address to the name', async () => {
    const html = [
      "<html><body><h1>Linux Kernel Developers' Netconf 2043</h1>",
      '<ul><li>Location : Boston, MA</li><li>Dates : June 20, 2043</li>',
      '<li>Topics/Agenda/Schedule :<p>Saturday, June 20, 2043</p><table>',
      '<tr><th>Time</th><th>Speaker</th><th>Topics</th><th>Room</th></tr>',
      '<tr><td>9:00am</td><td>Tom Herbert (Google)</td><td>ILA</td><td>Back Bay</td></tr>',
      '<tr><td>10:00am</td><td>Stephen Hemminger &lt;shemminger@osdl.org&gt;, John W. Linville, Jr.</td><td>Bridging</td><td></td></tr>',
      '</table></li>',
      '<li>Topics/Invitees :<table><tr><th>Name</th><th>Topic</th></tr>',
      '<tr><td>Jesper Dangaard Brouer (Red Hat)</td><td>XDP</td></tr></table></li>',
      '</ul></body></html>',
    ].join('\n');
    await importPages({ db: handle.db }, [page('netconf-2043.html', html)]);
    const invitees = await loadEdition({ db: handle.db }, 'netconf', 2043);
    expect(invitees.inviteeTopics.map((i) => [i.person.slug, i.nameAsListed, i.topics.map((t) => t.title)])).toEqual([
      ['jesper-dangaard-brouer', 'Jesper Dangaard Brouer', ['XDP']],
    ]);
    const e = await loadEdition({ db: handle.db }, 'netconf', 2043);
    expect(e.agenda[0]!.slots.map((s) => s.speakers.map((p) => [p.slug, p.nameAsListed]))).toEqual([
      [['tom-herbert', 'Tom Herbert (Google)']],
      [
        ['stephen-hemminger', 'Stephen Hemminger <shemminger@osdl.org>'],
        ['john-w-linville-jr', 'John W. Linville, Jr.'],
      ],
    ]);
    expect(e.agenda[0]!.slots.map((s) => s.room)).toEqual(['Back Bay', null]);
    await handle.db.deleteFrom('editions').where('year', '=', 2043).execute();
  });

  it("widens a day's hours to its imported slots, so a dinner until midnight is no conflict", async () => {
    const html = [
      "<html><body><h1>Linux Kernel Developers' Netconf 2046</h1>",
      '<ul><li>Location : Boston, MA</li><li>Dates : June 20, 2046</li>',
      '<li>Topics/Agenda/Schedule :<p>Wednesday, June 20, 2046</p><table>',
      '<tr><th>Time</th><th>Speaker</th><th>Topics</th></tr>',
      '<tr><td>7:30am-8:30am</td><td></td><td>Breakfast</td></tr>',
      '<tr><td>9:00am</td><td>David S. Miller</td><td>State of the union</td></tr>',
      '<tr><td>9:00pm-12:00am</td><td></td><td>Dinner</td></tr>',
      '</table></li>',
      '</ul></body></html>',
    ].join('\n');
    await importPages({ db: handle.db }, [page('netconf-2046.html', html)]);
    const s = await loadSchedule({ db: handle.db }, { series: 'netconf', year: 2046 });
    expect(s.days.map((d) => [d.start, d.end])).toEqual([['07:30', '24:00']]);
    expect(s.conflicts).toEqual([]);
    await handle.db.deleteFrom('editions').where('year', '=', 2046).execute();
  });

  it('lists a speaker named twice in one slot once, and says so', async () => {
    const html = [
      "<html><body><h1>Linux Kernel Developers' Netconf 2045</h1>",
      '<ul><li>Location : Boston, MA</li><li>Dates : June 20, 2045</li>',
      '<li>Topics/Agenda/Schedule :<p>Tuesday, June 20, 2045</p><table>',
      '<tr><th>Time</th><th>Speaker</th><th>Topics</th></tr>',
      '<tr><td>9:00am</td><td>David S. Miller<br>Jamal Hadi Salim<br>David Miller</td><td>State of the union</td></tr>',
      '</table></li>',
      '</ul></body></html>',
    ].join('\n');
    const [r] = await importPages({ db: handle.db }, [page('netconf-2045.html', html)]);
    expect(r!.notes.map((n) => n.message)).toContain('speaker “David Miller” is “David S. Miller” again in the same slot: listed once');
    const e = await loadEdition({ db: handle.db }, 'netconf', 2045);
    expect(e.agenda[0]!.slots[0]!.speakers.map((p) => [p.slug, p.nameAsListed])).toEqual([
      ['david-s-miller', 'David S. Miller'],
      ['jamal-hadi-salim', 'Jamal Hadi Salim'],
    ]);
    await handle.db.deleteFrom('editions').where('year', '=', 2045).execute();
  });

  it('shows a committee member the committee added under no address of theirs, a page’s listing under its own', async () => {
    const actor = { accountId: null, label: 'test' };
    const stephen = await handle.db.selectFrom('people').select('id').where('slug', '=', 'stephen-hemminger').executeTakeFirstOrThrow();
    // The 2004 page gave shemminger@osdl.org; a later page (here, a row as it would write) a newer one.
    await handle.db.insertInto('person_emails').values({ person_id: stephen.id, email: 'stephen@networkplumber.org', is_public: true }).execute();
    await addCommitteeRole({ db: handle.db, filesDir: '/nonexistent' }, actor, { series: 'netconf', year: 2015 }, { name: 'Stephen Hemminger', role: 'program' });
    // The form's address is private ("Their address (not shown)"), and so is given here.
    await addCommitteeRole({ db: handle.db, filesDir: '/nonexistent' }, actor, { series: 'netconf', year: 2015 }, { name: 'Jamal Hadi Salim', email: 'jhs@example.net', role: 'chair' });
    const e2015 = await loadEdition({ db: handle.db }, 'netconf', 2015);
    // Shown addresses from other editions' pages are theirs to those pages, not to this one.
    expect(e2015.committee.find((c) => c.name === 'Stephen Hemminger')).toMatchObject({ role: 'program', email: null });
    expect(e2015.committee.find((c) => c.name === 'Jamal Hadi Salim')).toMatchObject({ role: 'chair', email: null });
    // A page that listed an address keeps showing that one.
    const e2004 = await loadEdition({ db: handle.db }, 'netconf', 2004);
    expect(e2004.attendees!.find((a) => a.name === 'Stephen Hemminger')!.email).toBe('shemminger@osdl.org');
  });

  describe('refuses bad input with file and line, writing nothing', () => {
    const seed2011 = bundledPages().find((p) => p.file.endsWith('2011.txt'))!.content.toString('utf8');
    const seed2019 = bundledPages().find((p) => p.file.endsWith('2019.txt'))!.content.toString('utf8');
    const cases: [string, { file: string; content: Buffer }, RegExp, number | null][] = [
      ['an empty file', page('empty.txt', ''), /empty/i, 1],
      ['binary garbage', { file: 'garbage.bin', content: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)) }, /not a text or HTML page/i, null],
      ['a slot at 25:00', page('late.txt', seed2011.replace('4:45pm David S. Miller', '25:00 David S. Miller')), /25:00/, null],
      ['an unknown table header', page('header.txt', seed2011.replace(/Time Speaker Topics/, 'Time Colour Flavour')), /unknown agenda table header/i, null],
      ['a page cut in half', page('cut.txt', seed2011.slice(0, Math.floor(seed2011.length * 0.75))), /cut off/i, null],
      ['a page in Latin-1', { file: 'latin1.txt', content: Buffer.from(seed2019.replace('Netconf 2019', 'Netconf 2034').replace(/•/g, '*'), 'latin1') }, /^latin1\.txt:40: not valid UTF-8: byte 0xF8 at column 11; convert the page to UTF-8/, 40],
      ['a 20 MB file', page('huge.txt', `${seed2011}\n${'x'.repeat(79)}\n`.repeat(Math.ceil((20 * 1024 * 1024) / 3600))), /MB/, null],
    ];
    it.each(cases)('%s', async (_name, input, reason, line) => {
      const before = await snapshot(handle);
      const err = await importPages({ db: handle.db }, [input]).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ImportError);
      const ie = err as ImportError;
      expect(ie.file).toBe(input.file);
      expect(ie.message).toMatch(reason);
      expect(ie.message.startsWith(`${input.file}:${ie.line}: `)).toBe(true);
      if (line !== null) expect(ie.line).toBe(line);
      else expect(ie.line).toBeGreaterThan(0);
      expect(await snapshot(handle)).toEqual(before);
    });

    it('writes none of a batch when one page in it fails', async () => {
      const before = await snapshot(handle);
      const good = page('good.txt', seed2011.replace('Netconf 2011', 'Netconf 2012').replace(/2011/g, '2012'));
      await expect(importPages({ db: handle.db }, [good, page('empty.txt', '   \n')])).rejects.toThrow(ImportError);
      expect(await snapshot(handle)).toEqual(before);
    });
  });

  it('--strict turns a skipped line into a failure that writes nothing', async () => {
    const seed2014 = bundledPages().find((p) => p.file.endsWith('2014.txt'))!.content.toString('utf8');
    const odd = seed2014.replace('  • Location : Chicago, IL', '  • Location : Chicago, IL\n  • Catering : bagels, probably');
    const before = await snapshot(handle);
    const err = await importPages({ db: handle.db }, [page('odd.txt', odd)], { strict: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as ImportError).message).toMatch(/--strict/);
    expect((err as ImportError).message).toMatch(/Catering/);
    expect(await snapshot(handle)).toEqual(before);
    // One more skipped line is counted in the singular.
    const odder = odd.replace('  • Catering : bagels, probably', '  • Catering : bagels, probably\n  • Parking : somewhere');
    const err2 = await importPages({ db: handle.db }, [page('odd.txt', odder)], { strict: true }).catch((e: unknown) => e);
    expect((err2 as ImportError).message).toMatch(/\(and 1 more skipped line\)$/);
    // Without --strict the same page imports, and the skipped line is reported.
    const [result] = await importPages({ db: handle.db }, [page('odd.txt', odd)]);
    expect(result!.skipped.some((s) => s.text.includes('Catering'))).toBe(true);
    await importPages({ db: handle.db }, bundledPages());
  });

  it("shows a committee member's address as the edition's page gave it, not one from another year", async () => {
    const seed2011 = bundledPages().find((p) => p.file.endsWith('2011.txt'))!.content.toString('utf8');
    const text = seed2011
      .replace('Netconf 2011', 'Netconf 2013')
      .replace(/2011/g, '2013')
      .replace('David S. Miller (, netdev maintainer)', 'David S. Miller (davem@davemloft.net, netdev maintainer)');
    await importPages({ db: handle.db }, [page('netconf-2013.txt', text)]);
    const e2013 = await loadEdition({ db: handle.db }, 'netconf', 2013);
    expect(e2013.committee[0]).toMatchObject({ name: 'David S. Miller', role: 'netdev maintainer', email: 'davem@davemloft.net' });
    // 2004's own page listed him with another address: that edition keeps it.
    const e2004 = await loadEdition({ db: handle.db }, 'netconf', 2004);
    expect(e2004.attendees!.find((a) => a.name === 'David S. Miller')!.email).toBe('davem@redhat.com');
    await handle.db.deleteFrom('editions').where('year', '=', 2013).execute();
  });

  it('keeps apart close names with different addresses, and reports a person listed twice', async () => {
    const listing = (year: number, lines: string[]) =>
      page(`people-${year}.txt`, [`Linux Kernel Developers' Netconf ${year}`, '', '  • Location : Boston, MA', `  • Dates : June 20-21, ${year}`, '  • Attendees (by invitation only)', ...lines.map((l) => `    ${l}`), ''].join('\n'));
    const [, later] = await importPages({ db: handle.db }, [
      listing(2050, ['Eric Smith (eric@a.example)', 'Jon Maloy (jon@b.example)']),
      listing(2051, ['Erica Smith (erica@c.example)', 'Jonathan Maloy (jmaloy@d.example)', 'Jon Maloy (jon@b.example)', 'Jon Maloy']),
    ]);
    const e2051 = await loadEdition({ db: handle.db }, 'netconf', 2051);
    expect(e2051.attendees!.map((a) => [a.slug, a.name, a.email])).toEqual([
      ['erica-smith', 'Erica Smith', 'erica@c.example'],
      ['jonathan-maloy', 'Jonathan Maloy', 'jmaloy@d.example'],
      ['jon-maloy', 'Jon Maloy', 'jon@b.example'],
    ]);
    // Eric keeps his name and page.
    const e2050 = await loadEdition({ db: handle.db }, 'netconf', 2050);
    expect(e2050.attendees!.map((a) => [a.slug, a.name])).toEqual([
      ['eric-smith', 'Eric Smith'],
      ['jon-maloy', 'Jon Maloy'],
    ]);
    expect(later!.notes).toEqual([{ line: 9, message: 'attendee “Jon Maloy” appears again (first at line 8): listed once' }]);
    await handle.db.deleteFrom('editions').where('year', 'in', [2050, 2051]).execute();
  });

  it('keeps both roles of a committee member listed twice, and says so', async () => {
    const lines = ['David S. Miller (, netdev maintainer)', 'Jamal Hadi Salim (', 'David Miller (, program chair)', 'Jamal Hadi Salim ('];
    const text = [`Linux Kernel Developers' Netconf 2053`, '', '  • Location : Boston, MA', '  • Dates : June 20-21, 2053', '  • Committee:', ...lines.map((l) => `    ${l}`), ''].join('\n');
    const [result] = await importPages({ db: handle.db }, [page('netconf-2053.txt', text)]);
    const e = await loadEdition({ db: handle.db }, 'netconf', 2053);
    expect(e.committee.map((c) => [c.name, c.role])).toEqual([
      ['David S. Miller', 'netdev maintainer, program chair'],
      ['Jamal Hadi Salim', null],
    ]);
    expect(result!.notes).toEqual([
      { line: 8, message: 'committee member “David Miller” is “David S. Miller” (line 6) again: listed once, with both roles' },
      { line: 9, message: 'committee member “Jamal Hadi Salim” appears again (first at line 7): listed once' },
    ]);
    await handle.db.deleteFrom('editions').where('year', '=', 2053).execute();
  });

  it('keeps what an attendee line says after the name and address: a company or a role', async () => {
    const lines = ['Jesper Dangaard Brouer (Red Hat)', 'Pablo Neira Ayuso (pablo@netfilter.org, Netfilter maintainer)', 'Florian Westphal (fw@strlen.de)', 'Paolo Abeni (, Red Hat)'];
    const text = [`Linux Kernel Developers' Netconf 2052`, '', '  • Location : Boston, MA', '  • Dates : June 20-21, 2052', '  • Attendees (by invitation only)', ...lines.map((l) => `    ${l}`), ''].join('\n');
    await importPages({ db: handle.db }, [page('netconf-2052.txt', text)]);
    const e = await loadEdition({ db: handle.db }, 'netconf', 2052);
    expect(e.attendees!.map((a) => [a.name, a.email, a.emailRedacted, a.affiliation])).toEqual([
      ['Jesper Dangaard Brouer', null, false, 'Red Hat'],
      ['Pablo Neira Ayuso', 'pablo@netfilter.org', false, 'Netfilter maintainer'],
      ['Florian Westphal', 'fw@strlen.de', false, null],
      ['Paolo Abeni', null, true, 'Red Hat'],
    ]);
    await handle.db.deleteFrom('editions').where('year', '=', 2052).execute();
  });

  it("numbers invitees' topics after the page's own numbered list, so that a number names one topic", async () => {
    const seed2019 = bundledPages().find((p) => p.file.endsWith('2019.txt'))!.content.toString('utf8');
    const text = `${seed2019.replace(/2019/g, '2023')}\n  • (Tentative) Topics :\n    1. Netlink extensions Ways to extend netlink.\n    2. Futures\n`;
    await importPages({ db: handle.db }, [page('netconf-2023.txt', text)]);
    const edition = await handle.db.selectFrom('editions').select('id').where('year', '=', 2023).executeTakeFirstOrThrow();
    const topics = await handle.db.selectFrom('topics').select(['number', 'title', 'origin']).where('edition_id', '=', edition.id).orderBy('number').execute();
    expect(topics.slice(0, 3).map((t) => [t.number, t.title, t.origin])).toEqual([
      [1, 'Netlink extensions', 'proposed-list'],
      [2, 'Futures', 'proposed-list'],
      [3, 'Intro', 'invitee'],
    ]);
    expect(new Set(topics.map((t) => t.number)).size).toBe(topics.length);
    await handle.db.deleteFrom('editions').where('year', '=', 2023).execute();
  });
});

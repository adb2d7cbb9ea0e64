/**
 * Search on the imported seed archive, on both databases: stemming ("bonding" finds 2014's two
 * bonding sessions and 2011's "team" talk), exclusion ("xdp -af_xdp"), phrases, per-year counts,
 * snippets; broken syntax answered with a clear message and never an error page; planted private
 * rows (undecided, declined and early-accepted proposals, a planned edition's talk and notes) never
 * found. Then the page and JSON over HTTP, and `conclave search` in-process.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchLines } from '../src/cli/search.js';
import { openPglite, type Db } from '../src/db/connect.js';
import type { Database } from '../src/db/schema.js';
import { bundledPages } from '../src/domain/archive/bundled.js';
import { importPages } from '../src/domain/archive/import-pages.js';
import { InvalidInput } from '../src/domain/errors.js';
import { plain } from '../src/domain/search/highlight.js';
import { words } from '../src/domain/search/documents.js';
import { compoundsAsPhrases, search, searchQuery, splitExclusions, type SearchHit } from '../src/domain/search/search.js';
import { runInProcess } from './support/cli-in-process.js';
import { buildApp } from '../src/web/app.js';
import { freshPglite, testDatabases } from './support/db.js';

const titleOf = (h: SearchHit) => plain(h.title);
/** A page as a browser with the style sheet shows it: without the asterisks kept for text browsers. */
const withoutTextMarks = (html: string) => html.replaceAll('<span class="text-only">*</span>', '');
const matched = (h: SearchHit) => h.title.filter((s) => s.match).map((s) => s.text.toLowerCase());

/**
 * Rows the public pages do not show, each carrying the word "zebracorn" (and some "bonding"):
 * proposals undecided, declined, withdrawn, and one accepted in a planned edition; a planned
 * edition's talk (whose only speaker is nobody else's business) and its notes. Plus notes the
 * 2014 page does show, with markup and a fake highlight marker in them.
 */
async function plant(db: Kysely<Database>): Promise<void> {
  const netconf = await db.selectFrom('series').select('id').where('slug', '=', 'netconf').executeTakeFirstOrThrow();
  const e2019 = await db.selectFrom('editions').select('id').where('year', '=', 2019).executeTakeFirstOrThrow();
  const e2014 = await db.selectFrom('editions').select('id').where('year', '=', 2014).executeTakeFirstOrThrow();
  const proposer = await db
    .insertInto('people')
    .values({ slug: 'zed-zebracorn', name: 'Zed Zebracorn', name_key: 'zed zebracorn' })
    .returning('id')
    .executeTakeFirstOrThrow();
  let number = 100;
  for (const state of ['proposed', 'changes-requested', 'declined', 'withdrawn'] as const) {
    const t = await db
      .insertInto('topics')
      .values({ edition_id: e2019.id, number: number++, title: `Bonding zebracorn ${state}`, abstract: 'zebracorn secret abstract', origin: 'proposal', state, proposer_id: proposer.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('topic_presenters').values({ topic_id: t.id, person_id: proposer.id, position: 0 }).execute();
  }
  const planned = await db
    .insertInto('editions')
    .values({ series_id: netconf.id, year: 2031, title: 'Netconf 2031', intro: '[]', sections: '[]', status: 'planned' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const day = await db.insertInto('agenda_days').values({ edition_id: planned.id, date: '2031-05-12', label: 'Monday', position: 0 }).returning('id').executeTakeFirstOrThrow();
  const slot = await db
    .insertInto('slots')
    .values({ day_id: day.id, start_time: '10:00', kind: 'talk', title: 'Bonding zebracorn planned talk', position: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('slot_speakers').values({ slot_id: slot.id, person_id: proposer.id, name_as_listed: 'Zed Zebracorn', position: 0 }).execute();
  const early = await db
    .insertInto('topics')
    .values({ edition_id: planned.id, number: 1, title: 'Bonding zebracorn accepted early', origin: 'proposal', state: 'accepted', proposer_id: proposer.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('topic_presenters').values({ topic_id: early.id, person_id: proposer.id, position: 0 }).execute();
  await db
    .insertInto('materials')
    .values({ edition_id: planned.id, kind: 'notes', label: 'Planned zebracorn notes', body: 'zebracorn planning notes', position: 0 })
    .execute();
  await db
    .insertInto('materials')
    .values({
      edition_id: e2014.id,
      kind: 'notes',
      label: 'Hallway notes <script>alert(1)</script>',
      body: 'We talked about <script>alert(1)</script> **zebracorns** and \uE000fake\uE001 highlights at length, then went to dinner.\n\n- `zc_loop` in [the stable](https://example.org/v)\n- *then* zc_probe',
      position: 50,
    })
    .execute();
}

/**
 * Two editions found by their facts: 2101 held in Seville with Netdev 1.1, sponsored, with notes
 * by Nora Notetaker; 2102 planned, in Vigo, with Zorblat, Inc. and the same sponsor, and notes by
 * her not yet shown.
 */
async function plantEditions(db: Kysely<Database>): Promise<void> {
  const netconf = await db.selectFrom('series').select('id').where('slug', '=', 'netconf').executeTakeFirstOrThrow();
  const facts = [
    { year: 2101, status: 'tentative', location_text: 'Seville, Spain', colocated_name: 'Netdev 1.1', colocated_place: 'Seville' },
    { year: 2102, status: 'planned', location_text: 'Vigo, Spain', colocated_name: null, colocated_place: null },
  ] as const;
  for (const f of facts) {
    const e = await db
      .insertInto('editions')
      .values({ series_id: netconf.id, title: `Netconf ${f.year}`, intro: '[]', sections: '[]', start_date: `${f.year}-02-10`, ...f })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('sponsors').values({ edition_id: e.id, name: 'Quuxtatu Networks', kind: 'company', position: 1 }).execute();
    // 2102's last sponsor has a comma in its name: the list must still say where each name ends,
    // and the snippet keep the short words after the match ("Inc.").
    if (f.year === 2102) await db.insertInto('sponsors').values({ edition_id: e.id, name: 'Zorblat, Inc.', kind: 'company', position: 2 }).execute();
    await db.insertInto('materials').values({ edition_id: e.id, kind: 'notes', label: 'Meeting notes', credit: 'Nora Notetaker', position: 0 }).execute();
  }
}

describe.each(testDatabases())('search on $name', ({ open }) => {
  let handle: Db;
  let app: FastifyInstance;
  beforeAll(async () => {
    handle = await open();
    await importPages({ db: handle.db }, bundledPages());
    await plant(handle.db);
    await plantEditions(handle.db);
    app = await buildApp({ db: handle.db, clock: () => new Date('2026-11-22T12:00:00Z') });
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  it('finds 2014’s two bonding sessions and 2011’s "team" talk for "bonding", ranked, with counts per year', async () => {
    const r = await search({ db: handle.db }, { query: 'bonding' });
    expect(r.total).toBe(3);
    expect(r.perYear).toEqual([
      { year: 2014, count: 2 },
      { year: 2011, count: 1 },
    ]);
    expect(r.people).toBe(0);
    expect(r.hits.map((h) => [h.edition?.year, h.time, h.what])).toEqual([
      // "Bonding" twice in its title: first.
      [2014, '16:00', 'Talk'],
      [2014, '15:30', 'Talk'],
      [2011, '11:45', 'Talk'],
    ]);
    expect(titleOf(r.hits[0]!)).toMatch(/^Bonding and its interation/);
    expect(titleOf(r.hits[1]!)).toBe('Encapsulations, and fixed limits, such as the bonding VLAN limit.');
    expect(titleOf(r.hits[2]!)).toBe('LNST and "team" (a bonding alternative)');
    const ranks = r.hits.map((h) => h.rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect(ranks[0]!).toBeGreaterThan(ranks[2]!);
    // Highlighted: every match is a form of "bond".
    expect(matched(r.hits[0]!)).toEqual(['bonding', 'bonding']);
    expect(matched(r.hits[2]!)).toEqual(['bonding']);
    expect(r.hits[2]!.people.map((p) => p.slug)).toEqual(['jiri-pirko']);
    expect(r.hits[2]!.edition).toMatchObject({ series: 'netconf', year: 2011 });
    expect(r.hits[2]!.anchor).toBe('at-2011-06-14-1145');
    expect(r.hits[2]!.date).toBe('2011-06-14');
    // "bond" stems the same way.
    expect((await search({ db: handle.db }, { query: 'bond' })).total).toBe(3);
  });

  it('gives hits of equal rank one order: newest edition first, then day and time, then title', async () => {
    // Every title match of one word ranks alike: 2019's six XDP topics, and "tcp" across years.
    const xdp = await search({ db: handle.db }, { query: 'xdp' });
    expect(new Set(xdp.hits.map((h) => h.rank)).size).toBe(1);
    expect(xdp.hits.map(titleOf)).toEqual([
      'AF_XDP User Experience',
      'AF_XDP: potential to improve',
      'friendlier UAPI for XDP_REDIRECT',
      'XDP feature detection',
      'XDP feature planning',
      'xfrm integration into XDP',
    ]);
    const tcp = await search({ db: handle.db }, { query: 'tcp' });
    expect(new Set(tcp.hits.map((h) => h.rank)).size).toBe(1);
    expect(tcp.hits.map((h) => [h.edition?.year, h.date, h.time, h.type])).toEqual([
      [2019, null, null, 'topic'],
      [2015, '2015-02-13', '11:00', 'talk'],
      [2015, '2015-02-13', '16:30', 'talk'],
      [2014, '2014-08-19', '09:15', 'talk'],
      [2011, '2011-06-14', '16:00', 'talk'],
      [2004, '2004-07-15', '10:00', 'talk'],
      [2004, '2004-07-15', '11:00', 'talk'],
      [2004, null, null, 'material'],
    ]);
    // A page and the next one follow the same order.
    const pages = [await search({ db: handle.db }, { query: 'xdp', limit: 4 }), await search({ db: handle.db }, { query: 'xdp', limit: 4, offset: 4 })];
    expect(pages.flatMap((p) => p.hits.map(titleOf))).toEqual(xdp.hits.map(titleOf));
  });

  it('filters by year while still counting every year', async () => {
    const r = await search({ db: handle.db }, { query: 'bonding', year: 2011 });
    expect(r.total).toBe(1);
    expect(r.year).toBe(2011);
    expect(r.hits.map((h) => h.edition?.year)).toEqual([2011]);
    expect(r.perYear.map((y) => y.year)).toEqual([2014, 2011]);
  });

  it('excludes with -word: "xdp -af_xdp" leaves out the AF_XDP topics', async () => {
    const all = await search({ db: handle.db }, { query: 'xdp' });
    expect(all.hits.map(titleOf).filter((t) => /af_xdp/i.test(t)).sort()).toEqual(['AF_XDP User Experience', 'AF_XDP: potential to improve']);
    const r = await search({ db: handle.db }, { query: 'xdp -af_xdp' });
    expect(r.hits.map(titleOf).sort()).toEqual(['XDP feature detection', 'XDP feature planning', 'friendlier UAPI for XDP_REDIRECT', 'xfrm integration into XDP'].sort());
    expect(r.total).toBe(all.total - 2);
    expect(r.hits.every((h) => h.what === 'Topic' && /^topic-\d+$/.test(h.anchor ?? '') && h.rank > 0)).toBe(true);
  });

  it('finds bpf and eBPF by each other, in phrases too, highlights whichever matched, and leaves out both with -bpf', async () => {
    const bpf = await search({ db: handle.db }, { query: 'bpf' });
    expect(bpf.hits.map(titleOf).sort()).toEqual(
      [
        'BPF mesh device as a programmable ipvlan replacement, XFRM integration into tc/BPF',
        'BPF programmable listen socket lookup',
        'bpf updates and next steps',
        'eBPF, where can it be used more, are there security issues?',
      ].sort(),
    );
    expect(bpf.hits.flatMap(matched).sort()).toEqual(['bpf', 'bpf', 'bpf', 'bpf', 'ebpf']);
    const ebpf = await search({ db: handle.db }, { query: 'eBPF' });
    expect(ebpf.hits.map(titleOf).sort()).toEqual(bpf.hits.map(titleOf).sort());
    expect(ebpf.total).toBe(4);
    // A phrase: the word of the other spelling in its place.
    expect((await search({ db: handle.db }, { query: '"ebpf updates"' })).hits.map(titleOf)).toEqual(['bpf updates and next steps']);
    expect((await search({ db: handle.db }, { query: '"bpf, where can it be used"' })).hits.map(titleOf)).toEqual(['eBPF, where can it be used more, are there security issues?']);
    // Leaving one out leaves out both.
    const security = await search({ db: handle.db }, { query: 'security' });
    expect(security.hits.map(titleOf)).toContain('eBPF, where can it be used more, are there security issues?');
    for (const query of ['security -bpf', 'security -ebpf'])
      expect((await search({ db: handle.db }, { query })).hits.map(titleOf), query).not.toContain('eBPF, where can it be used more, are there security issues?');
    expect((await search({ db: handle.db }, { query: 'security -bpf' })).total).toBe(security.total - 1);
    // Over HTTP as in the terminal.
    const json = (await app.inject('/search.json?q=bpf')).json() as { total: number };
    expect(json.total).toBe(4);
  });

  it('folds accents: "hoiland" finds Toke Høiland-Jørgensen, his topics, and highlights his name as written', async () => {
    const r = await search({ db: handle.db }, { query: 'hoiland' });
    expect(r.hits.map(titleOf).sort()).toEqual(['Toke Høiland-Jørgensen', 'XDP feature planning', 'friendlier UAPI for XDP_REDIRECT'].sort());
    const person = r.hits.find((h) => h.type === 'person')!;
    expect(person.title.filter((seg) => seg.match).map((seg) => seg.text)).toEqual(['Høiland']);
    expect((await search({ db: handle.db }, { query: 'jorgensen' })).total).toBe(r.total);
  });

  it('reads a hyphenated word as the phrase of its parts: "af-xdp" finds the AF_XDP topics', async () => {
    const r = await search({ db: handle.db }, { query: 'af-xdp' });
    expect(r.hits.map(titleOf).sort()).toEqual(['AF_XDP User Experience', 'AF_XDP: potential to improve']);
    expect((await search({ db: handle.db }, { query: 'xdp -af-xdp' })).total).toBe((await search({ db: handle.db }, { query: 'xdp' })).total - 2);
    expect(compoundsAsPhrases('"xdp af-xdp" bpf-next -tc-bpf net-next-2.6 -x')).toBe('"xdp af xdp" "bpf next" -"tc bpf" "net next 2.6" -x');
    expect(compoundsAsPhrases('RFC-5549 "for rfc-5549" x86-64/xdp')).toBe('"RFC 5549" "for rfc 5549" "x86 64 xdp"');
    for (const query of ['RFC-5549', 'rfc-5549', '"support for RFC-5549"'])
      expect((await search({ db: handle.db }, { query })).hits.map(titleOf)).toEqual([
        'support for RFC-5549 and benefits for Linux-based routers in the datacenter and on servers',
      ]);
    // Either way a text writes such a pair is found, whichever way it was typed.
    const finds = async (text: string, query: string) =>
      (await sql<{ m: boolean }>`select to_tsvector('conclave_text', ${words(sql`${text}::text`)}) @@ ${searchQuery(query)} as m`.execute(handle.db)).rows[0]!.m;
    for (const query of ['x86-64', '"on x86-64"'])
      expect([await finds('XDP on x86_64', query), await finds('XDP on x86-64', query)], query).toEqual([true, true]);
    expect([await finds('see RFC 5549', 'rfc-5549'), await finds('RFC-5549', 'rfc-5549'), await finds('RFC-5548', 'rfc-5549')]).toEqual([true, true, false]);
  });

  it('finds a number inside a hyphenated word by its parts: "5549" and "rfc 5549" find RFC-5549', async () => {
    const rfc = ['support for RFC-5549 and benefits for Linux-based routers in the datacenter and on servers'];
    for (const query of ['5549', 'rfc 5549', '"rfc 5549"', 'RFC-5549']) {
      const r = await search({ db: handle.db }, { query });
      expect(r.hits.map(titleOf), query).toEqual(rfc);
      // Shown as written, with the parts found marked.
      expect(r.hits[0]!.title.filter((seg) => seg.match).map((seg) => seg.text), query).toEqual(query === '5549' ? ['5549'] : ['RFC', '5549']);
    }
    // A word with a digit before its hyphen, a number after one: "ipv6" and "mobile ipv6".
    for (const query of ['ipv6 usagi', '"mobile ipv6"'])
      expect((await search({ db: handle.db }, { query })).hits.map(titleOf), query).toEqual(['Design of Mobile-IPV6\nStatus and future plans of USAGI project']);
    // A minus sign before a number, after a space, still leaves it out.
    expect((await search({ db: handle.db }, { query: 'rfc -5549' })).total).toBe(0);
  });

  it('finds a title quoted whole, hyphenated words and all, as well as written otherwise', async () => {
    const titles = async (query: string) => (await search({ db: handle.db }, { query })).hits.map(titleOf);
    expect(await titles('"Design of Mobile-IPV6"')).toEqual(['Design of Mobile-IPV6\nStatus and future plans of USAGI project']);
    expect(await titles('"Potential issues for next-gen networking hardware."')).toEqual(['Potential issues for next-gen networking hardware.']);
    expect(await titles('"support for RFC-5549 and benefits for Linux-based routers"')).toEqual([
      'support for RFC-5549 and benefits for Linux-based routers in the datacenter and on servers',
    ]);
    expect(await titles('"Multipath TCP upstreaming: current state, work-in-progress items and near-future roadmap"')).toEqual([
      'Multipath TCP upstreaming: current state, work-in-progress items and near-future roadmap',
    ]);
    // A hyphenated name quoted whole: the person and their topics.
    expect((await titles('"Toke Høiland-Jørgensen"')).sort()).toEqual(['Toke Høiland-Jørgensen', 'XDP feature planning', 'friendlier UAPI for XDP_REDIRECT'].sort());
    // The parts still find a text that joins them otherwise, inside quotes too.
    expect(await titles('"af-xdp user experience"')).toEqual(['AF_XDP User Experience']);
    expect(await titles('"Bridging/STP"')).toEqual(['Bridging/STP']);
    expect(compoundsAsPhrases('"a next-gen/x b" c-d')).toBe('"a next gen x b" "c d"');
  });

  it('finds a quoted phrase that ends or starts inside a hyphenated word', async () => {
    const titles = async (query: string) => (await search({ db: handle.db }, { query })).hits.map(titleOf);
    const mobile = await search({ db: handle.db }, { query: '"design of mobile"' });
    expect(mobile.hits.map(titleOf)).toEqual(['Design of Mobile-IPV6\nStatus and future plans of USAGI project']);
    expect(mobile.hits[0]!.title.filter((seg) => seg.match).map((seg) => seg.text)).toEqual(['Design', 'Mobile']);
    expect(await titles('"ipv6 status"')).toEqual(['Design of Mobile-IPV6\nStatus and future plans of USAGI project']);
    expect(await titles('"next-gen networking"')).toEqual(['Potential issues for next-gen networking hardware.']);
    expect(await titles('"for next"')).toContain('Potential issues for next-gen networking hardware.');
    // In a name too: the person and their topics.
    expect((await titles('"toke høiland"')).sort()).toEqual(['Toke Høiland-Jørgensen', 'XDP feature planning', 'friendlier UAPI for XDP_REDIRECT'].sort());
  });

  it('reads words joined by a slash as words: "rocker" and "stp" find 2015’s switchdev/rocker and 2011’s Bridging/STP', async () => {
    const rocker = await search({ db: handle.db }, { query: 'rocker' });
    expect(rocker.hits.map(titleOf)).toEqual(['switchdev/rocker status + FIB offload']);
    // Shown as written, with the word found marked.
    expect(rocker.hits[0]!.title.map((seg) => (seg.match ? `[${seg.text}]` : seg.text)).join('')).toBe('switchdev/[rocker] status + FIB offload');
    expect((await search({ db: handle.db }, { query: 'stp' })).hits.map(titleOf)).toContain('Bridging/STP');
    expect((await search({ db: handle.db }, { query: 'forum' })).hits.map(titleOf)).toContain('Open Forum/Discussions');
    // The joined form still finds it, as the phrase of its parts, and only in that order.
    expect((await search({ db: handle.db }, { query: 'Bridging/STP' })).hits.map(titleOf)).toEqual(['Bridging/STP']);
    expect((await search({ db: handle.db }, { query: 'stp/bridging' })).total).toBe(0);
    expect(compoundsAsPhrases('switchdev/rocker "a b/c" tc-bpf/xdp')).toBe('"switchdev rocker" "a b c" "tc bpf xdp"');
  });

  it('matches a quoted phrase only in that order', async () => {
    const phrase = await search({ db: handle.db }, { query: '"xdp feature"' });
    expect(phrase.hits.map(titleOf).sort()).toEqual(['XDP feature detection', 'XDP feature planning']);
    expect((await search({ db: handle.db }, { query: '"feature xdp"' })).total).toBe(0);
    const one = await search({ db: handle.db }, { query: '"feature detection"' });
    expect(one.hits.map(titleOf)).toEqual(['XDP feature detection']);
    expect(one.hits[0]!.people.map((p) => p.name)).toEqual(['Jesper Dangaard Brouer']);
  });

  it('finds speakers by name, the talk and the person', async () => {
    const r = await search({ db: handle.db }, { query: 'pirko team' });
    expect(r.hits.map(titleOf)).toEqual(['LNST and "team" (a bonding alternative)']);
    expect(r.hits[0]!.people[0]!.highlighted).toEqual([
      { text: 'Jiri ', match: false },
      { text: 'Pirko', match: true },
    ]);
    const p = await search({ db: handle.db }, { query: 'pirko' });
    expect(p.people).toBe(1);
    expect(p.hits[0]).toMatchObject({ type: 'person', personSlug: 'jiri-pirko', edition: null });
  });

  it('finds a talk by any spelling of its speaker’s name', async () => {
    // The 2011 page lists "Jeffrey T. Kirsher", the 2014 and 2015 pages "Jeff Kirsher": one person.
    const jeff = await search({ db: handle.db }, { query: 'Jeff Kirsher' });
    expect(jeff.hits.filter((h) => h.type === 'talk').map((h) => [h.edition?.year, titleOf(h)])).toContainEqual([2011, 'drivers/net rearrangement']);
    const jeffrey = await search({ db: handle.db }, { query: 'Jeffrey Kirsher' });
    const found = (r: typeof jeff) => r.hits.map((h) => `${h.type} ${h.edition?.year ?? ''} ${h.anchor ?? h.personSlug} ${titleOf(h)}`).sort();
    expect(found(jeff)).toEqual(found(jeffrey));
  });

  it('finds meeting notes the page shows, with a snippet, and never what the pages do not show', async () => {
    const r = await search({ db: handle.db }, { query: 'zebracorn' });
    expect(r.hits.map((h) => [h.what, titleOf(h), h.edition?.year, h.anchor])).toEqual([['Meeting notes', 'Hallway notes <script>alert(1)</script>', 2014, 'notes']]);
    expect(r.people).toBe(0);
    const snippet = r.hits[0]!.snippet!;
    expect(snippet.filter((s) => s.match).map((s) => s.text)).toEqual(['zebracorns']);
    // The stored markers are text, not highlights.
    expect(plain(snippet)).not.toMatch(/[\uE000\uE001]/);
    // Markdown shows as the words it marks up.
    expect(plain(snippet)).toContain('zebracorns and fake highlights');
    expect(plain(snippet)).toMatch(/\nzc_loop in the stable\nthen zc_probe$/);
    // Each planted row by words only it has: none is found, nor its speaker.
    for (const q of ['zebracorn secret abstract', 'zed', 'zebracorn proposed', 'zebracorn declined', 'zebracorn withdrawn', 'planned talk', 'accepted early', 'zebracorn planning']) {
      const x = await search({ db: handle.db }, { query: q });
      expect(x.hits.map(titleOf), q).toEqual([]);
      expect(x.perYear, q).toEqual([]);
    }
    expect((await search({ db: handle.db }, { query: 'bonding', year: 2031 })).total).toBe(0);
  });

  it('finds an edition by its place, the event it is held with, its sponsors and its notes’ authors', async () => {
    const found = async (query: string) =>
      (await search({ db: handle.db }, { query })).hits.filter((h) => h.type === 'edition').map((h) => `${h.what} ${h.edition?.year} ${h.anchor ?? ''}`.trim());
    expect(await found('seville')).toEqual(['Edition 2101']);
    expect(await found('"netdev 1.1"')).toEqual(['Edition 2101']);
    // A planned edition's page shows its place and sponsors, not yet its notes.
    expect(await found('vigo')).toEqual(['Edition 2102']);
    expect((await found('quuxtatu')).sort()).toEqual(['Edition 2101 sponsors', 'Edition 2102 sponsors']);
    expect(await found('nora notetaker')).toEqual(['Edition 2101 notes']);
    // From the imported pages: 2015's sponsor and co-located event, 2011's notes by Ben Hutchings.
    expect(await found('mojatatu')).toEqual(['Edition 2015 sponsors']);
    expect(await found('"netdev 0.1" ottawa')).toEqual(['Edition 2015']);
    expect(await found('hutchings')).toEqual(['Edition 2011 notes']);

    const r = await search({ db: handle.db }, { query: 'seville' });
    const hit = r.hits.find((h) => h.type === 'edition')!;
    expect(plain(hit.title)).toBe('Netconf 2101');
    expect(plain(hit.subtitle!)).toBe('Seville, Spain; held with Netdev 1.1, Seville');
    expect(hit.subtitle!.filter((seg) => seg.match).map((seg) => seg.text)).toEqual(['Seville', 'Seville']);
    expect(plain(hit.snippet!)).toBe('Sponsors: Quuxtatu Networks; meeting notes by Nora Notetaker');
    expect(r.perYear).toEqual([{ year: 2101, count: 1 }]);

    // The page and the terminal show it as they show the others.
    const raw = await app.inject('/search/?q=quuxtatu&year=2101');
    const page = withoutTextMarks(raw.body);
    expect(page).toContain('1 result for “quuxtatu” in 2101');
    // The edition's title once: its heading, not again in the line above it.
    expect(page).toContain('<span>Edition</span><span> · February 10, 2101</span>');
    const item = page.slice(page.indexOf('<li class="hit">'), page.indexOf('</li>', page.indexOf('<li class="hit">')));
    expect(item.split('Netconf 2101').length - 1).toBe(1);
    expect(item).toContain('<a href="/netconf/2101/#sponsors">Netconf 2101</a>');
    expect(page).toContain('Sponsors: <mark>Quuxtatu</mark> Networks');
    const lines = searchLines(await search({ db: handle.db }, { query: 'quuxtatu', year: 2101 }), { baseUrl: 'https://example.org' });
    expect(lines.slice(3)).toEqual([
      '1. [Edition, 2101-02-10] Netconf 2101',
      '   Seville, Spain; held with Netdev 1.1, Seville',
      '   Sponsors: Quuxtatu Networks; meeting notes by Nora Notetaker',
      '   https://example.org/netconf/2101/#sponsors',
    ]);
  });

  it('finds an edition by its subtitle, a talk by its slides\' labels and slides by whom they are from', async () => {
    const hits = async (query: string) => (await search({ db: handle.db }, { query })).hits;
    const editions = async (query: string) =>
      (await hits(query)).filter((h) => h.type === 'edition').map((h) => `${h.edition?.year} ${h.anchor ?? 'top'} ${plain(h.subtitle ?? [])}`);
    // 2014 and 2015 are each a "Kernel Summit Networking Workshop"; 2014 is also held with the Kernel Summit.
    expect((await editions('"networking workshop"')).sort()).toEqual([
      '2014 top Kernel Summit Networking Workshop; Chicago, IL; held with Linux Kernel Summit, Chicago, IL',
      '2015 top Kernel Summit Networking Workshop; Ottawa, Canada; held with Netdev 0.1, Ottawa, Canada',
    ]);
    expect((await editions('"kernel summit"')).map((h) => h.slice(0, 4)).sort()).toEqual(['2014', '2015']);
    // 2011's "Catching up with Herbert" lists slides and animations.
    const animations = (await hits('animations')).filter((h) => h.type === 'talk');
    expect(animations.map((h) => [h.edition?.year, titleOf(h), h.anchor])).toEqual([[2011, 'Catching up with Herbert', expect.stringMatching(/^at-2011-06-15-/)]]);
    expect(plain(animations[0]!.snippet!)).toBe('Materials: slides, animations');
    expect(animations[0]!.snippet!.filter((seg) => seg.match).map((seg) => seg.text)).toEqual(['animations']);
    // 2004's slides "TCP_OSDL - From DaveM" and "Net 2.7 - From DaveM", ranked alike: by title.
    const davem = await hits('davem');
    expect(davem.map((h) => [h.what, h.edition?.year, titleOf(h), plain(h.subtitle ?? []), h.anchor])).toEqual([
      ['Slides', 2004, 'Net 2.7', 'From DaveM', 'materials'],
      ['Slides', 2004, 'TCP_OSDL', 'From DaveM', 'materials'],
    ]);
  });

  it('calls a paper a paper, as the materials form and the terminal do, though it is stored as a whitepaper', async () => {
    const { db } = handle;
    const e = await db.selectFrom('editions').select('id').where('year', '=', 2004).executeTakeFirstOrThrow();
    await db.insertInto('materials').values({ edition_id: e.id, kind: 'whitepaper', label: 'Wombat queueing', url: 'https://example.org/wombat.pdf', position: 90 }).execute();
    const r = await search({ db }, { query: 'wombat' });
    expect(r.hits.map((h) => [h.what, h.edition?.year, titleOf(h)])).toEqual([['Paper', 2004, 'Wombat queueing']]);
    expect((await app.inject('/search/?q=wombat')).body).toMatch(/<span>Paper<\/span> · <a href="\/netconf\/2004\/">/);
    expect(searchLines(r)[3]).toBe('1. [Paper, 2004] Wombat queueing');
  });

  it('finds words in angle brackets, which are text, not markup: a talk, its slides, notes and a sponsor', async () => {
    const { db } = handle;
    const netconf = await db.selectFrom('series').select('id').where('slug', '=', 'netconf').executeTakeFirstOrThrow();
    const e = await db
      .insertInto('editions')
      .values({ series_id: netconf.id, year: 2103, title: 'Netconf 2103', intro: '[]', sections: '[]', status: 'tentative', start_date: '2103-03-01' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('sponsors').values({ edition_id: e.id, name: 'Acme <Corp> & Sons', kind: 'company', position: 1 }).execute();
    const day = await db.insertInto('agenda_days').values({ edition_id: e.id, date: '2103-03-01', label: 'Monday', position: 0 }).returning('id').executeTakeFirstOrThrow();
    const slot = await db
      .insertInto('slots')
      .values({ day_id: day.id, start_time: '10:00', kind: 'talk', title: 'BPF arena & <kfuncs>', position: 0 })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('materials').values({ edition_id: e.id, slot_id: slot.id, kind: 'slides', label: 'Changes to <linux/if_link.h>', url: 'https://example.org/l.pdf', position: 0 }).execute();
    await db.insertInto('materials').values({ edition_id: e.id, kind: 'notes', label: 'Meeting notes', body: 'We argued about <qdiscs> at length.', position: 1 }).execute();

    const found = async (query: string) => (await search({ db }, { query })).hits.map((h) => `${h.what} ${h.edition?.year} ${titleOf(h)}`);
    expect(await found('kfuncs')).toEqual(['Talk 2103 BPF arena & <kfuncs>']);
    expect(await found('arena kfuncs')).toEqual(['Talk 2103 BPF arena & <kfuncs>']);
    expect(await found('corp')).toEqual(['Edition 2103 Netconf 2103']);
    expect(await found('if_link.h')).toEqual(['Talk 2103 BPF arena & <kfuncs>']);
    expect(await found('qdiscs')).toEqual(['Meeting notes 2103 Meeting notes']);
    // Shown as written, the word in brackets marked.
    const talk = (await search({ db }, { query: 'kfuncs' })).hits[0]!;
    expect(matched(talk)).toEqual(['kfuncs']);
    expect(plain(talk.title)).toBe('BPF arena & <kfuncs>');
    expect(withoutTextMarks((await app.inject('/search/?q=kfuncs')).body)).toContain('BPF arena &amp; &lt;<mark>kfuncs</mark>></a>');
    const sponsor = (await search({ db }, { query: 'corp' })).hits[0]!;
    expect(plain(sponsor.snippet!)).toBe('Sponsors: Acme <Corp> & Sons');
    expect(sponsor.snippet!.filter((seg) => seg.match).map((seg) => seg.text)).toEqual(['Corp']);
    const json = (await app.inject('/search.json?q=corp')).json() as { total: number };
    expect(json.total).toBe(1);
  });

  it('tells an edition’s sponsors apart, one with a comma in its name too, on the page and the terminal', async () => {
    const r = await search({ db: handle.db }, { query: 'zorblat' });
    expect(r.hits.map((h) => [h.what, h.edition?.year, plain(h.snippet ?? [])])).toEqual([['Edition', 2102, 'Sponsors: Quuxtatu Networks · Zorblat, Inc.']]);
    const page = withoutTextMarks((await app.inject('/search/?q=zorblat')).body);
    expect(page).toContain('Sponsors: Quuxtatu Networks · <mark>Zorblat</mark>, Inc.');
    expect(searchLines(r)).toContain('   Sponsors: Quuxtatu Networks · Zorblat, Inc.');
  });

  it('says clearly what is wrong with a query that cannot be searched', async () => {
    const cases: [string, RegExp][] = [
      ['', /type a word or two/],
      ['   ', /type a word or two/],
      ['x'.repeat(201), /too long: at most 200 characters/],
      ['\u0000', /type a word or two/],
    ];
    for (const [query, why] of cases) {
      const err = await search({ db: handle.db }, { query }).catch((e: unknown) => e);
      expect(err, JSON.stringify(query)).toBeInstanceOf(InvalidInput);
      expect((err as InvalidInput).field).toBe('query');
      expect((err as Error).message, JSON.stringify(query)).toMatch(why);
    }
  });

  it('finds nothing, and says why, for a query with nothing to search for', async () => {
    const cases: [string, RegExp][] = [
      ['-', /^Nothing to search for in “-”/],
      ['%', /^Nothing to search for in “%”/],
      ['!!!', /^Nothing to search for/],
      ['the and of', /only very common words/],
      ['-xdp', /not only what to leave out/],
    ];
    for (const [query, why] of cases) {
      const r = await search({ db: handle.db }, { query });
      expect([r.total, r.hits, r.perYear, r.people], query).toEqual([0, [], [], 0]);
      expect(r.notices.at(-1), query).toMatch(why);
      // No word was looked up: that whole words are matched is beside the point.
      expect(r.hint, query).toBeNull();
      expect(r.unsearchable, query).toBe(true);
    }
    // A query that looked words up and found nothing is not one of them.
    expect((await search({ db: handle.db }, { query: 'nosuchwordanywhere' })).unsearchable).toBe(false);
  });

  it('says that whole words are matched only where words were looked up and found nowhere', async () => {
    const hint = 'Whole words are matched, in any of their forms (bond, bonding), not parts of words.';
    expect((await search({ db: handle.db }, { query: 'offlo' })).hint).toBe(hint);
    expect((await search({ db: handle.db }, { query: 'offlo', year: 2014 })).hint).toBe(hint);
    // Found, if not in the year asked for: its words were matched.
    expect((await search({ db: handle.db }, { query: 'bonding', year: 2019 })).hint).toBeNull();
    expect((await search({ db: handle.db }, { query: 'bonding' })).hint).toBeNull();
    for (const q of ['offlo', 'bonding&year=2019', '%25', '-xdp']) {
      const page = await app.inject(`/search/?q=${q}`);
      expect([page.statusCode, page.body.includes(hint)], q).toEqual([200, q === 'offlo']);
      const json = (await app.inject(`/search.json?q=${q}`)).json() as { hint: string | null };
      expect(json.hint, q).toBe(q === 'offlo' ? hint : null);
    }
  });

  it('says that the words left out took every result away where the other words were found, not that whole words are matched', async () => {
    const whole = 'Whole words are matched, in any of their forms (bond, bonding), not parts of words.';
    const leftOut = 'The other words were found, but every result holds a word left out (-word).';
    // A minus sign inside a phrase is the phrase's.
    expect(splitExclusions('xdp -af_xdp "a -b" -"c d" e')).toEqual({ kept: 'xdp "a -b" e', leftOut: ['af_xdp', '"c d"'] });
    // bpf and eBPF find each other: leaving out one leaves out the other.
    const ebpf = await search({ db: handle.db }, { query: 'ebpf -bpf' });
    expect([ebpf.total, ebpf.hint]).toEqual([0, `${leftOut} bpf and ebpf are searched as one word: leaving out one leaves out the other.`]);
    const bonding = await search({ db: handle.db }, { query: 'bonding -"bonding"' });
    expect([bonding.total, bonding.hint]).toEqual([0, leftOut]);
    // Words not found at all, left out or not: whole words are what is matched.
    expect((await search({ db: handle.db }, { query: 'offlo -bonding' })).hint).toBe(whole);
    const json = (await app.inject(`/search.json?q=${encodeURIComponent('ebpf -bpf')}`)).json() as { hint: string | null };
    expect(json.hint).toBe(ebpf.hint);
  });

  it('searches what it can of half-broken syntax, and says how it read it', async () => {
    const quote = await search({ db: handle.db }, { query: '"xdp feature' });
    expect(quote.notices.join(' ')).toMatch(/quotation mark was not closed/);
    expect(quote.total).toBe(2);
    const ops = await search({ db: handle.db }, { query: 'bonding & | vlan' });
    expect(ops.notices).toEqual(['The characters & | are not operators here and were ignored. Write -word to leave a word out, "two words" for a phrase, and or between alternatives.']);
    expect((await search({ db: handle.db }, { query: 'C:\\net\\ bonding' })).notices[0]).toMatch(/^The characters : \\ are not operators here and were ignored\. /);
    expect((await search({ db: handle.db }, { query: 'bonding*' })).notices[0]).toMatch(/^The character \* is not an operator here and was ignored\. /);
    expect((await search({ db: handle.db }, { query: '+bonding #vlan' })).notices[0]).toMatch(/^The characters \+ # are not operators here and were ignored\. /);
    expect(ops.hits.map(titleOf)).toEqual(['Encapsulations, and fixed limits, such as the bonding VLAN limit.']);
    expect((await search({ db: handle.db }, { query: 'a & | b' })).notices).toHaveLength(1);
  });

  it('serves the page: form, counts per year as links, ranked hits with highlights', async () => {
    const raw = await app.inject('/search/?q=bonding');
    // A text browser, which shows no <mark>, reads each match between asterisks (hidden by the style sheet).
    expect(raw.body).toContain('(a <span class="text-only">*</span><mark>bonding</mark><span class="text-only">*</span> alternative)');
    const res = { ...raw, body: withoutTextMarks(raw.body) };
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toMatch(/<input[^>]*name="q"[^>]*value="bonding"/);
    expect(res.body).toContain('3 results for “bonding”');
    expect(res.body).toContain('<a href="/search/?q=bonding&amp;year=2014">2014 (2)</a>');
    expect(res.body).toContain('<a href="/search/?q=bonding&amp;year=2011">2011 (1)</a>');
    expect(res.body).toContain('LNST and &#34;team&#34; (a <mark>bonding</mark> alternative)');
    expect(res.body).toContain('href="/netconf/2011/#at-2011-06-14-1145"');
    expect(res.body).toContain('href="/people/jiri-pirko/"');
    const order = ['Bonding</mark> and its', 'the <mark>bonding</mark> VLAN', 'a <mark>bonding</mark> alternative'].map((s) => res.body.indexOf(s));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));

    const y = await app.inject('/search/?q=bonding&year=2011');
    expect(y.body).toContain('1 result for “bonding” in 2011');
    expect(y.body).toContain('<a href="/search/?q=bonding">All years (3)</a>');

    const blank = await app.inject('/search/');
    expect(blank.statusCode).toBe(200);
    expect(blank.body).toMatch(/<form[^>]*role="search"/);
    expect(blank.body).toMatch(/<label for="q">/);

    const moved = await app.inject('/search?q=bonding');
    expect(moved.statusCode).toBe(301);
    expect(moved.headers.location).toBe('/search/?q=bonding');
  });

  it('never shows a hit as an empty link: an untitled talk is said to be untitled', async () => {
    const res = await app.inject('/search/?q=Jeff+Kirsher');
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toMatch(/<a href="[^"]*"><\/a>/);
    expect(res.body).toContain('<a href="/netconf/2015/#at-2015-02-13-0900">(untitled)</a>');
    // The terminal says the same.
    const lines = searchLines(await search({ db: handle.db }, { query: 'Jeff Kirsher' }));
    expect(lines.filter((l) => /\] *$/.test(l))).toEqual([]);
    expect(lines.some((l) => /^\d+\. \[Talk, 2015-02-13 09:00\] \(untitled\)$/.test(l))).toBe(true);
  });

  it('shows a title once where the talk\'s own title says the same', async () => {
    const r = await search({ db: handle.db }, { query: 'TCPfying' });
    expect(r.hits.map((h) => [titleOf(h), h.subtitle])).toEqual([['TCPfying the Poor Cousins', null]]);
    const page = withoutTextMarks((await app.inject('/search/?q=TCPfying')).body);
    expect(page.match(/<mark>TCPfying<\/mark> the Poor Cousins/g)).toHaveLength(1);
    expect(searchLines(r).filter((l) => l.includes('Poor Cousins'))).toEqual(['1. [Talk, 2004-07-14 10:00] TCPfying the Poor Cousins']);
    // A talk title that says more is still shown.
    const other = await search({ db: handle.db }, { query: '"Network Function Offload"' });
    expect(other.hits.map((h) => h.subtitle && plain(h.subtitle))).toContain('Network Function Offload');
  });

  it('shows a title of two lines on one, joined alike on the page and the terminal', async () => {
    const r = await search({ db: handle.db }, { query: 'USAGI' });
    expect(r.hits.map(titleOf)).toEqual(['Design of Mobile-IPV6\nStatus and future plans of USAGI project']);
    const page = withoutTextMarks((await app.inject('/search/?q=USAGI')).body);
    expect(page).toContain('>Design of Mobile-IPV6; Status and future plans of <mark>USAGI</mark> project</a>');
    expect(searchLines(r)).toContain('1. [Talk, 2004-07-15 13:00] Design of Mobile-IPV6; Status and future plans of USAGI project');
  });

  it('escapes what it shows: stored markup stays text', async () => {
    const raw = await app.inject('/search/?q=zebracorn');
    const res = { ...raw, body: withoutTextMarks(raw.body) };
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('<script>alert');
    expect(res.body).toContain('>Hallway notes &lt;script>alert(1)&lt;/script></a>');
    expect(res.body).toContain('<mark>zebracorns</mark> and fake highlights');
    expect(res.body).not.toContain('<mark>fake</mark>');
    const q = await app.inject(`/search/?q=${encodeURIComponent('"><script>x</script>')}`);
    // Inside the attribute, the quote is escaped: the markup cannot leave it.
    expect(q.body).toContain('value="&#34;><script>x</script>"');
    expect(q.body).toContain('“&#34;>&lt;script>x&lt;/script>”');
    expect(q.body.match(/<script>x/g)).toHaveLength(1);
  });

  it('answers broken syntax with the form and a message, never an error page', async () => {
    for (const q of ['"unterminated', '-', '!!!', 'a & | b', 'the and of', '((', 'x'.repeat(300), '%00', "'", '\\', 'or', '-a -b']) {
      const res = await app.inject(`/search/?q=${encodeURIComponent(q)}`);
      expect([200, 400], q).toContain(res.statusCode);
      expect(res.headers['content-type'], q).toMatch(/text\/html/);
      expect(res.body, q).toMatch(/<form[^>]*role="search"/);
      expect(res.body, q).not.toMatch(/Something went wrong|Bad request/);
      expect(res.body, q).toMatch(/class="error-text"|result|Nothing found|class="notice" role="status"/);
    }
    // Nothing to search for: a search that finds nothing, said so, not a request refused.
    // It says that once: "Nothing found" beside it said the same again (a trial's /search/?q=the).
    for (const q of ['-', '%', 'the']) {
      const none = await app.inject(`/search/?q=${encodeURIComponent(q)}`);
      expect(none.statusCode, q).toBe(200);
      expect(none.body, q).toContain(`Nothing to search for in “${q}”`);
      expect(none.body, q).not.toContain('Nothing found');
      expect(none.body, q).toContain(`<p class="notice" role="status">Nothing to search for in “${q}”`);
      const json = await app.inject(`/search.json?q=${encodeURIComponent(q)}`);
      expect(json.statusCode, q).toBe(200);
      expect(json.json(), q).toMatchObject({ total: 0, hits: [], notices: [expect.stringMatching(/^Nothing to search for/)] });
    }
    // An empty query is the form.
    for (const url of ['/search/?q=', '/search/?q=+', '/search/', '/search/?q=%01']) {
      const form = await app.inject(url);
      expect(form.statusCode, url).toBe(200);
      expect(form.body, url).toMatch(/<form[^>]*role="search"/);
      expect(form.body, url).not.toMatch(/class="error-text"|Nothing found/);
    }
    // The JSON has no form: without a query it is a bad request.
    expect((await app.inject('/search.json?q=')).statusCode).toBe(400);
    // Whole words match, said where nothing was found.
    const part = await app.inject('/search/?q=offlo');
    expect([part.statusCode, part.body.includes('Nothing found for “offlo”.')]).toEqual([200, true]);
    expect(part.body).toContain('<p class="muted">Whole words are matched, in any of their forms (bond, bonding), not parts of words.</p>');
    const year = await app.inject('/search/?q=bonding&year=soon');
    expect(year.statusCode).toBe(400);
    // The form has no year: the message says it is the address's, and what searching again does.
    expect(year.body).toMatch(/class="error-text"[^>]*>The year in this page’s address, “soon”, must be a number\. Search again to search every year; the results then link to each year that has some\.</);
    expect(year.body).not.toContain('Year: must be a number');
    const offset = await app.inject('/search/?q=bonding&offset=later');
    expect(offset.statusCode).toBe(400);
    expect(offset.body).toContain('The first result in this page’s address, “later”, must be a number. Search again to start at the first.');
    const long = await app.inject(`/search/?q=${'x'.repeat(201)}`);
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('The query is too long: at most 200 characters, please');
    expect(long.body).toMatch(/<input[^>]*aria-invalid="true"/);
    expect((await app.inject(`/search.json?q=${'x'.repeat(5600)}`)).statusCode).toBe(400);
  });

  it('links each hit to its own row or topic on the edition page, by anchors that name the day and time', async () => {
    const at = async (query: string) => {
      const [hit] = (await search({ db: handle.db }, { query })).hits;
      const page = (await app.inject(`/netconf/${hit!.edition!.year}/`)).body;
      const element = new RegExp(`<(tr|li)[^>]* id="${hit!.anchor}"[^>]*>([\\s\\S]*?)</\\1>`).exec(page);
      return { anchor: hit!.anchor, text: element?.[2]?.replace(/<[^>]+>/g, '') ?? '(no element with that id)' };
    };
    // 2011's second day has two slots at 11:00: the break, then this talk.
    const iwarp = await at('iwarp');
    expect(iwarp.anchor).toBe('at-2011-06-15-1100-2');
    expect(iwarp.text).toContain('iWarp portspace');
    const planning = await at('"feature planning"');
    expect(planning.anchor).toMatch(/^topic-\d+$/);
    expect(planning.text).toBe('XDP feature planning');
    const wifi = await at('"wifi 802.11"');
    expect(wifi.anchor).toBe('topic-6');
    expect(wifi.text).toContain('WiFi 802.11 network stacks');
    // A group photo is shown near the top of its page, not among the slides (2015 has none).
    const photo = (await search({ db: handle.db }, { query: '"ottawa group photo"' })).hits;
    expect(photo.map((h) => [h.what, h.anchor])).toEqual([['Group photo', 'group-photo']]);
    const page = (await app.inject('/netconf/2015/')).body;
    expect(/<figure[^>]* id="group-photo"[^>]*>([\s\S]*?)<\/figure>/.exec(page)?.[1]?.replace(/<[^>]+>/g, '')).toBe(
      'NetConf 2015 Ottawa Group Photo (the photo itself is not in the archive)',
    );
    expect(page).not.toContain('id="materials"');
  });

  it('says where the results end to a page past the last, and links back to it', async () => {
    const past = await app.inject('/search/?q=bonding&offset=100');
    expect(past.statusCode).toBe(200);
    expect(past.body).toContain('3 results for “bonding”, best first; none from number 101 on.');
    expect(past.body).toContain('<a href="/search/?q=bonding">Last results</a>');
    expect(past.body).not.toContain('Previous results');
    const lines = searchLines(await search({ db: handle.db }, { query: 'bonding', offset: 100 }));
    expect(lines[0]).toBe('3 results for “bonding” (none from number 101 on: a smaller --offset shows them)');
  });

  it('serves JSON with the same hits, their addresses and highlights', async () => {
    const res = await app.inject('/search.json?q=bonding');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    const body = res.json() as { total: number; perYear: unknown; hits: { url: string; title: { text: string; match: boolean }[] }[] };
    expect(body.total).toBe(3);
    expect(body.perYear).toEqual([
      { year: 2014, count: 2 },
      { year: 2011, count: 1 },
    ]);
    expect(body.hits.map((h) => h.url)).toEqual(['/netconf/2014/#at-2014-08-19-1600', '/netconf/2014/#at-2014-08-19-1530', '/netconf/2011/#at-2011-06-14-1145']);
    expect(body.hits[2]!.title).toContainEqual({ text: 'bonding', match: true });
    const limited = (await app.inject('/search.json?q=bonding&limit=1&offset=1')).json() as { hits: unknown[]; total: number };
    expect(limited).toMatchObject({ total: 3 });
    expect(limited.hits).toHaveLength(1);

    // Nothing to search for finds nothing; a query too long is refused.
    const none = await app.inject('/search.json?q=!!!');
    expect(none.statusCode).toBe(200);
    expect((none.json() as { notices: string[] }).notices.at(-1)).toMatch(/^Nothing to search for/);
    const bad = await app.inject(`/search.json?q=${'x'.repeat(201)}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'Bad request', field: 'q' });
    expect((bad.json() as { message: string }).message).toMatch(/^The query is too long/);
  });

  it('finds a slot made for a topic by its topic’s title, and names it so, as the agenda does', async () => {
    // The builder's way to schedule an accepted topic: the slot has no title of its own.
    const { db } = handle;
    const series = await db.insertInto('series').values({ slug: 'quokkaconf', name: 'Quokkaconf' }).returning('id').executeTakeFirstOrThrow();
    const e = await db
      .insertInto('editions')
      .values({ series_id: series.id, year: 2103, title: 'Quokkaconf 2103', intro: '[]', sections: '[]', status: 'tentative', start_date: '2103-05-11', end_date: '2103-05-11' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const quinn = await db.insertInto('people').values({ slug: 'quinn-quokkason', name: 'Quinn Quokkason', name_key: 'quinn quokkason' }).returning('id').executeTakeFirstOrThrow();
    const topic = await db
      .insertInto('topics')
      .values({ edition_id: e.id, number: 1, title: 'Marsupial offloads', origin: 'proposal', state: 'accepted', proposer_id: quinn.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('topic_presenters').values({ topic_id: topic.id, person_id: quinn.id, position: 0 }).execute();
    const day = await db.insertInto('agenda_days').values({ edition_id: e.id, date: '2103-05-11', label: 'Monday', position: 0 }).returning('id').executeTakeFirstOrThrow();
    const slot = await db
      .insertInto('slots')
      .values({ day_id: day.id, start_time: '10:00', end_time: '11:00', kind: 'talk', title: '', topic_id: topic.id, position: 0 })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('slot_speakers').values({ slot_id: slot.id, person_id: quinn.id, name_as_listed: 'Quinn Quokkason', position: 0 }).execute();

    const talks = async (query: string) => (await search({ db }, { query })).hits.filter((h) => h.type === 'talk').map((h) => [h.anchor, titleOf(h), matched(h)]);
    expect(await talks('marsupial')).toEqual([['at-2103-05-11-1000', 'Marsupial offloads', ['marsupial']]]);
    expect(await talks('quokkason')).toEqual([['at-2103-05-11-1000', 'Marsupial offloads', []]]);
    const page = await app.inject('/search/?q=quokkason');
    expect(page.body).toContain('<a href="/quokkaconf/2103/#at-2103-05-11-1000">Marsupial offloads</a>');
  });
});

describe('conclave search', () => {
  let dir: string;
  beforeAll(async () => {
    const h = await freshPglite();
    await importPages({ db: h.db }, bundledPages());
    const dump = await h.dump!();
    await h.close();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-search-'));
    const d = await openPglite({ dir, loadDataDir: dump });
    await d.close();
  });
  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the CLI in this process against the data directory; returns its exit code and output. */
  async function conclave(args: string[]): Promise<{ code: number; out: string; err: string }> {
    const r = await runInProcess(['search', ...args], { CONCLAVE_DATA: dir });
    return { code: r.code, out: r.out.join('\n'), err: r.err.join('\n') };
  }

  it('prints ranked hits with counts per year, takes -word as an exclusion, and JSON', async () => {
    const r = await conclave(['bonding']);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('3 results for “bonding”');
    expect(lines[1]).toBe('Per year: 2014: 2, 2011: 1');
    expect(lines.filter((l) => /^\d+\. /.test(l))).toEqual([
      expect.stringMatching(/^1\. \[Talk, 2014-08-19 16:00\] Bonding and its interation/),
      '2. [Talk, 2014-08-19 15:30] Encapsulations, and fixed limits, such as the bonding VLAN limit.',
      '3. [Talk, 2011-06-14 11:45] LNST and "team" (a bonding alternative)',
    ]);
    expect(r.out).toContain('   Jiri Pirko');
    // Each hit with the address of its row, to open in a browser.
    expect(r.out).toMatch(/\n   Jiri Pirko\n   https?:\/\/[^/\s]+\/netconf\/2011\/#at-2011-06-14-1145$/m);

    const x = await conclave(['xdp', '-af_xdp']);
    expect(x.code).toBe(0);
    expect(x.out).toMatch(/^4 results for “xdp -af_xdp”/);
    expect(x.out).not.toMatch(/AF_XDP/);

    const j = await conclave(['bonding', '--year', '2011', '--json']);
    expect(j.code).toBe(0);
    const parsed = JSON.parse(j.out) as { total: number; hits: { edition: { year: number } }[] };
    expect(parsed.total).toBe(1);
    expect(parsed.hits[0]!.edition.year).toBe(2011);
    expect((parsed.hits[0] as unknown as { url: string }).url).toBe('/netconf/2011/#at-2011-06-14-1145');
  });

  it('says which years have results where the year asked for has none, as the web does', async () => {
    const r = await conclave(['bonding', '--year', '2019']);
    expect([r.code, r.out.split('\n')]).toEqual([0, ['Nothing found for “bonding” in 2019.', 'Per year: all years: 3, 2014: 2, 2011: 1']]);
  });

  it('counts all years first where a year is asked for, as the web does', async () => {
    const r = await conclave(['bonding', '--year', '2011']);
    expect([r.code, r.out.split('\n').slice(0, 2)]).toEqual([0, ['1 result for “bonding” in 2011', 'Per year: all years: 3, 2014: 2, 2011: 1']]);
    // Without a year, the summary says how many in all.
    expect((await conclave(['bonding'])).out.split('\n').slice(0, 2)).toEqual(['3 results for “bonding”', 'Per year: 2014: 2, 2011: 1']);
  });

  it('finds bpf and eBPF by each other, as the web does', async () => {
    for (const query of ['bpf', 'eBPF']) {
      const r = await conclave([query]);
      expect([r.code, r.out.split('\n')[0]], query).toEqual([0, `4 results for “${query}”`]);
      expect(r.out, query).toContain('eBPF, where can it be used more, are there security issues?');
      expect(r.out, query).toContain('bpf updates and next steps');
    }
  });

  it('refuses an unknown --option as every command does, and takes any word after --', async () => {
    // Typos and options of other commands are not words to look for.
    for (const args of [['xdp', '--year', '2015', '--series', 'netdev'], ['xdp', '--jsn'], ['--bogus', 'xdp']]) {
      const r = await conclave(args);
      const flag = args.find((a) => a.startsWith('--') && a !== '--year')!;
      expect([r.code, r.err.split('\n')[0], r.out], args.join(' ')).toEqual([2, `conclave: search: unknown option '${flag}'${flag === '--jsn' ? ' (Did you mean --json?)' : ''} (conclave search --help for usage)`, '']);
    }
    // A word after -- is a word of the query, even one that looks like an option; -word before
    // it still leaves a word out, wherever the options are.
    const after = await conclave(['--year', '2019', '--', 'xdp', '-af_xdp', '--json']);
    expect([after.code, after.out.split('\n')[0]]).toEqual([0, 'Nothing found for “xdp -af_xdp --json” in 2019.']);
    const mixed = await conclave(['--year=2019', 'xdp', '-af_xdp', '--limit', '1']);
    expect([mixed.code, mixed.out.split('\n')[0]]).toEqual([0, '4 results for “xdp -af_xdp” in 2019 (1–1 shown)']);
  });

  it('takes a year or a count that is not one as bad usage, as every command does', async () => {
    for (const [args, said] of [
      [['xdp', '--year', 'abc'], '--year: "abc" is not a year such as 2027'],
      [['xdp', '--limit', 'abc'], '--limit: must be a whole number from 1 to 100, not "abc"'],
      [['xdp', '--limit', '101'], '--limit: must be a whole number from 1 to 100, not "101"'],
      [['xdp', '--offset', '-1'], '--offset: must be a whole number from 0 to 100000, not "-1"'],
    ] as const) {
      const r = await conclave([...args]);
      expect([r.code, r.err, r.out], args.join(' ')).toEqual([2, `conclave: ${said}`, '']);
    }
  });

  it('refuses an empty query as bad usage, before opening the database, as it refuses a bad year', async () => {
    const none = path.join(dir, 'none');
    try {
      for (const args of [[''], ['', '  '], ['\u0001'], ['--year', '2019', '--', '']]) {
        const r = await runInProcess(['search', ...args], { CONCLAVE_DATA: none });
        expect([r.code, r.err.join('\n'), r.out], JSON.stringify(args)).toEqual([2, 'conclave: query: type a word or two to search for', []]);
      }
      expect(fs.existsSync(none)).toBe(false);
    } finally {
      fs.rmSync(none, { recursive: true, force: true });
    }
  });

  it('finds nothing, and says why, for a query with nothing to search for; refuses one too long as bad usage', async () => {
    const r = await conclave(['the', 'and', 'of']);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out.split('\n')).toEqual([
      expect.stringMatching(/^note: Nothing to search for in “the and of”: it has only very common words/),
    ]);
    const percent = await conclave(['%']);
    expect([percent.code, percent.out.split('\n')]).toEqual([0, [expect.stringMatching(/^note: Nothing to search for in “%”/)]]);
    const part = await conclave(['offlo']);
    expect([part.code, part.out]).toEqual([0, 'Nothing found for “offlo”.\nWhole words are matched, in any of their forms (bond, bonding), not parts of words.']);
    const long = await conclave(['x'.repeat(5600)]);
    expect([long.code, long.err, long.out]).toEqual([2, 'conclave: query: is too long: at most 200 characters, please', '']);
  });
});

describe('searchLines', () => {
  it('leaves out the control characters of stored text, which a terminal would act on', () => {
    const hit: SearchHit = {
      type: 'talk',
      what: 'Talk',
      edition: { series: 'netconf', seriesName: 'Netconf', year: 2102, title: 'Netconf 2102' },
      anchor: 'at-2102-07-14-1000',
      personSlug: null,
      date: '2102-07-14',
      time: '10:00',
      title: [
        { text: 'Evil \x1b]0;pwned\x07 title \x1b[31m', match: false },
        { text: 'RED', match: true },
        { text: '\x1b[0m here\rover\b\b\x7f\x9b', match: false },
      ],
      subtitle: [{ text: 'talk\ttitle\x1b[2J', match: false }],
      snippet: null,
      people: [{ slug: 'eve-escape', name: 'Eve\x1b[8m Escape', highlighted: [{ text: 'Eve\x1b[8m Escape', match: false }] }],
      rank: 1,
    };
    const result = { query: 'red', year: null, total: 1, perYear: [{ year: 2102, count: 1 }], people: 0, limit: 20, offset: 0, hits: [hit], notices: [], hint: null, unsearchable: false };
    expect(searchLines(result, { bold: true })).toEqual([
      '1 result for “red”',
      'Per year: 2102: 1',
      '',
      '1. [Talk, 2102-07-14 10:00] Evil ]0;pwned title [31m\x1b[1mRED\x1b[22m[0m hereover',
      '   talk\ttitle[2J',
      '   Eve[8m Escape',
    ]);
  });
});

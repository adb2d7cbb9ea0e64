/**
 * A person's page charts their part in each edition (attended, spoke, committee) as an SVG image,
 * with the same in words for text browsers, which do not read the chart out; a planned edition's talks and early-accepted
 * proposals appear in neither, nor on the page.
 */
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/connect.js';
import { bundledPages } from '../src/domain/archive/bundled.js';
import { importPages } from '../src/domain/archive/import-pages.js';
import { buildApp } from '../src/web/app.js';
import { testDatabases } from './support/db.js';
import { hasLynx, lynxDump } from './support/lynx.js';

/** The chart: an SVG image by a data: address, not inline (a text browser would read it out). */
function svgOf(html: string): string {
  expect(html).not.toContain('<svg');
  const m = /<img class="timeline-chart" src="data:image\/svg\+xml,([^"]*)" alt="[^"]+" width="\d+" height="\d+"/.exec(html);
  expect(m, 'the chart as an image').not.toBeNull();
  return decodeURIComponent(m![1]!.replace(/&#39;/g, "'").replace(/&amp;/g, '&'));
}

const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

/** The text equivalent's lines. */
function listed(html: string): string[] {
  const ul = /<ul class="timeline-text">([\s\S]*?)<\/ul>/.exec(html);
  expect(ul, 'the chart in words').not.toBeNull();
  return [...ul![1]!.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => m[1]!);
}

describe.each(testDatabases())('person chart on $name', ({ open }) => {
  let handle: Db;
  let app: FastifyInstance;
  beforeAll(async () => {
    handle = await open();
    const { db } = handle;
    await importPages({ db }, bundledPages());
    // A planned edition where Jiri Pirko already has a slot and an accepted proposal, and where
    // somebody else has nothing but a slot: none of it is public yet.
    const netconf = await db.selectFrom('series').select('id').where('slug', '=', 'netconf').executeTakeFirstOrThrow();
    const planned = await db
      .insertInto('editions')
      .values({ series_id: netconf.id, year: 2031, title: 'Netconf 2031', intro: '[]', sections: '[]', status: 'planned' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const day = await db.insertInto('agenda_days').values({ edition_id: planned.id, date: '2031-05-12', label: 'Monday', position: 0 }).returning('id').executeTakeFirstOrThrow();
    const jiri = await db.selectFrom('people').select('id').where('slug', '=', 'jiri-pirko').executeTakeFirstOrThrow();
    const zed = await db.insertInto('people').values({ slug: 'zed-zebracorn', name: 'Zed Zebracorn', name_key: 'zed zebracorn' }).returning('id').executeTakeFirstOrThrow();
    for (const [i, who] of [jiri.id, zed.id].entries()) {
      const slot = await db
        .insertInto('slots')
        .values({ day_id: day.id, start_time: `1${i}:00`, kind: 'talk', title: `Secret planned talk ${i}`, position: i })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.insertInto('slot_speakers').values({ slot_id: slot.id, person_id: who, name_as_listed: 'x', position: 0 }).execute();
    }
    const topic = await db
      .insertInto('topics')
      .values({ edition_id: planned.id, number: 1, title: 'Secret early proposal', origin: 'proposal', state: 'accepted', proposer_id: jiri.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('topic_presenters').values({ topic_id: topic.id, person_id: jiri.id, position: 0 }).execute();
    // Another series: one edition over (by the clock below), one to come, both attended by Ann.
    const bpf = await db.insertInto('series').values({ slug: 'bpfconf', name: 'BPF Conference' }).returning('id').executeTakeFirstOrThrow();
    const ann = await db.insertInto('people').values({ slug: 'ann-upcoming', name: 'Ann Upcoming', name_key: 'ann upcoming' }).returning('id').executeTakeFirstOrThrow();
    for (const [year, start, end] of [[2026, '2026-05-04', '2026-05-06'], [2027, '2027-05-03', '2027-05-05']] as const) {
      const e = await db
        .insertInto('editions')
        .values({ series_id: bpf.id, year, title: `BPF Conference ${year}`, intro: '[]', sections: '[]', status: 'tentative', start_date: start, end_date: end })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.insertInto('attendances').values({ edition_id: e.id, person_id: ann.id, name_as_listed: 'Ann Upcoming', position: 0 }).execute();
      if (year !== 2027) continue;
      // To come: a topic Ann presents, on the schedule as her talk.
      const t = await db.insertInto('topics').values({ edition_id: e.id, number: 1, title: 'Verifier limits', origin: 'proposal', state: 'accepted', proposer_id: ann.id }).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('topic_presenters').values({ topic_id: t.id, person_id: ann.id, position: 0 }).execute();
      const d = await db.insertInto('agenda_days').values({ edition_id: e.id, date: start, label: 'Monday', position: 0 }).returning('id').executeTakeFirstOrThrow();
      const s = await db.insertInto('slots').values({ day_id: d.id, start_time: '10:00', kind: 'talk', title: '', topic_id: t.id, position: 0 }).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('slot_speakers').values({ slot_id: s.id, person_id: ann.id, name_as_listed: 'Ann Upcoming', position: 0 }).execute();
    }
    app = await buildApp({ db, clock: () => new Date('2026-11-22T12:00:00Z') });
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  it('draws a dot for each edition attended, spoken at and served on the committee', async () => {
    const res = await app.inject('/people/david-s-miller/');
    expect(res.statusCode).toBe(200);
    const svg = svgOf(res.body);
    expect(svg).toMatch(/^<svg[^>]* role="img"/);
    expect(svg).toMatch(/^<svg[^>]* aria-label="David S\. Miller at Netconf, 2004 to 2019: [^"]+"/);
    expect(svg).toMatch(/<title>David S\. Miller at Netconf, 2004–2019<\/title>/);
    expect(svg).toMatch(/<desc id="chart-netconf-desc">[^<]+<\/desc>/);
    // CSP forbids inline styles: presentation attributes only.
    expect(svg).not.toMatch(/style=/);
    // 2004 attended+spoke, 2011 all three, 2014 attended+committee, 2015 spoke+committee, 2019 all three.
    expect(count(svg, /<circle [^>]*class="mark /g)).toBe(12);
    expect(count(svg, /class="mark mark-attended"/g)).toBe(4);
    expect(count(svg, /class="mark mark-spoke"/g)).toBe(4);
    expect(count(svg, /class="mark mark-committee"/g)).toBe(4);
    expect([...svg.matchAll(/class="year">(\d{4}) </g)].map((m) => Number(m[1]))).toEqual([2004, 2011, 2014, 2015, 2019]);
    expect(svg).toContain('<title>2015: committee</title>');
    expect(listed(res.body)).toEqual([
      '2004: attended, spoke (1 talk)',
      '2011: attended, spoke (3 talks), committee (netdev maintainer)',
      '2014: attended, committee (netdev maintainer)',
      '2015: spoke (2 talks), committee (netdev maintainer)',
      '2019: attended, spoke (2 topics), committee (netdev maintainer)',
    ]);
  });

  it('charts every edition of the series, but says in words only those they had a part in, and nothing planned', async () => {
    const res = await app.inject('/people/jiri-pirko/');
    expect(res.statusCode).toBe(200);
    const svg = svgOf(res.body);
    expect(count(svg, /<circle [^>]*class="mark /g)).toBe(3);
    // The chart's gaps show where they had no part.
    expect([...svg.matchAll(/class="year">(\d{4}) </g)].map((m) => Number(m[1]))).toEqual([2004, 2011, 2014, 2015, 2019]);
    // In words, a line per edition they had a part in: not one of "no part on record" for each other.
    expect(listed(res.body)).toEqual(['2011: attended, spoke (1 talk)', '2015: spoke (1 talk)']);
    expect(res.body).not.toContain('no part on record');
    expect(res.body).not.toMatch(/2031|Secret planned talk|Secret early proposal/);
    const json = (await app.inject('/people/jiri-pirko/person.json')).json() as { years: { year: number }[] };
    expect(json.years.map((y) => y.year)).toEqual([2015, 2011]);
    // Somebody whose only part is in a planned edition has no public page yet.
    expect((await app.inject('/people/zed-zebracorn/')).statusCode).toBe(404);
  });

  it('says an edition still to come is attended by an accepted invitation, not that it was', async () => {
    const res = await app.inject('/people/ann-upcoming/');
    // Her topic on the schedule is one talk, not a talk and a topic; and it is still to be given.
    expect(listed(res.body)).toEqual(['2026: attended', '2027: attending, speaking (1 talk)']);
    expect(res.body.match(/Verifier limits/g)).toHaveLength(1);
    expect(res.body).toContain('<p>Took part in 1 edition: 2026. Taking part in 2027.</p>');
    expect(res.body).toContain('<li>Attending (accepted the invitation)</li>');
    expect(res.body.match(/<li>Attended<\/li>/g)).toHaveLength(1);
  });

  it('names a series of one edition by its one year, not as a span from it to itself', async () => {
    const { db } = handle;
    const once = await db.insertInto('series').values({ slug: 'onceconf', name: 'Once Conference' }).returning('id').executeTakeFirstOrThrow();
    const e = await db
      .insertInto('editions')
      .values({ series_id: once.id, year: 2025, title: 'Once Conference 2025', intro: '[]', sections: '[]', status: 'tentative', start_date: '2025-04-01', end_date: '2025-04-02' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const solo = await db.insertInto('people').values({ slug: 'solo-single', name: 'Solo Single', name_key: 'solo single' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('attendances').values({ edition_id: e.id, person_id: solo.id, name_as_listed: 'Solo Single', position: 0 }).execute();
    const res = await app.inject('/people/solo-single/');
    expect(res.statusCode).toBe(200);
    const svg = svgOf(res.body);
    expect(svg).toMatch(/^<svg[^>]* aria-label="Solo Single at Once Conference, 2025: [^"]+"/);
    expect(svg).toContain('<title>Solo Single at Once Conference, 2025</title>');
    expect(res.body).toContain('<p>Once Conference, 2025, in words:</p>');
    expect(res.body).toContain('part in each edition of Once Conference, 2025; the same follows in words.');
    expect(res.body).not.toContain('2025–2025');
  });

  it('draws a chart that loads, as well-formed XML, for a name or series with < or & in it', async () => {
    const { db } = handle;
    const lab = await db.insertInto('series').values({ slug: 'rnd-lab', name: 'R&D <Lab>' }).returning('id').executeTakeFirstOrThrow();
    const e = await db
      .insertInto('editions')
      .values({ series_id: lab.id, year: 2024, title: 'R&D <Lab> 2024', intro: '[]', sections: '[]', status: 'tentative', start_date: '2024-04-01', end_date: '2024-04-02' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const name = 'Carol <carol2@example.org> & Co';
    const carol = await db.insertInto('people').values({ slug: 'carol-co', name, name_key: 'carol co' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('attendances').values({ edition_id: e.id, person_id: carol.id, name_as_listed: name, position: 0 }).execute();
    const res = await app.inject('/people/carol-co/');
    expect(res.statusCode).toBe(200);
    const svg = svgOf(res.body);
    // librsvg parses the image as strictly as a browser does: a raw < or & is a broken image.
    const image = await sharp(Buffer.from(svg)).metadata();
    expect([image.format, image.width]).toEqual(['svg', Number(/ width="(\d+)"/.exec(svg)![1])]);
    expect(svg).toMatch(/^<svg[^>]* aria-label="Carol &lt;carol2@example\.org&gt; &amp; Co at R&amp;D &lt;Lab&gt;, 2024: [^"<&]+"/);
    expect(svg).toContain('<title>Carol &lt;carol2@example.org> &amp; Co at R&amp;D &lt;Lab>, 2024</title>');
  });

  it.runIf(hasLynx)('reads in lynx: the chart in words, one year a line', async () => {
    const res = await app.inject('/people/david-s-miller/');
    const text = lynxDump(res.body, { width: 120, list: false });
    const lines = text.split('\n').map((l) => l.trim());
    expect(lines).toContain('* 2011: attended, spoke (3 talks), committee (netdev maintainer)');
    expect(lines).toContain('* 2015: spoke (2 talks), committee (netdev maintainer)');
    // The chart's own labels and years are not read out as a line of loose words.
    expect(text).not.toMatch(/Attended\s+Spoke\s+Committee/);
    expect(text).not.toMatch(/2004\s+2011\s+2014\s+2015\s+2019/);
  });
});

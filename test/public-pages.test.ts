/**
 * Public pages through app.inject(): archive, edition, person, JSON; escaping of imported text;
 * clear 404s.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directPages } from '../src/export/direct.js';
import type { Db } from '../src/db/connect.js';
import { bundledPages } from '../src/domain/archive/bundled.js';
import { importPages } from '../src/domain/archive/import-pages.js';
import { buildApp } from '../src/web/app.js';
import { testDatabases } from './support/db.js';
import { hasLynx, lynxDump } from './support/lynx.js';

/** Text content of an HTML fragment, roughly as a text browser shows it. */
function text(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;|&#34;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/\s+/g, ' ')
    .replace(/ ,/g, ',');
}

describe.each(testDatabases())('public pages on $name', ({ open }) => {
  let handle: Db;
  let app: FastifyInstance;
  beforeAll(async () => {
    handle = await open();
    await importPages({ db: handle.db }, bundledPages());
    app = await buildApp({ db: handle.db, clock: () => new Date('2026-11-22T12:00:00Z') });
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  it('lists every edition newest first, linking each', async () => {
    const res = await app.inject('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const years = [...res.body.matchAll(/href="\/netconf\/(\d{4})\/"/g)].map((m) => Number(m[1]));
    expect(years).toEqual([2019, 2015, 2014, 2011, 2004]);
    expect(res.body).toMatch(/<main id="main">/);
    // Scripts and styles from the site only; and no forced https, so that a plain-http address
    // (a LAN, HOST=0.0.0.0) still loads its style sheet and posts its forms.
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
  });

  it('counts in the list what each edition page says: its place in the archive, who took part', async () => {
    const home = await app.inject('/');
    const lines = [...home.body.matchAll(/<p class="muted">([^<]*edition in the archive[^<]*)<\/p>/g)].map((m) => m[1]);
    expect(lines).toEqual([
      '5th edition in the archive (of 5) · 21 topics · 18 invitees',
      '4th edition in the archive (of 5) · 24 sessions · 22 speakers, 1 more on the committee',
      '3rd edition in the archive (of 5) · 10 sessions · 16 attendees, 1 more on the committee',
      '2nd edition in the archive (of 5) · 17 sessions · 14 attendees',
      '1st edition in the archive (of 5) · 9 sessions · 8 topics · 8 attendees',
    ]);
    // The edition page lists the same people: 2014's 16 attendees and its committee of three.
    const e2014 = (await app.inject('/netconf/2014/')).body;
    expect(text(e2014)).toContain('The 3rd edition of Netconf in the archive (of 5).');
    const attendees = /<section aria-labelledby="attendees">([\s\S]*?)<\/section>/.exec(e2014)?.[1] ?? '';
    expect(attendees.match(/<li/g)).toHaveLength(16);
  });

  it('has an icon, linked from every page and where browsers look for one', async () => {
    const home = await app.inject('/');
    expect(home.body).toContain('<link rel="icon" type="image/svg+xml" href="/static/favicon.svg" />');
    const icon = await app.inject('/static/favicon.svg');
    expect([icon.statusCode, icon.headers['content-type']]).toEqual([200, 'image/svg+xml']);
    const ico = await app.inject('/favicon.ico');
    expect([ico.statusCode, ico.headers.location]).toEqual([301, '/static/favicon.svg']);
  });

  it('shows an edition with its facts in the page order, the agenda as tables', async () => {
    const res = await app.inject('/netconf/2014/');
    expect(res.statusCode).toBe(200);
    const t = text(res.body);
    expect(t).toContain("Linux Kernel Developers' Netconf 2014");
    expect(t).toContain('Kernel Summit Networking Workshop');
    expect(t).toContain('The 3rd edition of Netconf in the archive (of 5).');
    expect(t).not.toMatch(/running for the seventh year/);
    expect(t).toContain('Tentative');
    expect(t).toContain('Chicago, IL');
    expect(t).toContain('August 19, 2014');
    expect(t).toContain("LKS NetConf '14 Group Photo (the photo itself is not in the archive)");
    expect(t).toContain('Linux Kernel Summit');
    expect(res.body.match(/<table/g)).toHaveLength(1);
    expect(res.body).toContain('<th scope="col" class="time">');
    expect(t).toContain('Encapsulation & Offload Support');
    const order = ['id="sponsors"', 'id="committee"', 'id="attendees"', 'id="agenda"'].map((s) => res.body.indexOf(s));
    expect(order.every((pos) => pos > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('names an imported group photo once, by its caption, with a link to the image', async () => {
    const photo = await handle.db.selectFrom('materials').select(['id', 'url']).where('kind', '=', 'group-photo').where('label', '=', "LKS NetConf '14 Group Photo").executeTakeFirstOrThrow();
    await handle.db.updateTable('materials').set({ url: 'https://example.org/lks14.jpg' }).where('id', '=', photo.id).execute();
    try {
      const res = await app.inject('/netconf/2014/');
      const t = text(res.body);
      // A text browser shows the caption and the link, not the caption again for the image.
      expect(t.split("LKS NetConf '14 Group Photo")).toHaveLength(2);
      expect(t).toContain("LKS NetConf '14 Group Photo Full size");
      expect(res.body).toContain(
        '<a href="https://example.org/lks14.jpg" tabindex="-1" aria-hidden="true"><img src="https://example.org/lks14.jpg" alt="" /></a><figcaption><p><span>LKS NetConf &#39;14 Group Photo</span> <a href="https://example.org/lks14.jpg">Full size</a>',
      );
    } finally {
      await handle.db.updateTable('materials').set({ url: photo.url }).where('id', '=', photo.id).execute();
    }
  });

  it('says "Tentative" where the page did, not on past editions in the list', async () => {
    const home = await app.inject('/');
    expect(home.body).not.toContain('badge tentative');
    const page2004 = (await app.inject('/netconf/2004/')).body;
    const e2004 = text(page2004);
    // 2004's "(Tentative) Topics" is about the topic list, not the agenda. Without a style sheet
    // the badge reads in parentheses, not run on as "Topics Tentative".
    expect(page2004).toContain('>Topics <strong class="badge tentative"><span class="text-only">(</span>Tentative<span class="text-only">)</span></strong></h2>');
    if (hasLynx) expect(lynxDump(page2004, { width: 200, list: false })).toMatch(/^ *Topics \(Tentative\)$/m);
    expect(page2004).not.toMatch(/<h2 id="agenda">[^<]*<strong class="badge tentative">/);
    expect(e2004.match(/TCPfying the Poor Cousins/g)).toHaveLength(1);
    expect(e2004).toContain('TCP_OSDL - From DaveM');
  });

  it('shows what a material is about only where it tells several apart', async () => {
    const e2011 = await app.inject('/netconf/2011/');
    expect(text(e2011.body)).toContain('slides (LNST), slides ("team")');
    const e2015 = text((await app.inject('/netconf/2015/')).body);
    expect(e2015).toContain('bpf updates and next steps — PDF, PDF');
  });

  it('says in words, once per slot, that a listed material\'s file is not in the archive', async () => {
    // The page itself: its title's dash before the site's name is no slot's.
    const e2011 = text((await app.inject('/netconf/2011/')).body.replace(/^[\s\S]*<main/, '<main'));
    expect(e2011).toContain('Bridging/STP — slides (not in the archive)');
    expect(e2011).toContain('slides (LNST), slides ("team") (not in the archive)');
    expect(e2011.match(/\(not in the archive\)/g)?.length).toBe(e2011.match(/ — /g)?.length);
    const e2015 = text((await app.inject('/netconf/2015/')).body);
    expect(e2015).toContain('bpf updates and next steps — PDF, PDF (not in the archive)');
    const e2004 = text((await app.inject('/netconf/2004/')).body);
    expect(e2004).toContain('TCP_OSDL - From DaveM (not in the archive)');
    expect(e2004).toContain('Net 2.7 - From DaveM (not in the archive)');
  });

  it('marks only the missing one where a slot has some files and not others', async () => {
    const m = await handle.db
      .selectFrom('materials')
      .innerJoin('slots', 'slots.id', 'materials.slot_id')
      .select(['materials.id', 'materials.url'])
      .where('slots.title', 'like', '%bpf updates%')
      .orderBy('materials.id', 'desc')
      .executeTakeFirstOrThrow();
    await handle.db.updateTable('materials').set({ url: 'https://example.org/bpf.pdf' }).where('id', '=', m.id).execute();
    try {
      const e2015 = text((await app.inject('/netconf/2015/')).body);
      expect(e2015).toMatch(/bpf updates and next steps — PDF \(not in the archive\), PDF (?!\()/);
    } finally {
      await handle.db.updateTable('materials').set({ url: m.url }).where('id', '=', m.id).execute();
    }
  });

  it('captions each agenda day by its date, after the name the committee gave it', async () => {
    // An imported page's label only says the date ("July 14th:"): the caption is the date.
    expect((await app.inject('/netconf/2004/')).body).toContain('<caption><time datetime="2004-07-14">Wednesday, July 14, 2004</time></caption>');
    const day = await handle.db.selectFrom('agenda_days').select(['id', 'label']).where('date', '=', '2011-06-14').executeTakeFirstOrThrow();
    await handle.db.updateTable('agenda_days').set({ label: 'Hacking day' }).where('id', '=', day.id).execute();
    try {
      expect((await app.inject('/netconf/2011/')).body).toContain('<caption><time datetime="2011-06-14">Hacking day — Tuesday, June 14, 2011</time></caption>');
    } finally {
      await handle.db.updateTable('agenda_days').set({ label: day.label }).where('id', '=', day.id).execute();
    }
  });

  it('links each talk on a person page to its own row of the agenda', async () => {
    const res = await app.inject('/people/pj-waskiewicz/');
    // The second slot at 11:00 that day (after the break), as the edition page and search name it.
    expect(res.body).toContain('<a href="/netconf/2011/#at-2011-06-15-1100-2">iWarp portspace, standard netdev module parms, advanced stats</a>');
    expect((await app.inject('/netconf/2011/')).body).toContain('<tr class="talk" id="at-2011-06-15-1100-2">');
    const json = (await app.inject('/people/pj-waskiewicz/person.json')).json() as { years: { talks: { anchor: string }[] }[] };
    expect(json.years[0]!.talks.map((t) => t.anchor)).toEqual(['at-2011-06-15-1100-2']);
  });

  it('names a person by their best-spelled name, in the link too', async () => {
    const res = await app.inject('/people/yoshifuji-hideaki/');
    expect(res.statusCode).toBe(200);
    expect(text(res.body)).toContain('Also listed as Yoshfuji Hideaki');
  });

  it('leads the address of another name a person was listed under to their page', async () => {
    const page = await app.inject('/people/yoshfuji-hideaki/');
    expect([page.statusCode, page.headers.location]).toEqual([301, '/people/yoshifuji-hideaki/']);
    const json = await app.inject('/people/yoshfuji-hideaki/person.json');
    expect([json.statusCode, json.headers.location]).toEqual([301, '/people/yoshifuji-hideaki/person.json']);
    // A name nobody was listed under stays a 404 at the address typed.
    const none = await app.inject('/people/yoshfuji-nobody/');
    expect(none.statusCode).toBe(404);
  });

  it('leads a person\'s address typed in other letter case to their page', async () => {
    const page = await app.inject('/people/David-S-Miller/');
    expect([page.statusCode, page.headers.location]).toEqual([301, '/people/david-s-miller/']);
    const json = await app.inject('/people/DAVID-S-MILLER/person.json');
    expect([json.statusCode, json.headers.location]).toEqual([301, '/people/david-s-miller/person.json']);
    // Without the slash, to the page itself, and another name in capitals too.
    const bare = await app.inject('/people/David-S-Miller');
    expect([bare.statusCode, bare.headers.location]).toEqual([301, '/people/David-S-Miller/']);
    const other = await app.inject('/people/Yoshfuji-Hideaki/');
    expect([other.statusCode, other.headers.location]).toEqual([301, '/people/yoshifuji-hideaki/']);
    // Nobody in any case is still not found.
    expect((await app.inject('/people/Nobody-At-All/')).statusCode).toBe(404);
  });

  it('redirects an edition without its trailing slash, and 404s an unknown one clearly', async () => {
    const r = await app.inject('/netconf/2014');
    expect(r.statusCode).toBe(301);
    expect(r.headers.location).toBe('/netconf/2014/');
    const nf = await app.inject('/netconf/1999/');
    expect(nf.statusCode).toBe(404);
    expect(text(nf.body)).toContain('no edition 1999 of netconf');
    expect(nf.body).not.toMatch(/at .*\.ts:\d+/);
    // A year is written with four digits: another spelling of it names no page.
    for (const odd of ['/netconf/02015/', '/netconf/2015.0/', '/netconf/+2015/', '/netconf/2015e0/edition.json']) {
      expect((await app.inject(odd)).statusCode, odd).toBe(404);
    }
  });

  it('lists a series\' editions at the series\' own address, the year cut off an edition\'s', async () => {
    const r = await app.inject('/netconf');
    expect([r.statusCode, r.headers.location]).toEqual([301, '/netconf/']);
    const page = await app.inject('/netconf/');
    expect(page.statusCode).toBe(200);
    const years = [...page.body.matchAll(/href="\/netconf\/(\d{4})\/"/g)].map((m) => Number(m[1]));
    expect(years).toEqual([2019, 2015, 2014, 2011, 2004]);
    expect(text(page.body)).toContain('Netconf: all editions');
    // editions.json holds every series: not this page's JSON.
    expect(page.body).not.toContain('/editions.json');
    expect((await app.inject('/')).body).toContain('<link rel="alternate" type="application/json" href="/editions.json"');
    for (const none of ['/nothing/', '/robots.txt', '/NETCONF/']) {
      expect((await app.inject(none)).statusCode, none).toBe(404);
    }
    expect(text((await app.inject('/nothing/')).body)).toContain('There is no page at /nothing/.');
    // Without its slash, a name that is no series' is a 404 at the address typed, not a
    // permanent redirect to another 404.
    const typo = await app.inject('/nothing');
    expect([typo.statusCode, typo.headers.location]).toEqual([404, undefined]);
    expect(text(typo.body)).toContain('There is no page at /nothing.');
  });

  it('answers a method an address does not take with 405 and the methods it does', async () => {
    // A page's address sent a form (a form that posts elsewhere, a tool): it exists, for GET.
    const posted = await app.inject({ method: 'POST', url: '/invitation/no-such-token', payload: 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect([posted.statusCode, posted.headers.allow]).toEqual([405, 'GET, HEAD']);
    expect(posted.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(text(posted.body)).toContain('Method Not Allowed');
    expect(text(posted.body)).toContain('The address /invitation/no-such-token takes no form submission.');
    expect(text(posted.body)).not.toContain('There is no page');
    // An address only a form is sent to, opened as a page.
    const opened = await app.inject('/invitation/no-such-token/answer');
    expect([opened.statusCode, opened.headers.allow]).toEqual([405, 'POST']);
    expect(text(opened.body)).toContain('The address /invitation/no-such-token/answer only takes a form submission: there is no page to open at it.');
    // JSON for a JSON address, as every other error.
    const json = await app.inject({ method: 'DELETE', url: '/netconf/2019/edition.json' });
    expect([json.statusCode, json.headers.allow]).toEqual([405, 'GET, HEAD']);
    expect(json.json()).toEqual({ error: 'Method Not Allowed', message: 'The address /netconf/2019/edition.json takes no form submission.' });
    // An address that exists under no method is still not found.
    for (const method of ['GET', 'POST'] as const) {
      const none = await app.inject({ method, url: '/nothing/here/at/all' });
      expect([none.statusCode, none.headers.allow], method).toEqual([404, undefined]);
      expect(text(none.body), method).toContain('There is no page at /nothing/here/at/all.');
    }
  });

  it('answers an address whose %-escapes do not decode with the site\'s 400 page, JSON only where JSON was asked for', async () => {
    const bad = await app.inject('/netconf/2015/%E0%A4%A/');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(bad.headers['x-request-id']).toBeTruthy();
    expect(text(bad.body)).toContain('Bad request');
    expect(text(bad.body)).toContain('The address /netconf/2015/%E0%A4%A/ cannot be read');
    expect(bad.body).not.toContain('FST_ERR_BAD_URL');
    // The policy every page has, though helmet's hooks do not run for such an address.
    const page = await app.inject('/netconf/2015/');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(bad.headers['content-security-policy']).toBe(page.headers['content-security-policy']);
    for (const h of ['x-content-type-options', 'x-frame-options', 'referrer-policy']) expect(bad.headers[h], h).toBe(page.headers[h]);
    const json = await app.inject('/netconf/2015/%E0%A4%A/edition.json');
    expect(json.statusCode).toBe(400);
    expect(json.json()).toEqual({ error: 'Bad request', message: expect.stringContaining('The address /netconf/2015/%E0%A4%A/edition.json cannot be read') });
    const asked = await app.inject({ url: '/people/%FF/', headers: { accept: 'application/json' } });
    expect([asked.statusCode, asked.json().error]).toEqual([400, 'Bad request']);
  });

  it('redirects the static export\'s index.html addresses to the pages they are copies of', async () => {
    // The export is nginx's fallback while conclave restarts: its links end in index.html.
    const pairs: [string, string][] = [
      ['/index.html', '/'],
      ['/netconf/2015/index.html', '/netconf/2015/'],
      ['/netconf/index.html', '/netconf/'],
      ['/people/index.html', '/people/'],
      ['/people/david-s-miller/index.html', '/people/david-s-miller/'],
      ['/netconf/2015/changes/index.html?since=2', '/netconf/2015/changes/?since=2'],
    ];
    for (const [from, to] of pairs) {
      const r = await app.inject(from);
      expect([r.statusCode, r.headers.location], from).toEqual([301, to]);
      expect((await app.inject(to)).statusCode, to).toBe(200);
    }
  });

  it('answers a JSON address that names nothing in JSON, whatever part of it is wrong', async () => {
    for (const url of ['/netconf/1999/edition.json', '/netconf/19x9/edition.json', '/netconf/2019.json?x=1', '/nothing/here.json']) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toBe('application/json; charset=utf-8');
      expect(res.json(), url).toEqual({ error: 'Not found', message: expect.stringMatching(/no edition 1999 of netconf|There is no page at \//) });
    }
    const page = await app.inject('/nothing/here/');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(text(page.body)).toContain('There is no page at /nothing/here/.');
  });

  it('serves the edition as JSON with the documented shape', async () => {
    const res = await app.inject('/netconf/2019/edition.json');
    expect(res.statusCode).toBe(200);
    const e = res.json();
    expect(e.year).toBe(2019);
    expect(e.motto).toContain('The first rule of Netconf is');
    expect(e.inviteeTopics.find((r: { nameAsListed: string }) => r.nameAsListed === 'Eric Dumazet').topics).toEqual([]);
    expect(e.inviteeTopics[0].topics).toEqual([
      { number: 1, title: 'Intro' },
      { number: 2, title: 'Delegation, device driver review team, GitHub' },
    ]);
    const e2011 = (await app.inject('/netconf/2011/edition.json')).json();
    expect(e2011.agenda[1].slots.slice(1, 3).map((x: { anchor: string; title: string }) => [x.anchor, x.title])).toEqual([
      ['at-2011-06-15-1000', 'Queue/IRQ affinity, massive multiq'],
      ['at-2011-06-15-1100', 'Morning Break'],
    ]);
    expect(e2011.agenda[1].slots[3].anchor).toBe('at-2011-06-15-1100-2');
    expect(e.committee.map((c: { name: string; role: string | null }) => [c.name, c.role])).toEqual([
      ['David S. Miller', 'netdev maintainer'],
      ['Daniel Borkmann', null],
    ]);
  });

  it('shows a person across the years with links back to each edition', async () => {
    const res = await app.inject('/people/jamal-hadi-salim/');
    expect(res.statusCode).toBe(200);
    for (const y of [2011, 2014, 2015]) expect(res.body).toContain(`href="/netconf/${y}/"`);
    expect(text(res.body)).toContain('Catching up with Herbert');
  });

  it('gives an address known only from an imported page with the year it was listed', async () => {
    expect(text((await app.inject('/people/stephen-hemminger/')).body)).toContain('shemminger@osdl.org (listed 2004)');
    const davem = await handle.db.selectFrom('people').select('id').where('slug', '=', 'david-s-miller').executeTakeFirstOrThrow();
    expect(text((await app.inject('/people/david-s-miller/')).body)).toContain('davem@redhat.com (listed 2004)');
    // An address entered in conclave is shown as it is: one shown by its owner, and an old one
    // the committee invited them at.
    const e2019 = await handle.db.selectFrom('editions').select('id').where('year', '=', 2019).executeTakeFirstOrThrow();
    const shown = await handle.db.insertInto('person_emails').values({ person_id: davem.id, email: 'davem@davemloft.example', is_public: true }).returning('id').executeTakeFirstOrThrow();
    const inv = await handle.db
      .insertInto('invitations')
      .values({ edition_id: e2019.id, person_id: davem.id, email: 'DaveM@redhat.com', state: 'declined' })
      .returning('id')
      .executeTakeFirstOrThrow();
    try {
      const page = text((await app.inject('/people/david-s-miller/')).body);
      expect(page).toMatch(/davem@redhat\.com, davem@davemloft\.example (?!\()/);
      expect(page).not.toContain('(listed');
    } finally {
      await handle.db.deleteFrom('invitations').where('id', '=', inv.id).execute();
      await handle.db.deleteFrom('person_emails').where('id', '=', shown.id).execute();
    }
  });

  it('lists people by name as a reader looks one up, case and accents aside, on the page and in the static copy', async () => {
    const names = (html: string) => [...html.matchAll(/<a href="\/people\/[^"]+\/">([^<]+)<\/a>/g)].map((m) => m[1]!);
    const web = names((await app.inject('/people/')).body);
    expect(web.indexOf('Pablo Neira Ayuso')).toBeGreaterThan(-1);
    expect(web.indexOf('Pablo Neira Ayuso')).toBeLessThan(web.indexOf('PJ Waskiewicz'));
    expect(web).toEqual([...web].sort(new Intl.Collator('en').compare));
    const copy = await directPages(handle.db, { baseUrl: 'http://localhost/', clock: () => new Date('2026-11-22T12:00:00Z') });
    expect(copy.listed.map((p) => p.name)).toEqual(web);
  });

  it('links a person\'s topics to them on the edition page, as their talks are linked', async () => {
    const page = (await app.inject('/people/daniel-borkmann/')).body;
    const link = /Topic: <a href="\/netconf\/2019\/#(topic-\d+)">BPF mesh device as a programmable ipvlan replacement, XFRM integration into tc\/BPF<\/a>/.exec(page);
    expect(link).not.toBeNull();
    const edition = (await app.inject('/netconf/2019/')).body;
    expect(new RegExp(`id="${link![1]}"[^>]*>[\\s\\S]{0,400}BPF mesh device`).test(edition)).toBe(true);
  });

  it('gives the header\'s search box words a browser shows in it, beside its label for text browsers', async () => {
    const page = (await app.inject('/people/')).body;
    expect(page).toMatch(/<label for="site-q">Search<\/label> <input type="search" id="site-q" name="q"[^>]* placeholder="Search the archive"/);
  });

  it('says what the people index counts beside each name', async () => {
    const page = text((await app.inject('/people/')).body);
    expect(page).toContain('each with the number of editions they attended, spoke at or served on the committee of.');
    expect(page).toMatch(/David S\. Miller \(5 editions\)/);
    expect(page).toMatch(/Jamal Hadi Salim \(\d editions\)/);
    expect(page).not.toMatch(/\(\d+\)/);
  });

  it('links the changelog back to the agenda only where the edition’s page has one', async () => {
    const withAgenda = (await app.inject('/netconf/2011/changes/')).body;
    expect(withAgenda).toContain('<a href="/netconf/2011/#agenda">Back to the agenda</a>');
    expect((await app.inject('/netconf/2011/')).body).toContain('id="agenda"');
    // 2019 has topics per invitee and no agenda.
    const without = (await app.inject('/netconf/2019/changes/')).body;
    expect((await app.inject('/netconf/2019/')).body).not.toContain('id="agenda"');
    expect(without).not.toContain('#agenda');
    expect(without).toMatch(/<a href="\/netconf\/2019\/">Back to [^<]*Netconf 2019<\/a>/);
  });

  it('says of an imported edition\'s changelog where its schedule came from, not that it is unpublished', async () => {
    const page = text((await app.inject('/netconf/2015/changes/')).body);
    expect(page).toMatch(/The schedule was imported from the archive page netconf-2015\.txt on \d{4}-\d\d-\d\d \d\d:\d\d UTC; no change to it has been published in conclave since\./);
    expect(page).not.toContain('has not been published yet');
  });

  it('says a sponsor\'s logo the page listed is not in the archive', async () => {
    const e2015 = text((await app.inject('/netconf/2015/')).body);
    expect(e2015).toContain('Mojatatu Networks (logo not in the archive)');
    expect(e2015).not.toMatch(/\(logo\)/);
  });

  it('reads a title of two lines on one, without doubling its punctuation', async () => {
    const res = await app.inject('/people/david-s-miller/');
    expect(text(res.body)).toContain('Recent TCP developments. Things to do in 2.7.x');
    expect(res.body).not.toContain('.;');
  });

  it('escapes imported text: a <script> title shows as text', async () => {
    const seed = bundledPages().find((p) => p.file.endsWith('2014.txt'))!.content.toString('utf8');
    const evil = seed
      .replace(/Netconf 2014/g, 'Netconf 2031')
      .replace(/2014/g, '2031')
      .replace('Wireless John Linville', '<script>alert(1)</script> Wireless John Linville');
    await importPages({ db: handle.db }, [{ file: 'evil.txt', content: Buffer.from(evil) }]);
    const res = await app.inject('/netconf/2031/');
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('<script>alert(1)</script>');
    expect(res.body).toContain('&lt;script>alert(1)&lt;/script>');
    await handle.db.deleteFrom('editions').where('year', '=', 2031).execute();
  });
});

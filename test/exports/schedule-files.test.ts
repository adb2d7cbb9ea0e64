/**
 * schedule.ics, schedule.xml and schedule.json of every seed edition and of editions kept in
 * conclave, through the app: the calendar parsed back by ical.js (an independent parser), the
 * XML validated by xmllint against the C3VOC XSD, the JSON by Ajv against the C3VOC schema.
 */
import type { FastifyInstance } from 'fastify';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { bundledPages } from '../../src/domain/archive/bundled.js';
import { importPages } from '../../src/domain/archive/import-pages.js';
import { loadEdition } from '../../src/domain/editions/load-edition.js';
import { updateEdition } from '../../src/domain/editions/edit-edition.js';
import { addMaterialLink, removeMaterial } from '../../src/domain/program/materials.js';
import { moveSlot, setDay } from '../../src/domain/program/schedule-edit.js';
import { publishSchedule } from '../../src/domain/program/schedule-publish.js';
import { COMMITTEE, makeDeps } from '../invitations/fixtures.js';
import { buildApp } from '../../src/web/app.js';
import { testDatabases } from '../support/db.js';
import {
  BASE_URL,
  HARD_TITLE,
  JSON_SCHEMA,
  LONG_TITLE,
  SEED_YEARS,
  SERIES,
  XSD,
  makeEdition,
  scheduleValidator,
  schemasPresent,
  xmllint,
  type MadeEdition,
} from './fixtures.js';

interface ParsedEvent {
  uid: string;
  summary: string;
  description: string;
  location: string | null;
  allDay: boolean;
  /** The start as an instant, through the calendar's own VTIMEZONE. */
  startUtc: string;
  endUtc: string;
  tzid: string | null;
  attach: string[];
}

/** The calendar as ical.js reads it, its time zones registered first. */
function parseIcs(text: string): { calendar: ICAL.Component; events: ParsedEvent[] } {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const vtz of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(vtz);
  const events = calendar.getAllSubcomponents('vevent').map((c) => {
    const ev = new ICAL.Event(c);
    return {
      uid: ev.uid,
      summary: ev.summary,
      description: ev.description,
      location: ev.location ?? null,
      allDay: ev.startDate.isDate,
      startUtc: ev.startDate.toJSDate().toISOString(),
      endUtc: ev.endDate.toJSDate().toISOString(),
      tzid: (c.getFirstProperty('dtstart')?.getParameter('tzid') as string | undefined) ?? null,
      attach: c.getAllProperties('attach').map((p) => String(p.getFirstValue())),
    };
  });
  return { calendar, events };
}

describe.each(testDatabases())('schedule files on $name', ({ open }) => {
  let handle: Db;
  let app: FastifyInstance;
  let made: MadeEdition;
  let planned: MadeEdition;
  const get = (url: string) => app.inject(url);

  beforeAll(async () => {
    handle = await open();
    await importPages({ db: handle.db }, bundledPages());
    made = await makeEdition(handle.db, { year: 2027, status: 'tentative' });
    planned = await makeEdition(handle.db, { year: 2028, status: 'planned' });
    await makeEdition(handle.db, { year: 2029, status: 'planned', dates: false });
    await makeEdition(handle.db, { year: 2030, status: 'final', timeZone: null });
    app = await buildApp({ db: handle.db, mail: { baseUrl: BASE_URL, from: 'x@example.org' } });
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  it('serves each file with its content type, and 404 for unknown or undated editions', async () => {
    const types = { 'schedule.ics': /^text\/calendar; charset=utf-8$/, 'schedule.xml': /^application\/xml; charset=utf-8$/, 'schedule.json': /^application\/json; charset=utf-8$/ };
    for (const [file, type] of Object.entries(types)) {
      const res = await get(`/netconf/2015/${file}`);
      expect(res.statusCode, file).toBe(200);
      expect(res.headers['content-type']).toMatch(type);
      expect((await get(`/netconf/1999/${file}`)).statusCode).toBe(404);
      const undated = await get(`/${SERIES}/2029/${file}`);
      expect(undated.statusCode).toBe(404);
      expect(undated.body).toContain('has no dates yet');
    }
  });

  it('gives every seed edition one event per timed slot plus the edition as an all-day event', async () => {
    for (const year of SEED_YEARS) {
      const e = await loadEdition({ db: handle.db }, 'netconf', year);
      const slots = e.agenda.flatMap((d) => d.slots);
      const res = await get(`/netconf/${year}/schedule.ics`);
      expect(res.statusCode).toBe(200);
      const { events } = parseIcs(res.body);
      expect(events, String(year)).toHaveLength(slots.length + 1);
      const [edition, ...rest] = events;
      expect(edition!.allDay).toBe(true);
      expect(edition!.summary).toBe(e.title);
      expect(rest.every((ev) => !ev.allDay && ev.tzid === e.timeZone)).toBe(true);
      // Summaries: the talk's title, else the topic's first line, else who speaks.
      expect(rest.map((ev) => ev.summary)).toEqual(
        slots.map((s) => s.talkTitle ?? (s.title.split('\n')[0]!.trim() || s.speakers.map((p) => p.nameAsListed).join(', '))),
      );
    }
  });

  it('links each event to its own row of the agenda, in every file', async () => {
    const e = await loadEdition({ db: handle.db }, 'netconf', 2011);
    const page = `${BASE_URL}/netconf/2011/`;
    const rows = e.agenda.flatMap((d) => d.slots).map((s) => `${page}#${s.anchor}`);
    const html = (await get('/netconf/2011/')).body;
    for (const row of rows) expect(html).toContain(` id="${row.split('#')[1]}"`);
    const ics = (await get('/netconf/2011/schedule.ics')).body.replace(/\r\n[ \t]/g, '');
    // The edition's own event (first) links the page; each slot's event, its row.
    expect([...ics.matchAll(/^URL:(.*)$/gm)].map((m) => m[1])).toEqual([page, page, ...rows]);
    const xml = (await get('/netconf/2011/schedule.xml')).body;
    expect([...xml.matchAll(/^ {8}<url>(.*)<\/url>$/gm)].map((m) => m[1])).toEqual(rows);
    const json = JSON.parse((await get('/netconf/2011/schedule.json')).body) as { schedule: { conference: { days: { rooms: Record<string, { url: string }[]> }[] } } };
    const urls = json.schedule.conference.days.flatMap((d) => Object.values(d.rooms).flat().map((ev) => ev.url));
    expect(urls.sort()).toEqual([...rows].sort());
  });

  it('places the times in the edition’s zone (Ottawa in February, Chicago and Portland in summer)', async () => {
    const y2015 = parseIcs((await get('/netconf/2015/schedule.ics')).body).events;
    expect(y2015[0]!.startUtc.slice(0, 10)).toBe('2015-02-12');
    expect(y2015[0]!.endUtc.slice(0, 10)).toBe('2015-02-14'); // DTEND of an all-day event is the day after
    expect(y2015[1]).toMatchObject({ summary: 'Introduction', tzid: 'America/Toronto', startUtc: '2015-02-12T14:00:00.000Z', endUtc: '2015-02-12T14:30:00.000Z' });
    const y2014 = parseIcs((await get('/netconf/2014/schedule.ics')).body).events;
    expect(y2014[1]).toMatchObject({ tzid: 'America/Chicago', startUtc: '2014-08-19T14:00:00.000Z' });
    const y2004 = parseIcs((await get('/netconf/2004/schedule.ics')).body).events;
    expect(y2004[1]).toMatchObject({ summary: 'TCPfying the Poor Cousins', tzid: 'America/Los_Angeles', startUtc: '2004-07-14T17:00:00.000Z', endUtc: '2004-07-14T18:00:00.000Z' });
    // An open-ended slot ("3:00pm+") runs until the next slot ("5:00pm Dinner!"), 17:00 PDT.
    const open = y2004.find((ev) => ev.summary.startsWith('Open discussion on days talks'))!;
    expect(open.endUtc).toBe('2004-07-15T00:00:00.000Z');
    const dinner = y2004.find((ev) => ev.summary.startsWith('Dinner'))!;
    expect(dinner.startUtc).toBe(open.endUtc);
  });

  it('runs a meal or break without an end until the next slot, the same in every file', async () => {
    type JsonEvent = { title: string; date: string; duration: string };
    const jsonEvents = async (year: number) =>
      (JSON.parse((await get(`/netconf/${year}/schedule.json`)).body) as { schedule: { conference: { days: { rooms: Record<string, JsonEvent[]> }[] } } }).schedule.conference.days.flatMap(
        (d) => Object.values(d.rooms).flat(),
      );
    const y2011 = await jsonEvents(2011);
    // "12:30pm LUNCH", then "1:30pm Herbert Xu"; "8:30am BREAKFAST", then "10:00am" Welcome.
    expect(y2011.filter((ev) => ev.title === 'LUNCH').map((ev) => ev.duration)).toEqual(['01:00', '01:00']);
    expect(y2011.filter((ev) => ev.title === 'BREAKFAST').map((ev) => ev.duration)).toEqual(['01:30', '01:30']);
    // "11:00am Morning Break", then "11:15am" Jesse Brandeburg.
    expect(y2011.find((ev) => ev.title === 'Morning Break')!.duration).toBe('00:15');
    const xml = (await get('/netconf/2011/schedule.xml')).body;
    expect([...xml.matchAll(/<start>(\d\d:\d\d)<\/start>\s*<duration>(\d\d:\d\d)<\/duration>\s*<room>[^<]*<\/room>\s*<title>(LUNCH|BREAKFAST)<\/title>/g)].map((m) => m.slice(1))).toEqual([
      ['08:30', '01:30', 'BREAKFAST'],
      ['12:30', '01:00', 'LUNCH'],
      ['08:30', '01:30', 'BREAKFAST'],
      ['12:30', '01:00', 'LUNCH'],
    ]);
    const ics = (await get('/netconf/2011/schedule.ics')).body;
    expect(ics).toMatch(/DTSTART;TZID=[^:]+:20110614T083000\r\nDTEND;TZID=[^:]+:20110614T100000\r\n/);
    // 2004: "12:00am Lunch!" (noon, as the page means it), then "1:00pm Rusty Russell".
    const y2004 = await jsonEvents(2004);
    expect(y2004.filter((ev) => ev.title.startsWith('Lunch')).map((ev) => ev.duration)).toEqual(['01:00', '01:00']);
    const lunch = parseIcs((await get('/netconf/2004/schedule.ics')).body).events.filter((ev) => ev.summary.startsWith('Lunch'));
    expect(lunch.map((ev) => [ev.startUtc, ev.endUtc])).toEqual([
      ['2004-07-14T19:00:00.000Z', '2004-07-14T20:00:00.000Z'],
      ['2004-07-15T19:00:00.000Z', '2004-07-15T20:00:00.000Z'],
    ]);
  });

  it('keeps summer and winter time apart across a DST change, and escapes what it must', async () => {
    const res = await get(`/${SERIES}/2027/schedule.ics`);
    expect(res.body.endsWith('\r\n')).toBe(true);
    for (const line of res.body.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(res.body).not.toMatch(/[^\r]\n/);
    const { events } = parseIcs(res.body);
    expect(events).toHaveLength(6);
    const by = new Map(events.map((ev) => [ev.summary, ev]));
    const hard = by.get('Escapes; commas, back\\slash & <xml> "quotes"')!;
    expect(hard).toMatchObject({ tzid: 'Europe/Berlin', startUtc: '2027-03-27T08:00:00.000Z', endUtc: '2027-03-27T09:00:00.000Z' });
    expect(hard.location).toBe('Room A; "east", Berlin, Germany');
    expect(hard.description).toContain(HARD_TITLE);
    expect(hard.description).toContain('Speakers: Ünïcödé Speaker');
    expect(hard.description).toContain(`slides: ${BASE_URL}/files/0123abcd/slides.pdf`);
    expect(hard.description).toContain('lost slides (listed, the file is not in the archive)');
    expect(hard.attach).toEqual([`${BASE_URL}/files/0123abcd/slides.pdf`, 'https://example.org/paper.pdf?a=1&b=2']);
    expect(by.get(LONG_TITLE)).toMatchObject({ startUtc: '2027-03-27T09:00:00.000Z', endUtc: '2027-03-27T09:45:00.000Z' });
    // The last slot of a day runs 30 minutes.
    expect(by.get('Dinner & drinks')).toMatchObject({ startUtc: '2027-03-27T21:00:00.000Z', endUtc: '2027-03-27T21:30:00.000Z' });
    expect(by.get('Sunday after the change')).toMatchObject({ startUtc: '2027-03-28T07:00:00.000Z', endUtc: '2027-03-28T08:00:00.000Z' });
  });

  it('writes no DTEND for a slot of no length (its end before its start), as RFC 5545 wants', async () => {
    const e = await makeEdition(handle.db, { year: 2033, status: 'tentative' });
    await handle.db.updateTable('slots').set({ end_time: '09:30' }).where('id', '=', e.slotIds.long).execute();
    const res = await get(`/${SERIES}/2033/schedule.ics`);
    // The fixture's dates are those of 2027 whatever its year.
    const vevent = res.body.split('BEGIN:VEVENT').find((v) => v.includes('DTSTART;TZID=Europe/Berlin:20270327T100000'))!;
    expect(vevent).not.toContain('DTEND');
    const long = parseIcs(res.body).events.find((ev) => ev.startUtc === '2027-03-27T09:00:00.000Z')!;
    expect(long.endUtc).toBe(long.startUtc);
    // The others keep theirs.
    expect(res.body.match(/^DTEND/gm)).toHaveLength(parseIcs(res.body).events.length - 1);
  });

  it('gives floating times where the zone is unknown', async () => {
    const res = await get(`/${SERIES}/2030/schedule.ics`);
    expect(res.body).not.toContain('VTIMEZONE');
    expect(res.body).toContain('DTSTART:20270327T090000\r\n');
    expect(res.body).toContain('floating times');
    expect(parseIcs(res.body).events).toHaveLength(6);
    // schedule.xml and schedule.json too: local times without an offset, and no zone named,
    // never 09:00 as 09:00 UTC.
    const xml = (await get(`/${SERIES}/2030/schedule.xml`)).body;
    expect(xml).not.toContain('time_zone_name');
    expect(xml).not.toMatch(/T\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)/);
    expect(xml).toContain('<day index="1" date="2027-03-27" start="2027-03-27T09:00:00" end=');
    expect(xml).toContain('<date>2027-03-27T09:00:00</date>');
    const text = (await get(`/${SERIES}/2030/schedule.json`)).body;
    expect(text).not.toContain('time_zone_name');
    expect(text).not.toMatch(/T\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)/);
    const conf = JSON.parse(text).schedule.conference;
    expect(conf.days[0]).toMatchObject({ date: '2027-03-27', day_start: '2027-03-27T09:00:00' });
    const first = Object.values(conf.days[0].rooms as Record<string, { date: string; start: string }[]>).flat()[0]!;
    expect([first.date, first.start]).toEqual(['2027-03-27T09:00:00', '09:00']);
  });

  it('says on the page when the files hold the dates only, no talk having a time', async () => {
    // 2019's page lists topics without times: its files hold the edition and no slot.
    const ics = (await get('/netconf/2019/schedule.ics')).body;
    expect(parseIcs(ics).events.map((ev) => ev.allDay)).toEqual([true]);
    expect((await get('/netconf/2019/schedule.xml')).body).not.toContain('<event ');
    const downloads = (html: string) => /<p class="downloads">([\s\S]*?)<\/p>/.exec(html)?.[1]?.replace(/\s+/g, ' ') ?? '';
    const y2019 = downloads((await get('/netconf/2019/')).body);
    expect(y2019).toContain('calendar (.ics)</a> of the dates only (no talk has a time)');
    expect(y2019).not.toContain('schedule.xml');
    expect(y2019).not.toContain('schedule.json');
    expect(y2019).toContain('/netconf/2019/edition.json');
    // An edition with a program offers every file, and so does a planned one (its days' hours).
    for (const url of ['/netconf/2011/', `/${SERIES}/${planned.year}/`]) {
      const offered = downloads((await get(url)).body);
      expect(offered, url).toContain('calendar (.ics)</a>, ');
      expect(offered, url).toContain('schedule.xml');
      expect(offered, url).toContain('schedule.json');
    }
  });

  it('marks the calendar tentative where the page marks the agenda so', async () => {
    const statuses = async (url: string) => [...new Set((await get(url)).body.match(/^STATUS:\w+/gm))];
    // 2004's page marks its topic list "(Tentative)", not the agenda that took place.
    expect(await statuses('/netconf/2004/schedule.ics')).toEqual(['STATUS:CONFIRMED']);
    expect((await get('/netconf/2004/')).body).not.toMatch(/<h2 id="agenda">[^<]*<strong class="badge tentative">/);
    expect(await statuses(`/${SERIES}/2027/schedule.ics`)).toEqual(['STATUS:TENTATIVE']);
    expect((await get(`/${SERIES}/2027/`)).body).toMatch(/<h2 id="agenda">[^<]*<strong class="badge tentative">/);
    expect(await statuses(`/${SERIES}/2030/schedule.ics`)).toEqual(['STATUS:CONFIRMED']);
    expect(await statuses(`/${SERIES}/${planned.year}/schedule.ics`)).toEqual(['STATUS:TENTATIVE']);
  });

  it('shows nothing of a planned edition’s schedule but the edition itself', async () => {
    for (const file of ['schedule.ics', 'schedule.xml', 'schedule.json']) {
      const res = await get(`/${SERIES}/${planned.year}/${file}`);
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain('Sunday after the change');
      expect(res.body).not.toContain('Lunch');
      expect(res.body).not.toContain('Ünïcödé');
    }
    const { events } = parseIcs((await get(`/${SERIES}/${planned.year}/schedule.ics`)).body);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ allDay: true, summary: `Exptest ${planned.year}` });
  });

  it('gives a planned edition’s days the hours the committee set, and nothing of its slots', async () => {
    const e = await makeEdition(handle.db, { year: 2150, status: 'planned' });
    await handle.db.updateTable('agenda_days').set({ start_time: '10:00', end_time: '17:00' }).where('edition_id', '=', e.editionId).where('date', '=', '2027-03-27').execute();
    const conf = (await get(`/${SERIES}/2150/schedule.json`)).json().schedule.conference;
    expect(conf.days.map((d: { date: string; day_start: string; day_end: string; rooms: object }) => [d.date, d.day_start, d.day_end, Object.values(d.rooms).flat().length])).toEqual([
      ['2027-03-27', '2027-03-27T10:00:00+01:00', '2027-03-27T17:00:00+01:00', 0],
      ['2027-03-28', '2027-03-28T08:00:00+02:00', '2027-03-28T20:00:00+02:00', 0],
    ]);
    expect((await get(`/${SERIES}/2150/schedule.xml`)).body).toContain('<day index="1" date="2027-03-27" start="2027-03-27T10:00:00+01:00" end="2027-03-27T17:00:00+01:00">');
  });

  it('writes schedule.xml that the C3VOC XSD accepts, for every edition', async () => {
    if (!schemasPresent()) return;
    // Not 2030, without a zone: its floating times have no offset, which the schema wants.
    const urls = [...SEED_YEARS.map((y) => `/netconf/${y}/schedule.xml`), ...[2027, 2028].map((y) => `/${SERIES}/${y}/schedule.xml`)];
    for (const url of urls) {
      const res = await get(url);
      const verdict = await xmllint(res.body, XSD);
      expect(verdict.output, url).toContain('validates');
      expect(verdict.ok, `${url}: ${verdict.output}`).toBe(true);
    }
    const xml = (await get('/netconf/2015/schedule.xml')).body;
    expect(xml.match(/<event /g)).toHaveLength(30);
    expect(xml).toContain('<day index="1" date="2015-02-12" start="2015-02-12T09:00:00-05:00" end="2015-02-12T17:00:00-05:00">');
    expect(xml).toContain('<time_zone_name>America/Toronto</time_zone_name>');
    const made2027 = (await get(`/${SERIES}/2027/schedule.xml`)).body;
    expect(made2027).toContain('<title>Escapes; commas, back\\slash &amp; &lt;xml&gt; &quot;quotes&quot;</title>');
    expect(made2027).toContain('<room name="Room A; &quot;east&quot;"');
    // The page names the room as written, not "room Room A".
    const page2027 = (await get(`/${SERIES}/2027/`)).body;
    expect(page2027).toContain('<span class="muted"> (Room A; ');
    expect(page2027).not.toContain('room Room');
    // Its other slots name no room: they are in the one room the edition names, not in a second,
    // made-up one, which the apps would show as another track. Where no slot names one: "Main room".
    expect(made2027.match(/<room name="[^"]*"/g)?.every((r) => r === '<room name="Room A; &quot;east&quot;"')).toBe(true);
    expect(made2027).not.toContain('Main room');
    expect(xml).toContain('<room name="Main room"');
    expect(made2027).toContain('<date>2027-03-28T09:00:00+02:00</date>');
    expect(made2027).toContain('<date>2027-03-27T09:00:00+01:00</date>');
    // ConfClerk keys a conference's speakers by their id: each has its own.
    const speaker = await handle.db.selectFrom('people').select('id').where('slug', '=', 'exp-speaker-2027').executeTakeFirstOrThrow();
    expect(made2027).toMatch(new RegExp(`<person id="${speaker.id}" guid="[0-9a-f-]{36}">Ünïcödé Speaker</person>`));
    const pairs = new Set([...xml.matchAll(/<person id="(\d+)" guid="([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`));
    expect(pairs.size).toBeGreaterThan(5);
    expect(new Set([...pairs].map((x) => x.split(' ')[0])).size).toBe(pairs.size);
    expect(new Set([...pairs].map((x) => x.split(' ')[1])).size).toBe(pairs.size);
  });

  it('keeps the program out of a room that only a meal or a social names', async () => {
    // Only the dinner names a room (a restaurant): the talks and the lunch, which name none, are
    // in "Main room", not at the restaurant.
    const e = await makeEdition(handle.db, { year: 2152, status: 'tentative' });
    const days = handle.db.selectFrom('agenda_days').select('id').where('edition_id', '=', e.editionId);
    await handle.db.updateTable('slots').set({ room: null }).where('day_id', 'in', days).execute();
    await handle.db.updateTable('slots').set({ room: 'Restaurant' }).where('day_id', 'in', days).where('title', '=', 'Dinner & drinks').execute();
    const xml = (await get(`/${SERIES}/2152/schedule.xml`)).body;
    const roomOf = (title: string) => new RegExp(`<room>([^<]*)</room>(?:(?!</event>)[\\s\\S])*<title>${title}</title>`).exec(xml)?.[1];
    expect(roomOf('Lunch')).toBe('Main room');
    expect(roomOf('Sunday after the change')).toBe('Main room');
    expect(roomOf('Dinner &amp; drinks')).toBe('Restaurant');
    const conf = (await get(`/${SERIES}/2152/schedule.json`)).json().schedule.conference;
    const rooms = Object.fromEntries(conf.days.flatMap((d: { rooms: Record<string, { title: string }[]> }) =>
      Object.entries(d.rooms).flatMap(([room, events]) => events.map((ev) => [ev.title, room]))));
    expect(rooms).toMatchObject({ Lunch: 'Main room', 'Sunday after the change': 'Main room', 'Dinner & drinks': 'Restaurant' });
  });

  it('says on the agenda which night the clocks change, beside that day’s date', async () => {
    const page = (await get(`/${SERIES}/2027/`)).body;
    expect(page).toContain('<caption><time datetime="2027-03-28">Sunday, March 28, 2027</time><span class="muted"> (the clocks go forward from 02:00 to 03:00)</span></caption>');
    expect(page).toContain('<caption><time datetime="2027-03-27">Saturday, March 27, 2027</time></caption>');
  });

  it('writes schedule.json that the C3VOC JSON schema accepts, for every edition', async () => {
    if (!schemasPresent()) return;
    const validate = scheduleValidator();
    // Not 2030, without a zone: its floating times have no offset, which the schema wants.
    const urls = [...SEED_YEARS.map((y) => `/netconf/${y}/schedule.json`), ...[2027, 2028].map((y) => `/${SERIES}/${y}/schedule.json`)];
    for (const url of urls) {
      const doc = (await get(url)).json();
      const ok = validate(doc);
      expect(validate.errors ?? [], `${url} against ${JSON_SCHEMA}`).toEqual([]);
      expect(ok).toBe(true);
    }
    const doc = (await get(`/${SERIES}/2027/schedule.json`)).json();
    const conf = doc.schedule.conference;
    expect(conf).toMatchObject({ acronym: 'exptest2027', start: '2027-03-27', end: '2027-03-28', daysCount: 2, time_zone_name: 'Europe/Berlin' });
    const events = conf.days.flatMap((d: { rooms: Record<string, unknown[]> }) => Object.values(d.rooms).flat());
    expect(events).toHaveLength(5);
    expect(new Set(events.map((ev: { room: string }) => ev.room))).toEqual(new Set(['Room A; "east"']));
    expect(conf.rooms.map((r: { name: string }) => r.name)).toEqual(['Room A; "east"']);
    const hard = events.find((ev: { title: string }) => ev.title.startsWith('Escapes'));
    expect(hard).toMatchObject({
      date: '2027-03-27T09:00:00+01:00',
      start: '09:00',
      duration: '01:00',
      room: 'Room A; "east"',
      persons: [{ id: expect.any(Number), name: 'Ünïcödé Speaker', url: `${BASE_URL}/people/exp-speaker-2027/` }],
      links: [
        { type: 'slides', url: `${BASE_URL}/files/0123abcd/slides.pdf`, title: 'slides' },
        { type: 'paper', url: 'https://example.org/paper.pdf?a=1&b=2', title: 'paper' },
      ],
    });
    // The guid is the calendar's UID.
    const ics = parseIcs((await get(`/${SERIES}/2027/schedule.ics`)).body).events;
    expect(ics.map((ev) => ev.uid)).toContain(hard.guid);
    const seed = (await get('/netconf/2019/schedule.json')).json();
    expect(seed.schedule.conference.days.map((d: { date: string; rooms: object }) => [d.date, Object.keys(d.rooms).length])).toEqual([
      ['2019-06-20', 0],
      ['2019-06-21', 0],
    ]);
  });

  it('lists a day of the edition that holds no slot, with its hours, and leaves out an empty day outside the dates', async () => {
    // An edition from Friday 26 to Sunday 28: Friday's hours are set but it holds no slot (its
    // talks moved away), and a day outside the dates is left over from a removed slot.
    const e = await makeEdition(handle.db, { year: 2031, status: 'tentative' });
    await handle.db.updateTable('editions').set({ start_date: '2027-03-26', dates_text: 'March 26-28, 2027' }).where('id', '=', e.editionId).execute();
    await handle.db.insertInto('agenda_days').values({ edition_id: e.editionId, date: '2027-03-26', label: 'Friday', position: -1, start_time: '10:00', end_time: '17:00' }).execute();
    await handle.db.insertInto('agenda_days').values({ edition_id: e.editionId, date: '2031-01-01', label: 'Wednesday, January 1, 2031', position: 5 }).execute();
    // Sunday's end alone is set: it starts at the builder's default, 08:00, not at its first slot.
    await handle.db.updateTable('agenda_days').set({ end_time: '18:00' }).where('edition_id', '=', e.editionId).where('date', '=', '2027-03-28').execute();
    for (const file of ['schedule.ics', 'schedule.xml', 'schedule.json']) {
      const res = await get(`/${SERIES}/2031/${file}`);
      expect(res.statusCode, `${file}: ${res.body}`).toBe(200);
      expect(res.body).not.toContain('2031-01-01');
    }
    const conf = (await get(`/${SERIES}/2031/schedule.json`)).json().schedule.conference;
    expect(conf).toMatchObject({ start: '2027-03-26', end: '2027-03-28', daysCount: 3 });
    expect(conf.days.map((d: { date: string; day_start: string; day_end: string; rooms: object }) => [d.date, d.day_start, d.day_end, Object.values(d.rooms).flat().length])).toEqual([
      ['2027-03-26', '2027-03-26T10:00:00+01:00', '2027-03-26T17:00:00+01:00', 0],
      ['2027-03-27', '2027-03-27T09:00:00+01:00', '2027-03-27T22:30:00+01:00', 4],
      ['2027-03-28', '2027-03-28T08:00:00+02:00', '2027-03-28T18:00:00+02:00', 1],
    ]);
    const xml = (await get(`/${SERIES}/2031/schedule.xml`)).body;
    expect(xml).toContain('<day index="1" date="2027-03-26" start="2027-03-26T10:00:00+01:00" end="2027-03-26T17:00:00+01:00">\n  </day>');
    expect(parseIcs((await get(`/${SERIES}/2031/schedule.ics`)).body).events).toHaveLength(6);
    // The public page and its JSON leave the empty days out.
    expect((await loadEdition({ db: handle.db }, SERIES, 2031)).agenda.map((d) => d.date)).toEqual(['2027-03-27', '2027-03-28']);
    if (!schemasPresent()) return;
    expect((await xmllint(xml, XSD)).ok).toBe(true);
    const validate = scheduleValidator();
    expect(validate((await get(`/${SERIES}/2031/schedule.json`)).json()), JSON.stringify(validate.errors)).toBe(true);
  });

  it('gives the abstract of a slot’s accepted topic in every file, as its Markdown source', async () => {
    const e = await makeEdition(handle.db, { year: 2032, status: 'tentative' });
    const topic = (number: number, title: string, abstract: string, state: 'accepted' | 'proposed') =>
      handle.db.insertInto('topics').values({ edition_id: e.editionId, number, title, abstract, origin: 'proposal', state }).returning('id').executeTakeFirstOrThrow();
    const engines = await topic(1, 'Engines', 'About *engines*.\n\nAnd <b>more</b> & more; here, too.', 'accepted');
    const undecided = await topic(2, 'Undecided', 'Qwxz not public yet', 'proposed');
    await handle.db.updateTable('slots').set({ title: '', topic_id: engines.id }).where('id', '=', e.slotIds.sunday).execute();
    await handle.db.updateTable('slots').set({ topic_id: undecided.id }).where('id', '=', e.slotIds.long).execute();

    const xml = (await get(`/${SERIES}/2032/schedule.xml`)).body;
    expect(xml).toContain('<title>Engines</title>');
    expect(xml).toContain('<abstract>About *engines*.\n\nAnd &lt;b&gt;more&lt;/b&gt; &amp; more; here, too.</abstract>');
    const events = (await get(`/${SERIES}/2032/schedule.json`)).json().schedule.conference.days.flatMap((d: { rooms: Record<string, unknown[]> }) => Object.values(d.rooms).flat());
    expect(events.find((ev: { title: string }) => ev.title === 'Engines')).toMatchObject({ abstract: 'About *engines*.\n\nAnd <b>more</b> & more; here, too.' });
    const ics = parseIcs((await get(`/${SERIES}/2032/schedule.ics`)).body).events.find((ev) => ev.summary === 'Engines')!;
    expect(ics.description).toContain('About *engines*.\n\nAnd <b>more</b> & more; here, too.');
    // A topic not accepted is not public: the page shows no abstract of it, nor do the files.
    for (const file of ['schedule.ics', 'schedule.xml', 'schedule.json']) expect((await get(`/${SERIES}/2032/${file}`)).body).not.toContain('Qwxz');
    if (!schemasPresent()) return;
    expect((await xmllint(xml, XSD)).ok).toBe(true);
  });

  it('gives the files a new version when a slot’s slides come or go, as what they show changes', async () => {
    const e = await makeEdition(handle.db, { year: 2044, status: 'tentative' });
    // Last changed long ago, so that a change now is seen to the second (DTSTAMP's precision).
    await handle.db.updateTable('editions').set({ updated_at: new Date('2026-01-01T00:00:00Z') }).where('id', '=', e.editionId).execute();
    const version = async () => /<version>([^<]+)<\/version>/.exec((await get(`/${SERIES}/2044/schedule.xml`)).body)![1]!;
    const dtstamp = async () => /^DTSTAMP:(\S+)/m.exec((await get(`/${SERIES}/2044/schedule.ics`)).body)![1]!;
    const [v0, d0] = [await version(), await dtstamp()];
    expect([v0, d0]).toEqual(['2026-01-01T00:00:00.000Z', '20260101T000000Z']);
    const actor = { accountId: null, label: 'test' };
    const deps = { db: handle.db, filesDir: '/nonexistent' };
    const m = await addMaterialLink(deps, actor, { editionId: e.editionId, slotId: e.slotIds.hard, url: 'https://example.org/new-slides.pdf', label: 'Slides' });
    expect((await get(`/${SERIES}/2044/schedule.xml`)).body).toContain('https://example.org/new-slides.pdf');
    const [v1, d1] = [await version(), await dtstamp()];
    expect(new Date(v1).getTime()).toBeGreaterThan(new Date(v0).getTime());
    expect(d1 > d0).toBe(true);
    await new Promise((r) => setTimeout(r, 5));
    await removeMaterial(deps, actor, { editionId: e.editionId, id: m.id });
    expect((await get(`/${SERIES}/2044/schedule.xml`)).body).not.toContain('new-slides');
    expect(new Date(await version()).getTime()).toBeGreaterThan(new Date(v1).getTime());
  });

  it('gives a link typed with a space or a non-ASCII letter as a URI in every file and on the page', async () => {
    const e = await makeEdition(handle.db, { year: 2146, status: 'tentative' });
    const actor = { accountId: null, label: 'test' };
    // As the form and `materials add --url` take it: the URL parser reads it, so it is saved as typed.
    await addMaterialLink({ db: handle.db, filesDir: '/nonexistent' }, actor, {
      editionId: e.editionId,
      slotId: e.slotIds.sunday,
      url: 'https://example.org/Folien Übersicht.pdf?v=1|2',
      label: 'Folien',
    });
    const uri = 'https://example.org/Folien%20%C3%9Cbersicht.pdf?v=1%7C2';
    const sunday = parseIcs((await get(`/${SERIES}/2146/schedule.ics`)).body).events.find((ev) => ev.summary === 'Sunday after the change')!;
    expect(sunday.attach).toEqual([uri]);
    expect(sunday.description).toContain(`- Folien: ${uri}\n`);
    expect((await get(`/${SERIES}/2146/schedule.xml`)).body).toContain(`<link href="${uri}">Folien</link>`);
    expect((await get(`/${SERIES}/2146/`)).body).toContain(`<a href="${uri}">Folien</a>`);
    const json = (await get(`/${SERIES}/2146/schedule.json`)).json();
    const events = json.schedule.conference.days.flatMap((d: { rooms: Record<string, { title: string; links: unknown[] }[]> }) => Object.values(d.rooms).flat());
    expect(events.find((ev: { title: string }) => ev.title === 'Sunday after the change').links).toEqual([{ type: 'slides', url: uri, title: 'Folien' }]);
    if (!schemasPresent()) return;
    const validate = scheduleValidator();
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
  });

  it('describes the calendar with the edition’s own dates, not an imported page’s words since changed', async () => {
    const e = await makeEdition(handle.db, { year: 2149, status: 'planned' });
    // Imported as "March 27-28, 2027", then moved a week on.
    await handle.db.updateTable('editions').set({ start_date: '2027-04-03', end_date: '2027-04-04' }).where('id', '=', e.editionId).execute();
    const { calendar, events } = parseIcs((await get(`/${SERIES}/2149/schedule.ics`)).body);
    const about = 'April 3–4, 2027, Berlin, Germany\nThe schedule is not published yet.\nhttps://netconf.example.org/exptest/2149/';
    expect(calendar.getFirstPropertyValue('description')).toBe(about);
    expect(events[0]!.description).toBe(about);
    expect(events[0]!.startUtc).toBe('2027-04-03T00:00:00.000Z');
  });

  it('raises a moved slot’s SEQUENCE, and every slot’s when the days move, with LAST-MODIFIED', async () => {
    const e = await makeEdition(handle.db, { year: 2045, status: 'tentative' });
    const ref = { series: SERIES, year: 2045 };
    const deps = makeDeps(handle.db, '2026-12-01T10:00:00Z');
    const revisions = async () => {
      const { calendar } = parseIcs((await get(`/${SERIES}/2045/schedule.ics`)).body);
      const out = new Map<string, [number, string | null]>();
      for (const c of calendar.getAllSubcomponents('vevent').slice(1)) {
        const modified = c.getFirstPropertyValue('last-modified') as ICAL.Time | null;
        out.set(String(c.getFirstPropertyValue('summary')), [Number(c.getFirstPropertyValue('sequence')), modified ? modified.toJSDate().toISOString() : null]);
      }
      return out;
    };
    const first = await revisions();
    expect(first.size).toBeGreaterThan(2);
    for (const [summary, rev] of first) expect(rev, summary).toEqual([0, null]);

    await moveSlot(deps, COMMITTEE, ref, e.slotIds.long, { date: '2027-03-28', start: '14:00' });
    deps.set('2026-12-02T09:30:00Z');
    await moveSlot(deps, COMMITTEE, ref, e.slotIds.long, { date: '2027-03-28', start: '15:00' });
    const moved = await revisions();
    // The 09:00 slot runs until the next one: 10:00, then (the 10:00 one gone) the lunch at 12:00.
    // The first move moved it too, dated as its audit entry (the database's clock), to the second.
    const hard = HARD_TITLE.split('\n')[0]!;
    const firstMove = await handle.db.selectFrom('audit_log').select('at').where('edition_id', '=', e.editionId).where('action', '=', 'schedule.slot.move').orderBy('id').executeTakeFirstOrThrow();
    const hardMoved = new Date(Math.floor(new Date(firstMove.at).getTime() / 1000) * 1000).toISOString();
    const latest = (iso: string) => (hardMoved > iso ? hardMoved : iso);
    for (const [summary, rev] of moved) expect(rev, summary).toEqual(summary === LONG_TITLE ? [2, '2026-12-02T09:30:00.000Z'] : summary === hard ? [1, hardMoved] : [0, null]);

    // A new time zone moves every slot: each is revised once more, dated as the edit's audit
    // entry (the changelog's entry of it is not counted again).
    deps.set('2026-12-03T08:00:00Z');
    await updateEdition(deps, COMMITTEE, { ...ref, fields: { timeZone: 'Europe/Lisbon' } });
    const edit = await handle.db.selectFrom('audit_log').select('at').where('edition_id', '=', e.editionId).where('action', '=', 'edition.update').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const rezoned = new Date(Math.floor(new Date(edit.at).getTime() / 1000) * 1000).toISOString();
    const zoned = (summary: string) => (summary === LONG_TITLE ? [3, rezoned] : summary === hard ? [2, latest(rezoned)] : [1, rezoned]);
    for (const [summary, rev] of await revisions()) expect(rev, summary).toEqual(zoned(summary));

    // Naming a day moves no event.
    deps.set('2026-12-04T08:00:00Z');
    await setDay(deps, COMMITTEE, ref, { date: '2027-03-27', label: 'Hacking day' });
    for (const [summary, rev] of await revisions()) expect(rev, summary).toEqual(zoned(summary));
    // Final: every event is CONFIRMED now, the edition's own too, which the zone moved before.
    // (Its changelog entry is dated by the test's clock, behind the database's.)
    deps.set('2026-12-05T08:00:00Z');
    await publishSchedule(deps, COMMITTEE, ref, { final: true, force: true });
    const finalised = [rezoned, '2026-12-05T08:00:00.000Z'].sort()[1]!;
    for (const [summary, rev] of await revisions()) {
      expect(rev, summary).toEqual([summary === LONG_TITLE ? 4 : summary === hard ? 3 : 2, summary === hard ? latest(finalised) : finalised]);
    }
    const own = parseIcs((await get(`/${SERIES}/2045/schedule.ics`)).body).calendar.getFirstSubcomponent('vevent')!;
    expect([own.getFirstPropertyValue('status'), Number(own.getFirstPropertyValue('sequence')), (own.getFirstPropertyValue('last-modified') as ICAL.Time).toJSDate().toISOString()]).toEqual(['CONFIRMED', 2, finalised]);
  });

  // Last: it moves a slot of the 2027 edition.
  it('keeps UIDs across renders and re-imports, and a moved slot’s UID', async () => {
    const uids = async (url: string) => parseIcs((await get(url)).body).events.map((ev) => ev.uid);
    const before = new Map<number, string[]>();
    for (const year of SEED_YEARS) {
      const first = await uids(`/netconf/${year}/schedule.ics`);
      expect(await uids(`/netconf/${year}/schedule.ics`)).toEqual(first);
      expect(new Set(first).size).toBe(first.length);
      before.set(year, first);
    }
    await importPages({ db: handle.db }, bundledPages());
    for (const year of SEED_YEARS) expect(await uids(`/netconf/${year}/schedule.ics`), String(year)).toEqual(before.get(year));

    const url = `/${SERIES}/2027/schedule.ics`;
    const find = async (summary: string) => parseIcs((await get(url)).body).events.find((ev) => ev.summary === summary)!;
    const moved = await find(LONG_TITLE);
    const sunday = await handle.db.selectFrom('agenda_days').select('id').where('edition_id', '=', made.editionId).where('date', '=', '2027-03-28').executeTakeFirstOrThrow();
    await handle.db.updateTable('slots').set({ day_id: sunday.id, start_time: '14:00', end_time: '14:45', position: 5 }).where('id', '=', made.slotIds.long).execute();
    const after = await find(LONG_TITLE);
    expect(after.uid).toBe(moved.uid);
    expect(after.startUtc).toBe('2027-03-28T12:00:00.000Z');
  });
});

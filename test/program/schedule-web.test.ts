/**
 * The schedule builder through HTTP, as a browser without JavaScript uses it (forms, CSRF,
 * errors at the field), the JSON the drag-and-drop script uses, and what the public sees:
 * nothing before publication, then the agenda marked Tentative and the changelog.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { addCommitteeMember } from '../../src/domain/committee/accounts.js';
import { createSigninLink } from '../../src/domain/committee/signin.js';
import { acceptInvitation } from '../../src/domain/invitations/rsvp.js';
import { buildApp } from '../../src/web/app.js';
import { inviteGuests, makeDeps, makeEdition } from '../invitations/fixtures.js';
import { testDatabases } from '../support/db.js';
import { Client, csrfOf } from '../support/http.js';

describe.each(testDatabases())('schedule builder pages on $name', ({ open }) => {
  let handle: Db;
  let app: FastifyInstance;
  let deps: ReturnType<typeof makeDeps>;
  let year: number;
  let committee: Client;
  let page: string;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    handle = await open();
    // Near the real time: the session cookie's expiry is judged by the client against the real clock.
    deps = makeDeps(handle.db, new Date().toISOString());
    const editionId = await makeEdition(handle.db, { time_zone: 'Europe/Lisbon', start_date: '2027-05-11', end_date: '2027-05-13', answer_by: '2027-04-10' });
    year = (await handle.db.selectFrom('editions').select('year').where('id', '=', editionId).executeTakeFirstOrThrow()).year;
    const sent = await inviteGuests(deps, editionId, 2);
    for (const s of sent) await acceptInvitation(deps, { token: s.token });
    for (const r of await handle.db.selectFrom('invitations').innerJoin('people', 'people.id', 'invitations.person_id').select(['people.name', 'people.id']).execute()) {
      ids[r.name] = r.id;
    }
    await addCommitteeMember({ db: handle.db }, { accountId: null, label: 'test' }, { email: 'chair@example.org', name: 'Pat Chair' });
    app = await buildApp({ db: handle.db, clock: deps.clock, mail: deps.mail, limits: { signin: 1000 } });
    committee = new Client(app);
    const link = await createSigninLink(deps, { email: 'chair@example.org' });
    const path = new URL(link!.link).pathname;
    expect((await committee.submit(path, path, {})).statusCode).toBe(303);
    page = `/admin/editions/invtest/${year}/schedule`;
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  async function form(fields: Record<string, string>, action = `${page}/slots`) {
    return committee.submit(page, action, fields);
  }

  it('needs a signed-in member, and a CSRF token on every change', async () => {
    const anon = await new Client(app).get(page);
    expect(anon.statusCode).toBe(303);
    expect(anon.headers.location).toMatch(/^\/signin\?next=/);
    const noToken = await committee.post(`${page}/slots`, { date: '2027-05-11', start: '09:00', kind: 'talk', title: 'Sneaky' });
    expect(noToken.statusCode).toBe(403);
    expect(await handle.db.selectFrom('slots').select('id').execute()).toEqual([]);
  });

  it('shows the edition’s days and adds slots by plain forms', async () => {
    const res = await committee.get(page);
    expect(res.statusCode).toBe(200);
    for (const d of ['Tuesday, May 11, 2027', 'Wednesday, May 12, 2027', 'Thursday, May 13, 2027']) expect(res.body).toContain(d);
    expect(res.body).toContain('Not public yet');
    const lunch = await form({ date: '2027-05-12', start: '12:30', end: '13:30', kind: 'meal', title: 'Lunch' });
    expect(lunch.statusCode).toBe(303);
    const talk = await form({ date: '2027-05-12', start: '14:00', lengthMinutes: '30', kind: 'talk', title: 'Busy <b>Bee</b>', speaker0: String(ids['Guest 1']) });
    expect(talk.statusCode).toBe(303);
    const other = await form({ date: '2027-05-11', start: '10:00', end: '10:30', kind: 'talk', title: 'Morning talk', speaker0: String(ids['Guest 1']), speaker1: String(ids['Guest 2']) });
    expect(other.statusCode).toBe(303);
    const after = await committee.get(page);
    // kitajs escapes what could open a tag: '<' and '&'.
    expect(after.body).toContain('Busy &lt;b>Bee&lt;/b>');
    expect(after.body).not.toContain('<b>Bee</b>');
    expect(after.body).toContain('No conflicts.');
  });

  it('keeps what was typed and names each wrong field', async () => {
    const res = await form({ date: '2027-05-12', start: '15:00', end: '14:00', kind: 'talk', title: '', room: 'Salon <A>' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Please correct these 2 fields');
    expect(res.body).toContain('End: must be after the start (15:00)');
    expect(res.body).toContain('Title: give a title or choose a topic');
    expect(res.body).toContain('id="f-room" name="room" value="Salon <A>"');
    expect(res.body).toMatch(/id="f-end" name="end" value="14:00"/);
  });

  it('refuses a speaker the form does not offer, such as someone who is not an attendee', async () => {
    const outsider = await handle.db.insertInto('people').values({ slug: 'out-sider', name: 'Out Sider', name_key: 'out sider' }).returning('id').executeTakeFirstOrThrow();
    const before = await committee.get(page);
    expect(before.body).not.toContain('Out Sider');
    const res = await form({ date: '2027-05-13', start: '09:00', end: '09:30', kind: 'talk', title: 'Crafted', speaker0: String(outsider.id) });
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/Speakers: Out Sider is not an accepted attendee of Netconf \d+, nor already on its schedule/);
    expect(await handle.db.selectFrom('slots').select('id').where('title', '=', 'Crafted').execute()).toEqual([]);
  });

  it('moves a slot by the row’s form, and shows the conflict it makes', async () => {
    const morning = await handle.db.selectFrom('slots').select('id').where('title', '=', 'Morning talk').executeTakeFirstOrThrow();
    const res = await form({ date: '2027-05-12', start: '14:15' }, `${page}/slots/${morning.id}/move`);
    expect(res.statusCode).toBe(303);
    const after = await committee.get(res.headers.location as string);
    // Neither names a room: both are in the one room the schedule files put them in, too.
    expect(after.body).toContain('2 conflicts:');
    expect(after.body).toContain('Guest 1 speaks in two overlapping slots: 14:00–14:30 “Busy &lt;b>Bee&lt;/b>” and 14:15–14:45 “Morning talk”');
    expect(after.body).toContain('Room “Main room” holds two overlapping slots on 2027-05-12: 14:00–14:30 “Busy &lt;b>Bee&lt;/b>” and 14:15–14:45 “Morning talk”');
    expect(after.body).toMatch(new RegExp(`id="slot-${morning.id}" class="slot talk conflict"`));
  });

  it('shows a refused move at the row’s own form, with what was typed, and moves nothing', async () => {
    const morning = await handle.db.selectFrom('slots').select(['id', 'start_time', 'day_id']).where('title', '=', 'Morning talk').executeTakeFirstOrThrow();
    const res = await form({ date: '2027-05-12', start: '99:99' }, `${page}/slots/${morning.id}/move`);
    expect(res.statusCode).toBe(400);
    // The builder, not a bare error page: the row's form keeps "99:99" and says why beside it.
    expect(res.body).toContain('<h1>Schedule of');
    const row = res.body.slice(res.body.indexOf(`id="slot-${morning.id}"`));
    expect(row).toMatch(new RegExp(`<input id="mv-start-${morning.id}" name="start" value="99:99" size="5" aria-invalid="true" aria-describedby="mv-error-${morning.id}"`));
    expect(row).toMatch(new RegExp(`<p class="error-text" id="mv-error-${morning.id}" role="alert">Not moved. Start: must be a time of day, HH:MM \\(24-hour\\)</p>`));
    expect(await handle.db.selectFrom('slots').select(['id', 'start_time', 'day_id']).where('id', '=', morning.id).executeTakeFirstOrThrow()).toEqual(morning);
    // Each of the builder's row forms answers at its own row: the page opens there, refusal or not.
    expect(row).toContain(`action="${page}/slots/${morning.id}/move#slot-${morning.id}"`);
    expect(res.body).toMatch(new RegExp(`action="${page}/days#day-2027-05-12"`));
  });

  it('refuses an edit form opened before another change, keeping what was typed, and applies it when saved again', async () => {
    const lunch = await handle.db.selectFrom('slots').select('id').where('title', '=', 'Lunch').executeTakeFirstOrThrow();
    const edit = `${page}?edit=${lunch.id}`;
    const versionIn = (body: string) => /<input type="hidden" name="version" value="([^"]+)"/.exec(body)?.[1];
    const opened = versionIn((await committee.get(edit)).body);
    expect(opened).toMatch(/^[\w-]+$/);
    const mine = { date: '2027-05-12', start: '12:30', end: '13:30', kind: 'meal', title: 'Lunch', room: 'Terrace' };
    // Meanwhile another member moves the lunch, and puts it in a room.
    expect((await form({ ...mine, start: '12:00', end: '13:00', room: 'Hall <B>', version: opened! }, `${page}/slots/${lunch.id}`)).statusCode).toBe(303);
    const stale = await committee.submit(edit, `${page}/slots/${lunch.id}`, { ...mine, version: opened! });
    expect(stale.statusCode).toBe(409);
    // It names what changed since the form was loaded, and what each holds now (escaped).
    expect(stale.body).toContain('“Lunch” was changed meanwhile, by someone else or by the same change sent twice (since the form was loaded, start now 12:00, end now 13:00, room now “Hall &lt;B>”): nothing was saved. The form keeps what you typed');
    expect(stale.body).toContain('id="f-room" name="room" value="Terrace"');
    expect(await handle.db.selectFrom('slots').select(['start_time', 'room']).where('id', '=', lunch.id).executeTakeFirst()).toEqual({ start_time: '12:00', room: 'Hall <B>' });
    const fresh = versionIn(stale.body);
    expect(fresh).not.toBe(opened);
    expect((await committee.submit(edit, `${page}/slots/${lunch.id}`, { ...mine, version: fresh! })).statusCode).toBe(303);
    expect(await handle.db.selectFrom('slots').select(['start_time', 'room']).where('id', '=', lunch.id).executeTakeFirst()).toEqual({ start_time: '12:30', room: 'Terrace' });
    await form({ ...mine, room: '' }, `${page}/slots/${lunch.id}`);
  });

  it('says at the slot’s own row why it was not removed', async () => {
    const morning = await handle.db.selectFrom('slots').select('id').where('title', '=', 'Morning talk').executeTakeFirstOrThrow();
    const editionId = (await handle.db.selectFrom('slots').innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id').select('agenda_days.edition_id').where('slots.id', '=', morning.id).executeTakeFirstOrThrow()).edition_id;
    const m = await handle.db.insertInto('materials').values({ edition_id: editionId, slot_id: morning.id, kind: 'slides', label: 'Morning slides', url: 'https://example.org/m.pdf', position: 0 }).returning('id').executeTakeFirstOrThrow();
    const res = await form({}, `${page}/slots/${morning.id}/remove`);
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain(`<p class="error-text" role="alert">Not removed: “Morning talk” holds 1 material (#${m.id} “Morning slides”), which would be lost with it`);
    // The builder, with its navigation, not a bare error page.
    expect(res.body).toContain('id="slot-form"');
    expect(await handle.db.selectFrom('slots').select('id').where('id', '=', morning.id).executeTakeFirst()).toEqual({ id: morning.id });
    await handle.db.deleteFrom('materials').where('id', '=', m.id).execute();
  });

  it('answers a save or a move of a slot removed meanwhile on the builder, saying nothing was saved', async () => {
    expect((await form({ date: '2027-05-13', start: '17:00', end: '17:30', kind: 'talk', title: 'Gone soon' })).statusCode).toBe(303);
    const gone = (await handle.db.selectFrom('slots').select('id').where('title', '=', 'Gone soon').executeTakeFirstOrThrow()).id;
    const opened = /<input type="hidden" name="version" value="([^"]+)"/.exec((await committee.get(`${page}?edit=${gone}`)).body)?.[1];
    expect(opened).toMatch(/^[\w-]+$/);
    // In another tab, it is removed.
    expect((await form({}, `${page}/slots/${gone}/remove`)).statusCode).toBe(303);
    const before = await handle.db.selectFrom('slots').select(['id', 'title', 'start_time']).orderBy('id').execute();
    // Saved from the edit form opened before: the builder, saying so, with what was typed in the add form.
    const saved = await form({ date: '2027-05-13', start: '17:15', end: '17:45', kind: 'talk', title: 'Gone <soon>', version: opened! }, `${page}/slots/${gone}`);
    expect(saved.statusCode).toBe(409);
    expect(saved.body).toContain('<h1>Schedule of');
    expect(saved.body).toContain(`<p class="notice" role="status">Slot #${gone} was removed meanwhile: nothing was saved. The form below keeps what you typed, to add it as a new slot.</p>`);
    expect(saved.body).toContain('Add a slot');
    expect(saved.body).toContain('id="f-title" name="title" value="Gone <soon>"');
    expect(saved.body).toContain('value="17:45"');
    // Moved from its row (or placed) on a page older than the removal: back on the builder, saying so.
    for (const [path, body] of [
      [`${page}/slots/${gone}/move`, { date: '2027-05-12', start: '16:00' }],
      [`${page}/place`, { slotId: String(gone), place: 'top:2027-05-12' }],
    ] as const) {
      const moved = await form(body, path);
      expect(moved.statusCode).toBe(303);
      const to = new URL(moved.headers.location as string, 'http://x');
      expect([to.pathname, to.searchParams.get('notice')]).toEqual([page, `Slot #${gone} was removed meanwhile: nothing was saved.`]);
    }
    // Dragged (JSON): where to go, the builder with the same notice, for schedule.js to show.
    const csrf = csrfOf((await committee.get(page)).body);
    const dragged = await app.inject({
      method: 'POST',
      url: `${page}/slots/${gone}/move`,
      headers: { cookie: [...committee.cookies].map(([k, v]) => `${k}=${v}`).join('; '), accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, date: '2027-05-12', afterSlotId: String(before[0]!.id) }).toString(),
    });
    expect(dragged.statusCode).toBe(404);
    expect(dragged.json().message).toBe(`Slot #${gone} was removed meanwhile: nothing was saved.`);
    const next = await committee.get(dragged.json().next as string);
    expect(next.statusCode).toBe(200);
    expect(next.body).toContain(`<p class="notice" role="status">Slot #${gone} was removed meanwhile: nothing was saved.</p>`);
    expect(await handle.db.selectFrom('slots').select(['id', 'title', 'start_time']).orderBy('id').execute()).toEqual(before);
  });

  it('says in a removed slot’s notice that its topic’s materials are no longer shown, when they are', async () => {
    const editionId = (await handle.db.selectFrom('editions').select('id').where('year', '=', year).executeTakeFirstOrThrow()).id;
    const topic = await handle.db.insertInto('topics').values({ edition_id: editionId, number: 41, title: 'Shown slides', origin: 'proposal', state: 'accepted', proposer_id: Object.values(ids)[0]! }).returning('id').executeTakeFirstOrThrow();
    expect((await form({ date: '2027-05-13', start: '15:00', end: '15:30', kind: 'talk', topicId: String(topic.id) })).statusCode).toBe(303);
    const slot = (await handle.db.selectFrom('slots').select('id').where('topic_id', '=', topic.id).executeTakeFirstOrThrow()).id;
    for (const n of [1, 2]) await handle.db.insertInto('materials').values({ edition_id: editionId, slot_id: slot, kind: 'slides', label: `Part ${n}`, url: `https://example.org/${n}.pdf`, position: n }).execute();
    const removed = await form({}, `${page}/slots/${slot}/remove`);
    expect(new URL(removed.headers.location as string, 'http://x').searchParams.get('notice')).toBe('Removed “Shown slides”. Its 2 materials are no longer shown publicly until the topic has a slot again.');
    // A slot of no topic says nothing of materials.
    expect((await form({ date: '2027-05-13', start: '16:00', end: '16:30', kind: 'talk', title: 'Plain' })).statusCode).toBe(303);
    const plain = (await handle.db.selectFrom('slots').select('id').where('title', '=', 'Plain').executeTakeFirstOrThrow()).id;
    const bare = await form({}, `${page}/slots/${plain}/remove`);
    expect(new URL(bare.headers.location as string, 'http://x').searchParams.get('notice')).toBe('Removed “Plain”.');
    // Remove pressed again (a double post, a page older than the removal): back on the builder, saying it is done.
    const again = await form({}, `${page}/slots/${plain}/remove`);
    expect(again.statusCode).toBe(303);
    const to = new URL(again.headers.location as string, 'http://x');
    expect([to.pathname, to.searchParams.get('notice')]).toEqual([page, `Slot #${plain} was already removed.`]);
    expect((await committee.get(again.headers.location as string)).body).toContain(`<p class="notice" role="status">Slot #${plain} was already removed.</p>`);
    // A link to edit it now says it is not there, above the add form, rather than show that form as if asked for it.
    const stale = await committee.get(`${page}?edit=${plain}`);
    expect(stale.statusCode).toBe(404);
    expect(stale.body).toContain(`<p class="notice" role="status">There is no slot #${plain} to edit: it was removed, or the link is wrong. The form below adds a new slot.</p>`);
    expect(stale.body).toContain('Add a slot');
    // A slot that is there opens as before, with no such notice.
    const open = await committee.get(`${page}?edit=${(await handle.db.selectFrom('slots').select('id').where('title', '=', 'Lunch').executeTakeFirstOrThrow()).id}`);
    expect([open.statusCode, open.body.includes('There is no slot')]).toEqual([200, false]);
    await handle.db.deleteFrom('materials').where('topic_id', '=', topic.id).execute();
    await handle.db.deleteFrom('topics').where('id', '=', topic.id).execute();
    // A malformed slot number is a wrong link, refused naming the parameter, not read as another slot (1e3 as #1000).
    for (const edit of ['1e3', '0x10', '%2012', '12abc', '12.0', '-1']) {
      const bad = await committee.get(`${page}?edit=${edit}`);
      expect([edit, bad.statusCode]).toEqual([edit, 400]);
      expect(bad.body).toContain('edit: must be a slot’s number, as the Edit links give it');
    }
  });

  it('answers a drag in JSON, and checks an edit without saving it', async () => {
    const morning = await handle.db.selectFrom('slots').select('id').where('title', '=', 'Morning talk').executeTakeFirstOrThrow();
    const csrf = csrfOf((await committee.get(page)).body);
    const moved = await app.inject({
      method: 'POST',
      url: `${page}/slots/${morning.id}/move`,
      headers: { cookie: [...committee.cookies].map(([k, v]) => `${k}=${v}`).join('; '), accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, date: '2027-05-12', start: '13:30' }).toString(),
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ slot: { start: '13:30', end: '14:00' }, conflicts: [] });
    const edit = new URLSearchParams({ _csrf: csrf, slotId: String(morning.id), date: '2027-05-12', start: '14:00', end: '14:30', kind: 'talk', title: 'Morning talk', speaker0: String(ids['Guest 2']), speaker1: String(ids['Guest 1']) }).toString();
    const previewAt = (path: string) =>
      app.inject({
        method: 'POST',
        url: `${page}/${path}`,
        headers: { cookie: [...committee.cookies].map(([k, v]) => `${k}=${v}`).join('; '), accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        payload: edit,
      });
    const preview = await previewAt('preview');
    expect(preview.json().conflicts.map((c: { rule: string }) => c.rule)).toEqual(['speaker-overlap', 'room-overlap']);
    // Its old address (before `conclave schedule check` came to mean fit to publish) names nothing now.
    const old = await previewAt('check');
    expect(old.statusCode).toBe(404);
    expect(old.body).toContain(`There is no page at ${page}/check.`);
    const still = await handle.db.selectFrom('slots').select('start_time').where('id', '=', morning.id).executeTakeFirstOrThrow();
    expect(still.start_time).toBe('13:30');
  });

  it('counts in a move’s notice the conflicts of the moved slot only, by form as by drag', async () => {
    const morning = await handle.db.selectFrom('slots').select('id').where('title', '=', 'Morning talk').executeTakeFirstOrThrow();
    // A conflict elsewhere: a slot before its day's hours.
    expect((await form({ date: '2027-05-13', start: '07:00', lengthMinutes: '30', kind: 'talk', title: 'Early bird' })).statusCode).toBe(303);
    const early = await handle.db.selectFrom('slots').select('id').where('title', '=', 'Early bird').executeTakeFirstOrThrow();
    const csrf = csrfOf((await committee.get(page)).body);
    const dragged = await app.inject({
      method: 'POST',
      url: `${page}/slots/${morning.id}/move`,
      headers: { cookie: [...committee.cookies].map(([k, v]) => `${k}=${v}`).join('; '), accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, date: '2027-05-12', start: '16:00' }).toString(),
    });
    expect(dragged.statusCode).toBe(200);
    expect(new URL(dragged.json().next as string, 'http://x').searchParams.get('notice')).toBe('Moved “Morning talk” to May 12, 2027, 16:00.');
    // Into a conflict of its own by the row's form: the notice says so, as a drag's does.
    const busy = await form({ date: '2027-05-12', start: '14:15' }, `${page}/slots/${morning.id}/move`);
    expect(busy.statusCode).toBe(303);
    expect(new URL(busy.headers.location as string, 'http://x').searchParams.get('notice')).toBe('Moved “Morning talk” to May 12, 2027, 14:15 — 2 conflicts, listed below.');
    expect((await form({ date: '2027-05-12', start: '13:30' }, `${page}/slots/${morning.id}/move`)).statusCode).toBe(303);
    expect((await form({}, `${page}/slots/${early.id}/remove`)).statusCode).toBe(303);
    expect((await committee.get(page)).body).toContain('No conflicts.');
  });

  it('refuses to publish over conflicts, saying why at the publish button', async () => {
    const morning = await handle.db.selectFrom('slots').select('id').where('title', '=', 'Morning talk').executeTakeFirstOrThrow();
    await form({ date: '2027-05-12', start: '14:15' }, `${page}/slots/${morning.id}/move`);
    const refused = await form({ to: 'tentative' }, `${page}/publish`);
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('the schedule has 2 conflicts: Guest 1 speaks in two overlapping slots');
    expect(refused.body).toContain('tick “publish despite the conflicts” to publish anyway');
    expect(refused.body).toContain('id="publish"');
    await form({ date: '2027-05-12', start: '13:30' }, `${page}/slots/${morning.id}/move`);
  });

  it('keeps the agenda off the public page until published, then shows it tentative with a changelog', async () => {
    const anon = new Client(app);
    const before = await anon.get(`/invtest/${year}/`);
    expect(before.body).not.toContain('Morning talk');
    expect(before.body).not.toContain('id="agenda"');
    // A new edition with nobody on its committee yet shows no empty Committee heading.
    expect(before.body).not.toContain('id="committee"');
    // Another edition's changelog first, so that this one's numbers are not the rows' ids.
    const other = await makeEdition(handle.db);
    for (const summary of ['Elsewhere 1', 'Elsewhere 2', 'Elsewhere 3']) {
      await handle.db.insertInto('schedule_changes').values({ edition_id: other, created_at: new Date(), actor: 'test', kind: 'publish', summary, slot_id: null, before: null, after: null, notified: '[]' }).execute();
    }
    const pub = await form({ to: 'tentative' }, `${page}/publish`);
    expect(pub.statusCode).toBe(303);
    const after = await anon.get(`/invtest/${year}/`);
    expect(after.body).toMatch(/id="agenda">\s*Agenda\s*<strong class="badge tentative"><span class="text-only">\(<\/span>Tentative<span class="text-only">\)<\/span><\/strong>/);
    expect(after.body).toContain('Morning talk');
    expect(after.body).toContain(`/invtest/${year}/changes/`);

    const log1 = await anon.get(`/invtest/${year}/changes/`);
    expect(log1.body).toContain('The schedule is published (tentative).');
    expect(log1.body).not.toContain('since you last looked');
    const lunch = await handle.db.selectFrom('slots').select('id').where('title', '=', 'Lunch').executeTakeFirstOrThrow();
    await form({ date: '2027-05-12', start: '12:00' }, `${page}/slots/${lunch.id}/move`);
    const log2 = await anon.get(`/invtest/${year}/changes/`);
    expect(log2.body).toContain('1 change since you last looked');
    expect(log2.body).toContain('“Lunch” moved from Wednesday 12:30–13:30 to Wednesday 12:00–13:00');
    const log3 = await anon.get(`/invtest/${year}/changes/`);
    expect(log3.body).toContain('Nothing has changed since you last looked.');
    // Numbered within this changelog, from 1, whatever other editions logged.
    expect(log3.body).toContain('<li id="change-2"><a href="#change-2" class="muted">#2</a>');
    expect(log3.body).toContain('<li id="change-1"><a href="#change-1" class="muted">#1</a>');
    expect((await anon.get(`/invtest/${year}/changes/?since=1`)).body).toContain('1 change since you last looked');

    // The speakers' notices wait for more changes; the committee may send them at once.
    const morning = await handle.db.selectFrom('slots').select('id').where('title', '=', 'Morning talk').executeTakeFirstOrThrow();
    await form({ date: '2027-05-12', start: '16:00' }, `${page}/slots/${morning.id}/move`);
    const waiting = await committee.get(page);
    expect(waiting.body).toMatch(/2 change notices to speakers waiting; the first goes at \d\d:\d\d UTC/);
    const sent = await form({}, `${page}/notify`);
    expect(decodeURIComponent(sent.headers.location as string)).toContain('2 change notices to speakers will go out now.');
    expect((await committee.get(page)).body).not.toContain('change notice to speakers waiting');
  });

  it('lets a day outside the edition’s dates go with its last slot, and removes or resets a day without slots', async () => {
    const notice = (res: { headers: Record<string, unknown> }) => decodeURIComponent(String(res.headers.location));
    const stray = await form({ date: '2027-06-01', start: '09:00', kind: 'talk', title: 'Stray' });
    expect(stray.statusCode).toBe(303);
    expect((await committee.get(page)).body).toContain('This day is not among the edition’s dates: move its slots to one that is.');
    const strayId = (await handle.db.selectFrom('slots').select('id').where('title', '=', 'Stray').executeTakeFirstOrThrow()).id;
    expect((await form({}, `${page}/slots/${strayId}/remove`)).statusCode).toBe(303);
    expect((await committee.get(page)).body).not.toContain('June 1, 2027');

    // Hours set on a day outside the dates: it stays, and "Remove this day" removes it.
    expect((await form({ date: '2027-06-02', start: '10:00', end: '17:00' }, `${page}/days`)).statusCode).toBe(303);
    const listed = await committee.get(page);
    expect(listed.body).toMatch(/This day is not among the edition’s dates\.<\/p><p><form method="post" action="[^"]*\/days\/remove" class="inline">/);
    // The button is named by its day's heading, for a screen reader's list of buttons: several empty days may each
    // have one. lynx reads the heading right above it: words hidden beside the button read it twice.
    expect(listed.body).toContain('<h2 id="day-2027-06-02">Wednesday, June 2, 2027</h2>');
    expect(listed.body).toContain('<button type="submit" class="danger" id="day-2027-06-02-remove" aria-labelledby="day-2027-06-02-remove day-2027-06-02">Remove this day</button>');
    const removed = await form({ date: '2027-06-02' }, `${page}/days/remove`);
    expect(removed.statusCode).toBe(303);
    expect(notice(removed)).toContain('Removed 2027-06-02 from the schedule.');
    expect((await committee.get(page)).body).not.toContain('June 2, 2027');

    // Hours that end before they start: refused, naming the field, with what was typed kept.
    const backwards = await form({ date: '2027-05-13', start: '10:00', end: '09:30' }, `${page}/days`);
    expect(backwards.statusCode).toBe(400);
    expect(backwards.body).toContain('<strong class="error-text"> Day ends: must be after the start (10:00)</strong>');
    expect(backwards.body).toMatch(/<input id="h-end-2027-05-13" name="end" value="09:30"[^>]*aria-invalid="true"/);

    // A date of the edition without slots but with hours and a name: public in the schedule files, and reset.
    expect((await form({ date: '2027-05-13', start: '10:00', end: '17:00', label: 'Hacking <day>' }, `${page}/days`)).statusCode).toBe(303);
    const named = await committee.get(page);
    expect(named.body).toContain('<h2 id="day-2027-05-13">Hacking &lt;day> — Thursday, May 13, 2027</h2>');
    // In an attribute kitajs escapes the quote and the ampersand; '<' is harmless there.
    expect(named.body).toContain('<input id="h-label-2027-05-13" name="label" value="Hacking <day>"');
    // The day drop-downs name it with its date, as the heading does.
    expect(named.body).toContain('<option value="2027-05-13">Hacking &lt;day> (Thursday, May 13, 2027)</option>');
    expect(named.body).not.toMatch(/<option value="2027-05-13"[^>]*>Hacking &lt;day><\/option>/);
    expect((await app.inject(`/invtest/${year}/schedule.xml`)).statusCode).toBe(200);
    expect((await committee.get(page)).body).toContain('>Reset to 08:00–20:00</button>');
    const reset = await form({ date: '2027-05-13' }, `${page}/days/remove`);
    expect(notice(reset)).toContain('Thursday, May 13, 2027 runs 08:00–20:00 again.');
    const after = await committee.get(page);
    expect(after.body).toContain('Thursday, May 13, 2027');
    expect(after.body).not.toContain('Reset to');
    expect(after.body).not.toContain('Remove this day');
  });

  it('puts a slot on a date off the edition’s days, and adds or changes a day, by plain forms', async () => {
    const notice = (res: { headers: Record<string, unknown> }) => new URL(String(res.headers.location), 'http://x').searchParams.get('notice');
    const dayOf = async (date: string) => handle.db.selectFrom('agenda_days').select(['date', 'label', 'start_time', 'end_time']).where('date', '=', date).executeTakeFirst();
    const slotDate = async (id: number) =>
      (await handle.db.selectFrom('slots').innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id').select('agenda_days.date').where('slots.id', '=', id).executeTakeFirstOrThrow()).date;
    const builder = (await committee.get(page)).body;
    expect(builder).toContain('<label for="f-otherDate">or another date</label>');
    expect(builder).toContain(`<form method="post" action="${page}/days#add-day">`);

    // The dinner the evening before: the date typed wins over the day chosen, and becomes a day, flagged.
    const drinks = await form({ date: '2027-05-11', otherDate: '2027-05-09', start: '19:00', lengthMinutes: '120', kind: 'social', title: 'Welcome drinks' });
    expect(drinks.statusCode).toBe(303);
    expect(notice(drinks)).toBe('Added “Welcome drinks” on May 9, 2027, 19:00 — 1 conflict, listed below.');
    const id = (await handle.db.selectFrom('slots').select('id').where('title', '=', 'Welcome drinks').executeTakeFirstOrThrow()).id;
    expect(await slotDate(id)).toBe('2027-05-09');
    const shown = await committee.get(drinks.headers.location as string);
    expect(shown.body).toContain('<h2 id="day-2027-05-09">Sunday, May 9, 2027</h2>');
    expect(shown.body).toMatch(new RegExp(`id="slot-${id}" class="slot social conflict"`));

    // A day of its own, with its hours and name; "Add a day" again with a date listed changes its hours, keeping its name.
    const evening = await form({ add: 'yes', date: '2027-05-10', start: '18:00', end: '23:00', label: 'Welcome evening' }, `${page}/days`);
    expect(evening.statusCode).toBe(303);
    expect(notice(evening)).toBe('Welcome evening — Monday, May 10, 2027 now runs 18:00–23:00.');
    expect(await dayOf('2027-05-10')).toEqual({ date: '2027-05-10', label: 'Welcome evening', start_time: '18:00', end_time: '23:00' });
    expect((await committee.get(page)).body).toContain('<h2 id="day-2027-05-10">Welcome evening — Monday, May 10, 2027</h2>');
    expect((await form({ add: 'yes', date: '2027-05-10', start: '17:00', end: '', label: '' }, `${page}/days`)).statusCode).toBe(303);
    expect(await dayOf('2027-05-10')).toEqual({ date: '2027-05-10', label: 'Welcome evening', start_time: '17:00', end_time: '23:00' });

    // The row's "Move to" takes a date typed too; so does the edit form.
    const moved = await form({ date: '2027-05-12', otherDate: '2027-05-10', start: '19:30' }, `${page}/slots/${id}/move`);
    expect(moved.statusCode).toBe(303);
    expect(notice(moved)).toBe('Moved “Welcome drinks” to May 10, 2027, 19:30 — 1 conflict, listed below.');
    expect(await slotDate(id)).toBe('2027-05-10');
    // The day the slot left, which had nothing of its own, goes with it.
    expect(await dayOf('2027-05-09')).toBeUndefined();
    const edited = await committee.submit(`${page}?edit=${id}`, `${page}/slots/${id}`, { date: '2027-05-10', otherDate: '2027-05-08', start: '19:00', lengthMinutes: '120', kind: 'social', title: 'Welcome drinks' });
    expect(edited.statusCode).toBe(303);
    expect(notice(edited)).toBe('Saved “Welcome drinks” — 1 conflict, listed below.');
    expect(await slotDate(id)).toBe('2027-05-08');

    expect((await form({}, `${page}/slots/${id}/remove`)).statusCode).toBe(303);
    expect((await form({ date: '2027-05-10' }, `${page}/days/remove`)).statusCode).toBe(303);
    expect(await dayOf('2027-05-08')).toBeUndefined();
    expect(await dayOf('2027-05-10')).toBeUndefined();
  });

  it('says a wrong date beside the field it was typed in, keeps what was typed, and writes nothing', async () => {
    const slotsBefore = await handle.db.selectFrom('slots').select(['id', 'day_id', 'start_time']).orderBy('id').execute();
    const daysBefore = await handle.db.selectFrom('agenda_days').selectAll().orderBy('id').execute();

    const unreal = await form({ date: '2027-05-11', otherDate: '2027-02-30', start: '19:00', kind: 'social', title: 'Dinner <early>' });
    expect(unreal.statusCode).toBe(400);
    expect(unreal.body).toContain('Another date: 2027-02-30 is not a real date');
    expect(unreal.body).toMatch(/<input id="f-otherDate" name="otherDate" value="2027-02-30"[^>]*aria-invalid="true"/);
    expect(unreal.body).toContain('<strong id="f-otherDate-error" class="error-text">2027-02-30 is not a real date</strong>');
    expect(unreal.body).toContain('id="f-title" name="title" value="Dinner <early>"');
    expect(unreal.body).toMatch(/id="f-start" name="start" value="19:00"/);

    const far = await form({ date: '2027-05-11', otherDate: '2027-07-01', start: '19:00', kind: 'social', title: 'Dinner' });
    expect(far.statusCode).toBe(400);
    expect(far.body).toMatch(/<strong id="f-otherDate-error" class="error-text">Thursday, July 1, 2027 is 49 days after Netconf \d+ \([^)]*\): a day of its schedule is at most 31 days off its dates<\/strong>/);

    const lunch = (await handle.db.selectFrom('slots').select('id').where('title', '=', 'Lunch').executeTakeFirstOrThrow()).id;
    const move = await form({ date: '2027-05-12', otherDate: '2027-02-30', start: '12:00' }, `${page}/slots/${lunch}/move`);
    expect(move.statusCode).toBe(400);
    const row = move.body.slice(move.body.indexOf(`id="slot-${lunch}"`));
    expect(row).toMatch(new RegExp(`<input id="mv-other-${lunch}" name="otherDate" value="2027-02-30"[^>]*aria-invalid="true"`));
    expect(row).toContain('Not moved. Date: 2027-02-30 is not a real date');

    for (const [date, why] of [
      ['2027-02-30', '2027-02-30 is not a real date'],
      ['2027-07-01', 'is 49 days after'],
    ] as const) {
      const day = await form({ add: 'yes', date, start: '18:00', end: '23:00', label: 'Welcome <evening>' }, `${page}/days`);
      expect(day.statusCode, date).toBe(400);
      expect(day.body).toMatch(new RegExp(`<input id="nd-date" name="date" value="${date}"[^>]*aria-invalid="true" aria-describedby="nd-date-error"`));
      expect(day.body).toMatch(new RegExp(`<strong id="nd-date-error" class="error-text">[^<]*${why}`));
      expect(day.body).toContain('<input id="nd-start" name="start" value="18:00"');
      expect(day.body).toContain('<input id="nd-label" name="label" value="Welcome <evening>"');
    }
    // Hours backwards: said at the hours, the date kept.
    const backwards = await form({ add: 'yes', date: '2027-05-10', start: '23:00', end: '18:00', label: '' }, `${page}/days`);
    expect(backwards.statusCode).toBe(400);
    expect(backwards.body).toContain('<strong id="nd-end-error" class="error-text">must be after the start (23:00)</strong>');
    expect(backwards.body).toContain('<input id="nd-date" name="date" value="2027-05-10"');

    expect(await handle.db.selectFrom('slots').select(['id', 'day_id', 'start_time']).orderBy('id').execute()).toEqual(slotsBefore);
    expect(await handle.db.selectFrom('agenda_days').selectAll().orderBy('id').execute()).toEqual(daysBefore);
  });

  it('places a dragged slot from where it was dropped, in time that passes, and offers the same as a plain form', async () => {
    // Berlin's clocks go back from 03:00 to 02:00 on Sunday, October 31, 2100.
    const e = await makeEdition(handle.db, { time_zone: 'Europe/Berlin', start_date: '2100-10-30', end_date: '2100-11-01', answer_by: '2100-10-01' });
    const at = `/admin/editions/invtest/${(await handle.db.selectFrom('editions').select('year').where('id', '=', e).executeTakeFirstOrThrow()).year}/schedule`;
    const add = async (fields: Record<string, string>) => {
      expect((await committee.submit(at, `${at}/slots`, { kind: 'talk', room: 'Main', ...fields })).statusCode).toBe(303);
      return (await handle.db.selectFrom('slots').select('id').where('title', '=', fields.title!).executeTakeFirstOrThrow()).id;
    };
    expect((await committee.submit(at, `${at}/days`, { date: '2100-10-31', start: '00:00', end: '20:00' })).statusCode).toBe(303);
    // Two hours on the clock that night, three that pass.
    const night = await add({ date: '2100-10-31', start: '01:30', end: '03:30', title: 'Night hack' });
    const keynote = await add({ date: '2100-11-01', start: '12:00', end: '13:00', title: 'Keynote' });
    const drag = async (id: number, fields: Record<string, string>) => {
      const csrf = csrfOf((await committee.get(at)).body);
      return app.inject({
        method: 'POST',
        url: `${at}/slots/${id}/move`,
        headers: { cookie: [...committee.cookies].map(([k, v]) => `${k}=${v}`).join('; '), accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
      });
    };
    const when = async (id: number) =>
      handle.db.selectFrom('slots').innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id').select(['agenda_days.date', 'slots.start_time as start', 'slots.end_time as end']).where('slots.id', '=', id).executeTakeFirstOrThrow();

    // The page says where it was dropped, at the top of November 1 above the keynote: the slot ends
    // where the keynote starts, three hours after it starts (the clock's two back would overlap).
    const top = await drag(night, { date: '2100-11-01', beforeSlotId: String(keynote) });
    expect(top.statusCode).toBe(200);
    expect(top.json()).toMatchObject({ slot: { date: '2100-11-01', start: '09:00', end: '12:00' }, conflicts: [] });
    expect(new URL(top.json().next as string, 'http://x').searchParams.get('notice')).toBe('Moved “Night hack” to November 1, 2100, 09:00.');
    // A drop the schedule no longer matches (the slot above went to another day meanwhile): a message, nothing moved.
    const stale = await drag(night, { date: '2100-10-31', afterSlotId: String(keynote) });
    expect([stale.statusCode, stale.json().message]).toEqual([400, `“Keynote” (#${keynote}) is on Monday, November 1, 2100, not Sunday, October 31, 2100: nothing was moved`]);
    expect(await when(night)).toEqual({ date: '2100-11-01', start: '09:00', end: '12:00' });

    // Without JavaScript, "Place a slot": each place names its day, as a text browser shows no group's label.
    const builder = (await committee.get(at)).body;
    expect(builder).toContain(`<form method="post" action="${at}/place#place" class="place">`);
    expect(builder).toContain('<option value="top:2100-10-30">Sat, Oct 30: at the top of the day</option>');
    expect(builder).toContain(`<option value="after:${keynote}">Mon, Nov 1: after 12:00–13:00 Keynote</option>`);
    const placed = await committee.submit(at, `${at}/place`, { slotId: String(night), place: `after:${keynote}` });
    expect(placed.statusCode).toBe(303);
    expect(new URL(placed.headers.location as string, 'http://x').searchParams.get('notice')).toBe('Moved “Night hack” to November 1, 2100, 13:00.');
    expect(await when(night)).toEqual({ date: '2100-11-01', start: '13:00', end: '16:00' });
    expect((await committee.submit(at, `${at}/place`, { slotId: String(keynote), place: 'top:2100-10-30' })).statusCode).toBe(303);
    expect(await when(keynote)).toEqual({ date: '2100-10-30', start: '08:00', end: '09:00' });
    // Refused at the form, with what was chosen kept.
    const itself = await committee.submit(at, `${at}/place`, { slotId: String(night), place: `after:${night}` });
    expect(itself.statusCode).toBe(400);
    expect(itself.body).toContain('<p class="error-text" id="place-error" role="alert">Not moved. Place: a slot cannot go after itself</p>');
    expect(itself.body).toContain(`<option value="after:${night}" selected>`);
    expect(await when(night)).toEqual({ date: '2100-11-01', start: '13:00', end: '16:00' });
    // The row's "Move to" with its start left empty: the top of the day.
    expect((await committee.submit(at, `${at}/slots/${keynote}/move`, { date: '2100-11-01', start: '' })).statusCode).toBe(303);
    expect(await when(keynote)).toEqual({ date: '2100-11-01', start: '12:00', end: '13:00' });
  });

  it('says what ends a slot without an end: the next slot, or 30 minutes for the day’s last', async () => {
    expect((await form({ date: '2027-05-13', start: '09:00', kind: 'talk', title: 'First words' })).statusCode).toBe(303);
    expect((await form({ date: '2027-05-13', start: '10:00', kind: 'talk', title: 'Last words' })).statusCode).toBe(303);
    const body = (await committee.get(page)).body;
    expect(body).toMatch(/<span id="slot-\d+-time">09:00–10:00<\/span><small class="muted"> \(until the next slot\)<\/small>/);
    expect(body).toMatch(/<span id="slot-\d+-time">10:00–10:30<\/span><small class="muted"> \(30 minutes: no slot follows\)<\/small>/);
  });

  it('warns of a missing time zone on the builder, and publishes without one only when told to', async () => {
    expect((await committee.get(page)).body).not.toContain('no time zone');
    const e = await makeEdition(handle.db, { start_date: '2101-05-11', end_date: '2101-05-12', answer_by: '2101-04-10' });
    const y = (await handle.db.selectFrom('editions').select('year').where('id', '=', e).executeTakeFirstOrThrow()).year;
    const at = `/admin/editions/invtest/${y}/schedule`;
    const zoneless =
      'Netconf 2026 has no time zone: its schedule would be published with floating times, which calendars and conference apps show at that hour in whatever zone the reader is in; set one on the edition’s page under “Time zone”, or tick “publish without a time zone” to publish anyway';
    // No slot yet either: both reasons at once, not one after the other.
    const empty = await committee.submit(at, `${at}/publish`, { to: 'tentative' });
    expect(empty.statusCode).toBe(409);
    expect(empty.body).toContain(`the schedule has no slots yet; and ${zoneless}`);
    expect((await committee.submit(at, `${at}/slots`, { date: '2101-05-11', start: '09:00', lengthMinutes: '30', kind: 'break', title: 'Coffee' })).statusCode).toBe(303);
    const builder = (await committee.get(at)).body;
    expect(builder).toContain(`This edition has no time zone: published, its times would be floating times, shown at that hour wherever a reader is. Set one under “Time zone” on <a href="/admin/editions/invtest/${y}">the edition’s page</a>.`);
    expect(builder).toContain('<input type="checkbox" name="floating" value="yes" /> publish without a time zone');
    const refused = await committee.submit(at, `${at}/publish`, { to: 'tentative' });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain(`<p class="error-text" role="alert">${zoneless}</p>`);
    expect((await handle.db.selectFrom('editions').select('status').where('id', '=', e).executeTakeFirstOrThrow()).status).toBe('planned');
    // The button's words say who publishing mails, and that nobody is when no slot names a speaker.
    expect(builder).toContain('Publishing mails each speaker on the schedule where they are on it (template schedule-published).');
    expect(builder).toContain('A speaker with no address known is not mailed, and the notice names them; with no speaker on the schedule, nobody is.');
    const pub = await committee.submit(at, `${at}/publish`, { to: 'tentative', floating: 'yes' });
    expect(pub.statusCode).toBe(303);
    expect((await handle.db.selectFrom('editions').select('status').where('id', '=', e).executeTakeFirstOrThrow()).status).toBe('tentative');
    // Nobody invited, nobody speaking: the notice says no one was told, and why.
    expect(new URL(pub.headers.location as string, 'http://x').searchParams.get('notice')).toBe(
      'The schedule is published, marked tentative. No one to tell: no slot names a speaker, and Netconf 2026 has no accepted invitee; nothing was mailed.',
    );
    const tentative = (await committee.get(at)).body;
    expect(tentative).toContain('Final: the page no longer says “Tentative”, and each speaker on the schedule is mailed that it is final, with where they are on it (template schedule-final).');
    const final = await committee.submit(at, `${at}/publish`, { to: 'final', floating: 'yes' });
    expect(new URL(final.headers.location as string, 'http://x').searchParams.get('notice')).toBe(
      'The schedule is final. No one to tell: no slot names a speaker, and Netconf 2026 has no accepted invitee; nothing was mailed.',
    );
    // The public agenda says its times are in no known zone.
    expect((await new Client(app).get(`/invtest/${y}/`)).body).toContain('Times are local to the venue; its time zone is not given.');
  });

  it('names the speakers publishing could not mail, for want of an address, beside those it did', async () => {
    const e = await makeEdition(handle.db, { time_zone: 'Europe/Lisbon', start_date: '2102-05-11', end_date: '2102-05-12', answer_by: '2102-04-10' });
    const y = (await handle.db.selectFrom('editions').select('year').where('id', '=', e).executeTakeFirstOrThrow()).year;
    const at = `/admin/editions/invtest/${y}/schedule`;
    const [guest] = await inviteGuests(deps, e, 1, 70);
    await acceptInvitation(deps, { token: guest!.token });
    const guestId = (await handle.db.selectFrom('invitations').select('person_id').where('id', '=', guest!.id).executeTakeFirstOrThrow()).person_id;
    // An attendee as an archive lists them: a name, no address anywhere.
    const name = 'Cy <b>Archive</b>';
    const cy = await handle.db.insertInto('people').values({ slug: `cy-archive-${y}`, name, name_key: `cy archive ${y}` }).returning('id').executeTakeFirstOrThrow();
    await handle.db.insertInto('attendances').values({ edition_id: e, person_id: cy.id, name_as_listed: name, email_as_listed: null, source: 'invitees', position: 1, affiliation_as_listed: null }).execute();
    const added = await committee.submit(at, `${at}/slots`, { date: '2102-05-11', start: '09:00', end: '09:30', kind: 'talk', title: 'Panel', speaker0: String(guestId), speaker1: String(cy.id) });
    expect(added.statusCode).toBe(303);

    const pub = await committee.submit(at, `${at}/publish`, { to: 'tentative' });
    expect(pub.statusCode).toBe(303);
    const notice = `The schedule is published, marked tentative. 1 of its 2 speakers is mailed that it is published, with where they are on it (schedule-published). Not mailed, as no address of theirs is known: ${name}.`;
    expect(new URL(pub.headers.location as string, 'http://x').searchParams.get('notice')).toBe(notice);
    const shown = (await committee.get(pub.headers.location as string)).body;
    expect(shown).toContain('Not mailed, as no address of theirs is known: Cy &lt;b>Archive&lt;/b>.');
    expect(shown).not.toContain('<b>Archive</b>');
    const mailed = await handle.db.selectFrom('outbox').select('to_address').where('edition_id', '=', e).where('kind', '=', 'schedule-published').execute();
    expect(mailed.map((m) => m.to_address)).toEqual([guest!.email]);
  });
});

/**
 * The invitee's page over HTTP: a detail the rules refuse comes back at its field, with what was
 * typed, and nothing is written.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { addCommitteeMember } from '../../src/domain/committee/accounts.js';
import { overrideState } from '../../src/domain/invitations/committee-actions.js';
import { buildApp } from '../../src/web/app.js';
import { testDatabases } from '../support/db.js';
import { Client, fieldValue } from '../support/http.js';
import { lynxDump } from '../support/lynx.js';
import { inviteGuests, makeDeps, makeEdition, row } from './fixtures.js';

type Guest = Awaited<ReturnType<typeof inviteGuests>>[number];

describe.each(testDatabases())('the invitee page on $name', ({ open }) => {
  let handle: Db;
  let app: FastifyInstance;
  let sent: Awaited<ReturnType<typeof inviteGuests>>;
  let editionId: number;
  beforeAll(async () => {
    handle = await open();
    // Real time, as the client drops a cookie whose expiry has passed; the edition is ahead.
    const deps = makeDeps(handle.db, new Date().toISOString());
    editionId = await makeEdition(handle.db, {
      start_date: '2999-05-11',
      end_date: '2999-05-13',
      answer_by: '2999-04-10',
      colocated_name: 'Netdev 0x99',
      colocated_start: '2999-05-14',
      colocated_end: '2999-05-16',
      colocated_place: 'Lisbon',
    });
    sent = await inviteGuests(deps, editionId, 2, 400);
    await overrideState(deps, { accountId: null, label: 'test' }, { id: sent[1]!.id, state: 'expired', reason: 'closed' });
    app = await buildApp({ db: handle.db, clock: deps.clock, mail: deps.mail, limits: { signin: 1000, invitation: 1000 } });
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  it('says which event the edition is held with, as its public page does', async () => {
    const page = await app.inject(`/invitation/${sent[0]!.token}`);
    expect(page.body).toContain('<dt>Held with</dt><dd>Netdev 0x99, May 14–16, 2999, Lisbon</dd>');
  });

  it('shows its own notices only, not a name every object has', async () => {
    const page = `/invitation/${sent[0]!.token}`;
    expect((await app.inject(`${page}?done=accept`)).body).toContain('Thank you: your answer is saved.');
    for (const url of [`${page}?done=toString`, `${page}?done=constructor`, `${page}?done=accept&done=decline`]) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).not.toMatch(/native code|function |\[object Object\]/);
    }
  });

  it('lets no cache keep a page of a personal link, nor a committee page, and public pages revalidated only', async () => {
    for (const url of [`/invitation/${sent[0]!.token}`, `/invitation/${sent[0]!.token}/topics`, `/invitation/${sent[0]!.token}?done=accept`, '/signin', '/admin/', '/admin/mailbox', '/%61dmin/', '/%61dmin/mailbox', `/%69nvitation/${sent[0]!.token}`]) {
      expect((await app.inject(url)).headers['cache-control'], url).toBe('no-store');
    }
    expect((await app.inject('/')).headers['cache-control']).not.toBe('no-store');
    expect((await app.inject('/invitations-of-a-series/')).headers['cache-control']).toBeUndefined();
  });

  it('says before the answer that coming lists the invitee among the public attendees', async () => {
    const said = "Coming puts your name, with your affiliation, on the list of attendees on the edition's public page.";
    expect((await app.inject(`/invitation/${sent[0]!.token}`)).body).toContain(said);
    // Closed, there is nothing to answer, and nothing to say of it.
    expect((await app.inject(`/invitation/${sent[1]!.token}`)).body).not.toContain(said);
  });

  it('says where on the waiting list one waits, naming the list once', async () => {
    const deps = makeDeps(handle.db, new Date().toISOString());
    const full = await makeEdition(handle.db, { start_date: '2999-05-11', end_date: '2999-05-13', answer_by: '2999-04-10', cap: 1 });
    const [first, second] = await inviteGuests(deps, full, 2, 600);
    const c = new Client(app);
    for (const g of [first!, second!]) {
      const page = `/invitation/${g.token}`;
      expect((await c.submit(page, `${page}/answer`, { answer: 'accept' })).statusCode).toBe(303);
    }
    const body = (await app.inject(`/invitation/${second!.token}`)).body;
    expect(body).toContain('<dd><strong>Every place is taken for now: you are on the waiting list.</strong><span> You are number 1 on it; we will mail you if a place opens up.</span></dd>');
    expect(body.match(/waiting list/g)).toHaveLength(1);
  });

  it('asks no answer-by date of an invitation that can no longer be answered', async () => {
    const open = await app.inject(`/invitation/${sent[0]!.token}`);
    expect(open.body).toContain('<dt>Please answer by</dt>');
    const closed = await app.inject(`/invitation/${sent[1]!.token}`);
    expect(closed.body).toContain('The committee closed this invitation.');
    expect(closed.body).not.toContain('Please answer by');
  });

  it('asks for an answer only until one is given, then says until when it may change', async () => {
    const deps = makeDeps(handle.db, new Date().toISOString());
    const own = await makeEdition(handle.db, { start_date: '2999-05-11', end_date: '2999-05-13', answer_by: '2999-04-10' });
    const [g, h] = (await inviteGuests(deps, own, 2, 800)) as [Guest, Guest];
    const c = new Client(app);
    for (const [who, a] of [[g, 'accept'], [h, 'decline']] as const) {
      const page = `/invitation/${who.token}`;
      expect((await c.submit(page, `${page}/answer`, { answer: a })).statusCode).toBe(303);
      const body = (await app.inject(page)).body;
      expect(body, a).not.toContain('Please answer by');
      expect(body, a).toContain('<dt>You may change it until</dt><dd>April 10, 2999</dd>');
    }
    // Past the date, the answer stands: neither asked for nor said to be open to change.
    const past = await makeEdition(handle.db, { start_date: '2999-05-11', end_date: '2999-05-13', answer_by: '2999-04-10' });
    const [late] = (await inviteGuests(deps, past, 1, 810)) as [Guest];
    await overrideState(deps, { accountId: null, label: 'test' }, { id: late.id, state: 'accepted', reason: 'said yes in person' });
    await handle.db.updateTable('invitations').set({ answer_by: '2000-04-10' }).where('id', '=', late.id).execute();
    const body = (await app.inject(`/invitation/${late.token}`)).body;
    expect(body).not.toContain('Please answer by');
    expect(body).not.toContain('You may change');
    expect(body).toContain('The answer-by date, April 10, 2000, has passed: if you cannot come after all, please withdraw');
  });

  it('shows a refused affiliation at its field with what was typed, accepting nothing', async () => {
    const page = `/invitation/${sent[0]!.token}`;
    const c = new Client(app);
    const long = `Networking group, ${'x'.repeat(220)}`;
    const res = await c.submit(page, `${page}/answer`, { answer: 'accept', affiliation: long, showEmail: 'yes' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<strong id="f-affiliation-error" class="error-text">Affiliation: must be at most 200 characters</strong>');
    expect(res.body).toContain(`value="${long}"`);
    expect(res.body).toMatch(/name="showEmail" value="yes" checked/);
    expect(res.body).toContain('maxlength="200"');
    // Still the invitee's page, its buttons there: not a bare error page.
    expect(res.body).toContain('Yes, I will come');
    expect((await row(handle.db, sent[0]!.id)).state).toBe('invited');
    const ok = await c.submit(page, `${page}/answer`, { answer: 'accept', affiliation: 'Networking group' });
    expect(ok.statusCode).toBe(303);
    const saved = await c.submit(page, `${page}/details`, { affiliation: long });
    expect(saved.statusCode).toBe(400);
    expect(saved.body).toContain('Affiliation: must be at most 200 characters');
    expect(saved.body).toContain('>Save</button>');
  });

  it('shows a saved affiliation in its field as typed, so that saving it unchanged keeps it', async () => {
    const c = new Client(app);
    const page = `/invitation/${sent[0]!.token}`;
    const typed = "Eve's Lab &amp; <Test> &copy;";
    expect((await c.submit(page, `${page}/details`, { affiliation: typed })).statusCode).toBe(303);
    const shown = fieldValue((await c.get(page)).body, 'affiliation');
    expect(shown).toBe(typed);
    expect((await c.submit(page, `${page}/details`, { affiliation: shown! })).statusCode).toBe(303);
    const person = await handle.db.selectFrom('people').select('affiliation').where('id', '=', (await row(handle.db, sent[0]!.id)).person_id).executeTakeFirstOrThrow();
    expect(person.affiliation).toBe(typed);
  });

  it('tells an accepted speaker where they are on the schedule before they can say no', async () => {
    const page = `/invitation/${sent[0]!.token}`;
    expect((await app.inject(page)).body).not.toContain('You are on the schedule');
    const day = await handle.db.insertInto('agenda_days').values({ edition_id: editionId, date: '2999-05-12', label: '', position: 0 }).returning('id').executeTakeFirstOrThrow();
    const title = 'Qdisc <offload>: netdev review latency, where do patches wait for it?';
    const slot = await handle.db.insertInto('slots').values({ day_id: day.id, start_time: '10:30', end_time: '11:00', kind: 'talk', title, room: 'B', position: 0 }).returning('id').executeTakeFirstOrThrow();
    await handle.db.insertInto('slot_speakers').values({ slot_id: slot.id, person_id: (await row(handle.db, sent[0]!.id)).person_id, name_as_listed: 'Guest 400', position: 0 }).execute();
    await handle.db.insertInto('slot_speakers').values({ slot_id: slot.id, person_id: (await row(handle.db, sent[1]!.id)).person_id, name_as_listed: 'Guest 401', position: 1 }).execute();
    const body = (await app.inject(page)).body;
    // A list, not preformatted lines: a text browser wraps it at words, within its width.
    expect(body).toContain(
      `<p>You are on the schedule:</p><ul class="slots"><li><span>Sunday, May 12, 2999, 10:30–11:00: Qdisc &lt;offload>: netdev review latency, where do patches wait for it?</span><br /><span>with ${sent[1]!.name}; room B</span></li></ul>`,
    );
    expect(body).not.toContain('<pre');
    const dump = lynxDump(body, { list: false });
    expect(dump.split('\n').every((l) => l.length <= 80)).toBe(true);
    const item = dump.slice(dump.indexOf('You are on the schedule:'));
    expect(item.replace(/\s+/g, ' ')).toContain(`* Sunday, May 12, 2999, 10:30–11:00: ${title} with ${sent[1]!.name}; room B`);
    // No committee member is active yet: nobody would be told, and the page does not say so.
    expect(body).not.toContain('the committee is told');
    await addCommitteeMember({ db: handle.db }, { accountId: null, label: 'test' }, { email: 'told@example.org', name: 'Tol Chair' });
    expect((await app.inject(page)).body).toContain('If you cannot come after all, the committee is told at once');
    // The time zone the times are in is said under the list, not as a slot of it.
    await handle.db.updateTable('editions').set({ time_zone: 'Europe/Zagreb' }).where('id', '=', editionId).execute();
    expect((await app.inject(page)).body).toContain('room B</span></li></ul><p>(Times are local to the venue: Europe/Zagreb.)</p>');
    await handle.db.updateTable('editions').set({ time_zone: null }).where('id', '=', editionId).execute();
    expect(body.indexOf('You are on the schedule')).toBeLessThan(body.indexOf('value="withdraw"') >= 0 ? body.indexOf('value="withdraw"') : body.indexOf('value="decline"'));
  });
  it('confirms each answer given on the page by mail, in the invitation’s thread, once for each change', async () => {
    const deps = makeDeps(handle.db, new Date().toISOString());
    const own = await makeEdition(handle.db, { start_date: '2999-05-11', end_date: '2999-05-13', answer_by: '2999-04-10' });
    const [g] = (await inviteGuests(deps, own, 1, 700)) as [Guest];
    const inv = await row(handle.db, g.id);
    const confirmations = () =>
      handle.db.selectFrom('outbox').selectAll().where('edition_id', '=', own).where('kind', '=', 'answer-confirmed').orderBy('id').execute();
    const c = new Client(app);
    const page = `/invitation/${g.token}`;
    const answer = async (a: string, more: Record<string, string> = {}) => expect((await c.submit(page, `${page}/answer`, { answer: a, ...more })).statusCode).toBe(303);
    await answer('accept');
    let mail = await confirmations();
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ to_address: g.email, subject: 'Re: Invitation to Netconf 2026', in_reply_to: inv.invitation_message_id, invitation_id: g.id });
    expect(mail[0]!.references_ids).toContain(inv.invitation_message_id!);
    const words = (body: string) => body.replace(/\s+/g, ' ');
    expect(mail[0]!.body).toContain('given on your\npersonal page:\n\n  You are on the list of attendees of Netconf 2026.\n');
    expect(words(mail[0]!.body)).toContain('you can change your answer on your personal page (the link in your invitation mail) until April 10, 2999.');
    // Accepting again only saves the details: nothing to confirm.
    await answer('accept', { affiliation: 'Lab' });
    expect(await confirmations()).toHaveLength(1);
    // A change of mind is confirmed too.
    await answer('decline');
    mail = await confirmations();
    expect(mail).toHaveLength(2);
    expect(words(mail[1]!.body)).toContain('Your answer is no. Thank you for letting us know. Should your plans change, you can still accept until April 10, 2999.');
    expect(mail[1]!.in_reply_to).toBe(inv.invitation_message_id);
    await answer('accept');
    expect(await confirmations()).toHaveLength(3);
  });

  it('says beside Accept that every place is taken, and where accepting would put one on the waiting list', async () => {
    const deps = makeDeps(handle.db, new Date().toISOString());
    const full = await makeEdition(handle.db, { start_date: '2999-05-11', end_date: '2999-05-13', answer_by: '2999-04-10', cap: 1 });
    const [ann, bob, cat, dan] = (await inviteGuests(deps, full, 4, 500)) as [Guest, Guest, Guest, Guest];
    const c = new Client(app);
    const answer = async (g: { token: string }, a: string) => {
      const page = `/invitation/${g.token}`;
      expect((await c.submit(page, `${page}/answer`, { answer: a })).statusCode).toBe(303);
    };
    const said = async (g: { token: string }) => {
      const body = (await app.inject(`/invitation/${g.token}`)).body;
      return /<p>(Every place is taken[^<]*)<\/p>/.exec(body)?.[1] ?? null;
    };
    const waits = (n: number) => `Every place is taken now: accepting puts you on the waiting list, as number ${n}, and we will mail you if a place opens up.`;
    // With a place free, Accept takes it, and no waiting list is spoken of.
    await answer(bob, 'decline');
    expect(await said(bob)).toBeNull();
    expect(await said(ann)).toBeNull();
    await answer(ann, 'accept');
    expect((await row(handle.db, ann.id)).state).toBe('accepted');
    // The one place taken: said to one who declined, and to one who has not answered.
    expect(await said(bob)).toBe(waits(1));
    expect(await said(dan)).toBe(waits(1));
    // Said before the buttons, in the answer's form.
    const body = (await app.inject(`/invitation/${bob.token}`)).body;
    expect(body.indexOf(waits(1))).toBeGreaterThan(body.indexOf('<form method="post" action="/invitation/'));
    expect(body.indexOf(waits(1))).toBeLessThan(body.indexOf('value="accept"'));
    await answer(cat, 'accept');
    expect((await row(handle.db, cat.id)).state).toBe('waitlisted');
    expect(await said(bob)).toBe(waits(2));
    // As said: accepting now puts Bob second on the list.
    await answer(bob, 'accept');
    expect((await row(handle.db, bob.id)).state).toBe('waitlisted');
    expect((await app.inject(`/invitation/${bob.token}`)).body).toContain('<strong>Every place is taken for now: you are on the waiting list.</strong><span> You are number 2 on it;');
    expect(await said(bob)).toBeNull();
    // Places free while two wait (the cap raised behind cap.ts, which would move them up): the
    // free places go to those waiting first, so with two places Dan would still wait, first...
    await handle.db.updateTable('editions').set({ cap: 3 }).where('id', '=', full).execute();
    expect(await said(dan)).toBe(waits(1));
    // ...and with three one is left for him, which accepting takes.
    await handle.db.updateTable('editions').set({ cap: 4 }).where('id', '=', full).execute();
    expect(await said(dan)).toBeNull();
    await answer(dan, 'accept');
    expect((await row(handle.db, dan.id)).state).toBe('accepted');
  });
});

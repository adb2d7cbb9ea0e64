/**
 * Topic proposals through the pages: the invitee proposes, edits and withdraws from their
 * personal link (accepted invitees only), co-presenters picked among the accepted attendees;
 * the committee decides on its admin page. Every POST needs its CSRF token, and an abstract
 * with markup is shown escaped on both sides.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { addCommitteeMember } from '../../src/domain/committee/accounts.js';
import { createSigninLink } from '../../src/domain/committee/signin.js';
import { acceptInvitation, declineInvitation, withdrawInvitation } from '../../src/domain/invitations/rsvp.js';
import { listAudit } from '../../src/domain/audit/record.js';
import { listOutbox } from '../../src/domain/mail/outbox.js';
import { decideTopic, listTopics, proposeTopic } from '../../src/domain/program/topics.js';
import { buildApp } from '../../src/web/app.js';
import { testDatabases } from '../support/db.js';
import { Client, csrfOf } from '../support/http.js';
import { COMMITTEE, guestEmail, guestName, inviteGuests, makeDeps, makeEdition, row } from '../invitations/fixtures.js';

const XSS = '<script>alert("x")</script> and **bold**';

describe.each(testDatabases())('topic pages on $name', ({ open }) => {
  let handle: Db;
  let app: FastifyInstance;
  let deps: ReturnType<typeof makeDeps>;
  let editionId: number;
  let admin: string;
  let tokens: string[];
  let people: number[];

  beforeAll(async () => {
    handle = await open();
    // Real time, as the client drops a session cookie whose expiry has passed; the edition is ahead.
    deps = makeDeps(handle.db, new Date().toISOString());
    await addCommitteeMember(deps, { accountId: null, label: 'test' }, { email: 'chair@example.org', name: 'Pat Chair' });
    editionId = await makeEdition(handle.db, { start_date: '2999-05-11', end_date: '2999-05-13', answer_by: '2999-04-10' });
    const e = await handle.db.selectFrom('editions').select('year').where('id', '=', editionId).executeTakeFirstOrThrow();
    admin = `/admin/editions/invtest/${e.year}/topics`;
    // Guests 200, 201 and 202 accept; 203 does not answer.
    const sent = await inviteGuests(deps, editionId, 4, 200);
    for (const s of sent.slice(0, 3)) await acceptInvitation(deps, { token: s.token });
    tokens = sent.map((s) => s.token);
    people = [];
    for (const s of sent) people.push((await row(handle.db, s.id)).person_id);
    app = await buildApp({ db: handle.db, clock: deps.clock, mail: deps.mail, limits: { signin: 1000, invitation: 1000 } });
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  async function committee(): Promise<Client> {
    const c = new Client(app);
    // Made as the command makes one: more than the 5 links an address may ask for in 15 minutes.
    const link = await createSigninLink(deps, { email: 'chair@example.org' }, COMMITTEE);
    const path = new URL(link!.link).pathname;
    expect((await c.submit(path, path, {})).statusCode).toBe(303);
    return c;
  }

  it('links to the topics from an accepted invitee’s page, and only theirs', async () => {
    const c = new Client(app);
    const page = await c.get(`/invitation/${tokens[0]}`);
    expect(page.body).toContain(`href="/invitation/${tokens[0]}/topics"`);
    const other = await c.get(`/invitation/${tokens[3]}`);
    expect(other.statusCode).toBe(200);
    expect(other.body).not.toContain('/topics"');
  });

  it('shows a clear page, and no form, to an invitee who has not accepted', async () => {
    const c = new Client(app);
    // Their own page, which they may read (their topics, if any): 200, as their materials page; a proposal is refused.
    const res = await c.get(`/invitation/${tokens[3]}/topics`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Only attendees who have accepted their invitation to Netconf 2026 may propose topics.');
    expect(res.body).not.toContain('name="title"');
    const post = await c.post(`/invitation/${tokens[3]}/topics`, { _csrf: csrfOf((await c.get(`/invitation/${tokens[3]}`)).body), title: 'Sneaky' });
    expect(post.statusCode).toBe(403);
    expect(await listTopics(deps, { editionId })).toEqual([]);
    expect((await c.get('/invitation/not-a-token/topics')).statusCode).toBe(410);
  });

  it('lets an accepted invitee propose with a co-presenter, the abstract shown escaped', async () => {
    const c = new Client(app);
    const form = await c.get(`/invitation/${tokens[0]}/topics`);
    expect(form.statusCode).toBe(200);
    expect(form.headers['referrer-policy']).toBe('no-referrer');
    // The co-presenters offered: the other accepted attendees, not the proposer, not the invited.
    expect(form.body).toContain(`value="${people[1]}"`);
    expect(form.body).toContain(guestName(202));
    expect(form.body).not.toContain(`value="${people[0]}"`);
    expect(form.body).not.toContain(guestName(203));

    const noToken = await c.post(`/invitation/${tokens[0]}/topics`, { title: 'No token' });
    expect(noToken.statusCode).toBe(403);

    const bad = await c.post(`/invitation/${tokens[0]}/topics`, { _csrf: csrfOf(form.body), title: ' ', abstract: 'kept as typed', wishedMinutes: '3' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('id="f-title-error"');
    expect(bad.body).toContain('must not be empty');
    expect(bad.body).toContain('must be at least 5 minutes');
    expect(bad.body).toContain('kept as typed');

    const notAccepted = await c.post(`/invitation/${tokens[0]}/topics`, { _csrf: csrfOf(form.body), title: 'T', coPresenterIds: String(people[3]) });
    expect(notAccepted.statusCode).toBe(400);
    expect(notAccepted.body).toContain(`${guestName(203)} is not an accepted attendee of Netconf 2026`);

    const ok = await c.post(`/invitation/${tokens[0]}/topics`, { _csrf: csrfOf(form.body), title: 'XDP offloads', abstract: XSS, wishedMinutes: '45', coPresenterIds: String(people[1]) });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`/invitation/${tokens[0]}/topics?done=proposed`);
    // Its own notices only: "toString" is a name every object has.
    for (const done of ['toString', '__proto__', 'constructor']) {
      const odd = await c.get(`/invitation/${tokens[0]}/topics?done=${done}`);
      expect(odd.statusCode, done).toBe(200);
      expect(odd.body, done).not.toMatch(/native code|function |\[object Object\]/);
    }
    const [t] = await listTopics(deps, { editionId });
    expect(t).toMatchObject({ title: 'XDP offloads', abstract: XSS, wishedMinutes: 45, state: 'proposed' });
    expect(t!.presenters.map((p) => p.id)).toEqual([people[0], people[1]]);

    const mine = await c.get(ok.headers.location as string);
    expect(mine.body).toContain('Thank you: your topic is proposed.');
    expect(mine.body).toContain('&lt;script&gt;');
    expect(mine.body).not.toContain('<script>');
    expect(mine.body).toContain('<strong>bold</strong>');
    expect(mine.body).toContain(`/invitation/${tokens[0]}/topics/${t!.id}`);
    // Each topic a heading right under the page's, as "Propose a topic" is: no level skipped.
    expect(mine.body).toMatch(/<h2>\d+\. <span id="topic-\d+-title">XDP offloads<\/span><\/h2>/);
    const levels = [...mine.body.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
    expect(levels[0]).toBe(1);
    expect(levels.filter((l, i) => i > 0 && l > levels[i - 1]! + 1)).toEqual([]);

    // The co-presenter sees it, without the means to change it.
    const theirs = await c.get(`/invitation/${tokens[1]}/topics`);
    expect(theirs.body).toContain('XDP offloads');
    expect(theirs.body).toContain('named you as a co-presenter');
    expect(theirs.body).not.toContain(`/topics/${t!.id}/withdraw`);
    expect((await c.get(`/invitation/${tokens[1]}/topics/${t!.id}`)).statusCode).toBe(404);
  });

  it('lets the proposer edit and withdraw a topic', async () => {
    const c = new Client(app);
    const base = `/invitation/${tokens[2]}/topics`;
    const made = await c.submit(base, base, { title: 'To edit', abstract: 'first' });
    expect(made.statusCode).toBe(303);
    const t = (await listTopics(deps, { editionId })).find((x) => x.title === 'To edit')!;
    const edit = await c.get(`${base}/${t.id}`);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain('first');
    const saved = await c.post(`${base}/${t.id}`, { _csrf: csrfOf(edit.body), title: 'Edited', abstract: 'second', wishedMinutes: '' });
    expect(saved.statusCode).toBe(303);
    expect((await listTopics(deps, { editionId })).find((x) => x.id === t.id)).toMatchObject({ title: 'Edited', abstract: 'second' });
    expect((await c.post(`${base}/${t.id}/withdraw`, {})).statusCode).toBe(403);
    const gone = await c.submit(base, `${base}/${t.id}/withdraw`, {});
    expect(gone.statusCode).toBe(303);
    expect((await listTopics(deps, { editionId })).find((x) => x.id === t.id)!.state).toBe('withdrawn');
    const closed = await c.get(`${base}/${t.id}`);
    expect(closed.statusCode).toBe(409);
    // Withdrawn by the invitee: nobody decided it, and no committee's mail is there to reply to.
    expect(closed.body).toContain('You withdrew “Edited”, so it can no longer be changed.');
    expect(closed.body).not.toContain('decided');
    expect(closed.body).not.toContain('committee&#39;s mail');
    expect(closed.body).not.toContain("committee's mail");
  });

  it('lets the committee read and decide, mailing the presenters, with CSRF and field errors', async () => {
    const anon = await new Client(app).get(admin);
    expect(anon.statusCode).toBe(303);
    const c = await committee();
    const t = (await listTopics(deps, { editionId })).find((x) => x.title === 'XDP offloads')!;
    const page = await c.get(admin);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('&lt;script&gt;');
    expect(page.body).not.toContain('<script>');
    expect(page.body).toContain('45 minutes');
    expect(page.body).toContain(guestName(201));
    expect(page.body).toContain(`action="${admin}/${t.id}/decide"`);

    expect((await c.post(`${admin}/${t.id}/decide`, { decision: 'accept', comment: '' })).statusCode).toBe(403);
    const missing = await c.post(`${admin}/${t.id}/decide`, { _csrf: csrfOf(page.body), decision: 'decline', comment: '' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain(`id="c-${t.id}-error"`);
    expect(missing.body).toContain('a comment is required');
    // "Not decided yet", the form's default, is sent as it is: the form's words, the comment kept.
    const undecided = await c.post(`${admin}/${t.id}/decide`, { _csrf: csrfOf(page.body), decision: '', comment: 'Half a thought' });
    expect(undecided.statusCode).toBe(400);
    expect(undecided.body).toContain('The decision was not saved: choose Accept, Decline or Ask for changes: nothing was decided, and nobody mailed');
    expect(undecided.body).not.toContain('must be one of');
    expect(undecided.body).toContain('Half a thought</textarea>');

    const done = await c.post(`${admin}/${t.id}/decide`, { _csrf: csrfOf(page.body), decision: 'request-changes', comment: 'Which <drivers>?' });
    expect(done.statusCode).toBe(303);
    const after = await c.get(done.headers.location as string);
    expect(after.body).toContain(`mailed ${guestEmail(200)}, ${guestEmail(201)}`);
    expect(after.body).toContain('Which &lt;drivers>?');
    const mail = await listOutbox(deps, { kind: 'topic-decision', editionId });
    expect(mail.map((m) => m.to_address)).toEqual([guestEmail(200), guestEmail(201)]);
    expect(mail[0]!.body).toContain('Which <drivers>?');

    // The proposer sees the comment, edits, and the topic is back with the committee.
    const inv = new Client(app);
    const edit = await inv.get(`/invitation/${tokens[0]}/topics/${t.id}`);
    expect(edit.body).toContain('Which &lt;drivers>?');
    expect((await inv.post(`/invitation/${tokens[0]}/topics/${t.id}`, { _csrf: csrfOf(edit.body), title: 'XDP offloads', abstract: 'mlx5 and ice', wishedMinutes: '45' })).statusCode).toBe(303);

    const again = await c.get(`${admin}?state=proposed`);
    expect(again.body).toContain('mlx5 and ice');
    // Waiting for the committee again: no date of a decision.
    expect(again.body).not.toContain('(decided ');
    expect((await inv.get(`/invitation/${tokens[0]}/topics`)).body).not.toContain('(decided ');
    const accepted = await c.post(`${admin}/${t.id}/decide`, { _csrf: csrfOf(again.body), decision: 'accept', comment: '' });
    expect(accepted.statusCode).toBe(303);
    expect((await c.get(`${admin}?state=accepted`)).body).toContain('XDP offloads');
    expect((await c.get(`${admin}?state=declined`)).body).toContain('No topic in this state.');

    // Decided: the invitee can no longer change it.
    const list = await inv.get(`/invitation/${tokens[0]}/topics`);
    expect(list.body).toContain('Accepted');
    expect(list.body).not.toContain(`/topics/${t.id}/withdraw`);
    const late = await inv.post(`/invitation/${tokens[0]}/topics/${t.id}`, { _csrf: csrfOf(list.body), title: 'Late', abstract: '' });
    expect(late.statusCode).toBe(409);

    // Scheduled, it is not declined: the committee's page says why, at the topic's form, keeping the comment.
    const day = await handle.db.insertInto('agenda_days').values({ edition_id: editionId, date: '2026-05-12', label: '', position: 0 }).returning('id').executeTakeFirstOrThrow();
    await handle.db.insertInto('slots').values({ day_id: day.id, start_time: '10:30', end_time: '11:00', kind: 'talk', title: '', topic_id: t.id, position: 0 }).execute();
    const form = await c.get(`${admin}?state=accepted`);
    const refused = await c.post(`${admin}/${t.id}/decide`, { _csrf: csrfOf(form.body), decision: 'decline', comment: 'No room after all.' });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('The decision was not saved: “XDP offloads” is on the schedule (slot #');
    expect(refused.body).toContain('No room after all.</textarea>');
  });

  it('lets the committee propose a topic for an accepted attendee, theirs to edit, keeping a refused form', async () => {
    const c = await committee();
    const page = await c.get(admin);
    // The proposer is chosen among the accepted attendees only.
    const select = /<select id="f-proposerId"[\s\S]*?<\/select>/.exec(page.body)![0];
    expect(select).toContain(`<option value="${people[2]}">${guestName(202)}</option>`);
    expect(select).not.toContain(guestName(203));
    // A space between the label and the list, or lynx reads "Proposer[(choose an accepted attendee)]".
    expect(page.body).toMatch(/Proposer<\/label> <select id="f-proposerId"/);
    const before = (await listTopics(deps, { editionId })).length;
    const mailBefore = (await listOutbox(deps, { editionId })).length;

    expect((await c.post(admin, { proposerId: String(people[2]), title: 'No token' })).statusCode).toBe(403);
    const none = await c.post(admin, { _csrf: csrfOf(page.body), proposerId: '', title: 'Kept <title>', abstract: 'kept abstract', wishedMinutes: '25' });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('<a href="#f-proposerId">Proposer: choose the attendee the topic is from</a>');
    expect(none.body).toContain('name="title" type="text" value="Kept <title>"');
    expect(none.body).toContain('kept abstract</textarea>');
    const self = await c.post(admin, { _csrf: csrfOf(none.body), proposerId: String(people[2]), title: 'Qdisc offload', coPresenterIds: String(people[2]) });
    expect(self.statusCode).toBe(400);
    expect(self.body).toContain('the proposer is already a presenter: do not list them as a co-presenter');
    expect(self.body).toContain(`<option value="${people[2]}" selected>${guestName(202)}</option>`);
    expect(await listTopics(deps, { editionId })).toHaveLength(before);

    const done = await c.post(admin, { _csrf: csrfOf(self.body), proposerId: String(people[2]), title: 'Qdisc offload', abstract: XSS, wishedMinutes: '25', coPresenterIds: String(people[0]) });
    expect(done.statusCode).toBe(303);
    const t = (await listTopics(deps, { editionId })).find((x) => x.title === 'Qdisc offload')!;
    expect([t.state, t.proposer?.id, t.presenters.map((p) => p.id), t.wishedMinutes]).toEqual(['proposed', people[2], [people[2], people[0]], 25]);
    const after = await c.get(done.headers.location as string);
    expect(after.body).toContain(`Proposed “Qdisc offload” (#${t.number}) for ${guestName(202)}; nobody was mailed.`);
    expect(after.body).not.toContain('<script>alert');
    expect(await listOutbox(deps, { editionId })).toHaveLength(mailBefore);

    // The attendee finds it on their page, theirs to edit or withdraw.
    const inv = new Client(app);
    const theirs = await inv.get(`/invitation/${tokens[2]}/topics`);
    expect(theirs.body).toContain(`href="/invitation/${tokens[2]}/topics/${t.id}"`);
    expect(theirs.body).toContain(`/topics/${t.id}/withdraw`);
  });

  it('says what a decision did when its notice is long: a long title, many presenters', async () => {
    await acceptInvitation(deps, { token: tokens[3]! });
    const c = await committee();
    const title = `${'Offloads, '.repeat(19)}the end`;
    const t = await proposeTopic(deps, COMMITTEE, { editionId, proposerId: people[0]!, title, coPresenterIds: [people[1]!, people[2]!, people[3]!], wishedMinutes: '' }, 'committee');
    const done = await c.post(`${admin}/${t.id}/decide`, { _csrf: csrfOf((await c.get(admin)).body), decision: 'request-changes', comment: 'Shorter, please.' });
    expect(done.statusCode).toBe(303);
    // The notice runs past 300 characters (“…”; mailed and four addresses): it is shown, not dropped.
    const after = await c.get(done.headers.location as string);
    expect(after.body).toContain(`Asked for changes to “${title}”; mailed ${guestEmail(200)}, ${guestEmail(201)}`);
  });

  it('lets the committee edit an accepted topic’s title, abstract and length, with CSRF, field errors and an audit record', async () => {
    const t = await proposeTopic(deps, COMMITTEE, { editionId, proposerId: people[1]!, title: 'Page pool recycling', abstract: 'Long *text*', wishedMinutes: '40', coPresenterIds: [] }, 'committee');
    await decideTopic(deps, COMMITTEE, { topicId: t.id, decision: 'accept', comment: '' });
    const c = await committee();
    const list = await c.get(`${admin}?state=accepted`);
    expect(list.body).toContain(`<span id="topic-${t.id}-title">Page pool recycling</span>`);
    expect(list.body).toContain(`<a href="${admin}/${t.id}/edit" id="topic-${t.id}-edit" aria-labelledby="topic-${t.id}-edit topic-${t.id}-title">Edit the title, abstract, length or presenters</a>`);
    const form = await c.get(`${admin}/${t.id}/edit`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(`action="${admin}/${t.id}/edit"`);
    expect(form.body).toContain('name="title" type="text" value="Page pool recycling"');
    expect(form.body).toContain('Long *text*</textarea>');
    const mailBefore = (await listOutbox(deps, { editionId })).length;

    expect((await c.post(`${admin}/${t.id}/edit`, { title: 'No token', abstract: '', wishedMinutes: '' })).statusCode).toBe(403);
    const bad = await c.post(`${admin}/${t.id}/edit`, { _csrf: csrfOf(form.body), title: 'Page pool\u001b[2J', abstract: 'Kept <b>', wishedMinutes: '2' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('<a href="#f-title">Title: must be one line of text, without control characters');
    expect(bad.body).toContain('<a href="#f-wishedMinutes">Length: must be at least 5 minutes</a>');
    expect(bad.body).toContain('id="f-title-error"');
    expect(bad.body).toContain('Kept &lt;b></textarea>');
    expect((await listTopics(deps, { editionId })).find((x) => x.id === t.id)).toMatchObject({ title: 'Page pool recycling', wishedMinutes: 40 });

    const done = await c.post(`${admin}/${t.id}/edit`, { _csrf: csrfOf(bad.body), title: 'Page pool recycling in <XDP>', abstract: 'Long *text*', wishedMinutes: '25' });
    expect(done.statusCode).toBe(303);
    const after = await c.get(done.headers.location as string);
    expect(after.body).toContain(`Topic #${t.number} “Page pool recycling” is now “Page pool recycling in &lt;XDP>”; its length changed too; nobody was mailed.`);
    expect(after.body).toContain('25 minutes');
    expect((await listTopics(deps, { editionId })).find((x) => x.id === t.id)).toMatchObject({ title: 'Page pool recycling in <XDP>', wishedMinutes: 25, state: 'accepted' });
    expect(await listOutbox(deps, { editionId })).toHaveLength(mailBefore);
    const [audit] = (await listAudit(deps, { action: 'topic.update', entity: 'topic' })).filter((a) => a.entity_id === String(t.id));
    expect(audit).toMatchObject({ actor: 'chair@example.org', edition_id: editionId, reason: 'changed title, length' });
    expect(audit!.actor_account_id).not.toBeNull();
    expect(audit!.before).toMatchObject({ title: 'Page pool recycling', wishedMinutes: 40 });
    expect(audit!.after).toMatchObject({ title: 'Page pool recycling in <XDP>', wishedMinutes: 25 });

    // The title alone: the notice says which topic it was; another field alone, only what changed.
    const renamed = await c.post(`${admin}/${t.id}/edit`, { _csrf: csrfOf(after.body), title: 'Page pool recycling in XDP', abstract: 'Long *text*', wishedMinutes: '25' });
    expect((await c.get(renamed.headers.location as string)).body).toContain(`Topic #${t.number} “Page pool recycling in &lt;XDP>” is now “Page pool recycling in XDP”; nobody was mailed.`);
    const shorter = await c.post(`${admin}/${t.id}/edit`, { _csrf: csrfOf(after.body), title: 'Page pool recycling in <XDP>', abstract: 'Long *text*', wishedMinutes: '20' });
    expect((await c.get(shorter.headers.location as string)).body).toContain(`Topic #${t.number} “Page pool recycling in XDP” is now “Page pool recycling in &lt;XDP>”; its length changed too; nobody was mailed.`);
    const lengthOnly = await c.post(`${admin}/${t.id}/edit`, { _csrf: csrfOf(after.body), title: 'Page pool recycling in <XDP>', abstract: 'Long *text*', wishedMinutes: '25' });
    expect((await c.get(lengthOnly.headers.location as string)).body).toContain(`Changed the length of “Page pool recycling in &lt;XDP>” (#${t.number}); nobody was mailed.`);
    const same = await c.post(`${admin}/${t.id}/edit`, { _csrf: csrfOf(after.body), title: 'Page pool recycling in <XDP>', abstract: 'Long *text*', wishedMinutes: '25' });
    expect((await c.get(same.headers.location as string)).body).toContain(`Nothing changed in “Page pool recycling in &lt;XDP>” (#${t.number}).`);
    // A topic of another edition is not found at this edition's address.
    expect((await c.get(`${admin}/${t.id + 1000}/edit`)).statusCode).toBe(404);
  });

  it('lets the committee take a presenter who withdrew off a topic on its edit form, ticked as it is', async () => {
    // Guest 200 proposes with 202, accepted; 202 withdraws.
    const t = await proposeTopic(deps, COMMITTEE, { editionId, proposerId: people[0]!, title: 'Page pool, what next', abstract: '', wishedMinutes: '', coPresenterIds: [people[2]!] }, 'committee');
    await decideTopic(deps, COMMITTEE, { topicId: t.id, decision: 'accept', comment: '' });
    await withdrawInvitation(deps, { token: tokens[2]! });
    const c = await committee();
    // The list says so too, beside the name.
    const list = await c.get(admin);
    expect(list.body).toContain(`<dd>${guestName(200)}, ${guestName(202)} (the invitation is withdrawn)</dd>`);
    const form = await c.get(`${admin}/${t.id}/edit`);
    expect(form.statusCode).toBe(200);
    const box = (id: number) => {
      const tag = new RegExp(`<input type="checkbox" name="presenterIds" value="${id}"[^>]*>`).exec(form.body)?.[0];
      return tag === undefined ? 'absent' : /\schecked\b/.test(tag) ? 'ticked' : 'not ticked';
    };
    // Its presenters ticked, in order, the one who withdrew said so; other accepted attendees offered.
    expect([box(people[0]!), box(people[2]!), box(people[1]!), box(0)]).toEqual(['ticked', 'ticked', 'not ticked', 'absent']);
    expect(form.body.indexOf(`value="${people[0]}"`)).toBeLessThan(form.body.indexOf(`value="${people[2]}"`));
    expect(form.body).toContain(`${guestName(202)}</span><strong class="error-text"> (the invitation is withdrawn: untick to take them off)</strong>`);

    // None ticked is refused at the field; nothing changes.
    const values = { title: 'Page pool, what next', abstract: '', wishedMinutes: '', presentersShown: '1' };
    const none = await c.post(`${admin}/${t.id}/edit`, { _csrf: csrfOf(form.body), ...values });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('<a href="#f-presenterIds">Presenters: a topic keeps at least one presenter: name who presents it</a>');
    const done = await c.post(`${admin}/${t.id}/edit`, { _csrf: csrfOf(form.body), ...values, presenterIds: String(people[0]) });
    expect(done.statusCode).toBe(303);
    expect((await c.get(done.headers.location as string)).body).toContain(`Changed the presenters of “Page pool, what next” (#${t.number}); nobody was mailed.`);
    expect((await listTopics(deps, { editionId })).find((x) => x.id === t.id)!.presenters.map((p) => p.name)).toEqual([guestName(200)]);
    const [audit] = (await listAudit(deps, { action: 'topic.update', entity: 'topic' })).filter((a) => a.entity_id === String(t.id));
    expect(audit).toMatchObject({ actor: 'chair@example.org', reason: 'changed presenters' });
  });

  it('shows an accepted topic’s decision form with its decision chosen, and says keeping it changes nothing', async () => {
    const t = await proposeTopic(deps, COMMITTEE, { editionId, proposerId: people[1]!, title: 'Kept as accepted', abstract: '', wishedMinutes: '', coPresenterIds: [] }, 'committee');
    await decideTopic(deps, COMMITTEE, { topicId: t.id, decision: 'accept', comment: '' });
    const c = await committee();
    const page = await c.get(`${admin}?state=accepted`);
    const form = page.body.slice(page.body.indexOf(`action="${admin}/${t.id}/decide"`));
    const radios = [...form.slice(0, form.indexOf('</form>')).matchAll(/<input type="radio" name="decision" value="([^"]*)"[^>]*>\s*<span>([^<]*)<\/span>/g)].map((m) => [m[1], /\schecked\b/.test(m[0]), m[2]]);
    expect(radios).toEqual([
      ['', true, 'Accepted: keep it so'],
      ['decline', false, 'Decline it instead'],
    ]);
    const mailBefore = (await listOutbox(deps, { editionId })).length;
    const kept = await c.post(`${admin}/${t.id}/decide`, { _csrf: csrfOf(page.body), decision: '', comment: '' });
    expect(kept.statusCode).toBe(400);
    expect(kept.body).toContain('The decision was not saved: it stays accepted: choose Decline it instead to change the decision; nothing was changed, and nobody mailed');
    expect((await listTopics(deps, { editionId })).find((x) => x.id === t.id)!.state).toBe('accepted');
    expect(await listOutbox(deps, { editionId })).toHaveLength(mailBefore);
  });

  it('says, when the committee accepts a topic whose presenter declined, that they will not be there, and marks them on the list', async () => {
    // Guest 204 accepts, is named co-presenter of 201's topic, then declines (a change of mind).
    const [sent] = await inviteGuests(deps, editionId, 1, 204);
    await acceptInvitation(deps, { token: sent!.token });
    const guest = (await row(handle.db, sent!.id)).person_id;
    const t = await proposeTopic(deps, COMMITTEE, { editionId, proposerId: people[1]!, title: 'Busy <polling>', abstract: '', wishedMinutes: '', coPresenterIds: [guest] }, 'committee');
    await declineInvitation(deps, { token: sent!.token });
    const c = await committee();
    const page = await c.get(`${admin}?state=proposed`);
    // Declined, not withdrawn: the list says which.
    expect(page.body).toContain(`<dd>${guestName(201)}, ${guestName(204)} (the invitation is declined)</dd>`);
    const done = await c.post(`${admin}/${t.id}/decide`, { _csrf: csrfOf(page.body), decision: 'accept', comment: '' });
    expect(done.statusCode).toBe(303);
    const after = await c.get(done.headers.location as string);
    expect(after.body).toContain(
      `Accepted “Busy &lt;polling>”; mailed ${guestEmail(201)}, ${guestEmail(204)}. ${guestName(204)} declined the invitation: nobody may be there to present their part of “Busy &lt;polling>”.`,
    );
    expect((await listTopics(deps, { editionId })).find((x) => x.id === t.id)!.state).toBe('accepted');
  });

  it('shows an invitee who declined their topics and materials pages alike, saying why nothing can be added, their topic still theirs to withdraw', async () => {
    // Guest 205 accepts, proposes, then declines (a change of mind, before the answer-by date).
    const [sent] = await inviteGuests(deps, editionId, 1, 205);
    await acceptInvitation(deps, { token: sent!.token });
    const guest = (await row(handle.db, sent!.id)).person_id;
    const t = await proposeTopic(deps, { accountId: null, label: `invitee:${guestEmail(205)}` }, { editionId, proposerId: guest, title: 'Socket <lookup>', abstract: '', wishedMinutes: '', coPresenterIds: [] });
    await declineInvitation(deps, { token: sent!.token });
    const c = new Client(app);
    const page = `/invitation/${sent!.token}`;
    const topics = await c.get(`${page}/topics`);
    const materials = await c.get(`${page}/materials`);
    expect([topics.statusCode, materials.statusCode]).toEqual([200, 200]);
    expect(topics.body).toContain('Only attendees who have accepted their invitation to Netconf 2026 may propose topics. Once you have accepted, come back to this page.');
    expect(topics.body).not.toContain('name="title"');
    expect(materials.body).toContain('Slides and other materials can be added here once you have accepted the invitation.');
    expect(materials.body).not.toContain('type="file"');
    // Their proposal is listed, theirs to withdraw: they will not be there to present it.
    expect(topics.body).toContain('Socket &lt;lookup>');
    expect(topics.body).toContain(`${page}/topics/${t.id}/withdraw`);
    // What they cannot do is refused, with the same words.
    const propose = await c.post(`${page}/topics`, { _csrf: csrfOf(topics.body), title: 'Another' });
    expect(propose.statusCode).toBe(403);
    expect(propose.body).toContain('may propose topics');
    const link = await c.post(`${page}/materials/link`, { _csrf: csrfOf(topics.body), target: `topic:${t.id}`, url: 'https://example.org/s.pdf' });
    expect(link.statusCode).toBe(409);
    expect(link.body).toContain('Slides and other materials can be added here once you have accepted the invitation.');
    expect((await listTopics(deps, { editionId })).filter((x) => x.title === 'Another')).toEqual([]);
    const gone = await c.post(`${page}/topics/${t.id}/withdraw`, { _csrf: csrfOf(topics.body) });
    expect(gone.statusCode).toBe(303);
    expect((await listTopics(deps, { editionId })).find((x) => x.id === t.id)!.state).toBe('withdrawn');
  });
});

/**
 * /admin/inbound: the committee sees every inbound message and what it did, filters the list,
 * reads a message (tokens hidden), and decides on one waiting for review with CSRF-protected
 * buttons — accept for the invitee (answered in the thread) or dismiss.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { addCommitteeMember } from '../../src/domain/committee/accounts.js';
import { createSigninLink } from '../../src/domain/committee/signin.js';
import { ingestMessage, type IngestResult } from '../../src/domain/inbound/ingest.js';
import { overrideState } from '../../src/domain/invitations/committee-actions.js';
import { buildApp } from '../../src/web/app.js';
import { testDatabases } from '../support/db.js';
import { Client, csrfOf } from '../support/http.js';
import { COMMITTEE_ADDRESS, compose, inboundDeps, invitedGuests, newId, reply, stateOf, type Guest } from './fixtures.js';

describe.each(testDatabases())('/admin/inbound on $name', ({ open }) => {
  let handle: Db;
  let app: FastifyInstance;
  let deps: ReturnType<typeof inboundDeps>;
  let guests: Guest[];
  let applied: IngestResult;
  let unclear: IngestResult;
  let garbage: IngestResult;

  beforeAll(async () => {
    handle = await open();
    // Sessions and links run on the real clock: so does this test, with an edition ahead of it.
    deps = inboundDeps(handle.db);
    deps.set(new Date().toISOString());
    const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
    await addCommitteeMember({ db: handle.db }, { accountId: null, label: 'test' }, { email: 'chair@example.org', name: 'Pat Chair' });
    guests = (await invitedGuests(deps, 2, { answer_by: day(30), start_date: day(60), end_date: day(62) })).guests;
    applied = await ingestMessage(deps, await reply(guests[0]!.invitation, 'Yes'), { via: 'stdin' });
    unclear = await ingestMessage(deps, await reply(guests[1]!.invitation, 'Which <b>week</b> was it?'), { via: 'smtp' });
    garbage = await ingestMessage(deps, Buffer.from('not a mail\n'), { via: 'stdin' });
    app = await buildApp({ db: handle.db, mail: deps.mail, limits: { signin: 1000 } });
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  async function signedIn(email = 'chair@example.org'): Promise<Client> {
    const c = new Client(app);
    const link = await createSigninLink({ ...deps, clock: () => new Date() }, { email });
    const path = new URL(link!.link).pathname;
    expect((await c.submit(path, path, {})).statusCode).toBe(303);
    return c;
  }

  it('is for the committee only', async () => {
    const res = await new Client(app).get('/admin/inbound');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/signin?next=%2Fadmin%2Finbound');
  });

  it('lists every message with what it did, and filters by status', async () => {
    const c = await signedIn();
    const all = await c.get('/admin/inbound');
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('<a href="/admin/inbound">Inbound mail</a>');
    for (const r of [applied, unclear, garbage]) expect(all.body).toContain(`<a href="/admin/inbound/${r.id}">`);
    expect(all.body).toContain('applied (accept)');
    expect(all.body).not.toMatch(/rsvp\+[a-z2-7]{52}/);
    const queue = await c.get('/admin/inbound?status=queue');
    expect(queue.body).toContain(`<a href="/admin/inbound/${unclear.id}">`);
    expect(queue.body).toContain(`<a href="/admin/inbound/${garbage.id}">`);
    expect(queue.body).not.toContain(`<a href="/admin/inbound/${applied.id}">`);
    expect(queue.body).toContain('<option value="queue" selected>waiting for review (2)</option>');
    // Every admin page says what waits, so that mail nobody looks for is not left unread.
    const home = (await c.get('/admin/')).body;
    expect(home).toMatch(/<a href="\/admin\/inbound">Inbound mail<\/a>\s*<strong> \(2 to read\)<\/strong>/);
  });

  it('shows a message’s text escaped and its token hidden, with buttons only while it waits', async () => {
    const c = await signedIn();
    const page = await c.get(`/admin/inbound/${unclear.id}`);
    expect(page.body).toContain('Which &lt;b>week&lt;/b> was it?');
    expect(page.body).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d UTC by smtp, \d+ bytes/);
    expect(page.body).not.toContain('<b>week</b>');
    expect(page.body).toContain('/invitation/[hidden: sent to the invitee only]');
    expect(page.body).not.toContain(guests[1]!.token);
    expect(page.body).toContain('<button type="submit" name="action" value="accept">');
    expect(page.body).toMatch(/<option value="\d+" selected>Guest 2 &lt;guest2@example.net>, Netconf 2026 \(invited\)<\/option>/);
    const done = await c.get(`/admin/inbound/${applied.id}`);
    expect(done.body).not.toContain('name="action"');
    expect(done.body).toContain(`<a href="/admin/mail/${applied.replyOutboxId}">our reply</a>`);
  });

  it('applies an accept from the review queue, answering the invitee; refuses without CSRF', async () => {
    const c = await signedIn();
    const page = await c.get(`/admin/inbound/${unclear.id}`);
    const forged = await c.post(`/admin/inbound/${unclear.id}/review`, { action: 'accept', invitationId: String(guests[1]!.id) });
    expect(forged.statusCode).toBe(403);
    expect(await stateOf(handle.db, guests[1]!.id)).toBe('invited');
    const res = await c.post(`/admin/inbound/${unclear.id}/review`, { _csrf: csrfOf(page.body), action: 'accept', invitationId: String(guests[1]!.id) });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(new RegExp(`^/admin/inbound/${unclear.id}\\?notice=Accepted`));
    expect(await stateOf(handle.db, guests[1]!.id)).toBe('accepted');
    const after = await c.get(res.headers.location as string);
    expect(after.body).toContain('applied (accept)');
    expect(after.body).toContain('Decided by');
    // Times in the house format, as everywhere else: not as ISO strings.
    expect(after.body).toMatch(/<dd>[^<]* at \d{4}-\d\d-\d\d \d\d:\d\d UTC<\/dd>/);
    expect(after.body).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
    const again = await c.post(`/admin/inbound/${unclear.id}/review`, { _csrf: csrfOf(after.body), action: 'decline', invitationId: String(guests[1]!.id) });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('only messages waiting for review can be decided on');
  });

  it('dismisses garbage, and says so when a decision needs an invitation', async () => {
    const c = await signedIn();
    const page = await c.get(`/admin/inbound/${garbage.id}`);
    expect(page.body).toContain('No invitation has this sender’s address');
    // Garbage has no sender to answer: it can only be dismissed.
    expect(page.body).not.toContain('value="accept"');
    const missing = await c.post(`/admin/inbound/${garbage.id}/review`, { _csrf: csrfOf(page.body), action: 'accept' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('choose the invitation this message is about');
    const res = await c.post(`/admin/inbound/${garbage.id}/review`, { _csrf: csrfOf(page.body), action: 'dismiss' });
    expect(res.statusCode).toBe(303);
    expect((await c.get('/admin/inbound?status=dismissed')).body).toContain(`<a href="/admin/inbound/${garbage.id}">`);
  });

  it('applies a reply from an address no invitation has to the invitation the committee names', async () => {
    const c = await signedIn();
    const cold = await ingestMessage(deps, await compose({ from: 'guest1.private@example.com', to: COMMITTEE_ADDRESS, subject: 'Netconf', messageId: newId(), text: "This is guest 1 from home: I can't come after all." }), { via: 'stdin' });
    expect(cold.status).toBe('review');
    const page = await c.get(`/admin/inbound/${cold.id}`);
    expect(page.body).toContain('<label for="f-invitationId">The invitation it is about, by number</label>');
    const res = await c.post(`/admin/inbound/${cold.id}/review`, { _csrf: csrfOf(page.body), action: 'decline', invitationId: String(guests[0]!.id) });
    expect(res.statusCode).toBe(303);
    expect(await stateOf(handle.db, guests[0]!.id)).toBe('declined');
    const reply = await handle.db.selectFrom('outbox').select(['to_address', 'in_reply_to']).where('kind', '=', 'inbound-rsvp').orderBy('id', 'desc').executeTakeFirstOrThrow();
    // Answered at the invitation's address, never at the unproven sender's.
    expect(reply).toEqual({ to_address: guests[0]!.email, in_reply_to: cold.messageId });
  });
  /** The invitation's row on its edition's invitations page. */
  async function invitationRow(id: number): Promise<string> {
    const e = await handle.db
      .selectFrom('invitations')
      .innerJoin('editions', 'editions.id', 'invitations.edition_id')
      .innerJoin('series', 'series.id', 'editions.series_id')
      .select(['series.slug', 'editions.year'])
      .where('invitations.id', '=', id)
      .executeTakeFirstOrThrow();
    return `/admin/editions/${e.slug}/${e.year}/invitations#invitation-${id}`;
  }
  it('refuses to decide a message older than the invitee’s answer, naming that answer', async () => {
    // A second member: the chair has asked for as many sign-in links as an address may.
    await addCommitteeMember({ db: handle.db }, { accountId: null, label: 'test' }, { email: 'vice@example.org', name: 'Vic Vice' });
    const c = await signedIn('vice@example.org');
    const g = guests[1]!;
    const held = await ingestMessage(deps, await reply(g.invitation, 'Is there a dinner on the first evening?'), { via: 'stdin' });
    expect(held.status).toBe('review');
    deps.set(new Date(Date.now() + 60_000).toISOString());
    const no = await ingestMessage(deps, await reply(g.invitation, 'Sorry, no. Not this year.'), { via: 'stdin' });
    expect(no).toMatchObject({ status: 'applied', action: 'decline' });
    const page = await c.get(`/admin/inbound/${held.id}`);
    const res = await c.post(`/admin/inbound/${held.id}/review`, { _csrf: csrfOf(page.body), action: 'accept', invitationId: String(g.id) });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain(`${g.email} answered later: #${no.id}, decline, applied`);
    // The way on is the invitation's row, where its override is: linked, not a command.
    expect(res.body).toContain(`to change the answer, override the invitation&#39;s state.</span> <a href="${await invitationRow(g.id)}">Invitation #${g.id} on the invitations page</a>`);
    expect(res.body).not.toContain('conclave invite override');
    expect(await stateOf(handle.db, g.id)).toBe('declined');
  });
  it('refuses to decide a message older than the committee’s override of the invitation, saying when and how to go on', async () => {
    const c = await signedIn('vice@example.org');
    const g = guests[0]!;
    deps.set(new Date(Date.now() + 120_000).toISOString());
    const held = await ingestMessage(deps, await reply(g.invitation, 'Is the hotel near the venue?'), { via: 'stdin' });
    expect(held.status).toBe('review');
    deps.set(new Date(Date.now() + 180_000).toISOString());
    await overrideState(deps, { accountId: null, label: 'cli:chair' }, { id: g.id, state: 'accepted', reason: 'said yes at the bar' });
    const page = await c.get(`/admin/inbound/${held.id}`);
    const res = await c.post(`/admin/inbound/${held.id}/review`, { _csrf: csrfOf(page.body), action: 'decline', invitationId: String(g.id) });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain(`the committee changed invitation #${g.id} (${g.email}) later: cli:chair set it to accepted by an override at `);
    expect(res.body).toContain(`(reason: said yes at the bar). This message, #${held.id}, arrived before that`);
    expect(res.body).toContain(`to change the state anyway, override it again.</span> <a href="${await invitationRow(g.id)}">Invitation #${g.id} on the invitations page</a>`);
    expect(res.body).not.toContain('conclave invite override');
    expect(await stateOf(handle.db, g.id)).toBe('accepted');
  });
});

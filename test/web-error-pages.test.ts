/**
 * The error pages a newcomer meets on the invitee's pages, as a browser without JavaScript (or
 * lynx, or curl) gets them: each says what went wrong and where to go from there. Rendering is
 * the subject, not the database: embedded PGlite only.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/connect.js';
import { overrideState } from '../src/domain/invitations/committee-actions.js';
import { buildApp } from '../src/web/app.js';
import { freshPglite } from './support/db.js';
import { Client, csrfOf } from './support/http.js';
import { BASE_URL, inviteGuests, makeDeps, makeEdition } from './invitations/fixtures.js';

describe('error pages of the invitee’s forms', () => {
  let handle: Db;
  let app: FastifyInstance;
  let sent: Awaited<ReturnType<typeof inviteGuests>>;

  beforeAll(async () => {
    handle = await freshPglite();
    // Real time, as the client drops a cookie whose expiry has passed; the edition is ahead.
    const deps = makeDeps(handle.db, new Date().toISOString());
    const editionId = await makeEdition(handle.db, { start_date: '2999-05-11', end_date: '2999-05-13', answer_by: '2999-04-10' });
    sent = await inviteGuests(deps, editionId, 2, 500);
    await overrideState(deps, { accountId: null, label: 'test' }, { id: sent[1]!.id, state: 'expired', reason: 'closed' });
    app = await buildApp({ db: handle.db, clock: deps.clock, mail: deps.mail, limits: { signin: 1000, invitation: 1000 } });
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  it('says a form sent without any cookie needs one, and a stale cookie that the form expired', async () => {
    const page = `/invitation/${sent[0]!.token}`;
    // As lynx that refused the cookie, or curl without a jar: the page's token, no cookie.
    const token = csrfOf((await app.inject(page)).body);
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const payload = new URLSearchParams({ _csrf: token, affiliation: 'Example Labs' }).toString();
    for (const cookie of [undefined, '', 'SameSite=Lax', 'other_app=1']) {
      const res = await app.inject({ method: 'POST', url: `${page}/details`, headers: { ...form, ...(cookie === undefined ? {} : { cookie }) }, payload });
      expect(res.statusCode, String(cookie)).toBe(403);
      expect(res.body, String(cookie)).toContain('<h1>Cookie needed</h1>');
      expect(res.body, String(cookie)).toContain('This form needs a cookie from this site, and your browser sent none: nothing was saved.');
      expect(res.body, String(cookie)).toContain('in lynx, accept the cookie when it asks, or start lynx with -accept_all_cookies');
      expect(res.body, String(cookie)).not.toContain('Form expired');
    }
    // A cookie sent, but not the one the page's token was made with: the form is merely out of date.
    const stale = await app.inject({ method: 'POST', url: `${page}/details`, headers: { ...form, cookie: '_csrf=not-the-secret' }, payload });
    expect(stale.statusCode).toBe(403);
    expect(stale.body).toContain('<h1>Form expired</h1>');
    expect(stale.body).not.toContain('Cookie needed');
    // Answered as JSON alike.
    const json = await app.inject({ method: 'POST', url: `${page}/details`, headers: { ...form, accept: 'application/json' }, payload });
    expect(json.json()).toMatchObject({ error: 'Cookie needed' });
    // With the cookie kept, the same form goes through.
    const c = new Client(app);
    const ok = await c.submit(page, `${page}/details`, { affiliation: 'Example Labs' });
    expect(ok.statusCode).toBe(303);
  });

  it('leads a refused form back to its page, never to another site', async () => {
    const page = `/invitation/${sent[0]!.token}`;
    const back = (href: string) => `<p><a href="${href}">Back to the page the form was on</a></p>`;
    const c = new Client(app);
    // 403: the form's token is not the cookie's.
    const expired = await c.submit(page, `${page}/details`, { _csrf: 'stale' });
    expect(expired.statusCode).toBe(403);
    expect(expired.body).toContain(back(page));
    // 409: nothing to withdraw from an invitation not answered yet.
    const conflict = await c.submit(page, `${page}/answer`, { answer: 'withdraw' });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.body).toContain(back(page));
    // A form on a page of its own is led back to that page.
    const topics = await c.post(`${page}/topics`, { _csrf: 'stale', title: 'x' });
    expect(topics.statusCode).toBe(403);
    expect(topics.body).toContain(back(`${page}/topics`));
    // The Referer is believed when it is this site's own, never another's.
    const headers = { 'content-type': 'application/x-www-form-urlencoded', host: 'netconf.example.org' };
    const payload = 'answer=accept';
    const own = await app.inject({ method: 'POST', url: `${page}/answer`, headers: { ...headers, referer: `http://netconf.example.org${page}?done=details` }, payload });
    expect(own.body).toContain(back(`${page}?done=details`));
    for (const referer of ['https://evil.example/phish', `http://evil.example${page}`, 'http://netconf.example.org//evil.example/x']) {
      const res = await app.inject({ method: 'POST', url: `${page}/answer`, headers: { ...headers, referer }, payload });
      expect(res.statusCode, referer).toBe(403);
      expect(res.body, referer).toContain(back(page));
      expect(res.body, referer).not.toContain('evil');
    }
    // A page that is not there, or a link that is dead, has no form page to go back to.
    expect((await c.get(`${page}/nothing`)).body).not.toContain('Back to the page');
    const dead = await c.submit(page, '/invitation/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/answer', { answer: 'accept' });
    expect(dead.statusCode).toBe(410);
    expect(dead.body).not.toContain('Back to the page');
  });

  it('says on an expired invitation’s topics and materials that it expired, and whom to ask', async () => {
    const page = `/invitation/${sent[1]!.token}`;
    const said = (what: string, ask: string) => `Your invitation to Netconf 2026 has expired: it can no longer be accepted, so ${what}. To ask whether a place is still free, ${ask}.`;
    // Their own pages, read alike: what they cannot do is said, not refused.
    const topics = await app.inject(`${page}/topics`);
    expect(topics.statusCode).toBe(200);
    expect(topics.body).toContain(said('you cannot propose topics', 'write to the committee at netconf-committee@example.org'));
    expect(topics.body).not.toContain('Once you have accepted');
    const materials = await app.inject(`${page}/materials`);
    expect(materials.statusCode).toBe(200);
    expect(materials.body).toContain(said('no slides or other materials can be added here', 'write to the committee at netconf-committee@example.org'));
    expect(materials.body).not.toContain('once you have accepted');
    // The address bare, from "Name <address>"; none configured, the invitation mail is the way.
    const named = await buildApp({ db: handle.db, mail: { baseUrl: BASE_URL, from: 'x@example.org', replyTo: 'Netconf PC <pc@example.org>' } });
    const none = await buildApp({ db: handle.db });
    try {
      expect((await named.inject(`${page}/topics`)).body).toContain(said('you cannot propose topics', 'write to the committee at pc@example.org'));
      expect((await none.inject(`${page}/materials`)).body).toContain(said('no slides or other materials can be added here', 'reply to the invitation mail'));
    } finally {
      await named.close();
      await none.close();
    }
    // Not accepted yet, but still open: accepting is the way.
    expect((await app.inject(`/invitation/${sent[0]!.token}/topics`)).body).toContain('Once you have accepted, come back to this page.');
  });

  it('says on the topics and materials of one who withdrew, declined past the date or waits what fits, not "once you have accepted"', async () => {
    const deps = makeDeps(handle.db, new Date().toISOString());
    const editionId = await makeEdition(handle.db, { start_date: '2999-05-11', end_date: '2999-05-13', answer_by: '2999-04-10', cap: 1 });
    const [placed, gone, late, waiting] = await inviteGuests(deps, editionId, 4, 600);
    const c = new Client(app);
    const answer = async (g: { token: string }, a: string) => {
      const page = `/invitation/${g.token}`;
      expect((await c.submit(page, `${page}/answer`, { answer: a })).statusCode).toBe(303);
    };
    await answer(placed!, 'accept');
    await answer(waiting!, 'accept');
    await answer(late!, 'decline');
    // Withdrawn and declined past the date: the committee's override, then the date moved back.
    await overrideState(deps, { accountId: null, label: 'test' }, { id: gone!.id, state: 'withdrawn', reason: 'cannot come' });
    await handle.db.updateTable('invitations').set({ answer_by: '2000-04-10' }).where('id', '=', late!.id).execute();
    const ask = 'write to the committee at netconf-committee@example.org';
    const cases = [
      [gone!, (what: string) => `You withdrew from Netconf 2026, so ${what}. To come after all, ${ask}.`],
      [late!, (what: string) => `You declined the invitation to Netconf 2026, and its answer-by date has passed, so ${what}. To come after all, ${ask}.`],
      [waiting!, (what: string) => `You are on the waiting list of Netconf 2026, so ${what} until a place is yours; we will mail you as soon as it is.`],
    ] as const;
    for (const [g, said] of cases) {
      const [t, m] = [await app.inject(`/invitation/${g.token}/topics`), await app.inject(`/invitation/${g.token}/materials`)];
      expect([t.statusCode, m.statusCode], g.email).toEqual([200, 200]);
      const topics = t.body;
      expect(topics, g.email).toContain(said('you cannot propose topics'));
      expect(topics, g.email).not.toMatch(/once you have accepted/i);
      const materials = m.body;
      expect(materials, g.email).toContain(said('no slides or other materials can be added here'));
      expect(materials, g.email).not.toMatch(/once you have accepted/i);
    }
  });

  it('gives the committee’s address with a personal link that does not work, when it has one', async () => {
    const bad = await app.inject('/invitation/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(bad.statusCode).toBe(410);
    expect(bad.body).toContain('or ask the committee for a new one. The committee&#39;s address is netconf-committee@example.org.');
    const none = await buildApp({ db: handle.db });
    try {
      const plain = await none.inject('/invitation/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
      expect(plain.statusCode).toBe(410);
      expect(plain.body).toContain('or ask the committee for a new one.</p>');
    } finally {
      await none.close();
    }
  });
});

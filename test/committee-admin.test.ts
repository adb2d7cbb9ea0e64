/**
 * Committee sign-in by mailed link, database sessions, CSRF on every state-changing route, the
 * edition form with field errors, and the audit log.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/connect.js';
import { listAudit } from '../src/domain/audit/record.js';
import { addCommitteeMember, disableCommitteeMember } from '../src/domain/committee/accounts.js';
import { signOut, signOutMember } from '../src/domain/committee/sessions.js';
import { createSigninLink, requestSignin, SIGNIN_PER_ADDRESS } from '../src/domain/committee/signin.js';
import { createEdition } from '../src/domain/editions/edit-edition.js';
import { addCandidate } from '../src/domain/invitations/candidates.js';
import { acceptInvitation } from '../src/domain/invitations/rsvp.js';
import { sendInvitations } from '../src/domain/invitations/send.js';
import { enqueueMail, listOutbox } from '../src/domain/mail/outbox.js';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/web/app.js';
import { deliverDueMail } from './invitations/fixtures.js';
import { testDatabases } from './support/db.js';
import { Client, csrfOf } from './support/http.js';

const mail = { baseUrl: 'http://conclave.test', from: 'Netconf committee <committee@conclave.test>' };
const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-files-'));

/** A multipart/form-data body as a browser sends it, with one file. */
function multipart(fields: Record<string, string>, file: { name: string; filename: string; type: string; bytes: Buffer }) {
  const boundary = `----conclave${Date.now()}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`));
  parts.push(file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe.each(testDatabases())('committee admin on $name', ({ open }) => {
  let handle: Db;
  let app: FastifyInstance;
  let now = new Date('2026-11-22T10:00:00Z');
  const clock = () => now;
  const deps = () => ({ db: handle.db, clock, mail });
  const row = (id: number) => handle.db.selectFrom('invitations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  beforeAll(async () => {
    handle = await open();
    await addCommitteeMember({ db: handle.db }, { accountId: null, label: 'test' }, { email: 'Chair@Example.org', name: 'Pat Chair' });
    app = await buildApp({ db: handle.db, clock, mail, limits: { signin: 1000 }, filesDir });
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  async function signedIn(email = 'chair@example.org', c = new Client(app)): Promise<Client> {
    // Time passes between sign-ins, as it would: the per-address limit is 5 links in 15 minutes.
    now = new Date(now.getTime() + 4 * 60_000);
    const link = await createSigninLink(deps(), { email });
    const path = new URL(link!.link).pathname;
    const res = await c.submit(path, path, {});
    expect(res.statusCode).toBe(303);
    return c;
  }

  it('mails a one-time link to a member, and nothing for an unknown address', async () => {
    const c = new Client(app);
    const known = await c.submit('/signin', '/signin', { email: 'chair@example.org' });
    expect(known.statusCode).toBe(200);
    const unknown = await c.submit('/signin', '/signin', { email: 'nobody@example.org' });
    expect(unknown.statusCode).toBe(200);
    // The two answers read the same, so addresses cannot be probed.
    expect(unknown.body.replace(/nobody@example\.org/g, 'X')).toBe(known.body.replace(/chair@example\.org/g, 'X'));
    // The link is made and mailed after the answer.
    await app.settled();
    const sent = await listOutbox({ db: handle.db }, { kind: 'signin' });
    expect(sent.map((m) => m.to_address)).toEqual(['chair@example.org']);
    expect(sent[0]!.body).toMatch(/http:\/\/conclave\.test\/signin\/[A-Za-z0-9_-]{43}/);
  });

  it('answers a member’s address and a stranger’s before any work on the database, so alike in time too', async () => {
    // Every query's result is held while `held` is set: an answer that came then waited for none.
    let held: Promise<void> | null = null;
    let release = () => {};
    const gated = handle.db.withPlugin({
      transformQuery: (a) => a.node,
      transformResult: async (a) => {
        if (held) await held;
        return a.result;
      },
    });
    const paused = await buildApp({ db: gated, clock, mail, limits: { signin: 1000 } });
    now = new Date(now.getTime() + 60 * 60_000);
    const ask = async (email: string) => {
      const c = new Client(paused);
      const form = await c.get('/signin');
      held = new Promise<void>((resolve) => (release = resolve));
      let holding = true;
      // Only so that a request that does wait on the database fails this test rather than hangs it.
      const unstick = setTimeout(() => {
        holding = false;
        release();
      }, 20_000);
      const res = await c.post('/signin', { _csrf: csrfOf(form.body), email });
      const answeredWhileHeld = holding;
      clearTimeout(unstick);
      held = null;
      release();
      await paused.settled();
      return { res, answeredWhileHeld };
    };
    try {
      const before = (await listOutbox({ db: handle.db }, { kind: 'signin' })).length;
      const member = await ask('chair@example.org');
      const stranger = await ask('nobody@example.org');
      expect([member.answeredWhileHeld, stranger.answeredWhileHeld]).toEqual([true, true]);
      expect([member.res.statusCode, stranger.res.statusCode]).toEqual([200, 200]);
      // Byte for byte the same page (neither has a form, so no CSRF token), but for the address.
      expect(stranger.res.body.replaceAll('nobody@example.org', 'X')).toBe(member.res.body.replaceAll('chair@example.org', 'X'));
      // The member's link was still made and mailed, once the answer had gone.
      const sent = await listOutbox({ db: handle.db }, { kind: 'signin' });
      expect(sent.slice(before).map((m) => m.to_address)).toEqual(['chair@example.org']);
    } finally {
      await paused.close();
    }
  });

  it('logs who had a sign-in link printed, and for whom, but not the links members ask for', async () => {
    now = new Date(now.getTime() + 16 * 60_000);
    await requestSignin(deps(), { email: 'chair@example.org' });
    expect(await listAudit({ db: handle.db }, { action: 'session.signin-link' })).toEqual([]);
    const printed = await createSigninLink(deps(), { email: 'chair@example.org' }, { accountId: null, label: 'cli:root' });
    const log = await listAudit({ db: handle.db }, { action: 'session.signin-link' });
    expect(log.map((a) => [a.actor, a.entity, a.entity_id])).toEqual([['cli:root', 'committee_account', String(printed!.accountId)]]);
    expect(log[0]!.after).toEqual({ expiresAt: new Date(now.getTime() + 15 * 60_000).toISOString() });
  });

  it('signs in once with the link, with a database session in a safe cookie', async () => {
    const c = new Client(app);
    const link = await createSigninLink(deps(), { email: 'chair@example.org' });
    const path = new URL(link!.link).pathname;
    const landing = await c.get(path);
    expect(landing.statusCode).toBe(200);
    const res = await c.post(path, { _csrf: csrfOf(landing.body) });
    expect(res.statusCode).toBe(303);
    const cookie = res.cookies.find((k) => k.name === 'conclave_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.secure).toBeFalsy();
    // The sign-in drops the CSRF secret held before it: a token made with it (as by whoever
    // planted that cookie) is refused, and the next page makes a new one.
    expect(res.cookies.find((k) => k.name === '_csrf')).toMatchObject({ value: '' });
    const stale = await c.post('/signout', { _csrf: csrfOf(landing.body) });
    expect(stale.statusCode).toBe(403);
    expect((await c.get('/admin/')).statusCode).toBe(200);
    const again = await new Client(app).get(path);
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain('used already');
    // With the way to a new one.
    expect(again.body).toContain('<p><a href="/signin">Ask for a new sign-in link</a></p>');
  });

  it('marks the cookie Secure when served over https', async () => {
    const link = await createSigninLink(deps(), { email: 'chair@example.org' });
    const path = new URL(link!.link).pathname;
    const c = new Client(app);
    const landing = await c.get(path);
    const res = await app.inject({
      method: 'POST',
      url: path,
      headers: {
        'x-forwarded-proto': 'https',
        cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: `_csrf=${encodeURIComponent(csrfOf(landing.body))}`,
    });
    expect(res.statusCode).toBe(303);
    expect(res.cookies.find((k) => k.name === 'conclave_session')!.secure).toBe(true);
  });

  it('refuses wrong, expired and reused sign-in links', async () => {
    const wrong = await new Client(app).get('/signin/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(wrong.statusCode).toBe(410);
    expect(wrong.body).toContain('not valid');
    const link = await createSigninLink(deps(), { email: 'chair@example.org' });
    const path = new URL(link!.link).pathname;
    const c = new Client(app);
    const landing = await c.get(path);
    now = new Date(now.getTime() + 16 * 60_000);
    const expired = await c.post(path, { _csrf: csrfOf(landing.body) });
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('expired');
    expect(expired.body).not.toMatch(/at .*\.ts:\d+/);
    // Its page says so at once, offering no button that can only fail.
    const again = await c.get(path);
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain('This sign-in link has expired');
    expect(again.body).not.toContain('<button type="submit" class="primary">');
  });

  it('limits sign-in links per address, answering past the limit as for any other address', async () => {
    now = new Date(now.getTime() + 60 * 60_000);
    const mailed = async () => (await handle.db.selectFrom('outbox').select('id').where('kind', '=', 'signin').where('to_address', '=', 'chair@example.org').execute()).length;
    const before = await mailed();
    for (let i = 0; i < SIGNIN_PER_ADDRESS; i++) await requestSignin(deps(), { email: 'chair@example.org' });
    expect(await mailed()).toBe(before + SIGNIN_PER_ADDRESS);
    // The web's answer: the same page for a member past the limit as for a stranger.
    const c = new Client(app);
    const member = await c.submit('/signin', '/signin', { email: 'chair@example.org' });
    const stranger = await c.submit('/signin', '/signin', { email: 'nobody@example.org' });
    expect([member.statusCode, stranger.statusCode]).toEqual([200, 200]);
    expect(member.body.replaceAll('chair@example.org', 'X')).toBe(stranger.body.replaceAll('nobody@example.org', 'X'));
    await app.settled();
    expect(await mailed()).toBe(before + SIGNIN_PER_ADDRESS);
    // Asked for past the limit, a link is refused, and says why.
    await expect(createSigninLink(deps(), { email: 'chair@example.org' })).rejects.toThrow('too many sign-in links asked for this address; wait 15 minutes');
    // Printed at the terminal (`conclave committee signin-link`), it sends no mail: not limited.
    expect(await createSigninLink(deps(), { email: 'chair@example.org' }, { accountId: null, label: 'cli:chair' })).toMatchObject({ link: expect.stringContaining('/signin/') });
    expect(await mailed()).toBe(before + SIGNIN_PER_ADDRESS);
    now = new Date(now.getTime() + 16 * 60_000);
    await requestSignin(deps(), { email: 'chair@example.org' });
    expect(await mailed()).toBe(before + SIGNIN_PER_ADDRESS + 1);
  });

  it('rate-limits sign-in requests per client', async () => {
    const strict = await buildApp({ db: handle.db, clock, mail, limits: { signin: 3 } });
    const c = new Client(strict);
    const codes: number[] = [];
    let last = '';
    for (let i = 0; i < 4; i++) {
      const res = await c.submit('/signin', '/signin', { email: `nobody${i}@example.org` });
      codes.push(res.statusCode);
      last = res.body;
    }
    expect(codes).toEqual([200, 200, 200, 429]);
    // Titled by what happened, not "Bad request".
    expect(last).toContain('<title>Too Many Requests');
    await strict.close();
  });

  it('counts a client behind the proxy by the address the proxy saw, not one the client wrote', async () => {
    // As nginx passes it on ($proxy_add_x_forwarded_for): the client's own header, then its address.
    const post = async (app: FastifyInstance, remoteAddress: string, forwarded: string) => {
      const form = await app.inject({ method: 'GET', url: '/signin', remoteAddress });
      const cookie = String(form.headers['set-cookie']).split(';')[0]!;
      const res = await app.inject({ method: 'POST', url: '/signin', remoteAddress, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': forwarded }, payload: new URLSearchParams({ _csrf: csrfOf(form.body), email: 'nobody@example.org' }).toString() });
      return res.statusCode;
    };
    const proxied = await buildApp({ db: handle.db, clock, mail, limits: { signin: 3 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) codes.push(await post(proxied, '127.0.0.1', `203.0.113.${i}, 192.0.2.7`));
      expect(codes).toEqual([200, 200, 200, 429]);
      // Another client behind the same proxy has places of its own.
      expect(await post(proxied, '127.0.0.1', '192.0.2.8')).toBe(200);
      // Straight from the network, X-Forwarded-For is the client's own words: not believed.
      const direct: number[] = [];
      for (let i = 0; i < 4; i++) direct.push(await post(proxied, '198.51.100.1', `203.0.113.${i}`));
      expect(direct).toEqual([200, 200, 200, 429]);
    } finally {
      await proxied.close();
    }
    expect(loadConfig({}).trustProxy).toBe('loopback');
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.0.2.1' }).trustProxy).toBe('10.0.0.0/8,192.0.2.1');
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'none' }).trustProxy).toBe(false);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY="10.0.0.0\/33": must be loopback, none, a number of proxies, or addresses and networks/);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY="true"/);
  });

  it('takes a member off the committee at once, keeps the last one, and brings one back when added again', async () => {
    await addCommitteeMember({ db: handle.db }, { accountId: null, label: 'test' }, { email: 'sam@example.org', name: 'Sam Second' });
    const sam = new Client(app);
    const samPath = new URL((await createSigninLink(deps(), { email: 'sam@example.org' }))!.link).pathname;
    expect((await sam.submit(samPath, samPath, {})).statusCode).toBe(303);
    const unused = new URL((await createSigninLink(deps(), { email: 'sam@example.org' }))!.link).pathname;
    expect((await sam.get('/admin/committee')).statusCode).toBe(200);

    const c = await signedIn();
    const page = await c.get('/admin/committee');
    expect(page.body).toContain('>Disable Sam Second</button>');
    const off = await c.submit('/admin/committee', '/admin/committee/disable', { email: 'sam@example.org' });
    expect(off.statusCode).toBe(303);
    expect(decodeURIComponent(off.headers.location as string)).toContain('Sam Second is off the committee.');
    // Their session ended and their unused link is dead, at once.
    const after = await sam.get('/admin/committee');
    expect([after.statusCode, after.headers.location]).toEqual([303, '/signin?next=%2Fadmin%2Fcommittee']);
    expect((await new Client(app).get(unused)).statusCode).toBe(410);
    expect(await createSigninLink(deps(), { email: 'sam@example.org' })).toBeNull();
    const listed = (await c.get('/admin/committee')).body;
    expect(listed).toMatch(/Sam Second &lt;sam@example\.org>, since \d{4}-\d\d-\d\d \(disabled: add the address again to bring them back\)/);
    expect(listed).not.toContain('>Disable Sam Second</button>');
    const audit = await handle.db.selectFrom('audit_log').select(['actor', 'after']).where('action', '=', 'committee.disable').executeTakeFirstOrThrow();
    expect(audit.after).toMatchObject({ sessionsEnded: 1, linksVoided: 1 });

    // Twice, or the last member: refused, said above the list.
    const twice = await c.submit('/admin/committee', '/admin/committee/disable', { email: 'sam@example.org' });
    expect(twice.statusCode).toBe(409);
    expect(twice.body).toContain('Not disabled: sam@example.org is off the committee already (since 2026-11-22).');
    const last = await c.submit('/admin/committee', '/admin/committee/disable', { email: 'chair@example.org' });
    expect(last.statusCode).toBe(409);
    expect(last.body).toContain('Not disabled: Chair@Example.org is the last committee member: nobody could sign in after; add another member first.');
    expect((await c.get('/admin/committee')).statusCode).toBe(200);

    // Added again: the same account, able to sign in.
    const back = await c.submit('/admin/committee', '/admin/committee', { email: 'SAM@example.org' });
    expect(back.statusCode, back.body).toBe(303);
    expect(decodeURIComponent(String(back.headers.location))).toContain('notice=Sam Second is back on the committee.');
    expect(await createSigninLink(deps(), { email: 'sam@example.org' })).not.toBeNull();
    const accounts = await handle.db.selectFrom('committee_accounts').select(['email', 'disabled_at']).where('email', '=', 'sam@example.org').execute();
    expect(accounts).toEqual([{ email: 'sam@example.org', disabled_at: null }]);
    // Off again, so that the chair is the only member the other tests expect.
    await disableCommitteeMember({ db: handle.db, clock }, { accountId: null, label: 'test' }, { email: 'sam@example.org' });
  });

  it('deletes an edition made by mistake once ticked, and keeps one people were invited to', async () => {
    const c = await signedIn();
    expect((await c.submit('/admin/editions/new', '/admin/editions', { year: '2031', title: 'Netconf 2031' })).statusCode).toBe(303);
    const base = '/admin/editions/netconf/2031';
    const page = await c.get(base);
    expect(page.body).toContain('<h2 id="a-delete">Delete this edition</h2>');
    expect(page.body).toContain('<button type="submit" class="danger">Delete Netconf 2031</button>');
    const unticked = await c.submit(base, `${base}/delete`, {});
    expect(unticked.statusCode).toBe(400);
    expect(unticked.body).toContain('Tick “Yes, delete” to delete it.');
    const done = await c.submit(base, `${base}/delete`, { confirm: 'yes' });
    expect(done.statusCode).toBe(303);
    expect(decodeURIComponent(String(done.headers.location))).toMatch(/^\/admin\/\?notice=Deleted Netconf 2031\.&ns=/);
    expect((await c.get(base)).statusCode).toBe(404);
    expect((await app.inject('/netconf/2031/')).statusCode).toBe(404);
    // One with an invitation out: said on its page, and refused if asked all the same.
    const dated = await c.submit('/admin/editions/new', '/admin/editions', { year: '2032', title: 'Netconf 2032', startDate: '2032-07-14', answerBy: '2032-06-01' });
    expect(dated.statusCode).toBe(303);
    // Dates without a time zone: warned of, as the CLI does.
    expect(decodeURIComponent(String(dated.headers.location))).toContain(
      "notice=Created Netconf 2032. No time zone: the schedule's times will be given as floating times (no zone) in schedule.ics, schedule.xml and schedule.json, and publishing it asks you to confirm that (set one on its page under “Time zone”, such as Europe/Berlin).",
    );
    expect(decodeURIComponent(String((await c.submit('/admin/editions/new', '/admin/editions', { year: '2033', title: 'Netconf 2033', startDate: '2033-07-14', timeZone: 'Europe/Paris' })).headers.location))).toMatch(
      /notice=Created Netconf 2033\.&/,
    );
    const e2032 = await handle.db.selectFrom('editions').select('id').where('year', '=', 2032).executeTakeFirstOrThrow();
    await addCandidate(deps(), { accountId: null, label: 'test' }, { editionId: e2032.id, name: 'Ines Invited', email: 'ines@example.org' });
    await sendInvitations(deps(), { accountId: null, label: 'test' }, { editionId: e2032.id, ids: 'all-candidates' });
    const kept = await c.get('/admin/editions/netconf/2032');
    expect(kept.body).toContain('It cannot be deleted: 1 person has been invited to Netconf 2032: an edition that invited anybody stays');
    expect(kept.body).not.toContain('>Delete Netconf 2032</button>');
    const refused = await c.submit('/admin/editions/netconf/2032', '/admin/editions/netconf/2032/delete', { confirm: 'yes' });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('It cannot be deleted: 1 person has been invited to Netconf 2032');
    expect((await c.get('/admin/editions/netconf/2032')).statusCode).toBe(200);
  });

  it('sends the signed-out to the sign-in page', async () => {
    const res = await app.inject('/admin/');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/signin?next=%2Fadmin%2F');
  });

  it('ends a sign-in on the committee page asked for, through the mailed link, and nowhere else', async () => {
    now = new Date(now.getTime() + 20 * 60_000);
    const c = new Client(app);
    const asked = await c.get('/admin/mail?state=sent');
    expect(asked.headers.location).toBe('/signin?next=%2Fadmin%2Fmail%3Fstate%3Dsent');
    const form = await c.get(asked.headers.location!);
    expect(form.body).toContain('<input type="hidden" name="next" value="/admin/mail?state=sent" />');
    const sent = await c.post('/signin', { _csrf: csrfOf(form.body), email: 'chair@example.org', next: '/admin/mail?state=sent' });
    expect(sent.statusCode).toBe(200);
    await app.settled();
    const mailed = (await listOutbox({ db: handle.db }, { kind: 'signin' })).at(-1)!;
    const link = /http:\/\/conclave\.test(\/signin\/[A-Za-z0-9_-]{43}\?next=\S+)/.exec(mailed.body)![1]!;
    expect(link).toMatch(/\?next=%2Fadmin%2Fmail%3Fstate%3Dsent$/);
    const landing = await c.get(link);
    expect(landing.statusCode).toBe(200);
    expect(landing.body).toContain('<p>Then on to the page you asked for: <code>/admin/mail?state=sent</code></p>');
    const used = await c.post(link.replace(/\?.*/, ''), { _csrf: csrfOf(landing.body), next: '/admin/mail?state=sent' });
    expect([used.statusCode, used.headers.location]).toEqual([303, '/admin/mail?state=sent']);
    expect((await c.get('/admin/mail?state=sent')).statusCode).toBe(200);

    // Anything but a committee page of this site is dropped, on the form and at the end.
    for (const next of ['//evil.example/admin/', 'https://evil.example/admin/', '/people/', '/admin/../people/', '/\\evil.example/admin', '/administrator']) {
      const page = await new Client(app).get(`/signin?next=${encodeURIComponent(next)}`);
      expect(page.body, next).not.toContain('name="next"');
      const other = new Client(app);
      const made = await createSigninLink(deps(), { email: 'chair@example.org', next });
      expect(made!.link, next).not.toContain('?next=');
      const path = new URL(made!.link).pathname;
      const land = await other.get(path);
      const done = await other.post(path, { _csrf: csrfOf(land.body), next });
      expect([done.statusCode, done.headers.location], next).toEqual([303, '/admin/']);
      now = new Date(now.getTime() + 4 * 60_000);
    }
  });

  it('says at the sign-in that a form sent after the session ended was not saved, and leads back to its page', async () => {
    const unsaved = 'You were signed out (or your session ended): the form was not saved. Sign in, then send it again.';
    const post = (url: string, referer?: string) =>
      app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded', ...(referer ? { referer } : {}) }, payload: 'title=Keynote&start=09%3A00' });
    const signin = (res: LightMyRequestResponse) => {
      expect(res.statusCode).toBe(303);
      const to = new URL(res.headers.location as string, 'http://localhost');
      expect(to.pathname).toBe('/signin');
      expect(to.searchParams.get('notice')).toBe(unsaved);
      return to;
    };
    // No Referer (conclave's pages send none): the page up the form's route.
    const slot = signin(await post('/admin/editions/netconf/2027/schedule/slots'));
    expect(slot.searchParams.get('next')).toBe('/admin/editions/netconf/2027/schedule');
    expect(signin(await post('/admin/committee/disable')).searchParams.get('next')).toBe('/admin/committee');
    // A Referer of this site's admin: that page, query and all.
    const edit = signin(await post('/admin/editions/netconf/2027/schedule/slots/86', 'http://localhost/admin/editions/netconf/2027/schedule?edit=86'));
    expect(edit.searchParams.get('next')).toBe('/admin/editions/netconf/2027/schedule?edit=86');
    // Another site's, or a page of this site outside the admin: never followed.
    for (const referer of ['https://evil.example/admin/committee', 'http://localhost/people/', '//evil.example/admin/']) {
      expect(signin(await post('/admin/editions/netconf/2027/schedule/slots', referer)).searchParams.get('next'), referer).toBe('/admin/editions/netconf/2027/schedule');
    }
    // The sign-in page says it, and its form carries the way back.
    const page = await new Client(app).get(`${slot.pathname}${slot.search}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<p class="notice" role="status">${unsaved}</p>`);
    expect(page.body).toContain('<input type="hidden" name="next" value="/admin/editions/netconf/2027/schedule" />');
    // A notice nobody signed is not shown.
    const forged = await new Client(app).get(`/signin?notice=${encodeURIComponent('Your account is locked, call +1 555')}`);
    expect(forged.body).not.toContain('locked');
  });

  it('sends an address typed with a trailing slash to its page, and only to a page on this site', async () => {
    const c = await signedIn();
    const typed = await c.get('/admin/editions/netconf/2027/');
    expect(typed.statusCode).toBe(301);
    expect(typed.headers.location).toBe('/admin/editions/netconf/2027');
    const query = await c.get('/admin/mail/?state=sent');
    expect(query.headers.location).toBe('/admin/mail?state=sent');
    const committee = await c.get('/admin/committee/');
    expect(committee.headers.location).toBe('/admin/committee');
    expect((await c.get(committee.headers.location!)).statusCode).toBe(200);
    const nothing = await c.get('/admin/nothing/');
    expect((await c.get(nothing.headers.location ?? '/admin/nothing/')).statusCode).toBe(404);
    for (const url of ['//evil.example/', '/admin/editions/netconf/2027//']) {
      const res = await c.get(url);
      expect(res.statusCode, url).toBe(404);
    }
    // A form is never sent on by a redirect: its body would be lost.
    expect((await app.inject({ method: 'POST', url: '/admin/committee/' })).headers.location).toBeUndefined();
  });

  it('answers an admin address whose parts are not what its route takes as no page, not a schema\'s complaint', async () => {
    const c = await signedIn();
    // The series left out: "2027" taken for the series, "invitations" for the year.
    for (const url of ['/admin/editions/2027/invitations', '/admin/editions/netconf/next/schedule', '/admin/mail/none']) {
      const res = await c.get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body).toContain(`There is no page at ${url}.`);
      expect(res.body).not.toContain('invalid_type');
      // Still in the admin: its navigation, and the way back to it.
      expect(res.body).toContain('<a href="/admin/inbound">Inbound mail</a>');
      expect(res.body).toContain('<a href="/admin/">Back to the editions</a>');
    }
    // A stranger's error page is the public one, whatever the address.
    const stranger = await app.inject('/admin/mail/none');
    expect(stranger.statusCode).toBe(303);
    const publicError = await app.inject('/no/such/page/here');
    expect(publicError.body).not.toContain('Inbound mail');
  });

  it('says in words which field of a posted form was wrong, not as the schema\'s JSON', async () => {
    const c = await signedIn();
    const list = await c.get('/admin/mail');
    const res = await c.post('/admin/mail/release', { _csrf: csrfOf(list.body) });
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/<p>batch: is required<\/p>/);
    expect(res.body).not.toContain('invalid_type');
    // A NUL, which PostgreSQL cannot store, is refused at the field, in a form or an address.
    const nul = await c.post('/admin/mail/release', { _csrf: csrfOf(list.body), batch: 'held\u0000-1' });
    expect(nul.statusCode).toBe(400);
    expect(nul.body).toContain('batch: must not contain a NUL character (in the form)');
    const query = await c.get('/search/?q=qdisc%00');
    expect(query.statusCode).toBe(400);
    expect(query.body).toContain('q: must not contain a NUL character (in the address)');
    for (const ids of ['abc', '99999999999', '1,,2', '-1']) {
      const retry = await c.post('/admin/mail/retry', { _csrf: csrfOf(list.body), ids });
      expect(retry.statusCode, ids).toBe(400);
      expect(retry.body, ids).toContain('ids: must be “all” or message numbers separated by commas');
    }
  });

  it('counts the failed mail queued again in words: one message, not "1 messages"', async () => {
    const c = await signedIn();
    const m = await enqueueMail(handle.db, { kind: 'invitation', baseUrl: 'https://netconf.example.org', to: { address: 'bounced@example.org' }, from: 'committee@example.org', subject: 'Invitation', body: 'Hello' });
    await handle.db.updateTable('outbox').set({ state: 'failed', attempts: 1, last_error: '550 no such user' }).where('id', '=', m.id).execute();
    const list = await c.get('/admin/mail');
    const retry = await c.post('/admin/mail/retry', { _csrf: csrfOf(list.body), ids: String(m.id) });
    expect(retry.statusCode).toBe(303);
    expect((await c.get(retry.headers.location as string)).body).toContain('1 message queued again.');
    await handle.db.deleteFrom('outbox').where('id', '=', m.id).execute();
  });

  it('refuses every state-changing route without a CSRF token, or with a forged one', async () => {
    const c = await signedIn();
    const posts = app.conclaveRoutes.filter((r) => r.method === 'POST');
    expect(posts.length).toBeGreaterThan(8);
    for (const r of posts) {
      const url = r.url.replace(':token', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').replace(':series', 'netconf').replace(':year', '2027').replace(':id', '1');
      // A speaker's materials check the link before the body (perhaps a file) is read: a dead one
      // is refused first (materials-http.test.ts checks their CSRF with a live link).
      const refused = /^\/invitation\/[^/]+\/materials/.test(url) ? 410 : 403;
      const missing = await c.post(url, { email: 'x@example.org' });
      expect(missing.statusCode, `${url} without a token`).toBe(refused);
      const forged = await c.post(url, { _csrf: 'forged-token', email: 'x@example.org' });
      expect(forged.statusCode, `${url} with a forged token`).toBe(refused);
    }
    const stranger = new Client(app);
    const page = await stranger.get('/signin');
    // A token from another client's page does not pass with this client's cookie.
    const res = await c.post('/admin/editions', { _csrf: csrfOf(page.body), year: '2030', title: 'x' });
    expect(res.statusCode).toBe(403);
  });

  it('takes a form only in the session it was loaded in, and the next form loaded', async () => {
    await addCommitteeMember({ db: handle.db }, { accountId: null, label: 'test' }, { email: 'kim@example.org', name: 'Kim Other' });
    /** A refused form as the member sees it: its status, and whether the page is "Form expired". */
    const expired = (res: LightMyRequestResponse) => [res.statusCode, /<title>Form expired/.test(res.body)];
    // Signed out, in the same browser: a form loaded while signed in is refused, a new one taken.
    const a = await signedIn();
    const adminPage = await a.get('/admin/mail');
    expect((await a.post('/signout', { _csrf: csrfOf(adminPage.body) })).statusCode).toBe(303);
    expect(a.cookies.has('_csrf')).toBe(true);
    expect(expired(await a.post('/signin', { _csrf: csrfOf(adminPage.body), email: 'nobody@example.org' }))).toEqual([403, true]);
    expect((await a.submit('/signin', '/signin', { email: 'nobody@example.org' })).statusCode).toBe(200);

    // Signed in as another member in that browser, its `_csrf` cookie kept (or set again by a
    // sibling host after the sign-in dropped it): the first member's form is refused.
    const first = await signedIn();
    const chairPage = await first.get('/admin/mail');
    const chairSecret = first.cookies.get('_csrf')!;
    const other = await signedIn('kim@example.org', first);
    expect(other.cookies.get('conclave_session')).not.toBe(undefined);
    other.cookies.set('_csrf', chairSecret);
    expect(expired(await other.post('/admin/mail/retry', { _csrf: csrfOf(chairPage.body), ids: 'all' }))).toEqual([403, true]);
    const again = await other.submit('/admin/mail', '/admin/mail/retry', { ids: 'all' });
    expect([again.statusCode, again.headers.location]).toEqual([303, expect.stringMatching(/^\/admin\/mail\?notice=/)]);

    // A form loaded before the sign-in (the public sign-in form, as anyone may load it), with its
    // cookie, does not pass once signed in; the member goes on with the admin's own form.
    const b = new Client(app);
    const signinPage = await b.get('/signin');
    const before = b.cookies.get('_csrf')!;
    await signedIn('chair@example.org', b);
    b.cookies.set('_csrf', before);
    expect(expired(await b.post('/admin/mail/retry', { _csrf: csrfOf(signinPage.body), ids: 'all' }))).toEqual([403, true]);
    expect((await b.submit('/admin/mail', '/admin/mail/retry', { ids: 'all' })).statusCode).toBe(303);
    // Signed out, the public form is taken with a token of its own.
    expect((await new Client(app).submit('/signin', '/signin', { email: 'nobody@example.org' })).statusCode).toBe(200);
    await disableCommitteeMember({ db: handle.db, clock }, { accountId: null, label: 'test' }, { email: 'kim@example.org' });
  });

  it('creates an edition from the form, showing field errors and keeping what was typed', async () => {
    const c = await signedIn();
    const bad = await c.submit('/admin/editions/new', '/admin/editions', {
      year: '2027',
      title: 'Netconf 2027',
      city: 'Ottawa',
      startDate: '2027-07-15',
      endDate: '2027-07-14',
      timeZone: 'Mars/Olympus',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('is before the start date');
    expect(bad.body).toContain('is not a known time zone');
    expect(bad.body).toContain('value="Ottawa"');
    expect(bad.body).toContain('aria-invalid="true"');
    expect(await handle.db.selectFrom('editions').select('id').where('year', '=', 2027).execute()).toHaveLength(0);
    // A right-to-left override would turn the rest of every heading and list around.
    const flipped = await c.submit('/admin/editions/new', '/admin/editions', { year: '2027', series: 'Net\u202edev', title: 'Netconf\u200b 2027' });
    expect(flipped.statusCode).toBe(400);
    expect(flipped.body).toContain('holds an invisible character (U+202E, at character 4) that changes how the text around it reads');
    expect(flipped.body).toContain('holds an invisible character (U+200B, at character 8)');
    // Dates of another year are a typo; over New Year, one end in the edition's year is enough.
    const elsewhen = await c.submit('/admin/editions/new', '/admin/editions', { year: '2027', title: 'Netconf 2027', startDate: '2028-05-31', endDate: '2028-06-02' });
    expect(elsewhen.statusCode).toBe(400);
    expect(elsewhen.body).toContain('is in 2028: the dates of the 2027 edition must fall in 2027 (at least its first or last day)');
    expect(await handle.db.selectFrom('editions').select('id').where('year', '=', 2027).execute()).toHaveLength(0);

    const good = await c.submit('/admin/editions/new', '/admin/editions', {
      year: '2027',
      title: 'Netconf 2027',
      city: 'Ottawa',
      region: 'ON',
      country: 'Canada',
      startDate: '2027-07-14',
      endDate: '2027-07-15',
      timeZone: 'America/Toronto',
      cap: '12',
    });
    expect(good.statusCode).toBe(303);
    const e = await handle.db.selectFrom('editions').selectAll().where('year', '=', 2027).executeTakeFirstOrThrow();
    expect([e.location_text, e.start_date, e.time_zone, e.cap, e.status]).toEqual(['Ottawa, ON, Canada', '2027-07-14', 'America/Toronto', 12, 'planned']);
    // Made again: the error leads to the edition there is, to change it there.
    const again = await c.submit('/admin/editions/new', '/admin/editions', { year: '2027', title: 'Netconf 2027 again' });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('Netconf 2027 exists already');
    expect(again.body).toContain('<a href="/admin/editions/netconf/2027">Open Netconf 2027</a> to change it instead.');
    // A new edition has no page behind it: no empty "References" heading copied from the archive's.
    expect((await app.inject('/netconf/2027/')).body).not.toContain('id="references"');

    // Its status is its schedule's: shown, not asked, and refused if posted.
    const editForm = await c.get('/admin/editions/netconf/2027');
    expect(editForm.body).toContain('Status: <strong>planned</strong>. Publishing the schedule in the <a href="/admin/editions/netconf/2027/schedule">schedule builder</a> sets it');
    expect(editForm.body).not.toContain('name="status"');
    const published = await c.submit('/admin/editions/netconf/2027', '/admin/editions/netconf/2027', { title: 'Netconf 2027', status: 'tentative' });
    expect(published.statusCode).toBe(400);
    expect(published.body).toContain('is set by publishing the schedule (Schedule → “Publish as tentative”, or `conclave schedule publish 2027`), which checks it for conflicts and tells the speakers');
    const moved = await c.submit('/admin/editions/netconf/2027', '/admin/editions/netconf/2027', { title: 'Netconf 2027', startDate: '2029-07-14', endDate: '2029-07-15' });
    expect(moved.statusCode).toBe(400);
    expect(moved.body).toContain('is in 2029: the dates of the 2027 edition must fall in 2027');
    const newYear = await c.submit('/admin/editions/netconf/2027', '/admin/editions/netconf/2027', { title: 'Netconf 2027', startDate: '2026-12-30', endDate: '2027-01-02', timeZone: 'America/Toronto' });
    expect(newYear.statusCode).toBe(303);
    const back = await c.submit('/admin/editions/netconf/2027', '/admin/editions/netconf/2027', { title: 'Netconf 2027', startDate: '2027-07-14', endDate: '2027-07-15', timeZone: 'America/Toronto' });
    expect(back.statusCode).toBe(303);
    const edit = await c.submit('/admin/editions/netconf/2027', '/admin/editions/netconf/2027', { title: 'Netconf 2027', colocatedName: 'Netdev 0x20' });
    expect(edit.statusCode).toBe(303);
    const audit = await listAudit({ db: handle.db }, { action: 'edition.update' });
    expect(audit[0]!.actor).toBe('Chair@Example.org');
    expect((audit[0]!.before as { colocated_name: string | null }).colocated_name).toBeNull();
    expect((audit[0]!.after as { colocated_name: string }).colocated_name).toBe('Netdev 0x20');
    const log = await c.get('/admin/audit?action=edition.update');
    // The row lists the field changed; the whole entry is on a page of its own, linked from it.
    expect(log.body).toContain('<li>colocated_name: null → &#34;Netdev 0x20&#34;</li>');
    expect(log.body).toContain(`<a href="/admin/audit/${audit[0]!.id}">entry #${audit[0]!.id} in full</a>`);
    const full = await c.get(`/admin/audit/${audit[0]!.id}`);
    expect(full.statusCode).toBe(200);
    expect(full.body).toContain('&#34;colocated_name&#34;: &#34;Netdev 0x20&#34;');
    expect(full.body).toContain('&#34;title&#34;: &#34;Netconf 2027&#34;');
    const newest = Math.max(...(await listAudit({ db: handle.db }, { limit: 1 })).map((r) => r.id));
    for (const missing of [newest + 1, 2147483647]) {
      const none = await c.get(`/admin/audit/${missing}`);
      expect(none.statusCode, String(missing)).toBe(404);
      expect(none.body).toContain(`no audit log entry #${missing}`);
    }
    expect((await c.get('/admin/audit/2147483648')).statusCode).toBe(404);
    expect((await new Client(app).get(`/admin/audit/${audit[0]!.id}`)).statusCode).toBe(303);
    // An answer-by date already past is kept (an archive has them), with a warning for an edition to come.
    const passed = await c.submit('/admin/editions/netconf/2027', '/admin/editions/netconf/2027', { title: 'Netconf 2027', answerBy: '2020-01-02' });
    expect((await c.get(String(passed.headers.location))).body).toContain('Saved. The answer-by date, January 2, 2020, has passed already: invitations will need a later one.');
    expect((await c.get(String((await c.submit('/admin/editions/netconf/2027', '/admin/editions/netconf/2027', { title: 'Netconf 2027', answerBy: '2020-01-02' })).headers.location))).body).not.toContain('has passed');
    // A sign-in address typed into the intro is on the public page at once: saved, with a warning.
    const leak = await c.submit('/admin/editions/netconf/2027', '/admin/editions/netconf/2027', { title: 'Netconf 2027', intro: 'Questions? Write to Chair@Example.org.' });
    expect(leak.statusCode).toBe(303);
    expect((await c.get(String(leak.headers.location))).body).toContain('The edition&#39;s page now shows Chair@Example.org, an address not public');
    const clean = await c.submit('/admin/editions/netconf/2027', '/admin/editions/netconf/2027', { title: 'Netconf 2027', intro: 'Questions? Write to netdev@vger.kernel.org.' });
    expect((await c.get(String(clean.headers.location))).body).not.toContain('not public');

    // Another series, as the CLI's --series: the form offers the series there are, and titles
    // an edition left untitled by its series and year.
    const form = await c.get('/admin/editions/new');
    expect(form.body).toMatch(/<input id="f-series" name="series" type="text" value="Netconf" required list="f-series-list"[^>]*\/><datalist id="f-series-list"><option value="Netconf"><\/option><\/datalist>/);
    const noSlug = await c.submit('/admin/editions/new', '/admin/editions', { series: '!!!', year: '2027' });
    expect(noSlug.statusCode).toBe(400);
    expect(noSlug.body).toContain('must have a letter or a digit');
    expect(noSlug.body).toContain('value="!!!"');
    // A new edition still to come starts planned; one that is over is typed in with its status.
    const early = await c.submit('/admin/editions/new', '/admin/editions', { series: 'BPF Conference', year: '2027', status: 'final' });
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain('an edition still to come starts planned; publishing its schedule makes it final');
    const past = await c.submit('/admin/editions/new', '/admin/editions', { series: 'BPF Conference', year: '2019', status: 'final', startDate: '2019-03-07', endDate: '2019-03-08' });
    expect(past.statusCode).toBe(303);
    expect((await handle.db.selectFrom('editions').select('status').where('title', '=', 'BPF Conference 2019').executeTakeFirstOrThrow()).status).toBe('final');
    expect((await c.get('/admin/editions/bpf-conference/2019')).body).toContain('<select id="f-status" name="status"');
    const bpf = await c.submit('/admin/editions/new', '/admin/editions', { series: 'BPF Conference', year: '2027', title: '', answerBy: '2020-01-02' });
    expect(bpf.statusCode).toBe(303);
    expect((await c.get(String(bpf.headers.location))).body).toContain('Created BPF Conference 2027. The answer-by date, January 2, 2020, has passed already');
    expect((await app.inject('/bpf-conference/2027/')).statusCode).toBe(200);
    expect((await c.get('/admin/editions/new')).body).toContain('<option value="BPF Conference"></option>');
  });

  it('moves the waiting list up when the form raises the cap, and refuses one below the places taken', async () => {
    const c = await signedIn();
    const actor = { accountId: null, label: 'test' };
    const e = await createEdition(deps(), actor, { series: 'Netconf', year: 2029, fields: { title: 'Netconf 2029', startDate: '2029-07-14', endDate: '2029-07-15', answerBy: '2029-06-01', cap: 1 } });
    for (const [name, email] of [['Xavier First', 'xavier@example.org'], ['Yolanda Waiting', 'yolanda@example.org']]) {
      await addCandidate(deps(), actor, { editionId: e.id, name: name!, email: email! });
    }
    const sent = await sendInvitations(deps(), actor, { editionId: e.id, ids: 'all-candidates' });
    for (const s of sent.invitations) await acceptInvitation(deps(), { token: s.link.slice(s.link.lastIndexOf('/') + 1) });
    const base = '/admin/editions/netconf/2029';

    const raised = await c.submit(base, base, { title: 'Netconf 2029', cap: '2' });
    expect(raised.statusCode).toBe(303);
    const page = await c.get(raised.headers.location as string);
    expect(page.body).toContain('Saved. The raised cap moved 1 person up from the waiting list, each mailed: Yolanda Waiting &lt;yolanda@example.org>.');
    const list = (await c.get(`${base}/invitations`)).body;
    expect(list).toContain('2 of 2 places taken.');
    expect(list.match(/accepted \(moved up from the waiting list\)/g)).toHaveLength(1);
    expect((await listOutbox({ db: handle.db }, { kind: 'waitlist-promoted' })).map((m) => m.to_address)).toEqual(['yolanda@example.org']);

    const lowered = await c.submit(base, base, { title: 'Netconf 2029', cap: '1' });
    expect(lowered.statusCode).toBe(400);
    expect(lowered.body).toContain('cannot be 1: 2 people have accepted already (keep it at 2 or more, or revoke invitations first)');
    expect(lowered.body).toContain('aria-invalid="true"');
    expect((await handle.db.selectFrom('editions').select('cap').where('id', '=', e.id).executeTakeFirstOrThrow()).cap).toBe(2);

    // Full: accepting one more by hand is refused at its row, unless forced past the cap, as the CLI's --force.
    const zoe = await addCandidate(deps(), actor, { editionId: e.id, name: 'Zoe Extra', email: 'zoe@example.org' });
    const full = await c.submit(`${base}/invitations`, `${base}/invitations/${zoe.id}/act`, { act: 'override', state: 'accepted', reason: 'keynote' });
    expect(full.statusCode).toBe(400);
    expect(full.body).toContain('Netconf 2029 is full: 2 of 2 places are taken. Raise the cap (“Accepted places (cap)” on the edition’s page), or tick “force past the cap” to go past it.');
    expect(full.body).toContain(`<label for="f-force-${zoe.id}"><span class="muted">force past the cap</span></label>`);
    const forced = await c.submit(`${base}/invitations`, `${base}/invitations/${zoe.id}/act`, { act: 'override', state: 'accepted', reason: 'keynote', force: 'yes' });
    expect(forced.statusCode).toBe(303);
    expect((await c.get(forced.headers.location!)).body).toContain(`Invitation #${zoe.id} (zoe@example.org) is now accepted.`);
    expect((await handle.db.selectFrom('invitations').select('state').where('id', '=', zoe.id).executeTakeFirstOrThrow()).state).toBe('accepted');
  });

  it('says at a revoke, or a return to the candidates, how many unsent mails to the invitee it withdrew', async () => {
    const c = await signedIn();
    const actor = { accountId: null, label: 'test' };
    const e = await createEdition(deps(), actor, { series: 'Netconf', year: 2100, fields: { title: 'Netconf 2100', startDate: '2100-07-14', endDate: '2100-07-15', answerBy: '2100-06-01' } });
    for (const [name, email] of [['Una Queued', 'una@example.org'], ['Vic Queued', 'vic@example.org'], ['Wes Sent', 'wes@example.org']]) {
      await addCandidate(deps(), actor, { editionId: e.id, name: name!, email: email! });
    }
    const [una, vic, wes] = (await sendInvitations(deps(), actor, { editionId: e.id, ids: 'all-candidates' })).invitations;
    // Wes's invitation has gone; Una's and Vic's wait in the outbox.
    await handle.db.updateTable('outbox').set({ state: 'sent', sent_at: now, transport: 'mailbox' }).where('id', '=', wes!.outboxId).execute();
    const base = '/admin/editions/netconf/2100/invitations';

    const revoked = await c.submit(base, `${base}/${una!.id}/act`, { act: 'revoke', reason: 'not this year' });
    expect(revoked.statusCode).toBe(303);
    expect((await c.get(revoked.headers.location!)).body).toContain(`Invitation #${una!.id} (una@example.org) revoked; 1 unsent mail to them withdrawn.`);
    const back = await c.submit(base, `${base}/${vic!.id}/act`, { act: 'override', state: 'candidate', reason: 'invited by mistake' });
    expect(back.statusCode).toBe(303);
    expect((await c.get(back.headers.location!)).body).toContain(`Invitation #${vic!.id} (vic@example.org) is now candidate; 1 unsent mail to them withdrawn.`);
    // Nothing was waiting for Wes: nothing more is said.
    const plain = await c.submit(base, `${base}/${wes!.id}/act`, { act: 'revoke', reason: 'not this year' });
    expect(plain.statusCode).toBe(303);
    const notice = /<p class="notice" role="status">([^<]*)<\/p>/.exec((await c.get(plain.headers.location!)).body)?.[1];
    expect(notice?.trim()).toBe(`Invitation #${wes!.id} (wes@example.org) revoked.`);
    expect((await listOutbox({ db: handle.db }, { editionId: e.id })).map((m) => [m.to_address, m.state])).toEqual([['wes@example.org', 'sent']]);
  });

  it('adds sponsors with an uploaded logo (type sniffed, thumbnail made), committee roles and references', async () => {
    const c = await signedIn();
    const base = '/admin/editions/netconf/2027';
    const page = await c.get(base);
    const csrf = csrfOf(page.body);
    const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const png = await sharp({ create: { width: 400, height: 200, channels: 3, background: '#1a5fb4' } }).png().toBuffer();
    const fake = multipart({ _csrf: csrf, sponsorName: 'Evil Corp', kind: 'company' }, { name: 'logo', filename: 'logo.png', type: 'image/png', bytes: Buffer.from('<html><script>alert(1)</script></html>') });
    const refused = await app.inject({ method: 'POST', url: `${base}/sponsors`, headers: { cookie, 'content-type': fake.contentType }, payload: fake.payload });
    expect(refused.statusCode).toBe(400);
    // Named as what it is, not as "an unknown type".
    expect(refused.body).toContain('the logo is an HTML document; it must be a PNG image, a JPEG image, a GIF image or a WebP image');
    expect(await handle.db.selectFrom('sponsors').select('id').where('name', '=', 'Evil Corp').execute()).toHaveLength(0);
    const svg = multipart({ _csrf: csrf, sponsorName: 'Evil Corp', kind: 'company' }, { name: 'logo', filename: 'logo.svg', type: 'image/svg+xml', bytes: Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n') });
    const noSvg = await app.inject({ method: 'POST', url: `${base}/sponsors`, headers: { cookie, 'content-type': svg.contentType }, payload: svg.payload });
    expect(noSvg.statusCode).toBe(400);
    expect(noSvg.body).toContain('the logo is an SVG image (refused: it can carry scripts); it must be a PNG image');
    expect(await handle.db.selectFrom('sponsors').select('id').where('name', '=', 'Evil Corp').execute()).toHaveLength(0);
    // A PNG's signature and then nothing an image reader can use: refused, and nothing left on disk.
    const broken = Buffer.concat([png.subarray(0, 33), Buffer.alloc(200, 0x41)]);
    const torn = multipart({ _csrf: csrf, sponsorName: 'Torn Logo Inc', kind: 'company' }, { name: 'logo', filename: 'logo.png', type: 'image/png', bytes: broken });
    const unread = await app.inject({ method: 'POST', url: `${base}/sponsors`, headers: { cookie, 'content-type': torn.contentType }, payload: torn.payload });
    expect(unread.statusCode).toBe(400);
    expect(unread.body).toContain('the logo could not be read as an image');
    const brokenSha = createHash('sha256').update(broken).digest('hex');
    expect(fs.existsSync(path.join(filesDir, brokenSha.slice(0, 2), brokenSha))).toBe(false);
    expect(await handle.db.selectFrom('files').select('sha256').where('sha256', '=', brokenSha).execute()).toHaveLength(0);

    const good = multipart({ _csrf: csrf, sponsorName: 'Mojatatu Networks', kind: 'company', sponsorUrl: 'https://mojatatu.example/' }, { name: 'logo', filename: '../../etc/passwd', type: 'application/octet-stream', bytes: png });
    const added = await app.inject({ method: 'POST', url: `${base}/sponsors`, headers: { cookie, 'content-type': good.contentType }, payload: good.payload });
    expect(added.statusCode, added.body).toBe(303);
    const s = await handle.db.selectFrom('sponsors').selectAll().where('name', '=', 'Mojatatu Networks').executeTakeFirstOrThrow();
    expect(s.logo_sha256).toMatch(/^[0-9a-f]{64}$/);
    const logo = await app.inject(`/files/${s.logo_sha256}`);
    expect(logo.headers['content-type']).toBe('image/png');
    expect(logo.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(logo.rawPayload, png)).toBe(0);
    const thumb = await sharp((await app.inject(`/files/${s.logo_thumb_sha256}`)).rawPayload).metadata();
    expect(thumb.height).toBe(96);
    expect(fs.existsSync(path.join(filesDir, s.logo_sha256!.slice(0, 2), s.logo_sha256!))).toBe(true);

    expect((await c.submit(base, `${base}/committee-roles`, { memberName: 'Pat Chair', memberEmail: 'chair@example.org', role: 'netdev maintainer' })).statusCode).toBe(303);
    // Somebody the archive knows by neither name nor address only when the form says so: the
    // field says how, keeping what was typed; nobody is added on the way.
    const unknown = await c.submit(base, `${base}/committee-roles`, { memberName: 'Quinn Newcomer', memberEmail: 'quinn@example.org', role: 'program' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('<a href="#f-memberName">Member: no person &#34;Quinn Newcomer&#34; in the archive; tick “Add as a new person” to add them</a>');
    expect(unknown.body).toContain('value="Quinn Newcomer"');
    expect(await handle.db.selectFrom('people').select('id').where('name', '=', 'Quinn Newcomer').execute()).toHaveLength(0);
    expect((await c.submit(base, `${base}/committee-roles`, { memberName: 'Quinn Newcomer', memberEmail: 'quinn@example.org', role: 'program', newPerson: 'yes' })).statusCode).toBe(303);
    const quinn = handle.db.selectFrom('committee_members').innerJoin('people', 'people.id', 'committee_members.person_id').select('people.name').where('role', '=', 'program');
    expect(await quinn.execute()).toEqual([{ name: 'Quinn Newcomer' }]);
    expect((await c.submit(base, `${base}/references`, { refTitle: 'Netdev 0x20', refUrl: 'not a url' })).statusCode).toBe(400);
    expect((await c.submit(base, `${base}/references`, { refTitle: 'Netdev 0x20', refUrl: 'https://netdevconf.example/0x20/' })).statusCode).toBe(303);
    const pub = await app.inject('/netconf/2027/');
    expect(pub.body).toContain(`src="/files/${s.logo_thumb_sha256}"`);
    expect(pub.body).toContain('Pat Chair');
    expect(pub.body).toContain('netdev maintainer');
    expect(pub.body).toContain('href="https://netdevconf.example/0x20/"');
    const ref = await handle.db.selectFrom('edition_references').select('id').executeTakeFirstOrThrow();
    const removed = await c.submit(base, `${base}/reference/${ref.id}/remove`, {});
    expect(removed.statusCode).toBe(303);
    expect(await handle.db.selectFrom('edition_references').select('id').execute()).toHaveLength(0);
    // The notice says what went, not only "Removed.".
    expect((await c.get(removed.headers.location as string)).body).toContain('Removed the reference “Netdev 0x20”.');
    const role = await handle.db.selectFrom('committee_members').select('id').where('role', '=', 'netdev maintainer').executeTakeFirstOrThrow();
    const gone = await c.submit(base, `${base}/committee-role/${role.id}/remove`, {});
    expect((await c.get(gone.headers.location as string)).body).toContain('Removed Pat Chair’s committee role (netdev maintainer).');
    // Remove pressed again (a double post, a page older than the removal): back on the page, saying it is done.
    for (const [part, id, said] of [
      ['reference', ref.id, `Reference #${ref.id} was already removed.`],
      ['committee-role', role.id, `Committee role #${role.id} was already removed.`],
    ] as const) {
      const again = await c.submit(base, `${base}/${part}/${id}/remove`, {});
      expect(again.statusCode, part).toBe(303);
      const to = new URL(again.headers.location as string, 'http://x');
      expect([to.pathname, to.searchParams.get('notice')]).toEqual([base, said]);
      expect((await c.get(again.headers.location as string)).body).toContain(said);
    }
    // An edition that is not there is still not found.
    expect((await c.submit(base, `/admin/editions/netconf/1999/reference/${ref.id}/remove`, {})).statusCode).toBe(404);
    const log = await listAudit({ db: handle.db }, { entity: 'sponsor' });
    expect(log.map((l) => l.action)).toEqual(['sponsor.add']);
    // A role's removal is found where its addition is: under the entity the addition names.
    const roleLog = (await listAudit({ db: handle.db }, { entity: 'committee_member' })).filter((l) => l.entity_id === String(role.id));
    expect(roleLog.map((l) => l.action)).toEqual(['committee-role.remove', 'committee-role.add']);
  });

  it('puts a refused part\'s error at the field of the form that was sent, named as that form names it', async () => {
    const c = await signedIn();
    const base = '/admin/editions/netconf/2027';
    const ref = await c.submit(base, `${base}/references`, { refTitle: 'Netdev 0x20', refUrl: 'not a url' });
    expect(ref.statusCode).toBe(400);
    expect(ref.body).toContain('<a href="#f-refUrl">Address of the reference: ');
    // The summary stands above the form the post came from, where the browser lands (its action's #).
    expect(ref.body.indexOf('<a href="#f-refUrl">')).toBeGreaterThan(ref.body.indexOf('<h2 id="a-references">'));
    expect(ref.body).toContain('/references#a-references"');
    expect(ref.body).toContain('id="f-refUrl-error"');
    expect(ref.body).not.toContain('id="f-sponsorUrl-error"');
    expect(ref.body).toContain('value="not a url"');
    const member = await c.submit(base, `${base}/committee-roles`, { memberName: '', memberEmail: 'chair@example.org', role: 'x' });
    expect(member.statusCode).toBe(400);
    expect(member.body).toContain('<a href="#f-memberName">Member: ');
    expect(member.body).toContain('id="f-memberName-error"');
    expect(member.body).not.toContain('id="f-sponsorName-error"');
  });

  it('edits a sponsor, a committee role and a reference in place, keeping their id and place', async () => {
    const c = await signedIn();
    const base = '/admin/editions/netconf/2027';
    const cookie = () => [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const png = (background: string) => sharp({ create: { width: 300, height: 100, channels: 3, background } }).png().toBuffer();
    const [blue, green] = await Promise.all([png('#1a5fb4'), png('#26a269')]);
    const post = async (url: string, fields: Record<string, string>, logo?: Buffer) => {
      const form = multipart({ _csrf: csrfOf((await c.get(base)).body), ...fields }, { name: 'logo', filename: logo ? 'logo.png' : '', type: logo ? 'image/png' : 'application/octet-stream', bytes: logo ?? Buffer.alloc(0) });
      return app.inject({ method: 'POST', url, headers: { cookie: cookie(), 'content-type': form.contentType }, payload: form.payload });
    };
    expect((await post(`${base}/sponsors`, { sponsorName: 'Acme Labs', kind: 'company', sponsorUrl: 'https://acme.example/' }, blue)).statusCode).toBe(303);
    expect((await post(`${base}/sponsors`, { sponsorName: 'Second Sponsor', kind: 'company' })).statusCode).toBe(303);
    const before = await handle.db.selectFrom('sponsors').selectAll().where('name', '=', 'Acme Labs').executeTakeFirstOrThrow();
    const onDisk = (sha: string | null) => fs.existsSync(path.join(filesDir, sha!.slice(0, 2), sha!));
    expect(onDisk(before.logo_sha256)).toBe(true);

    // The edition's page links each part's form; the form holds its values.
    // Its "Edit" is named by the sponsor's name beside it (to a screen reader: "Edit Acme Labs").
    const edition = (await c.get(base)).body;
    expect(edition).toContain(`<span id="sponsor-${before.id}">Acme Labs</span>`);
    expect(edition).toContain(`<a href="${base}/sponsor/${before.id}" id="sponsor-${before.id}-edit" aria-labelledby="sponsor-${before.id}-edit sponsor-${before.id}">Edit</a>`);
    const form = await c.get(`${base}/sponsor/${before.id}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('value="Acme Labs"');
    expect(form.body).toContain('value="https://acme.example/"');
    expect(form.body).toContain('Remove the logo');

    // Renamed, made an event, its address taken away, its logo replaced: the old logo's bytes go.
    const saved = await post(`${base}/sponsor/${before.id}`, { name: 'Acme Networks', kind: 'event', url: '' }, green);
    expect(saved.statusCode, saved.body).toBe(303);
    expect((await c.get(saved.headers.location as string)).body).toContain('Saved the sponsor Acme Networks.');
    const after = await handle.db.selectFrom('sponsors').selectAll().where('id', '=', before.id).executeTakeFirstOrThrow();
    expect({ ...after, logo_sha256: after.logo_sha256 === createHash('sha256').update(green).digest('hex') }).toMatchObject({ name: 'Acme Networks', kind: 'event', url: null, logo_alt: 'Acme Networks logo', position: before.position, logo_sha256: true });
    expect(onDisk(before.logo_sha256)).toBe(false);
    expect(onDisk(after.logo_sha256)).toBe(true);
    expect((await app.inject('/netconf/2027/')).body).toContain(`src="/files/${after.logo_thumb_sha256}"`);

    // Refused: the error at its field, what was typed kept, nothing changed.
    const bad = await post(`${base}/sponsor/${before.id}`, { name: '', kind: 'event', url: 'not a url' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('id="f-name-error"');
    expect(bad.body).toContain('id="f-url-error"');
    expect(bad.body).toContain('value="not a url"');
    expect((await handle.db.selectFrom('sponsors').select('name').where('id', '=', before.id).executeTakeFirstOrThrow()).name).toBe('Acme Networks');

    // The logo taken away; the same values again change nothing and leave no audit record.
    expect((await post(`${base}/sponsor/${before.id}`, { name: 'Acme Networks', kind: 'event', url: '', removeLogo: 'yes' })).statusCode).toBe(303);
    expect(await handle.db.selectFrom('sponsors').select(['logo_sha256', 'logo_thumb_sha256', 'logo_alt']).where('id', '=', before.id).executeTakeFirstOrThrow()).toEqual({ logo_sha256: null, logo_thumb_sha256: null, logo_alt: null });
    expect(onDisk(after.logo_sha256)).toBe(false);
    const same = await post(`${base}/sponsor/${before.id}`, { name: 'Acme Networks', kind: 'event', url: '' });
    expect((await c.get(same.headers.location as string)).body).toContain('Nothing changed in the sponsor Acme Networks.');
    const audit = (await listAudit({ db: handle.db }, { entity: 'sponsor' })).filter((l) => l.entity_id === String(before.id));
    expect(audit.map((l) => l.action).sort()).toEqual(['sponsor.add', 'sponsor.update', 'sponsor.update']);
    // Its place in the list stays: still before the sponsor added after it.
    const order = (await handle.db.selectFrom('sponsors').select('name').where('name', 'in', ['Acme Networks', 'Second Sponsor']).orderBy('position').execute()).map((r) => r.name);
    expect(order).toEqual(['Acme Networks', 'Second Sponsor']);

    // A committee member's role, and a reference.
    expect((await c.submit(base, `${base}/committee-roles`, { memberName: 'Rita Role', memberEmail: 'rita@example.org', role: 'netdev maintainer', newPerson: 'yes' })).statusCode).toBe(303);
    const member = await handle.db.selectFrom('committee_members').select('id').where('role', '=', 'netdev maintainer').executeTakeFirstOrThrow();
    const role = await c.submit(`${base}/committee-role/${member.id}`, `${base}/committee-role/${member.id}`, { role: 'local arrangements' });
    expect(role.statusCode, role.body).toBe(303);
    expect((await c.get(role.headers.location as string)).body).toContain('Saved Rita Role’s committee role (local arrangements).');
    expect((await app.inject('/netconf/2027/')).body).toContain('local arrangements');
    // Logged under the entity its addition was logged under.
    expect((await listAudit({ db: handle.db }, { entity: 'committee_member' })).filter((l) => l.entity_id === String(member.id)).map((l) => l.action)).toEqual(['committee-role.update', 'committee-role.add']);
    expect((await c.submit(base, `${base}/references`, { refTitle: 'LWN: Netconf 2027', refUrl: 'https://lwn.example/1/' })).statusCode).toBe(303);
    const ref = await handle.db.selectFrom('edition_references').select('id').where('title', '=', 'LWN: Netconf 2027').executeTakeFirstOrThrow();
    expect((await c.submit(`${base}/reference/${ref.id}`, `${base}/reference/${ref.id}`, { title: 'LWN: Netconf 2027 report', url: 'https://lwn.example/2/' })).statusCode).toBe(303);
    expect(await handle.db.selectFrom('edition_references').select(['title', 'url']).where('id', '=', ref.id).executeTakeFirstOrThrow()).toEqual({ title: 'LWN: Netconf 2027 report', url: 'https://lwn.example/2/' });

    // A new name alone is a change too.
    const second = await handle.db.selectFrom('sponsors').select('id').where('name', '=', 'Second Sponsor').executeTakeFirstOrThrow();
    const renamedOnly = await post(`${base}/sponsor/${second.id}`, { name: 'Second Sponsors', kind: 'company', url: '' });
    expect((await c.get(renamedOnly.headers.location as string)).body).toContain('Saved the sponsor Second Sponsors.');
    expect((await listAudit({ db: handle.db }, { entity: 'sponsor' })).filter((l) => l.entity_id === String(second.id)).map((l) => l.action)).toEqual(['sponsor.update', 'sponsor.add']);

    // A name that ends a sentence of its own gets no second full stop.
    const dotted = await post(`${base}/sponsors`, { sponsorName: 'Dot Works Inc.', kind: 'company' });
    expect((await c.get(dotted.headers.location as string)).body).toContain('Added sponsor Dot Works Inc.</p>');
    const dottedId = (await handle.db.selectFrom('sponsors').select('id').where('name', '=', 'Dot Works Inc.').executeTakeFirstOrThrow()).id;
    const renamed = await post(`${base}/sponsor/${dottedId}`, { name: 'Dot Works Ltd.', kind: 'company', url: '' });
    expect((await c.get(renamed.headers.location as string)).body).toContain('Saved the sponsor Dot Works Ltd.</p>');

    // Another edition's part, or none: not found.
    expect((await c.get(`${base}/reference/999999`)).statusCode).toBe(404);
    expect((await c.get(`/admin/editions/netconf/2026/sponsor/${before.id}`)).statusCode).toBe(404);
  });

  it('pages the audit log, filtered by edition as `conclave audit --year` is', async () => {
    const c = await signedIn();
    const e = await handle.db.selectFrom('editions').select('id').where('year', '=', 2027).executeTakeFirstOrThrow();
    await handle.db
      .insertInto('audit_log')
      .values(Array.from({ length: 230 }, (_, i) => ({ actor: 'test', action: 'test.bulk', entity: 'thing', entity_id: String(i + 1), edition_id: e.id })))
      .execute();
    // Another edition's entry of the same action stays out.
    await handle.db.insertInto('audit_log').values({ actor: 'test', action: 'test.bulk', entity: 'thing', entity_id: 'elsewhere', edition_id: null }).execute();
    const entries = (body: string) => [...body.matchAll(/test\.bulk thing #(\w+)/g)].map((m) => m[1]);
    const older = (body: string) => /<a href="([^"]*)">Older entries<\/a>/.exec(body)?.[1]?.replace(/&amp;/g, '&');
    const first = await c.get('/admin/audit?edition=netconf/2027&action=test.bulk');
    expect(first.statusCode).toBe(200);
    expect(entries(first.body)).toEqual(Array.from({ length: 100 }, (_, i) => String(230 - i)));
    expect(first.body).not.toContain('Newest entries');
    const second = await c.get(older(first.body)!);
    expect(entries(second.body)).toEqual(Array.from({ length: 100 }, (_, i) => String(130 - i)));
    expect(second.body).toContain('Newest entries');
    const last = await c.get(older(second.body)!);
    expect(entries(last.body)).toEqual(Array.from({ length: 30 }, (_, i) => String(30 - i)));
    expect(older(last.body)).toBeUndefined();
    // The filter is kept from page to page.
    expect(older(first.body)).toMatch(/edition=netconf%2F2027/);
    expect(older(first.body)).toMatch(/action=test\.bulk/);
    const unknown = await c.get('/admin/audit?edition=1999');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('no edition 1999 (one of the list, such as netconf/2015)');
    expect((await c.get('/admin/audit?edition=last+year')).body).toContain('a year such as 2015, or series/year such as netconf/2015');
  });

  it('keeps candidates off the public pages, and sign-in links out of other members\' sight', async () => {
    const c = await signedIn();
    const e = await handle.db.selectFrom('editions').select('id').where('year', '=', 2027).executeTakeFirstOrThrow();
    const cand = await addCandidate({ db: handle.db, clock, mail }, { accountId: null, label: 'test' }, { editionId: e.id, name: 'Ada Considered', email: 'ada@example.org' });
    expect((await app.inject(`/people/${cand.personSlug}/`)).statusCode).toBe(404);
    expect((await app.inject('/people/')).body).not.toContain('Ada Considered');
    const signin = (await listOutbox({ db: handle.db }, { kind: 'signin' }))[0]!;
    const view = await c.get(`/admin/mail/${signin.id}`);
    expect(view.statusCode).toBe(200);
    expect(view.body).not.toMatch(/\/signin\/[A-Za-z0-9_-]{20,}/);
    expect(view.body).toContain('hidden: a one-time link for its owner only');
  });

  it('names the entry already on the list when a candidate is added twice from the form', async () => {
    const c = await signedIn();
    const base = '/admin/editions/netconf/2027/invitations';
    expect((await c.submit(base, `${base}/candidates`, { name: 'Zed', email: 'ZED@Example.org' })).statusCode).toBe(303);
    const dup = await c.submit(base, `${base}/candidates`, { name: 'Zed2', email: 'zed@example.org' });
    expect(dup.statusCode).toBe(400);
    expect(dup.body).toContain('Zed &lt;ZED@Example.org> is already on the list of Netconf 2027 (candidate)');
    expect(dup.body).not.toContain('Zed2 &lt;');
    // Sent as held drafts, the page the sending redirects to (a reload sends nothing again)
    // shows the links, and says they are not sent yet.
    const sent = await c.submit(base, `${base}/send`, { ids: String((await handle.db.selectFrom('invitations').innerJoin('people', 'people.id', 'invitations.person_id').select('invitations.id').where('people.name', '=', 'Zed').executeTakeFirstOrThrow()).id), hold: 'yes', answerBy: '2027-06-01' });
    expect(sent.statusCode, sent.body).toBe(303);
    expect(sent.headers.location).toMatch(/^\/admin\/editions\/netconf\/2027\/invitations\?notice=/);
    // The links travel in a cookie for that page, never in the address.
    expect(sent.headers.location).not.toContain('invitation%2F');
    expect(sent.cookies.find((k) => k.name === 'conclave_sent_links')).toMatchObject({ path: base, httpOnly: true, sameSite: 'Strict' });
    const held = await c.get(sent.headers.location as string);
    expect(held.statusCode).toBe(200);
    expect(held.body).toContain('<h2>Links in the held drafts (not sent yet)</h2>');
    expect(held.body).not.toContain('Links just sent');
    expect(held.body).toMatch(/1 invitation held as a draft in batch [^:<]+: read and send it under Mail\./);
    const link = /Zed &lt;zed@example\.org>: (http:\/\/\S+\/invitation\/[A-Za-z0-9_-]{43})</i.exec(held.body)?.[1];
    expect(link, held.body).toBeDefined();
    expect((await app.inject(new URL(link!).pathname)).statusCode).toBe(200);
    // Shown once: the page again shows the pipeline alone.
    expect((await c.get(sent.headers.location as string)).body).not.toContain('Links in the held drafts');
    // A link sent back that is not one the edition's invitations have is not shown.
    const forged = await app.inject({ url: base, headers: { cookie: `${[...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ')}; conclave_sent_links=1~${'A'.repeat(43)}` } });
    expect(forged.statusCode).toBe(200);
    expect(forged.body).not.toContain('AAAAAAAAAA');
    expect(forged.body).not.toContain('Links just sent');
    // A field's error at the top is named as the form names it, not by the domain's field name.
    expect((await c.submit(base, `${base}/candidates`, { name: 'Walt Later', email: 'walt@example.org' })).statusCode).toBe(303);
    const walt = (await handle.db.selectFrom('invitations').innerJoin('people', 'people.id', 'invitations.person_id').select('invitations.id').where('people.name', '=', 'Walt Later').executeTakeFirstOrThrow()).id;
    const none = await c.submit(base, `${base}/send`, { ids: String(walt), answerBy: '2020-01-01' });
    expect(none.statusCode).toBe(400);
    expect(none.body).toMatch(/<a href="#f-answerBy">Answer by: January 1, 2020 has passed already<\/a>/);
    // A candidate gone meanwhile (another member's page, the CLI): said above the list, with the form.
    const gone = await c.submit(base, `${base}/send`, { ids: '999999', answerBy: '2027-06-01' });
    expect(gone.statusCode).toBe(409);
    expect(gone.body).toContain('Nothing was sent: invitation 999999 not found in Netconf 2027.');
    expect(gone.body).toContain('>Send invitations</button>');
    expect((await handle.db.selectFrom('invitations').select('state').where('id', '=', walt).executeTakeFirstOrThrow()).state).toBe('candidate');
  });

  it('asks from the form who a known name at a new address is, and keeps the answer', async () => {
    const c = await signedIn();
    const base = '/admin/editions/netconf/2027/invitations';
    expect((await c.submit(base, `${base}/candidates`, { name: 'Quinn Namesake', email: 'quinn@one.example' })).statusCode).toBe(303);
    const asked = await c.submit(base, `${base}/candidates`, { name: 'Quinn Namesake', email: 'quinn@two.example', note: 'met at LPC' });
    expect(asked.statusCode).toBe(400);
    expect(asked.body).toContain('<a href="#f-person">Who is this: Quinn Namesake is known by quinn@one.example, not quinn@two.example, and is on the list of Netconf 2027 already (candidate):');
    // A menu that starts on no answer (lynx shows the first of unchecked radio buttons as chosen);
    // the Quinn on the list already is no answer.
    expect(asked.body).toMatch(/<select id="person" name="person" required aria-describedby="person-error"><option value="" selected>Choose who this is<\/option><option value="new">Somebody else of that name: a new person<\/option><\/select>/);
    // Sent unchanged, it is asked again.
    expect((await c.submit(base, `${base}/candidates`, { name: 'Quinn Namesake', email: 'quinn@two.example', person: '' })).statusCode).toBe(400);
    expect(asked.body).toContain('value="met at LPC"');
    // Answered "somebody else": a second person of that name, both on the list.
    const other = await c.submit(base, `${base}/candidates`, { name: 'Quinn Namesake', email: 'quinn@two.example', note: 'met at LPC', person: 'new' });
    expect(other.statusCode, other.body).toBe(303);
    const people = await handle.db
      .selectFrom('invitations')
      .innerJoin('people', 'people.id', 'invitations.person_id')
      .select(['people.slug', 'invitations.email'])
      .where('people.name', '=', 'Quinn Namesake')
      .orderBy('invitations.id')
      .execute();
    expect(people).toEqual([
      { slug: 'quinn-namesake', email: 'quinn@one.example' },
      { slug: 'quinn-namesake-2', email: 'quinn@two.example' },
    ]);
    // Known, not on the list: the menu offers them.
    const known = await handle.db.insertInto('people').values({ slug: 'rhea-namesake', name: 'Rhea Namesake', name_key: 'rhea namesake' }).returning('id').executeTakeFirstOrThrow();
    await handle.db.insertInto('person_emails').values({ person_id: known.id, email: 'rhea@one.example' }).execute();
    const rhea = await c.submit(base, `${base}/candidates`, { name: 'Rhea Namesake', email: 'rhea@two.example' });
    expect(rhea.body).toContain('<a href="#f-person">Who is this: Rhea Namesake is known by rhea@one.example, not rhea@two.example: say whether');
    expect(rhea.body).toMatch(/<option value="" selected>Choose who this is<\/option><option value="rhea@one\.example">The Rhea Namesake known by rhea@one\.example: a new address of theirs<\/option><option value="new">Somebody else of that name: a new person<\/option><\/select>/);
  });

  it('refuses a row action at its row, naming the person, and re-sends an expired invitation with a new date', async () => {
    const base = '/admin/editions/netconf/2027/invitations';
    const idOf = async (name: string) =>
      (await handle.db.selectFrom('invitations').innerJoin('people', 'people.id', 'invitations.person_id').select('invitations.id').where('people.name', '=', name).executeTakeFirstOrThrow()).id;
    const zed = await idOf('Zed');
    const saved = now;
    try {
      now = new Date('2027-06-05T12:00:00Z');
      const c = await signedIn();
      const bare = await c.submit(base, `${base}/${zed}/act`, { act: 'revoke', reason: ' ' });
      expect(bare.statusCode).toBe(400);
      expect(bare.body).toContain(`<a href="#f-reason-${zed}">Zed, Reason: a reason is required</a>`);
      expect(bare.body).toContain(`id="f-reason-${zed}-error"`);
      // Past its date (June 1) the invitation expires; re-sent, it needs a new one, asked at its row.
      // Expired by the member's "Send due reminders", it is the member the log names, in one entry too.
      const remind = await c.submit(base, `${base}/remind`, {});
      expect(remind.statusCode).toBe(303);
      expect((await row(zed)).state).toBe('expired');
      const [expiry] = (await listAudit({ db: handle.db }, { action: 'invitation.expire' })).filter((a) => a.entity_id === String(zed));
      expect(expiry!.actor).toBe('Chair@Example.org');
      const [ran] = await listAudit({ db: handle.db }, { action: 'invitation.remind' });
      expect(ran).toMatchObject({ actor: 'Chair@Example.org', entity: 'edition' });
      expect((ran!.after as { expired: { id: number }[] }).expired.map((x) => x.id)).toContain(zed);
      const late = await c.submit(base, `${base}/${zed}/act`, { act: 'resend', answerBy: '2027-06-01' });
      expect(late.statusCode).toBe(400);
      expect(late.body).toContain(`<a href="#f-answerBy-${zed}">Zed, New answer-by: June 1, 2027 has passed already</a>`);
      expect(late.body).toMatch(new RegExp(`id="f-answerBy-${zed}" name="answerBy" type="date" size="10" value="2027-06-01"`));
      const ok = await c.submit(base, `${base}/${zed}/act`, { act: 'resend', answerBy: '2027-06-20' });
      expect(ok.statusCode).toBe(303);
      // Said as `conclave invite resend` says it.
      expect((await c.get(ok.headers.location as string)).body).toMatch(new RegExp(`Invitation #${zed} \\(zed@example\\.org\\) re-sent with a new link, queued for sending\\. Its earlier mail, held unsent in batch \\S+, was taken out of that batch\\.</p>`, 'i'));
      const none = await c.submit(base, `${base}/999999/act`, { act: 'resend' });
      expect(none.statusCode).toBe(404);
      expect(none.body).toContain('invitation 999999 not found in Netconf 2027');
      expect(await row(zed)).toMatchObject({ state: 'invited', answer_by: '2027-06-20' });
      // Another edition's invitation is not acted on through this edition's page.
      const xavier = await idOf('Xavier First');
      const other = await c.submit(base, `${base}/${xavier}/act`, { act: 'revoke', reason: 'wrong page' });
      expect(other.statusCode).toBe(404);
      expect((await row(xavier)).state).toBe('accepted');
    } finally {
      now = saved;
    }
  });

  it('lists queued mail by when it is due, not when it was written', async () => {
    const c = await signedIn();
    await enqueueMail(handle.db, { kind: 'schedule-change', baseUrl: mail.baseUrl, to: { address: 'later@example.org' }, from: mail.from, subject: 'A change notice, due later', body: 'Moved', notBefore: new Date('2099-01-01T10:05:00Z') });
    try {
      const queued = await c.get('/admin/mail?state=queued');
      expect(queued.body).toMatch(/<td>due 2099-01-01 10:05<\/td>\s*<td id="message-\d+-to">later@example.org<\/td>/);
    } finally {
      await handle.db.deleteFrom('outbox').where('to_address', '=', 'later@example.org').execute();
    }
  });

  it('says "1 message queued" when Send all queues one', async () => {
    const c = await signedIn();
    await enqueueMail(handle.db, { kind: 'invitation', baseUrl: mail.baseUrl, to: { address: 'one@example.org' }, from: mail.from, subject: 'Invitation alone', body: 'Hello', hold: true, batch: 'held-one' });
    try {
      const list = await c.get('/admin/mail?state=draft');
      const res = await c.post('/admin/mail/release', { _csrf: csrfOf(list.body), batch: 'held-one' });
      expect(res.statusCode).toBe(303);
      expect(decodeURIComponent(String(res.headers.location))).toMatch(/^\/admin\/mail\?notice=1 message queued for sending\.(&|$)/);
    } finally {
      await handle.db.deleteFrom('outbox').where('to_address', '=', 'one@example.org').execute();
    }
  });

  it('holds a batch of drafts to read, then sends all, audited', async () => {
    const c = await signedIn();
    await handle.db.transaction().execute(async (trx) => {
      for (const to of ['a@example.org', 'b@example.org']) {
        await enqueueMail(trx, { kind: 'invitation', baseUrl: mail.baseUrl, to: { address: to }, from: mail.from, subject: 'Invitation', body: 'Hello', hold: true, batch: 'held-1' });
      }
    });
    const list = await c.get('/admin/mail?state=draft');
    expect(list.body).toMatch(/Drafts held in batch <span id="held-\d+">held-1<\/span>/);
    const held = await handle.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'draft').executeTakeFirstOrThrow();
    expect(list.body).toMatch(new RegExp(`<a href="/admin/mail">Mail</a>\\s*<strong> \\(${Number(held.n)} held\\)</strong>`));
    const res = await c.post('/admin/mail/release', { _csrf: csrfOf(list.body), batch: 'held-1' });
    expect(res.statusCode).toBe(303);
    expect((await listOutbox({ db: handle.db }, { batch: 'held-1' })).map((m) => m.state)).toEqual(['queued', 'queued']);
    const log = await listAudit({ db: handle.db }, { action: 'mail.release' });
    expect(log[0]!.entity_id).toBe('held-1');
  });

  it('discards a held batch of invitations as if it had not been sent, from the mail page', async () => {
    const c = await signedIn();
    const base = '/admin/editions/netconf/2027/invitations';
    expect((await c.submit(base, `${base}/candidates`, { name: 'Yara Held', email: 'yara@example.org' })).statusCode).toBe(303);
    const yara = (await handle.db.selectFrom('invitations').innerJoin('people', 'people.id', 'invitations.person_id').select('invitations.id').where('people.name', '=', 'Yara Held').executeTakeFirstOrThrow()).id;
    const held = await c.submit(base, `${base}/send`, { ids: String(yara), hold: 'yes', answerBy: '2027-06-01' });
    expect(held.statusCode).toBe(303);
    const batch = /held as a draft in batch ([^:<]+):/.exec((await c.get(held.headers.location!)).body)![1]!;
    const list = await c.get('/admin/mail?state=draft');
    const res = await c.post('/admin/mail/discard', { _csrf: csrfOf(list.body), batch });
    expect(res.statusCode).toBe(303);
    expect((await c.get(res.headers.location!)).body).toContain('1 draft discarded; candidates again: Yara Held.');
    expect((await handle.db.selectFrom('invitations').select('state').where('id', '=', yara).executeTakeFirstOrThrow()).state).toBe('candidate');
    // A held re-send is refused on the drafts page itself, saying why.
    const sent = await c.submit(base, `${base}/send`, { ids: String(yara), answerBy: '2027-06-01' });
    expect(sent.statusCode).toBe(303);
    // It goes out: the re-send below replaces a mail Yara got, and ends its link.
    await deliverDueMail(handle.db);
    expect(await handle.db.selectFrom('outbox').select('state').where('invitation_id', '=', yara).execute()).toEqual([{ state: 'sent' }]);
    const resent = await c.submit(base, `${base}/${yara}/act`, { act: 'resend', reason: '' });
    expect(resent.statusCode).toBe(303);
    await handle.db.updateTable('outbox').set({ state: 'draft', batch: 'resend-held' }).where('id', '=', (await handle.db.selectFrom('outbox').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id).execute();
    const drafts = await c.get('/admin/mail?state=draft');
    const refused = await c.post('/admin/mail/discard', { _csrf: csrfOf(drafts.body), batch: 'resend-held' });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('re-sends the invitation of Yara Held &lt;yara@example.org>');
    expect(refused.body).toMatch(/Drafts held in batch <span id="held-\d+">resend-held<\/span>/);
  });

  it('signs out, logged as the member, and once only', async () => {
    const a = await signedIn();
    const before = (await listAudit({ db: handle.db }, { action: 'session.signout' })).length;
    const page = await a.get('/admin/');
    const cookie = a.cookies.get('conclave_session')!;
    expect((await a.post('/signout', { _csrf: csrfOf(page.body) })).statusCode).toBe(303);
    expect((await a.get('/admin/')).statusCode).toBe(303);
    const logged = await listAudit({ db: handle.db }, { action: 'session.signout' });
    expect(logged.length).toBe(before + 1);
    expect([logged[0]!.actor, logged[0]!.entity]).toEqual(['Chair@Example.org', 'committee_account']);
    // The audit page lists it with no empty "changes" to unfold ({"before": null, "after": null}).
    const log = await (await signedIn()).get('/admin/audit?action=session.signout');
    const row = log.body.match(/<tr><td>[^<]*<\/td><td>[^<]*<\/td><td>session\.signout[^<]*<\/td>(.*?)<\/tr>/)!;
    expect(row[1]).toBe('<td class="muted">none</td>');
    // The same secret again ends nothing and logs nothing.
    await signOut({ db: handle.db }, cookie);
    expect((await listAudit({ db: handle.db }, { action: 'session.signout' })).length).toBe(before + 1);
    // An area's name alone lists every action of it; a part of a name is no area.
    const session = new Set((await listAudit({ db: handle.db }, { action: 'session', limit: 1000 })).map((r) => r.action));
    expect(session.has('session.signin') && session.has('session.signout') && [...session].every((a) => a.startsWith('session.'))).toBe(true);
    expect(await listAudit({ db: handle.db }, { action: 'sess' })).toEqual([]);
    expect(await listAudit({ db: handle.db }, { action: 'session_' })).toEqual([]);
  });

  it('signs out everywhere', async () => {
    const a = await signedIn();
    const b = await signedIn();
    const page = await a.get('/admin/');
    expect((await a.post('/signout/everywhere', { _csrf: csrfOf(page.body) })).statusCode).toBe(303);
    expect((await b.get('/admin/')).statusCode).toBe(303);
    expect((await a.get('/admin/')).statusCode).toBe(303);
    // For a member from the terminal (a lost laptop): every session ends, the account stays.
    const c = await signedIn();
    const d = await signedIn();
    expect(await signOutMember({ db: handle.db }, { accountId: null, label: 'cli:root' }, { email: 'CHAIR@example.org' })).toEqual({ email: 'Chair@Example.org', name: 'Pat Chair', ended: 2 });
    expect((await c.get('/admin/')).statusCode).toBe(303);
    expect((await d.get('/admin/')).statusCode).toBe(303);
    expect((await signedIn().then((x) => x.get('/admin/'))).statusCode).toBe(200);
    const [logged] = await listAudit({ db: handle.db }, { action: 'session.signout-everywhere' });
    expect([logged!.actor, logged!.after]).toEqual(['cli:root', { ended: 2 }]);
    await expect(signOutMember({ db: handle.db }, { accountId: null, label: 'cli:root' }, { email: 'nobody@example.org' })).rejects.toThrow('nobody@example.org is not a committee member');

    // The same from the committee page, for another member: their sessions end, not one's own.
    const e = await signedIn();
    const f = await signedIn();
    const page2 = await e.get('/admin/committee');
    expect(page2.body).toContain('>Sign Pat Chair out everywhere</button>');
    const live = await handle.db
      .selectFrom('sessions')
      .innerJoin('committee_accounts', 'committee_accounts.id', 'sessions.account_id')
      .where((eb) => eb(eb.fn('lower', ['committee_accounts.email']), '=', 'chair@example.org'))
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(live.n)).toBeGreaterThanOrEqual(2);
    const out = await e.submit('/admin/committee', '/admin/committee/signout', { email: 'chair@example.org' });
    expect(out.statusCode).toBe(303);
    // Every session was the chair's, the one posting too: it is signed out as well.
    expect(decodeURIComponent(out.headers.location as string)).toContain(`Ended ${live.n} sessions of Pat Chair: they sign in again with a new link.`);
    expect((await f.get('/admin/')).statusCode).toBe(303);
    expect((await e.get('/admin/')).statusCode).toBe(303);
    const [webLogged] = await listAudit({ db: handle.db }, { action: 'session.signout-everywhere' });
    expect(webLogged!.after).toEqual({ ended: Number(live.n) });
    expect(webLogged!.actor).not.toBe('cli:root');
    const g = await signedIn();
    await g.get('/admin/committee');
    const unknown = await g.submit('/admin/committee', '/admin/committee/signout', { email: 'nobody@example.org' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('Nobody signed out: nobody@example.org is not a committee member.');
    // Without the form's token, nothing ends.
    expect((await g.post('/admin/committee/signout', { email: 'chair@example.org' })).statusCode).toBe(403);
    expect((await g.get('/admin/')).statusCode).toBe(200);
  });
});

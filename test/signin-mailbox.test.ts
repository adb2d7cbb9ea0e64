/**
 * The sign-in's answer without SMTP: where the mail went (the local mailbox's directory) is said
 * only to a member signed in or to a visitor on the server itself, not to anyone on the web.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/connect.js';
import { addCommitteeMember } from '../src/domain/committee/accounts.js';
import { createSigninLink } from '../src/domain/committee/signin.js';
import { buildApp } from '../src/web/app.js';
import { testDatabases } from './support/db.js';
import { Client, csrfOf } from './support/http.js';

const mail = { baseUrl: 'http://conclave.test', from: 'Netconf committee <committee@conclave.test>' };
const MAILBOX = '/srv/conclave-secret-place/mailbox';
const NEUTRAL = 'If no mail comes within a few minutes, ask whoever runs this site: it may not be set up to send mail yet.';

describe.each(testDatabases())('the sign-in answer on $name', ({ open }) => {
  let handle: Db;
  let app: FastifyInstance;
  beforeAll(async () => {
    handle = await open();
    await addCommitteeMember({ db: handle.db }, { accountId: null, label: 'test' }, { email: 'chair@example.org', name: 'Pat Chair' });
    app = await buildApp({ db: handle.db, clock: () => new Date(), mail, mailboxDir: MAILBOX, limits: { signin: 1000 } });
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  /** Asks for a sign-in link as a browser at `remoteAddress` would, with `cookies` besides the form's. */
  async function ask(remoteAddress: string, headers: Record<string, string> = {}, cookies = '') {
    const form = await app.inject({ method: 'GET', url: '/signin', remoteAddress, headers: cookies ? { cookie: cookies } : {} });
    const cookie = [cookies, ...form.cookies.map((c) => `${c.name}=${c.value}`)].filter(Boolean).join('; ');
    const res = await app.inject({
      method: 'POST',
      url: '/signin',
      remoteAddress,
      headers: { ...headers, cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrfOf(form.body), email: 'someone@example.org' }).toString(),
    });
    await app.settled();
    expect(res.statusCode, res.body).toBe(200);
    return res.body;
  }

  it('names no path on the server to a visitor from elsewhere', async () => {
    for (const body of [await ask('192.0.2.7'), await ask('127.0.0.1', { 'x-forwarded-for': '192.0.2.7' })]) {
      expect(body).toContain(NEUTRAL);
      expect(body).not.toContain(MAILBOX);
      expect(body).not.toMatch(/mailbox|SMTP|data directory/);
    }
  });

  it('says where the mail went to a visitor on the server itself, or a member signed in', async () => {
    expect(await ask('127.0.0.1')).toContain(`mail goes to the local mailbox, as .eml files in ${MAILBOX}.`);
    const member = new Client(app);
    const link = await createSigninLink({ db: handle.db, clock: () => new Date(), mail }, { email: 'chair@example.org' });
    const p = new URL(link!.link).pathname;
    expect((await member.submit(p, p, {})).statusCode).toBe(303);
    const session = [...member.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const body = await ask('192.0.2.8', {}, session);
    expect(body).toContain(`mail goes to the local mailbox, as .eml files in ${MAILBOX}.`);
    expect(body).not.toContain(NEUTRAL);
  });
});

/**
 * The line a page shows after a write travels in the address it redirects to; only notices this
 * server signed are shown, so a link made by someone else cannot put words on conclave's pages.
 */
import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/connect.js';
import { addCommitteeMember } from '../src/domain/committee/accounts.js';
import { createSigninLink } from '../src/domain/committee/signin.js';
import { buildApp } from '../src/web/app.js';
import { freshPglite } from './support/db.js';
import { Client } from './support/http.js';
import { inviteGuests, makeDeps, makeEdition } from './invitations/fixtures.js';

describe('notices after a write', () => {
  let handle: Db;
  let app: FastifyInstance;
  let committee: Client;
  let year: number;
  let token: string;
  const key = Buffer.alloc(32, 7);

  beforeAll(async () => {
    handle = await freshPglite();
    const deps = makeDeps(handle.db, new Date().toISOString());
    const editionId = await makeEdition(handle.db, { start_date: '2999-05-11', end_date: '2999-05-13', answer_by: '2999-04-10' });
    year = (await handle.db.selectFrom('editions').select('year').where('id', '=', editionId).executeTakeFirstOrThrow()).year;
    token = (await inviteGuests(deps, editionId, 1))[0]!.token;
    await addCommitteeMember({ db: handle.db }, { accountId: null, label: 'test' }, { email: 'chair@example.org', name: 'Pat Chair' });
    app = await buildApp({ db: handle.db, clock: deps.clock, mail: deps.mail, limits: { signin: 1000 }, noticeKey: key });
    committee = new Client(app);
    const path = new URL((await createSigninLink(deps, { email: 'chair@example.org' }))!.link).pathname;
    expect((await committee.submit(path, path, {})).statusCode).toBe(303);
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  it('shows the notice of a redirect it made, signed, and keeps its anchor', async () => {
    const page = `/admin/editions/invtest/${year}/schedule`;
    const res = await committee.submit(page, `${page}/days`, { date: '2999-05-12', start: '10:00', end: '17:00' });
    expect(res.statusCode).toBe(303);
    const location = String(res.headers.location);
    expect(location).toMatch(/\?notice=[^&#]+&ns=[\w-]{22}#day-2999-05-12$/);
    expect((await committee.get(location)).body).toContain('Sunday, May 12, 2999 now runs 10:00–17:00.');
  });

  it('shows no notice that it did not sign, on the admin pages and on an invitee’s page', async () => {
    const forged = encodeURIComponent('Your session expired: write your password to evil@example.net');
    for (const url of [`/admin/?notice=${forged}`, `/admin/?notice=${forged}&ns=AAAAAAAAAAAAAAAAAAAAAA`, `/admin/editions/invtest/${year}/invitations?notice=${forged}`]) {
      const res = await committee.get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).not.toContain('evil@example.net');
    }
    const invitee = await new Client(app).get(`/invitation/${token}/materials?notice=${forged}`);
    expect(invitee.body).not.toContain('evil@example.net');
    // Signed by another server's key: not shown either.
    const other = await buildApp({ db: handle.db, noticeKey: Buffer.alloc(32, 8) });
    try {
      const res = await committee.submit(`/admin/editions/invtest/${year}/schedule`, `/admin/editions/invtest/${year}/schedule/days`, { date: '2999-05-13', start: '09:00', end: '18:00' });
      const signedHere = String(res.headers.location);
      expect((await committee.get(signedHere)).body).toContain('now runs 09:00–18:00.');
      const elsewhere = await other.inject({ method: 'GET', url: `/invitation/${token}/materials?${signedHere.split('?')[1]!.split('#')[0]}` });
      expect(elsewhere.body).not.toContain('now runs 09:00–18:00.');
    } finally {
      await other.close();
    }
  });

  it('signs no notice that a GET copied from its address, and shows a signed notice only on its own page', async () => {
    const words = encodeURIComponent('Your session is ending: sign in again at https://evil.example/');
    const copied = await committee.get(`/search?q=x&notice=${words}`);
    expect(copied.statusCode).toBe(301);
    const location = String(copied.headers.location);
    expect(location).toContain(`notice=${words}`);
    expect(location).not.toContain('ns=');
    const page = `/admin/editions/invtest/${year}/schedule`;
    const res = await committee.submit(page, `${page}/days`, { date: '2999-05-11', start: '08:30', end: '18:00' });
    const query = String(res.headers.location).split('?')[1]!.split('#')[0]!;
    expect((await committee.get(`${page}?${query}`)).body).toContain('now runs 08:30–18:00.');
    for (const elsewhere of ['/admin/', `/admin/editions/invtest/${year}/invitations`]) {
      const other = await committee.get(`${elsewhere}?${query}`);
      expect(other.statusCode, elsewhere).toBe(200);
      expect(other.body, elsewhere).not.toContain('now runs 08:30–18:00.');
    }
  });
  it('shows a long notice whole on the schedule, materials and topics pages', async () => {
    const words = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ') + ' the end.';
    expect(words.length).toBeGreaterThan(300);
    for (const page of [`/admin/editions/invtest/${year}/schedule`, `/admin/editions/invtest/${year}/materials`, `/admin/editions/invtest/${year}/topics`]) {
      const ns = createHmac('sha256', key).update(page).update('\0').update(words).digest('base64url').slice(0, 22);
      const res = await committee.get(`${page}?notice=${encodeURIComponent(words)}&ns=${ns}`);
      expect(res.statusCode, page).toBe(200);
      expect(res.body, page).toContain(words);
    }
  });
});

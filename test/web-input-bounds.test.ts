/**
 * What the web takes as input, checked at its edge as the CLI checks it: an id beyond the
 * database's integer range names no row (404 in an address, 400 at a form's field, never the
 * database's "out of range for type integer" as a 500).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/connect.js';
import { addCommitteeMember } from '../src/domain/committee/accounts.js';
import { createSigninLink } from '../src/domain/committee/signin.js';
import { acceptInvitation } from '../src/domain/invitations/rsvp.js';
import { listTopics } from '../src/domain/program/topics.js';
import { buildApp } from '../src/web/app.js';
import { testDatabases } from './support/db.js';
import { Client, csrfOf } from './support/http.js';
import { COMMITTEE, inviteGuests, makeDeps, makeEdition } from './invitations/fixtures.js';

/** One past the largest PostgreSQL integer, and a number far past it, as the trial typed. */
const BEYOND = ['2147483648', '99999999999'];
/** Other spellings of a number, which name no row: ids are written in digits only. */
const MISSPELT = ['1e3', '0x10', '12.0'];

describe.each(testDatabases())('input bounds on $name', ({ open }) => {
  let handle: Db;
  let app: FastifyInstance;
  let deps: ReturnType<typeof makeDeps>;
  let editionId: number;
  let edition: string;
  let token: string;
  let admin: Client;
  let invitee: Client;

  beforeAll(async () => {
    handle = await open();
    deps = makeDeps(handle.db, new Date().toISOString());
    await addCommitteeMember(deps, { accountId: null, label: 'test' }, { email: 'chair@example.org', name: 'Pat Chair' });
    editionId = await makeEdition(handle.db, { start_date: '2999-05-11', end_date: '2999-05-13', answer_by: '2999-04-10' });
    const e = await handle.db.selectFrom('editions').select('year').where('id', '=', editionId).executeTakeFirstOrThrow();
    edition = `/admin/editions/invtest/${e.year}`;
    const sent = await inviteGuests(deps, editionId, 1, 300);
    await acceptInvitation(deps, { token: sent[0]!.token });
    token = sent[0]!.token;
    app = await buildApp({ db: handle.db, clock: deps.clock, mail: deps.mail, limits: { signin: 1000, invitation: 1000 } });
    admin = new Client(app);
    const link = await createSigninLink(deps, { email: 'chair@example.org' }, COMMITTEE);
    const path = new URL(link!.link).pathname;
    expect((await admin.submit(path, path, {})).statusCode).toBe(303);
    invitee = new Client(app);
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  /** GETs `path` (signed in as the committee), or POSTs `form` with a CSRF token from `page`. */
  async function send(who: Client, page: string, method: 'GET' | 'POST', url: string, form: Record<string, string> = {}) {
    if (method === 'GET') return who.get(url);
    return who.post(url, { _csrf: csrfOf((await who.get(page)).body), ...form });
  }

  describe.each([...BEYOND, ...MISSPELT])('id %s', (n) => {
    const addresses: [string, 'GET' | 'POST', string][] = [
      ['committee', 'GET', '/admin/inbound/{n}'],
      ['committee', 'GET', '/admin/mail/{n}'],
      ['committee', 'GET', '{edition}/topics/{n}/edit'],
      ['committee', 'POST', '{edition}/schedule/slots/{n}/move'],
      ['committee', 'POST', '{edition}/schedule/slots/{n}/remove'],
      ['committee', 'POST', '{edition}/materials/{n}/remove'],
      ['committee', 'POST', '{edition}/sponsor/{n}'],
      ['committee', 'POST', '{edition}/sponsor/{n}/remove'],
      ['committee', 'POST', '{edition}/committee-role/{n}/remove'],
      ['committee', 'POST', '{edition}/reference/{n}'],
      ['committee', 'POST', '/admin/inbound/{n}/review'],
      ['invitee', 'GET', '/invitation/{token}/topics/{n}'],
      ['invitee', 'POST', '/invitation/{token}/topics/{n}'],
      ['invitee', 'POST', '/invitation/{token}/topics/{n}/withdraw'],
      ['invitee', 'POST', '/invitation/{token}/materials/{n}/remove'],
    ];
    it.each(addresses)('%s %s %s names no page: 404', async (who, method, url) => {
      const at = url.replace('{n}', n).replace('{edition}', edition).replace('{token}', token);
      const page = who === 'committee' ? edition : `/invitation/${token}`;
      const res = await send(who === 'committee' ? admin : invitee, page, method, at, { action: 'dismiss', date: '2999-05-11', start: '10:00', title: 'T' });
      expect(res.statusCode).toBe(404);
    });

    // The place form's message is shown by the form, which an empty schedule does not show.
    const fields: [string, string, (n: string) => Record<string, string>, string | null][] = [
      ['{edition}/invitations/send', 'ids', (n) => ({ ids: n }), 'at most 2147483647'],
      ['{edition}/schedule/slots', 'topicId', (n) => ({ date: '2999-05-11', start: '10:00', lengthMinutes: '30', kind: 'talk', topicId: n }), 'at most 2147483647'],
      ['{edition}/schedule/slots', 'speaker0', (n) => ({ date: '2999-05-11', start: '10:00', lengthMinutes: '30', kind: 'talk', title: 'Talk', speaker0: n }), 'at most 2147483647'],
      ['{edition}/schedule/place', 'slotId', (n) => ({ slotId: n, place: 'top:2999-05-11' }), null],
      ['/invitation/{token}/topics', 'coPresenterIds', (n) => ({ title: 'A topic', coPresenterIds: n }), 'at most 2147483647'],
    ];
    it.each(fields)('POST %s with %s beyond the ids refuses the form: 400', async (url, _field, form, says) => {
      const at = url.replace('{edition}', edition).replace('{token}', token);
      const committee = url.startsWith('{edition}');
      const res = await send(committee ? admin : invitee, committee ? edition : `/invitation/${token}`, 'POST', at, form(n));
      expect(res.statusCode).toBe(400);
      if (says && BEYOND.includes(n)) expect(res.body).toContain(says);
    });
  });

  it('takes the largest id there can be as any unknown one: 404', async () => {
    expect((await admin.get('/admin/inbound/2147483647')).statusCode).toBe(404);
    expect((await admin.get(`${edition}/topics/2147483647/edit`)).statusCode).toBe(404);
    expect((await listTopics(deps, { editionId })).length).toBe(0);
  });
});

describe.each(testDatabases())('checkboxes on $name', ({ open }) => {
  let handle: Db;
  let app: FastifyInstance;
  let deps: ReturnType<typeof makeDeps>;

  beforeAll(async () => {
    handle = await open();
    deps = makeDeps(handle.db, new Date().toISOString());
    await addCommitteeMember(deps, { accountId: null, label: 'test' }, { email: 'chair@example.org', name: 'Pat Chair' });
    app = await buildApp({ db: handle.db, clock: deps.clock, mail: deps.mail, limits: { signin: 1000, invitation: 1000 } });
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  it('refuses a checkbox value other than the form’s, naming the field, and sends nothing', async () => {
    const editionId = await makeEdition(handle.db, { start_date: '2999-05-11', end_date: '2999-05-13', answer_by: '2999-04-10' });
    const e = await handle.db.selectFrom('editions').select('year').where('id', '=', editionId).executeTakeFirstOrThrow();
    const page = `/admin/editions/invtest/${e.year}/invitations`;
    const admin = new Client(app);
    const link = await createSigninLink(deps, { email: 'chair@example.org' }, COMMITTEE);
    const path = new URL(link!.link).pathname;
    expect((await admin.submit(path, path, {})).statusCode).toBe(303);
    expect((await admin.submit(page, `${page}/candidates`, { name: 'Ada Candidate', email: 'ada@example.net' })).statusCode).toBe(303);
    const inv = await handle.db.selectFrom('invitations').select(['id', 'state']).where('edition_id', '=', editionId).executeTakeFirstOrThrow();
    const res = await admin.submit(page, `${page}/send`, { ids: String(inv.id), hold: '1' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('hold');
    expect(res.body).toContain('must be “yes”');
    const after = await handle.db.selectFrom('invitations').select('state').where('id', '=', inv.id).executeTakeFirstOrThrow();
    expect(after.state).toBe(inv.state);
    // The form's own value holds them.
    expect((await admin.submit(page, `${page}/send`, { ids: String(inv.id), hold: 'yes' })).statusCode).toBe(303);
    const held = await handle.db.selectFrom('outbox').select('state').where('invitation_id', '=', inv.id).execute();
    expect(held.map((m) => m.state)).toEqual(['draft']);
  });
});

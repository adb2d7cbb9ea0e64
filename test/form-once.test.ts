/**
 * A create form sent twice is saved once (domain/form-once.ts): each form family's page gives a
 * one-time key; the same form sent again, one after the other or both at once, writes one row,
 * and the second send lands where the first did, saying so. A refused send leaves its key for the
 * corrected form; a form without a key (an old page, a script) is saved each time, as before.
 * On PostgreSQL the two sends at once run on two connections.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { DomUtils, parseDocument } from 'htmlparser2';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/connect.js';
import { addCommitteeMember } from '../src/domain/committee/accounts.js';
import { createSigninLink } from '../src/domain/committee/signin.js';
import { addCandidate } from '../src/domain/invitations/candidates.js';
import { acceptInvitation } from '../src/domain/invitations/rsvp.js';
import { FORM_KEY_DAYS } from '../src/domain/form-once.js';
import { buildApp } from '../src/web/app.js';
import { SENT_AGAIN } from '../src/web/form-once.js';
import { COMMITTEE, inviteGuests, makeDeps, makeEdition } from './invitations/fixtures.js';
import { testDatabases } from './support/db.js';
import { Client } from './support/http.js';

/** The hidden fields (CSRF token, one-time key) of the form posting to `action` on the page. */
function hiddenOf(html: string, action: string): Record<string, string> {
  const doc = parseDocument(html);
  const form = DomUtils.findOne((e) => e.name === 'form' && e.attribs.method === 'post' && (e.attribs.action ?? '').split('#')[0] === action, doc.children);
  if (!form) throw new Error(`no form posting to ${action}`);
  const out: Record<string, string> = {};
  for (const i of DomUtils.findAll((e) => e.name === 'input' && e.attribs.type === 'hidden', form.children)) out[i.attribs.name!] = i.attribs.value ?? '';
  return out;
}

/** The address a send led to, without the notice's signature (`ns`), and its notice. */
function landing(res: LightMyRequestResponse): { path: string; notice: string | null } {
  const url = new URL(String(res.headers.location), 'http://x');
  const notice = url.searchParams.get('notice');
  url.searchParams.delete('notice');
  url.searchParams.delete('ns');
  return { path: `${url.pathname}${url.search}${url.hash}`, notice };
}

describe.each(testDatabases())('create forms saved once on $name', ({ open }) => {
  let handle: Db;
  let app: FastifyInstance;
  let deps: ReturnType<typeof makeDeps>;
  let editionId: number;
  let base: string;
  let c: Client;
  let invitee: string;
  let inviteePerson: number;

  beforeAll(async () => {
    handle = await open();
    deps = makeDeps(handle.db, new Date().toISOString());
    await addCommitteeMember(deps, COMMITTEE, { email: 'chair@example.org', name: 'Pat Chair' });
    editionId = await makeEdition(handle.db, { start_date: '2999-05-11', end_date: '2999-05-13', answer_by: '2999-04-10' });
    const e = await handle.db.selectFrom('editions').select('year').where('id', '=', editionId).executeTakeFirstOrThrow();
    base = `/admin/editions/invtest/${e.year}`;
    const [guest] = await inviteGuests(deps, editionId, 1, 300);
    await acceptInvitation(deps, { token: guest!.token });
    invitee = `/invitation/${guest!.token}/topics`;
    inviteePerson = (await handle.db.selectFrom('invitations').select('person_id').where('id', '=', guest!.id).executeTakeFirstOrThrow()).person_id;
    app = await buildApp({ db: handle.db, clock: deps.clock, mail: deps.mail, limits: { signin: 1000, invitation: 1000 } });
    c = new Client(app);
    const link = await createSigninLink(deps, { email: 'chair@example.org' }, COMMITTEE);
    const path = new URL(link!.link).pathname;
    expect((await c.submit(path, path, {})).statusCode).toBe(303);
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  const count = async (table: 'slots' | 'sponsors' | 'committee_members' | 'edition_references' | 'committee_accounts' | 'editions' | 'invitations' | 'topics' | 'outbox', where?: [string, string | number]) => {
    let q = handle.db.selectFrom(table).select(sql<number>`count(*)::int`.as('n'));
    if (where) q = q.where(sql.ref(where[0]), '=', where[1]);
    return (await q.executeTakeFirstOrThrow()).n;
  };

  interface Family {
    family: string;
    page: () => string;
    action: () => string;
    /** The fields typed; `n` tells one test's row from another's. */
    fields: (n: number) => Record<string, string>;
    /** The same form with a field refused. */
    refused: (n: number) => Record<string, string>;
    rows: (n: number) => Promise<number>;
  }

  let serial = 0;
  const families: Family[] = [
    {
      family: 'a slot (a break)',
      page: () => `${base}/schedule`,
      action: () => `${base}/schedule/slots`,
      fields: (n) => ({ date: '2999-05-11', start: `${String(8 + (n % 10)).padStart(2, '0')}:00`, end: `${String(8 + (n % 10)).padStart(2, '0')}:30`, kind: 'break', title: `Coffee ${n}` }),
      refused: (n) => ({ date: '2999-05-11', start: '25:00', end: '10:30', kind: 'break', title: `Coffee ${n}` }),
      rows: (n) => count('slots', ['title', `Coffee ${n}`]),
    },
    {
      family: 'a sponsor',
      page: () => base,
      action: () => `${base}/sponsors`,
      fields: (n) => ({ sponsorName: `Acme ${n}`, kind: 'company', sponsorUrl: 'https://acme.example' }),
      refused: (n) => ({ sponsorName: `Acme ${n}`, kind: 'company', sponsorUrl: 'not a url' }),
      rows: (n) => count('sponsors', ['name', `Acme ${n}`]),
    },
    {
      family: 'a committee role',
      page: () => base,
      action: () => `${base}/committee-roles`,
      fields: (n) => ({ memberName: `Member ${n}`, memberEmail: `member${n}@example.org`, role: 'program', newPerson: 'yes' }),
      refused: (n) => ({ memberName: `Member ${n}`, memberEmail: 'not an address', role: 'program', newPerson: 'yes' }),
      rows: async (n) => (await handle.db.selectFrom('committee_members').innerJoin('people', 'people.id', 'committee_members.person_id').select('committee_members.id').where('people.name', '=', `Member ${n}`).execute()).length,
    },
    {
      family: 'a reference',
      page: () => base,
      action: () => `${base}/references`,
      fields: (n) => ({ refTitle: `Slides ${n}`, refUrl: 'https://example.org/slides' }),
      refused: (n) => ({ refTitle: `Slides ${n}`, refUrl: 'javascript:alert(1)' }),
      rows: (n) => count('edition_references', ['title', `Slides ${n}`]),
    },
    {
      family: 'a committee member',
      page: () => '/admin/committee',
      action: () => '/admin/committee',
      fields: (n) => ({ email: `new${n}@example.org`, name: `New Member ${n}` }),
      refused: () => ({ email: 'not an address', name: 'Nobody' }),
      rows: (n) => count('committee_accounts', ['email', `new${n}@example.org`]),
    },
    {
      family: 'an edition',
      page: () => '/admin/editions/new',
      action: () => '/admin/editions',
      fields: (n) => ({ series: 'Once', year: String(2200 + n), status: 'planned', cap: '15', reminderDays: '7' }),
      refused: (n) => ({ series: 'Once', year: String(2200 + n), status: 'planned', cap: 'many', reminderDays: '7' }),
      rows: (n) => count('editions', ['year', 2200 + n]),
    },
    {
      family: 'a candidate',
      page: () => `${base}/invitations`,
      action: () => `${base}/invitations/candidates`,
      fields: (n) => ({ name: `Cand ${n}`, email: `cand${n}@example.org`, person: 'new' }),
      refused: (n) => ({ name: `Cand ${n}`, email: 'not an address', person: 'new' }),
      rows: (n) => count('invitations', ['email', `cand${n}@example.org`]),
    },
    {
      family: 'a topic the committee proposes for an attendee',
      page: () => `${base}/topics`,
      action: () => `${base}/topics`,
      fields: (n) => ({ proposerId: String(inviteePerson), title: `Committee topic ${n}`, abstract: 'About it.', wishedMinutes: '30' }),
      refused: (n) => ({ proposerId: String(inviteePerson), title: `Committee topic ${n}`, abstract: 'About it.', wishedMinutes: 'forever' }),
      rows: (n) => count('topics', ['title', `Committee topic ${n}`]),
    },
    {
      family: 'an invitee’s topic',
      page: () => invitee,
      action: () => invitee,
      fields: (n) => ({ title: `Proposal ${n}`, abstract: 'About it.', wishedMinutes: '30' }),
      refused: (n) => ({ title: `Proposal ${n}`, abstract: 'About it.', wishedMinutes: 'forever' }),
      rows: (n) => count('topics', ['title', `Proposal ${n}`]),
    },
  ];

  describe.each(families)('$family', (f) => {
    it('is saved once when the same form is sent twice, the second send led where the first was', async () => {
      const n = ++serial;
      const hidden = hiddenOf((await c.get(f.page())).body, f.action());
      expect(hidden._once).toMatch(/^[A-Za-z0-9_-]{22}$/);
      const first = await c.post(f.action(), { ...hidden, ...f.fields(n) });
      expect(first.statusCode, first.body.slice(0, 300)).toBe(303);
      const second = await c.post(f.action(), { ...hidden, ...f.fields(n) });
      expect(second.statusCode).toBe(303);
      expect(await f.rows(n)).toBe(1);
      if (f.family === 'an invitee’s topic') {
        expect(landing(second).path).toBe(`${invitee}?done=again`);
        expect((await c.get(String(second.headers.location))).body).toContain('This form was sent already; your topic was proposed once.');
      } else {
        expect(landing(second)).toEqual({ path: landing(first).path, notice: SENT_AGAIN });
        expect((await c.get(String(second.headers.location))).body).toContain(SENT_AGAIN);
      }
      // A new page gives a new key: the form shown again saves again.
      const again = hiddenOf((await c.get(f.page())).body, f.action());
      expect(again._once).not.toBe(hidden._once);
    });

    it('is saved once when the same form is sent twice at once', async () => {
      const n = ++serial;
      const hidden = hiddenOf((await c.get(f.page())).body, f.action());
      const sends = await Promise.all([c.post(f.action(), { ...hidden, ...f.fields(n) }), c.post(f.action(), { ...hidden, ...f.fields(n) })]);
      expect(sends.map((s) => s.statusCode)).toEqual([303, 303]);
      expect(await f.rows(n)).toBe(1);
      const notices = sends.map((s) => landing(s).notice);
      if (f.family === 'an invitee’s topic') expect(sends.map((s) => landing(s).path).sort()).toEqual([`${invitee}?done=again`, `${invitee}?done=proposed`]);
      else expect(notices.filter((x) => x === SENT_AGAIN)).toHaveLength(1);
    });

    it('keeps the key of a refused send for the corrected form', async () => {
      const n = ++serial;
      const hidden = hiddenOf((await c.get(f.page())).body, f.action());
      const refused = await c.post(f.action(), { ...hidden, ...f.refused(n) });
      expect(refused.statusCode).toBe(400);
      expect(await f.rows(n)).toBe(0);
      const corrected = await c.post(f.action(), { ...hidden, ...f.fields(n) });
      expect(corrected.statusCode).toBe(303);
      expect(landing(corrected).notice).not.toBe(SENT_AGAIN);
      expect(await f.rows(n)).toBe(1);
    });
  });

  it('saves a form without a key each time, as before', async () => {
    const hidden = hiddenOf((await c.get(`${base}/schedule`)).body, `${base}/schedule/slots`);
    const form = { _csrf: hidden._csrf!, date: '2999-05-12', start: '09:00', end: '09:15', kind: 'break', title: 'Keyless' };
    expect((await c.post(`${base}/schedule/slots`, form)).statusCode).toBe(303);
    expect((await c.post(`${base}/schedule/slots`, form)).statusCode).toBe(303);
    expect(await count('slots', ['title', 'Keyless'])).toBe(2);
  });

  it('sends the chosen invitations once, and re-sends one once', async () => {
    const added = await addCandidate(deps, COMMITTEE, { editionId, name: 'Sent Once', email: 'sent-once@example.org', newPerson: true });
    const mails = () => count('outbox', ['to_address', 'sent-once@example.org']);
    const hidden = hiddenOf((await c.get(`${base}/invitations`)).body, `${base}/invitations/send`);
    const form = { ...hidden, ids: String(added.id) };
    const sends = await Promise.all([c.post(`${base}/invitations/send`, form), c.post(`${base}/invitations/send`, form)]);
    expect(sends.map((s) => s.statusCode)).toEqual([303, 303]);
    expect(sends.map((s) => landing(s).notice).filter((x) => x === SENT_AGAIN)).toHaveLength(1);
    expect(await mails()).toBe(1);
    const act = `${base}/invitations/${added.id}/act`;
    const row = hiddenOf((await c.get(`${base}/invitations`)).body, act);
    const resend = { ...row, act: 'resend', reason: '' };
    expect((await c.post(act, resend)).statusCode).toBe(303);
    const again = await c.post(act, resend);
    expect(landing(again).notice).toBe(SENT_AGAIN);
    const tokens = await handle.db.selectFrom('invitation_tokens').select('revoked_at').where('invitation_id', '=', added.id).execute();
    // The first link, ended, and the re-send's, which still works (a second re-send would end it).
    expect(tokens.map((t) => t.revoked_at === null).sort()).toEqual([false, true]);
  });

  it(`forgets keys older than ${FORM_KEY_DAYS} days when a form is saved`, async () => {
    await handle.db.insertInto('form_sends').values([{ key: 'old'.padEnd(22, 'o'), landing: '/admin/', created_at: sql<Date>`now() - interval '4 days'` as never }, { key: 'new'.padEnd(22, 'n'), landing: '/admin/' }]).execute();
    const hidden = hiddenOf((await c.get(base)).body, `${base}/references`);
    expect((await c.post(`${base}/references`, { ...hidden, refTitle: 'Pruning', refUrl: '' })).statusCode).toBe(303);
    const keys = (await handle.db.selectFrom('form_sends').select('key').execute()).map((k) => k.key);
    expect(keys).not.toContain('old'.padEnd(22, 'o'));
    expect(keys).toContain('new'.padEnd(22, 'n'));
    expect(keys).toContain(hidden._once);
  });
});

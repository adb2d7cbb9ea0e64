/**
 * The committee's "Send invitations" form: Post/Redirect/Get, so that reloading the page shown
 * after sending sends nothing again; the links just sent are shown on that page once, carried in
 * a cookie for it (never in its address), or, too many for one, said to be in their mail.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { addCommitteeMember } from '../../src/domain/committee/accounts.js';
import { createSigninLink } from '../../src/domain/committee/signin.js';
import { addCandidatesIn } from '../../src/domain/invitations/candidates.js';
import { buildApp } from '../../src/web/app.js';
import { testDatabases } from '../support/db.js';
import { Client, csrfOf } from '../support/http.js';
import { COMMITTEE, makeDeps, makeEdition } from './fixtures.js';

describe.each(testDatabases())('sending invitations from the web on $name', ({ open }) => {
  let handle: Db;
  let app: FastifyInstance;
  let deps: ReturnType<typeof makeDeps>;
  beforeAll(async () => {
    handle = await open();
    // Ahead of the real time: the client drops a session cookie expired by the real clock.
    deps = makeDeps(handle.db, '2027-03-01T12:00:00Z');
    await addCommitteeMember({ db: handle.db }, COMMITTEE, { email: 'chair@example.org', name: 'Pat Chair' });
    app = await buildApp({ db: handle.db, clock: deps.clock, mail: deps.mail });
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  async function signedIn(): Promise<Client> {
    const c = new Client(app);
    const link = await createSigninLink(deps, { email: 'chair@example.org' });
    const at = new URL(link!.link).pathname;
    expect((await c.submit(at, at, {})).statusCode).toBe(303);
    return c;
  }

  /** An edition with `n` candidates; the address of its invitations page. */
  async function editionWith(n: number): Promise<string> {
    const editionId = await makeEdition(handle.db, { title: 'Netconf 2027', start_date: '2027-05-11', end_date: '2027-05-13', answer_by: '2027-04-10' });
    await handle.db.transaction().execute((trx) =>
      addCandidatesIn(trx, deps.clock, COMMITTEE, editionId, Array.from({ length: n }, (_, i) => ({ name: `Sent Guest${i}`, email: `sent${i}@example.net`, source: 'manual' }))),
    );
    const e = await handle.db.selectFrom('editions').select('year').where('id', '=', editionId).executeTakeFirstOrThrow();
    return `/admin/editions/invtest/${e.year}/invitations`;
  }

  /** Sends every candidate of the page, as the form does with all of them ticked. */
  async function sendAll(c: Client, base: string, form: Record<string, string>) {
    const page = await c.get(base);
    expect(page.statusCode).toBe(200);
    const ids = [...page.body.matchAll(/name="ids" value="(\d+)"/g)].map((m) => ['ids', m[1]!]);
    const payload = new URLSearchParams([['_csrf', csrfOf(page.body)], ...ids, ...Object.entries(form)]).toString();
    const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return app.inject({ method: 'POST', url: `${base}/send`, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload });
  }

  it('redirects to the invitations page, which shows the notice and the links once', async () => {
    const c = await signedIn();
    const base = await editionWith(3);
    const sent = await sendAll(c, base, { answerBy: '2027-04-01' });
    for (const k of sent.cookies) c.cookies.set(k.name, k.value);
    expect(sent.statusCode, sent.body).toBe(303);
    const to = sent.headers.location as string;
    expect(to.startsWith(`${base}?notice=3%20invitations%20queued%20for%20sending.&ns=`)).toBe(true);
    expect(to).not.toMatch(/invitation%2F|~/);
    const shown = await c.get(to);
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('3 invitations queued for sending.</p>');
    expect(shown.body).toContain('<h2>Links just sent</h2>');
    const links = [...shown.body.matchAll(/Sent Guest(\d) &lt;sent\d@example\.net>: (https:\/\/netconf\.example\.org\/invitation\/[A-Za-z0-9_-]{43})</g)];
    expect(links.map((m) => m[1]).sort()).toEqual(['0', '1', '2']);
    for (const m of links) expect((await app.inject(new URL(m[2]!).pathname)).statusCode).toBe(200);
    // Reloaded: the notice again (it is in the address), no links, and nothing sent again.
    const again = await c.get(to);
    expect(again.body).toContain('3 invitations queued for sending.</p>');
    expect(again.body).not.toContain('Links just sent');
    expect((await handle.db.selectFrom('outbox').select('id').where('to_address', 'like', 'sent_@example.net').execute()).length).toBe(3);
  });

  it("re-sends an invitation held as a draft when asked, as `conclave invite resend --hold` does", async () => {
    const c = await signedIn();
    const base = await editionWith(1);
    expect((await sendAll(c, base, { answerBy: '2027-04-01' })).statusCode).toBe(303);
    const page = await c.get(base);
    const id = Number(/<tr id="invitation-(\d+)"/.exec(page.body)![1]);
    // Offered at the row's Re-send, unticked, named by its label.
    expect(page.body).toContain(`<input id="f-hold-${id}" name="hold" type="checkbox" value="yes" /><label for="f-hold-${id}"><span class="muted">hold the re-sent mail as a draft</span></label>`);
    // Refused, the row keeps the choice as it was sent.
    const late = await c.submit(base, `${base}/${id}/act`, { act: 'resend', answerBy: '2027-02-01', hold: 'yes' });
    expect(late.statusCode).toBe(400);
    expect(late.body).toContain(`<input id="f-hold-${id}" name="hold" type="checkbox" value="yes" checked />`);
    const held = await c.submit(base, `${base}/${id}/act`, { act: 'resend', hold: 'yes' });
    expect(held.statusCode).toBe(303);
    const shown = await c.get(held.headers.location as string);
    const said = new RegExp(`Invitation #${id} \\(sent0@example\\.net\\) re-sent with a new link, held as a draft in batch (invitations-\\d+-\\S+)\\.</p>`).exec(shown.body);
    expect(said, shown.body).not.toBeNull();
    const mail = await handle.db.selectFrom('outbox').select(['state', 'batch']).where('invitation_id', '=', id).where('kind', '=', 'invitation').execute();
    expect(mail).toEqual([{ state: 'draft', batch: said![1] }]);
    // Unticked, the re-send is queued as before, and takes the draft out of its batch.
    const queued = await c.submit(base, `${base}/${id}/act`, { act: 'resend' });
    expect(decodeURIComponent(queued.headers.location as string)).toContain(`Invitation #${id} (sent0@example.net) re-sent with a new link, queued for sending. Its earlier mail, held unsent in batch ${said![1]}, was taken out of that batch.`);
    expect(await handle.db.selectFrom('outbox').select(['state', 'batch']).where('invitation_id', '=', id).where('kind', '=', 'invitation').execute()).toEqual([{ state: 'queued', batch: null }]);
  });

  it('says where the links are when they are too many to carry to the page', async () => {
    const c = await signedIn();
    const base = await editionWith(100);
    const sent = await sendAll(c, base, { answerBy: '2027-04-01', hold: 'yes' });
    expect(sent.statusCode).toBe(303);
    expect(sent.cookies.map((k) => k.name)).not.toContain('conclave_sent_links');
    const shown = await c.get(sent.headers.location as string);
    expect(shown.body).toMatch(/100 invitations held as drafts in batch \S+: read and send them under Mail\. Their 100 links are too many to show here: each is in its mail \(a draft under Mail\)\.<\/p>/);
    expect(shown.body).not.toContain('Links in the held drafts');
  });
});

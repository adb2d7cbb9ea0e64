/**
 * /admin/people: the committee's list with each person's editions, a merge shown before it is
 * done and refused without the form's CSRF token, a clash shown with nothing to confirm, a rename.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { addCommitteeMember } from '../../src/domain/committee/accounts.js';
import { createSigninLink } from '../../src/domain/committee/signin.js';
import { Resolver } from '../../src/domain/people/identity.js';
import { buildApp } from '../../src/web/app.js';
import { makeEdition } from '../invitations/fixtures.js';
import { testDatabases } from '../support/db.js';
import { Client, csrfOf } from '../support/http.js';

const mail = { baseUrl: 'http://conclave.test', from: 'Committee <committee@conclave.test>' };
const actor = { accountId: null, label: 'test' };

describe.each(testDatabases())('people admin on $name', ({ open }) => {
  let handle: Db;
  let app: FastifyInstance;
  const clock = () => new Date('2026-11-22T10:00:00Z');
  const ids: Record<string, number> = {};
  let edition = 0;

  beforeAll(async () => {
    handle = await open();
    const db = handle.db;
    await addCommitteeMember({ db }, actor, { email: 'chair@example.org', name: 'Pat Chair' });
    edition = await makeEdition(db, { status: 'final' });
    const r = await Resolver.load(db);
    for (const name of ['Tom Graf', 'Thomas Graf', 'Hideaki Yoshifuji', 'Yoshifuji Hideaki']) ids[name] = await r.resolve(name, undefined, 'new');
    await db.insertInto('attendances').values({ edition_id: edition, person_id: ids['Tom Graf']!, name_as_listed: 'Tom Graf', position: 0 }).execute();
    for (const [k, name] of ['Hideaki Yoshifuji', 'Yoshifuji Hideaki'].entries()) {
      await db.insertInto('invitations').values({ edition_id: edition, person_id: ids[name]!, email: `h${k}@example.net`, state: 'invited' }).execute();
    }
    app = await buildApp({ db, clock, mail, limits: { signin: 1000 } });
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  async function signedIn(): Promise<Client> {
    const c = new Client(app);
    const link = await createSigninLink({ db: handle.db, clock, mail }, { email: 'chair@example.org' });
    const path = new URL(link!.link).pathname;
    expect((await c.submit(path, path, {})).statusCode).toBe(303);
    return c;
  }

  it('is the committee’s only, and linked from the admin menu', async () => {
    expect((await new Client(app).get('/admin/people')).statusCode).toBe(303);
    const c = await signedIn();
    const page = await c.get('/admin/people');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<a href="/admin/people">Manage people</a>');
    expect(page.body).toMatch(/<td>Tom Graf<\/td>\s*<td>\s*<a href="\/people\/tom-graf\/">\s*tom-graf\s*<\/a>\s*<\/td>\s*<td>—<\/td>\s*<td>Netconf \d+: attended<\/td>/);
  });

  it('shows what a merge moves, refuses it without the token, and does it with it', async () => {
    const c = await signedIn();
    const confirm = await c.get('/admin/people/merge?from=tom-graf&into=thomas-graf');
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toMatch(/attendances:<\/span><span> 1 moved \(Netconf \d+\)/);
    expect(confirm.body).toContain('Merge them');
    // Showing it wrote nothing.
    expect(await handle.db.selectFrom('people').select('id').where('slug', '=', 'tom-graf').executeTakeFirst()).toBeDefined();

    const forged = await c.post('/admin/people/merge', { from: 'tom-graf', into: 'thomas-graf' });
    expect(forged.statusCode).toBe(403);
    expect(await handle.db.selectFrom('people').select('id').where('slug', '=', 'tom-graf').executeTakeFirst()).toBeDefined();

    const done = await c.post('/admin/people/merge', { _csrf: csrfOf(confirm.body), from: 'tom-graf', into: 'thomas-graf' });
    expect(done.statusCode).toBe(303);
    expect(await handle.db.selectFrom('people').select('id').where('slug', '=', 'tom-graf').executeTakeFirst()).toBeUndefined();
    const after = await handle.db.selectFrom('attendances').select('person_id').where('edition_id', '=', edition).execute();
    expect(after).toEqual([{ person_id: ids['Thomas Graf'] }]);
    // The old address leads to the kept person.
    const old = await new Client(app).get('/people/tom-graf/');
    expect([old.statusCode, old.headers.location]).toEqual([301, '/people/thomas-graf/']);
    // The browser's Back to the confirmation: the merge is done, said on the people page, not "nobody is known as tom-graf".
    const back = await c.get('/admin/people/merge?from=tom-graf&into=thomas-graf');
    expect(back.statusCode).toBe(200);
    const said = 'tom-graf is merged into Thomas Graf (thomas-graf) already: there is nothing left to merge, and /people/tom-graf/ leads to them.';
    expect(back.body).toContain(`<p class="notice" role="status">${said}</p>`);
    expect(back.body).not.toContain('Merge them');
    // The form sent again (a double submit, or resent after Back): the same notice, nothing written.
    const audited = async () => (await handle.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n;
    const before = await audited();
    const again = await c.post('/admin/people/merge', { _csrf: csrfOf(confirm.body), from: 'tom-graf', into: 'thomas-graf' });
    expect(again.statusCode).toBe(303);
    expect((await c.get(again.headers.location as string)).body).toContain(`<p class="notice" role="status">${said}</p>`);
    expect(await audited()).toBe(before);
    // An old slug with a slug nobody has, or with another person: not a merge done, as before.
    expect((await c.get('/admin/people/merge?from=tom-graf&into=nobody-here')).statusCode).toBe(404);
    expect((await c.get('/admin/people/merge?from=tom-graf&into=hideaki-yoshifuji')).statusCode).toBe(404);
  });

  it('shows a clash with nothing to confirm', async () => {
    const c = await signedIn();
    const confirm = await c.get('/admin/people/merge?from=yoshifuji-hideaki&into=hideaki-yoshifuji');
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toMatch(/Netconf \d+: both have an invitation/);
    expect(confirm.body).not.toContain('Merge them');
    // Nothing named (where the sign-in leads back to after the merge form was sent signed out): the list.
    const bare = await c.get('/admin/people/merge');
    expect([bare.statusCode, bare.headers.location]).toEqual([303, '/admin/people']);
    expect((await c.get('/admin/people/merge?from=&into=')).headers.location).toBe('/admin/people');
    const same = await c.get('/admin/people/merge?from=hideaki-yoshifuji&into=hideaki-yoshifuji');
    expect(same.statusCode).toBe(400);
    expect(same.body).toContain('is the same person as from');
  });

  it('renames with the token, not without', async () => {
    const c = await signedIn();
    const page = await c.get('/admin/people');
    expect((await c.post('/admin/people/rename', { slug: 'yoshifuji-hideaki', name: 'Hideaki Yoshifuji' })).statusCode).toBe(403);
    const empty = await c.post('/admin/people/rename', { _csrf: csrfOf(page.body), slug: 'yoshifuji-hideaki', name: ' ' });
    expect(empty.statusCode).toBe(400);
    const done = await c.post('/admin/people/rename', { _csrf: csrfOf(page.body), slug: 'thomas-graf', name: 'Thomas F. Graf' });
    expect(done.statusCode).toBe(303);
    expect(decodeURIComponent(done.headers.location as string)).toContain('Renamed Thomas Graf to Thomas F. Graf (thomas-f-graf).');
  });
});

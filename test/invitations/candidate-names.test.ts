/**
 * Adding a candidate by an address the archive knows adds that person under the name the
 * archive has: the name typed renames nobody and is not added to their names, and both the web
 * form and `conclave invite add` say so when it is not theirs. A known address typed in other
 * letters is not stored again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDb, type Db } from '../../src/db/connect.js';
import { addCommitteeMember } from '../../src/domain/committee/accounts.js';
import { createSigninLink } from '../../src/domain/committee/signin.js';
import { addCandidate, nameNotTakenSentence } from '../../src/domain/invitations/candidates.js';
import { buildApp } from '../../src/web/app.js';
import { runInProcess } from '../support/cli-in-process.js';
import { makeCommandData, testDatabases, type CommandData } from '../support/db.js';
import { Client } from '../support/http.js';
import { COMMITTEE, makeDeps, makeEdition } from './fixtures.js';

/** A person's shown name and every name stored for them, and their addresses. */
async function namesOf(db: Db['db'], personId: number) {
  const person = await db.selectFrom('people').select(['name', 'slug']).where('id', '=', personId).executeTakeFirstOrThrow();
  const names = await db.selectFrom('person_names').select('name').where('person_id', '=', personId).orderBy('name').execute();
  const emails = await db.selectFrom('person_emails').select('email').where('person_id', '=', personId).orderBy('email').execute();
  return { name: person.name, slug: person.slug, names: names.map((n) => n.name), emails: emails.map((e) => e.email) };
}

describe.each(testDatabases())('a candidate added by a known address, on the web, on $name', ({ open }) => {
  let handle: Db;
  let app: FastifyInstance;
  const mail = { baseUrl: 'http://conclave.test', from: 'Netconf committee <committee@conclave.test>' };
  // Today: the session cookie is kept until it expires by the real clock.
  const deps = () => makeDeps(handle.db, new Date().toISOString());
  const edition = () => makeEdition(handle.db, { start_date: '2999-05-11', end_date: '2999-05-13', answer_by: '2999-04-10' });
  const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-files-'));

  beforeAll(async () => {
    handle = await open();
    await addCommitteeMember({ db: handle.db }, { accountId: null, label: 'test' }, { email: 'chair@example.org', name: 'Pat Chair' });
    const d = deps();
    app = await buildApp({ db: handle.db, clock: d.clock, mail, filesDir });
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  async function signedIn(): Promise<Client> {
    const c = new Client(app);
    const link = await createSigninLink(deps(), { email: 'chair@example.org' });
    const at = new URL(link!.link).pathname;
    expect((await c.submit(at, at, {})).statusCode).toBe(303);
    return c;
  }

  it('keeps the archive’s name, adds none, and says so', async () => {
    const first = await edition();
    const alice = await addCandidate(deps(), COMMITTEE, { editionId: first, name: 'Alice Anders', email: 'alice@example.net' });
    const next = await edition();
    const { year } = await handle.db.selectFrom('editions').select('year').where('id', '=', next).executeTakeFirstOrThrow();
    const page = `/admin/editions/invtest/${year}/invitations`;
    const c = await signedIn();
    // Longer than hers: an import would take it as the better spelling of her name.
    const res = await c.submit(page, `${page}/candidates`, { name: 'Alice Anders-Impostor', email: 'ALICE@Example.net' });
    expect(res.statusCode).toBe(303);
    expect(await namesOf(handle.db, alice.personId)).toEqual({ name: 'Alice Anders', slug: alice.personSlug, names: ['Alice Anders'], emails: ['alice@example.net'] });
    const back = await c.get(res.headers.location as string);
    expect(back.body).toContain('Added Alice Anders as a candidate. alice@example.net is Alice Anders in the archive: added Alice Anders, not “Alice Anders-Impostor”.');
    const listed = await handle.db.selectFrom('invitations').select(['person_id', 'email']).where('edition_id', '=', next).execute();
    expect(listed).toEqual([{ person_id: alice.personId, email: 'alice@example.net' }]);
    // A name she is known by: nothing to say.
    const third = await edition();
    const { year: y3 } = await handle.db.selectFrom('editions').select('year').where('id', '=', third).executeTakeFirstOrThrow();
    const again = await c.submit(`/admin/editions/invtest/${y3}/invitations`, `/admin/editions/invtest/${y3}/invitations/candidates`, { name: 'alice  anders', email: 'alice@example.net' });
    expect(new URL(again.headers.location as string, 'http://conclave.test').searchParams.get('notice')).toBe('Added Alice Anders as a candidate.');
  });

  it('keeps the name of one found by a close name or by --same-as, and says how they were found', async () => {
    const editionId = await edition();
    const pia = await handle.db.insertInto('people').values({ slug: 'pia-noaddr', name: 'Pia Noaddr', name_key: 'pia noaddr' }).returning('id').executeTakeFirstOrThrow();
    // A longer first name of which theirs is the start: the same person, as in an import.
    const byName = await addCandidate(deps(), COMMITTEE, { editionId, name: 'Pial Q. Noaddr', email: 'pia@example.net' });
    expect(byName).toMatchObject({ personId: pia.id, name: 'Pia Noaddr', nameNotTaken: { typed: 'Pial Q. Noaddr', by: null } });
    expect(nameNotTakenSentence(byName)).toBe('The archive knows them as Pia Noaddr: added Pia Noaddr, not “Pial Q. Noaddr”');
    // (Written straight into the table, she has no other name stored; none is added.)
    expect(await namesOf(handle.db, pia.id)).toEqual({ name: 'Pia Noaddr', slug: 'pia-noaddr', names: [], emails: ['pia@example.net'] });
    const next = await edition();
    const moved = await addCandidate(deps(), COMMITTEE, { editionId: next, name: 'Pia Somebody', email: 'pia@newjob.example', sameAs: 'PIA@example.net' });
    expect(nameNotTakenSentence(moved)).toBe('pia@example.net is Pia Noaddr in the archive: added Pia Noaddr, not “Pia Somebody”');
    expect(await namesOf(handle.db, pia.id)).toEqual({ name: 'Pia Noaddr', slug: 'pia-noaddr', names: [], emails: ['pia@example.net', 'pia@newjob.example'] });
    // Somebody new takes the name given, with nothing to say.
    const fresh = await addCandidate(deps(), COMMITTEE, { editionId: next, name: 'Quinn  Newcomer', email: 'quinn@example.net' });
    expect([fresh.name, fresh.nameNotTaken, nameNotTakenSentence(fresh)]).toEqual(['Quinn Newcomer', undefined, undefined]);
  });
});

/** Runs `conclave …` in this process, on the data `data` (makeCommandData); what it printed. */
async function conclave(data: CommandData, ...args: string[]) {
  const { code, out, err } = await runInProcess(args, { BASE_URL: 'https://netconf.example.org', ...data.env });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('conclave invite add with a known address', () => {
  let dir: CommandData;
  beforeAll(async () => {
    dir = await makeCommandData('conclave-invite-names-');
  });
  afterAll(() => dir.drop());

  it('adds the person the address is, under their name, and says so', async () => {
    for (const y of ['2097', '2098']) expect((await conclave(dir, 'edition', 'create', y, '--series', 'Netconf')).code).toBe(0);
    for (const [email, name] of [['dan@example.net', 'Dan Davis'], ['eve@example.net', 'Eve Evans']]) {
      expect((await conclave(dir, 'invite', 'add', '2097', email!, '--name', name!)).code).toBe(0);
    }
    const dan = await conclave(dir, 'invite', 'add', '2098', 'dan@example.net', '--name', 'Daniel Davis-Other');
    expect(dan.stderr).toBe('');
    expect(dan.stdout).toMatch(/^added Dan Davis <dan@example\.net> as a candidate \(#\d+\)\ndan@example\.net is Dan Davis in the archive: added Dan Davis, not “Daniel Davis-Other”$/);
    const eve = await conclave(dir, 'invite', 'add', '2098', 'EVE@EXAMPLE.NET', '--name', 'Someone Else', '--json');
    expect(JSON.parse(eve.stdout)).toMatchObject({ name: 'Eve Evans', email: 'eve@example.net', nameNotTaken: { typed: 'Someone Else', by: 'eve@example.net' } });
    const list = await conclave(dir, 'invite', 'list', '2097', '--json');
    expect((JSON.parse(list.stdout) as { rows: { name: string; email: string }[] }).rows.map((r) => [r.name, r.email])).toEqual([
      ['Dan Davis', 'dan@example.net'],
      ['Eve Evans', 'eve@example.net'],
    ]);
    const handle = await openDb(loadConfig(dir.env));
    try {
      const people = await handle.db.selectFrom('people').select('id').orderBy('id').execute();
      expect(await Promise.all(people.map((p) => namesOf(handle.db, p.id)))).toEqual([
        { name: 'Dan Davis', slug: 'dan-davis', names: ['Dan Davis'], emails: ['dan@example.net'] },
        { name: 'Eve Evans', slug: 'eve-evans', names: ['Eve Evans'], emails: ['eve@example.net'] },
      ]);
    } finally {
      await handle.close();
    }
  });

  it('says in edition show that reminders go before each invitation’s own answer-by date', async () => {
    expect((await conclave(dir, 'edition', 'update', '2097', '--answer-by', '2097-02-01')).code).toBe(0);
    const shown = await conclave(dir, 'edition', 'show', '2097');
    expect(shown.stdout).toContain("\ncap:        15 accepted places; reminders 7 days before each invitation's own answer-by date\nanswer by:  2097-02-01 (for invitations sent from now on)\n");
  });
});

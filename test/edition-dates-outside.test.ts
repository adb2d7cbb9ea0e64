/**
 * New dates of an edition whose schedule was never published here (planned, or imported) that
 * leave slots on days outside them: said when saved, by the domain, the web form's notice and
 * `conclave edition update` (a published schedule's change says it in its changelog line).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/connect.js';
import { addCommitteeMember } from '../src/domain/committee/accounts.js';
import { createSigninLink } from '../src/domain/committee/signin.js';
import { updateEdition } from '../src/domain/editions/edit-edition.js';
import { addSlot } from '../src/domain/program/schedule-edit.js';
import { buildApp } from '../src/web/app.js';
import { runCommand } from './support/cli-in-process.js';
import { commandData, testDatabases } from './support/db.js';
import { Client } from './support/http.js';
import { COMMITTEE, makeDeps, makeEdition } from './invitations/fixtures.js';

describe.each(testDatabases())('new dates leaving slots outside on $name', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => handle?.close());

  const yearOf = async (id: number) => (await handle.db.selectFrom('editions').select('year').where('id', '=', id).executeTakeFirstOrThrow()).year;

  it('names the slots and their days in the domain, and nothing when none is left outside', async () => {
    const deps = makeDeps(handle.db);
    const id = await makeEdition(handle.db, { start_date: '2026-05-11', end_date: '2026-05-13' });
    const ref = { series: 'invtest', year: await yearOf(id) };
    await addSlot(deps, COMMITTEE, ref, { date: '2026-05-11', start: '09:00', end: '10:00', kind: 'talk', title: 'Opening' });
    await addSlot(deps, COMMITTEE, ref, { date: '2026-05-12', start: '09:00', end: '10:00', kind: 'talk', title: 'Second day' });
    await addSlot(deps, COMMITTEE, ref, { date: '2026-05-12', start: '10:00', end: '11:00', kind: 'talk', title: 'More' });
    const edit = (fields: Record<string, unknown>) => updateEdition(deps, COMMITTEE, { ...ref, fields });

    const later = await edit({ startDate: '2026-05-13', endDate: '2026-05-14' });
    expect([later.slotsOutside, later.scheduleChange]).toEqual([{ count: 3, dates: ['2026-05-11', '2026-05-12'] }, null]);
    expect((await edit({ startDate: '2026-05-12', endDate: '2026-05-14' })).slotsOutside).toEqual({ count: 1, dates: ['2026-05-11'] });
    // Dates that hold them all, or a change of something else: nothing to say.
    expect((await edit({ startDate: '2026-05-10', endDate: '2026-05-14' })).slotsOutside).toBeNull();
    expect((await edit({ startDate: '2026-05-12', endDate: '2026-05-14' })).slotsOutside).not.toBeNull();
    expect((await edit({ city: 'Lisbon' })).slotsOutside).toBeNull();
  });

  it('says so in the notice after the edition’s form is saved', async () => {
    // Real time, as the client drops a session cookie whose expiry has passed.
    const deps = makeDeps(handle.db, new Date().toISOString());
    const id = await makeEdition(handle.db, { start_date: '2026-05-11', end_date: '2026-05-12' });
    const year = await yearOf(id);
    await addSlot(deps, COMMITTEE, { series: 'invtest', year }, { date: '2026-05-12', start: '09:00', end: '10:00', kind: 'talk', title: 'Second day' });
    await addCommitteeMember(deps, COMMITTEE, { email: 'chair@example.org', name: 'Pat Chair' }).catch(() => undefined);
    const app = await buildApp({ db: handle.db, clock: deps.clock, mail: deps.mail, limits: { signin: 1000 } });
    try {
      const c = new Client(app);
      const signin = new URL((await createSigninLink(deps, { email: 'chair@example.org' }))!.link).pathname;
      expect((await c.submit(signin, signin, {})).statusCode).toBe(303);
      const page = `/admin/editions/invtest/${year}`;
      const saved = await c.submit(page, page, { startDate: '2026-05-11', endDate: '2026-05-11' });
      expect(saved.statusCode).toBe(303);
      const notice = new URL(saved.headers.location as string, 'http://x').searchParams.get('notice');
      expect(notice).toBe("Saved. 1 slot of the schedule is on a day outside the edition's dates now (2026-05-12): the Schedule page lists them as conflicts, to move.");
    } finally {
      await app.close();
    }
  });
});

describe('conclave edition update', () => {
  it('says which days hold slots outside the new dates', async () => {
    const env = await commandData('conclave-dates-');
    const run = (...args: string[]) => runCommand(args, env);
    expect((await run('edition', 'create', '2027', '--series', 'Netconf', '--start', '2027-05-11', '--end', '2027-05-12', '--time-zone', 'Europe/Lisbon')).code).toBe(0);
    expect((await run('schedule', 'add', '2027', '--date', '2027-05-12', '--start', '09:00', '--end', '10:00', '--title', 'Second day')).code).toBe(0);
    const moved = await run('edition', 'update', '2027', '--start', '2027-06-01', '--end', '2027-06-02');
    expect([moved.code, moved.stderr]).toEqual([0, '']);
    expect(moved.stdout).toBe(
      "updated Netconf 2027\n! 1 slot of the schedule is on a day outside the edition's dates now (2027-05-12): conclave schedule show 2027 lists them as conflicts; move them with conclave schedule move\n",
    );
  });
});

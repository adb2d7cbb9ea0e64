/**
 * Publishing the schedule of an edition that is over (an archived edition marked final, say)
 * mails nobody, as no change of its schedule does: its speakers' addresses are those its page
 * gave, perhaps twenty years ago. The dry run and the builder's page say so beforehand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { addCommitteeMember } from '../../src/domain/committee/accounts.js';
import { createSigninLink } from '../../src/domain/committee/signin.js';
import { acceptInvitation } from '../../src/domain/invitations/rsvp.js';
import { addSlot } from '../../src/domain/program/schedule-edit.js';
import { previewPublication, publishSchedule } from '../../src/domain/program/schedule-publish.js';
import { buildApp } from '../../src/web/app.js';
import { COMMITTEE, inviteGuests, makeDeps, makeEdition } from '../invitations/fixtures.js';
import { testDatabases } from '../support/db.js';
import { Client } from '../support/http.js';

describe.each(testDatabases())('publishing the schedule of an edition that is over on $name', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => handle?.close());

  /** An edition of 2026-05-11…13 with one accepted speaker on a slot, tentative; its ref. */
  async function tentativeWithSpeaker(deps: ReturnType<typeof makeDeps>, guest: number) {
    const id = await makeEdition(handle.db, { start_date: '2026-05-11', end_date: '2026-05-13', time_zone: 'Europe/Lisbon' });
    const year = (await handle.db.selectFrom('editions').select('year').where('id', '=', id).executeTakeFirstOrThrow()).year;
    const ref = { series: 'invtest', year };
    const [g] = await inviteGuests(deps, id, 1, guest);
    await acceptInvitation(deps, { token: g!.token });
    const speaker = (await handle.db.selectFrom('invitations').select('person_id').where('id', '=', g!.id).executeTakeFirstOrThrow()).person_id;
    await addSlot(deps, COMMITTEE, ref, { date: '2026-05-11', start: '10:00', end: '10:30', kind: 'talk', title: 'Qdisc', speakerIds: [speaker] });
    return { id, ref, email: g!.email };
  }
  const queued = (id: number) => handle.db.selectFrom('outbox').select(['kind', 'to_address']).where('edition_id', '=', id).where('kind', 'in', ['schedule-published', 'schedule-final']).execute();

  it('mails its speakers while it is to come, and nobody once it is over', async () => {
    const deps = makeDeps(handle.db, '2026-04-01T09:00:00Z');
    const coming = await tentativeWithSpeaker(deps, 7100);
    const first = await publishSchedule(deps, COMMITTEE, coming.ref);
    expect(first.mailed).toMatchObject({ key: 'schedule-published', told: 1 });
    expect(await queued(coming.id)).toEqual([{ kind: 'schedule-published', to_address: coming.email }]);

    const past = await tentativeWithSpeaker(deps, 7200);
    await publishSchedule(deps, COMMITTEE, past.ref);
    // Over the day after its last day, where it takes place.
    deps.set('2026-05-14T09:00:00Z');
    const before = await queued(past.id);
    expect((await previewPublication(deps, past.ref, { final: true })).mail).toEqual({ key: 'schedule-final', told: [], untold: [], nobodyBecause: 'Netconf 2026 is over' });
    const final = await publishSchedule(deps, COMMITTEE, past.ref, { final: true });
    expect([final.status, final.mailed]).toEqual(['final', { key: 'schedule-final', told: 0, untold: [], nobodyBecause: 'Netconf 2026 is over' }]);
    expect(await queued(past.id)).toEqual(before);
  });

  it('says on the builder’s page that publishing mails nobody', async () => {
    // Real time, as the client drops a session cookie whose expiry has passed: the edition of
    // 2026-05 is over by then.
    const { ref } = await tentativeWithSpeaker(makeDeps(handle.db, '2026-04-01T09:00:00Z'), 7300);
    const deps = makeDeps(handle.db, new Date().toISOString());
    await addCommitteeMember(deps, COMMITTEE, { email: 'chair@example.org', name: 'Pat Chair' }).catch(() => undefined);
    const app = await buildApp({ db: handle.db, clock: deps.clock, mail: deps.mail, limits: { signin: 1000 } });
    try {
      const c = new Client(app);
      const signin = new URL((await createSigninLink(deps, { email: 'chair@example.org' }))!.link).pathname;
      expect((await c.submit(signin, signin, {})).statusCode).toBe(303);
      const page = await c.get(`/admin/editions/invtest/${ref.year}/schedule`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Netconf 2026 is over: publishing mails nobody, and neither does a change (the public changelog lists it).');
      expect(page.body).not.toContain('Publishing mails each speaker');
    } finally {
      await app.close();
    }
  });
});

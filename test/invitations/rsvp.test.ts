/**
 * The invitee's side: the cap and the waiting list with its rank, a freed place going to the
 * first waiting (who is mailed that they are in), change of mind until the answer-by date and
 * not after, affiliation and a public address (default not shown), and accepted people listed
 * as attendees on the public edition page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { addCommitteeMember } from '../../src/domain/committee/accounts.js';
import { loadEdition } from '../../src/domain/editions/load-edition.js';
import { InvalidTransition } from '../../src/domain/errors.js';
import { overrideState } from '../../src/domain/invitations/committee-actions.js';
import {
  acceptInvitation,
  declineInvitation,
  findByToken,
  updateInviteeDetails,
  withdrawInvitation,
} from '../../src/domain/invitations/rsvp.js';
import { testDatabases } from '../support/db.js';
import { guestEmail, guestName, inviteGuests, makeDeps, makeEdition, row, tokenOf } from './fixtures.js';

describe.each(testDatabases())('rsvp on $name', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => handle?.close());

  it('fills the cap, then puts accepts on the waiting list with their rank shown', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db, { cap: 3 });
    const sent = await inviteGuests(deps, editionId, 6);
    const views = [];
    for (const s of sent) views.push(await acceptInvitation(deps, { token: s.token }));
    expect(views.map((v) => [v.state, v.waitlistRank])).toEqual([
      ['accepted', null],
      ['accepted', null],
      ['accepted', null],
      ['waitlisted', 1],
      ['waitlisted', 2],
      ['waitlisted', 3],
    ]);
    expect((await row(handle.db, sent[4]!.id)).waitlist_position).toBe(2);
    // Accepting again (a double click) changes nothing: the place, or the rank, stays.
    expect((await acceptInvitation(deps, { token: sent[0]!.token })).state).toBe('accepted');
    expect((await acceptInvitation(deps, { token: sent[5]!.token })).waitlistRank).toBe(3);
    // Leaving the list moves those behind up in rank; positions keep their gaps.
    await declineInvitation(deps, { token: sent[3]!.token });
    expect((await findByToken(deps, sent[4]!.token)).waitlistRank).toBe(1);
    expect((await findByToken(deps, sent[5]!.token)).waitlistRank).toBe(2);
    expect(await handle.db.selectFrom('outbox').where('kind', '=', 'waitlist-promoted').where('edition_id', '=', editionId).select('id').execute()).toEqual([]);
  });

  it('gives a freed place to the first waiting, lists them and mails them that they are in', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db, { cap: 2 });
    const sent = await inviteGuests(deps, editionId, 4, 10);
    for (const s of sent) await acceptInvitation(deps, { token: s.token });
    const [a, , c, d] = sent as [(typeof sent)[0], (typeof sent)[0], (typeof sent)[0], (typeof sent)[0]];

    const after = await declineInvitation(deps, { token: a.token });
    expect(after).toMatchObject({ state: 'declined', actions: ['accept'] });
    expect(await row(handle.db, c.id)).toMatchObject({ state: 'accepted', waitlist_position: null });
    expect(await row(handle.db, d.id)).toMatchObject({ state: 'waitlisted', waitlist_position: 2 });
    expect((await findByToken(deps, d.token)).waitlistRank).toBe(1);

    const mails = await handle.db.selectFrom('outbox').selectAll().where('kind', '=', 'waitlist-promoted').where('edition_id', '=', editionId).execute();
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail).toMatchObject({ to_address: c.email, state: 'queued', in_reply_to: c.messageId, references_ids: c.messageId });
    expect(mail.subject).toBe('You are in: a seat at Netconf 2026 is yours');
    expect(mail.body).toContain('it is now yours');
    const link = /https:\/\/netconf\.example\.org\/invitation\/[A-Za-z0-9_-]{43}/.exec(mail.body)![0];
    expect(await findByToken(deps, tokenOf(link))).toMatchObject({ state: 'accepted', actions: ['decline'] });
    expect(await findByToken(deps, c.token)).toMatchObject({ state: 'accepted' }); // the invitation's link still works

    const audit = await handle.db.selectFrom('audit_log').selectAll().where('action', '=', 'invitation.promote').where('entity_id', '=', String(c.id)).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'system', actor_account_id: null, before: { state: 'waitlisted', waitlistPosition: 1 }, after: { state: 'accepted', waitlistPosition: null } });

    // The one declined changes their mind: the edition is full, so they wait at the end.
    expect(await acceptInvitation(deps, { token: a.token })).toMatchObject({ state: 'waitlisted', waitlistRank: 2 });
    // Withdrawing after the answer-by date frees a place too.
    deps.set('2026-04-20T09:00:00Z');
    await withdrawInvitation(deps, { token: c.token });
    expect((await row(handle.db, d.id)).state).toBe('accepted');
    expect((await row(handle.db, a.id)).state).toBe('waitlisted');
  });

  it('allows a change of mind until the answer-by date, in the edition’s time zone, and only withdrawal after', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db, { time_zone: 'America/Los_Angeles', answer_by: '2026-04-10' });
    const [s] = await inviteGuests(deps, editionId, 1, 20);
    const token = s!.token;
    expect(await acceptInvitation(deps, { token })).toMatchObject({ state: 'accepted', canChange: true, actions: ['decline'] });
    expect(await declineInvitation(deps, { token })).toMatchObject({ state: 'declined', actions: ['accept'] });
    // 06:00 UTC on April 11 is still April 10 in Los Angeles: the last day to change.
    deps.set('2026-04-11T06:00:00Z');
    expect(await acceptInvitation(deps, { token })).toMatchObject({ state: 'accepted', canChange: true });
    deps.set('2026-04-11T08:00:00Z');
    const closed = await findByToken(deps, token);
    expect(closed).toMatchObject({ state: 'accepted', canChange: false, actions: ['withdraw'] });
    expect(closed.notice).toMatch(/^The answer-by date, April 10, 2026, has passed: if you cannot come/);
    const refused = await declineInvitation(deps, { token }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvalidTransition);
    expect((refused as Error).message).toBe('The answer-by date, April 10, 2026, has passed: you can still withdraw.');
    expect((await row(handle.db, s!.id)).state).toBe('accepted');
    expect(await withdrawInvitation(deps, { token })).toMatchObject({ state: 'withdrawn', actions: [] });
    await expect(acceptInvitation(deps, { token })).rejects.toBeInstanceOf(InvalidTransition);
  });

  it('refuses a first answer after the answer-by date, before expiry has run', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    const [s] = await inviteGuests(deps, editionId, 1, 25);
    deps.set('2026-04-11T00:00:01Z');
    expect(await findByToken(deps, s!.token)).toMatchObject({ state: 'invited', canChange: false, actions: [] });
    const err = await acceptInvitation(deps, { token: s!.token }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidTransition);
    expect((err as Error).message).toBe('The answer-by date, April 10, 2026, has passed: the answer can no longer change.');
  });

  it('tells one waiting after the answer-by date that they wait on, not that they hold a place', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db, { cap: 1, answer_by: '2026-04-10' });
    const [a, b] = await inviteGuests(deps, editionId, 2, 25);
    await acceptInvitation(deps, { token: a!.token });
    expect(await acceptInvitation(deps, { token: b!.token })).toMatchObject({ state: 'waitlisted' });
    deps.set('2026-04-12T12:00:00Z');
    expect((await findByToken(deps, b!.token)).notice).toBe(
      'The answer-by date, April 10, 2026, has passed: you stay on the waiting list, and are mailed if a place becomes yours. If you cannot come after all, please withdraw.',
    );
    expect((await findByToken(deps, a!.token)).notice).toMatch(/please withdraw, so that someone else can have the place\.$/);
  });

  it('says an invitation the committee closed before its date was closed, not that the date passed', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    const [s] = await inviteGuests(deps, editionId, 1, 26);
    await overrideState(deps, { accountId: null, label: 'cli:committee' }, { id: s!.id, state: 'expired', reason: 'testing expiry' });
    const v = await findByToken(deps, s!.token);
    expect(v).toMatchObject({ state: 'expired', canChange: false, actions: [], stateText: 'The committee closed this invitation.' });
    expect(v.notice).toBe('The committee closed this invitation before its answer-by date: it can no longer be answered. To ask whether a place is still free, reply to the invitation mail.');
    deps.set('2026-04-11T00:00:01Z');
    expect(await findByToken(deps, s!.token)).toMatchObject({ stateText: 'You did not answer by the answer-by date.', notice: expect.stringMatching(/^The answer-by date, April 10, 2026, has passed: this invitation can no longer be answered/) });
  });

  it('keeps the address private unless asked, records the affiliation, and lists attendees publicly', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db, { cap: 5 });
    const [a, b] = await inviteGuests(deps, editionId, 2, 30);
    const edition = await handle.db.selectFrom('editions').innerJoin('series', 'series.id', 'editions.series_id').select(['series.slug', 'editions.year']).where('editions.id', '=', editionId).executeTakeFirstOrThrow();
    // Guest 30 has another address that an archive page made public: it is not the one they
    // were invited at, and they did not choose to show it here.
    await handle.db.insertInto('person_emails').values({ person_id: (await row(handle.db, a!.id)).person_id, email: 'guest30@old-employer.example', is_public: true, is_primary: false }).execute();

    expect((await findByToken(deps, a!.token)).person).toEqual({ name: 'Guest 30', affiliation: null, email: guestEmail(30), showEmail: false });
    const va = await acceptInvitation(deps, { token: a!.token, affiliation: 'Example Networks' });
    expect(va.person).toMatchObject({ affiliation: 'Example Networks', showEmail: false });
    await acceptInvitation(deps, { token: b!.token, showEmail: true });

    let page = await loadEdition(deps, edition.slug, edition.year);
    expect(page.attendees).toEqual([
      expect.objectContaining({ name: 'Guest 30', email: null }),
      expect.objectContaining({ name: 'Guest 31', email: guestEmail(31) }),
    ]);

    // Shown on the public pages and printed by the CLI: nothing a terminal would act on.
    await expect(updateInviteeDetails(deps, { token: a!.token, affiliation: 'Example\u001b[31m', showEmail: true })).rejects.toThrow(/affiliation: must be one line of text, without control characters/);
    const vd = await updateInviteeDetails(deps, { token: a!.token, affiliation: '', showEmail: true });
    expect(vd.person).toMatchObject({ affiliation: null, showEmail: true });
    page = await loadEdition(deps, edition.slug, edition.year);
    expect(page.attendees?.map((x) => x.email)).toEqual([guestEmail(30), guestEmail(31)]);

    const audit = await handle.db.selectFrom('audit_log').selectAll().where('action', '=', 'invitation.update-details').where('entity_id', '=', String(a!.id)).orderBy('id').execute();
    expect(audit.map((x) => [x.actor, x.before, x.after])).toEqual([
      [`invitee:${guestEmail(30)}`, { affiliation: null, showEmail: false }, { affiliation: 'Example Networks', showEmail: false }],
      [`invitee:${guestEmail(30)}`, { affiliation: 'Example Networks', showEmail: false }, { affiliation: null, showEmail: true }],
    ]);

    await declineInvitation(deps, { token: b!.token });
    page = await loadEdition(deps, edition.slug, edition.year);
    expect(page.attendees?.map((x) => x.name)).toEqual(['Guest 30']);
    const accept = await handle.db.selectFrom('audit_log').selectAll().where('action', '=', 'invitation.accept').where('entity_id', '=', String(b!.id)).executeTakeFirstOrThrow();
    expect(accept).toMatchObject({ actor: `invitee:${guestEmail(31)}`, before: { state: 'invited' }, after: { state: 'accepted' } });
  });

  it('shows the edition’s details on the invitee’s page', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db, { start_date: '2026-12-30', end_date: '2027-01-02', answer_by: '2026-12-15', time_zone: 'Europe/Lisbon' });
    const [s] = await inviteGuests(deps, editionId, 1, 40);
    expect(await findByToken(deps, s!.token)).toEqual({
      invitationId: s!.id,
      edition: {
        title: 'Netconf 2026',
        seriesName: 'Netconf',
        year: expect.any(Number),
        dates: 'December 30, 2026 – January 2, 2027',
        startDate: '2026-12-30',
        endDate: '2027-01-02',
        place: 'Lisbon, Portugal',
        colocated: null,
        timeZone: 'Europe/Lisbon',
      },
      person: { name: 'Guest 40', affiliation: null, email: guestEmail(40), showEmail: false },
      state: 'invited',
      answerBy: '2026-12-15',
      answerByText: 'December 15, 2026',
      canChange: true,
      stateText: 'You have not answered yet.',
      waitlistRank: null,
      actions: ['accept', 'decline'],
      acceptWaitRank: null,
      canEditDetails: true,
      notice: null,
      speaksIn: null,
      committeeHears: false,
    });
  });

  it('tells each committee member when an accepted speaker on the schedule declines or withdraws, and warns the speaker first', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    for (const [email, name] of [['chair@example.org', 'Pat Chair'], ['second@example.org', 'Sam Second']]) {
      await addCommitteeMember({ db: handle.db }, { accountId: null, label: 'test' }, { email: email!, name: name! });
    }
    const sent = await inviteGuests(deps, editionId, 3, 300);
    for (const x of sent) await acceptInvitation(deps, { token: x.token });
    const person = async (k: number) => (await row(handle.db, sent[k]!.id)).person_id;
    const day = await handle.db.insertInto('agenda_days').values({ edition_id: editionId, date: '2026-05-12', label: '', position: 0 }).returning('id').executeTakeFirstOrThrow();
    const slot = await handle.db.insertInto('slots').values({ day_id: day.id, start_time: '10:30', end_time: '11:00', kind: 'talk', title: 'Qdisc', position: 0 }).returning('id').executeTakeFirstOrThrow();
    for (const k of [0, 1]) await handle.db.insertInto('slot_speakers').values({ slot_id: slot.id, person_id: await person(k), name_as_listed: guestName(300 + k), position: k }).execute();
    const lines = 'Tuesday, May 12, 2026, 10:30–11:00: Qdisc\n    with Guest 300, Guest 301';
    // To the speaker, the slot names the others only; to the committee, every speaker.
    expect((await findByToken(deps, sent[0]!.token)).speaksIn).toBe('Tuesday, May 12, 2026, 10:30–11:00: Qdisc\n    with Guest 301');
    expect((await findByToken(deps, sent[2]!.token)).speaksIn).toBeNull();
    expect((await findByToken(deps, sent[0]!.token)).committeeHears).toBe(true);
    expect((await findByToken(deps, sent[2]!.token)).committeeHears).toBe(false);
    const told = () => handle.db.selectFrom('outbox').select(['to_address', 'subject', 'body']).where('kind', '=', 'speaker-left').where('edition_id', '=', editionId).orderBy('id').execute();

    // One accepted without a mail of conclave's (its invitation sent by hand, say).
    await handle.db.updateTable('invitations').set({ invitation_message_id: null }).where('id', '=', sent[1]!.id).execute();
    await declineInvitation(deps, { token: sent[0]!.token });
    await withdrawInvitation(deps, { token: sent[1]!.token });
    // Not on the schedule: nothing to tell.
    await withdrawInvitation(deps, { token: sent[2]!.token });
    const mail = await told();
    expect(mail.map((m) => [m.to_address, m.subject])).toEqual([
      ['chair@example.org', 'Guest 300 will not come to Netconf 2026, and is on its schedule'],
      ['second@example.org', 'Guest 300 will not come to Netconf 2026, and is on its schedule'],
      ['chair@example.org', 'Guest 301 will not come to Netconf 2026, and is on its schedule'],
      ['second@example.org', 'Guest 301 will not come to Netconf 2026, and is on its schedule'],
    ]);
    expect(mail[0]!.body.replace(/\s+/g, ' ')).toContain(`Guest 300 <${guestEmail(300)}> declined and will not come to Netconf 2026, but is still on its schedule: ${lines.replace(/\s+/g, ' ')} Each such slot is now flagged in the schedule builder: take Guest 300 off it there, or find someone else:`);
    expect(mail[2]!.body).toContain(`Guest 301 <${guestEmail(301)}> withdrew and will not come`);
    expect(mail[0]!.body.split('\n').every((l) => l.length <= 72)).toBe(true);
    expect(mail[0]!.body).toContain(`https://netconf.example.org/admin/editions/invtest/`);

    // Threaded: under the invitation's mail, where every notice about the invitee is; without
    // one, under a root of the invitation's own, the same each time it is asked.
    const invitationMail = await handle.db.selectFrom('outbox').select(['message_id', 'references_ids']).where('kind', '=', 'invitation').where('invitation_id', '=', sent[0]!.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
    const threads = await handle.db.selectFrom('outbox').select(['in_reply_to', 'references_ids']).where('kind', '=', 'speaker-left').where('edition_id', '=', editionId).orderBy('id').execute();
    const created = (await row(handle.db, sent[1]!.id)).created_at;
    const root = `<conclave.invitation-${sent[1]!.id}.${created.getTime().toString(36)}@example.org>`;
    const chain = [invitationMail.references_ids, invitationMail.message_id].filter(Boolean).join(' ');
    expect(threads).toEqual([
      { in_reply_to: invitationMail.message_id, references_ids: chain },
      { in_reply_to: invitationMail.message_id, references_ids: chain },
      { in_reply_to: root, references_ids: root },
      { in_reply_to: root, references_ids: root },
    ]);
  });
});

/**
 * The committee's side: candidates (one person once per edition), sending (answer-by checked,
 * the mail filled in, a held batch), re-sending an expired invitation, revoking and overriding
 * with a reason (audited with before and after, the cap still holding), and the pipeline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { Conflict, InvalidForm, InvalidInput, InvalidTransition, NotFound } from '../../src/domain/errors.js';
import { promotedSentence } from '../../src/domain/invitations/cap.js';
import { addCandidate, AmbiguousPerson, listCandidates } from '../../src/domain/invitations/candidates.js';
import { overrideState, revokeInvitation } from '../../src/domain/invitations/committee-actions.js';
import { INVITEE_MAIL_KEYS } from '../../src/domain/invitations/invitee-mail.js';
import { invitationPipeline } from '../../src/domain/invitations/pipeline.js';
import { loadPeople } from '../../src/domain/people/load-person.js';
import { expireOverdue, sendReminders } from '../../src/domain/invitations/reminders.js';
import { acceptInvitation, declineInvitation, findByToken } from '../../src/domain/invitations/rsvp.js';
import { LINK_MESSAGES } from '../../src/domain/invitations/tokens.js';
import { discardHeldBatch, discardSentence, releaseHeldBatch, resendInvitation, resentSentence, sendInvitations, sentSentence, takenBackSentence } from '../../src/domain/invitations/send.js';
import { listAudit } from '../../src/domain/audit/record.js';
import { enqueueMail, releaseBatch, retryFailed } from '../../src/domain/mail/outbox.js';
import { testDatabases } from '../support/db.js';
import { longDate, todayIn } from '../../src/domain/invitations/dates.js';
import { BASE_URL, COMMITTEE, deliverDueMail, guestEmail, guestName, inviteGuests, makeDeps, makeEdition, row, tokenOf } from './fixtures.js';

const field = (p: Promise<unknown>) => p.then(() => 'no error', (e: unknown) => (e instanceof InvalidInput ? e.field : String(e)));

describe.each(testDatabases())('committee actions on $name', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => handle?.close());

  it('adds a person once per edition, with where they came from', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    const c = await addCandidate(deps, COMMITTEE, {
      editionId,
      name: 'Ada  Lovelace',
      email: 'ada@example.net',
      source: 'git',
      evidence: { commits: 42, areas: ['net/core'] },
      note: 'maintains the stack',
    });
    expect(c).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.net', source: 'git', evidence: { commits: 42, areas: ['net/core'] }, note: 'maintains the stack' });
    const dup = await addCandidate(deps, COMMITTEE, { editionId, name: 'A. Lovelace', email: 'ADA@example.net' }).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(Conflict);
    expect((dup as Error).message).toBe('Ada Lovelace <ada@example.net> is already on the list of Netconf 2026 (candidate)');
    expect(await listCandidates(deps, editionId)).toEqual([c]);
    expect(await field(addCandidate(deps, COMMITTEE, { editionId, name: 'X', email: 'not-an-address' }))).toBe('email');
    expect(await field(addCandidate(deps, COMMITTEE, { editionId, name: ' ', email: 'x@example.net' }))).toBe('name');
    await expect(addCandidate(deps, COMMITTEE, { editionId: 999_999, name: 'X', email: 'x@example.net' })).rejects.toBeInstanceOf(NotFound);
    // The address is not public unless the invitee says so.
    const address = await handle.db.selectFrom('person_emails').select('is_public').where('email', '=', 'ada@example.net').executeTakeFirstOrThrow();
    expect(address.is_public).toBe(false);
    const audit = await handle.db.selectFrom('audit_log').selectAll().where('action', '=', 'invitation.add-candidate').where('entity_id', '=', String(c.id)).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor: 'cli:committee', edition_id: editionId, before: null, after: { state: 'candidate', person: 'Ada Lovelace', source: 'git' } });
  });

  it('says of each row whether the person has a public page to link to', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    const [first] = await inviteGuests(deps, editionId, 2, 811);
    await addCandidate(deps, COMMITTEE, { editionId, name: guestName(813), email: guestEmail(813) });
    await acceptInvitation(deps, { token: first!.token });
    const pages = Object.fromEntries((await invitationPipeline(deps, editionId)).rows.map((r) => [r.name, [r.state, r.hasPage]]));
    // Coming, a person is on the edition's page, and has one; invited or a candidate, not yet.
    expect(pages).toEqual({ [guestName(811)]: ['accepted', true], [guestName(812)]: ['invited', false], [guestName(813)]: ['candidate', false] });
  });

  it('leaves whether each has a page out, and the queries that find it, for a caller that links nobody', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    const [first] = await inviteGuests(deps, editionId, 2, 821);
    await acceptInvitation(deps, { token: first!.token });
    let queries = 0;
    const counted = handle.db.withPlugin({ transformQuery: (a) => (queries++, a.node), transformResult: async (a) => a.result });
    const full = await invitationPipeline({ db: counted }, editionId);
    const withPages = queries;
    queries = 0;
    const bare = await invitationPipeline({ db: counted }, editionId, { pages: false });
    // The terminal's list: the same rows, but for hasPage, and the person views never loaded.
    expect(bare).toEqual({ ...full, rows: full.rows.map(({ hasPage: _, ...r }) => r) });
    expect(bare.rows[0]).not.toHaveProperty('hasPage');
    const bareQueries = queries;
    queries = 0;
    await loadPeople({ db: counted }, [...new Set(full.rows.map((r) => r.personSlug))]);
    expect(withPages - bareQueries).toBe(queries);
    expect(queries).toBeGreaterThan(0);
  });

  it('names the entry already on the list, not the one given, when a person comes twice', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    const zed = await addCandidate(deps, COMMITTEE, { editionId, name: 'Zed', email: 'ZED@Example.org' });
    // The same address in other letters, under a longer name: the same person, on the list as Zed.
    const dup = await addCandidate(deps, COMMITTEE, { editionId, name: 'Zed2', email: 'zed@example.org' }).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(Conflict);
    expect((dup as Error).message).toBe('Zed <ZED@Example.org> is already on the list of Netconf 2026 (candidate)');
    expect(await listCandidates(deps, editionId)).toEqual([zed]);
    const names = await handle.db.selectFrom('person_names').select('name').where('person_id', '=', zed.personId).execute();
    expect(names.map((n) => n.name)).not.toContain('Zed2');
  });

  it('asks, never guesses, whether a known name at a new address is the same person', async () => {
    const deps = makeDeps(handle.db);
    const first = await makeEdition(handle.db);
    const next = await makeEdition(handle.db);
    const davy = await addCandidate(deps, COMMITTEE, { editionId: first, name: 'Davy Mills', email: 'davy@mills.example' });
    // Somebody of that name at another address: which one is it? Nothing is written.
    const asked = await addCandidate(deps, COMMITTEE, { editionId: first, name: 'Davy  Mills', email: 'dmills@acme.example' }).catch((e: unknown) => e);
    expect(asked).toBeInstanceOf(AmbiguousPerson);
    // The one known is on this edition's list already: no answer, said so.
    expect((asked as AmbiguousPerson).namesakes).toEqual([]);
    expect((asked as AmbiguousPerson).listed).toMatchObject({ name: 'Davy Mills', email: 'davy@mills.example', state: 'candidate', addresses: ['davy@mills.example'] });
    // Davy Mills is on this edition's list already: "the same person" would add nothing.
    expect((asked as Error).message).toBe(
      'Davy Mills is known by davy@mills.example, not dmills@acme.example, and is on the list of Netconf 2026 already (candidate): if that is a new address of theirs, there is nothing to add; if it is somebody else of that name, add them as a new person',
    );
    const sameOne = await addCandidate(deps, COMMITTEE, { editionId: first, name: 'Davy Mills', email: 'dmills@acme.example', sameAs: 'davy@mills.example' }).catch((e: unknown) => e);
    expect((sameOne as Error).message).toBe('Davy Mills <davy@mills.example> is already on the list of Netconf 2026 (candidate)');
    // Not on the list of another edition: the plain question.
    const elsewhere = await addCandidate(deps, COMMITTEE, { editionId: next, name: 'Davy Mills', email: 'dmills@acme.example' }).catch((e: unknown) => e);
    expect((elsewhere as Error).message).toBe(
      'Davy Mills is known by davy@mills.example, not dmills@acme.example: say whether that is a new address of theirs (the same person) or somebody else of that name (a new person)',
    );
    expect(await handle.db.selectFrom('person_emails').select('email').where('email', '=', 'dmills@acme.example').execute()).toEqual([]);
    // Somebody else: a person of their own, beside the one already on the list.
    const other = await addCandidate(deps, COMMITTEE, { editionId: first, name: 'Davy Mills', email: 'dmills@acme.example', newPerson: true });
    expect(other.personId).not.toBe(davy.personId);
    expect(other.personSlug).toBe(`${davy.personSlug}-2`);
    expect((await listCandidates(deps, first)).map((c) => c.email)).toEqual(['davy@mills.example', 'dmills@acme.example']);
    // Known by their address now, each is found by it without a question; the address is the one
    // the archive has, in its letters.
    expect(await addCandidate(deps, COMMITTEE, { editionId: next, name: 'Davy Mills', email: 'DMILLS@acme.example' })).toMatchObject({ personId: other.personId, email: 'dmills@acme.example' });
    // Two of that name: the question names both; the answer says which one moved.
    const two = await addCandidate(deps, COMMITTEE, { editionId: next, name: 'Davy Mills', email: 'davy@newjob.example' }).catch((e: unknown) => e);
    // One of them is on that list already: the question is of the other.
    expect((two as Error).message).toBe(
      'Davy Mills is known by davy@mills.example, not davy@newjob.example: say whether that is a new address of theirs (the same person) or somebody else of that name (a new person); Davy Mills <dmills@acme.example> is on the list of Netconf 2026 already (candidate)',
    );
    expect((two as AmbiguousPerson).namesakes).toEqual([{ id: davy.personId, name: 'Davy Mills', addresses: ['davy@mills.example'] }]);
    const moved = await addCandidate(deps, COMMITTEE, { editionId: next, name: 'Davy Mills', email: 'davy@newjob.example', sameAs: 'Davy@Mills.example' });
    expect(moved.personId).toBe(davy.personId);
    const addresses = await handle.db.selectFrom('person_emails').select('email').where('person_id', '=', davy.personId).orderBy('email').execute();
    expect(addresses.map((a) => a.email)).toEqual(['davy@mills.example', 'davy@newjob.example']);
    // A new person needs an address of their own; the same person needs somebody known by it.
    const third = await makeEdition(handle.db);
    // Neither on its list: the question names both.
    await expect(addCandidate(deps, COMMITTEE, { editionId: third, name: 'Davy Mills', email: 'davy@third.example' })).rejects.toThrow(
      '2 people are known as Davy Mills (one by davy@mills.example and davy@newjob.example; one by dmills@acme.example), none by davy@third.example: say which of them has this new address, or that it is somebody else of that name (a new person)',
    );
    await expect(addCandidate(deps, COMMITTEE, { editionId: third, name: 'Davy Mills', email: 'davy@newjob.example', newPerson: true })).rejects.toThrow(
      'davy@newjob.example is already the address of Davy Mills: a new person needs an address of their own',
    );
    await expect(addCandidate(deps, COMMITTEE, { editionId: third, name: 'Davy Mills', email: 'davy@newjob.example', sameAs: 'dmills@acme.example' })).rejects.toThrow(
      'davy@newjob.example is already the address of Davy Mills, not of Davy Mills <dmills@acme.example>',
    );
    expect(await field(addCandidate(deps, COMMITTEE, { editionId: third, name: 'Nobody Known', email: 'nk@example.org', sameAs: 'nk-old@example.org' }))).toBe('sameAs');
    // A name the archive knows without any address is theirs, as before: nothing to ask.
    await handle.db.insertInto('people').values({ slug: 'pia-noaddr', name: 'Pia Noaddr', name_key: 'pia noaddr' }).execute();
    expect((await addCandidate(deps, COMMITTEE, { editionId: third, name: 'Pia Noaddr', email: 'pia@example.org' })).personSlug).toBe('pia-noaddr');
  });

  it('checks the answer-by date and who may be sent an invitation', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db, { answer_by: null });
    const a = await addCandidate(deps, COMMITTEE, { editionId, name: guestName(1), email: guestEmail(1) });
    const b = await addCandidate(deps, COMMITTEE, { editionId, name: guestName(2), email: guestEmail(2) });
    const send = (extra: object) => sendInvitations(deps, COMMITTEE, { editionId, ids: [a.id], ...extra });
    const message = (p: Promise<unknown>) => p.then(() => 'no error', (e: unknown) => (e as Error).message);
    expect(await message(send({}))).toBe('answerBy: no answer-by date: give one, or set a default for Netconf 2026');
    expect(await message(send({ answerBy: '2026-02-28' }))).toBe('answerBy: February 28, 2026 has passed already');
    expect(await message(send({ answerBy: '2026-05-11' }))).toBe('answerBy: must come before Netconf 2026 starts on May 11, 2026');
    expect(await field(send({ answerBy: '2026-04-31' }))).toBe('answerBy');
    expect(await field(send({ answerBy: '10/04/2026' }))).toBe('answerBy');
    await expect(sendInvitations(deps, COMMITTEE, { editionId, ids: [a.id, 999_999], answerBy: '2026-04-01' })).rejects.toBeInstanceOf(NotFound);
    // Who is asked comes first: someone not a candidate is named before a date is looked at.
    await expect(sendInvitations(deps, COMMITTEE, { editionId, ids: [a.id, 999_999], answerBy: '2026-02-28' })).rejects.toBeInstanceOf(NotFound);
    // The edition's own date, passed, is named as the edition's.
    const late = await makeEdition(handle.db, { answer_by: '2026-02-20' });
    const c = await addCandidate(deps, COMMITTEE, { editionId: late, name: guestName(3), email: guestEmail(3) });
    expect(await message(sendInvitations(deps, COMMITTEE, { editionId: late, ids: [c.id] }))).toBe("answerBy: the edition's answer-by date, February 20, 2026, has passed already: give a later one");

    await send({ answerBy: '2026-04-01' });
    // One of them invited already: nothing is sent, the message names it.
    const again = await sendInvitations(deps, COMMITTEE, { editionId, ids: [a.id, b.id], answerBy: '2026-04-01' }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(InvalidTransition);
    expect((again as Error).message).toBe(`only candidates are sent an invitation; re-send instead to: ${guestEmail(1)} (invited)`);
    expect((await row(handle.db, b.id)).state).toBe('candidate');
    expect(await handle.db.selectFrom('outbox').select('id').where('edition_id', '=', editionId).execute()).toHaveLength(1);
    const one = await sendInvitations(deps, COMMITTEE, { editionId, ids: 'all-candidates', answerBy: '2026-04-01' });
    expect(one).toMatchObject({ invitations: [{ id: b.id }] });
    expect(sentSentence(one)).toBe('1 invitation queued for sending');
    expect(sentSentence({ ...one, batch: 'round-2' })).toBe('1 invitation held as a draft in batch round-2');
    expect(sentSentence({ ...one, batch: 'round-2', invitations: [one.invitations[0]!, one.invitations[0]!] })).toBe('2 invitations held as drafts in batch round-2');
    expect(await sendInvitations(deps, COMMITTEE, { editionId, ids: 'all-candidates', answerBy: '2026-04-01' })).toEqual({ batch: null, invitations: [] });
  });

  it('names every wrong field of a candidate at once, the address as given, and refuses a name of two lines', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    const both = await addCandidate(deps, COMMITTEE, { editionId, name: ' ', email: 'not-an-email' }).catch((e: unknown) => e);
    expect((both as InvalidForm).fields).toEqual({ name: 'must not be empty', email: '"not-an-email" is not an address such as ada@example.org' });
    const empty = await addCandidate(deps, COMMITTEE, { editionId, name: '', email: '' }).catch((e: unknown) => e);
    expect((empty as InvalidForm).fields).toEqual({ name: 'must not be empty', email: 'must not be empty' });
    const header = await addCandidate(deps, COMMITTEE, { editionId, name: 'Evil\r\nBcc: victim@example.net', email: 'evil@example.org' }).catch((e: unknown) => e);
    expect((header as InvalidForm).fields).toEqual({ name: 'must be one line of text, without control characters' });
    const flipped = await addCandidate(deps, COMMITTEE, { editionId, name: '\u202eevil\u202c Name', email: 'rtl@example.org' }).catch((e: unknown) => e);
    expect((flipped as InvalidForm).fields).toEqual({ name: 'holds an invisible character (U+202E, at character 1) that changes how the text around it reads: remove it' });
    // The joiners and marks that scripts need are names' own.
    expect((await addCandidate(deps, COMMITTEE, { editionId, name: 'Mehdi Ra\u200cshidi', email: 'mehdi@example.org' })).name).toBe('Mehdi Ra\u200cshidi');
    await handle.db.deleteFrom('invitations').where('edition_id', '=', editionId).execute();
    // Nobody is invited to what is over: a year mistyped.
    const past = await makeEdition(handle.db, { start_date: '2019-06-20', end_date: '2019-06-21', answer_by: null });
    const over = await addCandidate(deps, COMMITTEE, { editionId: past, name: 'Ada Lovelace', email: 'ada@example.org' }).catch((e: unknown) => e);
    expect((over as Error).message).toBe('Netconf 2026 is over (its last day was June 21, 2019): invite people to an edition still to come');
    expect(await handle.db.selectFrom('invitations').select('id').where('edition_id', '=', past).execute()).toEqual([]);
    expect(await handle.db.selectFrom('invitations').select('id').where('edition_id', '=', editionId).execute()).toEqual([]);
  });

  it('fills in the invitation mail and can hold it as a batch', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    const chair = await addCandidate(deps, COMMITTEE, { editionId, name: 'Grace Hopper', email: 'grace@example.net' });
    await handle.db.deleteFrom('invitations').where('id', '=', chair.id).execute();
    await handle.db.insertInto('committee_members').values([
      { edition_id: editionId, person_id: chair.personId, position: 0 },
    ]).execute();
    const c = await addCandidate(deps, COMMITTEE, { editionId, name: guestName(5), email: guestEmail(5) });
    const sent = await sendInvitations(deps, COMMITTEE, { editionId, ids: [c.id], hold: true });
    const year = (await handle.db.selectFrom('editions').select('year').where('id', '=', editionId).executeTakeFirstOrThrow()).year;
    expect(sent.batch).toBe(`invitations-${year}-20260301T120000Z`);
    const inv = sent.invitations[0]!;
    expect(inv).toMatchObject({ id: c.id, name: 'Guest 5', email: guestEmail(5), answerBy: '2026-04-10' });
    const mail = await handle.db.selectFrom('outbox').selectAll().where('id', '=', inv.outboxId).executeTakeFirstOrThrow();
    expect(mail).toMatchObject({
      kind: 'invitation',
      state: 'draft',
      batch: sent.batch,
      to_address: guestEmail(5),
      to_name: 'Guest 5',
      from_address: 'Netconf committee <netconf@example.org>',
      reply_to: 'netconf-committee@example.org',
      subject: 'Invitation to Netconf 2026',
      message_id: inv.messageId,
    });
    expect(mail.body).toContain('Hello Guest 5,');
    expect(mail.body).toContain('Netconf 2026, May 11–13, 2026,\nin Lisbon, Portugal.');
    expect(mail.body).toContain(`Please let us know by April 10, 2026 whether you can come, on your\npersonal page:\n\n  ${inv.link}\n`);
    expect(mail.body).toMatch(/Thanks,\nGrace Hopper\n$/);
    expect(await row(handle.db, c.id)).toMatchObject({
      state: 'invited',
      answer_by: '2026-04-10',
      invited_at: new Date('2026-03-01T12:00:00Z'),
      invitation_message_id: inv.messageId,
      reminders_sent: 0,
    });
    // Without a committee named, the series' committee signs.
    const other = await makeEdition(handle.db);
    const [o] = await inviteGuests(deps, other, 1, 6);
    const body = (await handle.db.selectFrom('outbox').select('body').where('id', '=', o!.outboxId).executeTakeFirstOrThrow()).body;
    expect(body).toMatch(/Thanks,\nThe Netconf committee\n$/);
  });

  it('takes the held draft back when its invitation is re-sent, replacing only what was sent', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    const [a, b] = await Promise.all([1, 2].map((k) => addCandidate(deps, COMMITTEE, { editionId, name: guestName(40 + k), email: guestEmail(40 + k) })));
    const held = await sendInvitations(deps, COMMITTEE, { editionId, ids: [a!.id, b!.id], hold: true });
    const [draftA, draftB] = held.invitations;
    // Held, they are invited but not sent: the pipeline says so, not only the mail admin.
    const heldIn = async () => Object.fromEntries((await invitationPipeline(deps, editionId)).rows.map((r) => [r.id, r.heldIn]));
    expect(await heldIn()).toEqual({ [a!.id]: held.batch, [b!.id]: held.batch });
    const resent = await resendInvitation(deps, COMMITTEE, { id: a!.id });
    expect(await heldIn()).toEqual({ [a!.id]: null, [b!.id]: held.batch });
    const again = resent.invitations[0]!;
    // Said, on the web and in the terminal.
    expect(takenBackSentence(resent)).toBe(`Its earlier mail, held unsent in batch ${held.batch}, was taken out of that batch.`);
    expect(resentSentence(resent)).toBe(`Invitation #${a!.id} (${a!.email}) re-sent with a new link, queued for sending. Its earlier mail, held unsent in batch ${held.batch}, was taken out of that batch.`);
    // An invitation that is not there, said alike by every command that takes an id.
    for (const act of [() => resendInvitation(deps, COMMITTEE, { id: 999999 }), () => revokeInvitation(deps, COMMITTEE, { id: 999999, reason: 'x' }), () => overrideState(deps, COMMITTEE, { id: 999999, state: 'declined', reason: 'x' })]) {
      await expect(act()).rejects.toThrow(/^invitation 999999 not found$/);
    }
    await expect(sendInvitations(deps, COMMITTEE, { editionId, ids: [999998, 999999] })).rejects.toThrow(/^invitations 999998, 999999 not found in Netconf 2026$/);
    // Nobody got the draft: the re-send is the invitation, in no thread, replacing nothing.
    const mail = await handle.db.selectFrom('outbox').selectAll().where('id', '=', again.outboxId).executeTakeFirstOrThrow();
    expect(mail).toMatchObject({ in_reply_to: null, references_ids: null, state: 'queued' });
    expect(mail.body).toMatch(/^Hello Guest 41,\n/);
    // Releasing the batch sends the other draft alone, not one whose link is dead.
    expect(await releaseBatch(deps, held.batch!)).toEqual({ released: 1 });
    expect(await heldIn()).toEqual({ [a!.id]: null, [b!.id]: null });
    const left = await handle.db.selectFrom('outbox').select('message_id').where('batch', '=', held.batch!).execute();
    expect(left.map((m) => m.message_id)).toEqual([draftB!.messageId]);
    expect(await handle.db.selectFrom('outbox').select('id').where('message_id', '=', draftA!.messageId).execute()).toEqual([]);
    // A re-send of a re-send still held replaces the mail that was sent, in its thread.
    const [c] = await inviteGuests(deps, editionId, 1, 45);
    await deliverDueMail(handle.db);
    const heldAgain = (await resendInvitation(deps, COMMITTEE, { id: c!.id, hold: true })).invitations[0]!;
    const thirdSent = await resendInvitation(deps, COMMITTEE, { id: c!.id });
    expect(thirdSent.takenBack).toMatch(/^invitations-/);
    const third = thirdSent.invitations[0]!;
    const thirdMail = await handle.db.selectFrom('outbox').selectAll().where('id', '=', third.outboxId).executeTakeFirstOrThrow();
    expect(thirdMail).toMatchObject({ in_reply_to: c!.messageId, references_ids: c!.messageId });
    // Dated the day that mail went (the worker's clock is the machine's).
    const { sent_at } = await handle.db.selectFrom('outbox').select('sent_at').where('message_id', '=', c!.messageId).executeTakeFirstOrThrow();
    const { time_zone } = await handle.db.selectFrom('editions').select('time_zone').where('id', '=', editionId).executeTakeFirstOrThrow();
    const replacesSent = `This mail replaces our invitation of ${longDate(todayIn(time_zone, sent_at!))}: the link in that one no longer works, the one below does. Hello Guest 45,`;
    expect(thirdMail.body.replace(/\s+/g, ' ').startsWith(replacesSent)).toBe(true);
    expect(await handle.db.selectFrom('outbox').select('id').where('message_id', '=', heldAgain.messageId).execute()).toEqual([]);
    // Re-sent once more before any worker came round, that queued mail is taken back too (no
    // batch to name) and the new one still replaces the mail that went, and no other.
    const fourthSent = await resendInvitation(deps, COMMITTEE, { id: c!.id });
    expect(takenBackSentence(fourthSent)).toBeNull();
    expect(await handle.db.selectFrom('outbox').select('id').where('message_id', '=', third.messageId).execute()).toEqual([]);
    const fourthMail = await handle.db.selectFrom('outbox').selectAll().where('id', '=', fourthSent.invitations[0]!.outboxId).executeTakeFirstOrThrow();
    expect(fourthMail).toMatchObject({ in_reply_to: c!.messageId, references_ids: c!.messageId });
    expect(fourthMail.body.replace(/\s+/g, ' ').startsWith(replacesSent)).toBe(true);
  });

  it('takes back an invitation mail that failed, waits after a failure, or waits to be tried, when its link ends', async () => {
    const deps = makeDeps(handle.db, '2100-03-01T12:00:00Z');
    const editionId = await makeEdition(handle.db, { title: 'Netconf 2100', start_date: '2100-05-11', end_date: '2100-05-13', answer_by: '2100-04-10' });
    const [a, b, c, d] = await inviteGuests(deps, editionId, 4, 60);
    // a's mail was refused for good, b's waits after a temporary refusal, c's was refused too,
    // d's has not been tried yet (no worker has come round: it would send it within seconds).
    const mark = (id: number, state: 'failed' | 'queued') =>
      handle.db.updateTable('outbox').set({ state, attempts: 1, last_error: '450 4.2.1 mailbox busy', next_attempt_at: new Date('2100-03-01T12:05:00Z') }).where('id', '=', id).execute();
    await mark(a!.outboxId, 'failed');
    await mark(b!.outboxId, 'queued');
    await mark(c!.outboxId, 'failed');
    const resentA = await resendInvitation(deps, COMMITTEE, { id: a!.id });
    const resentB = await resendInvitation(deps, COMMITTEE, { id: b!.id });
    await revokeInvitation(deps, COMMITTEE, { id: c!.id, reason: 'invited by mistake' });
    const resentD = await resendInvitation(deps, COMMITTEE, { id: d!.id });
    const ids = async (messageIds: string[]) => (await handle.db.selectFrom('outbox').select('message_id').where('message_id', 'in', messageIds).execute()).map((m) => m.message_id);
    // Never received, their dead links are not sent: not by a retry, not by the worker, not after
    // the new mail.
    expect(await ids([a!.messageId, b!.messageId, c!.messageId, d!.messageId])).toEqual([]);
    expect(await retryFailed(deps, 'all')).toEqual({ retried: 0 });
    // No batch was involved, and the new mail replaces nothing its reader got: a first
    // invitation, in no thread, not saying it replaces one.
    expect([resentA.takenBack, resentB.takenBack, resentD.takenBack]).toEqual([null, null, null]);
    for (const [resent, k] of [[resentA, 60], [resentD, 63]] as const) {
      const mail = await handle.db.selectFrom('outbox').selectAll().where('id', '=', resent.invitations[0]!.outboxId).executeTakeFirstOrThrow();
      expect(mail).toMatchObject({ in_reply_to: null, references_ids: null, state: 'queued' });
      expect(mail.body).toMatch(new RegExp(`^Hello Guest ${k},\\n`));
      expect(mail.body).not.toContain('replaces');
    }
    const discards = await handle.db.selectFrom('audit_log').select(['entity_id', 'reason']).where('action', '=', 'mail.discard').where('edition_id', '=', editionId).orderBy('id').execute();
    expect(discards).toEqual([
      { entity_id: String(a!.outboxId), reason: `replaced by a re-send of invitation ${a!.id}` },
      { entity_id: String(b!.outboxId), reason: `replaced by a re-send of invitation ${b!.id}` },
      { entity_id: String(c!.outboxId), reason: `invitation ${c!.id} was revoked: its unsent mail is not to be sent` },
      { entity_id: String(d!.outboxId), reason: `replaced by a re-send of invitation ${d!.id}` },
    ]);
  });

  it('says a candidate is to be sent, not re-sent', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    const c = await addCandidate(deps, COMMITTEE, { editionId, name: 'Cand Idate', email: 'cand@example.net' });
    const err = await resendInvitation(deps, COMMITTEE, { id: c.id }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidTransition);
    expect((err as Error).message).toBe(`invitation ${c.id} (cand@example.net) is a candidate, not invited yet: send it rather than re-send it`);
    expect(await row(handle.db, c.id)).toMatchObject({ state: 'candidate' });
  });

  it('re-sends an expired invitation with a new answer-by date', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    const [s] = await inviteGuests(deps, editionId, 1, 10);
    await deliverDueMail(handle.db);
    deps.set('2026-04-12T08:00:00Z');
    await expireOverdue(deps, { editionId });
    expect(await field(resendInvitation(deps, COMMITTEE, { id: s!.id }))).toBe('answerBy');
    const again = await resendInvitation(deps, COMMITTEE, { id: s!.id, answerBy: '2026-04-20' });
    expect(await row(handle.db, s!.id)).toMatchObject({ state: 'invited', answer_by: '2026-04-20', invitation_message_id: again.invitations[0]!.messageId });
    // In the first one's thread, saying which link stopped.
    const mail = await handle.db.selectFrom('outbox').selectAll().where('id', '=', again.invitations[0]!.outboxId).executeTakeFirstOrThrow();
    expect(mail).toMatchObject({ in_reply_to: s!.messageId, references_ids: s!.messageId });
    expect(mail.body).toMatch(/^This mail replaces our invitation of March 1, 2026: the link in that one\nno longer works, the one below does\.\n\nHello Guest 10,\n/);
    expect(await acceptInvitation(deps, { token: tokenOf(again.invitations[0]!.link) })).toMatchObject({ state: 'accepted' });
    await revokeInvitation(deps, COMMITTEE, { id: s!.id, reason: 'duplicate' });
    await expect(resendInvitation(deps, COMMITTEE, { id: s!.id })).rejects.toBeInstanceOf(InvalidTransition);
    await expect(resendInvitation(deps, COMMITTEE, { id: 999_999 })).rejects.toBeInstanceOf(NotFound);
  });

  it('keeps the whole thread in References through re-sends, reminders and promotions', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db, { cap: 1 });
    const [first, s] = await inviteGuests(deps, editionId, 2, 20);
    // Each mail goes before the next replaces it.
    await deliverDueMail(handle.db);
    const once = (await resendInvitation(deps, COMMITTEE, { id: s!.id })).invitations[0]!;
    await deliverDueMail(handle.db);
    const twice = (await resendInvitation(deps, COMMITTEE, { id: s!.id })).invitations[0]!;
    const headers = (id: number) => handle.db.selectFrom('outbox').select(['in_reply_to', 'references_ids']).where('id', '=', id).executeTakeFirstOrThrow();
    const chain = `${s!.messageId} ${once.messageId} ${twice.messageId}`;
    expect(await headers(twice.outboxId)).toEqual({ in_reply_to: once.messageId, references_ids: `${s!.messageId} ${once.messageId}` });
    deps.set('2026-04-05T08:00:00Z');
    const { reminded } = await sendReminders(deps, { editionId });
    expect(await headers(reminded.find((r) => r.id === s!.id)!.outboxId)).toEqual({ in_reply_to: twice.messageId, references_ids: chain });
    await acceptInvitation(deps, { token: first!.token });
    await acceptInvitation(deps, { token: tokenOf(twice.link) });
    await declineInvitation(deps, { token: first!.token });
    const promoted = await handle.db.selectFrom('outbox').select(['in_reply_to', 'references_ids']).where('kind', '=', 'waitlist-promoted').where('to_address', '=', s!.email).executeTakeFirstOrThrow();
    expect(promoted).toEqual({ in_reply_to: twice.messageId, references_ids: chain });
  });

  it('asks a new date of a re-send to someone who declined, once the answer-by date has passed', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    const [s] = await inviteGuests(deps, editionId, 1, 12);
    await declineInvitation(deps, { token: s!.token });
    deps.set('2026-04-15T08:00:00Z');
    // The old date, April 10, would be mailed as the date to answer by, and the link could not accept.
    expect(await field(resendInvitation(deps, COMMITTEE, { id: s!.id }))).toBe('answerBy');
    const again = await resendInvitation(deps, COMMITTEE, { id: s!.id, answerBy: '2026-04-25' });
    const body = (await handle.db.selectFrom('outbox').select('body').where('id', '=', again.invitations[0]!.outboxId).executeTakeFirstOrThrow()).body;
    expect(body).toContain('Please let us know by April 25, 2026');
    expect(await acceptInvitation(deps, { token: tokenOf(again.invitations[0]!.link) })).toMatchObject({ state: 'accepted' });
  });

  it('discards a held batch as if it had not been sent: candidates again, their links dead', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    const [mailed] = await inviteGuests(deps, editionId, 1, 20);
    await deliverDueMail(handle.db);
    const a = await addCandidate(deps, COMMITTEE, { editionId, name: guestName(21), email: guestEmail(21) });
    const b = await addCandidate(deps, COMMITTEE, { editionId, name: guestName(22), email: guestEmail(22) });
    const held = await sendInvitations(deps, COMMITTEE, { editionId, ids: [a.id, b.id], hold: true });
    // b was given the link, shown once, by other means, and answered: that answer stands.
    await acceptInvitation(deps, { token: tokenOf(held.invitations[1]!.link) });
    deps.set('2026-03-02T09:00:00Z');
    const r = await discardHeldBatch(deps, COMMITTEE, held.batch!);
    expect(r).toEqual({ discarded: 2, uninvited: [{ id: a.id, name: guestName(21), email: guestEmail(21) }] });
    expect(discardSentence(r)).toBe(`2 drafts discarded; candidates again: ${guestName(21)}.`);
    expect(await row(handle.db, a.id)).toMatchObject({ state: 'candidate', answer_by: null, invited_at: null, invitation_message_id: null });
    expect(await row(handle.db, b.id)).toMatchObject({ state: 'accepted' });
    expect(await row(handle.db, mailed!.id)).toMatchObject({ state: 'invited' });
    // Its link says it was taken back, not that a newer mail carries another.
    await expect(findByToken(deps, tokenOf(held.invitations[0]!.link))).rejects.toThrow(LINK_MESSAGES.withdrawn);
    expect(await handle.db.selectFrom('outbox').select('id').where('batch', '=', held.batch!).execute()).toEqual([]);
    const log = await listAudit({ db: handle.db }, { action: 'invitation.unsend' });
    expect(log.map((l) => [l.entity_id, l.reason])).toEqual([[String(a.id), `its invitation mail was discarded (batch ${held.batch})`]]);
    // Sent again, it is a first invitation again.
    const sent = await sendInvitations(deps, COMMITTEE, { editionId, ids: [a.id] });
    expect(await findByToken(deps, tokenOf(sent.invitations[0]!.link))).toMatchObject({ state: 'invited' });
    // A held re-send ended the earlier links when it was made: throwing it away would leave no link.
    const resent = await resendInvitation(deps, COMMITTEE, { id: mailed!.id, hold: true });
    const refused = await discardHeldBatch(deps, COMMITTEE, resent.batch!).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Conflict);
    expect((refused as Error).message).toContain(`re-sends the invitation of ${guestName(20)} <${guestEmail(20)}>, whose earlier links stopped working when it was made`);
    expect(await handle.db.selectFrom('outbox').select('state').where('batch', '=', resent.batch!).execute()).toEqual([{ state: 'draft' }]);
    // Re-sent again, that draft's link is dead too, and the re-send takes it back.
    deps.set('2026-03-02T10:00:00Z');
    await resendInvitation(deps, COMMITTEE, { id: mailed!.id });
    expect(await handle.db.selectFrom('outbox').select('state').where('batch', '=', resent.batch!).execute()).toEqual([]);
    await expect(discardHeldBatch(deps, COMMITTEE, resent.batch!)).rejects.toBeInstanceOf(NotFound);
  });

  it('discards a held re-send of a mail never sent, as the first invitation it is', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    const a = await addCandidate(deps, COMMITTEE, { editionId, name: guestName(35), email: guestEmail(35) });
    await sendInvitations(deps, COMMITTEE, { editionId, ids: [a.id], hold: true });
    // Re-sent held (a later date, say): the first draft goes, and nothing was ever sent.
    deps.set('2026-03-01T13:00:00Z');
    const again = await resendInvitation(deps, COMMITTEE, { id: a.id, hold: true });
    const r = await discardHeldBatch(deps, COMMITTEE, again.batch!);
    expect(r).toEqual({ discarded: 1, uninvited: [{ id: a.id, name: guestName(35), email: guestEmail(35) }] });
    expect(await row(handle.db, a.id)).toMatchObject({ state: 'candidate', invitation_message_id: null });
  });

  it('takes a held invitation mail back when the invitation is revoked or set back to candidate', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    const [a, b, c] = await Promise.all([36, 37, 38].map((k) => addCandidate(deps, COMMITTEE, { editionId, name: guestName(k), email: guestEmail(k) })));
    const held = await sendInvitations(deps, COMMITTEE, { editionId, ids: [a!.id, b!.id, c!.id], hold: true });
    await revokeInvitation(deps, COMMITTEE, { id: a!.id, reason: 'not this year' });
    await overrideState(deps, COMMITTEE, { id: b!.id, state: 'candidate', reason: 'next round' });
    // Released, the batch mails c alone: not a revoked invitation, nor a candidate, by a dead link.
    expect(await releaseHeldBatch(deps, COMMITTEE, held.batch!)).toEqual({ released: 1 });
    const mail = await handle.db.selectFrom('outbox').select('to_address').where('kind', '=', 'invitation').where('edition_id', '=', editionId).execute();
    expect(mail.map((m) => m.to_address)).toEqual([guestEmail(38)]);
    const log = await listAudit({ db: handle.db }, { action: 'mail.discard' });
    expect(log.filter((l) => l.reason?.includes(`invitation ${a!.id} `) || l.reason?.includes(`invitation ${b!.id} `)).length).toBe(2);
  });

  it('takes back every kind of invitee mail not sent yet when the invitation is revoked', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    const [a, b] = await inviteGuests(deps, editionId, 2, 95);
    // Under the invitation mail, one mail of each kind the worker would not send once the links
    // ended, none sent yet (the mail server down, say): a kind added to that list is in the loop.
    const unsent = async (id: number, email: string, parent: number) => {
      for (const kind of INVITEE_MAIL_KEYS) {
        await enqueueMail(handle.db, { editionId, invitationId: id, kind, baseUrl: BASE_URL, to: { address: email }, from: 'netconf@example.org', subject: `Your ${kind}`, body: 'Hello.', threadUnder: parent });
      }
    };
    await unsent(a!.id, a!.email, a!.outboxId);
    await unsent(b!.id, b!.email, b!.outboxId);
    const kinds = (id: number) => handle.db.selectFrom('outbox').select('kind').where('invitation_id', '=', id).orderBy('id').execute();
    const revoked = await revokeInvitation(deps, COMMITTEE, { id: a!.id, reason: 'not this year' });
    expect(await kinds(a!.id)).toEqual([]);
    // The invitation mail itself, and each of the others, counted as withdrawn.
    expect(revoked.withdrawn).toBe(1 + INVITEE_MAIL_KEYS.length);
    const back = await overrideState(deps, COMMITTEE, { id: b!.id, state: 'candidate', reason: 'next round' });
    expect([await kinds(b!.id), back.withdrawn]).toEqual([[], 1 + INVITEE_MAIL_KEYS.length]);
  });

  it('refuses to release a batch holding an invitation past its answer-by date, naming it', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    const a = await addCandidate(deps, COMMITTEE, { editionId, name: guestName(30), email: guestEmail(30) });
    const b = await addCandidate(deps, COMMITTEE, { editionId, name: guestName(31), email: guestEmail(31) });
    const held = await sendInvitations(deps, COMMITTEE, { editionId, ids: [a.id, b.id], hold: true });
    // Held past April 10, while the hourly job ran: they expired, unreceived.
    deps.set('2026-04-11T12:00:00Z');
    expect((await expireOverdue(deps, { editionId })).expired.map((x) => x.id)).toEqual([a.id, b.id]);
    const drafts = () => handle.db.selectFrom('outbox').select('state').where('batch', '=', held.batch!).execute();
    const refused = await releaseHeldBatch(deps, COMMITTEE, held.batch!).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Conflict);
    expect((refused as Error).message).toBe(
      `batch ${held.batch} holds 2 invitations whose answer-by date passed while held: #${a.id} ${guestName(30)} <${guestEmail(30)}> (April 10, 2026), #${b.id} ${guestName(31)} <${guestEmail(31)}> (April 10, 2026). ` +
        'Re-send each with a later answer-by date (on the invitations page, or conclave invite resend ID --answer-by DATE), which takes their drafts out of the batch; or discard the batch.',
    );
    expect(await drafts()).toEqual([{ state: 'draft' }, { state: 'draft' }]);
    // Re-sent with a later date, a is invited by a new mail; the batch is refused for b alone.
    await resendInvitation(deps, COMMITTEE, { id: a.id, answerBy: '2026-05-01' });
    expect(await row(handle.db, a.id)).toMatchObject({ state: 'invited', answer_by: '2026-05-01' });
    await expect(releaseHeldBatch(deps, COMMITTEE, held.batch!)).rejects.toThrow(`holds an invitation whose answer-by date passed while held: #${b.id} `);
    // Discarded, b is a candidate again, as one never invited.
    expect((await discardHeldBatch(deps, COMMITTEE, held.batch!)).uninvited.map((u) => u.id)).toEqual([b.id]);
    expect(await row(handle.db, b.id)).toMatchObject({ state: 'candidate', answer_by: null });
  });

  it('names two batches held in the same second apart, so that one is released or discarded alone', async () => {
    const deps = makeDeps(handle.db, '2026-03-03T12:00:00Z');
    const editionId = await makeEdition(handle.db);
    const a = await addCandidate(deps, COMMITTEE, { editionId, name: guestName(30), email: guestEmail(30) });
    const b = await addCandidate(deps, COMMITTEE, { editionId, name: guestName(31), email: guestEmail(31) });
    const first = await sendInvitations(deps, COMMITTEE, { editionId, ids: [a.id], hold: true });
    const second = await sendInvitations(deps, COMMITTEE, { editionId, ids: [b.id], hold: true });
    expect(second.batch).toBe(`${first.batch}-2`);
    expect(await discardHeldBatch(deps, COMMITTEE, first.batch!)).toMatchObject({ discarded: 1 });
    expect(await row(handle.db, b.id)).toMatchObject({ state: 'invited' });
    expect(await handle.db.selectFrom('outbox').select('state').where('batch', '=', second.batch!).execute()).toEqual([{ state: 'draft' }]);
  });

  it('gives a link to someone accepted by override, after the answer-by date, keeping no date', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    const c = await addCandidate(deps, COMMITTEE, { editionId, name: 'Late Comer', email: 'late.comer@example.net' });
    deps.set('2026-04-20T12:00:00Z');
    await overrideState(deps, COMMITTEE, { id: c.id, state: 'accepted', reason: 'a speaker we need' });
    expect(await row(handle.db, c.id)).toMatchObject({ state: 'accepted', answer_by: null });
    const sent = await resendInvitation(deps, COMMITTEE, { id: c.id });
    expect(await row(handle.db, c.id)).toMatchObject({ state: 'accepted', answer_by: null, invitation_message_id: sent.invitations[0]!.messageId });
    // The link opens the attendee's page (topics, materials).
    expect(await findByToken(deps, tokenOf(sent.invitations[0]!.link))).toMatchObject({ state: 'accepted' });
    // The first mail they get, replacing none, says the invitation's request for an answer is
    // not for them; and so does one sent again.
    const bodyOf = async (outboxId: number) => (await handle.db.selectFrom('outbox').select('body').where('id', '=', outboxId).executeTakeFirstOrThrow()).body;
    const firstBody = await bodyOf(sent.invitations[0]!.outboxId);
    const again = await resendInvitation(deps, COMMITTEE, { id: c.id });
    for (const body of [firstBody, await bodyOf(again.invitations[0]!.outboxId)]) {
      expect(body.replace(/\n/g, ' ')).toContain('You have accepted already, so the request below to let us know is not for you: the link opens your page.');
      expect(body.indexOf('not for you')).toBeLessThan(body.indexOf('Please let us know'));
      expect(Math.max(...body.split('\n').filter((l) => !l.includes('://')).map((l) => l.length))).toBeLessThanOrEqual(72);
    }
    expect(firstBody).toMatch(/^You have accepted already/);
  });

  it('revokes and overrides with a reason, audited, the cap holding unless forced', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db, { cap: 2 });
    const [a, b, c, d] = await inviteGuests(deps, editionId, 4, 20);
    for (const s of [a, b, c]) await acceptInvitation(deps, { token: s!.token });
    expect((await row(handle.db, c!.id)).state).toBe('waitlisted');

    expect(await field(revokeInvitation(deps, COMMITTEE, { id: a!.id, reason: '  ' }))).toBe('reason');
    expect(await field(overrideState(deps, COMMITTEE, { id: a!.id, state: 'declined', reason: '' }))).toBe('reason');
    expect(await field(overrideState(deps, COMMITTEE, { id: a!.id, state: 'maybe' as never, reason: 'x' }))).toBe('state');

    const full = await overrideState(deps, COMMITTEE, { id: d!.id, state: 'accepted', reason: 'speaker' }).catch((e: unknown) => e);
    expect(full).toBeInstanceOf(Conflict);
    expect((full as Error).message).toBe('Netconf 2026 is full: 2 of 2 places are taken. Raise the cap, or force it to go past.');
    expect(await overrideState(deps, COMMITTEE, { id: d!.id, state: 'accepted', reason: 'keynote speaker', force: true })).toMatchObject({ state: 'accepted' });
    expect((await invitationPipeline(deps, editionId)).accepted).toBe(3);

    // Revoking an accepted one: over the cap, so nobody is promoted yet.
    const revoked = await revokeInvitation(deps, { accountId: null, label: 'chair@example.org' }, { id: a!.id, reason: 'asked to be removed' });
    expect(revoked).toMatchObject({ state: 'revoked', promoted: [] });
    expect((await row(handle.db, c!.id)).state).toBe('waitlisted');
    const again = await revokeInvitation(deps, COMMITTEE, { id: a!.id, reason: 'again' }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(InvalidTransition);
    expect((again as Error).message).toBe(`invitation ${a!.id} (${(await row(handle.db, a!.id)).email}) is revoked already`);
    // Withdrawing one by override frees a place: the first waiting is promoted.
    const freed = await overrideState(deps, COMMITTEE, { id: b!.id, state: 'withdrawn', reason: 'cannot travel (phone call)' });
    expect((await row(handle.db, c!.id)).state).toBe('accepted');
    // Whoever moved up is named, for the committee's notice and the command's output.
    expect(freed.promoted).toEqual([{ invitationId: c!.id, name: c!.name, email: c!.email }]);
    expect(promotedSentence(freed.promoted, 'The freed place')).toEqual([`The freed place moved 1 person up from the waiting list, each mailed: ${c!.name} <${c!.email}>.`]);
    // The pipeline says so too, after the committee's change or an invitee's answer alike; not of one accepted by hand.
    const rows = (await invitationPipeline(deps, editionId)).rows;
    expect(rows.filter((r) => r.promoted).map((r) => r.id)).toEqual([c!.id]);
    expect(rows.find((r) => r.id === d!.id)).toMatchObject({ state: 'accepted', promoted: false });
    // An override out of a final state, with its reason.
    const back = await overrideState(deps, COMMITTEE, { id: a!.id, state: 'waitlisted', reason: 'revoked by mistake' });
    expect(back).toMatchObject({ state: 'waitlisted', waitlist_position: 1 }); // the list was empty again
    await expect(overrideState(deps, COMMITTEE, { id: a!.id, state: 'waitlisted', reason: 'x' })).rejects.toBeInstanceOf(Conflict);
    await expect(overrideState(deps, COMMITTEE, { id: 999_999, state: 'declined', reason: 'x' })).rejects.toBeInstanceOf(NotFound);

    const audit = await handle.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'entity', 'entity_id', 'edition_id', 'before', 'after', 'reason'])
      .where('edition_id', '=', editionId)
      .where('action', 'in', ['invitation.revoke', 'invitation.override', 'invitation.promote'])
      .orderBy('id')
      .execute();
    const s = (state: string, waitlistPosition: number | null = null) => ({ state, waitlistPosition, answerBy: '2026-04-10', email: expect.any(String) });
    expect(audit).toEqual([
      { actor: 'cli:committee', action: 'invitation.override', entity: 'invitation', entity_id: String(d!.id), edition_id: editionId, before: s('invited'), after: s('accepted'), reason: 'keynote speaker' },
      { actor: 'chair@example.org', action: 'invitation.revoke', entity: 'invitation', entity_id: String(a!.id), edition_id: editionId, before: s('accepted'), after: s('revoked'), reason: 'asked to be removed' },
      { actor: 'cli:committee', action: 'invitation.override', entity: 'invitation', entity_id: String(b!.id), edition_id: editionId, before: s('accepted'), after: s('withdrawn'), reason: 'cannot travel (phone call)' },
      { actor: 'system', action: 'invitation.promote', entity: 'invitation', entity_id: String(c!.id), edition_id: editionId, before: s('waitlisted', 1), after: s('accepted'), reason: null },
      { actor: 'cli:committee', action: 'invitation.override', entity: 'invitation', entity_id: String(a!.id), edition_id: editionId, before: s('revoked'), after: s('waitlisted', 1), reason: 'revoked by mistake' },
    ]);
  });

  it('shows the pipeline: counts per state, places taken, who and since when', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db, { cap: 1 });
    await addCandidate(deps, COMMITTEE, { editionId, name: guestName(30), email: guestEmail(30), source: 'git', evidence: { commits: 3 } });
    deps.set('2026-03-02T10:00:00Z');
    const sent = await inviteGuests(deps, editionId, 3, 31); // all candidates: Guest 30 to 33
    expect(sent.map((x) => x.name)).toEqual(['Guest 30', 'Guest 31', 'Guest 32', 'Guest 33']);
    await addCandidate(deps, COMMITTEE, { editionId, name: guestName(34), email: guestEmail(34), note: 'ask Dave' });
    deps.set('2026-03-03T10:00:00Z');
    await acceptInvitation(deps, { token: sent[3]!.token });
    deps.set('2026-03-04T10:00:00Z');
    await acceptInvitation(deps, { token: sent[2]!.token });
    await expect(invitationPipeline(deps, 999_999)).rejects.toBeInstanceOf(NotFound);

    const p = await invitationPipeline(deps, editionId);
    expect(p.counts).toEqual({ candidate: 1, invited: 2, accepted: 1, waitlisted: 1, declined: 0, expired: 0, withdrawn: 0, revoked: 0 });
    expect(p).toMatchObject({ editionId, title: 'Netconf 2026', cap: 1, accepted: 1 });
    expect(p.rows.map((r) => [r.name, r.state, r.since.toISOString(), r.waitlistRank, r.source, r.note])).toEqual([
      ['Guest 34', 'candidate', '2026-03-02T10:00:00.000Z', null, 'manual', 'ask Dave'],
      ['Guest 30', 'invited', '2026-03-02T10:00:00.000Z', null, 'git', null],
      ['Guest 31', 'invited', '2026-03-02T10:00:00.000Z', null, 'manual', null],
      ['Guest 33', 'accepted', '2026-03-03T10:00:00.000Z', null, 'manual', null],
      ['Guest 32', 'waitlisted', '2026-03-04T10:00:00.000Z', 1, 'manual', null],
    ]);
    expect(p.rows[1]).toMatchObject({ personSlug: 'guest-30', email: guestEmail(30), answerBy: '2026-04-10', remindersSent: 0, evidence: { commits: 3 } });
    expect((await findByToken(deps, sent[2]!.token)).waitlistRank).toBe(1);
  });
});

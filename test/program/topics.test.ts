/**
 * Topic proposals in the domain: an accepted invitee proposes with co-presenters among the
 * accepted attendees; who may not propose or co-present; edit and withdraw until the committee
 * decides; each decision, its mail to every presenter (threaded under their invitation) and
 * its audit row.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { listAudit } from '../../src/domain/audit/record.js';
import { addCommitteeMember, disableCommitteeMember } from '../../src/domain/committee/accounts.js';
import { InvalidForm, InvalidInput, InvalidTransition, NotFound } from '../../src/domain/errors.js';
import { acceptInvitation, declineInvitation, withdrawInvitation } from '../../src/domain/invitations/rsvp.js';
import { resendInvitation } from '../../src/domain/invitations/send.js';
import { listOutbox } from '../../src/domain/mail/outbox.js';
import { createTransport } from '../../src/domain/mail/transport.js';
import { runOutboxOnce } from '../../src/domain/mail/worker.js';
import { loadSchedule } from '../../src/domain/program/schedule.js';
import { addSlot, updateSlot } from '../../src/domain/program/schedule-edit.js';
import { publishSchedule } from '../../src/domain/program/schedule-publish.js';
import { listChanges } from '../../src/domain/program/schedule-changelog.js';
import { decideTopic, editTopic, listTopics, notComingSentence, proposeTopic, topicThreadId, topicsOfPerson, updateTopic, withdrawTopic } from '../../src/domain/program/topics.js';
import { search } from '../../src/domain/search/search.js';
import { testDatabases } from '../support/db.js';
import { COMMITTEE, deliverDueMail, guestEmail, guestName, inviteGuests, makeDeps, makeEdition, row } from '../invitations/fixtures.js';

const INVITEE = (k: number) => ({ accountId: null, label: `invitee:${guestEmail(k)}` });

describe.each(testDatabases())('topic proposals on $name', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => handle?.close());

  /**
   * An edition with guests from..from+3 invited; the first three accept, the fourth does not
   * answer. Returns their person ids (and invitations) in that order.
   */
  async function setup(from: number) {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    const sent = await inviteGuests(deps, editionId, 4, from);
    for (const s of sent.slice(0, 3)) await acceptInvitation(deps, { token: s.token });
    const people = [];
    for (const s of sent) people.push((await row(handle.db, s.id)).person_id);
    return { deps, editionId, sent, people: people as [number, number, number, number] };
  }

  const fields = { title: 'XDP offloads', abstract: 'Where *XDP* goes next.', wishedMinutes: 30 };

  it('lets an accepted invitee propose with co-presenters, numbered in order, proposer first', async () => {
    const { deps, editionId, people } = await setup(100);
    const [ada, bob, cy] = people;
    const t = await proposeTopic(deps, INVITEE(100), { editionId, proposerId: ada, ...fields, title: '  XDP offloads  ', coPresenterIds: [cy, bob] });
    expect(t).toMatchObject({ number: 1, title: 'XDP offloads', state: 'proposed', origin: 'proposal', wishedMinutes: 30, abstract: 'Where *XDP* goes next.' });
    expect(t.proposer).toMatchObject({ id: ada, name: guestName(100) });
    expect(t.presenters.map((p) => p.id)).toEqual([ada, cy, bob]);
    const second = await proposeTopic(deps, INVITEE(101), { editionId, proposerId: bob, title: 'Second', abstract: '', coPresenterIds: [], wishedMinutes: '' });
    expect(second.number).toBe(2);
    expect(second.wishedMinutes).toBeNull();

    expect((await listTopics(deps, { editionId })).map((x) => x.title)).toEqual(['XDP offloads', 'Second']);
    expect((await listTopics(deps, { editionId, state: 'accepted' })).length).toBe(0);
    const mine = await topicsOfPerson(deps, editionId, bob);
    expect(mine.map((m) => [m.title, m.role, m.editable])).toEqual([
      ['XDP offloads', 'co-presenter', false],
      ['Second', 'proposer', true],
    ]);
    const audit = await listAudit(deps, { action: 'topic.propose', entity: 'topic' });
    const mineAudit = audit.find((a) => a.entity_id === String(t.id))!;
    expect(mineAudit.actor).toBe(`invitee:${guestEmail(100)}`);
    expect(mineAudit.edition_id).toBe(editionId);
  });

  it('keeps the root of the invitation’s thread in a decision’s References after re-sends', async () => {
    const { deps, editionId, sent, people } = await setup(160);
    // Each mail goes before the next replaces it.
    await deliverDueMail(handle.db);
    const once = (await resendInvitation(deps, COMMITTEE, { id: sent[0]!.id })).invitations[0]!;
    await deliverDueMail(handle.db);
    const twice = (await resendInvitation(deps, COMMITTEE, { id: sent[0]!.id })).invitations[0]!;
    const t = await proposeTopic(deps, INVITEE(160), { editionId, proposerId: people[0], ...fields, coPresenterIds: [] });
    await decideTopic(deps, COMMITTEE, { topicId: t.id, decision: 'accept', comment: '' });
    const [mail] = await listOutbox(deps, { kind: 'topic-decision', editionId });
    expect(mail).toMatchObject({ in_reply_to: twice.messageId, references_ids: `${sent[0]!.messageId} ${once.messageId} ${twice.messageId}` });
  });

  it('says, when a topic is accepted, which of its presenters will not be there', async () => {
    const { deps, editionId, sent, people } = await setup(170);
    const [ada, bob, cy] = people;
    const t = await proposeTopic(deps, INVITEE(170), { editionId, proposerId: ada, ...fields, title: 'Qdisc offloads', coPresenterIds: [bob, cy] });
    const other = await proposeTopic(deps, INVITEE(171), { editionId, proposerId: bob, ...fields, title: 'Page pool', coPresenterIds: [] });
    // All coming: nothing to say.
    expect((await decideTopic(deps, COMMITTEE, { topicId: other.id, decision: 'accept', comment: '' })).notComing).toEqual([]);
    await declineInvitation(deps, { token: sent[0]!.token });
    await withdrawInvitation(deps, { token: sent[2]!.token });
    const accepted = await decideTopic(deps, COMMITTEE, { topicId: t.id, decision: 'accept', comment: '' });
    expect(accepted.notComing).toEqual([
      { name: guestName(170), state: 'declined' },
      { name: guestName(172), state: 'withdrawn' },
    ]);
    expect(notComingSentence(accepted.notComing, accepted.title)).toBe(
      `${guestName(170)} declined the invitation and ${guestName(172)} withdrew: nobody may be there to present their parts of “Qdisc offloads”`,
    );
  });

  it('takes the same proposal sent twice, even at once, as one topic', async () => {
    const { deps, editionId, people } = await setup(105);
    const [ada, bob] = people;
    const form = { editionId, proposerId: ada!, ...fields, title: 'Page pool', coPresenterIds: [] };
    const both = await Promise.allSettled([proposeTopic(deps, INVITEE(105), form), proposeTopic(deps, INVITEE(105), form)]);
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = both.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(InvalidForm);
    expect((refused.reason as InvalidForm).fields).toEqual({ title: 'you proposed “Page pool” already (#1); change that one instead' });
    await expect(proposeTopic(deps, INVITEE(105), { ...form, title: 'page POOL' })).rejects.toThrow(InvalidForm);
    await expect(proposeTopic(deps, INVITEE(105), { ...form, title: 'Page \t  pool' })).rejects.toThrow(InvalidForm);
    await proposeTopic(deps, INVITEE(105), { ...form, title: 'Sockets  stats' });
    await expect(proposeTopic(deps, INVITEE(105), { ...form, title: 'sockets stats' })).rejects.toThrow('you proposed “Sockets  stats” already (#2)');
    // Another proposer's topic of that title is no duplicate.
    expect((await proposeTopic(deps, INVITEE(106), { ...form, proposerId: bob! })).number).toBe(3);
    expect((await listTopics(deps, { editionId })).map((t) => t.title)).toEqual(['Page pool', 'Sockets  stats', 'Page pool']);
  });

  it('refuses a co-presenter who has not accepted, naming them, and nothing is written', async () => {
    const { deps, editionId, people } = await setup(110);
    const [ada, bob, , dan] = people;
    const before = await listAudit(deps, { action: 'topic.propose' });
    await expect(proposeTopic(deps, INVITEE(110), { editionId, proposerId: ada, ...fields, coPresenterIds: [bob, dan] })).rejects.toThrow(
      new RegExp(`coPresenterIds: ${guestName(113)} is not an accepted attendee of Netconf 2026`),
    );
    // An accepted attendee of another edition does not count either.
    const other = await setup(115);
    await expect(proposeTopic(deps, INVITEE(110), { editionId, proposerId: ada, ...fields, coPresenterIds: [other.people[0]] })).rejects.toThrow(/is not an accepted attendee/);
    await expect(proposeTopic(deps, INVITEE(110), { editionId, proposerId: ada, ...fields, coPresenterIds: [ada] })).rejects.toThrow(/coPresenterIds: the proposer/);
    await expect(proposeTopic(deps, INVITEE(110), { editionId, proposerId: ada, ...fields, coPresenterIds: [bob, bob] })).rejects.toThrow(/listed twice/);
    // Named with the form's other errors at once, not only once those are put right.
    const all = await proposeTopic(deps, INVITEE(110), { editionId, proposerId: ada, ...fields, title: ' ', wishedMinutes: '481', coPresenterIds: [bob, dan] }).catch((e: unknown) => e);
    expect(all).toBeInstanceOf(InvalidForm);
    expect((all as InvalidForm).fields).toEqual({
      title: 'must not be empty',
      wishedMinutes: 'must be at most 480 minutes (8 hours)',
      coPresenterIds: `${guestName(113)} is not an accepted attendee of Netconf 2026; co-presenters must have accepted their invitation`,
    });
    expect(await listTopics(deps, { editionId })).toEqual([]);
    expect((await listAudit(deps, { action: 'topic.propose' })).length).toBe(before.length);
  });

  it('refuses a proposer whose invitation is not accepted, and bad fields by name', async () => {
    const { deps, editionId, people } = await setup(120);
    const err = await proposeTopic(deps, INVITEE(123), { editionId, proposerId: people[3], ...fields, coPresenterIds: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInput);
    expect((err as InvalidInput).field).toBe('proposerId');
    expect((err as Error).message).toMatch(/only attendees whose invitation to Netconf 2026 is accepted may propose topics \(this invitation is not answered yet\)/);
    const p = { editionId, proposerId: people[0], coPresenterIds: [] };
    await expect(proposeTopic(deps, INVITEE(120), { ...p, ...fields, title: '   ' })).rejects.toThrow(/title: must not be empty/);
    await expect(proposeTopic(deps, INVITEE(120), { ...p, ...fields, title: 'x'.repeat(201) })).rejects.toThrow(/title: must be at most 200/);
    await expect(proposeTopic(deps, INVITEE(120), { ...p, ...fields, abstract: 'x'.repeat(20_001) })).rejects.toThrow(/abstract: must be at most 20000/);
    // What an invitee types is printed by the CLI and mailed: nothing a terminal would act on.
    await expect(proposeTopic(deps, INVITEE(120), { ...p, ...fields, title: 'XDP \u001b]0;owned\u0007' })).rejects.toThrow(/title: must be one line of text, without control characters/);
    await expect(proposeTopic(deps, INVITEE(120), { ...p, ...fields, abstract: 'One\r\n\ttwo\n\u001b[2Jthree' })).rejects.toThrow(/abstract: must be text: it holds the control character U\+001B at line 3/);
    expect(await listTopics(deps, { editionId })).toEqual([]);
    expect((await proposeTopic(deps, INVITEE(120), { ...p, ...fields, abstract: 'One\r\n\ttwo' })).abstract).toBe('One\n\ttwo');
    await expect(proposeTopic(deps, INVITEE(120), { ...p, ...fields, wishedMinutes: 4 })).rejects.toThrow(/wishedMinutes: must be at least 5/);
    await expect(proposeTopic(deps, INVITEE(120), { ...p, ...fields, wishedMinutes: '481' })).rejects.toThrow(/wishedMinutes: must be at most 480/);
    expect((await proposeTopic(deps, INVITEE(120), { ...p, ...fields, title: 'Long', wishedMinutes: '480' })).wishedMinutes).toBe(480);
  });

  it('lets the proposer edit and withdraw until the committee decides, and nobody else', async () => {
    const { deps, editionId, people } = await setup(130);
    const [ada, bob, cy] = people;
    const t = await proposeTopic(deps, INVITEE(130), { editionId, proposerId: ada, ...fields, coPresenterIds: [bob] });
    const edited = await editTopic(deps, INVITEE(130), { topicId: t.id, proposerId: ada, title: 'XDP, again', abstract: 'New text', wishedMinutes: '', coPresenterIds: [cy] });
    expect(edited).toMatchObject({ title: 'XDP, again', abstract: 'New text', wishedMinutes: null, state: 'proposed' });
    expect(edited.presenters.map((p) => p.id)).toEqual([ada, cy]);
    // A co-presenter may not edit or withdraw.
    await expect(editTopic(deps, INVITEE(132), { topicId: t.id, proposerId: cy, ...fields, coPresenterIds: [] })).rejects.toBeInstanceOf(NotFound);
    await expect(withdrawTopic(deps, INVITEE(132), { topicId: t.id, proposerId: cy })).rejects.toBeInstanceOf(NotFound);

    // Asked for changes, an edit sends it back to the committee.
    await decideTopic(deps, COMMITTEE, { topicId: t.id, decision: 'request-changes', comment: 'Shorter, please.' });
    const back = await editTopic(deps, INVITEE(130), { topicId: t.id, proposerId: ada, ...fields, wishedMinutes: 20, coPresenterIds: [] });
    expect(back.state).toBe('proposed');

    const audit = await listAudit(deps, { action: 'topic.edit' });
    const rows = audit.filter((a) => a.entity_id === String(t.id));
    expect(rows.length).toBe(2);
    expect(rows[1]!.before).toMatchObject({ title: 'XDP offloads', presenters: [ada, bob] });
    expect(rows[1]!.after).toMatchObject({ title: 'XDP, again', presenters: [ada, cy] });

    const w = await withdrawTopic(deps, INVITEE(130), { topicId: t.id, proposerId: ada });
    expect(w.state).toBe('withdrawn');
    expect((await listAudit(deps, { action: 'topic.withdraw' })).some((a) => a.entity_id === String(t.id))).toBe(true);
    await expect(editTopic(deps, INVITEE(130), { topicId: t.id, proposerId: ada, ...fields, coPresenterIds: [] })).rejects.toBeInstanceOf(InvalidTransition);
    // The committee cannot decide on a withdrawn topic either.
    await expect(decideTopic(deps, COMMITTEE, { topicId: t.id, decision: 'accept', comment: '' })).rejects.toBeInstanceOf(InvalidTransition);
  });

  it('tells each committee member what the proposer changed after changes were asked, and nobody of another edit', async () => {
    const { deps, editionId, people } = await setup(190);
    const [ada, bob] = people;
    for (const [email, name] of [['chair@example.org', 'Pat Chair'], ['second@example.org', 'Sam Second'], ['gone@example.org', 'Lee Gone']] as const) {
      await addCommitteeMember(deps, COMMITTEE, { email, name });
    }
    await disableCommitteeMember(deps, COMMITTEE, { email: 'gone@example.org' });
    const told = () => listOutbox(deps, { kind: 'topic-revised', editionId, limit: 100 });
    const t = await proposeTopic(deps, INVITEE(190), { editionId, proposerId: ada, ...fields, coPresenterIds: [] });
    // Proposed, an edit goes to no one: the committee has not read it yet.
    await editTopic(deps, INVITEE(190), { topicId: t.id, proposerId: ada, ...fields, title: 'XDP offloads (v2)', coPresenterIds: [] });
    expect(await told()).toEqual([]);

    await decideTopic(deps, COMMITTEE, { topicId: t.id, decision: 'request-changes', comment: 'Say what changed since last year.\n\nAnd shorter, please.' });
    const revised = { title: 'XDP offloads, three years on', abstract: 'Where *XDP* went since 2023.', wishedMinutes: 20, coPresenterIds: [bob] };
    await editTopic(deps, INVITEE(190), { topicId: t.id, proposerId: ada, ...revised });
    const mail = await told();
    const subject = 'Topic #1 for Netconf 2026 revised: XDP offloads, three years on';
    expect(mail.map((m) => [m.to_address, m.to_name, m.subject, m.state])).toEqual([
      ['chair@example.org', 'Pat Chair', subject, 'queued'],
      ['second@example.org', 'Sam Second', subject, 'queued'],
    ]);
    const year = (await handle.db.selectFrom('editions').select('year').where('id', '=', editionId).executeTakeFirstOrThrow()).year;
    // In the topic's own thread, though nothing was mailed to the committee at the proposal: its
    // root is derived from the topic, the same for every mail about it.
    const root = `<conclave.topic-${t.id}.${t.createdAt.getTime().toString(36)}@example.org>`;
    expect(topicThreadId(deps.mail, t)).toBe(root);
    for (const m of mail) {
      expect(m).toMatchObject({ edition_id: editionId, in_reply_to: root, references_ids: root, from_address: 'Netconf committee <netconf@example.org>', reply_to: 'netconf-committee@example.org' });
    }
    expect(mail[0]!.body).toBe(`Guest 190 revised topic #1 for Netconf 2026,
which the committee had asked changes to:

  "XDP offloads, three years on"

What changed:

  Title, before: XDP offloads (v2)
  Title, now: XDP offloads, three years on
  Abstract: rewritten (22 characters before, 28 characters now)
  Length, before: 30 minutes
  Length, now: 20 minutes
  Co-presenters, before: none
  Co-presenters, now: Guest 191

The committee had asked:

  Say what changed since last year.

  And shorter, please.

The topic is proposed again and waits for your decision:

  https://netconf.example.org/admin/editions/invtest/${year}/topics#topic-${t.id}

This mail is sent by conclave to every member of the committee.
`);
    // Proposed again, a further edit tells no one; asked again and saved unchanged, it says so.
    await editTopic(deps, INVITEE(190), { topicId: t.id, proposerId: ada, ...revised, wishedMinutes: 25 });
    expect((await told()).length).toBe(2);
    await decideTopic(deps, COMMITTEE, { topicId: t.id, decision: 'request-changes', comment: 'Still too long.' });
    await editTopic(deps, INVITEE(190), { topicId: t.id, proposerId: ada, ...revised, wishedMinutes: 25 });
    const again = await told();
    expect(again.length).toBe(4);
    expect(again[3]!.body).toContain('What changed:\n\n  Nothing: it was saved as it stood.\n\nThe committee had asked:\n\n  Still too long.\n');
    // The second revision is in the same thread; another topic has its own.
    expect(again.map((m) => [m.in_reply_to, m.references_ids])).toEqual(again.map(() => [root, root]));
    const other = await proposeTopic(deps, INVITEE(190), { editionId, proposerId: ada, ...fields, title: 'Page pool', coPresenterIds: [] });
    expect(topicThreadId(deps.mail, other)).not.toBe(root);

    // As written and read back by a mail program.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-topic-thread-'));
    try {
      const at = new Date();
      await handle.db.updateTable('outbox').set({ state: 'sent', sent_at: at, transport: 'mailbox' }).where('state', '=', 'queued').where('kind', '!=', 'topic-revised').execute();
      expect(await runOutboxOnce({ db: handle.db, transport: createTransport({ mailboxDir: dir }), clock: () => at, workerId: 'w', batchSize: 10 })).toMatchObject({ sent: 4 });
      for (const file of fs.readdirSync(dir)) {
        const parsed = await simpleParser(fs.readFileSync(path.join(dir, file)));
        expect(parsed.subject).toBe('Topic #1 for Netconf 2026 revised: XDP offloads, three years on');
        expect([parsed.inReplyTo, parsed.references]).toEqual([root, root]);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses edit and withdraw once accepted, declined or withdrawn, saying whose doing it was', async () => {
    const { deps, editionId, people } = await setup(140);
    const [ada] = people;
    const a = await proposeTopic(deps, INVITEE(140), { editionId, proposerId: ada, ...fields, coPresenterIds: [] });
    const d = await proposeTopic(deps, INVITEE(140), { editionId, proposerId: ada, ...fields, title: 'Other', coPresenterIds: [] });
    await decideTopic(deps, COMMITTEE, { topicId: a.id, decision: 'accept', comment: '' });
    await decideTopic(deps, COMMITTEE, { topicId: d.id, decision: 'decline', comment: 'Out of scope.' });
    for (const t of [a, d]) {
      await expect(editTopic(deps, INVITEE(140), { topicId: t.id, proposerId: ada, ...fields, coPresenterIds: [] })).rejects.toThrow(/can no longer be changed/);
      await expect(withdrawTopic(deps, INVITEE(140), { topicId: t.id, proposerId: ada })).rejects.toThrow(/can no longer be withdrawn/);
    }
    expect((await topicsOfPerson(deps, editionId, ada)).map((t) => t.editable)).toEqual([false, false]);
    await expect(editTopic(deps, INVITEE(140), { topicId: a.id, proposerId: ada, ...fields, coPresenterIds: [] })).rejects.toThrow('“XDP offloads” is accepted: the committee has decided, so it can no longer be changed.');
    // One the proposer withdrew was decided by nobody: it says whose doing it was.
    const w = await proposeTopic(deps, INVITEE(140), { editionId, proposerId: ada, ...fields, title: 'Gone', coPresenterIds: [] });
    await withdrawTopic(deps, INVITEE(140), { topicId: w.id, proposerId: ada });
    await expect(editTopic(deps, INVITEE(140), { topicId: w.id, proposerId: ada, ...fields, coPresenterIds: [] })).rejects.toThrow(/^You withdrew “Gone”, so it can no longer be changed\.$/);
    await expect(withdrawTopic(deps, INVITEE(140), { topicId: w.id, proposerId: ada })).rejects.toThrow(/^You have withdrawn “Gone” already\.$/);
  });

  it('mails each decision with its comment to every presenter, threaded under their invitation, and audits it', async () => {
    const { deps, editionId, people, sent } = await setup(150);
    const [ada, bob] = people;
    const t = await proposeTopic(deps, INVITEE(150), { editionId, proposerId: ada, ...fields, coPresenterIds: [bob] });

    // Declining and asking for changes need a comment; nothing is written without one.
    await expect(decideTopic(deps, COMMITTEE, { topicId: t.id, decision: 'decline', comment: '  ' })).rejects.toThrow(/comment: a comment is required/);
    await expect(decideTopic(deps, COMMITTEE, { topicId: t.id, decision: 'request-changes', comment: '' })).rejects.toThrow(/comment: a comment is required/);
    await expect(decideTopic(deps, COMMITTEE, { topicId: t.id, decision: 'maybe' as never, comment: 'x' })).rejects.toThrow(/decision: must be one of/);
    // A comment is lines of text, as an abstract: no ESC for the terminal that prints the mail.
    await expect(decideTopic(deps, COMMITTEE, { topicId: t.id, decision: 'decline', comment: 'No.\n\x1b[2J' })).rejects.toThrow(/comment: must be text: it holds the control character U\+001B at line 2/);
    const outbox = async () => (await listOutbox(deps, { kind: 'topic-decision', editionId, limit: 100 })).filter((m) => m.id > 0);
    expect(await outbox()).toEqual([]);

    const changes = await decideTopic(deps, COMMITTEE, { topicId: t.id, decision: 'request-changes', comment: 'Please say which drivers.' });
    expect(changes).toMatchObject({ state: 'changes-requested', decisionComment: 'Please say which drivers.' });
    expect(changes.decidedAt).toEqual(deps.clock());
    expect(changes.mailed).toEqual([guestEmail(150), guestEmail(151)]);
    let mail = await outbox();
    expect(mail.map((m) => m.to_address)).toEqual([guestEmail(150), guestEmail(151)]);
    expect(mail[0]!.subject).toBe('Your topic for Netconf 2026 (changes requested): XDP offloads');
    expect(mail[0]!.body).toContain(`Hello ${guestName(150)},`);
    expect(mail[0]!.body).toContain('"XDP offloads"');
    expect(mail[0]!.body).toContain('Please say which drivers.');
    expect(mail[1]!.body).toContain(`Hello ${guestName(151)},`);
    // The proposer is asked to edit; the co-presenter is told who proposed it, and who can edit.
    const flat = (body: string) => body.replace(/\s+/g, ' ');
    expect(flat(mail[0]!.body)).toContain('the topic you proposed for Netconf 2026');
    expect(flat(mail[0]!.body)).toContain('Please edit the proposal from your personal page');
    expect(flat(mail[1]!.body)).toContain(`the topic ${guestName(150)} proposed with you for Netconf 2026`);
    expect(flat(mail[1]!.body)).toContain(`${guestName(150)} can edit the proposal from their personal page`);
    expect(mail[1]!.body).not.toContain('Please edit');
    // Each presenter's mail answers their own invitation.
    expect(mail[0]!.in_reply_to).toBe(sent[0]!.messageId);
    expect(mail[1]!.in_reply_to).toBe(sent[1]!.messageId);
    expect(mail[0]!.references_ids).toBe(sent[0]!.messageId);

    await decideTopic(deps, COMMITTEE, { topicId: t.id, decision: 'accept', comment: '' });
    mail = await outbox();
    expect(mail.length).toBe(4);
    expect(mail[2]!.subject).toBe('Your topic for Netconf 2026 (accepted): XDP offloads');
    expect(mail[2]!.body).not.toMatch(/\n\n\n/);
    expect(flat(mail[2]!.body)).toContain('It will be on the schedule');
    expect(mail[2]!.body).not.toMatch(/edit the proposal|changes are asked/);
    // Accepting twice is no decision; asking for changes after acceptance neither.
    await expect(decideTopic(deps, COMMITTEE, { topicId: t.id, decision: 'accept', comment: 'again' })).rejects.toBeInstanceOf(InvalidTransition);
    await expect(decideTopic(deps, COMMITTEE, { topicId: t.id, decision: 'request-changes', comment: 'x' })).rejects.toBeInstanceOf(InvalidTransition);
    // Changing its mind needs a comment, both ways.
    await expect(decideTopic(deps, COMMITTEE, { topicId: t.id, decision: 'decline', comment: '' })).rejects.toThrow(/comment: say why/);
    const declined = await decideTopic(deps, COMMITTEE, { topicId: t.id, decision: 'decline', comment: 'The day is full, sorry.' });
    expect(declined.state).toBe('declined');
    await expect(decideTopic(deps, COMMITTEE, { topicId: t.id, decision: 'accept', comment: '' })).rejects.toThrow(/comment: say why/);
    const again = await decideTopic(deps, COMMITTEE, { topicId: t.id, decision: 'accept', comment: 'A slot opened up.' });
    expect(again).toMatchObject({ state: 'accepted', decisionComment: 'A slot opened up.' });
    mail = await outbox();
    expect(mail.length).toBe(8);
    expect(mail[4]!.subject).toBe('Your topic for Netconf 2026 (declined): XDP offloads');
    expect(mail[4]!.body).toContain('The day is full, sorry.');
    expect(mail[4]!.body).not.toMatch(/edit the proposal|on the schedule/);
    expect(flat(mail[4]!.body)).toContain('Thank you for proposing it all the same.');
    expect(flat(mail[5]!.body)).toContain('Thank you all the same.');
    expect(mail[5]!.body).not.toContain('proposing');
    // Accepted once the schedule is out: no promise to write when it is published.
    await handle.db.updateTable('editions').set({ schedule_published_at: deps.clock() }).where('id', '=', editionId).execute();
    const late = await proposeTopic(deps, INVITEE(150), { editionId, proposerId: ada, ...fields, title: 'Late topic', coPresenterIds: [] });
    await decideTopic(deps, COMMITTEE, { topicId: late.id, decision: 'accept', comment: '' });
    const lateMail = (await outbox()).find((m) => m.subject.includes('Late topic'))!;
    expect(flat(lateMail.body)).toContain('the edition’s page shows where once it is placed');
    expect(lateMail.body).not.toContain('when the schedule is published');
    await handle.db.updateTable('editions').set({ schedule_published_at: null }).where('id', '=', editionId).execute();
    expect(mail[6]!.body).toContain('A slot opened up.');

    const audit = (await listAudit(deps, { entity: 'topic', limit: 1000 })).filter((a) => a.entity_id === String(t.id)).reverse();
    expect(audit.map((a) => a.action)).toEqual(['topic.propose', 'topic.request-changes', 'topic.accept', 'topic.decline', 'topic.accept']);
    expect(audit[3]!.actor).toBe(COMMITTEE.label);
    expect(audit[3]!.reason).toBe('The day is full, sorry.');
    expect(audit[3]!.before).toMatchObject({ state: 'accepted' });
    expect(audit[3]!.after).toMatchObject({ state: 'declined', decisionComment: 'The day is full, sorry.' });

    // On the schedule, it is taken off first: declined there, it would stay on the agenda unsaid.
    const day = await handle.db.insertInto('agenda_days').values({ edition_id: editionId, date: '2026-05-12', label: '', position: 0 }).returning('id').executeTakeFirstOrThrow();
    const slot = await handle.db.insertInto('slots').values({ day_id: day.id, start_time: '10:30', end_time: '11:00', kind: 'talk', title: '', topic_id: t.id, position: 0 }).returning('id').executeTakeFirstOrThrow();
    const sentBefore = (await outbox()).length;
    await expect(decideTopic(deps, COMMITTEE, { topicId: t.id, decision: 'decline', comment: 'No room.' })).rejects.toThrow(
      `“XDP offloads” is on the schedule (slot #${slot.id}, Tuesday, May 12, 2026, 10:30–11:00): take it off first (remove the slot, or give it no topic or another), so that the change reaches the changelog and its speakers; then decline it`,
    );
    expect((await listTopics(deps, { editionId })).find((x) => x.id === t.id)?.state).toBe('accepted');
    expect((await outbox()).length).toBe(sentBefore);
    await handle.db.deleteFrom('slots').where('id', '=', slot.id).execute();
    expect((await decideTopic(deps, COMMITTEE, { topicId: t.id, decision: 'decline', comment: 'No room.' })).state).toBe('declined');
  });

  it('lets the committee change a topic’s title, abstract and length after accepting it, keeping its slots’ times', async () => {
    const { deps, editionId, people } = await setup(170);
    const [ada, bob] = people;
    const t = await proposeTopic(deps, INVITEE(170), { editionId, proposerId: ada, ...fields, coPresenterIds: [bob] });
    await decideTopic(deps, COMMITTEE, { topicId: t.id, decision: 'accept', comment: '' });
    const { year } = await handle.db.selectFrom('editions').select('year').where('id', '=', editionId).executeTakeFirstOrThrow();
    const ref = { series: 'invtest', year };
    const made = await addSlot(deps, COMMITTEE, ref, { date: '2026-05-12', start: '10:00', kind: 'talk', topicId: t.id });
    const named = await addSlot(deps, COMMITTEE, ref, { date: '2026-05-13', start: '10:00', end: '10:30', kind: 'talk', title: 'XDP, part two', topicId: t.id });
    expect(made).toMatchObject({ title: 'XDP offloads', end: '10:30' });
    // Twice on the schedule (a talk in two parts) is a conflict to publish over.
    await publishSchedule(deps, COMMITTEE, ref, { force: true, floatingTimes: true });
    const mailed = Number((await handle.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

    // Refused as the proposer's edit is, by field, and nothing is written.
    await expect(updateTopic(deps, COMMITTEE, { topicId: t.id, title: 'XDP \u001b]0;owned\u0007' })).rejects.toThrow(/title: must be one line of text, without control characters/);
    await expect(updateTopic(deps, COMMITTEE, { topicId: t.id, abstract: 'One\n\u001b[2Jtwo' })).rejects.toThrow(/abstract: must be text: it holds the control character U\+001B at line 2/);
    await expect(updateTopic(deps, COMMITTEE, { topicId: t.id, wishedMinutes: '4' })).rejects.toThrow(/wishedMinutes: must be at least 5/);

    // A field left out keeps its value.
    const out = await updateTopic(deps, COMMITTEE, { topicId: t.id, title: '  XDP offload  ', wishedMinutes: '45' });
    expect(out.changed).toEqual(['title', 'wishedMinutes']);
    expect(out.topic).toMatchObject({ title: 'XDP offload', abstract: fields.abstract, wishedMinutes: 45, state: 'accepted' });
    expect(out.topic.presenters.map((p) => p.id)).toEqual([ada, bob]);
    // The slot made for it shows the new title and keeps its times; the one with its own title is as it was.
    const schedule = await loadSchedule(deps, ref);
    expect(schedule.slots.filter((x) => x.topicId === t.id).map((x) => [x.id, x.label, x.start, x.end])).toEqual([
      [made.id, 'XDP offload', '10:00', '10:30'],
      [named.id, 'XDP, part two', '10:00', '10:30'],
    ]);
    // The published schedule's changelog says so, as for a slot's new title; nobody is mailed.
    expect(out.logged).toEqual(['“XDP offloads” now titled “XDP offload”']);
    expect((await listChanges(deps, ref)).map((c) => [c.kind, c.summary, c.slot_id])).toContainEqual(['edit', '“XDP offloads” now titled “XDP offload”', made.id]);
    expect(Number((await handle.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(mailed);
    expect((await search(deps, { query: 'offload' })).hits.some((h) => h.title.map((x) => x.text).join('') === 'XDP offload')).toBe(true);

    const audit = (await listAudit(deps, { action: 'topic.update', entity: 'topic' })).filter((a) => a.entity_id === String(t.id));
    expect(audit.length).toBe(1);
    expect(audit[0]).toMatchObject({ actor: COMMITTEE.label, edition_id: editionId, reason: 'changed title, length' });
    expect(audit[0]!.before).toMatchObject({ title: 'XDP offloads', wishedMinutes: 30, abstract: fields.abstract });
    expect(audit[0]!.after).toMatchObject({ title: 'XDP offload', wishedMinutes: 45, state: 'accepted' });

    // The same values again, or none: nothing changes, nothing is written.
    expect((await updateTopic(deps, COMMITTEE, { topicId: t.id, title: 'XDP offload', abstract: fields.abstract })).changed).toEqual([]);
    expect((await updateTopic(deps, COMMITTEE, { topicId: t.id })).changed).toEqual([]);
    expect((await listAudit(deps, { action: 'topic.update', entity: 'topic' })).filter((a) => a.entity_id === String(t.id)).length).toBe(1);
    const cleared = await updateTopic(deps, COMMITTEE, { topicId: t.id, abstract: '', wishedMinutes: '' });
    expect(cleared.changed).toEqual(['abstract', 'wishedMinutes']);
    expect(cleared.topic).toMatchObject({ abstract: '', wishedMinutes: null });
    expect(cleared.logged).toEqual([]);
    await expect(updateTopic(deps, COMMITTEE, { topicId: t.id + 1000 })).rejects.toBeInstanceOf(NotFound);
  });

  it('lets the committee take a co-presenter who withdrew off an accepted topic, checking the list as a proposal’s', async () => {
    const { deps, editionId, sent, people } = await setup(180);
    const [ada, bob, carol, dan] = people;
    const t = await proposeTopic(deps, INVITEE(180), { editionId, proposerId: ada, ...fields, title: 'Page pool, what next', coPresenterIds: [bob] });
    // While it is open the proposer may still edit it: they cannot be taken off.
    await expect(updateTopic(deps, COMMITTEE, { topicId: t.id, presenterIds: [bob] })).rejects.toThrow(
      `presenterIds: ${guestName(180)} proposed “Page pool, what next” and may still edit it while it is proposed: keep them among the presenters`,
    );
    await decideTopic(deps, COMMITTEE, { topicId: t.id, decision: 'accept', comment: '' });
    const { year } = await handle.db.selectFrom('editions').select('year').where('id', '=', editionId).executeTakeFirstOrThrow();
    const ref = { series: 'invtest', year };
    const slot = await addSlot(deps, COMMITTEE, ref, { date: '2026-05-12', start: '10:00', kind: 'talk', topicId: t.id, speakerIds: [ada, bob] });
    // Bob withdraws; the committee takes him off the slot, as `schedule edit --speaker` does.
    await withdrawInvitation(deps, { token: sent[1]!.token });
    await updateSlot(deps, COMMITTEE, ref, slot.id, { date: '2026-05-12', start: '10:00', kind: 'talk', topicId: t.id, speakerIds: [ada] });
    const mailed = (await listOutbox(deps, {})).length;

    // Refused by the rules of a proposal's co-presenters, naming who, and nothing is written.
    await expect(updateTopic(deps, COMMITTEE, { topicId: t.id, presenterIds: [] })).rejects.toThrow(/presenterIds: a topic keeps at least one presenter/);
    await expect(updateTopic(deps, COMMITTEE, { topicId: t.id, presenterIds: [ada, carol, ada] })).rejects.toThrow(`presenterIds: ${guestName(180)} is listed twice`);
    await expect(updateTopic(deps, COMMITTEE, { topicId: t.id, presenterIds: [ada, dan] })).rejects.toThrow(
      `presenterIds: ${guestName(183)} (the invitation is invited) is not an accepted attendee of Netconf 2026; presenters must have accepted their invitation`,
    );
    // Somebody presenting it already may stay (the list as it is, the proposer first, changes nothing).
    expect((await updateTopic(deps, COMMITTEE, { topicId: t.id, presenterIds: [bob, ada] })).changed).toEqual([]);
    expect((await listTopics(deps, { editionId })).find((x) => x.id === t.id)!.presenters.map((p) => p.id)).toEqual([ada, bob]);

    const out = await updateTopic(deps, COMMITTEE, { topicId: t.id, presenterIds: [ada] });
    expect(out.changed).toEqual(['presenterIds']);
    expect(out.topic).toMatchObject({ state: 'accepted', title: 'Page pool, what next' });
    expect((await listTopics(deps, { editionId })).find((x) => x.id === t.id)!.presenters.map((p) => p.name)).toEqual([guestName(180)]);
    expect((await listOutbox(deps, {})).length).toBe(mailed);
    const audit = (await listAudit(deps, { action: 'topic.update', entity: 'topic' })).filter((a) => a.entity_id === String(t.id));
    expect(audit.map((a) => a.reason)).toEqual(['changed presenters']);
    expect(audit[0]!.before).toMatchObject({ presenters: [ada, bob], presenterNames: [guestName(180), guestName(181)] });
    expect(audit[0]!.after).toMatchObject({ presenters: [ada], presenterNames: [guestName(180)] });

    // Added, an accepted attendee goes after the proposer; once decided the proposer may be taken
    // off, and the schedule's conflicts read the new list: nobody of it speaks in the slot.
    expect((await updateTopic(deps, COMMITTEE, { topicId: t.id, presenterIds: [carol, ada] })).topic.presenters.map((p) => p.id)).toEqual([ada, carol]);
    expect((await loadSchedule(deps, ref)).conflicts.filter((c) => c.rule === 'presenter-missing')).toEqual([]);
    await updateTopic(deps, COMMITTEE, { topicId: t.id, presenterIds: [carol] });
    expect((await loadSchedule(deps, ref)).conflicts.filter((c) => c.rule === 'presenter-missing').map((c) => c.slotIds)).toEqual([[slot.id]]);
  });
});

/**
 * The change notice to a speaker a change of the published schedule takes off it altogether: it
 * says so (template `schedule-removed`), with no "where you are now"; a speaker who still speaks
 * somewhere keeps the `schedule-change` mail. A waiting notice is written as things stand after
 * its last change, so the choice follows the speaker's net state. The removal goes out over real
 * SMTP on loopback like any mail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { updateEdition } from '../../src/domain/editions/edit-edition.js';
import { saveTemplate } from '../../src/domain/mail/templates.js';
import { createTransport } from '../../src/domain/mail/transport.js';
import { runOutboxOnce } from '../../src/domain/mail/worker.js';
import { addSlot, moveSlot, removeSlot, updateSlot } from '../../src/domain/program/schedule-edit.js';
import { publishSchedule } from '../../src/domain/program/schedule-publish.js';
import { sendNoticesNow, waitingNotices } from '../../src/domain/program/schedule-notices.js';
import { COMMITTEE, editionOfAcceptedGuests, makeDeps } from '../invitations/fixtures.js';
import { startSink } from '../mail/smtp-sink.js';
import { testDatabases } from '../support/db.js';

describe.each(testDatabases())('a speaker taken off the schedule, on $name', ({ open }) => {
  let handle: Db;
  let deps: ReturnType<typeof makeDeps>;

  beforeAll(async () => {
    handle = await open();
    deps = makeDeps(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
  });

  /**
   * An edition whose published schedule has Guest 1's talk (Tuesday 10:00–10:30) and a panel of
   * Guests 2 and 3 (Monday 09:00–09:45); their publication mail is out.
   */
  async function published() {
    deps.set('2026-03-01T12:00:00Z');
    const { editionId, ref, guests } = await editionOfAcceptedGuests(deps, 3);
    const talk = await addSlot(deps, COMMITTEE, ref, { date: '2026-05-12', start: '10:00', end: '10:30', kind: 'talk', title: 'XDP offloads', speakerIds: [guests[0]!.personId] });
    const panel = await addSlot(deps, COMMITTEE, ref, { date: '2026-05-11', start: '09:00', end: '09:45', kind: 'discussion', title: 'Panel', speakerIds: [guests[1]!.personId, guests[2]!.personId] });
    deps.set('2026-04-20T09:00:00Z');
    await publishSchedule(deps, COMMITTEE, ref, { floatingTimes: true });
    await handle.db.updateTable('outbox').set({ state: 'sent', attempts: 1, sent_at: new Date(), transport: 'mailbox' }).where('edition_id', '=', editionId).execute();
    deps.set('2026-04-21T09:00:00Z');
    /** The notices waiting to be sent, by address. */
    const waiting = () =>
      handle.db
        .selectFrom('outbox')
        .select(['kind', 'to_address', 'subject', 'body', 'in_reply_to'])
        .where('edition_id', '=', editionId)
        .where('state', '=', 'queued')
        .orderBy('to_address')
        .execute();
    return { editionId, ref, guests, talk, panel, waiting };
  }

  it('tells a speaker taken off their only slot that they are no longer on the schedule, and one still on it where they are', async () => {
    const { editionId, ref, guests, talk, panel, waiting } = await published();
    await removeSlot(deps, COMMITTEE, ref, talk.id);
    const [removed] = await waiting();
    expect(removed).toMatchObject({ kind: 'schedule-removed', to_address: guests[0]!.email, subject: 'You are no longer on the schedule of Netconf 2026', in_reply_to: guests[0]!.messageId });
    expect(removed!.body).toContain('Hello Guest 1,\n\nyou are no longer on the schedule of Netconf 2026:\n\n  Removed “XDP offloads” (was Tuesday 10:00–10:30)\n\nEvery change');
    expect(removed!.body).not.toContain('where you');
    expect(removed!.body).not.toContain('Where you are');

    // Taken off the panel, Guest 3 speaks nowhere; Guest 2, still on it, is told where they are.
    await updateSlot(deps, COMMITTEE, ref, panel.id, { date: '2026-05-11', start: '09:00', end: '09:45', kind: 'discussion', title: 'Panel', speakerIds: [guests[1]!.personId] });
    const [, two, three] = await waiting();
    expect(two).toMatchObject({ kind: 'schedule-change', to_address: guests[1]!.email, subject: 'Netconf 2026 schedule: Panel (new speakers)' });
    expect(two!.body).toContain('has changed where you speak:\n\n  “Panel” speakers now Guest 2 (were Guest 2, Guest 3)\n\nWhere you are on the schedule now:\n\n  Monday, May 11, 2026, 09:00–09:45: Panel\n\n');
    expect(three).toMatchObject({ kind: 'schedule-removed', to_address: guests[2]!.email, subject: 'You are no longer on the schedule of Netconf 2026' });
    expect(three!.body).toContain('you are no longer on the schedule of Netconf 2026:\n\n  “Panel” speakers now Guest 2 (were Guest 2, Guest 3)\n\nEvery change');
    expect(three!.body).not.toContain('Where you are');

    // Both kinds are the builder's waiting notices, and "Mail the speakers now" sends both.
    expect((await waitingNotices(deps, editionId)).count).toBe(3);
    expect(await sendNoticesNow(deps, COMMITTEE, ref)).toBe(3);

    // Sent over SMTP as any mail is: the removal arrives as written, in the speaker's thread.
    const sink = await startSink();
    const transport = createTransport({ smtpUrl: sink.url });
    try {
      expect(await runOutboxOnce({ db: handle.db, transport, clock: () => new Date(), workerId: 'test', batchSize: 10 })).toMatchObject({ claimed: 3, sent: 3 });
      const got = sink.accepted.find((a) => a.rcptTo[0] === guests[0]!.email)!;
      expect(got.mail.subject).toBe('You are no longer on the schedule of Netconf 2026');
      expect(got.mail.inReplyTo).toBe(guests[0]!.messageId);
      expect(got.mail.text).toContain('you are no longer on the schedule of Netconf 2026:\n\n  Removed “XDP offloads” (was Tuesday 10:00–10:30)\n');
      expect(got.mail.text).not.toContain('Where you are');
      expect(sink.accepted.find((a) => a.rcptTo[0] === guests[1]!.email)!.mail.text).toContain('Where you are on the schedule now:');
    } finally {
      transport.close();
      await sink.close();
    }
  });

  it('keeps the committee’s own schedule-change text for a speaker still on the schedule, and uses its own schedule-removed text', async () => {
    const { editionId, ref, guests, talk, panel, waiting } = await published();
    // Saved before this mail had a text of its own: still in force for those who speak.
    await saveTemplate(deps, { editionId, key: 'schedule-change', subject: 'Programme: {{headline}}', body: 'Dear {{name}}:\n{{change}}\nNow: {{slot}}\n' });
    await updateSlot(deps, COMMITTEE, ref, panel.id, { date: '2026-05-11', start: '09:00', end: '09:45', kind: 'discussion', title: 'Panel', speakerIds: [guests[1]!.personId] });
    await removeSlot(deps, COMMITTEE, ref, talk.id);
    expect((await waiting()).map((m) => [m.kind, m.to_address, m.subject, m.body])).toEqual([
      ['schedule-removed', guests[0]!.email, 'You are no longer on the schedule of Netconf 2026', expect.stringContaining('you are no longer on the schedule of Netconf 2026:\n\n  Removed “XDP offloads”')],
      ['schedule-change', guests[1]!.email, 'Programme: Panel (new speakers)', 'Dear Guest 2:\n“Panel” speakers now Guest 2 (were Guest 2, Guest 3)\nNow: Monday, May 11, 2026, 09:00–09:45: Panel\n'],
      ['schedule-removed', guests[2]!.email, 'You are no longer on the schedule of Netconf 2026', expect.stringContaining('you are no longer on the schedule of Netconf 2026:\n\n  “Panel” speakers now Guest 2')],
    ]);
    // The committee's own words for it, with its placeholders, are used from the next change on.
    await saveTemplate(deps, { editionId, key: 'schedule-removed', subject: 'Off the programme of {{edition_title}}', body: 'Dear {{name}}:\n{{headline}}\n{{link}}\n' });
    await updateSlot(deps, COMMITTEE, ref, panel.id, { date: '2026-05-11', start: '09:00', end: '09:45', kind: 'discussion', title: 'Panel', speakerIds: [] });
    const [, two] = await waiting();
    expect(two).toMatchObject({
      kind: 'schedule-removed',
      subject: 'Off the programme of Netconf 2026',
      body: `Dear Guest 2:\nPanel (new speakers)\nhttps://netconf.example.org/invtest/${ref.year}/changes/\n`,
    });
  });

  it('writes a waiting notice as the net result of its changes, to the speaker as they now are', async () => {
    const { ref, guests, talk, panel, waiting } = await published();
    // Moved, then removed: one notice, of the removal, from where the talk was when last told.
    await moveSlot(deps, COMMITTEE, ref, talk.id, { date: '2026-05-13', start: '14:00' });
    expect((await waiting()).map((m) => m.kind)).toEqual(['schedule-change']);
    await removeSlot(deps, COMMITTEE, ref, talk.id);
    const [removed, ...none] = await waiting();
    expect(none).toEqual([]);
    expect(removed).toMatchObject({ kind: 'schedule-removed', subject: 'You are no longer on the schedule of Netconf 2026' });
    expect(removed!.body).toContain('you are no longer on the schedule of Netconf 2026:\n\n  Removed “XDP offloads” (was Tuesday 10:00–10:30)\n\nEvery change');
    expect(removed!.body).not.toContain('moved from');
    // Put on another slot before the notice went: the same notice, now to someone who speaks.
    const again = await addSlot(deps, COMMITTEE, ref, { date: '2026-05-13', start: '16:00', end: '16:30', kind: 'talk', title: 'XDP, again', speakerIds: [guests[0]!.personId] });
    const [back, ...still] = await waiting();
    expect(still).toEqual([]);
    expect(back).toMatchObject({ kind: 'schedule-change', subject: 'Netconf 2026 schedule: 2 changes to your slots' });
    expect(back!.body).toContain(
      'has changed where you speak:\n\n  - Removed “XDP offloads” (was Tuesday 10:00–10:30)\n  - Added “XDP, again”, Wednesday 16:00–16:30 (Guest 1)\n\nWhere you are on the schedule now:\n\n  Wednesday, May 13, 2026, 16:00–16:30: XDP, again\n\n',
    );
    // And taken off that one too: removed again, the slot added and removed meanwhile left out.
    await removeSlot(deps, COMMITTEE, ref, again.id);
    const [gone] = await waiting();
    expect(gone).toMatchObject({ kind: 'schedule-removed', subject: 'You are no longer on the schedule of Netconf 2026' });
    expect(gone!.body).toContain('of Netconf 2026:\n\n  Removed “XDP offloads” (was Tuesday 10:00–10:30)\n\nEvery change');
    expect(gone!.body).not.toContain('XDP, again');

    // Added to a second slot, then taken off the first: still speaking, told both.
    await addSlot(deps, COMMITTEE, ref, { date: '2026-05-13', start: '16:00', end: '16:30', kind: 'talk', title: 'Lightning', speakerIds: [guests[1]!.personId] });
    await updateSlot(deps, COMMITTEE, ref, panel.id, { date: '2026-05-11', start: '09:00', end: '09:45', kind: 'discussion', title: 'Panel', speakerIds: [guests[2]!.personId] });
    const [, two] = await waiting();
    expect(two).toMatchObject({ kind: 'schedule-change', to_address: guests[1]!.email, subject: 'Netconf 2026 schedule: 2 changes to your slots' });
    expect(two!.body).toContain(
      '  - Added “Lightning”, Wednesday 16:00–16:30 (Guest 2)\n  - “Panel” speakers now Guest 3 (were Guest 2, Guest 3)\n\nWhere you are on the schedule now:\n\n  Wednesday, May 13, 2026, 16:00–16:30: Lightning\n\n',
    );
  });

  it('leaves a new time zone out of the notice of a speaker then taken off the schedule, not of one still on it', async () => {
    const { ref, guests, talk, panel, waiting } = await published();
    const zone = 'The schedule\'s times are now in Europe/Lisbon (they were floating\n    times, as no time zone was set).';
    await updateEdition(deps, COMMITTEE, { ...ref, fields: { timeZone: 'Europe/Lisbon' } });
    await removeSlot(deps, COMMITTEE, ref, talk.id);
    await updateSlot(deps, COMMITTEE, ref, panel.id, { date: '2026-05-11', start: '09:00', end: '09:45', kind: 'discussion', title: 'Panel', speakerIds: [guests[1]!.personId] });
    const [one, two, three] = await waiting();
    // No time of theirs moved: what they are told is that they left.
    expect(one).toMatchObject({ kind: 'schedule-removed', to_address: guests[0]!.email });
    expect(one!.body).toContain('of Netconf 2026:\n\n  Removed “XDP offloads” (was Tuesday 10:00–10:30)\n\nEvery change');
    expect(three).toMatchObject({ kind: 'schedule-removed', to_address: guests[2]!.email });
    expect(three!.body).toContain('of Netconf 2026:\n\n  “Panel” speakers now Guest 2 (were Guest 2, Guest 3)\n\nEvery change');
    // Still on the panel, Guest 2 is told of both, the times now in the zone.
    expect(two).toMatchObject({ kind: 'schedule-change', to_address: guests[1]!.email, subject: 'Netconf 2026 schedule: 2 changes to your slots' });
    expect(two!.body).toContain(`  - ${zone}\n  - “Panel” speakers now Guest 2 (were Guest 2, Guest 3)\n\nWhere you are on the schedule now:\n\n  Monday, May 11, 2026, 09:00–09:45: Panel\n  (Times are local to the venue: Europe/Lisbon.)\n\n`);
  });
});

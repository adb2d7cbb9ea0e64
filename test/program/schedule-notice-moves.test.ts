/**
 * What a speaker's change notice says when their talk goes elsewhere on the published schedule:
 * moved, whether the committee moved its slot, re-created it (removed and added again) or swapped
 * two talks by giving each slot the other's topic. The speaker reads one line, where the talk was
 * and where it is now, not that it was removed and something else added.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { addSlot, moveSlot, removeSlot, updateSlot } from '../../src/domain/program/schedule-edit.js';
import { publishSchedule } from '../../src/domain/program/schedule-publish.js';
import { COMMITTEE, editionOfAcceptedGuests, makeDeps } from '../invitations/fixtures.js';
import { testDatabases } from '../support/db.js';

describe.each(testDatabases())('a speaker whose talk goes elsewhere, on $name', ({ open }) => {
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
   * An edition whose published schedule has Guest 1's topic “XDP offloads” (Tuesday 10:00–10:30,
   * room A), Guest 2's topic “BPF verifier” (Wednesday 14:00–14:30, room B) and Guest 3's
   * “Lightning” of no topic (Monday 09:00–09:15); their publication mail is out.
   */
  async function published() {
    deps.set('2026-03-01T12:00:00Z');
    const { editionId, ref, guests } = await editionOfAcceptedGuests(deps, 3);
    const topic = async (number: number, title: string, presenter: number) => {
      const t = await handle.db.insertInto('topics').values({ edition_id: editionId, number, title, origin: 'proposal', state: 'accepted', proposer_id: presenter }).returning('id').executeTakeFirstOrThrow();
      await handle.db.insertInto('topic_presenters').values({ topic_id: t.id, person_id: presenter, position: 0 }).execute();
      return t.id;
    };
    const xdp = await topic(1, 'XDP offloads', guests[0]!.personId);
    const bpf = await topic(2, 'BPF verifier', guests[1]!.personId);
    const one = await addSlot(deps, COMMITTEE, ref, { date: '2026-05-12', start: '10:00', end: '10:30', kind: 'talk', topicId: xdp, room: 'A' });
    const two = await addSlot(deps, COMMITTEE, ref, { date: '2026-05-13', start: '14:00', end: '14:30', kind: 'talk', topicId: bpf, room: 'B' });
    const lightning = await addSlot(deps, COMMITTEE, ref, { date: '2026-05-11', start: '09:00', end: '09:15', kind: 'talk', title: 'Lightning', speakerIds: [guests[2]!.personId] });
    deps.set('2026-04-20T09:00:00Z');
    await publishSchedule(deps, COMMITTEE, ref, { floatingTimes: true });
    await handle.db.updateTable('outbox').set({ state: 'sent', attempts: 1, sent_at: new Date(), transport: 'mailbox' }).where('edition_id', '=', editionId).execute();
    deps.set('2026-04-21T09:00:00Z');
    /** The notices waiting to be sent: kind, address, subject and body. */
    const waiting = () =>
      handle.db
        .selectFrom('outbox')
        .select(['kind', 'to_address', 'subject', 'body'])
        .where('edition_id', '=', editionId)
        .where('state', '=', 'queued')
        .orderBy('to_address')
        .execute();
    return { ref, guests, xdp, bpf, one, two, lightning, waiting };
  }

  it('tells a speaker whose slot was removed and added again elsewhere that their talk moved', async () => {
    const { ref, guests, xdp, one, lightning, waiting } = await published();
    // A topic's slot, and a talk of no topic (known by its title), each re-created at another time.
    await removeSlot(deps, COMMITTEE, ref, one.id);
    expect((await waiting()).map((m) => m.kind)).toEqual(['schedule-removed']);
    await addSlot(deps, COMMITTEE, ref, { date: '2026-05-13', start: '16:00', end: '16:30', kind: 'talk', topicId: xdp, room: 'B' });
    await addSlot(deps, COMMITTEE, ref, { date: '2026-05-11', start: '11:00', end: '11:15', kind: 'talk', title: 'lightning ', speakerIds: [guests[2]!.personId] });
    await removeSlot(deps, COMMITTEE, ref, lightning.id);
    const [first, third, ...none] = await waiting();
    expect(none).toEqual([]);
    expect(first).toMatchObject({
      kind: 'schedule-change',
      to_address: guests[0]!.email,
      subject: 'Netconf 2026 schedule: XDP offloads (moved, new room)',
    });
    expect(first!.body).toContain(
      'has changed where you speak:\n\n  “XDP offloads” moved from Tuesday 10:00–10:30 to Wednesday\n  16:00–16:30; room now “B” (was “A”)\n\nWhere you are on the schedule now:\n\n  Wednesday, May 13, 2026, 16:00–16:30: XDP offloads\n    room B\n\n',
    );
    expect(third).toMatchObject({
      kind: 'schedule-change',
      to_address: guests[2]!.email,
      subject: 'Netconf 2026 schedule: Lightning (moved, renamed)',
    });
    expect(third!.body).not.toContain('Removed');
    expect(third!.body).not.toContain('Added');
  });

  it('tells each speaker of two talks swapped by giving their slots each other’s topic where their own talk went', async () => {
    const { ref, guests, xdp, bpf, one, two, waiting } = await published();
    // The edit form keeps the speakers shown: another topic then brings its own presenters.
    await updateSlot(deps, COMMITTEE, ref, one.id, { date: '2026-05-12', start: '10:00', end: '10:30', kind: 'talk', topicId: bpf, room: 'A', speakerIds: [guests[0]!.personId] });
    await updateSlot(deps, COMMITTEE, ref, two.id, { date: '2026-05-13', start: '14:00', end: '14:30', kind: 'talk', topicId: xdp, room: 'B', speakerIds: [guests[1]!.personId] });
    expect((await waiting()).map((m) => [m.kind, m.to_address, m.subject])).toEqual([
      ['schedule-change', guests[0]!.email, 'Netconf 2026 schedule: XDP offloads (moved, new room)'],
      ['schedule-change', guests[1]!.email, 'Netconf 2026 schedule: BPF verifier (moved, new room)'],
    ]);
    const [a, b] = await waiting();
    expect(a!.body).toContain('has changed where you speak:\n\n  “XDP offloads” moved from Tuesday 10:00–10:30 to Wednesday\n  14:00–14:30; room now “B” (was “A”)\n\nWhere you are');
    expect(b!.body).toContain('has changed where you speak:\n\n  “BPF verifier” moved from Wednesday 14:00–14:30 to Tuesday\n  10:00–10:30; room now “A” (was “B”)\n\nWhere you are');
  });

  it('tells speakers of talks moved to another day, or swapped by moving their slots, where they went', async () => {
    const { ref, guests, one, two, lightning, waiting } = await published();
    // Dropped at the top of Wednesday (before “BPF verifier”), then that one to Tuesday 10:00.
    await moveSlot(deps, COMMITTEE, ref, one.id, { date: '2026-05-13' });
    await moveSlot(deps, COMMITTEE, ref, two.id, { date: '2026-05-12', start: '10:00' });
    // Another day by the edit form.
    await updateSlot(deps, COMMITTEE, ref, lightning.id, { date: '2026-05-13', start: '09:00', end: '09:15', kind: 'talk', title: 'Lightning', speakerIds: [guests[2]!.personId] });
    expect((await waiting()).map((m) => [m.kind, m.to_address, m.subject])).toEqual([
      ['schedule-change', guests[0]!.email, 'Netconf 2026 schedule: XDP offloads (moved)'],
      ['schedule-change', guests[1]!.email, 'Netconf 2026 schedule: BPF verifier (moved)'],
      ['schedule-change', guests[2]!.email, 'Netconf 2026 schedule: Lightning (moved)'],
    ]);
    const [a] = await waiting();
    expect(a!.body).toContain('  “XDP offloads” moved from Tuesday 10:00–10:30 to Wednesday 13:30–14:00\n\nWhere you are on the schedule now:\n\n  Wednesday, May 13, 2026, 13:30–14:00: XDP offloads\n    room A\n\n');
  });
});

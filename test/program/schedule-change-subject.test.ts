/**
 * A speaker's change notice has a short subject: the edition and, for one change, the talk and
 * what changed of it in a few words; for several, how many. The speakers, times and rooms are in
 * the body. It is plain ASCII but for the talk's own title, so that the mail as written shows the
 * subject as it reads (no RFC 2047 encoded word) and stays under 78 characters for a panel of six.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { createTransport } from '../../src/domain/mail/transport.js';
import { runOutboxOnce } from '../../src/domain/mail/worker.js';
import { addSlot, moveSlot, updateSlot } from '../../src/domain/program/schedule-edit.js';
import { publishSchedule } from '../../src/domain/program/schedule-publish.js';
import { COMMITTEE, editionOfAcceptedGuests, makeDeps } from '../invitations/fixtures.js';
import { split } from '../mail/fixtures.js';
import { testDatabases } from '../support/db.js';

const NAMES = ['Jesper Dangaard Brouer', 'Toke Hoiland-Jorgensen', 'Alexei Starovoitov', 'Daniel Borkmann', 'Jakub Kicinski', 'Eric Dumazet', 'Paolo Abeni'];

describe.each(testDatabases())('the subject of a schedule change notice, on $name', ({ open }) => {
  let handle: Db;
  let deps: ReturnType<typeof makeDeps>;
  let dir: string;

  beforeAll(async () => {
    handle = await open();
    deps = makeDeps(handle.db);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-notice-subject-'));
  });
  afterAll(async () => {
    await handle?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('names the talk and what changed, not every speaker, and writes it as it reads', async () => {
    deps.set('2026-03-01T12:00:00Z');
    const { editionId, ref, guests } = await editionOfAcceptedGuests(deps, NAMES.length);
    for (const [i, g] of guests.entries()) await handle.db.updateTable('people').set({ name: NAMES[i]! }).where('id', '=', g.personId).execute();
    const six = guests.slice(0, 6).map((g) => g.personId);
    const panel = await addSlot(deps, COMMITTEE, ref, { date: '2026-05-11', start: '09:00', end: '10:00', kind: 'discussion', title: 'XDP and the page pool', speakerIds: six });
    const talk = await addSlot(deps, COMMITTEE, ref, {
      date: '2026-05-12', start: '10:00', end: '10:30', kind: 'talk', title: 'Busy polling, threaded NAPI and what the drivers did about it', speakerIds: [guests[6]!.personId],
    });
    deps.set('2026-04-20T09:00:00Z');
    await publishSchedule(deps, COMMITTEE, ref, { floatingTimes: true });
    await handle.db.updateTable('outbox').set({ state: 'sent', attempts: 1, sent_at: new Date(), transport: 'mailbox' }).where('edition_id', '=', editionId).execute();

    deps.set('2026-04-21T09:00:00Z');
    // The last of the six makes way for the seventh, and the panel gets a room.
    const seven = [...six.slice(0, 5), guests[6]!.personId];
    await updateSlot(deps, COMMITTEE, ref, panel.id, { date: '2026-05-11', start: '09:00', end: '10:00', kind: 'discussion', title: 'XDP and the page pool', speakerIds: seven, room: 'B' });
    await moveSlot(deps, COMMITTEE, ref, talk.id, { date: '2026-05-13', start: '14:00' });
    const queued = await handle.db.selectFrom('outbox').selectAll().where('edition_id', '=', editionId).where('state', '=', 'queued').orderBy('to_address').execute();
    const of = (i: number) => queued.find((m) => m.to_address === guests[i]!.email)!;
    expect(of(0).subject).toBe('Netconf 2026 schedule: XDP and the page pool (new speakers, new room)');
    expect(of(5).kind).toBe('schedule-removed');
    // The seventh joined the panel and had their talk moved: two changes.
    expect(of(6).subject).toBe('Netconf 2026 schedule: 2 changes to your slots');
    // Who speaks now, and who did, is in the body.
    expect(of(0).body.replace(/\s+/g, ' ')).toContain(`speakers now ${[...NAMES.slice(0, 5), NAMES[6]].join(', ')} (were ${NAMES.slice(0, 6).join(', ')})`);

    // A long title alone, cut at a word.
    await moveSlot(deps, COMMITTEE, ref, talk.id, { date: '2026-05-13', start: '15:00' });
    await handle.db.deleteFrom('outbox').where('to_address', '=', guests[6]!.email).where('state', '=', 'queued').execute();
    await moveSlot(deps, COMMITTEE, ref, talk.id, { date: '2026-05-13', start: '16:00' });
    const moved = await handle.db.selectFrom('outbox').selectAll().where('to_address', '=', guests[6]!.email).where('state', '=', 'queued').executeTakeFirstOrThrow();
    expect(moved.subject).toBe('Netconf 2026 schedule: Busy polling, threaded NAPI and... (moved)');
    expect(moved.body.replace(/\s+/g, ' ')).toContain('“Busy polling, threaded NAPI and what the drivers did about it” moved from Wednesday 15:00–15:30 to Wednesday 16:00–16:30');

    for (const m of [...queued, moved]) expect(m.subject.length, m.subject).toBeLessThanOrEqual(78);

    // Written to the mailbox, the subject is as it reads.
    const at = new Date('2026-04-21T09:30:00Z');
    await handle.db.updateTable('outbox').set({ next_attempt_at: at }).where('edition_id', '=', editionId).where('state', '=', 'queued').execute();
    expect(await runOutboxOnce({ db: handle.db, transport: createTransport({ mailboxDir: dir }), clock: () => at, workerId: 'w', batchSize: 20 })).toMatchObject({ sent: 7 });
    for (const file of fs.readdirSync(dir)) {
      const raw = fs.readFileSync(path.join(dir, file));
      const subject = /^Subject: (.*)$/m.exec(split(raw)[0].replace(/\r\n[ \t]+/g, ' '))![1]!;
      expect(subject, file).not.toContain('=?');
      expect((await simpleParser(raw)).subject).toBe(subject);
    }
  });
});

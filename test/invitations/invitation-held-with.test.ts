/**
 * The invitation says which event the edition is held with, on a line of its own that is gone
 * when there is none, and nothing about how many days it lasts. Migration 041 gives a saved text
 * still equal to the old default the new one, and keeps a committee's own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { INVITATION_NOW, INVITATION_WAS, rewrite } from '../../src/db/migrations/041-invitation-held-with.js';
import { TEMPLATE_KEYS } from '../../src/domain/mail/template-keys.js';
import { testDatabases } from '../support/db.js';
import { inviteGuests, makeDeps, makeEdition } from './fixtures.js';

describe.each(testDatabases())('the event an invitation is held with, on $name', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => handle?.close());

  const invitationBody = async (editionId: number) =>
    (await handle.db.selectFrom('outbox').select('body').where('edition_id', '=', editionId).where('kind', '=', 'invitation').executeTakeFirstOrThrow()).body;

  it('names the co-located event under the place, and leaves no line when there is none', async () => {
    const deps = makeDeps(handle.db, '2999-01-10T10:00:00.000Z');
    const held = await makeEdition(handle.db, {
      start_date: '2999-03-13', end_date: '2999-03-14', answer_by: '2999-02-10', location_text: 'Zagreb',
      colocated_name: 'Netdev 0x1B', colocated_start: '2999-03-10', colocated_end: '2999-03-12', colocated_place: 'Zagreb',
    });
    await inviteGuests(deps, held, 1, 800);
    const body = await invitationBody(held);
    expect(body).toContain('in Zagreb.\nIt is held with Netdev 0x1B, March 10–12, 2999, Zagreb.\n\nNetconf 2026 is a small');
    expect(body).toContain('together in one room,');
    expect(body).not.toContain('a few days');

    const alone = await makeEdition(handle.db, { start_date: '2999-03-13', end_date: '2999-03-14', answer_by: '2999-02-10', location_text: 'Zagreb' });
    await inviteGuests(deps, alone, 1, 810);
    const plain = await invitationBody(alone);
    expect(plain).toContain('in Zagreb.\n\nNetconf 2026 is a small');
    expect(plain).not.toContain('held with');
  });

  it('gives a saved text still equal to the old default the new one, and keeps a committee’s own (migration 041)', async () => {
    const db = handle.db;
    expect(INVITATION_NOW).toBe(TEMPLATE_KEYS.invitation.body);
    const ed = await makeEdition(db);
    const own = INVITATION_WAS.replace('Thanks,', 'See you,');
    const subject = 'Invitation to {{edition_title}}';
    await db.insertInto('mail_templates').values([
      { edition_id: null, key: 'invitation', subject, body: INVITATION_WAS },
      { edition_id: ed, key: 'invitation', subject, body: own },
      { edition_id: ed, key: 'reminder', subject, body: INVITATION_WAS },
    ]).execute();
    await rewrite(db);
    const after = await db.selectFrom('mail_templates').select(['edition_id', 'key', 'body']).orderBy('id').execute();
    expect(after).toEqual([
      { edition_id: null, key: 'invitation', body: INVITATION_NOW },
      { edition_id: ed, key: 'invitation', body: own },
      { edition_id: ed, key: 'reminder', body: INVITATION_WAS },
    ]);
    // Again, as after a restore of a backup made before it: nothing more changes.
    await rewrite(db);
    expect(await db.selectFrom('mail_templates').select(['edition_id', 'key', 'body']).orderBy('id').execute()).toEqual(after);
    await db.deleteFrom('mail_templates').execute();
  });
});

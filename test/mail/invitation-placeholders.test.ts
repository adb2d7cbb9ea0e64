/**
 * The invitation's edition placeholders beyond title, dates and place: the co-located event and
 * the time zone, filled from the edition when it has them and empty when it has not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { saveTemplate } from '../../src/domain/mail/templates.js';
import { placeholderNames } from '../../src/domain/mail/template-keys.js';
import { testDatabases } from '../support/db.js';
import { inviteGuests, makeDeps, makeEdition } from '../invitations/fixtures.js';

describe.each(testDatabases())('invitation placeholders on $name', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => {
    await handle?.close();
  });

  async function invitationBody(extra: Parameters<typeof makeEdition>[1]): Promise<string> {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db, extra);
    await saveTemplate(deps, { editionId, key: 'invitation', subject: 'Invitation', body: 'Also: [{{edition_colocated}}]\nTimes: [{{edition_time_zone}}]\n\n  {{link}}\n' });
    const [sent] = await inviteGuests(deps, editionId, 1);
    return (await handle.db.selectFrom('outbox').select('body').where('id', '=', sent!.outboxId).executeTakeFirstOrThrow()).body;
  }

  it('fills {{edition_colocated}} and {{edition_time_zone}} from the edition, empty when it has none', async () => {
    for (const key of ['invitation', 'reminder', 'waitlist-promoted'] as const) {
      expect(placeholderNames(key)).toEqual(expect.arrayContaining(['edition_colocated', 'edition_time_zone']));
    }
    const held = await invitationBody({ colocated_name: 'Netdev 0x1b', colocated_start: '2027-07-12', colocated_end: '2027-07-13', colocated_place: 'Lisbon', time_zone: 'Europe/Lisbon' });
    expect(held).toContain('Also: [Netdev 0x1b, July 12–13, 2027, Lisbon]\nTimes: [Europe/Lisbon]\n');
    const alone = await invitationBody({});
    expect(alone).toContain('Also: []\nTimes: []\n');
  });
});

/**
 * Migration 028 on a database holding mail: each invitee mail of an invitation's current thread
 * gets its invitation, other mail and mail of a replaced invitation mail keep a null, nothing
 * else changes; the state may then be 'superseded' and nothing unknown.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { rowRewrites } from '../../src/db/migrate.js';
import { rewrite, up } from '../../src/db/migrations/028-outbox-invitation.js';
import { makeEdition } from '../invitations/fixtures.js';
import { testDatabases } from '../support/db.js';

describe.each(testDatabases())('migration 028 on $name', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('gives the current invitation thread its invitation and leaves the rest null', async () => {
    const db = handle.db;
    // The outbox as it was before 028.
    await sql`alter table outbox drop column invitation_id`.execute(db);
    await sql`alter table outbox drop column superseded_by`.execute(db);
    await sql`alter table outbox drop constraint outbox_state_check`.execute(db);
    await sql`alter table outbox add constraint outbox_state_check check (state in ('draft', 'queued', 'sending', 'sent', 'failed'))`.execute(db);

    const editionId = await makeEdition(db);
    const person = await db.insertInto('people').values({ slug: 'ada-2100', name: 'Ada', name_key: 'ada' }).returning('id').executeTakeFirstOrThrow();
    const inv = await db
      .insertInto('invitations')
      .values({ edition_id: editionId, person_id: person.id, email: 'Ada@example.org', state: 'invited', invitation_message_id: '<new@x>' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const rows = [
      { kind: 'invitation', message_id: '<old@x>', in_reply_to: null, to_address: 'ada@example.org', state: 'sent' },
      { kind: 'invitation', message_id: '<new@x>', in_reply_to: '<old@x>', to_address: 'ada@example.org', state: 'sent' },
      { kind: 'reminder', message_id: '<rem@x>', in_reply_to: '<new@x>', to_address: 'ada@example.org', state: 'queued' },
      { kind: 'waitlist-promoted', message_id: '<in@x>', in_reply_to: '<new@x>', to_address: 'ada@example.org', state: 'failed' },
      // Under the replaced invitation mail: not certain, left null.
      { kind: 'reminder', message_id: '<oldrem@x>', in_reply_to: '<old@x>', to_address: 'ada@example.org', state: 'sent' },
      // Not an invitee mail, or not to the invitee: null.
      { kind: 'topic-decision', message_id: '<dec@x>', in_reply_to: '<new@x>', to_address: 'ada@example.org', state: 'sent' },
      { kind: 'reminder', message_id: '<else@x>', in_reply_to: '<new@x>', to_address: 'bob@example.org', state: 'queued' },
    ];
    for (const r of rows) {
      await sql`insert into outbox (edition_id, kind, to_address, from_address, subject, body, message_id, in_reply_to, state, sent_at, transport)
        values (${editionId}, ${r.kind}, ${r.to_address}, 'netconf@example.org', 'Netconf', 'Hello', ${r.message_id}, ${r.in_reply_to}, ${r.state},
                ${r.state === 'sent' ? sql`now()` : null}, ${r.state === 'sent' ? 'mailbox' : null})`.execute(db);
    }
    const before = await db.selectFrom('outbox').selectAll().where('edition_id', '=', editionId).orderBy('id').execute();

    await up(db);
    const after = await db.selectFrom('outbox').selectAll().where('edition_id', '=', editionId).orderBy('id').execute();
    expect(after.map((r) => [r.message_id, r.invitation_id])).toEqual([
      ['<old@x>', null],
      ['<new@x>', inv.id],
      ['<rem@x>', inv.id],
      ['<in@x>', inv.id],
      ['<oldrem@x>', null],
      ['<dec@x>', null],
      ['<else@x>', null],
    ]);
    // Nothing else changed.
    expect(after.map(({ invitation_id, superseded_by, ...r }) => r)).toEqual(before);
    expect(after.every((r) => r.superseded_by === null)).toBe(true);

    await db.updateTable('outbox').set({ state: 'superseded', superseded_by: after[1]!.id }).where('id', '=', after[2]!.id).execute();
    await expect(sql`update outbox set state = 'gone' where id = ${after[3]!.id}`.execute(db)).rejects.toThrow(/outbox_state_check/);
    // The invitation deleted, its mail stays, without it.
    await db.deleteFrom('invitations').where('id', '=', inv.id).execute();
    expect((await db.selectFrom('outbox').select('invitation_id').where('id', '=', after[2]!.id).executeTakeFirstOrThrow()).invitation_id).toBeNull();
    // Again, as after a restore of a backup made before it: nothing more changes.
    await rewrite(db);
    expect(rowRewrites().map((r) => r.name)).toContain('028-outbox-invitation');
  });
});

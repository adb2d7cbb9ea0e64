/**
 * Migration 022: mail sent before its secrets were left out loses them as withoutSecrets would
 * (personal links, sign-in links, answer addresses); queued mail keeps them, it must still go.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { up } from '../../src/db/migrations/022-sent-mail-secrets.js';
import { withoutSecrets } from '../../src/domain/mail/outbox.js';
import { testDatabases } from '../support/db.js';

describe.each(testDatabases())('migration 022 on $name', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('hides the secrets of sent mail as withoutSecrets does, and keeps those of queued mail', async () => {
    const answer = `rsvp+${'a'.repeat(52)}@netconf.example.org`;
    const body = `Answer at https://netconf.example.org/invitation/${'A'.repeat(43)}\nor sign in at https://netconf.example.org/signin/${'B'.repeat(32)}\nor write to ${answer}\n`;
    for (const state of ['sent', 'queued'] as const) {
      await sql`insert into outbox (kind, to_address, from_address, reply_to, subject, body, message_id, state, next_attempt_at, sent_at, transport)
        values ('invitation', 'guest@example.org', 'netconf@example.org', ${answer}, 'Netconf 2100', ${body}, ${`<${state}@example.org>`}, ${state}, now(),
                ${state === 'sent' ? sql`now()` : null}, ${state === 'sent' ? 'mailbox' : null})`.execute(handle.db);
    }
    await up(handle.db);
    const rows = await handle.db.selectFrom('outbox').select(['state', 'body', 'reply_to']).orderBy('id').execute();
    expect(rows).toEqual([
      { state: 'sent', body: withoutSecrets(body), reply_to: withoutSecrets(answer) },
      { state: 'queued', body, reply_to: answer },
    ]);
    expect(rows[0]!.body).not.toContain('A'.repeat(43));
    expect(rows[0]!.reply_to).toBe('rsvp+[hidden]@netconf.example.org');
  });
});

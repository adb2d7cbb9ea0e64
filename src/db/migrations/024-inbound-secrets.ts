import type { Kysely } from 'kysely';
import { hideSecrets } from '../../domain/inbound/hide-secrets.js';
import { withoutSecrets } from '../../domain/mail/outbox.js';

/**
 * Mail taken in before its secrets were hidden (domain/inbound/hide-secrets.ts) still holds
 * invitees' tokens in clear: in its raw bytes, its text and a reason quoting it. The same rewrite,
 * once, for every row, a hundred at a time.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await rewrite(db);
}

/** The whole migration is a rewrite of rows: also run on rows restored from a backup made before it. */
export async function rewrite(db: Kysely<any>): Promise<void> {
  for (let after = 0; ; ) {
    const rows: { id: number; raw: Uint8Array | null; text_body: string | null; reason: string }[] = await db
      .selectFrom('inbound_messages')
      .select(['id', 'raw', 'text_body', 'reason'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(100)
      .execute();
    if (rows.length === 0) return;
    for (const row of rows) {
      const raw = row.raw ? await hideSecrets(Buffer.from(row.raw)) : null;
      const text = row.text_body === null ? null : withoutSecrets(row.text_body);
      const reason = withoutSecrets(row.reason);
      if ((raw && !raw.equals(Buffer.from(row.raw!))) || text !== row.text_body || reason !== row.reason) {
        await db.updateTable('inbound_messages').set({ raw, text_body: text, reason }).where('id', '=', row.id).execute();
      }
    }
    after = rows[rows.length - 1]!.id;
  }
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

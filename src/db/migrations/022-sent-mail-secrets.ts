import { sql, type Kysely } from 'kysely';

/**
 * Mail sent before its secrets were left out (domain/mail/outbox.ts withoutSecrets) still holds
 * personal links and answer addresses in clear: the same rewrite, once, for every sent row. The
 * patterns are withoutSecrets' own, in PostgreSQL's words.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await rewrite(db);
}

/** The whole migration is a rewrite of rows: also run on rows restored from a backup made before it. */
export async function rewrite(db: Kysely<any>): Promise<void> {
  await sql`
    update outbox set
      body = regexp_replace(
        regexp_replace(
          regexp_replace(body, '/invitation/[A-Za-z0-9_-]{43}', '/invitation/[hidden: sent to the invitee only]', 'g'),
          '/signin/[A-Za-z0-9_-]{20,100}', '/signin/[hidden: a one-time link for its owner only]', 'g'),
        '\\+[a-zA-Z2-7]{52}@', '+[hidden]@', 'g'),
      reply_to = regexp_replace(reply_to, '\\+[a-zA-Z2-7]{52}@', '+[hidden]@', 'g')
    where state = 'sent'
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

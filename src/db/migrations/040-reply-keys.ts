import type { Kysely } from 'kysely';

/**
 * Reply keys. The reply address of an invitee mail (`rsvp+<base32>@…`) carried the bytes of the
 * personal link's token: anyone who saw the address (a reply Cc'd to a list, a mail server's log)
 * could open the invitee's page. It now carries a reply key made from the token that cannot be
 * turned back into it (domain/invitations/tokens.ts replyKeyOf), and the database keeps its
 * SHA-256 beside the token's, unique as that is. A token issued before has none until a reply
 * address is made from it again; a reply to its old address is still matched by the token.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('invitation_tokens').addColumn('reply_hash', 'text', (c) => c.unique()).execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

/**
 * Personal links. A token is 32 random bytes (256 bits) in base64url; the database keeps only
 * its SHA-256, so a copy of the database opens nobody's page (the mail carrying it keeps it
 * until it is sent, no longer: mail/outbox.ts withoutSecrets). An invitation may have several
 * live tokens (the invitation, the reminder, the promotion mail each carry their own, and all
 * of them work) until the committee re-sends or revokes it. A link works until its edition ends.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, InvitationTokenPurpose } from '../../db/schema.js';
import { LinkInvalid } from '../errors.js';
import { longDate, todayIn } from './dates.js';
import type { Edition, InvitationRow, Trx } from './deps.js';

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export const LINK_MESSAGES = {
  unknown: 'This link is not valid. Check that you copied all of it, or ask the committee for a new one.',
  revoked: 'This invitation was withdrawn by the committee. If you think this is a mistake, reply to the invitation mail to reach them.',
  replaced: 'This link has been replaced: the committee sent you the invitation again. Please use the link in the latest mail.',
  withdrawn: 'This link no longer works: the committee has taken the invitation back for now. If you think this is a mistake, reply to the invitation mail to reach them.',
  ended: (title: string, lastDay: string) => `This link has expired: ${title} ended on ${longDate(lastDay)}.`,
} as const;

/** The same, said to one who answered by mail: their mail carried the link's token. */
export const MAIL_MESSAGES = {
  revoked: 'This invitation was withdrawn by the committee.',
  replaced: 'The committee has sent you the invitation again since the mail you answered: please answer the latest one.',
  withdrawn: 'The committee has taken the invitation back for now.',
  ended: (title: string, lastDay: string) => `${title} ended on ${longDate(lastDay)}: it takes no more answers.`,
} as const;

/** A fresh token: 256 bits from the system's CSPRNG, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored for a token: its SHA-256 in hex. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The invitee's page for a token, under BASE_URL. */
export function invitationLink(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/invitation/${token}`;
}

/**
 * Whether `token` is one some invitation was given (live or not): what the invitee pages' rate
 * limit counts by the link rather than by the address (web/routes/invitation.ts). A link no
 * invitation has is a mistake or a guess.
 */
export async function isIssuedToken(deps: { db: Kysely<Database> }, token: string): Promise<boolean> {
  if (!TOKEN_SHAPE.test(token)) return false;
  return !!(await deps.db.selectFrom('invitation_tokens').select('id').where('token_hash', '=', hashToken(token)).limit(1).executeTakeFirst());
}

/**
 * The reply key of a token: what its mail's reply address carries (inbound/reply-address.ts), in
 * place of the token. A reply address is Cc'd to lists and written in mail servers' logs; the
 * key it carries matches a reply to the invitation, and is no link: it is an HMAC-SHA256 keyed by
 * the token, which nobody can turn back into the token. 32 bytes, base64url, as a token is.
 */
export type ReplyKey = string & { readonly replyKey: unique symbol };

export function replyKeyOf(token: string): ReplyKey {
  return createHmac('sha256', Buffer.from(token, 'base64url')).update('conclave reply address').digest('base64url') as ReplyKey;
}

/**
 * Makes a new live token for an invitation and returns it in clear (to be mailed, never stored),
 * storing the hash of the token and of its reply key (replyKeyOf).
 */
export async function issueToken(trx: Trx, invitationId: number, purpose: InvitationTokenPurpose, now: Date): Promise<string> {
  const token = newToken();
  await trx
    .insertInto('invitation_tokens')
    .values({ invitation_id: invitationId, token_hash: hashToken(token), reply_hash: hashToken(replyKeyOf(token)), purpose, created_at: now })
    .execute();
  return token;
}

/**
 * The reply key of a token that opens a link, its hash stored if it was not (a token issued before
 * migration 040, whose mail's reply address carried the token itself): a reply to an address
 * made from it now is matched.
 */
export async function replyKeyFor(trx: Trx, token: string): Promise<ReplyKey> {
  const key = replyKeyOf(token);
  await trx.updateTable('invitation_tokens').set({ reply_hash: hashToken(key) }).where('token_hash', '=', hashToken(token)).where('reply_hash', 'is', null).execute();
  return key;
}

/** The token row a reply address names, with what it carried: a reply key, or a token (old form). */
export interface ReplyKeyRow {
  invitation_id: number;
  revoked_at: Date | null;
  /** The token in clear, when the address carried it (mail sent before migration 040); else null. */
  token: string | null;
  /** The reply key, when the address carried one; else null. */
  replyKey: ReplyKey | null;
}

/**
 * The token row the 32 bytes of a reply address name (base64url, as keyFromAddress reads them):
 * by its reply key; else, for mail sent before reply keys, as the token itself (accepted, never
 * written again). Null when neither is known.
 */
export async function findReplyKey(trx: Trx, carried: string): Promise<ReplyKeyRow | null> {
  if (!TOKEN_SHAPE.test(carried)) return null;
  const hash = hashToken(carried);
  const byKey = await trx.selectFrom('invitation_tokens').select(['invitation_id', 'revoked_at']).where('reply_hash', '=', hash).executeTakeFirst();
  if (byKey) return { ...byKey, token: null, replyKey: carried as ReplyKey };
  const byToken = await trx.selectFrom('invitation_tokens').select(['invitation_id', 'revoked_at']).where('token_hash', '=', hash).executeTakeFirst();
  return byToken ? { ...byToken, token: carried, replyKey: null } : null;
}

/**
 * Of the links given (an invitation's id and a token in clear), in their order, those that still
 * open that invitation of the edition. For the committee's page to show once more, after a
 * redirect, the links it has just sent: whatever the browser sends back, it shows no link that
 * was not made for that edition's invitation, nor one ended since.
 */
export async function liveLinks(deps: { db: Kysely<Database> }, editionId: number, given: { id: number; token: string }[]): Promise<{ id: number; token: string }[]> {
  const shaped = given.filter((g) => TOKEN_SHAPE.test(g.token));
  if (shaped.length === 0) return [];
  const live = await deps.db
    .selectFrom('invitation_tokens')
    .innerJoin('invitations', 'invitations.id', 'invitation_tokens.invitation_id')
    .select(['invitation_tokens.invitation_id', 'invitation_tokens.token_hash'])
    .where('invitations.edition_id', '=', editionId)
    .where('invitation_tokens.revoked_at', 'is', null)
    .where('invitation_tokens.token_hash', 'in', shaped.map((g) => hashToken(g.token)))
    .execute();
  const opens = new Set(live.map((l) => `${l.invitation_id} ${l.token_hash}`));
  return shaped.filter((g) => opens.has(`${g.id} ${hashToken(g.token)}`));
}

/** Ends every live token of an invitation (re-send, revoke): their links stop working. */
export async function revokeTokens(trx: Trx, invitationId: number, now: Date): Promise<void> {
  await trx.updateTable('invitation_tokens').set({ revoked_at: now }).where('invitation_id', '=', invitationId).where('revoked_at', 'is', null).execute();
}

/** The last day of an edition (its end date, else its start date), or null when it has no dates. */
export function editionLastDay(edition: Pick<Edition, 'start_date' | 'end_date'>): string | null {
  return edition.end_date ?? edition.start_date;
}

/**
 * The invitation and edition a token opens, or LinkInvalid with a sentence for the person:
 * unknown (or mistyped) token, invitation revoked, token replaced by a re-send, edition over.
 */
export async function resolveToken(trx: Trx, token: string, now: Date): Promise<{ invitation: InvitationRow; edition: Edition }> {
  if (typeof token !== 'string' || !TOKEN_SHAPE.test(token)) throw new LinkInvalid(LINK_MESSAGES.unknown);
  const found = await trx
    .selectFrom('invitation_tokens')
    .select(['invitation_id', 'revoked_at'])
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!found) throw new LinkInvalid(LINK_MESSAGES.unknown);
  return resolveTokenRow(trx, found, now);
}

/**
 * The invitation and edition a token's row opens (found by its token, or by its reply key), or
 * LinkInvalid as resolveToken says it: a reply address stops working when its link does.
 */
export async function resolveTokenRow(trx: Trx, found: { invitation_id: number; revoked_at: Date | null }, now: Date): Promise<{ invitation: InvitationRow; edition: Edition }> {
  const invitation = await trx.selectFrom('invitations').selectAll().where('id', '=', found.invitation_id).executeTakeFirstOrThrow();
  const edition = await trx.selectFrom('editions').selectAll().where('id', '=', invitation.edition_id).executeTakeFirstOrThrow();
  if (invitation.state === 'revoked') throw new LinkInvalid(LINK_MESSAGES.revoked, MAIL_MESSAGES.revoked);
  if (found.revoked_at !== null) {
    // Replaced only when a newer link works: a discarded batch, or an override back to a
    // candidate, ended every link without sending another.
    const live = await trx.selectFrom('invitation_tokens').select('id').where('invitation_id', '=', invitation.id).where('revoked_at', 'is', null).executeTakeFirst();
    throw new LinkInvalid(live ? LINK_MESSAGES.replaced : LINK_MESSAGES.withdrawn, live ? MAIL_MESSAGES.replaced : MAIL_MESSAGES.withdrawn);
  }
  const lastDay = editionLastDay(edition);
  if (lastDay !== null && todayIn(edition.time_zone, now) > lastDay) throw new LinkInvalid(LINK_MESSAGES.ended(edition.title, lastDay), MAIL_MESSAGES.ended(edition.title, lastDay));
  return { invitation, edition };
}

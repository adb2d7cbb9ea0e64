/**
 * Sign-in by a one-time link mailed to a committee member's address: no passwords. A link is
 * single use and expires after 15 minutes; at most 5 links per address per 15 minutes. Asking for
 * a link for an unknown address looks the same as for a known one, so addresses cannot be probed;
 * the web answers before the link is made (routes/signin.ts), so that it takes no longer either.
 * A used link opens a session stored in the database (so several app processes share it).
 */
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { recordAudit, type Actor } from '../audit/record.js';
import { InvalidInput, LinkInvalid } from '../errors.js';
import { DEFAULT_SITE_NAME } from '../editions/site-name.js';
import { sendTemplate } from '../mail/templates.js';
import { hashSecret, newSecret } from './tokens.js';
import { parseInput } from '../validate.js';

export const SIGNIN_MINUTES = 15;
export const SIGNIN_PER_ADDRESS = 5;
export const SESSION_DAYS = 30;

export interface SigninDeps {
  db: Kysely<Database>;
  clock: () => Date;
  mail: { baseUrl: string; from: string };
  /** The site's name, in the mail's subject (siteNameOf); default conclave. */
  siteName?: string;
}

const RequestInput = z.object({ email: z.email('must be an e-mail address').trim().max(320) });

/** The address a sign-in link is asked for, checked (InvalidInput when it is none). */
export function signinAddress(input: { email: string }): string {
  return parseInput(RequestInput, input).email;
}

/**
 * A sign-in link; with `next`, the committee page it leads to once used (see returnPath).
 */
export function signinUrl(baseUrl: string, token: string, next?: string | null): string {
  const to = returnPath(next);
  return `${baseUrl}/signin/${token}${to ? `?next=${encodeURIComponent(to)}` : ''}`;
}

/**
 * Where a sign-in may lead once done: a committee page of this site (`/admin…`), as path and
 * query, or null for anything else (another site, `//host`, a page outside /admin, a path
 * climbing out of /admin with `..`). It comes from an address anybody can write, so nothing
 * else is let through: the sign-in would otherwise send a member wherever a stranger chose.
 */
export function returnPath(next: unknown): string | null {
  if (typeof next !== 'string' || next.length > 2000 || !next.startsWith('/') || /[\\\s]/.test(next)) return null;
  let url: URL;
  try {
    url = new URL(next, 'http://conclave.invalid');
  } catch {
    return null;
  }
  if (url.origin !== 'http://conclave.invalid' || !/^\/admin(\/|$)/.test(url.pathname)) return null;
  return url.pathname + url.search;
}

/** SIGNIN_PER_ADDRESS links were made for the address within SIGNIN_MINUTES. */
export class TooManyLinks extends InvalidInput {
  constructor() {
    super('email', `too many sign-in links asked for this address; wait ${SIGNIN_MINUTES} minutes`);
  }
}

/**
 * Creates a sign-in link for a member's address; null when the address is not a member's.
 * `printedFor` is who gets the link in hand rather than in the member's mail (`conclave committee
 * signin-link`, the first start): the audit log says so, since whoever holds it signs in as the
 * member, and the sign-in then reads like the member's own.
 */
export async function createSigninLink(
  deps: SigninDeps,
  input: { email: string; next?: string | null },
  printedFor?: Actor,
): Promise<{ link: string; accountId: number } | null> {
  const { email } = parseInput(RequestInput, input);
  return deps.db.transaction().execute(async (trx) => {
    const account = await trx
      .selectFrom('committee_accounts')
      .select(['id'])
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .where('disabled_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    if (!account) return null;
    const now = deps.clock();
    const since = new Date(now.getTime() - SIGNIN_MINUTES * 60_000);
    const recent = await trx
      .selectFrom('signin_tokens')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', account.id)
      .where('created_at', '>', since)
      .executeTakeFirstOrThrow();
    // The limit keeps a stranger at /signin from filling a member's mailbox. A link printed for
    // someone who holds the database (the command) sends no mail, and is not held to it.
    if (!printedFor && Number(recent.n) >= SIGNIN_PER_ADDRESS) throw new TooManyLinks();
    const token = newSecret();
    const expiresAt = new Date(now.getTime() + SIGNIN_MINUTES * 60_000);
    await trx
      .insertInto('signin_tokens')
      .values({
        account_id: account.id,
        token_hash: hashSecret(token),
        created_at: now,
        expires_at: expiresAt,
      })
      .execute();
    if (printedFor) {
      await recordAudit(trx, printedFor, { action: 'session.signin-link', entity: 'committee_account', entityId: account.id, after: { expiresAt: expiresAt.toISOString() } });
    }
    return { link: signinUrl(deps.mail.baseUrl, token, input.next), accountId: account.id };
  });
}

/**
 * Mails a sign-in link to the address if it is a member's; says nothing either way. Past the
 * limit of links per address it mails nothing, and says nothing of that either: a refusal
 * there, and only there, would tell a stranger which addresses are the committee's. `next` is
 * the committee page the member was on their way to (returnPath says which are taken).
 */
export async function requestSignin(deps: SigninDeps, input: { email: string; next?: string | null }): Promise<void> {
  const { email } = parseInput(RequestInput, input);
  let created: Awaited<ReturnType<typeof createSigninLink>>;
  try {
    created = await createSigninLink(deps, { email, next: input.next ?? null });
  } catch (err) {
    if (err instanceof TooManyLinks) return;
    throw err;
  }
  if (!created) return;
  await deps.db.transaction().execute(async (trx) => {
    await sendTemplate(trx, deps.mail, { editionId: null, key: 'signin', values: { link: created.link, minutes: String(SIGNIN_MINUTES), site: deps.siteName ?? DEFAULT_SITE_NAME }, to: { address: email }, replyTo: null });
  });
}

const NOT_VALID = 'This sign-in link is not valid. Ask for a new one.';

/** The row of a sign-in link's token, with what decides whether it still works. */
function linkRow(db: Kysely<Database> | Transaction<Database>, token: string) {
  return db
    .selectFrom('signin_tokens')
    .innerJoin('committee_accounts', 'committee_accounts.id', 'signin_tokens.account_id')
    .select(['signin_tokens.id', 'signin_tokens.account_id', 'signin_tokens.expires_at', 'signin_tokens.used_at', 'committee_accounts.email', 'committee_accounts.disabled_at'])
    .where('token_hash', '=', hashSecret(token));
}

/** Why a link no longer works, in words for its owner, or null when it does. */
function linkProblem(row: { used_at: Date | null; expires_at: Date; disabled_at: Date | null } | undefined, now: Date): string | null {
  if (!row || row.disabled_at) return NOT_VALID;
  if (row.used_at) return 'This sign-in link has been used already. Each link works once: ask for a new one.';
  if (row.expires_at <= now) return `This sign-in link has expired (links work for ${SIGNIN_MINUTES} minutes). Ask for a new one.`;
  return null;
}

/**
 * Whether a sign-in link still works, without using it (LinkInvalid when not): its page says so
 * at once, rather than offering a button that can only fail.
 */
export async function checkSignin(deps: Pick<SigninDeps, 'db' | 'clock'>, token: string): Promise<void> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw new LinkInvalid(NOT_VALID);
  const problem = linkProblem(await linkRow(deps.db, token).executeTakeFirst(), deps.clock());
  if (problem) throw new LinkInvalid(problem);
}

/** Uses a sign-in link once; returns a new session's secret (for the cookie) and its account. */
export async function consumeSignin(
  deps: SigninDeps,
  input: { token: string; userAgent?: string | null },
): Promise<{ session: string; accountId: number; expiresAt: Date }> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(input.token)) throw new LinkInvalid(NOT_VALID);
  return deps.db.transaction().execute(async (trx) => {
    const row = await linkRow(trx, input.token).forUpdate().executeTakeFirst();
    const now = deps.clock();
    const problem = linkProblem(row, now);
    if (problem || !row) throw new LinkInvalid(problem ?? NOT_VALID);
    await trx.updateTable('signin_tokens').set({ used_at: now }).where('id', '=', row.id).execute();
    const session = newSecret();
    const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86_400_000);
    await trx
      .insertInto('sessions')
      .values({ id_hash: hashSecret(session), account_id: row.account_id, created_at: now, last_seen_at: now, expires_at: expiresAt, user_agent: input.userAgent?.slice(0, 300) ?? null })
      .execute();
    await recordAudit(trx, { accountId: row.account_id, label: row.email }, { action: 'session.signin', entity: 'committee_account', entityId: row.account_id });
    return { session, accountId: row.account_id, expiresAt };
  });
}

/**
 * A create form saved once. Each rendered create form carries a one-time key (newFormKey); its
 * write records the key in its own transaction (form_sends), with where the send led. The same
 * form sent again (Back and send, a double click, a request retried) finds the key and writes
 * nothing: it is led where the first send was. A send whose write fails (a field refused) is
 * rolled back with its key, so the corrected form can still be sent. A form without a key (a page
 * older than the keys, a script) is saved as before, each time it is sent.
 *
 * On PostgreSQL two sends of one key at once meet at the key's primary key: the second waits for
 * the first's transaction, then writes nothing if it committed, or takes the key if it was
 * rolled back. PGlite runs one transaction at a time.
 */
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { joinTransaction } from '../db/join-transaction.js';

/** How long a key is kept: a form sent again after that is saved again. */
export const FORM_KEY_DAYS = 3;

/** A key as newFormKey makes it: 128 random bits, base64url. */
const KEY_SHAPE = /^[A-Za-z0-9_-]{22}$/;

/** A new key for a rendered create form (its hidden field). */
export function newFormKey(): string {
  return randomBytes(16).toString('base64url');
}

/** The key a form sent, when it is one newFormKey could have made; else none (saved as before). */
export function formKeyOf(body: unknown): string | undefined {
  const v = (body as Record<string, unknown> | null | undefined)?.[FORM_KEY_FIELD];
  return typeof v === 'string' && KEY_SHAPE.test(v) ? v : undefined;
}

/** The hidden field's name. */
export const FORM_KEY_FIELD = '_once';

/** What a send did: the write's result and where it led, or, sent again, where the first led. */
export type SentOnce<T> = { again: false; result: T; landing: string } | { again: true; landing: string };

/**
 * Runs `write` once for `key`: in one transaction with the key's record, the write's own
 * transactions joined to it (as savepoints), so that the row and the key commit together. The
 * write gets the database to use and returns its result and where the send leads. Without a
 * key, `write` runs as it would alone.
 */
export async function saveOnce<T>(
  deps: { db: Kysely<Database> },
  key: string | undefined,
  write: (db: Kysely<Database>) => Promise<{ result: T; landing: string }>,
): Promise<SentOnce<T>> {
  if (key === undefined) return { again: false, ...(await write(deps.db)) };
  const out = await deps.db.transaction().execute(async (trx): Promise<SentOnce<T>> => {
    const taken = await trx.insertInto('form_sends').values({ key, landing: '' }).onConflict((oc) => oc.column('key').doNothing()).returning('key').executeTakeFirst();
    if (!taken) {
      const first = await trx.selectFrom('form_sends').select('landing').where('key', '=', key).executeTakeFirstOrThrow();
      return { again: true, landing: first.landing };
    }
    const done = await write(joinTransaction(trx));
    await trx.updateTable('form_sends').set({ landing: done.landing }).where('key', '=', key).execute();
    return { again: false, ...done };
  });
  if (!out.again) await pruneFormKeys(deps.db);
  return out;
}

/** Forgets the keys older than FORM_KEY_DAYS (by their index, after a first send: cheap). */
export async function pruneFormKeys(db: Kysely<Database>): Promise<number> {
  const r = await db.deleteFrom('form_sends').where('created_at', '<', sql<Date>`now() - make_interval(days => ${FORM_KEY_DAYS})`).executeTakeFirst();
  return Number(r.numDeletedRows);
}

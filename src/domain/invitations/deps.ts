/**
 * What every invitation command takes: the database, a clock (so that answer-by dates and
 * reminders can be tested), and what mail needs (BASE_URL for links, the From and Reply-To).
 * Also the actors of writes nobody on the committee made, for the audit log.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import { z } from 'zod';
import type { Database, Edition, InvitationsTable } from '../../db/schema.js';
import type { Actor } from '../audit/record.js';
import { NotFound } from '../errors.js';
import { recordId } from '../validate.js';

export interface InvitationDeps {
  db: Kysely<Database>;
  clock: () => Date;
  /** rsvpAddress: replies to invitations go to its plus-address with the token (docs/inbound-mail.md). */
  mail: { baseUrl: string; from: string; replyTo?: string | null; rsvpAddress?: string | null | undefined };
}

export type InvitationRow = Selectable<InvitationsTable>;
export type { Edition };

/** The transaction a command runs in (never the outer db inside it: PGlite would hang). */
export type Trx = Transaction<Database>;

/** Automatic writes: expiry and promotion from the waiting list. */
export const SYSTEM: Actor = { accountId: null, label: 'system' };

/** The invitee, acting through their personal link. */
export function inviteeActor(email: string): Actor {
  return { accountId: null, label: `invitee:${email}` };
}


/** An ISO calendar date, "YYYY-MM-DD", that exists (no February 30). */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date, YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, { error: (iss) => `${String(iss.input)} is not a real date` });

/** A committee member's reason for a revoke or override: required, one paragraph at most. */
export const reason = z.string().trim().min(1, 'a reason is required').max(2000);

export const invitationId = recordId;

/**
 * An invitation asked for by id that is not there (or not of the edition named), said one way on
 * the web and in the terminal: "invitation 12 not found in Netconf 2027".
 */
export function invitationNotFound(ids: number | readonly number[], editionTitle?: string): NotFound {
  const list = [ids].flat();
  return new NotFound(`${list.length === 1 ? 'invitation' : 'invitations'} ${list.join(', ')} not found${editionTitle ? ` in ${editionTitle}` : ''}`);
}

export { parseInput } from '../validate.js';

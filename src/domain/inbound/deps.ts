/**
 * What inbound mail takes: the database, a clock, what mail needs (BASE_URL, From, Reply-To and
 * the RSVP address), the size limit, and where to log a line per message.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, InboundMessagesTable } from '../../db/schema.js';

export interface InboundDeps {
  db: Kysely<Database>;
  clock: () => Date;
  mail: { baseUrl: string; from: string; replyTo?: string | null; rsvpAddress?: string | null };
  /** Largest message acted on, in bytes (default 10 MB). */
  maxBytes?: number;
  /** One line per message: its id, status and reason (never a token). */
  log?: (line: string) => void;
}

export type Trx = Transaction<Database>;
export type InboundRow = Selectable<InboundMessagesTable>;

export const DEFAULT_MAX_INBOUND_BYTES = 10 * 1048576;
/** What is kept of a message refused for its size: its first 64 KiB (headers, the start). */
export const OVERSIZE_KEEP_BYTES = 65536;

/**
 * The mail settings the server last ran with. Mail is rendered when it is written, by whichever
 * process writes it, and sent later by the server: a command run without the server's BASE_URL
 * and MAIL_* in its environment (`conclave edition update 2027 --cap 20` at a terminal) wrote
 * mail whose links pointed at http://localhost:3000 and whose Reply-To was not the RSVP address,
 * and the server then sent it. `conclave serve` records its settings here as it starts; a
 * command takes each setting its own environment does not give from them.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

export interface ServerMail {
  baseUrl: string;
  from: string;
  replyTo: string;
  rsvpAddress: string | null;
}

const NAMES = { baseUrl: 'base_url', from: 'mail_from', replyTo: 'mail_reply_to', rsvpAddress: 'mail_rsvp_address' } as const;

/** Records the settings a server runs with, replacing what the one before recorded. */
export async function recordServerMail(db: Kysely<Database>, mail: { baseUrl: string; from: string; replyTo?: string | null; rsvpAddress?: string | null }, now: Date): Promise<void> {
  const rows = Object.entries(NAMES).map(([key, name]) => ({ name, value: mail[key as keyof ServerMail] ?? null, updated_at: now }));
  await db
    .insertInto('server_settings')
    .values(rows)
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), updated_at: eb.ref('excluded.updated_at') })))
    .execute();
}

/** What the server last ran with; empty when no server has run on this database. */
export async function serverMail(db: Kysely<Database>): Promise<Partial<ServerMail>> {
  const rows = await db.selectFrom('server_settings').select(['name', 'value']).where('name', 'in', Object.values(NAMES)).execute();
  const out: Partial<ServerMail> = {};
  for (const [key, name] of Object.entries(NAMES) as [keyof ServerMail, string][]) {
    const row = rows.find((r) => r.name === name);
    if (!row) continue;
    if (key === 'rsvpAddress') out.rsvpAddress = row.value;
    else if (row.value !== null) out[key] = row.value;
  }
  return out;
}

/**
 * The mail settings the server last ran with. Mail is rendered when it is written, by whichever
 * process writes it, and sent later by the server: a command run without the server's BASE_URL
 * and MAIL_* in its environment (`conclave edition update 2027 --cap 20` at a terminal) wrote
 * mail whose links pointed at http://localhost:3000 and whose Reply-To was not the RSVP address,
 * and the server then sent it. `conclave serve` records its settings here as it starts; a
 * command takes each setting its own environment does not give from them.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

export interface ServerMail {
  baseUrl: string;
  from: string;
  replyTo: string;
  rsvpAddress: string | null;
  /** The site's name (siteNameOf), which mail and pages give. */
  siteName: string;
}

const NAMES = { baseUrl: 'base_url', from: 'mail_from', replyTo: 'mail_reply_to', rsvpAddress: 'mail_rsvp_address', siteName: 'site_name' } as const;

/** Records the settings a server runs with, replacing what the one before recorded. */
export async function recordServerMail(db: Kysely<Database>, mail: { baseUrl: string; from: string; replyTo?: string | null; rsvpAddress?: string | null; siteName?: string }, now: Date): Promise<void> {
  await upsert(db, Object.entries(NAMES).map(([key, name]) => ({ name, value: mail[key as keyof ServerMail] ?? null, updated_at: now })));
}

/** Writes settings by name, replacing what was recorded under those names. */
async function upsert(db: Kysely<Database>, rows: { name: string; value: string | null; updated_at: Date }[]): Promise<void> {
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

/**
 * How the server sends the outbox: over SMTP (its address without user or password), into a
 * local mailbox (its directory), or not at all (`serve --no-mail-worker`: commands send). A
 * command that sends mail itself (`conclave mail send`) takes it into account: without SMTP_URL
 * of its own it would otherwise write a server's SMTP mail into a mailbox nobody reads.
 */
export type ServerTransport = { kind: 'smtp'; where: string } | { kind: 'mailbox'; dir: string } | { kind: 'none' };

const TRANSPORT = 'mail_transport';

/** An SMTP URL as it may be shown: scheme, host and port, no user, password or options. */
export function smtpWhere(smtpUrl: string): string {
  try {
    const u = new URL(smtpUrl);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'the SMTP_URL';
  }
}

export async function recordServerTransport(db: Kysely<Database>, t: ServerTransport, now: Date): Promise<void> {
  const value = t.kind === 'smtp' ? `smtp ${t.where}` : t.kind === 'mailbox' ? `mailbox ${t.dir}` : 'none';
  await upsert(db, [{ name: TRANSPORT, value, updated_at: now }]);
}

/** How the server last run on this database sends mail; undefined when none has run since this was recorded. */
export async function serverTransport(db: Kysely<Database>): Promise<ServerTransport | undefined> {
  const row = await db.selectFrom('server_settings').select('value').where('name', '=', TRANSPORT).executeTakeFirst();
  const m = row?.value ? /^(smtp|mailbox|none)(?: (.*))?$/.exec(row.value) : null;
  if (!m) return undefined;
  if (m[1] === 'smtp') return { kind: 'smtp', where: m[2] ?? 'the SMTP_URL' };
  if (m[1] === 'mailbox' && m[2]) return { kind: 'mailbox', dir: m[2] };
  return { kind: 'none' };
}

/**
 * An embedded database copied into PostgreSQL (`conclave db move-to-postgres`) keeps its rows,
 * but the uploaded files it shares with that database serve the copy from then on: what it says
 * of them (which are unrecorded) is stale. The move records where it went.
 */
export async function recordMovedTo(db: Kysely<Database>, where: string, now: Date): Promise<void> {
  await upsert(db, [{ name: 'moved_to', value: where, updated_at: now }]);
}

/**
 * Where this database was moved to, and when; undefined if it never was (or it is new, not yet
 * migrated: a restore opens it so).
 */
export async function movedTo(db: Kysely<Database>): Promise<{ where: string; at: Date } | undefined> {
  const made = await sql<{ t: string | null }>`select to_regclass('server_settings')::text as t`.execute(db);
  if (!made.rows[0]?.t) return undefined;
  const row = await db.selectFrom('server_settings').select(['value', 'updated_at']).where('name', '=', 'moved_to').executeTakeFirst();
  return row?.value ? { where: row.value, at: new Date(row.updated_at) } : undefined;
}

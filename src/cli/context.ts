/**
 * What every command needs: the configuration, an open database (closed afterwards), the actor
 * for the audit log, and JSON or text output.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { committeeFrom, ConfigError, loadConfig, type Config } from '../config.js';
import { openDb, type Db } from '../db/connect.js';
import type { Actor } from '../domain/audit/record.js';
import { InvalidInput } from '../domain/errors.js';
import { siteNameOf } from '../domain/editions/site-name.js';
import type { InvitationDeps } from '../domain/invitations/deps.js';
import { movedTo, serverMail } from '../domain/mail/server-settings.js';
import { webUrl } from '../domain/validate.js';
import { terminalText } from './terminal-text.js';
import { UsageError } from './usage-error.js';

export async function withDb<T>(fn: (handle: Db, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const handle = await openInUse(config);
  try {
    return await fn(handle, config);
  } finally {
    await handle.close();
  }
}

/**
 * Opens the configured database as openDb does, refusing an embedded one that `conclave db
 * move-to-postgres` copied into PostgreSQL: it is stale from then on, and a server or a command
 * run on it without DATABASE_URL (forgotten in a shell, a unit) served the old rows, wrote to them,
 * and sent its queued mail a second time. Only `backup` and the `db` commands still open it.
 */
export async function openInUse(config: Config, opts?: Parameters<typeof openDb>[1]): Promise<Db> {
  const handle = await openDb(config, opts);
  try {
    await refuseMoved(handle, config);
    return handle;
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** Throws movedAway when `handle` is an embedded database moved to PostgreSQL (which is stale). */
export async function refuseMoved(handle: Db, config: Config): Promise<void> {
  const moved = handle.kind === 'pglite' ? await movedTo(handle.db) : undefined;
  if (moved) throw movedAway(config, moved);
}

/** What an embedded database moved to PostgreSQL says to a command that would use it. */
function movedAway(config: Config, moved: { where: string; at: Date }): ConfigError {
  return new ConfigError(
    `the embedded database in ${config.dataDir} was moved to ${moved.where} on ${moved.at.toISOString().slice(0, 10)} (conclave db move-to-postgres) and is no longer used: ` +
      `set DATABASE_URL=${moved.where} (with its password) to use that one. ` +
      'This old copy is only read by `conclave backup FILE`; to use it anyway, restore that backup into a PostgreSQL database of its own (its queued mail would be sent again: serve it with --no-mail-worker)',
  );
}

/** What invitation commands (and edits that move the waiting list) take: clock and mail settings. */
export async function invitationDeps(handle: Db, config: Config): Promise<InvitationDeps> {
  return { db: handle.db, clock: () => new Date(), mail: await commandMail(handle, config) };
}

/**
 * The mail settings of this process's configuration: the server's own. Without MAIL_FROM, the
 * From is the committee of `siteName` (siteNameOf, which knows the archive's series).
 */
export function mailSettings(config: Config, siteName?: string): InvitationDeps['mail'] {
  const from = config.given.mailFrom || siteName === undefined ? config.mailFrom : committeeFrom(siteName, config.baseUrl);
  const replyTo = config.given.mailReplyTo || config.given.mailFrom || siteName === undefined ? config.mailReplyTo : from;
  return { baseUrl: config.baseUrl, from, replyTo, rsvpAddress: config.mailRsvpAddress ?? null };
}

/**
 * The mail settings of a command: each one its environment gives, else the one the server last
 * ran with (server-settings.ts), else the default; so that the mail it writes, which the server
 * sends, links to the server's address.
 */
export async function commandMail(handle: Db, config: Config): Promise<InvitationDeps['mail']> {
  const server = await serverMail(handle.db);
  const own = mailSettings(config, await commandSiteName(handle, config, server));
  return {
    baseUrl: (config.given.baseUrl ? undefined : server.baseUrl) ?? own.baseUrl,
    from: (config.given.mailFrom ? undefined : server.from) ?? own.from,
    replyTo: (config.given.mailReplyTo || config.given.mailFrom ? undefined : server.replyTo) ?? own.replyTo,
    rsvpAddress: config.given.mailRsvpAddress || server.rsvpAddress === undefined ? own.rsvpAddress : server.rsvpAddress,
  };
}

/**
 * The site's name for what a command writes (the static export's pages): SITE_NAME of its own
 * environment, else the one the server last ran with, else the only series' name (siteNameOf).
 */
export async function commandSiteName(handle: Db, config: Config, server?: Awaited<ReturnType<typeof serverMail>>): Promise<string> {
  return siteNameOf(handle.db, config.siteName ?? (server ?? (await serverMail(handle.db))).siteName);
}

/**
 * A `--base-url` as commander reads it, by the domain's rule for an address a page links to
 * (webUrl: http or https, with a host): anything else is bad usage (exit 2), before the database
 * is opened. Not given, siteBaseUrl's default applies.
 */
export function baseUrlValue(value: string): string {
  const r = webUrl().safeParse(value);
  if (!r.success) throw new UsageError('--base-url', r.error.issues[0]!.message);
  return r.data;
}

/**
 * The running site's address, under which exported files keep their absolute links: `--base-url`
 * when given, else the one commands take for mail (commandMail: BASE_URL, else what `conclave
 * serve` last ran with on this database, else http://HOST:PORT of this environment).
 */
export async function siteBaseUrl(handle: Db, config: Config, given: string | undefined): Promise<string> {
  return given ?? (await commandMail(handle, config)).baseUrl;
}

/**
 * The person at the terminal, as the audit log names them. Run through sudo, as docs/deploy.md
 * has every command run (`sudo -u conclave …`), the account is the same for the whole committee:
 * the log names the one who typed it, and the account (`cli:alice as conclave`).
 */
export function cliActor(env: NodeJS.ProcessEnv = process.env): Actor {
  let user = env.USER ?? env.LOGNAME;
  if (!user) {
    try {
      user = os.userInfo().username;
    } catch {
      user = 'unknown';
    }
  }
  const typedBy = env.SUDO_USER;
  return { accountId: null, label: typedBy && typedBy !== user ? `cli:${typedBy} as ${user}` : `cli:${user}` };
}

/**
 * For a command that reads an embedded database made before (a backup, a move): refuses a
 * CONCLAVE_DATA that holds none, which opening it would make, empty (a typo would otherwise back
 * up, or move over PostgreSQL, nothing).
 */
export function existingDatabase(config: Config, what: string): void {
  if (config.databaseUrl || fs.existsSync(path.join(config.dataDir, 'pgdata'))) return;
  throw new InvalidInput('CONCLAVE_DATA', `${config.dataDir} holds no database: ${what} (is it the directory \`conclave serve\` uses?)`);
}

/** Prints `data` as JSON with --json, else as the given lines. */
/** A row's id as typed ("12" or "#12"); else bad usage (exit 2) on `field` saying `"x" ${notA}`. */
export function idArgument(value: string, field: string, notA: string): number {
  const n = Number(value.replace(/^#/, ''));
  if (!/^#?\d{1,9}$/.test(value) || n <= 0) throw new UsageError(field, `"${value}" ${notA}`);
  return n;
}

/**
 * idArgument as commander's parser of an argument or option: checked as the command line is read,
 * before any database is opened; the value stays as typed. For a variadic argument ("[ids...]")
 * it gathers them.
 */
export function idValue(field: string, notA: string): (value: string) => string {
  return (value) => {
    idArgument(value, field, notA);
    return value;
  };
}

export function idValues(field: string, notA: string): (value: string, previous?: string[]) => string[] {
  return (value, previous = []) => [...previous, idValue(field, notA)(value)];
}

export { yearArgument } from './usage-error.js';

export function output(json: boolean | undefined, data: unknown, lines: () => string[]): void {
  if (json) console.log(JSON.stringify(data, null, 2));
  // Lines carry stored text (a stranger's mail, an invitee's title): nothing a terminal acts on.
  else for (const l of lines()) console.log(terminalText(l));
}

export { table } from './table.js';

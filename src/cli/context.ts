/**
 * What every command needs: the configuration, an open database (closed afterwards), the actor
 * for the audit log, and JSON or text output.
 */
import os from 'node:os';
import { loadConfig, type Config } from '../config.js';
import { openDb, type Db } from '../db/connect.js';
import type { Actor } from '../domain/audit/record.js';
import { InvalidInput } from '../domain/errors.js';
import type { InvitationDeps } from '../domain/invitations/deps.js';

export async function withDb<T>(fn: (handle: Db, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const handle = await openDb(config);
  try {
    return await fn(handle, config);
  } finally {
    await handle.close();
  }
}

/** What invitation commands (and edits that move the waiting list) take: clock and mail settings. */
export function invitationDeps(handle: Db, config: Config): InvitationDeps {
  return { db: handle.db, clock: () => new Date(), mail: mailSettings(config) };
}

/** The mail settings every command that writes mail takes from the configuration. */
export function mailSettings(config: Config): InvitationDeps['mail'] {
  return { baseUrl: config.baseUrl, from: config.mailFrom, replyTo: config.mailReplyTo, rsvpAddress: config.mailRsvpAddress ?? null };
}

/** The person at the terminal, as the audit log names them. */
export function cliActor(): Actor {
  let user = process.env.USER ?? process.env.LOGNAME;
  if (!user) {
    try {
      user = os.userInfo().username;
    } catch {
      user = 'unknown';
    }
  }
  return { accountId: null, label: `cli:${user}` };
}

/** Prints `data` as JSON with --json, else as the given lines. */
/** A row's id as typed ("12" or "#12"); else an InvalidInput on `field` saying `"x" ${notA}`. */
export function idArgument(value: string, field: string, notA: string): number {
  const n = Number(value.replace(/^#/, ''));
  if (!Number.isInteger(n) || n <= 0) throw new InvalidInput(field, `"${value}" ${notA}`);
  return n;
}

export function output(json: boolean | undefined, data: unknown, lines: () => string[]): void {
  if (json) console.log(JSON.stringify(data, null, 2));
  else for (const l of lines()) console.log(l);
}

export { table } from './table.js';

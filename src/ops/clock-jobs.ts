/**
 * The hourly clock jobs (reminders, then expiry of unanswered invitations), run by one process at
 * a time: with several workers or servers on one PostgreSQL database, each hour every process
 * tries a session advisory lock and only the one holding it runs the jobs, so no reminder goes
 * out twice. The embedded database serves one process, which needs no lock.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { DbKind } from '../db/connect.js';
import { expireOverdue, sendReminders } from '../domain/invitations/reminders.js';

/** An arbitrary constant naming the lock ("conclave clock" in ASCII, folded into 63 bits). */
const CLOCK_LOCK = 0x636c6f636b;

export interface ClockDeps {
  db: Kysely<Database>;
  kind: DbKind;
  clock: () => Date;
  mail: { baseUrl: string; from: string; replyTo?: string | null };
}

/** Runs the jobs unless another process is running them; says whether this one did. */
export async function runClockJobs(deps: ClockDeps): Promise<boolean> {
  const jobs = async () => {
    await sendReminders(deps);
    await expireOverdue(deps);
  };
  if (deps.kind !== 'postgres') {
    await jobs();
    return true;
  }
  // The lock lives on one connection for as long as the jobs run (on other connections).
  return deps.db.connection().execute(async (conn) => {
    const got = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${CLOCK_LOCK}) as ok`.execute(conn);
    if (!got.rows[0]?.ok) return false;
    try {
      await jobs();
      return true;
    } finally {
      await sql`select pg_advisory_unlock(${CLOCK_LOCK})`.execute(conn);
    }
  });
}

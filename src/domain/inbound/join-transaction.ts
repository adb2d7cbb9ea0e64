/**
 * One transaction per inbound message: recording it, acting on it (an answer, a topic) and
 * queuing the reply commit together or not at all. The commands it calls (acceptInvitation,
 * proposeTopic …) open their own transaction; joinTransaction hands them a database whose
 * `transaction()` runs inside the caller's instead, as a savepoint, so that a command that
 * fails is rolled back alone and the message is still recorded with the reason.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

let next = 0;

/** A Kysely whose transactions are savepoints of `trx` (every other call goes to `trx`). */
export function joinTransaction(trx: Transaction<Database>): Kysely<Database> {
  const nested = {
    execute: async <T>(fn: (t: Transaction<Database>) => Promise<T>): Promise<T> => {
      const name = sql.id(`inbound_${++next}`);
      await sql`savepoint ${name}`.execute(trx);
      try {
        const out = await fn(trx);
        await sql`release savepoint ${name}`.execute(trx);
        return out;
      } catch (err) {
        await sql`rollback to savepoint ${name}`.execute(trx);
        throw err;
      }
    },
  };
  return new Proxy(trx, {
    get(target, prop) {
      if (prop === 'transaction') return () => nested;
      // Kysely keeps its state in private fields: methods must run on the real object.
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  }) as unknown as Kysely<Database>;
}

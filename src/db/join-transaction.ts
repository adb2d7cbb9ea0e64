/**
 * Domain commands (acceptInvitation, proposeTopic, addSlot …) each open their own transaction.
 * A caller that must commit one together with writes of its own hands it joinTransaction's
 * database, whose `transaction()` runs inside the caller's as a savepoint: an inbound message
 * is recorded, acted on and answered at once, a failed command rolled back alone with the
 * message still recorded (domain/inbound/act.ts); a create form's one-time key commits with the
 * row it made (domain/form-once.ts).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

let next = 0;

/** A Kysely whose transactions are savepoints of `trx` (every other call goes to `trx`). */
export function joinTransaction(trx: Transaction<Database>): Kysely<Database> {
  const nested = {
    execute: async <T>(fn: (t: Transaction<Database>) => Promise<T>): Promise<T> => {
      const name = sql.id(`joined_${++next}`);
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

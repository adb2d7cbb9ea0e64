/**
 * The database as the export reads it: one read-only snapshot of the whole archive, with the
 * answers to repeated queries remembered.
 *
 * The export asks the app for thousands of pages, and the app's loaders ask the database the same
 * questions many times over (an edition is loaded for its page, its JSON and each schedule file;
 * every person page reads the list of editions). Inside one read-only repeatable-read transaction
 * nothing can change, so an answer given once is the answer: it is kept (the most recent
 * `capacity` answers) and handed out again as a copy (of the list and each row). Transactions the loaders open inside are
 * already covered by the snapshot and become no-ops.
 */
import {
  CompiledQuery,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type Transaction,
} from 'kysely';
import type { Database } from '../db/schema.js';

export interface QueryStats {
  /** Queries sent to the database. */
  asked: number;
  /** Queries answered from memory. */
  remembered: number;
}

class SnapshotConnection implements DatabaseConnection {
  private readonly answers = new Map<string, Promise<QueryResult<unknown>>>();

  constructor(
    private readonly trx: Transaction<Database>,
    private readonly capacity: number,
    readonly stats: QueryStats,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const key = `${query.sql}\u0000${JSON.stringify(query.parameters)}`;
    let answer = this.answers.get(key);
    if (answer) {
      this.stats.remembered++;
      // Most recently used last: the Map's order is the eviction order.
      this.answers.delete(key);
    } else {
      this.stats.asked++;
      answer = this.trx.executeQuery(CompiledQuery.raw(query.sql, [...query.parameters]));
      // A failed query is not remembered (it would fail the same way, but say so each time).
      answer.catch(() => this.answers.delete(key));
    }
    this.answers.set(key, answer);
    if (this.answers.size > this.capacity) this.answers.delete(this.answers.keys().next().value!);
    // Callers may change what they get (a loader empties a hidden edition's slot list): a copy
    // of the list and of each row (a deep copy costs more than the query saved).
    const r = await answer;
    return { ...r, rows: r.rows.map((row) => ({ ...(row as object) })) as R[] };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('the export snapshot does not stream');
  }
}

class SnapshotDriver implements Driver {
  constructor(private readonly connection: SnapshotConnection) {}
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }
  // The snapshot is one transaction already: a loader's own transaction adds nothing.
  async beginTransaction(): Promise<void> {}
  async commitTransaction(): Promise<void> {}
  async rollbackTransaction(): Promise<void> {}
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

/**
 * Runs `fn` with a database that reads one read-only snapshot of `db` and remembers answers.
 * Any write inside fails (the transaction is read only): the export never changes anything.
 */
export async function withSnapshot<T>(
  db: Kysely<Database>,
  fn: (snapshot: Kysely<Database>, stats: QueryStats) => Promise<T>,
  opts: { capacity?: number } = {},
): Promise<T> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      await trx.executeQuery(CompiledQuery.raw('set transaction read only'));
      const stats: QueryStats = { asked: 0, remembered: 0 };
      const connection = new SnapshotConnection(trx, opts.capacity ?? 5000, stats);
      const snapshot = new Kysely<Database>({
        dialect: {
          createAdapter: () => new PostgresAdapter(),
          createDriver: () => new SnapshotDriver(connection),
          createIntrospector: (k) => new PostgresIntrospector(k),
          createQueryCompiler: () => new PostgresQueryCompiler(),
        },
      });
      try {
        return await fn(snapshot, stats);
      } finally {
        await snapshot.destroy();
      }
    });
}

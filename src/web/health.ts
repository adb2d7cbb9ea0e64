/**
 * /healthz: the process is alive and answering (no database involved, for a liveness probe).
 * /readyz: it can serve — the database answers and its schema is the one this program expects —
 * and it is not shutting down; 503 with the reason otherwise, for nginx or a load balancer.
 */
import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export interface Readiness {
  /** Migrations this program applied or found at start: the schema it was built for. */
  expectedMigrations?: readonly string[];
  /** True once a shutdown has begun. */
  draining?: () => boolean;
}

/** Why the database cannot be served from, or null when it can. */
export async function notReadyBecause(db: Kysely<Database>, r: Readiness): Promise<string | null> {
  if (r.draining?.()) return 'shutting down';
  let names: string[];
  try {
    const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
    names = rows.rows.map((x) => x.name);
  } catch (err) {
    return `database unreachable or not migrated: ${(err as Error).message}`;
  }
  if (r.expectedMigrations) {
    const have = new Set(names);
    const missing = r.expectedMigrations.filter((m) => !have.has(m));
    if (missing.length) return `database schema is older than this program (missing ${missing.join(', ')}); run conclave db migrate`;
    const expected = new Set(r.expectedMigrations);
    const extra = names.filter((m) => !expected.has(m));
    if (extra.length) return `database schema is newer than this program (has ${extra.join(', ')}); upgrade conclave`;
  }
  return null;
}

export function healthRoutes(app: FastifyInstance, db: Kysely<Database>, r: Readiness): void {
  app.get('/healthz', { logLevel: 'warn' }, async (_req, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));
  app.get('/readyz', { logLevel: 'warn' }, async (_req, reply) => {
    const why = await notReadyBecause(db, r);
    reply.header('cache-control', 'no-store');
    if (why) return reply.status(503).send({ status: 'unavailable', reason: why });
    return reply.send({ status: 'ready' });
  });
}

/**
 * A page asked for while the PostgreSQL server does not answer is a 503 with Retry-After and a
 * short plain answer, not a 500: nginx's `error_page 502 503 504` (docs/deploy.md) then serves
 * the static export in its place. Errors of any other kind stay 500.
 */
import net from 'node:net';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/schema.js';
import { buildApp } from '../src/web/app.js';
import { databaseUrl } from './support/pg-admin.js';

const adminUrl = process.env.TEST_DATABASE_URL;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function appOn(url: string) {
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url }) }) });
  const app = await buildApp({ db });
  closers.push(async () => {
    await app.close();
    await db.destroy();
  });
  return app;
}

/** A local port nothing listens on (one just given up). */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe('a page while the database server does not answer', () => {
  it('is a 503 with Retry-After and a short plain answer', async () => {
    const app = await appOn(`postgres://postgres@127.0.0.1:${await closedPort()}/none`);
    for (const url of ['/', '/people/', '/editions.json']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(503);
      expect(res.headers['retry-after']).toBe('10');
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(res.body).toBe('The database is unreachable; try again shortly.\n');
    }
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
  });
});

describe.skipIf(!adminUrl)('a page that fails for another reason', () => {
  it('stays a 500', async () => {
    // A database that does not exist: the server answers, and waiting will not mend it.
    const app = await appOn(databaseUrl(adminUrl!, 'conclave_no_such_database'));
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(500);
    expect(res.headers['retry-after']).toBeUndefined();
  });
});

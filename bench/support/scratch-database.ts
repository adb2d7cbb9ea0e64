/**
 * A new database on the PostgreSQL server of `url`, for one benchmark run: made empty, opened,
 * and dropped when its handle is closed.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPostgres, type Db } from '../../src/db/connect.js';

async function onServer(url: string, statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

export async function openScratchPostgres(url: string): Promise<Db> {
  const name = `conclave_bench_${randomBytes(4).toString('hex')}`;
  await onServer(url, `create database ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const handle = await openPostgres(u.toString());
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await onServer(url, `drop database if exists ${name} with (force)`);
    },
  };
}

/** Making and dropping PostgreSQL databases for tests, each statement on a connection of its own. */
import pg from 'pg';

/** Runs one statement (`create database …`, `drop database …`) on its own connection to `url`. */
export async function adminQuery(url: string, statement: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}

/** `url` naming the database `name` instead of its own. */
export function databaseUrl(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

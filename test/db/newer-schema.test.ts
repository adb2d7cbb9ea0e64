/**
 * A database that a newer conclave migrated (an upgrade rolled back to the old build, an old
 * checkout pointed at it) is refused by name, on both databases: which migrations this conclave
 * does not know and what to do, not "corrupted migrations" as an unexpected error.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { testDatabases } from '../support/db.js';

describe.each(testDatabases())('a database migrated by a newer conclave on $name', ({ open }) => {
  it('is refused, naming the migrations this conclave does not know', async () => {
    const handle = await open();
    try {
      expect(await migrateToLatest(handle.db)).toEqual([]);
      await sql`insert into kysely_migration (name, timestamp) values ('999-from-the-future', ${new Date('2100-01-01').toISOString()})`.execute(handle.db);
      const refused = migrateToLatest(handle.db);
      await expect(refused).rejects.toBeInstanceOf(ConfigError);
      await expect(refused).rejects.toThrow(
        'the database was migrated by a newer conclave (migrations 999-from-the-future are unknown to this one): run that version, or restore the backup made before the upgrade into an empty database',
      );
    } finally {
      await handle.close();
    }
  });
});

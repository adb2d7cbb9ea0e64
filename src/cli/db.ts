import { Command } from 'commander';
import { loadConfig } from '../config.js';
import { openDb } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';

export function dbCommand(): Command {
  const db = new Command('db').description('Database maintenance.');
  db.command('migrate')
    .description('Bring the database schema up to date (embedded by default, PostgreSQL with DATABASE_URL).')
    .action(async () => {
      const config = loadConfig();
      const handle = await openDb(config, { migrate: false });
      try {
        const applied = await migrateToLatest(handle.db);
        console.log(applied.length ? `applied ${applied.join(', ')} to ${handle.where}` : `${handle.where} is up to date`);
      } finally {
        await handle.close();
      }
    });
  return db;
}

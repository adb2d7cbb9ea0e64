/**
 * Forward-only migrations, listed here in order so that the compiled program needs no directory
 * scan. Both databases run the same files.
 */
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { ConfigError } from '../config.js';
import * as m001 from './migrations/001-archive.js';
import * as m002 from './migrations/002-mail.js';
import * as m003 from './migrations/003-invitations.js';
import * as m004 from './migrations/004-invitation-tokens.js';
import * as m005 from './migrations/005-logo-thumbnails.js';
import * as m006 from './migrations/006-imported-rows.js';
import * as m007 from './migrations/007-program.js';
import * as m008 from './migrations/008-contributions.js';
import * as m009 from './migrations/009-search.js';
import * as m010 from './migrations/010-inbound.js';
import * as m011 from './migrations/011-cache.js';
import * as m013 from './migrations/013-schedule-notices.js';
import * as m014 from './migrations/014-indexes.js';
import * as m015 from './migrations/015-scan-tips.js';
import * as m016 from './migrations/016-chunk-ids.js';
import * as m017 from './migrations/017-committee-email.js';
import * as m018 from './migrations/018-search-accents.js';
import * as m019 from './migrations/019-server-settings.js';
import * as m020 from './migrations/020-search-slashes.js';
import * as m021 from './migrations/021-audit-by-edition.js';
import * as m022 from './migrations/022-sent-mail-secrets.js';
import * as m023 from './migrations/023-unreferenced-files.js';
import * as m024 from './migrations/024-inbound-secrets.js';
import * as m025 from './migrations/025-slot-end-midnight.js';
import * as m026 from './migrations/026-attendee-affiliation.js';
import * as m027 from './migrations/027-name-keys.js';
import * as m028 from './migrations/028-outbox-invitation.js';
import * as m029 from './migrations/029-slot-guids.js';
import * as m030 from './migrations/030-search-hyphens.js';
import * as m031 from './migrations/031-search-documents.js';
import * as m032 from './migrations/032-search-deferred.js';
import * as m033 from './migrations/033-search-brackets.js';
import * as m034 from './migrations/034-material-thumb-url.js';
import * as m035 from './migrations/035-person-slugs.js';
import * as m036 from './migrations/036-miner-skipped-trailers.js';
import * as m037 from './migrations/037-plain-subjects.js';
import * as m038 from './migrations/038-page-values.js';
import * as m039 from './migrations/039-form-sends.js';
import * as m040 from './migrations/040-reply-keys.js';
import * as m041 from './migrations/041-invitation-held-with.js';

const migrations: Record<string, Migration> = {
  '001-archive': m001,
  '002-mail': m002,
  '003-invitations': m003,
  '004-invitation-tokens': m004,
  '005-logo-thumbnails': m005,
  '006-imported-rows': m006,
  '007-program': m007,
  '008-contributions': m008,
  '009-search': m009,
  '010-inbound': m010,
  '011-cache': m011,
  '013-schedule-notices': m013,
  '014-indexes': m014,
  '015-scan-tips': m015,
  '016-chunk-ids': m016,
  '017-committee-email': m017,
  '018-search-accents': m018,
  '019-server-settings': m019,
  '020-search-slashes': m020,
  '021-audit-by-edition': m021,
  '022-sent-mail-secrets': m022,
  '023-unreferenced-files': m023,
  '024-inbound-secrets': m024,
  '025-slot-end-midnight': m025,
  '026-attendee-affiliation': m026,
  '027-name-keys': m027,
  '028-outbox-invitation': m028,
  '029-slot-guids': m029,
  '030-search-hyphens': m030,
  '031-search-documents': m031,
  '032-search-deferred': m032,
  '033-search-brackets': m033,
  '034-material-thumb-url': m034,
  '035-person-slugs': m035,
  '036-miner-skipped-trailers': m036,
  '037-plain-subjects': m037,
  '038-page-values': m038,
  '039-form-sends': m039,
  '040-reply-keys': m040,
  '041-invitation-held-with': m041,
};

/**
 * The rewrites of rows that migrations do besides changing the schema (a migration's `rewrite`),
 * in order: rows restored from a backup made before a migration never went through it, and
 * need it after the restore (ops/backup.ts).
 */
export function rowRewrites(): { name: string; rewrite: (db: Kysely<any>) => Promise<void> }[] {
  return Object.entries(migrations).flatMap(([name, m]) => {
    const rewrite = (m as Migration & { rewrite?: (db: Kysely<any>) => Promise<void> }).rewrite;
    return rewrite ? [{ name, rewrite }] : [];
  });
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Runs the pending migrations, in one transaction of their own; or, with `inTransaction`, in the
 * one `db` (a single connection) already has open, so that they are undone with what follows
 * them if that fails (a restore into a new database: ops/backup.ts).
 */
export async function migrateToLatest(db: Kysely<any>, opts: { inTransaction?: boolean } = {}): Promise<string[]> {
  const migrator = new Migrator({ db, provider, disableTransactions: !!opts.inTransaction });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    // A database a newer conclave migrated (an upgrade rolled back, an old checkout pointed at
    // it), which Kysely refuses before running anything: said as such, not as "corrupted".
    // Asked only then: every command and start opens the database through here.
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db).catch(() => ({ rows: [] as { name: string }[] }));
    const newer = applied.rows.map((r) => r.name).filter((n) => !(n in migrations));
    if (newer.length) throw new ConfigError(`the database was migrated by a newer conclave (migrations ${newer.join(', ')} are unknown to this one): run that version, or restore the backup made before the upgrade into an empty database`);
    const failed = results?.find((r) => r.status === 'Error');
    const msg = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${msg}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

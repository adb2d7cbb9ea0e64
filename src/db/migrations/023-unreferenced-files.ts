import { sql, type Kysely } from 'kysely';

/**
 * Until a file was released with its last reference (src/domain/files/store.ts), a removed
 * material's file, a replaced group photo and a removed sponsor's logo kept their rows, and so
 * were still served at /files/<sha256>. Their rows go; their bytes stay on disk, unrecorded:
 * neither served nor backed up.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await rewrite(db);
}

/** The whole migration is a rewrite of rows: also run on rows restored from a backup made before it. */
export async function rewrite(db: Kysely<any>): Promise<void> {
  await sql`delete from files f
    where not exists (select 1 from materials m where m.file_sha256 = f.sha256 or m.thumb_sha256 = f.sha256)
      and not exists (select 1 from sponsors s where s.logo_sha256 = f.sha256 or s.logo_thumb_sha256 = f.sha256)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

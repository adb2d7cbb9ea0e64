import { sql, type Kysely } from 'kysely';

/**
 * The mail settings the server last ran with (BASE_URL, MAIL_FROM, MAIL_REPLY_TO,
 * MAIL_RSVP_ADDRESS), recorded by `conclave serve`: a command run without them in its
 * environment writes its mail with the server's, not with links to http://localhost:3000.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('server_settings')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

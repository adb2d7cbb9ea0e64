import { sql, type Kysely } from 'kysely';

/**
 * A slot may end at midnight, written 24:00 as a day's end already may be. Until now a slot that
 * ran until midnight was stored as ending at 23:59: a minute short in the calendar files, and a
 * minute shorter again after every move, which keeps a slot's length.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table slots drop constraint slots_end_time_check`.execute(db);
  await sql`alter table slots add constraint slots_end_time_check check (end_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' or end_time = '24:00')`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

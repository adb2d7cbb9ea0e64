import { sql, type Kysely } from 'kysely';
import { schemeNames, uidSchemeOf } from '../../domain/exports/schedule.js';

/**
 * A slot's guid in the schedule exports (the iCalendar UID, the frab guid) and its frab numeric
 * id were made at each render from its edition's scheme: by date and place on the day while the
 * edition was imported from a page and its schedule not published from conclave, by database id
 * after. So inserting a slot early in a day gave every later slot of the day another UID (a
 * calendar deleted and re-created them, or updated the wrong one), and publishing the schedule
 * from conclave gave every slot another. Each slot now keeps its own, stored: the columns are
 * added and filled with what the scheme gives today, so that no subscriber sees a change.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('slots').addColumn('guid', 'text').addColumn('numeric_id', 'integer').execute();
  await rewrite(db);
}

/**
 * Fills the slots without their names (all of them when the migration runs, those of a backup
 * made before it when restored) with what their edition's scheme gives them.
 */
export async function rewrite(db: Kysely<any>): Promise<void> {
  const editions = (await db
    .selectFrom('editions')
    .innerJoin('series', 'series.id', 'editions.series_id')
    .select(['editions.id', 'editions.year', 'editions.source_file', 'editions.schedule_published_at', 'series.slug'])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('slots')
          .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
          .select(sql.lit(1).as('one'))
          .whereRef('agenda_days.edition_id', '=', 'editions.id')
          .where((w) => w.or([w('slots.guid', 'is', null), w('slots.numeric_id', 'is', null)])),
      ),
    )
    .orderBy('editions.id')
    .execute()) as { id: number; year: number; source_file: string | null; schedule_published_at: Date | null; slug: string }[];
  for (const e of editions) {
    const scheme = uidSchemeOf(e);
    // The days in agenda order, as the exports read them; a day's index counts only days with slots.
    const days = (await db.selectFrom('agenda_days').select(['id', 'date']).where('edition_id', '=', e.id).orderBy('position').orderBy('id').execute()) as {
      id: number;
      date: string;
    }[];
    const slots = (await db
      .selectFrom('slots')
      .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
      .select(['slots.id', 'slots.day_id', 'slots.position', 'slots.guid', 'slots.numeric_id'])
      .where('agenda_days.edition_id', '=', e.id)
      .execute()) as { id: number; day_id: number; position: number; guid: string | null; numeric_id: number | null }[];
    let listedIndex = 0;
    for (const d of days) {
      const own = slots.filter((s) => s.day_id === d.id);
      if (own.length === 0) continue;
      for (const s of own) {
        if (s.guid !== null && s.numeric_id !== null) continue;
        const names = schemeNames(scheme, e.slug, e.year, { id: s.id, date: d.date, listedIndex, position: s.position });
        await db
          .updateTable('slots')
          .set({ guid: s.guid ?? names.guid, numeric_id: s.numeric_id ?? names.numericId })
          .where('id', '=', s.id)
          .execute();
      }
      listedIndex++;
    }
  }
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

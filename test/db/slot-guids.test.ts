/**
 * Migration 029: each slot's guid and frab numeric id are stored, filled with what its edition's
 * scheme gave it until then (by page place for an imported agenda not published from conclave,
 * by slot id for the others), so that the schedule files of a database holding data come out
 * byte for byte as before.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { rowRewrites } from '../../src/db/migrate.js';
import { rewrite, up } from '../../src/db/migrations/029-slot-guids.js';
import { bundledPages } from '../../src/domain/archive/bundled.js';
import { importPages } from '../../src/domain/archive/import-pages.js';
import { renderIcs } from '../../src/domain/exports/ical.js';
import { loadSchedule } from '../../src/domain/exports/schedule.js';
import { renderScheduleJson } from '../../src/domain/exports/schedule-json.js';
import { renderScheduleXml } from '../../src/domain/exports/schedule-xml.js';
import { uuid5 } from '../../src/domain/exports/uuid.js';
import { BASE_URL, makeEdition, SERIES } from '../exports/fixtures.js';
import { testDatabases } from '../support/db.js';

describe.each(testDatabases())('migration 029 on $name', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => {
    await handle?.close();
  });

  const editions: [string, number][] = [
    ['netconf', 2015],
    ['netconf', 2014],
    [SERIES, 2101],
  ];
  /** Every schedule file of the editions, as the app serves them. */
  const files = async () => {
    const out: string[] = [];
    for (const [series, year] of editions) {
      const s = await loadSchedule({ db: handle.db }, series, year);
      out.push(renderIcs(s, { baseUrl: BASE_URL }), renderScheduleXml(s, { baseUrl: BASE_URL }), renderScheduleJson(s, { baseUrl: BASE_URL }));
    }
    return out;
  };
  const slotsOf = (series: string, year: number) =>
    handle.db
      .selectFrom('slots')
      .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
      .innerJoin('editions', 'editions.id', 'agenda_days.edition_id')
      .innerJoin('series', 'series.id', 'editions.series_id')
      .select(['slots.id', 'slots.position', 'slots.guid', 'slots.numeric_id', 'agenda_days.date'])
      .where('series.slug', '=', series)
      .where('editions.year', '=', year)
      .orderBy('agenda_days.position')
      .orderBy('slots.position')
      .execute();

  it('stores the guids and ids the files gave, and the files stay byte for byte', async () => {
    await importPages({ db: handle.db }, bundledPages());
    await makeEdition(handle.db, { year: 2101, status: 'tentative' });
    // An imported edition whose schedule was published from conclave: named by slot id.
    await handle.db.updateTable('editions').set({ schedule_published_at: new Date('2099-01-01T00:00:00Z') }).where('year', '=', 2014).execute();
    // The database as before the migration: no such columns.
    await sql`alter table slots drop column guid, drop column numeric_id`.execute(handle.db);
    await sql`alter table slots add column guid text, add column numeric_id integer`.execute(handle.db);
    const before = await files();
    await sql`alter table slots drop column guid, drop column numeric_id`.execute(handle.db);

    await up(handle.db);
    expect(await files()).toEqual(before);

    // Named by date and place on the page, the days with slots counted from 1.
    const imported = await slotsOf('netconf', 2015);
    expect(imported.length).toBeGreaterThan(20);
    const days = [...new Set(imported.map((s) => s.date))];
    for (const s of imported) {
      expect(s.guid).toBe(uuid5(`conclave:slot:netconf/2015/${s.date}/${s.position}`));
      expect(s.numeric_id).toBe((days.indexOf(s.date) + 1) * 1000 + s.position + 1);
    }
    // Named by slot id.
    for (const [series, year] of [['netconf', 2014], [SERIES, 2101]] as const) {
      const slots = await slotsOf(series, year);
      expect(slots.length).toBeGreaterThan(0);
      for (const s of slots) expect([s.guid, s.numeric_id]).toEqual([uuid5(`conclave:slot:${series}/${year}/${s.id}`), s.id]);
    }

    // Rows restored from a backup made before it have none: they get them; the others keep theirs.
    const stored = await handle.db.selectFrom('slots').select(['id', 'guid', 'numeric_id']).orderBy('id').execute();
    await handle.db.updateTable('slots').set({ guid: null, numeric_id: null }).where('id', '=', imported[0]!.id).execute();
    await rewrite(handle.db);
    expect(await handle.db.selectFrom('slots').select(['id', 'guid', 'numeric_id']).orderBy('id').execute()).toEqual(stored);
    expect(rowRewrites().map((r) => r.name)).toContain('029-slot-guids');
  });
});

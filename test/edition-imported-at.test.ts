/**
 * When an edition's page was imported, as edition.json (source.importedAt) and its changelog page
 * say: the import's own time, which an edit of the edition does not move.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/connect.js';
import { bundledPages } from '../src/domain/archive/bundled.js';
import { importPages } from '../src/domain/archive/import-pages.js';
import { updateEdition } from '../src/domain/editions/edit-edition.js';
import { utcMinute } from '../src/domain/invitations/dates.js';
import { buildApp } from '../src/web/app.js';
import { COMMITTEE, makeDeps, makeEdition } from './invitations/fixtures.js';
import { testDatabases } from './support/db.js';

describe.each(testDatabases())('an edition’s import time on $name', ({ open }) => {
  let handle: Db;
  let app: FastifyInstance;
  beforeAll(async () => {
    handle = await open();
    await importPages({ db: handle.db }, bundledPages());
    app = await buildApp({ db: handle.db, clock: () => new Date('2026-11-22T12:00:00Z') });
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  const importedAt = async (year: number, series = 'netconf') => (await app.inject(`/${series}/${year}/edition.json`)).json().source.importedAt as string | null;

  it('is the time of the page’s last import, not of the edition’s last edit', async () => {
    const audit = await handle.db
      .selectFrom('audit_log')
      .innerJoin('editions', 'editions.id', 'audit_log.edition_id')
      .select('audit_log.at')
      .where('audit_log.action', '=', 'edition.import')
      .where('editions.year', '=', 2014)
      .orderBy('audit_log.id', 'desc')
      .executeTakeFirstOrThrow();
    const at = new Date(audit.at);
    expect(await importedAt(2014)).toBe(at.toISOString());

    // An edit a day later moves updated_at, not the import.
    await handle.db.updateTable('editions').set({ updated_at: new Date(at.getTime() + 86_400_000) }).where('year', '=', 2014).execute();
    await updateEdition(makeDeps(handle.db), COMMITTEE, { series: 'netconf', year: 2014, fields: { motto: 'Edited after the import' } });
    expect(await importedAt(2014)).toBe(at.toISOString());

    const changes = (await app.inject('/netconf/2014/changes/')).body;
    expect(changes).toContain(`The schedule was imported from the archive page netconf-2014.txt on ${utcMinute(at)} UTC; no change to it has been published in conclave since.`);
  });

  it('is null for an edition made in conclave', async () => {
    await makeEdition(handle.db, { year: 2131 });
    expect(await importedAt(2131, 'invtest')).toBeNull();
  });
});

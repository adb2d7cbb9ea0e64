/**
 * The exports an app serves: an edition's schedule as iCalendar, frab XML and C3VOC JSON, and the
 * Atom feed of editions and announcements. Thin: one loader, one pure renderer (the static
 * export calls the same renderers).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { loadFeed, renderAtom } from '../../domain/exports/atom.js';
import { renderIcs } from '../../domain/exports/ical.js';
import { loadSchedule, type ScheduleExport } from '../../domain/exports/schedule.js';
import { renderScheduleJson } from '../../domain/exports/schedule-json.js';
import { renderScheduleXml } from '../../domain/exports/schedule-xml.js';
import { services, type AppDeps } from '../app.js';
import { editionParams, pathParams } from '../params.js';

const FORMATS: Record<string, { type: string; render: (s: ScheduleExport, o: { baseUrl: string }) => string }> = {
  'schedule.ics': { type: 'text/calendar; charset=utf-8', render: renderIcs },
  'schedule.xml': { type: 'application/xml; charset=utf-8', render: renderScheduleXml },
  'schedule.json': { type: 'application/json; charset=utf-8', render: renderScheduleJson },
};

export async function exportRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const baseUrl = () => services(deps).mail.baseUrl;

  for (const [file, format] of Object.entries(FORMATS)) {
    app.get(`/:series/:year/${file}`, async (req, reply: FastifyReply) => {
      const p = pathParams(editionParams, req);
      const schedule = await loadSchedule(deps, p.series, p.year);
      return reply.type(format.type).send(format.render(schedule, { baseUrl: baseUrl() }));
    });
  }

  app.get('/feed.atom', async (_req, reply) =>
    reply.type('application/atom+xml; charset=utf-8').send(renderAtom(await loadFeed(deps), { baseUrl: baseUrl() })),
  );
}

/**
 * The exports an app serves: an edition's schedule as iCalendar, frab XML and C3VOC JSON, and the
 * Atom feed of editions and announcements. Thin: one loader, one pure renderer (the static
 * export and `conclave schedule export` call the same renderers).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { loadFeed, renderAtom } from '../../domain/exports/atom.js';
import { loadSchedule } from '../../domain/exports/schedule.js';
import { SCHEDULE_FORMATS } from '../../domain/exports/schedule-formats.js';
import { services, type AppDeps } from '../app.js';
import { editionParams, pathParams } from '../params.js';

export async function exportRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const baseUrl = () => services(deps).mail.baseUrl;
  const { siteName, clock } = services(deps);

  for (const format of Object.values(SCHEDULE_FORMATS)) {
    app.get(`/:series/:year/${format.file}`, async (req, reply: FastifyReply) => {
      const p = pathParams(editionParams, req);
      const schedule = await loadSchedule(deps, p.series, p.year);
      return reply.type(format.type).send(format.render(schedule, { baseUrl: baseUrl() }));
    });
  }

  app.get('/feed.atom', async (_req, reply) =>
    reply.type('application/atom+xml; charset=utf-8').send(renderAtom(await loadFeed(deps), { baseUrl: baseUrl(), siteName, now: clock() })),
  );
}

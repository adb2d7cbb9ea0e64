/**
 * Public pages: the archive, an edition, people. Thin: parse → one domain call → render.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { listEditions } from '../../domain/editions/list-editions.js';
import { loadEdition } from '../../domain/editions/load-edition.js';
import { listPeople, loadPerson, slugOfOtherName, type PersonView } from '../../domain/people/load-person.js';
import { listChanges } from '../../domain/program/schedule-changelog.js';
import type { AppDeps } from '../app.js';
import { urls } from '../urls.js';
import { ArchivePage } from '../views/archive.js';
import { ChangesPage } from '../views/changes.js';
import { EditionPage, shownSections } from '../views/edition.js';
import { PeoplePage, PersonPage } from '../views/person.js';
import { editionParams, noPageAt, pathParams, seriesParams } from '../params.js';
import { NotFound } from '../../domain/errors.js';

// Letters and digits of any script (a name with no Latin transliteration keeps its own: 王小明),
// their marks, and "-"; no dot, slash, percent or space. Any case: an address typed with capitals
// is redirected to the person's (slugOfOtherName).
const personParams = z.object({ slug: z.string().regex(/^[\p{L}\p{M}\p{N}-]+$/u) });

function html(reply: FastifyReply, body: JSX.Element) {
  return reply.type('text/html; charset=utf-8').send(body);
}

function today(deps: AppDeps): string {
  return (deps.clock?.() ?? new Date()).toISOString().slice(0, 10);
}

export async function publicRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  app.get('/', async (_req, reply) => html(reply, ArchivePage({ editions: await listEditions(deps, today(deps)) })));
  // Browsers ask for it whatever a page links; the pages link the SVG.
  app.get('/favicon.ico', async (_req, reply) => reply.redirect(urls.favicon(), 301));
  app.get('/editions.json', async () => ({ editions: await listEditions(deps, today(deps)) }));

  // A series alone (the year cut off an edition's address): its editions, as the archive lists them.
  // A name that is no series' is a 404 at the address typed, not a permanent redirect to one.
  const seriesEditions = async (req: FastifyRequest) => {
    const p = pathParams(seriesParams, req);
    const editions = (await listEditions(deps, today(deps))).filter((e) => e.seriesSlug === p.series);
    if (editions.length === 0) throw new NotFound(noPageAt(req.url));
    return { series: p.series, editions };
  };
  app.get('/:series', async (req, reply) => reply.redirect(urls.series((await seriesEditions(req)).series), 301));
  app.get('/:series/', async (req, reply) => html(reply, ArchivePage({ editions: (await seriesEditions(req)).editions, oneSeries: true })));

  app.get('/:series/:year', async (req, reply) => {
    const p = pathParams(editionParams, req);
    return reply.redirect(urls.edition(p.series, p.year), 301);
  });
  app.get('/:series/:year/', async (req, reply) => {
    const p = pathParams(editionParams, req);
    return html(reply, EditionPage({ e: await loadEdition(deps, p.series, p.year) }));
  });
  app.get('/:series/:year/edition.json', async (req, reply) => {
    const p = pathParams(editionParams, req);
    return loadEdition(deps, p.series, p.year);
  });

  // The schedule's changelog. It remembers (in a cookie, nothing on the server) the last change
  // the reader saw, so that the next visit marks what is new; ?since=N says it explicitly.
  app.get('/:series/:year/changes', async (req, reply) => {
    const p = pathParams(editionParams, req);
    return reply.redirect(urls.changes(p.series, p.year), 301);
  });
  app.get('/:series/:year/changes/', async (req, reply) => {
    const p = pathParams(editionParams, req);
    const { series, year } = p;
    const e = await loadEdition(deps, series, year);
    const changes = await listChanges(deps, { series, year });
    // The cookie's name says what it holds: a change's number in this changelog.
    const cookie = `seen-n-${series}-${year}`;
    const since = z.coerce.number().int().min(0).safeParse((req.query as Record<string, unknown>)?.since);
    const remembered = z.coerce.number().int().min(0).safeParse(req.cookies[cookie]);
    const seen = since.success ? since.data : remembered.success ? remembered.data : null;
    if (changes.length > 0) {
      reply.setCookie(cookie, String(changes[0]!.number), { path: urls.changes(series, year), maxAge: 365 * 86400, sameSite: 'lax', httpOnly: true });
    }
    return html(reply, ChangesPage({ series, year, title: e.title, changes, seen, hasAgenda: shownSections(e).includes('agenda'), importedFrom: e.source }));
  });

  app.get('/people', async (_req, reply) => reply.redirect(urls.people(), 301));
  app.get('/people/', async (_req, reply) => html(reply, PeoplePage({ people: await listPeople(deps) })));
  app.get('/people/:slug', async (req, reply) => {
    const p = pathParams(personParams, req);
    return reply.redirect(urls.person(p.slug), 301);
  });
  // A page not found by its slug may be asked for by another name the person was listed under
  // (an older spelling, a link guessed from a page): that name's address leads to their page.
  const person = async (slug: string): Promise<{ view: PersonView } | { to: string }> => {
    try {
      return { view: await loadPerson(deps, slug, today(deps)) };
    } catch (err) {
      const to = err instanceof NotFound ? await slugOfOtherName(deps, slug, today(deps)) : null;
      if (to === null) throw err;
      return { to };
    }
  };
  app.get('/people/:slug/', async (req, reply) => {
    const r = await person(pathParams(personParams, req).slug);
    return 'to' in r ? reply.redirect(urls.person(r.to), 301) : html(reply, PersonPage({ p: r.view }));
  });
  app.get('/people/:slug/person.json', async (req, reply) => {
    const r = await person(pathParams(personParams, req).slug);
    return 'to' in r ? reply.redirect(urls.personJson(r.to), 301) : r.view;
  });
}

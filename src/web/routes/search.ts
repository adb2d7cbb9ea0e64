/**
 * Search over every edition: the page (GET /search/?q=…&year=…&offset=…) and its JSON
 * (GET /search.json?q=…). The page without a query, or with an empty one, is the form (200); a
 * query with nothing to search for ("%", "-xdp") finds nothing, with a notice (200); a query
 * refused (too long) or a bad year or offset is answered with the form and a message at the
 * field (400), never with an error page. The JSON answers 400 without a query.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { InvalidInput } from '../../domain/errors.js';
import { queryText, search } from '../../domain/search/search.js';
import { searchJson } from '../../domain/search/search-json.js';
import type { AppDeps } from '../app.js';
import { urls } from '../urls.js';
import { SearchPage } from '../views/search.js';
import { parseInput } from '../../domain/validate.js';

/** One value of a query parameter: "?q=a&q=b" reads as "a"; empty reads as absent. */
const one = z.preprocess((v) => {
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' && first.trim() !== '' ? first : undefined;
}, z.string().optional());

const queryString = z.object({ q: z.preprocess((v) => (Array.isArray(v) ? v[0] : v), z.string().optional()), year: one, offset: one, limit: one });

const PAGE_SIZE = 20;

/** "query: type a word or two …" → "Type a word or two …", "query: is too long…" → "The query is too long…"; other fields keep their name. */
function messageOf(err: InvalidInput): string {
  const why = err.why;
  // "is too long: …" needs its subject; "type a word or two …" reads alone.
  const text = err.field === 'query' ? (why.startsWith('is ') ? `the query ${why}` : why) : `${err.field}: ${why}`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * messageOf for the page, whose form has no field but the query: a year or a first result comes
 * from the page's own links (results per year, more results), so a bad one is said to be the
 * address's, with what searching again from the form does. "Year: must be a number" beside a
 * form without a year read as a field gone missing.
 */
function pageMessageOf(err: InvalidInput, p: { year?: string | undefined; offset?: string | undefined }): string {
  if (err.field === 'year') return `The year in this page’s address, “${p.year ?? ''}”, ${err.why}. Search again to search every year; the results then link to each year that has some.`;
  if (err.field === 'offset') return `The first result in this page’s address, “${p.offset ?? ''}”, ${err.why}. Search again to start at the first.`;
  return messageOf(err);
}

export async function searchRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const html = (reply: FastifyReply, status: number, body: JSX.Element) => reply.status(status).type('text/html; charset=utf-8').send(body);

  app.get('/search', async (req, reply) => {
    const qs = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
    return reply.redirect(`${urls.search()}${qs}`, 301);
  });

  app.get('/search/', async (req, reply) => {
    const p = parseInput(queryString, req.query ?? {});
    // An empty query is the form, as the page without one: empty as search reads it (a control character alone too).
    if (p.q === undefined || queryText(p.q) === '') return html(reply, 200, SearchPage({ q: p.q ?? '', result: null, error: null }));
    try {
      const result = await search(deps, { query: p.q, year: p.year, offset: p.offset, limit: PAGE_SIZE });
      return html(reply, 200, SearchPage({ q: p.q, result, error: null }));
    } catch (err) {
      if (!(err instanceof InvalidInput)) throw err;
      return html(reply, 400, SearchPage({ q: p.q.slice(0, 1000), result: null, error: pageMessageOf(err, p) }));
    }
  });

  app.get('/search.json', async (req, reply) => {
    const p = parseInput(queryString, req.query ?? {});
    try {
      return searchJson(await search(deps, { query: p.q ?? '', year: p.year, offset: p.offset, limit: p.limit ?? PAGE_SIZE }));
    } catch (err) {
      if (!(err instanceof InvalidInput)) throw err;
      return reply.status(400).send({ error: 'Bad request', field: err.field === 'query' ? 'q' : err.field, message: messageOf(err) });
    }
  });
}

/** Path parameters several routes share, checked once here. */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { NotFound } from '../domain/errors.js';
import { recordId } from '../domain/validate.js';

/**
 * A request's path parameters as `schema` takes them. A URL whose parts are not what its route
 * takes (`/admin/editions/2027/invitations`, the series left out) names no page: 404, as for any
 * other address that names none, not the schema's complaint about a field the visitor never saw.
 */
export function pathParams<S extends z.ZodType>(schema: S, req: FastifyRequest): z.output<S> {
  const r = schema.safeParse(req.params);
  if (!r.success) throw new NotFound(noPageAt(req.url));
  return r.data;
}

/** What a 404 says. */
export function noPageAt(url: string): string {
  return `There is no page at ${url}.`;
}

/** /invitation/:token/… — an invitee's personal link. */
export const tokenParams = z.object({ token: z.string().max(200) });

/** /:series/… — a series slug. */
export const seriesParams = z.object({ series: z.string().regex(/^[a-z0-9-]+$/) });

/** /…/:series/:year/… — a series slug and a year. */
export const editionParams = seriesParams.extend({
  // Four digits as written in every link: /netconf/02015/ and /netconf/2015.0/ name no page.
  // Any such year names an edition, there or not: /netconf/9999/ says there is no edition 9999.
  year: z.string().regex(/^[1-9]\d{3}$/).transform(Number),
});

/** /…/:id — a row's id (recordId): one beyond the ids there can be names no page, as an unknown one. */
export const idParams = z.object({ id: recordId });

/** /…/:series/:year/…/:id — a row of an edition. */
export const editionIdParams = editionParams.extend(idParams.shape);

/** /invitation/:token/…/:id — a row behind an invitee's personal link. */
export const tokenIdParams = tokenParams.extend(idParams.shape);

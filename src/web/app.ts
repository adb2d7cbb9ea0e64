/**
 * buildApp(deps): the Fastify application — plugins, routes and the one error handler that maps
 * domain errors to pages. It knows nothing of which database it talks to.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { ZodError } from 'zod';
import type { Database } from '../db/schema.js';
import { Conflict, DomainError, InvalidInput, NotFound } from '../domain/errors.js';
import { publicRoutes } from './routes/public.js';
import { ErrorPage } from './views/error.js';

export interface AppDeps {
  db: Kysely<Database>;
  /** Today's date for "the next edition"; injectable for tests. */
  clock?: () => Date;
  logger?: boolean;
}

const staticRoot = fileURLToPath(new URL('../../src/web/static/', import.meta.url));

function statusOf(err: unknown): { status: number; title: string } {
  if (err instanceof NotFound) return { status: 404, title: 'Not found' };
  if (err instanceof InvalidInput || err instanceof ZodError) return { status: 400, title: 'Bad request' };
  if (err instanceof Conflict) return { status: 409, title: 'Conflict' };
  if (err instanceof DomainError) return { status: 400, title: 'Bad request' };
  const s = (err as { statusCode?: number }).statusCode;
  if (typeof s === 'number' && s >= 400 && s < 500) return { status: s, title: 'Bad request' };
  return { status: 500, title: 'Something went wrong' };
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: deps.logger ?? false, trustProxy: true });
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:', 'https:', 'http:'], styleSrc: ["'self'"], scriptSrc: ["'self'"] },
    },
  });
  await app.register(fastifyFormbody);
  await app.register(fastifyStatic, { root: path.resolve(staticRoot), prefix: '/static/', maxAge: '1h' });

  app.setErrorHandler((err, req, reply) => {
    const { status, title } = statusOf(err);
    if (status >= 500) req.log.error(err);
    const message = status >= 500 ? 'The server could not answer this request. The error has been logged.' : (err as Error).message;
    if (req.url.endsWith('.json') || req.headers.accept === 'application/json') {
      return reply.status(status).send({ error: title, message });
    }
    return reply.status(status).type('text/html; charset=utf-8').send(ErrorPage({ status, title, message }));
  });
  app.setNotFoundHandler((req, reply) =>
    reply
      .status(404)
      .type('text/html; charset=utf-8')
      .send(ErrorPage({ status: 404, title: 'Not found', message: `There is no page at ${req.url}.` })),
  );

  await app.register(publicRoutes, { deps });
  return app;
}

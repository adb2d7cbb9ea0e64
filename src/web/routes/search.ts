/** (Being written: search over every edition.) */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.js';

export async function searchRoutes(_app: FastifyInstance, _opts: { deps: AppDeps }) {}

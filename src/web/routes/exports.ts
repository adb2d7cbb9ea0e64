/** (Being written: iCal, schedule XML/JSON and the feed.) */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.js';

export async function exportRoutes(_app: FastifyInstance, _opts: { deps: AppDeps }) {}

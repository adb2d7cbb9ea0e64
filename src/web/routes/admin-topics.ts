/** (Being written: the committee's topic decisions.) */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.js';

export async function topicAdminRoutes(_app: FastifyInstance, _opts: { deps: AppDeps }) {}

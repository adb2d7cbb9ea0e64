/** (Being written: the schedule builder.) */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.js';

export async function scheduleAdminRoutes(_app: FastifyInstance, _opts: { deps: AppDeps }) {}

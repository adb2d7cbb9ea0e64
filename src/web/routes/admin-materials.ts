/** (Being written: materials and photos in the admin.) */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.js';

export async function materialAdminRoutes(_app: FastifyInstance, _opts: { deps: AppDeps }) {}

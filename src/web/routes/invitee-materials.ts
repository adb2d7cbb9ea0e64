/** (Being written: speakers' uploads from their page.) */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.js';

export async function inviteeMaterialRoutes(_app: FastifyInstance, _opts: { deps: AppDeps }) {}

/** (Being written: topic proposals from the invitee's page.) */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.js';

export async function inviteeTopicRoutes(_app: FastifyInstance, _opts: { deps: AppDeps }) {}

/**
 * The committee's session cookie: httpOnly, SameSite=Lax, Secure when the request came over
 * https (directly or through a proxy that says so). The secret in it is only hashed in the database.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sessionAccount, type SessionAccount } from '../domain/committee/sessions.js';
import type { AppDeps } from './app.js';

export const SESSION_COOKIE = 'conclave_session';

declare module 'fastify' {
  interface FastifyRequest {
    account?: SessionAccount;
  }
}

export function setSessionCookie(reply: FastifyReply, secret: string, expires: Date): void {
  reply.setCookie(SESSION_COOKIE, secret, { path: '/', httpOnly: true, sameSite: 'lax', secure: 'auto', expires });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

export async function loadAccount(deps: AppDeps, req: FastifyRequest): Promise<SessionAccount | null> {
  return sessionAccount({ db: deps.db, clock: deps.clock ?? (() => new Date()) }, req.cookies[SESSION_COOKIE]);
}

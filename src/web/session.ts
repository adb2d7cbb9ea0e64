/**
 * The committee's session cookie: httpOnly, SameSite=Lax, Secure when the request came over
 * https (directly or through a proxy that says so). The secret in it is only hashed in the database.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sessionAccount, type SessionAccount } from '../domain/committee/sessions.js';
import type { AppDeps } from './app.js';
import type { AdminAccount } from './views/admin/admin-layout.js';

export const SESSION_COOKIE = 'conclave_session';
/** Where @fastify/csrf-protection keeps its secret (its default name). */
export const CSRF_COOKIE = '_csrf';

declare module 'fastify' {
  interface FastifyRequest {
    account?: SessionAccount;
    /** What waits for the committee, for the navigation of an admin page (admin GETs only). */
    waiting?: AdminAccount['waiting'];
  }
}

/** The signed-in member as the admin's frame shows them (with what waits), or null. */
export function adminAccount(req: FastifyRequest): AdminAccount | null {
  return req.account ? { ...req.account, ...(req.waiting ? { waiting: req.waiting } : {}) } : null;
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

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
/** What a form's CSRF token is bound to for a visitor with no session cookie (csrfBinding). */
const SIGNED_OUT = 'signed-out';
/**
 * The key @fastify/csrf-protection hashes a token's binding with (it demands one with
 * getUserInfo). It need not be secret: the binding it hashes is the session's own secret, 256
 * random bits no page shows; a signed-out visitor's is public anyway. A key of the server's
 * (the notices' key) would change at each restart and expire every open form.
 */
export const CSRF_BINDING_KEY = 'conclave: CSRF token bound to the session';

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

/**
 * What a form's CSRF token is bound to besides the `_csrf` cookie's secret: the session cookie
 * (hashed into the token, never shown), or SIGNED_OUT without one. A form loaded in one session
 * is then refused in another (signed out, or signed in as someone else, in the same browser), a
 * form loaded before the sign-in is refused after it, and a `_csrf` cookie planted by a sibling
 * host, with a token made for it, does not pass for a member's. The cookie as sent, not the
 * session it names: the check is synchronous, and a session ended meanwhile is the admin's to
 * refuse (its onRequest sends the member to sign in).
 */
export function csrfBinding(req: FastifyRequest): string {
  const session = req.cookies[SESSION_COOKIE];
  return session ? `session:${session}` : SIGNED_OUT;
}

/** A CSRF token for a form of the page answering `reply`, bound to its session (csrfBinding). */
export function csrfToken(reply: FastifyReply): string {
  return reply.generateCsrf({ userInfo: csrfBinding(reply.request) });
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

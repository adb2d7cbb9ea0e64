/**
 * Committee sign-in by mailed link, and sign-out (here or everywhere). Rate-limited per client;
 * the domain limits links per address.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { checkSignin, consumeSignin, requestSignin, returnPath, signinAddress } from '../../domain/committee/signin.js';
import { signOut, signOutEverywhere } from '../../domain/committee/sessions.js';
import { InvalidInput } from '../../domain/errors.js';
import { services, type AppDeps } from '../app.js';
import { clearSessionCookie, CSRF_COOKIE, csrfToken, loadAccount, SESSION_COOKIE, setSessionCookie } from '../session.js';
import { SigninConfirm, SigninForm, SigninSent } from '../views/signin.js';

const tokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/) });
/** Whether an address is this machine's own (IPv4 127/8, IPv6 ::1, or IPv4 mapped to IPv6). */
function isLoopback(ip: string): boolean {
  return ip === '::1' || /^(::ffff:)?127\./.test(ip);
}

export async function signinRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  /**
   * Whether the visitor may be told where things are on the server (the local mailbox's
   * directory): a member signed in, or someone on this machine itself, not through a proxy.
   */
  const mayKnowServer = async (req: FastifyRequest) =>
    (isLoopback(req.socket.remoteAddress ?? '') && req.headers['x-forwarded-for'] === undefined) || (await loadAccount(deps, req)) !== null;
  const LIMIT = { rateLimit: { max: deps.limits?.signin ?? 10, timeWindow: '15 minutes' } };
  const signinDeps = () => services(deps);

  // `next` is the committee page the visitor was sent here from: it rides on the mailed link, and
  // the sign-in ends there (returnPath keeps it to this site's committee pages).
  const nextOf = (from: unknown): string | null => returnPath((from as Record<string, unknown> | undefined)?.next);

  // A notice (signed, notices.ts): why the visitor is here, such as a form sent after the session ended.
  app.get('/signin', async (req, reply) => {
    const notice = (req.query as Record<string, unknown> | undefined)?.notice;
    return reply.type('text/html; charset=utf-8').send(SigninForm({ csrf: csrfToken(reply), next: nextOf(req.query), notice: typeof notice === 'string' ? notice : undefined }));
  });

  app.post('/signin', { config: LIMIT }, async (req, reply) => {
    const email = String((req.body as Record<string, unknown>)?.email ?? '').trim();
    const next = nextOf(req.body);
    try {
      signinAddress({ email });
    } catch (err) {
      if (err instanceof InvalidInput) {
        return reply.status(400).type('text/html; charset=utf-8').send(SigninForm({ csrf: csrfToken(reply), email, next, error: err.message.replace(/^email: /, '') }));
      }
      throw err;
    }
    // The link is made and mailed after the answer, not before it: for a member's address that is
    // a transaction or two, for any other address one query, and the time the answer took would tell
    // which addresses are the committee's. The answer is the same either way (requestSignin).
    app.afterAnswer(reply, 'mailing a sign-in link', () => requestSignin(signinDeps(), { email, next }));
    const mailbox = deps.mailboxDir ? { shown: (await mayKnowServer(req)) ? deps.mailboxDir : null } : null;
    return reply.type('text/html; charset=utf-8').send(SigninSent({ email, mailbox }));
  });

  app.get('/signin/:token', { config: LIMIT }, async (req, reply) => {
    const p = tokenParams.safeParse(req.params);
    const token = p.success ? p.data.token : 'invalid-token-xxxxxxxxxxxx';
    // A used, expired or wrong link says so here, not after its button is pressed.
    await checkSignin(signinDeps(), token);
    return reply.type('text/html; charset=utf-8').send(SigninConfirm({ csrf: csrfToken(reply), token, next: nextOf(req.query) }));
  });

  app.post('/signin/:token', { config: LIMIT }, async (req, reply) => {
    const { token } = req.params as { token: string };
    const s = await consumeSignin(signinDeps(), { token, userAgent: req.headers['user-agent'] ?? null });
    setSessionCookie(reply, s.session, s.expiresAt);
    // A new CSRF secret for the session (the next page makes it): one planted before the
    // sign-in (by a page of a sibling host setting cookies for this one) no longer counts.
    reply.clearCookie(CSRF_COOKIE, { path: '/' });
    return reply.redirect(nextOf(req.body) ?? '/admin/', 303);
  });

  app.post('/signout', async (req, reply) => {
    const secret = req.cookies[SESSION_COOKIE];
    if (secret) await signOut(deps, secret);
    clearSessionCookie(reply);
    return reply.redirect('/', 303);
  });

  app.post('/signout/everywhere', async (req, reply) => {
    const account = await loadAccount(deps, req);
    if (account) await signOutEverywhere(deps, account);
    clearSessionCookie(reply);
    return reply.redirect('/', 303);
  });
}

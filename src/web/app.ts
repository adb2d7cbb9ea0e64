/**
 * buildApp(deps): the Fastify application — plugins, routes and the one error handler that maps
 * domain errors to pages. It knows nothing of which database it talks to.
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import path from 'node:path';
import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit, { type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import fastifyHelmet, { type fastifyHelmet as namedHelmet } from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { Kysely } from 'kysely';
import { ZodError } from 'zod';
import type { Database } from '../db/schema.js';
import { serverGone } from '../db/server-gone.js';
import { packagePath } from '../paths.js';
import { sizeText } from '../domain/files/material-types.js';
import { DEFAULT_MAX_UPLOAD_BYTES } from '../domain/files/store.js';
import { Conflict, DomainError, InvalidInput, LinkInvalid, NotFound, Unauthorized } from '../domain/errors.js';
import { committeeAddress } from '../domain/invitations/ask-committee.js';
import type { PageCache } from './cache.js';
import { cachedServerFactory, installPageCache } from './cached-pages.js';
import { healthRoutes, type Readiness } from './health.js';
import { adminRoutes } from './routes/admin.js';
import { fileRoutes } from './routes/files.js';
import { invitationRoutes } from './routes/invitation.js';
import { inviteeTopicRoutes } from './routes/invitee-topics.js';
import { inviteeMaterialRoutes } from './routes/invitee-materials.js';
import { exportRoutes } from './routes/exports.js';
import { searchRoutes } from './routes/search.js';
import { publicRoutes } from './routes/public.js';
import { signinRoutes } from './routes/signin.js';
import { ErrorPage } from './views/error.js';
import { withSiteName } from './views/site.js';
import { DEFAULT_SITE_NAME } from '../domain/editions/site-name.js';
import { installNoticeSigning, noticeKey } from './notices.js';
import { noPageAt } from './params.js';
import { adminAccount, CSRF_BINDING_KEY, CSRF_COOKIE, csrfBinding, csrfToken, SESSION_COOKIE } from './session.js';

export interface AppDeps {
  db: Kysely<Database>;
  /** Public address (links in mail) and the From of mail. */
  mail?: { baseUrl: string; from: string; replyTo?: string | null; rsvpAddress?: string | null | undefined };
  /** Where mail goes without SMTP (the local mailbox the admin shows). */
  mailboxDir?: string;
  /** Uploaded files, stored by content hash. */
  filesDir?: string;
  /** Largest accepted upload in bytes (CONCLAVE_MAX_UPLOAD_MB; default 50 MB). */
  maxUploadBytes?: number;
  /** Today's date for "the next edition"; injectable for tests. */
  clock?: () => Date;
  /** The proxies whose X-Forwarded-For is believed (config TRUST_PROXY; default loopback). */
  trustProxy?: false | number | string;
  /** Fastify's (pino) logger: off by default; true, or pino options (level, transport…). */
  logger?: FastifyServerOptions['logger'];
  /** Public pages kept as rendered bytes (cache.ts); none: every request renders. */
  cache?: PageCache;
  /**
   * Awaited before the answer to a request that may have written (not GET, HEAD or OPTIONS) is
   * sent: with CONCLAVE_CACHE=notify, it tells this process's cache and its sibling workers'
   * (ops/cluster.ts) of the write, so that the writer's next page is fresh on any of them.
   */
  afterWrite?: () => Promise<void>;
  /** What /readyz checks besides the database answering. */
  readiness?: Readiness;
  /** Signs the notices of redirects (notices.ts); default: the server's shared key, or a new one. */
  noticeKey?: Buffer;
  /**
   * Requests per 15 minutes on each route: of sign-in, per client (default 10); of the invitee
   * pages, per client with a link no invitation has (`invitation`, default 60) and per link with
   * one it has (`invitationLink`, default 300; routes/invitation.ts inviteeRateLimit).
   */
  limits?: { signin?: number; invitation?: number; invitationLink?: number };
  /** Where those requests are counted; default this process's memory (a cluster's workers: the primary, ops/cluster-rate-limit.ts). */
  rateLimitStore?: FastifyRateLimitStoreCtor;
  /** The site's name in the pages and mail (siteNameOf: SITE_NAME, the only series' name); default conclave. */
  siteName?: string;
}

/** The domain's dependencies as the routes use them, with defaults filled in. */
export function services(deps: AppDeps) {
  return {
    db: deps.db,
    clock: deps.clock ?? (() => new Date()),
    mail: deps.mail ?? { baseUrl: 'http://localhost:3000', from: 'Netconf committee <committee@example.org>' },
    siteName: deps.siteName ?? DEFAULT_SITE_NAME,
    filesDir: deps.filesDir ?? path.resolve('data/files'),
  };
}

const staticRoot = packagePath('src/web/static');

/**
 * Whether an error is answered as JSON: for an address of JSON (`….json`, query aside), as the
 * apps that read the schedule and edition files expect, or when JSON is all the client accepts.
 */
function wantsJson(req: FastifyRequest): boolean {
  return req.url.split('?', 1)[0]!.endsWith('.json') || req.headers.accept === 'application/json';
}

/** The pages' Content-Security-Policy, as helmet sends it with its defaults for the rest. */
const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'https:', 'http:'],
  styleSrc: ["'self'"],
  scriptSrc: ["'self'"],
  // Served over plain http (a LAN address, HOST=0.0.0.0) the site must still load its
  // style sheet and post its forms; TLS is nginx's job (docs/deploy.md), with HSTS there.
  upgradeInsecureRequests: null,
};

/**
 * The security headers of a page answered before any hook runs (an address the router cannot
 * read): helmet's hooks do not run for it, so its policy is set here as helmet sets it, with the
 * headers that keep the page from being sniffed, framed or leaking the address it came from.
 */
function frameworkErrorHeaders(req: FastifyRequest, reply: FastifyReply): void {
  // helmet's own middleware, passed on by @fastify/helmet on its default export (its types put
  // it on the named one, where the code has none).
  const csp = (fastifyHelmet as unknown as Pick<typeof namedHelmet, 'contentSecurityPolicy'>).contentSecurityPolicy;
  csp({ directives: CSP_DIRECTIVES })(req.raw, reply.raw, () => {});
  reply.header('x-content-type-options', 'nosniff').header('x-frame-options', 'SAMEORIGIN').header('referrer-policy', 'no-referrer');
}

/** What is said of an address whose %-escapes do not decode (`url`: the path and query as sent). */
function unreadableAddress(url: string): string {
  return `The address ${url.split('?', 1)[0]} cannot be read: a % in it is not followed by the code of a character (such as %20 for a space). Check the link, or type the address again.`;
}

/**
 * A form refused by the CSRF check: its token missing, or not matching the cookie's secret or the
 * session it was loaded in (csrfBinding), or no such cookie.
 */
function isCsrfRefusal(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'FST_CSRF_INVALID_TOKEN' || code === 'FST_CSRF_MISSING_SECRET';
}

/**
 * Whether a request came with none of this site's cookies: a browser that refuses them (lynx
 * answered "no", curl without a cookie jar) can never send a form, and reloading does not help.
 * Only conclave's own cookies count: another program on the same host shares its cookies (they
 * are not kept per port), and lynx 2.9 keeps `SameSite=Lax` of our Set-Cookie as one of its own.
 * A member signed in whose CSRF cookie is gone merely has an expired form.
 */
function sentNoCookie(req: FastifyRequest): boolean {
  return !req.cookies[CSRF_COOKIE] && !req.cookies[SESSION_COOKIE];
}

/**
 * A dead personal link's sentence ("… or ask the committee for a new one"), with the address to
 * ask at when the site has one: the link was the invitee's only way to the committee but the mail.
 */
function withCommitteeAddress(message: string, deps: AppDeps): string {
  const address = committeeAddress(services(deps).mail);
  return address ? `${message} The committee's address is ${address}.` : message;
}

function statusOf(err: unknown): { status: number; title: string } {
  if (err instanceof NotFound) return { status: 404, title: 'Not found' };
  if (err instanceof LinkInvalid) return { status: 410, title: 'This link does not work' };
  if (err instanceof Unauthorized) return { status: 401, title: 'Sign-in needed' };
  if (isCsrfRefusal(err)) return { status: 403, title: 'Form expired' };
  if (err instanceof InvalidInput || err instanceof ZodError) return { status: 400, title: 'Bad request' };
  if (err instanceof Conflict) return { status: 409, title: 'Conflict' };
  if (err instanceof DomainError) return { status: 400, title: 'Bad request' };
  const s = (err as { statusCode?: number }).statusCode;
  // Fastify's own (415, 429 from the rate limit…): titled by their status, not all "Bad request".
  if (typeof s === 'number' && s >= 400 && s < 500) return { status: s, title: s === 400 ? 'Bad request' : (STATUS_CODES[s] ?? 'Bad request') };
  return { status: 500, title: 'Something went wrong' };
}

/** The request id: nginx's X-Request-Id when it sends a sane one, else a new UUID. */
export function requestIdOf(req: IncomingMessage): string {
  const h = req.headers['x-request-id'];
  return typeof h === 'string' && /^[\w.:@-]{1,128}$/.test(h) ? h : randomUUID();
}

/** Trust the `n` proxies nearest this server, as proxy-addr reads a number (Fastify's types take none). */
function hops(n: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < n;
}

/**
 * Lets the routes of `app` (a plugin's context) take uploads: multipart forms, with their fields
 * parsed into the body, so that the CSRF check sees _csrf. Only the routes that take files do,
 * and each checks who is asking in an onRequest hook, before the body is read: a file sent to any
 * other route, or by someone signed out or with a dead link, is not read into memory at all.
 */
export async function acceptUploads(app: FastifyInstance, deps: Pick<AppDeps, 'maxUploadBytes'>): Promise<void> {
  await app.register(fastifyMultipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: deps.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES, files: 1, fields: 50 } });
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  // With a page cache, hits are answered by the HTTP server before Fastify (cached-pages.ts).
  const serving = { closing: false };
  const app = Fastify({
    logger: deps.logger ?? false,
    // Believe X-Forwarded-* only from the proxies configured (TRUST_PROXY; by default one on this host).
    trustProxy: typeof deps.trustProxy === 'number' ? hops(deps.trustProxy) : (deps.trustProxy ?? 'loopback'),
    genReqId: requestIdOf,
    // An address Fastify's router cannot read (a %-escape that decodes to no character): answered
    // as every other error is, the site's page or JSON, not Fastify's own JSON to everyone.
    frameworkErrors: (err, req, reply) => {
      reply.header('x-request-id', req.id);
      frameworkErrorHeaders(req, reply);
      return answerError(err.code === 'FST_ERR_BAD_URL' ? Object.assign(new Error(unreadableAddress(req.url)), { statusCode: 400 }) : err, req, reply);
    },
    ...(deps.cache ? { serverFactory: cachedServerFactory(deps.cache, serving, requestIdOf) } : {}),
  });
  app.addHook('preClose', async () => {
    serving.closing = true;
  });
  // Every page names the site (views/site.ts): each request is handled in its name, again once
  // its body is read (a body is read in another async context than the request's start).
  const site = services(deps).siteName;
  app.addHook('onRequest', (_req, _reply, done) => withSiteName(site, done));
  app.addHook('preHandler', (_req, _reply, done) => withSiteName(site, done));
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    // A committee page or one reached by a personal link (its address, its mail, an invitation's
    // link in the local mailbox) is kept by no cache: not shown again from the browser's after
    // signing out, nor to the next person at a shared machine.
    if (inPrivateArea(req.routeOptions.url ?? routedPath(req.url))) reply.header('cache-control', 'no-store');
    const page = pageAddress(app, req);
    if (page) return reply.redirect(page, 301);
  });
  // Every route, for the tests that check a rule on all of them (CSRF on every POST).
  const routes: { method: string; url: string }[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routes.push({ method, url: r.url });
  });
  app.decorate('conclaveRoutes', routes);
  // Work a request leaves to after its answer, so that the answer does not depend on it (the
  // mailing of a sign-in link, signin.ts): begun once the answer is sent (or the client gone),
  // awaited when the server closes, so that a stop does not cut it off, and by tests
  // (app.settled()). A failure is logged: the answer has gone.
  const unfinished = new Set<Promise<void>>();
  app.decorate('afterAnswer', (reply: FastifyReply, what: string, work: () => Promise<void>) => {
    let begun = false;
    const begin = () => {
      if (begun) return;
      begun = true;
      const p: Promise<void> = work()
        .catch((err: Error & { code?: string }) => reply.log.error({ err: { message: err.message, code: err.code } }, `${what} failed`))
        .finally(() => unfinished.delete(p));
      unfinished.add(p);
    };
    reply.raw.once('finish', begin);
    reply.raw.once('close', begin);
  });
  app.decorate('settled', async () => {
    while (unfinished.size) await Promise.all([...unfinished]);
  });
  app.addHook('onClose', async () => app.settled());
  await app.register(fastifyHelmet, { contentSecurityPolicy: { directives: CSP_DIRECTIVES } });
  await app.register(fastifyFormbody, { bodyLimit: 1024 * 1024 });
  await app.register(fastifyCookie);
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: CSRF_COOKIE,
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure: 'auto', signed: false },
    getToken: (req) => (req.body as Record<string, string> | undefined)?._csrf ?? (req.headers['x-csrf-token'] as string | undefined),
    // A token counts only in the session it was made in (csrfBinding); pages make theirs with csrfToken.
    getUserInfo: csrfBinding,
    csrfOpts: { hmacKey: CSRF_BINDING_KEY },
  });
  await app.register(fastifyRateLimit, { global: false, ...(deps.rateLimitStore ? { store: deps.rateLimitStore } : {}) });
  // PostgreSQL cannot store a NUL in text: a field holding one ("%00" in a form or an address)
  // would fail in the database with a 500. No form of conclave's wants one.
  app.addHook('preHandler', async (req) => {
    for (const [where, fields] of [['body', req.body], ['query', req.query]] as const) {
      if (!fields || typeof fields !== 'object') continue;
      for (const [name, value] of Object.entries(fields as Record<string, unknown>)) {
        const values = Array.isArray(value) ? value : [value];
        if (values.some((v) => typeof v === 'string' && v.includes('\u0000'))) throw new InvalidInput(name, `must not contain a NUL character (in the ${where === 'body' ? 'form' : 'address'})`);
      }
    }
  });
  // Every state-changing request carries the form's CSRF token. Checked once the body is parsed.
  // An address no route takes changes nothing: it is answered 404 or 405, not "form expired".
  app.addHook('preHandler', (req, reply, done) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS' || req.is404) return done();
    app.csrfProtection(req, reply, done);
  });
  await app.register(fastifyStatic, { root: path.resolve(staticRoot), prefix: '/static/', maxAge: '1h' });
  // The page cache's hooks come before compression's, so that it keeps (and compresses once)
  // the bytes the routes render; what it does not keep is compressed on the fly.
  if (deps.cache) installPageCache(app, deps.cache);
  const afterWrite = deps.afterWrite;
  if (afterWrite) {
    app.addHook('onSend', async (req, _reply, payload) => {
      if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS') await afterWrite();
      return payload;
    });
  }
  await app.register(fastifyCompress, { global: true, threshold: 1024, encodings: ['br', 'gzip', 'deflate', 'identity'] });
  healthRoutes(app, deps.db, deps.readiness ?? {});

  function answerError(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      // The committee's limit is the same (and so is the CLI's): asking it would not help.
      const limit = sizeText(deps.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES);
      const member = req.url.startsWith('/admin/') ? adminAccount(req) : null;
      const message =
        `The file is larger than the upload limit of ${limit}. Nothing was saved. ` +
        `The limit is the same for everyone, the committee included. Make the file smaller (a PDF exported with compressed images, ` +
        `a photo or a video at a lower resolution) and send the form again, or put the file on a site of your own and add a link to it instead.` +
        (member ? ` The limit is CONCLAVE_MAX_UPLOAD_MB where conclave runs; conclave materials add has the same.` : '');
      const back = formPage(app, req);
      return reply
        .status(413)
        .type('text/html; charset=utf-8')
        .send(
          withSiteName(site, () =>
            ErrorPage({
              status: 413,
              title: 'File too large',
              message,
              admin: member ? { account: member, csrf: csrfToken(reply) } : undefined,
              next: back ? { href: back, label: 'Back to the page the upload came from' } : undefined,
            }),
          ),
        );
    }
    // The database server not answering (server-gone.ts's reading, as the CLI's exit 75): 503 and
    // a short plain answer, so that nginx's error_page 502 503 504 serves the static export.
    if (serverGone(err)) {
      req.log.error(err);
      return reply.status(503).header('retry-after', '10').type('text/plain; charset=utf-8').send('The database is unreachable; try again shortly.\n');
    }
    const cookieless = isCsrfRefusal(err) && sentNoCookie(req);
    const { status, title } = cookieless ? { status: 403, title: 'Cookie needed' } : statusOf(err);
    if (status >= 500) req.log.error(err);
    const message =
      status >= 500
        ? 'The server could not answer this request. The error has been logged.'
        : cookieless
          ? 'This form needs a cookie from this site, and your browser sent none: nothing was saved. ' +
            'Allow cookies for this site (in lynx, accept the cookie when it asks, or start lynx with -accept_all_cookies), then reload the page and send the form again.'
          : status === 403
            ? 'This form was missing its security token or it had expired. Go back, reload the page and send it again.'
            : err instanceof LinkInvalid && req.url.startsWith('/invitation/')
              ? withCommitteeAddress((err as Error).message, deps)
              : (err as Error).message;
    if (wantsJson(req)) return reply.status(status).send({ error: title, message });
    // Signed in and in the admin (its onRequest set the account): the admin's frame, not the public one.
    const member = req.url.startsWith('/admin/') ? adminAccount(req) : null;
    const admin = member ? { account: member, csrf: csrfToken(reply) } : undefined;
    // A sign-in link that no longer works: the way to a new one, on its page. A form refused
    // (expired, or in conflict with what changed meanwhile): the way back to its page, to reload
    // it. Not for a dead personal link: every page under it is as dead as the form.
    const back = req.method !== 'GET' && req.method !== 'HEAD' && (status === 403 || status === 409) ? formPage(app, req) : null;
    const next =
      err instanceof LinkInvalid && req.url.startsWith('/signin/')
        ? { href: '/signin', label: 'Ask for a new sign-in link' }
        : back
          ? { href: back, label: 'Back to the page the form was on' }
          : undefined;
    return reply.status(status).type('text/html; charset=utf-8').send(withSiteName(site, () => ErrorPage({ status, title, message, admin, next })));
  }
  app.setErrorHandler(answerError);
  // An address no route takes is answered as any other that names nothing (pathParams); one that
  // a route takes under another method (a page sent a form) is 405, with the methods it takes.
  app.setNotFoundHandler((req, reply) => {
    const allowed = allowedMethods(app, req.url);
    if (allowed.length === 0 || allowed.includes(req.method)) throw new NotFound(noPageAt(req.url));
    reply.header('allow', allowed.join(', '));
    const pathname = req.url.split('?', 1)[0]!;
    const message = allowed.includes('GET')
      ? `The address ${pathname} takes no form submission.`
      : `The address ${pathname} only takes a form submission: there is no page to open at it.`;
    throw Object.assign(new Error(message), { statusCode: 405 });
  });

  installNoticeSigning(app, deps.noticeKey ?? noticeKey());
  await app.register(publicRoutes, { deps });
  await app.register(fileRoutes, { deps });
  await app.register(signinRoutes, { deps });
  await app.register(invitationRoutes, { deps });
  await app.register(inviteeTopicRoutes, { deps });
  await app.register(inviteeMaterialRoutes, { deps });
  await app.register(exportRoutes, { deps });
  await app.register(searchRoutes, { deps });
  await app.register(adminRoutes, { deps, prefix: '/admin' });
  return app;
}

/**
 * The page's own address for one written another way, with the query kept; null when there is
 * none, or the address is the page's own. Only GET and HEAD, only to a page on this site.
 * - Without its trailing slash: `/admin/editions/netconf/2027/` or `/admin/mail/`, typed or
 *   pasted, reaches the page. Only where no page's address ends in a slash (the public archive's
 *   pages do, and redirect the other way).
 * - Without `index.html`: the static export (`conclave export`) links its pages as `index.html`
 *   files, so that they open from disk; served as nginx's fallback while conclave restarts
 *   (docs/deploy.md), a visitor's next click or reload then asks conclave itself for
 *   `/netconf/2015/index.html` once it is back.
 */
function pageAddress(app: FastifyInstance, req: FastifyRequest): string | null {
  if (req.method !== 'GET' && req.method !== 'HEAD') return null;
  const at = req.url.indexOf('?');
  const pathname = at < 0 ? req.url : req.url.slice(0, at);
  const target = pathname.endsWith('/index.html')
    ? pathname.slice(0, -'index.html'.length)
    : pathname.endsWith('/') && pathname !== '/admin/' && SLASHLESS_AREAS.some((a) => pathname.startsWith(a))
      ? pathname.slice(0, -1)
      : null;
  if (target === null) return null;
  const route = app.findRoute({ method: 'GET', url: target });
  if (!route || Object.values(route.params).some((v) => v === '')) return null;
  return target + (at < 0 ? '' : req.url.slice(at));
}
/**
 * The page a refused form (an upload too large, an expired token, a conflict, a session ended)
 * came from, as a path on this site: the Referer when it is of this site's origin (another site's
 * is never linked), else the nearest page up the route the form was sent to (`…/materials/file`
 * is sent from `…/materials`, `/invitation/:token/answer` from `/invitation/:token`); null when
 * none is. `within` narrows either to the pages a caller may lead to (returnPath: the admin's),
 * or null when it is not one of them.
 */
export function formPage(app: FastifyInstance, req: FastifyRequest, within: (path: string) => string | null = (path) => path): string | null {
  const referer = req.headers.referer;
  if (typeof referer === 'string') {
    try {
      const from = new URL(referer);
      // "//host/…" would be another site's address, read as a path.
      const page = from.origin === new URL(`${req.protocol}://${req.host}`).origin && !/^\/[/\\]/.test(from.pathname) ? within(from.pathname + from.search) : null;
      if (page !== null) return page;
    } catch {
      // Not an address: fall back to the form's own.
    }
  }
  // Up the route's own pattern, segment by segment, to one a page is registered at: a page that
  // merely matches (`:part/:id` for `materials/file`) is another route's.
  const pattern = req.routeOptions.url?.split('/');
  const at = req.url.split('?', 1)[0]!.split('/');
  if (!pattern || pattern.length !== at.length) return null;
  for (let n = pattern.length; n > 1; n--) {
    if (app.hasRoute({ method: 'GET', url: pattern.slice(0, n).join('/') })) return within(at.slice(0, n).join('/'));
  }
  return null;
}

/**
 * The methods some route takes `url` under (GET with its HEAD), none when no route takes it.
 * A route matched only with an empty parameter (`/invitation/` for `/invitation/:token`) does not count.
 */
function allowedMethods(app: FastifyInstance, url: string): string[] {
  const pathname = url.split('?', 1)[0]!;
  return ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((method) => {
    const route = app.findRoute({ method: method as 'GET', url: pathname });
    return route !== null && !Object.values(route.params).some((v) => v === '');
  });
}
const SLASHLESS_AREAS = ['/admin/', '/invitation/', '/signin/'];
const PRIVATE_AREAS = ['/admin', '/invitation', '/signin'];

/**
 * Whether a path (the route it matched, or the path as the router reads it when none did) is in
 * a private area: the route, not the address as sent, so that `/%61dmin/` (the router's
 * `/admin/`) is kept by no cache either.
 */
function inPrivateArea(routed: string): boolean {
  return PRIVATE_AREAS.some((a) => routed === a || routed.startsWith(`${a}/`));
}

/** The path of an address as the router reads it: without its query, percent-decoded. */
function routedPath(url: string): string {
  const pathname = url.split('?')[0]!;
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    conclaveRoutes: { method: string; url: string }[];
    /** Runs `work` without the request waiting for it (see buildApp); `what` names it in the log. */
    afterAnswer(reply: FastifyReply, what: string, work: () => Promise<void>): void;
    /** Resolves once every afterAnswer work has ended. */
    settled(): Promise<void>;
  }
}

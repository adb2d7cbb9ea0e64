/**
 * The line a page shows after a write ("Saved.", "Zed moved up from the waiting list.") travels
 * in the address the write redirects to: `…?notice=Saved.`. Anyone could make such an address,
 * and a link to `/invitation/<token>?notice=Your+invitation+has+expired,+write+to+…` would show a
 * stranger's words on conclave's own page.
 *
 * So every redirect this server answers a write with (a POST, never a GET: a GET may copy the
 * address it was asked for into its Location, as `/search?…` does) is signed here if it carries a
 * notice (`&ns=…`, an HMAC of the page's path and the notice, so that a notice signed for one
 * page, perhaps with words an invitee chose, is not shown on another), as is an address a route
 * gives a page's script to go to (reply.noticeUrl); a request whose notice is not signed so has
 * it removed before any route reads it. Routes keep writing and reading `notice` as before. All processes of one server (the workers of
 * `serve --workers N`) share the key through the environment (NOTICE_KEY_ENV).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/** Set by `serve` before it starts workers, so that a notice signed by one is read by another. */
export const NOTICE_KEY_ENV = 'CONCLAVE_NOTICE_KEY';

/** The key of this process: the one its server shares, else one of its own. */
export function noticeKey(): Buffer {
  const shared = process.env[NOTICE_KEY_ENV];
  return shared ? Buffer.from(shared, 'hex') : randomBytes(32);
}

function sign(key: Buffer, pathname: string, notice: string): string {
  return createHmac('sha256', key).update(pathname).update('\0').update(notice).digest('base64url').slice(0, 22);
}

const BASE = 'http://conclave.invalid';

declare module 'fastify' {
  interface FastifyReply {
    /** `path` (with `?notice=…`) signed, for a page's script to go to after a write it made. */
    noticeUrl(path: string): string;
  }
}

/** `path` with its notice signed (`&ns=` before any fragment); as is when it has no notice. */
function signed(key: Buffer, path: string): string {
  const url = new URL(path, BASE);
  const notice = url.searchParams.get('notice');
  if (notice === null) return path;
  const hash = path.indexOf('#');
  const [head, fragment] = hash < 0 ? [path, ''] : [path.slice(0, hash), path.slice(hash)];
  return `${head}&ns=${sign(key, url.pathname, notice)}${fragment}`;
}

export function installNoticeSigning(app: FastifyInstance, key: Buffer): void {
  app.decorateReply('noticeUrl', (path: string) => signed(key, path));

  app.addHook('preValidation', async (req) => {
    const q = req.query as Record<string, unknown> | undefined;
    if (!q || q.notice === undefined) return;
    const given = typeof q.ns === 'string' ? Buffer.from(q.ns) : Buffer.alloc(0);
    const want = typeof q.notice === 'string' ? Buffer.from(sign(key, new URL(req.url, BASE).pathname, q.notice)) : null;
    if (!want || given.length !== want.length || !timingSafeEqual(given, want)) delete q.notice;
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (req.method === 'GET' || req.method === 'HEAD') return payload;
    const location = reply.getHeader('location');
    if (typeof location === 'string' && location.startsWith('/') && /[?&]notice=/.test(location)) reply.header('location', signed(key, location));
    return payload;
  });
}

/**
 * `text` ended as a sentence: with a full stop, unless it ends with one already (a name such as
 * "Mojatatu Networks Inc." closing "Saved the sponsor …" would otherwise show two).
 */
export function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

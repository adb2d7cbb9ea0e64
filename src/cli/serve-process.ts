/**
 * One serving process: the site, the outbox worker and the hourly jobs — `conclave serve`, or one
 * worker of `conclave serve --workers N` (ops/cluster.ts). Loaded only by a process that serves.
 *
 * Logs are pino's (Fastify's logger): one JSON object a line on stdout, each request with its id
 * (nginx's X-Request-Id when it sends one) but page cache hits, and the process's events (mail
 * deferred, a connection lost, a stop: say() below); LOG_LEVEL and LOG_FORMAT=pretty change them.
 * The start-up lines before it serves are plain text for the person starting it. SIGTERM
 * or SIGINT stops gracefully: /readyz says 503, the port closes, requests under way are answered,
 * the mail being sent is sent, then the process exits 0 (after 30 s it gives up, exit 1).
 */
import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { ConfigError, type Config } from '../config.js';
import { importBundledIfEmpty } from '../domain/archive/bundled.js';
import { hasActiveCommitteeMember } from '../domain/committee/accounts.js';
import { bootstrapCommittee } from '../domain/committee/bootstrap.js';
import { recordServerMail, recordServerTransport, smtpWhere } from '../domain/mail/server-settings.js';
import { createTransport } from '../domain/mail/transport.js';
import { startOutboxWorker } from '../domain/mail/worker.js';
import { runClockJobs } from '../ops/clock-jobs.js';
import { clusterRateStore } from '../ops/cluster-rate-limit.js';
import { noCommitteeWarning, SETUP_ENV, siblingInvalidation, type ListeningMessage } from '../ops/cluster.js';
import { buildApp, type AppDeps } from '../web/app.js';
import { siteNameOf } from '../domain/editions/site-name.js';
import { PageCache } from '../web/cache.js';
import { mailSettings, openInUse } from './context.js';

/** How long a graceful stop may take before the process gives up and exits 1. */
const SHUTDOWN_LIMIT_MS = 30_000;

/**
 * A request's address as the log keeps it: the secret of a personal or sign-in link left out.
 * The database keeps only a hash of each (a link stays good until its edition ends), and a log
 * is read, kept and shipped by more people than the database.
 */
export function loggedUrl(url: string): string {
  // Any spelling that reaches a route, or a 404 that names one mistyped: //Invitation/…, %2F,
  // and letters written as %XX, in the word or in the secret (the router decodes both).
  return url.replace(SECRET_IN_URL, '$1$2[link]');
}
/** A letter as a URL may spell it: itself (in either case, with the "i" flag) or %XX. */
const spelled = (word: string) => [...word].map((c) => `(?:${c}|%${c.toUpperCase().charCodeAt(0).toString(16)}|%${c.charCodeAt(0).toString(16)})`).join('');
const SECRET_IN_URL = new RegExp(`(${spelled('invitation')}|${spelled('signin')})(\\/+|%2f)(?:[^/?#%]|%(?!2f)[0-9a-f]{2}){8,}`, 'gi');

/** Fastify's logger options from LOG_LEVEL and LOG_FORMAT. */
export function loggerOf(config: Pick<Config, 'logLevel' | 'logFormat'>): AppDeps['logger'] {
  if (config.logLevel === 'silent') return false;
  return {
    level: config.logLevel,
    serializers: {
      // Fastify's own request serializer, but for the address.
      req: (req: FastifyRequest) => ({ method: req.method, url: loggedUrl(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort }),
    },
    ...(config.logFormat === 'pretty' ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:standard', ignore: 'hostname' } } } : {}),
  };
}

/** The app's afterWrite in notify mode: this cache marked at once, the siblings' through the primary. */
function writeTold(cache: PageCache): () => Promise<void> {
  const siblings = cluster.isWorker ? siblingInvalidation(() => cache.markDirty()) : null;
  return async () => {
    cache.markDirty();
    await siblings?.();
  };
}

export interface ServeOptions {
  bootstrap?: boolean;
  mailWorker: boolean;
  cache: boolean;
  log?: boolean;
  smtpPort?: string;
  smtpHost?: string;
}

/** An error as one log line keeps it: its message and code, not its stack. */
export function errorFields(err: unknown): { error: string; code?: string } {
  if (!(err instanceof Error)) return { error: String(err) };
  const code = (err as { code?: unknown }).code;
  return { error: err.message, ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}) };
}

type Level = 'info' | 'warn' | 'error';
/** An event of the serving process (not a request): a mail deferred, a connection lost, a stop. */
type Say = (level: Level, message: string, err?: unknown) => void;

export async function serveProcess(config: Config, opts: ServeOptions): Promise<void> {
  // In a worker the primary prints the address; the first worker (SETUP_ENV) has migrated and
  // bootstrapped before the others start.
  const inWorker = cluster.isWorker;
  const setupWorker = inWorker && process.env[SETUP_ENV] === '1';
  // Events go to the same JSON log as the requests, one object a line, once the app (and its
  // logger) exists; before that, a line on stderr.
  let sink: Say = (_level, message, err) => console.error(`conclave: ${message}${err === undefined ? '' : `: ${errorFields(err).error}`}`);
  const say: Say = (level, message, err) => sink(level, message, err);
  const handle = await openInUse(config, { log: (message, err) => say(err ? 'warn' : 'info', message, err) });
  const clock = () => new Date();
  try {
    let signinLink: string | null = null;
    if (opts.bootstrap && (!inWorker || setupWorker)) {
      const imported = await importBundledIfEmpty({ db: handle.db });
      if (imported.length) console.log(`conclave: imported the bundled archive: ${imported.map((p) => p.year).join(', ')}`);
    }
    const siteName = await siteNameOf(handle.db, config.siteName);
    const mail = mailSettings(config, siteName);
    const migrations = (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(handle.db)).rows.map((r) => r.name);
    let draining = false;
    const cacheMode = opts.cache ? config.cacheMode : 'off';
    const cache = cacheMode === 'off' ? undefined : new PageCache(handle.db, { onError: (err) => say('warn', 'page cache: could not look at the database', err) });
    // On PostgreSQL the cache is told of writes (LISTEN/NOTIFY) rather than looking each time.
    const stopListening =
      cache && cacheMode === 'notify' && handle.listen
        ? handle.listen('conclave_cache', { onNotify: () => cache.markDirty(), onState: (on) => cache.setListening(on) })
        : null;
    const app = await buildApp({
      db: handle.db,
      logger: opts.log && config.logLevel === 'silent' ? { level: 'info' } : loggerOf(config),
      mail,
      siteName,
      filesDir: config.filesDir,
      maxUploadBytes: config.maxUploadBytes,
      trustProxy: config.trustProxy,
      ...(config.smtpUrl ? {} : { mailboxDir: config.mailboxDir }),
      ...(cache ? { cache } : {}),
      // Told of writes by NOTIFY, which arrives a moment after the commit: a web write also
      // marks this process's cache and (in a cluster) its siblings' before its answer leaves.
      ...(cache && stopListening ? { afterWrite: writeTold(cache) } : {}),
      readiness: { expectedMigrations: migrations, draining: () => draining },
      // A cluster's workers count sign-in and invitation requests at the primary, as one server.
      ...(inWorker ? { rateLimitStore: clusterRateStore() } : {}),
    });
    sink = (level, message, err) => app.log[level](err === undefined ? {} : errorFields(err), message);
    // The inbound listener's modules (mailparser, smtp-server) are loaded only when asked for.
    const smtp = await (opts.smtpPort === undefined ? Promise.resolve(null) : import('./mail.js').then((m) => m.startInboundSmtp(handle, config, opts))).catch(async (err: unknown) => {
      await stopListening?.();
      throw err;
    });
    const transport = createTransport(config.smtpUrl ? { smtpUrl: config.smtpUrl } : { mailboxDir: config.mailboxDir });
    const worker = opts.mailWorker
      ? startOutboxWorker({ db: handle.db, transport, clock, workerId: `${process.pid}-${randomBytes(3).toString('hex')}`, pollMs: 2_000, log: (line) => say('warn', line), onError: (err) => say('error', 'outbox worker: a round failed', err) })
      : null;
    // Reminders and expiry need no one to press a button: once at start, then hourly; with
    // several processes on one database, one of them at a time.
    let clockRun: Promise<unknown> = Promise.resolve();
    const clockJob = () => {
      clockRun = runClockJobs({ db: handle.db, kind: handle.kind, clock, mail }).catch((err) => say('error', 'reminders: the hourly jobs failed', err));
    };
    const hourly = setInterval(clockJob, 3_600_000);
    hourly.unref();
    clockJob();
    const stop = async (signal: string) => {
      if (draining) return;
      draining = true;
      clearInterval(hourly);
      const limit = setTimeout(() => {
        say('error', `still stopping after ${SHUTDOWN_LIMIT_MS / 1000} s; exiting anyway`);
        process.exit(1);
      }, SHUTDOWN_LIMIT_MS);
      limit.unref();
      say('info', `${signal}, finishing requests and mail, closing the database`);
      await app.close();
      await smtp?.close();
      await clockRun;
      await worker?.stop();
      await stopListening?.();
      await cache?.idle();
      await handle.close();
      process.exit(0);
    };
    // A worker's primary passes every stop signal on, so a worker may get a second one (a
    // signal sent to the whole process group, then its primary's SIGTERM): while it drains,
    // that one must not kill it. A process of its own stops at once on a second Ctrl-C.
    const on = inWorker ? process.on.bind(process) : process.once.bind(process);
    on('SIGINT', () => void stop('SIGINT'));
    on('SIGTERM', () => void stop('SIGTERM'));
    // A worker is replaced by its primary on SIGHUP; a hangup sent to the whole group must
    // not kill it first.
    if (inWorker) process.on('SIGHUP', () => {});
    try {
      await app.listen({ port: config.port, host: config.host });
    } catch (err) {
      clearInterval(hourly);
      await worker?.stop();
      await smtp?.close();
      await stopListening?.();
      await app.close();
      // The jobs started above may still be reading: the database closes only once they are done.
      await clockRun;
      await cache?.idle();
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new ConfigError(`PORT=${config.port}: the port is in use on ${config.host} (another conclave, or another program)`);
      if (code === 'EACCES') throw new ConfigError(`PORT=${config.port}: not allowed to listen on it (ports below 1024 need privileges; put nginx in front)`);
      if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new ConfigError(`HOST=${config.host}: no such address on this machine`);
      throw err;
    }
    const port = (app.server.address() as AddressInfo).port;
    const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    const url = process.env.BASE_URL ? config.baseUrl : `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
    // PORT=0: the port is known only now. Commands run without BASE_URL and MAIL_* take these.
    mail.baseUrl = url;
    await recordServerMail(handle.db, { ...mail, siteName }, clock());
    await recordServerTransport(
      handle.db,
      !opts.mailWorker ? { kind: 'none' } : config.smtpUrl ? { kind: 'smtp', where: smtpWhere(config.smtpUrl) } : { kind: 'mailbox', dir: path.resolve(config.mailboxDir) },
      clock(),
    );
    if (inWorker) {
      if (setupWorker && opts.bootstrap) signinLink = await bootstrapCommittee({ db: handle.db, clock, mail: { ...mail, baseUrl: url } });
      const noCommittee = setupWorker && !(await hasActiveCommitteeMember({ db: handle.db }));
      process.send?.({ type: 'conclave:listening', port, url, signinLink, noCommittee } satisfies ListeningMessage);
      return;
    }
    console.log(`conclave: serving ${handle.kind === 'pglite' ? `the embedded database in ${handle.where}` : handle.where}`);
    console.log(`conclave: mail ${config.smtpUrl ? `goes over SMTP_URL (${smtpWhere(config.smtpUrl)})` : `goes to the local mailbox ${config.mailboxDir}`}`);
    if (opts.bootstrap) signinLink = await bootstrapCommittee({ db: handle.db, clock, mail: { ...mail, baseUrl: url } });
    if (signinLink) {
      console.log(`conclave: a demo committee member was created; sign in within 15 minutes at\n  ${signinLink}`);
      console.log('conclave: (later: `npx conclave committee signin-link committee@example.org`)');
    }
    // Once, at start: a site begun empty (without --bootstrap) has nobody to sign in yet.
    if (!(await hasActiveCommitteeMember({ db: handle.db }))) console.log(noCommitteeWarning(handle.kind === 'pglite'));
    console.log(`conclave: open ${url}/`);
  } catch (err) {
    await handle.close();
    throw err;
  }
}

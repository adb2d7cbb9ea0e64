/**
 * `conclave serve --workers N`: a primary process that forks N workers sharing one port (node's
 * cluster), each a whole `conclave serve` on the same PostgreSQL database: pages, mail (the outbox
 * is claimed with SKIP LOCKED) and the hourly jobs (one process at a time, clock-jobs.ts). The
 * page caches of the workers stay exact through the database (web/cache.ts), not through the
 * primary, which does no work of its own beyond:
 *
 * - starting one worker first, alone (SETUP_ENV set): it migrates the database and, with
 *   --bootstrap, imports the archive and creates the demo member; the others start once it listens;
 * - restarting a worker that dies (giving up if they keep dying at start);
 * - SIGTERM or SIGINT: passing it on, waiting for every worker to finish what it serves, exit 0;
 * - the rate limits of sign-in and personal links, counted once for all workers
 *   (cluster-rate-limit.ts);
 * - SIGHUP: a rolling restart, one worker at a time, each replaced once its successor listens,
 *   so the port never stops answering. The workers load the build on disk then; the primary
 *   keeps the code it started with, so an upgrade restarts the whole service (docs/deploy.md).
 */
import { randomBytes } from 'node:crypto';
import cluster, { type Worker } from 'node:cluster';
import { ConfigError, redactUrl, type Config } from '../config.js';
import { DomainError, TemporaryFailure } from '../domain/errors.js';
import { NOTICE_KEY_ENV } from '../web/notices.js';
import { smtpWhere } from '../domain/mail/server-settings.js';
import { answerRate, isRateMessage, RateCounts } from './cluster-rate-limit.js';

// The primary imports nothing of the web app, the database or the domain: it holds only Node and
// the configuration (~50 MB instead of ~110), and a rolling restart loads new code in the workers.

/** Set in the environment of the worker that prepares the database before the others start. */
export const SETUP_ENV = 'CONCLAVE_SETUP_WORKER';

/** What a worker tells the primary once it listens. */
export interface ListeningMessage {
  type: 'conclave:listening';
  port: number;
  url: string;
  /** The setup worker with --bootstrap: the demo member's sign-in link, when one was made. */
  signinLink?: string | null;
  /** The setup worker: the committee has no active member, so nobody can sign in. */
  noCommittee?: boolean;
}

/**
 * The start-up line of a server whose committee has no active member: nobody can sign in (the
 * admin and every committee page ask for it), and only the command line adds the first one.
 * `embedded`: the server holds the data directory, so the command waits for it to stop.
 */
export function noCommitteeWarning(embedded: boolean): string {
  const when = embedded ? ' (stop the server first: it holds the data directory)' : '';
  return `conclave: warning: the committee has no member, so nobody can sign in; add one with \`npx conclave committee add EMAIL --name NAME\`${when}`;
}

export function isListeningMessage(m: unknown): m is ListeningMessage {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'conclave:listening';
}

function say(line: string): void {
  console.log(`conclave: ${line}`);
}

/**
 * A web write in one worker, told to its siblings through the primary before its answer leaves
 * (CONCLAVE_CACHE=notify): "wrote" from the writer; "dirty" to each sibling, which marks its
 * cache to look before its next hit and answers "dirty-ack"; "wrote-ack" back to the writer
 * once all have. LISTEN/NOTIFY tells them too, but a moment later; this makes the writer's next
 * request exact whichever worker serves it.
 */
type WriteMessage = { type: 'conclave:wrote' | 'conclave:wrote-ack' | 'conclave:dirty' | 'conclave:dirty-ack'; id: number };

function isWriteMessage(m: unknown): m is WriteMessage {
  const t = (m as { type?: unknown } | null)?.type;
  return typeof t === 'string' && /^conclave:(wrote|dirty)(-ack)?$/.test(t) && typeof (m as { id?: unknown }).id === 'number';
}

/** What the relay needs of a worker (node's cluster Worker, or a stand-in in tests). */
export interface RelayWorker {
  send(message: WriteMessage): unknown;
  isConnected(): boolean;
  once(event: 'exit', listener: () => void): unknown;
  off(event: 'exit', listener: () => void): unknown;
}

/**
 * The primary's side of WriteMessage: each write is told to every other worker, and acknowledged
 * to the writer once each sibling that listens has marked its cache (or has gone). A sibling
 * still starting is told too but not waited for: it serves nothing yet, its cache starts out
 * unsure, and it may not read messages until it has loaded (during a rolling restart every
 * write would wait out the writer's limit for it).
 */
export class WriteRelay<W extends RelayWorker> {
  private readonly acks = new Map<number, (from: W) => void>();
  private relays = 0;

  constructor(
    private readonly workers: () => Iterable<W>,
    private readonly listens: (w: W) => boolean,
  ) {}

  wrote(writer: W, writerId: number): void {
    const id = ++this.relays;
    const siblings = [...this.workers()].filter((w) => w !== writer && w.isConnected());
    const pending = new Set(siblings.filter((w) => this.listens(w)));
    const gone = new Map<W, () => void>();
    const finish = () => {
      this.acks.delete(id);
      for (const [w, f] of gone) w.off('exit', f);
      if (writer.isConnected()) writer.send({ type: 'conclave:wrote-ack', id: writerId });
    };
    for (const w of pending) {
      const f = () => {
        pending.delete(w);
        if (!pending.size) finish();
      };
      gone.set(w, f);
      w.once('exit', f);
    }
    if (pending.size) {
      this.acks.set(id, (from) => {
        if (pending.delete(from) && !pending.size) finish();
      });
    }
    for (const w of siblings) w.send({ type: 'conclave:dirty', id });
    if (!pending.size) finish();
  }

  acked(from: W, id: number): void {
    this.acks.get(id)?.(from);
  }
}

/**
 * In a worker: marks the cache on every `dirty` from the primary, and returns the function that
 * tells the siblings of a write and resolves once they all know (or after `limitMs`).
 */
export function siblingInvalidation(markDirty: () => void, limitMs = 2_000): () => Promise<void> {
  let next = 0;
  const waiting = new Map<number, () => void>();
  process.on('message', (m: unknown) => {
    if (!isWriteMessage(m)) return;
    if (m.type === 'conclave:dirty') {
      markDirty();
      process.send?.({ type: 'conclave:dirty-ack', id: m.id } satisfies WriteMessage);
    } else if (m.type === 'conclave:wrote-ack') {
      waiting.get(m.id)?.();
    }
  });
  return () =>
    new Promise<void>((resolve) => {
      const id = ++next;
      const timer = setTimeout(done, limitMs);
      function done() {
        clearTimeout(timer);
        waiting.delete(id);
        resolve();
      }
      waiting.set(id, done);
      process.send?.({ type: 'conclave:wrote', id } satisfies WriteMessage);
    });
}

export async function runPrimary(opts: { config: Config; workers: number; bootstrap: boolean }): Promise<void> {
  // One key for the notices of all workers: a redirect answered by one is followed to another.
  process.env[NOTICE_KEY_ENV] ??= randomBytes(32).toString('hex');
  const { config, workers } = opts;
  if (!config.databaseUrl) {
    throw new ConfigError(
      `--workers ${workers}: the embedded database (CONCLAVE_DATA) serves one process only; set DATABASE_URL to a PostgreSQL database to serve from several workers`,
    );
  }
  // V8's young generation may grow to 3 × 16 MB per worker; serving cached pages it gains
  // nothing from more than 4 MB semi-spaces (same requests/s in bench/http), and each worker
  // keeps ~25 MB less. A --max-semi-space-size given in NODE_OPTIONS or to node wins.
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes('--max-semi-space-size'));
  if (!given) cluster.setupPrimary({ execArgv: [...process.execArgv, '--max-semi-space-size=4'] });

  const live = new Set<Worker>();
  const listening = new WeakSet<Worker>();
  let stopping = false;
  let restarting = false;
  /** When each worker died in the last minute, and whether its failure was a passing one (exit 75). */
  const deaths: { at: number; temporary: boolean }[] = [];

  const fork = (env: Record<string, string> = {}): Promise<{ worker: Worker; msg: ListeningMessage }> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork(env);
      let listened = false;
      live.add(worker);
      const onMessage = (m: unknown) => {
        if (!isListeningMessage(m)) return;
        listened = true;
        listening.add(worker);
        worker.off('message', onMessage);
        worker.off('exit', onEarlyExit);
        resolve({ worker, msg: m });
      };
      // A worker that exits 75 found the database server not answering (or another passing
      // failure): the primary exits 75 too, so that systemd starts the service again.
      const onEarlyExit = (code: number | null) => {
        const why = `worker ${worker.process.pid} stopped (exit ${code}) before it listened; its error is above`;
        reject(code === 75 ? new TemporaryFailure(why) : new DomainError(why));
      };
      worker.on('message', onMessage);
      worker.on('message', (m: unknown) => {
        if (isWriteMessage(m) && m.type === 'conclave:wrote') relay.wrote(worker, m.id);
        if (isWriteMessage(m) && m.type === 'conclave:dirty-ack') relay.acked(worker, m.id);
        if (isRateMessage(m) && worker.isConnected()) worker.send(answerRate(rates, m));
      });
      worker.once('exit', onEarlyExit);
      worker.once('exit', (code, signal) => {
        live.delete(worker);
        // One that never listened failed to start: its fork() rejects, and whoever forked it says so.
        if (!listened || stopping || worker.exitedAfterDisconnect || (worker as Worker & { conclaveRetired?: boolean }).conclaveRetired) return;
        replace(`worker ${worker.process.pid} died (${signal ?? `exit ${code}`})`, code === 75);
      });
    });

  // The rate limits' counts of every worker (cluster-rate-limit.ts): one server's limits.
  const rates = new RateCounts();
  const relay = new WriteRelay<Worker>(
    () => live,
    (w) => listening.has(w),
  );

  /**
   * Starts a worker in place of one that died; one that cannot start counts as another death.
   * `temporary`: it exited 75, a failure that may pass (the database server not answering).
   */
  const replace = (why: string, temporary: boolean): void => {
    if (stopping) return;
    say(`${why}; starting another`);
    const now = Date.now();
    deaths.push({ at: now, temporary });
    while (deaths.length && deaths[0]!.at < now - 60_000) deaths.shift();
    if (deaths.length > 5) {
      // Workers that cannot start because the database server does not answer (exit 75) make the
      // primary exit 75 too, so that systemd starts the service again (RestartPreventExitStatus=1
      // keeps it from retrying exit 1). The last death decides: the first one of the run may have
      // had another cause, and the ones after it say why no worker can start now.
      if (temporary) {
        console.error('conclave: workers keep dying (more than 5 in a minute), the last for a passing failure (exit 75); stopping, to be started again later');
        void shutdown('worker failures', 75);
      } else {
        console.error('conclave: workers keep dying (more than 5 in a minute); stopping');
        void shutdown('worker failures', 1);
      }
      return;
    }
    fork().catch((err: Error) => replace(err.message, err instanceof TemporaryFailure));
  };

  const waitExit = (w: Worker) => new Promise<void>((resolve) => (w.isDead() ? resolve() : w.once('exit', () => resolve())));

  const shutdown = async (why: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    say(`${why}: stopping ${live.size} worker(s); each finishes its requests and mail`);
    const all = [...live];
    // A worker that could not stop gracefully (it gave up after its limit, or was killed) may
    // have cut requests or mail: the primary does not report a clean stop for it.
    const unclean: string[] = [];
    // One still starting (a rolling restart's new worker) has served nothing: ended by this
    // SIGTERM before it could take the signal gently, it cut nothing.
    const cutNothing = (w: Worker, signal: string | null) => signal === 'SIGTERM' && !listening.has(w);
    for (const w of all) w.once('exit', (c: number | null, signal: string | null) => c !== 0 && !cutNothing(w, signal) && unclean.push(`${w.process.pid} (${signal ?? `exit ${c}`})`));
    for (const w of all) w.process.kill('SIGTERM');
    await Promise.all(all.map(waitExit));
    if (unclean.length > 0) {
      console.error(`conclave: worker(s) ${unclean.join(', ')} did not stop cleanly`);
      process.exit(code || 1);
    }
    say('all workers stopped');
    process.exit(code);
  };

  const rollingRestart = async () => {
    if (restarting || stopping) return;
    restarting = true;
    say('SIGHUP: restarting the workers one at a time');
    try {
      for (const old of [...live]) {
        if (stopping) break;
        const { worker } = await fork();
        say(`worker ${worker.process.pid} listens; retiring ${old.process.pid}`);
        (old as Worker & { conclaveRetired?: boolean }).conclaveRetired = true;
        old.process.kill('SIGTERM');
        await waitExit(old);
      }
      say('restart done');
    } catch (err) {
      // A stop during the restart ends the worker it was starting: that is the stop, not a failure.
      if (stopping) say('restart cut short by the stop');
      else console.error(`conclave: restart failed: ${(err as Error).message}`);
    } finally {
      restarting = false;
    }
  };

  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGHUP', () => void rollingRestart());

  // The first worker alone migrates (and bootstraps); then the others start beside it.
  let first: Awaited<ReturnType<typeof fork>>;
  let started: Awaited<ReturnType<typeof fork>>[];
  try {
    first = await fork({ [SETUP_ENV]: '1' });
    started = [first, ...(await Promise.all(Array.from({ length: workers - 1 }, () => fork())))];
  } catch (err) {
    // One could not start: stop the others rather than serve with fewer than asked.
    stopping = true;
    for (const w of live) w.process.kill('SIGTERM');
    await Promise.all([...live].map(waitExit));
    throw err;
  }
  const { url, signinLink, noCommittee } = first.msg;
  say(`serving ${redactUrl(config.databaseUrl)} from ${workers} workers (${started.map((s) => s.worker.process.pid).join(', ')}); primary ${process.pid}`);
  say(`mail ${config.smtpUrl ? `goes over SMTP_URL (${smtpWhere(config.smtpUrl)})` : `goes to the local mailbox ${config.mailboxDir}`}`);
  if (signinLink) {
    say(`a demo committee member was created; sign in within 15 minutes at\n  ${signinLink}`);
    say('(later: `npx conclave committee signin-link committee@example.org`)');
  }
  if (noCommittee) console.log(noCommitteeWarning(false));
  say(`open ${url}/`);
}


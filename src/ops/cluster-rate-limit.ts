/**
 * Rate limits shared by the workers of `conclave serve --workers N`. @fastify/rate-limit counts in
 * the memory of each process, so with N workers a client had N times the limit (ten sign-in
 * links a quarter of an hour became forty with four workers): the cluster spreads connections
 * over the workers. Here each worker asks the primary, which holds the one count of every
 * (route, client) pair: a message each way over the cluster's channel, no database write. A
 * rolling restart (SIGHUP) keeps the counts, as the primary stays.
 *
 * Should the primary not answer within a second (it is shutting down, the channel is gone, or it
 * is an older build that does not know the question: a rolling restart keeps the primary), the
 * worker counts by itself, as it did before: the limit still holds, per worker. It then counts
 * by itself for a minute before asking again, so that no request waits that second each time.
 */
import type { FastifyRateLimitOptions, FastifyRateLimitStore } from '@fastify/rate-limit';

/** A worker's question: count one more (or only read) request of `key` within `timeWindow` ms. */
export interface RateMessage {
  type: 'conclave:rate';
  id: number;
  key: string;
  timeWindow: number;
  increment: boolean;
}
/** The primary's answer: the count within the current window and the ms left of it. */
export interface RateAnswer {
  type: 'conclave:rate-ack';
  id: number;
  current: number;
  ttl: number;
}

export function isRateMessage(m: unknown): m is RateMessage {
  const r = m as Partial<RateMessage> | null;
  return r?.type === 'conclave:rate' && typeof r.id === 'number' && typeof r.key === 'string' && typeof r.timeWindow === 'number' && typeof r.increment === 'boolean';
}

function isRateAnswer(m: unknown): m is RateAnswer {
  const r = m as Partial<RateAnswer> | null;
  return r?.type === 'conclave:rate-ack' && typeof r.id === 'number' && typeof r.current === 'number' && typeof r.ttl === 'number';
}

/**
 * Fixed windows of counts by key, as the plugin's own store keeps them: a window starts at a
 * key's first request and lasts `timeWindow` ms. At most `capacity` keys: past it the oldest
 * window goes first (a Map keeps insertion order, and a renewed window is inserted again), so
 * a flood of addresses cannot grow the primary without bound.
 */
export class RateCounts {
  private readonly windows = new Map<string, { current: number; start: number }>();

  constructor(
    private readonly capacity = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  count(key: string, timeWindow: number, increment: boolean): { current: number; ttl: number } {
    const now = this.now();
    let w = this.windows.get(key);
    if (w && w.start + timeWindow <= now) {
      this.windows.delete(key);
      w = undefined;
    }
    if (!increment) return w ? { current: w.current, ttl: w.start + timeWindow - now } : { current: 0, ttl: 0 };
    if (!w) {
      w = { current: 0, start: now };
      this.windows.set(key, w);
      if (this.windows.size > this.capacity) this.windows.delete(this.windows.keys().next().value as string);
    }
    w.current++;
    return { current: w.current, ttl: w.start + timeWindow - now };
  }
}

/** The primary's side: answers a worker's RateMessage from the one set of counts. */
export function answerRate(counts: RateCounts, m: RateMessage): RateAnswer {
  return { type: 'conclave:rate-ack', id: m.id, ...counts.count(m.key, m.timeWindow, m.increment) };
}

/** What a worker's store needs of its process: the channel to the primary. */
export interface RateChannel {
  send(m: RateMessage): void;
  onMessage(listener: (m: unknown) => void): void;
}

const processChannel: RateChannel = {
  send: (m) => void process.send?.(m),
  onMessage: (listener) => void process.on('message', listener),
};

/**
 * The store class for @fastify/rate-limit in a worker: each count asked of the primary, answered
 * within `limitMs` or else counted here. One channel listener for all routes' stores.
 */
export function clusterRateStore(channel: RateChannel = processChannel, limitMs = 1_000, aloneMs = 60_000, now: () => number = Date.now) {
  const waiting = new Map<number, (a: RateAnswer) => void>();
  const local = new RateCounts();
  let next = 0;
  /** Until when this worker counts by itself, the primary having left a question unanswered. */
  let aloneUntil = 0;
  channel.onMessage((m) => {
    if (isRateAnswer(m)) waiting.get(m.id)?.(m);
  });

  function ask(key: string, timeWindow: number, increment: boolean, cb: (err: Error | null, r?: { current: number; ttl: number }) => void): void {
    if (now() < aloneUntil) return cb(null, local.count(key, timeWindow, increment));
    const id = ++next;
    const timer = setTimeout(() => {
      waiting.delete(id);
      aloneUntil = now() + aloneMs;
      cb(null, local.count(key, timeWindow, increment));
    }, limitMs);
    waiting.set(id, (a) => {
      clearTimeout(timer);
      waiting.delete(id);
      cb(null, { current: a.current, ttl: a.ttl });
    });
    channel.send({ type: 'conclave:rate', id, key, timeWindow, increment });
  }

  return class ClusterRateStore implements FastifyRateLimitStore {
    /** The route's part of every key: its method and path, as the plugin's Redis store makes it. */
    constructor(
      _options?: FastifyRateLimitOptions,
      private readonly prefix = '',
    ) {}

    incr(key: string, cb: (err: Error | null, r?: { current: number; ttl: number }) => void, timeWindow: number): void {
      ask(this.prefix + key, timeWindow, true, cb);
    }

    read(key: string, cb: (err: Error | null, r?: { current: number; ttl: number }) => void, timeWindow: number): void {
      ask(this.prefix + key, timeWindow, false, cb);
    }

    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      // The plugin passes the route's options under routeInfo (its types say otherwise).
      const r = (routeOptions as { routeInfo?: { method?: unknown; url?: unknown } }).routeInfo;
      return new ClusterRateStore(undefined, `${this.prefix}${String(r?.method ?? '')} ${String(r?.url ?? '')}|`);
    }
  };
}

import { describe, expect, it } from 'vitest';
import { answerRate, clusterRateStore, isRateMessage, RateCounts, type RateChannel } from './cluster-rate-limit.js';

/** A primary answering over an in-memory channel, as the cluster's would; `mute` stops it. */
function primary(counts: RateCounts) {
  const state = { mute: false, asked: 0 };
  const channel = (): RateChannel => {
    const listeners: ((m: unknown) => void)[] = [];
    return {
      send: (m) => {
        state.asked++;
        if (state.mute || !isRateMessage(m)) return;
        const a = answerRate(counts, m);
        queueMicrotask(() => listeners.forEach((l) => l(a)));
      },
      onMessage: (l) => void listeners.push(l),
    };
  };
  return { state, channel };
}

const incr = (store: { incr: (k: string, cb: (e: Error | null, r?: { current: number; ttl: number }) => void, w: number, max: number) => void }, key: string, window = 60_000) =>
  new Promise<{ current: number; ttl: number }>((resolve, reject) => store.incr(key, (e, r) => (e ? reject(e) : resolve(r!)), window, 10));

const route = (method: string, url: string) => ({ routeInfo: { method, url } }) as never;

describe('RateCounts', () => {
  it('counts within a window, starts again after it, and reads without counting', () => {
    let now = 1_000;
    const c = new RateCounts(100, () => now);
    expect(c.count('a', 500, true)).toEqual({ current: 1, ttl: 500 });
    now += 200;
    expect(c.count('a', 500, true)).toEqual({ current: 2, ttl: 300 });
    expect(c.count('a', 500, false)).toEqual({ current: 2, ttl: 300 });
    expect(c.count('b', 500, false)).toEqual({ current: 0, ttl: 0 });
    now += 300;
    expect(c.count('a', 500, false)).toEqual({ current: 0, ttl: 0 });
    expect(c.count('a', 500, true)).toEqual({ current: 1, ttl: 500 });
  });

  it('keeps at most its capacity of keys, the oldest window going first', () => {
    const c = new RateCounts(2, () => 0);
    c.count('a', 1_000, true);
    c.count('b', 1_000, true);
    c.count('c', 1_000, true);
    expect(c.count('a', 1_000, false).current).toBe(0);
    expect(c.count('b', 1_000, false).current).toBe(1);
    expect(c.count('c', 1_000, false).current).toBe(1);
  });
});

describe('clusterRateStore', () => {
  it('counts the requests of two workers at the one primary, per route', async () => {
    const p = primary(new RateCounts());
    const [A, B] = [clusterRateStore(p.channel()), clusterRateStore(p.channel())];
    const a = new A().child(route('GET', '/signin/:token'));
    const b = new B().child(route('GET', '/signin/:token'));
    const other = new B().child(route('POST', '/signin'));
    const seen = [];
    for (let i = 0; i < 3; i++) seen.push((await incr(a, '10.0.0.1')).current, (await incr(b, '10.0.0.1')).current);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await incr(other, '10.0.0.1')).current).toBe(1);
    expect((await incr(b, '10.0.0.2')).current).toBe(1);
  });

  it('counts by itself when the primary does not answer, and asks again only a while later', async () => {
    const p = primary(new RateCounts());
    p.state.mute = true;
    let clock = 1_000;
    const S = clusterRateStore(p.channel(), 20, 60_000, () => clock);
    const s = new S().child(route('GET', '/invitation/:token'));
    expect((await incr(s, '10.0.0.1')).current).toBe(1);
    // Unanswered once: the next requests do not wait for it again, for a minute.
    expect((await incr(s, '10.0.0.1')).current).toBe(2);
    expect(p.state.asked).toBe(1);
    clock += 60_000;
    p.state.mute = false;
    expect((await incr(s, '10.0.0.1')).current).toBe(1);
    expect(p.state.asked).toBe(2);
  });
});

/**
 * The primary's relay of a worker's write to its siblings (serve --workers, CONCLAVE_CACHE=notify),
 * with stand-in workers: who is told, who is waited for, and when the writer hears back.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { WriteRelay, type RelayWorker } from '../../src/ops/cluster.js';

class FakeWorker extends EventEmitter implements RelayWorker {
  readonly sent: { type: string; id: number }[] = [];
  connected = true;
  constructor(readonly name: string) {
    super();
  }
  send(message: { type: string; id: number }): boolean {
    this.sent.push(message);
    return true;
  }
  isConnected(): boolean {
    return this.connected;
  }
  acks(): number[] {
    return this.sent.filter((m) => m.type === 'conclave:wrote-ack').map((m) => m.id);
  }
  dirty(): number[] {
    return this.sent.filter((m) => m.type === 'conclave:dirty').map((m) => m.id);
  }
}

function setUp(...names: string[]) {
  const workers = names.map((n) => new FakeWorker(n));
  const listening = new Set<FakeWorker>();
  const relay = new WriteRelay<FakeWorker>(
    () => workers,
    (w) => listening.has(w),
  );
  return { workers, listening, relay };
}

describe('the primary’s write relay', () => {
  it('answers the writer once every listening sibling has marked its cache', () => {
    const { workers, listening, relay } = setUp('a', 'b', 'c');
    const [a, b, c] = workers as [FakeWorker, FakeWorker, FakeWorker];
    for (const w of workers) listening.add(w);
    relay.wrote(a, 7);
    expect(a.dirty()).toEqual([]);
    expect(b.dirty()).toHaveLength(1);
    expect(c.dirty()).toHaveLength(1);
    relay.acked(b, b.dirty()[0]!);
    expect(a.acks()).toEqual([]);
    relay.acked(c, c.dirty()[0]!);
    expect(a.acks()).toEqual([7]);
  });

  it('tells a sibling still starting, but answers the writer without waiting for it', () => {
    const { workers, listening, relay } = setUp('a', 'b', 'new');
    const [a, b, starting] = workers as [FakeWorker, FakeWorker, FakeWorker];
    listening.add(a).add(b);
    relay.wrote(a, 1);
    expect(starting.dirty()).toHaveLength(1);
    relay.acked(b, b.dirty()[0]!);
    expect(a.acks()).toEqual([1]);
    // Alone with a starting sibling: answered at once.
    relay.wrote(b, 2);
    expect(b.acks()).toEqual([]);
    relay.acked(a, a.dirty()[0]!);
    expect(b.acks()).toEqual([2]);
    const { workers: pair, listening: l2, relay: r2 } = setUp('x', 'starting');
    l2.add(pair[0]!);
    r2.wrote(pair[0]!, 5);
    expect(pair[0]!.acks()).toEqual([5]);
    expect(pair[1]!.dirty()).toHaveLength(1);
  });

  it('stops waiting for a sibling that exits, and ignores an ack it does not wait for', () => {
    const { workers, listening, relay } = setUp('a', 'b', 'c');
    const [a, b, c] = workers as [FakeWorker, FakeWorker, FakeWorker];
    for (const w of workers) listening.add(w);
    relay.wrote(a, 3);
    relay.acked(b, b.dirty()[0]!);
    relay.acked(b, b.dirty()[0]!);
    expect(a.acks()).toEqual([]);
    c.emit('exit');
    expect(a.acks()).toEqual([3]);
    expect(c.listenerCount('exit')).toBe(0);
    expect(b.listenerCount('exit')).toBe(0);
  });
});

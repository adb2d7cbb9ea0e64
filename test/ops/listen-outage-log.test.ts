/**
 * The page cache's LISTEN connection through an outage of the database server: it retries every
 * few seconds for as long as the outage lasts, and a log that said the same error at each retry
 * buried everything else (one line each 10 s per process, for hours). It says the outage once as
 * it starts and once as it ends.
 *
 * A relay stands for a proxy in front of PostgreSQL (as in serve-connection-lost.test.ts): killed,
 * it cuts the listening connection and refuses the retries (ECONNREFUSED) until it starts again.
 *
 * PostgreSQL only (TEST_DATABASE_URL).
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/db/connect.js';

const adminUrl = process.env.TEST_DATABASE_URL;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

/** A TCP relay to the database server whose connections can all be cut, and that can stop and start. */
class Relay {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  port = 0;
  constructor(private readonly target: URL) {}

  async start(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(Number(this.target.port || 5432), this.target.hostname);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  /** Stops listening and cuts every connection, as a proxy that is killed: new ones are refused. */
  async kill(): Promise<void> {
    if (!this.server?.listening) return;
    const closed = new Promise<void>((resolve) => this.server!.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}

async function until(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!adminUrl)('the page cache’s LISTEN connection through an outage', () => {
  it('says the outage once as it starts and once as it ends, not at every retry', async () => {
    const relay = new Relay(new URL(adminUrl!));
    await relay.start();
    cleanups.push(() => relay.kill());
    const relayed = new URL(adminUrl!);
    relayed.port = String(relay.port);

    const said: { message: string; error?: string }[] = [];
    const handle = await openPostgres(relayed.toString(), (message, err) => said.push({ message, ...(err ? { error: err.message } : {}) }));
    cleanups.push(() => handle.close());
    // onState(false) once for the loss and once for each retry that failed.
    const states: boolean[] = [];
    const failed = () => states.filter((on) => !on).length;
    const stop = handle.listen!('conclave_cache', { onNotify: () => {}, onState: (on) => states.push(on) });
    cleanups.push(stop);
    await until(() => states.at(-1) === true, 'the listener to listen');
    expect(said).toEqual([]);

    await relay.kill();
    // The loss, then three retries refused (250 ms, 500 ms and 1 s after it).
    await until(() => failed() >= 4, 'three retries to fail');
    expect(said).toEqual([{ message: 'LISTEN conclave_cache lost; retrying (the next line says when it listens again)', error: 'Connection terminated unexpectedly' }]);

    await relay.start();
    await until(() => states.at(-1) === true, 'the listener to listen again');
    expect(said).toHaveLength(2);
    expect(said[1]!.error).toBeUndefined();
    expect(said[1]!.message).toMatch(new RegExp(`^LISTEN conclave_cache listens again, \\d+ s and ${failed()} failed attempts after it was lost$`));
  });
});

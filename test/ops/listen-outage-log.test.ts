/**
 * The page cache's LISTEN connection through an outage of the database server: it retries every
 * few seconds for as long as the outage lasts, and a log that said the same error at each retry
 * buried everything else (one line each 10 s per process, for hours). It says the outage once as
 * it starts and once as it ends.
 *
 * A relay (test/support/pg-relay.ts) stands for a proxy in front of PostgreSQL: killed,
 * it cuts the listening connection and refuses the retries (ECONNREFUSED) until it starts again.
 *
 * PostgreSQL only (TEST_DATABASE_URL).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Relay } from '../support/pg-relay.js';
import { openPostgres } from '../../src/db/connect.js';

const adminUrl = process.env.TEST_DATABASE_URL;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

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

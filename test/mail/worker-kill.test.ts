/**
 * A worker killed mid-batch loses nothing and, restarted, does not resend what the SMTP server
 * already accepted. Two variants:
 *
 * - a real worker process (PostgreSQL only) SIGKILLed while the server holds its 8th message
 *   unanswered; a second process, once the lease has passed, delivers the rest;
 * - in-process on both databases: stop({ abort: true }) drops the connection in the middle of a
 *   send, as a kill would; a new worker respects the lease, then delivers the rest.
 *
 * Each time: every Message-ID accepted exactly once, the hung one included (on the retry).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { createTransport } from '../../src/domain/mail/transport.js';
import { runOutboxOnce, startOutboxWorker } from '../../src/domain/mail/worker.js';
import { testDatabases } from '../support/db.js';
import { enqueueMany, states } from './fixtures.js';
import { startSink, type Sink } from './smtp-sink.js';

const root = path.resolve(import.meta.dirname, '../..');
const LEASE_PASSED_MS = 6 * 60_000;

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every row's Message-ID accepted exactly once, and only those. */
function expectExactlyOnce(sink: Sink, messageIds: string[]): void {
  const counts = sink.countById();
  expect([...counts.keys()].sort()).toEqual([...messageIds].sort());
  expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
}

const postgres = testDatabases().filter((d) => d.name === 'postgres');

describe.skipIf(postgres.length === 0)('a worker process killed mid-batch', () => {
  describe.each(postgres)('on $name', ({ open }) => {
    let handle: Db;
    let url: string;
    const children: ChildProcess[] = [];
    beforeAll(async () => {
      handle = await open();
      const { rows } = await sql<{ db: string }>`select current_database() as db`.execute(handle.db);
      const u = new URL(process.env.TEST_DATABASE_URL!);
      u.pathname = `/${rows[0]!.db}`;
      url = u.toString();
    });
    afterEach(() => {
      for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
    });
    afterAll(async () => handle?.close());

    function worker(id: string, smtpUrl: string, offsetMs: number): { child: ChildProcess; exited: Promise<NodeJS.Signals | number | null>; output: () => string } {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/mail/worker-child.ts'], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: url, SMTP_URL: smtpUrl, WORKER_ID: id, CLOCK_OFFSET_MS: String(offsetMs) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
      return { child, exited, output: () => out };
    }

    it('delivers each message exactly once after a SIGKILL and a restart', async () => {
      let first: ReturnType<typeof worker> | undefined;
      let hungId = '';
      const sink = await startSink({
        verdict: (n, a) => {
          if (n !== 8) return 'accept';
          // The server has the whole message and has not answered: kill the worker now.
          hungId = a.messageId;
          first!.child.kill('SIGKILL');
          return 'hang';
        },
      });
      try {
        const rows = await enqueueMany(handle.db, 20);
        first = worker('first', sink.url, 0);
        expect(await first.exited, first.output()).toBe('SIGKILL');

        // Seven accepted and recorded; the eighth is left 'sending' by the dead worker.
        expect(sink.accepted).toHaveLength(7);
        const s = await states(handle.db);
        expect(s.sent).toBe(7);
        const hung = await handle.db.selectFrom('outbox').selectAll().where('message_id', '=', hungId).executeTakeFirstOrThrow();
        expect(hung).toMatchObject({ state: 'sending', claimed_by: 'first' });

        // Restarted after the lease: the rest go, the seven are not sent again.
        const second = worker('second', sink.url, LEASE_PASSED_MS);
        await until('all 20 sent', async () => (await states(handle.db)).sent === 20);
        second.child.kill('SIGTERM');
        expect(await second.exited, second.output()).toBe(0);

        expectExactlyOnce(sink, rows.map((r) => r.message_id));
        expect(sink.countById().get(hungId)).toBe(1);
        expect(sink.dataCount()).toBe(21); // 20 accepted + the one never answered
        const again = await handle.db.selectFrom('outbox').selectAll().where('message_id', '=', hungId).executeTakeFirstOrThrow();
        expect(again).toMatchObject({ state: 'sent', claimed_by: 'second' });
        expect(again.last_error).toMatch(/^interrupted: first claimed it at /);
      } finally {
        await sink.close();
      }
    });
  });
});

describe.each(testDatabases())('a worker aborted mid-send on $name', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => handle?.close());

  it('leaves the row to the lease, and a new worker delivers each exactly once', async () => {
    const sink = await startSink({ verdict: (n) => (n === 7 ? 'hang' : 'accept') });
    const transport = createTransport({ smtpUrl: sink.url });
    try {
      const rows = await enqueueMany(handle.db, 20);
      const t0 = Date.now() + 1000;
      const w = startOutboxWorker({ db: handle.db, transport, clock: () => new Date(t0), workerId: 'first', batchSize: 10, pollMs: 10 });
      await until('the 7th message at the server', () => sink.dataCount() === 7);
      await w.stop({ abort: true });
      expect(sink.accepted).toHaveLength(6);
      expect(await states(handle.db)).toEqual({ sent: 6, sending: 4, queued: 10 });

      const round = (at: number) => runOutboxOnce({ db: handle.db, transport, clock: () => new Date(at), workerId: 'second', batchSize: 50 });
      // Within the lease the dead worker's rows are left alone; the queued ones go.
      expect(await round(t0 + 4 * 60_000)).toMatchObject({ claimed: 10, sent: 10 });
      expect(await states(handle.db)).toEqual({ sent: 16, sending: 4 });
      expect(await round(t0 + LEASE_PASSED_MS)).toMatchObject({ claimed: 4, sent: 4 });

      expectExactlyOnce(sink, rows.map((r) => r.message_id));
      expect(sink.dataCount()).toBe(21);
      expect(await round(t0 + 24 * 3600_000)).toMatchObject({ claimed: 0 });
    } finally {
      transport.close();
      await sink.close();
    }
  });
});

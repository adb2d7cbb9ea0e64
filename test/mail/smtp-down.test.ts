/**
 * The SMTP server is down (nothing listens on its port): a batch of 50 is kept, each with its
 * error and its back-off, none marked sent. Once the server is up on the same port and the
 * back-off has passed (injected clock), all 50 arrive, each exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { createTransport, type MailTransport } from '../../src/domain/mail/transport.js';
import { runOutboxOnce, type RoundResult } from '../../src/domain/mail/worker.js';
import { testDatabases } from '../support/db.js';
import { enqueueMany } from './fixtures.js';
import { freePort, startSink, type Sink } from './smtp-sink.js';

describe.each(testDatabases())('SMTP server down, then up, on $name', ({ open }) => {
  let handle: Db;
  let transport: MailTransport;
  let sink: Sink | undefined;
  let port: number;
  beforeAll(async () => {
    handle = await open();
    port = await freePort();
    transport = createTransport({ smtpUrl: `smtp://127.0.0.1:${port}` });
  });
  afterAll(async () => {
    transport?.close();
    await sink?.close();
    await handle?.close();
  });

  /** Rounds until one claims nothing; the totals. */
  async function drain(at: Date): Promise<RoundResult> {
    const total: RoundResult = { claimed: 0, sent: 0, deferred: 0, failed: 0, discarded: 0, skipped: 0 };
    for (;;) {
      const r = await runOutboxOnce({ db: handle.db, transport, clock: () => at, workerId: 'w', batchSize: 20 });
      if (r.claimed === 0) return total;
      for (const k of Object.keys(total) as (keyof RoundResult)[]) total[k] += r[k];
    }
  }

  it('keeps all 50 with their errors, then delivers each exactly once', async () => {
    const rows = await enqueueMany(handle.db, 50);
    const t0 = new Date(Date.now() + 1000);
    expect(await drain(t0)).toEqual({ claimed: 50, sent: 0, deferred: 50, failed: 0, discarded: 0, skipped: 0 });

    const kept = await handle.db.selectFrom('outbox').selectAll().orderBy('id').execute();
    expect(kept).toHaveLength(50);
    for (const r of kept) {
      expect(r).toMatchObject({ state: 'queued', attempts: 1, sent_at: null, transport: null, smtp_response: null, claimed_by: null });
      expect(r.last_error).toMatch(/ECONNREFUSED/);
      expect(r.next_attempt_at.getTime()).toBe(t0.getTime() + 60_000);
    }

    sink = await startSink({ port });
    // Up, but the back-off has not passed yet: nothing is tried.
    expect(await drain(new Date(t0.getTime() + 59_000))).toMatchObject({ claimed: 0 });
    expect(sink.dataCount()).toBe(0);

    expect(await drain(new Date(t0.getTime() + 61_000))).toEqual({ claimed: 50, sent: 50, deferred: 0, failed: 0, discarded: 0, skipped: 0 });
    const counts = sink.countById();
    expect(counts.size).toBe(50);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect([...counts.keys()].sort()).toEqual(rows.map((r) => r.message_id).sort());
    expect(sink.dataCount()).toBe(50);

    const sent = await handle.db.selectFrom('outbox').select(['state', 'attempts']).execute();
    expect(sent.every((r) => r.state === 'sent' && r.attempts === 1)).toBe(true);
    // Nothing left to do, nothing sent twice later.
    expect(await drain(new Date(t0.getTime() + 24 * 3600_000))).toMatchObject({ claimed: 0 });
    expect(sink.dataCount()).toBe(50);
  });
});

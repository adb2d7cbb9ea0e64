/**
 * Several workers over one PostgreSQL (PGlite runs one transaction at a time and would hide a
 * race, so this runs on PostgreSQL only): three workers draining 60 rows at once, each with its
 * own connection to the SMTP server, deliver each message exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { createTransport } from '../../src/domain/mail/transport.js';
import { runOutboxOnce } from '../../src/domain/mail/worker.js';
import { testDatabases } from '../support/db.js';
import { enqueueMany } from './fixtures.js';
import { startSink, type Sink } from './smtp-sink.js';

const postgres = testDatabases().filter((d) => d.name === 'postgres');

describe.skipIf(postgres.length === 0)('concurrent workers', () => {
  describe.each(postgres)('on $name', ({ open }) => {
    let handle: Db;
    let sink: Sink;
    beforeAll(async () => {
      handle = await open();
      // A little delay per message, so that the workers' rounds overlap.
      sink = await startSink({ delayMs: 5 });
    });
    afterAll(async () => {
      await sink?.close();
      await handle?.close();
    });

    it('three workers send each of 60 messages exactly once', async () => {
      const rows = await enqueueMany(handle.db, 60);
      const clock = () => new Date(Date.now() + 1000);
      const rounds: Record<string, number> = {};
      const worker = async (id: string) => {
        const transport = createTransport({ smtpUrl: sink.url });
        try {
          for (;;) {
            const r = await runOutboxOnce({ db: handle.db, transport, clock, workerId: id, batchSize: 4 });
            if (r.claimed === 0) return;
            rounds[id] = (rounds[id] ?? 0) + 1;
          }
        } finally {
          transport.close();
        }
      };
      await Promise.all(['w1', 'w2', 'w3'].map(worker));

      const counts = sink.countById();
      expect(sink.dataCount()).toBe(60);
      expect([...counts.keys()].sort()).toEqual(rows.map((r) => r.message_id).sort());
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      const done = await handle.db.selectFrom('outbox').select(['state', 'claimed_by']).execute();
      expect(done.every((r) => r.state === 'sent')).toBe(true);
      // They really ran side by side: the work was shared.
      const by = new Set(done.map((r) => r.claimed_by));
      expect(by.size).toBeGreaterThanOrEqual(2);
      expect(Object.keys(rounds).length).toBeGreaterThanOrEqual(2);
    });
  });
});

/**
 * An outbox worker in its own process, for the kill test (worker-kill.test.ts): PostgreSQL at
 * DATABASE_URL, SMTP at SMTP_URL, its clock CLOCK_OFFSET_MS ahead. Prints "ready" once running;
 * SIGTERM stops it gently. Run with `node --import tsx`.
 */
import { openPostgres } from '../../src/db/connect.js';
import { createTransport } from '../../src/domain/mail/transport.js';
import { startOutboxWorker } from '../../src/domain/mail/worker.js';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};

const handle = await openPostgres(env('DATABASE_URL'));
const offset = Number(process.env.CLOCK_OFFSET_MS ?? 0);
const transport = createTransport({ smtpUrl: env('SMTP_URL') });
const worker = startOutboxWorker({
  db: handle.db,
  transport,
  clock: () => new Date(Date.now() + offset),
  workerId: env('WORKER_ID'),
  batchSize: 5,
  pollMs: 50,
  onError: (err) => console.error('worker-child:', err),
});
process.once('SIGTERM', () => {
  void (async () => {
    await worker.stop();
    transport.close();
    await handle.close();
    process.exit(0);
  })();
});
console.log('ready');

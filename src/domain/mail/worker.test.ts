/**
 * The worker's state machine with a scripted transport: sent, deferred with back-off, failed
 * (permanent, or out of attempts), taken over after the lease, and a gentle stop that finishes
 * the send under way and puts the rest back. Real SMTP is in test/mail/.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { testDatabases } from '../../../test/support/db.js';
import { enqueueMany, states } from '../../../test/mail/fixtures.js';
import { getMessage } from './outbox.js';
import { isTemporary, SendFailed, type MailTransport, type OutgoingMail } from './transport.js';
import { backoffMs, MAX_ATTEMPTS, runOutboxOnce, startOutboxWorker, type WorkerDeps } from './worker.js';

/** A transport whose answer per message is given by `script`; it records what it was given. */
function scripted(script: (m: OutgoingMail) => 'ok' | SendFailed | Promise<'ok' | SendFailed>): MailTransport & { sent: string[] } {
  const sent: string[] = [];
  return {
    kind: 'smtp',
    sent,
    async send(m) {
      const r = await script(m);
      if (r !== 'ok') throw r;
      sent.push(m.message_id);
      return { response: `250 ok ${m.id}` };
    },
    close() {},
  };
}

describe('isTemporary and backoffMs', () => {
  it('reads SMTP reply classes and connection failures', () => {
    expect(isTemporary({ responseCode: 451, code: 'EMESSAGE' })).toBe(true);
    expect(isTemporary({ responseCode: 421 })).toBe(true);
    expect(isTemporary({ responseCode: 550, code: 'EENVELOPE' })).toBe(false);
    expect(isTemporary({ responseCode: 554, code: 'EMESSAGE' })).toBe(false);
    expect(isTemporary({ responseCode: 503 })).toBe(true);
    expect(isTemporary({ code: 'ESOCKET', originalCode: 'ECONNREFUSED' })).toBe(true);
    expect(isTemporary({ code: 'ETIMEDOUT' })).toBe(true);
    expect(isTemporary({ code: 'EAUTH', responseCode: 535 })).toBe(true);
    expect(isTemporary({ code: 'EENVELOPE' })).toBe(false);
  });

  it('backs off 1m, 5m, 15m, 1h, then 4h', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffMs(n) / 60_000)).toEqual([1, 5, 15, 60, 240, 240, 240]);
  });
});

describe.each(testDatabases())('worker on $name', ({ open }) => {
  let handle: Db;
  let now: Date;
  const deps = (transport: MailTransport, extra: Partial<WorkerDeps> = {}): WorkerDeps => ({
    db: handle.db,
    transport,
    clock: () => now,
    workerId: 'w1',
    batchSize: 10,
    ...extra,
  });
  beforeAll(async () => {
    handle = await open();
  });
  beforeEach(async () => {
    await handle.db.deleteFrom('outbox').execute();
    now = new Date(Date.now() + 1000);
  });
  afterAll(async () => handle?.close());

  it('sends due rows and records the server’s answer and the transport', async () => {
    const rows = await enqueueMany(handle.db, 3);
    const t = scripted(() => 'ok');
    expect(await runOutboxOnce(deps(t))).toEqual({ claimed: 3, sent: 3, deferred: 0, failed: 0, discarded: 0, skipped: 0 });
    expect(t.sent).toEqual(rows.map((r) => r.message_id));
    const first = await getMessage({ db: handle.db }, rows[0]!.id);
    expect(first).toMatchObject({ state: 'sent', smtp_response: `250 ok ${first.id}`, transport: 'smtp', claimed_by: 'w1', attempts: 0 });
    expect(first.sent_at?.getTime()).toBe(now.getTime());
    expect(await runOutboxOnce(deps(t))).toMatchObject({ claimed: 0 });
  });

  it('keeps a sent subject without the secret it carried, as the body', async () => {
    const token = 'Qm9k8Zr1xW7vN2cT5pL0sJ4hF6gD3bY9aE8uK1oI7tR';
    const [row] = await enqueueMany(handle.db, 1, { subject: `Invitation https://n.example/invitation/${token}`, body: `https://n.example/invitation/${token}\n` });
    const given: string[] = [];
    const t = scripted((m) => (given.push(m.subject), 'ok'));
    expect(await runOutboxOnce(deps(t))).toMatchObject({ sent: 1 });
    expect(given).toEqual([`Invitation https://n.example/invitation/${token}`]);
    const kept = await handle.db.selectFrom('outbox').select(['subject', 'body']).where('id', '=', row!.id).executeTakeFirstOrThrow();
    expect(kept).toEqual({ subject: 'Invitation https://n.example/invitation/[hidden: sent to the invitee only]', body: 'https://n.example/invitation/[hidden: sent to the invitee only]\n' });
  });

  it('does not send a sign-in mail once its link has expired', async () => {
    const [late, fresh] = await enqueueMany(handle.db, 2, { kind: 'signin' });
    // Queued since before the link's 15 minutes ran out (the mail server was down meanwhile).
    const madeAgo = (id: number, minutes: number) => sql`update outbox set created_at = ${new Date(now.getTime() - minutes * 60_000)} where id = ${id}`.execute(handle.db);
    await madeAgo(late!.id, 15);
    await madeAgo(fresh!.id, 14);
    const t = scripted(() => 'ok');
    const log: string[] = [];
    expect(await runOutboxOnce(deps(t, { log: (l) => log.push(l) }))).toMatchObject({ claimed: 2, sent: 1, failed: 1 });
    expect(t.sent).toEqual([fresh!.message_id]);
    expect(await getMessage({ db: handle.db }, late!.id)).toMatchObject({
      state: 'failed',
      last_error: 'not sent: the sign-in link it carries expired 15 minutes after it was asked for; a new one is asked for at /signin',
    });
    expect(log).toEqual([expect.stringContaining(`mail #${late!.id} to `)]);
  });

  it('does not send a row before it is due, nor a draft', async () => {
    await enqueueMany(handle.db, 1, { notBefore: new Date(now.getTime() + 60_000) });
    await enqueueMany(handle.db, 1, { hold: true, batch: 'b' });
    expect(await runOutboxOnce(deps(scripted(() => 'ok')))).toMatchObject({ claimed: 0 });
  });

  it('defers a temporary failure with back-off, then fails it after the last attempt', async () => {
    const [row] = await enqueueMany(handle.db, 1);
    const t = scripted(() => new SendFailed('451 try again later', true, 'EMESSAGE', 451));
    const log: string[] = [];
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      expect(await runOutboxOnce(deps(t, { log: (l) => log.push(l) }))).toMatchObject({ claimed: 1, deferred: 1 });
      const m = await getMessage({ db: handle.db }, row!.id);
      expect(m).toMatchObject({ state: 'queued', attempts: attempt, last_error: '451 try again later', claimed_by: null });
      expect(m.next_attempt_at.getTime()).toBe(now.getTime() + backoffMs(attempt));
      expect(await runOutboxOnce(deps(t))).toMatchObject({ claimed: 0 });
      now = new Date(m.next_attempt_at.getTime());
    }
    expect(await runOutboxOnce(deps(t, { log: (l) => log.push(l) }))).toMatchObject({ claimed: 1, failed: 1 });
    expect(await getMessage({ db: handle.db }, row!.id)).toMatchObject({ state: 'failed', attempts: MAX_ATTEMPTS });
    // The server's log says each time why, and what happens next.
    const what = `mail #${row!.id} to ${row!.to_address}`;
    expect(log).toEqual([
      ...[1, 5, 15, 60, 240, 240, 240].map((min, i) => `${what} deferred (attempt ${i + 1} of ${MAX_ATTEMPTS}): 451 try again later; tried again in ${min >= 60 ? `${min / 60} h` : `${min} min`}`),
      `${what} failed after ${MAX_ATTEMPTS} attempts: 451 try again later; not tried again (conclave mail retry ${row!.id})`,
    ]);
  });

  it('fails a permanent refusal at once', async () => {
    const [row] = await enqueueMany(handle.db, 1);
    const log: string[] = [];
    await runOutboxOnce(deps(scripted(() => new SendFailed('550 5.1.1 no such user', false, 'EENVELOPE', 550)), { log: (l) => log.push(l) }));
    expect(log).toEqual([`mail #${row!.id} to ${row!.to_address} failed after 1 attempt: 550 5.1.1 no such user; not tried again (conclave mail retry ${row!.id})`]);
    expect(await getMessage({ db: handle.db }, row!.id)).toMatchObject({ state: 'failed', attempts: 1, last_error: '550 5.1.1 no such user' });
  });

  it('takes over rows of a stalled worker only after the lease; that one sends no more', async () => {
    const rows = await enqueueMany(handle.db, 2);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const stalled = new Promise<void>((r) => (started = r));
    const t1 = scripted(async () => {
      started();
      await gate;
      return 'ok' as const;
    });
    const t2 = scripted(() => 'ok');
    const w1round = runOutboxOnce(deps(t1, { workerId: 'w1' }));
    await stalled; // w1 holds both rows and hangs in its first send
    now = new Date(now.getTime() + 4 * 60_000);
    expect(await runOutboxOnce(deps(t2, { workerId: 'w2' }))).toMatchObject({ claimed: 0 });
    now = new Date(now.getTime() + 2 * 60_000);
    expect(await runOutboxOnce(deps(t2, { workerId: 'w2' }))).toMatchObject({ claimed: 2, sent: 2 });
    expect(t2.sent).toEqual(rows.map((r) => r.message_id));
    const m = await getMessage({ db: handle.db }, rows[1]!.id);
    expect(m.last_error).toMatch(/^interrupted: w1 claimed it at .* and did not finish$/);
    release();
    // w1's stalled send ends; its second row is no longer its own and is not sent again.
    expect(await w1round).toMatchObject({ claimed: 2, skipped: 1 });
    expect(t1.sent).toEqual([rows[0]!.message_id]);
    expect(await states(handle.db)).toEqual({ sent: 2 });
  });

  it('counts a send its worker never finished as an attempt, and gives up after the last', async () => {
    const [row] = await enqueueMany(handle.db, 1);
    const t = scripted(() => 'ok');
    // Its worker died (or hung) in the send, as a message that kills it each time would have it.
    const interrupted = (attempts: number) =>
      handle.db.updateTable('outbox').set({ state: 'sending', claimed_by: 'dead', claimed_at: new Date(now.getTime() - 10 * 60_000), attempts }).where('id', '=', row!.id).execute();
    await interrupted(2);
    expect(await runOutboxOnce(deps(t, { workerId: 'w2' }))).toMatchObject({ claimed: 1, sent: 1 });
    expect(await getMessage({ db: handle.db }, row!.id)).toMatchObject({ state: 'sent', attempts: 3 });
    await interrupted(MAX_ATTEMPTS - 1);
    expect(await runOutboxOnce(deps(t, { workerId: 'w3' }))).toMatchObject({ claimed: 0 });
    const m = await getMessage({ db: handle.db }, row!.id);
    expect(m).toMatchObject({ state: 'failed', attempts: MAX_ATTEMPTS, claimed_by: null });
    expect(m.last_error).toMatch(new RegExp(`^interrupted: dead claimed it at .* and did not finish; failed after ${MAX_ATTEMPTS} attempts; not tried again \\(conclave mail retry ${row!.id}\\)$`));
    expect(t.sent).toHaveLength(1);
  });

  it('stops gently: the send under way finishes, the rest go back to the queue', async () => {
    await enqueueMany(handle.db, 5);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const first = new Promise<void>((r) => (started = r));
    const t = scripted(async () => {
      started();
      await gate;
      return 'ok' as const;
    });
    const w = startOutboxWorker({ ...deps(t), pollMs: 10 });
    await first;
    const stopped = w.stop();
    release();
    await stopped;
    expect(t.sent.length).toBe(1);
    expect(await states(handle.db)).toEqual({ sent: 1, queued: 4 });
    const back = await handle.db.selectFrom('outbox').select(['claimed_by', 'attempts']).where('state', '=', 'queued').execute();
    expect(back.every((r) => r.claimed_by === null && r.attempts === 0)).toBe(true);
  });
});

/**
 * The outbox's writes: a row per message with a Message-ID on BASE_URL's host, threading from a
 * parent row, held batches released or discarded, failed messages retried, and a message written
 * in the caller's transaction vanishing with it.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connect.js';
import { testDatabases } from '../../../test/support/db.js';
import { invitation, makeEdition } from '../../../test/mail/fixtures.js';
import { Conflict, InvalidInput, NotFound } from '../errors.js';
import { countOutbox, discardBatch, enqueueMail, getMessage, listOutbox, messageForCommittee, newMessageId, releaseBatch, retryFailed } from './outbox.js';

describe('newMessageId', () => {
  it('is unique and names the domain of the From address, else the host of BASE_URL', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newMessageId('https://netconf.example.org:8443/sub/')));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^<[0-9a-z]+\.[0-9a-f]{24}@netconf\.example\.org>$/);
    // Served on localhost, sent as the committee's own domain.
    expect(newMessageId('http://localhost:3000', 'Netconf PC <pc@Netconf.Example.ORG>')).toMatch(/@netconf\.example\.org>$/);
    expect(newMessageId('http://localhost:3000', 'pc@lists.example.net')).toMatch(/@lists\.example\.net>$/);
    expect(newMessageId('https://netconf.example.org', 'committee@localhost')).toMatch(/@netconf\.example\.org>$/);
  });
});

describe.each(testDatabases())('outbox on $name', ({ open }) => {
  let handle: Db;
  let edition: number;
  beforeAll(async () => {
    handle = await open();
    edition = await makeEdition(handle.db, 2026);
  });
  beforeEach(async () => {
    await handle.db.deleteFrom('outbox').execute();
  });
  afterAll(async () => handle?.close());

  it('writes one queued row, due now, with the addresses as given', async () => {
    const row = await enqueueMail(handle.db, invitation(1, { editionId: edition }));
    expect(row).toMatchObject({
      edition_id: edition,
      kind: 'invitation',
      batch: null,
      to_address: 'invitee1@example.net',
      to_name: 'Invitee Nümber 1',
      from_address: 'Netconf committee <netconf@example.org>',
      reply_to: 'netconf-committee@example.org',
      state: 'queued',
      attempts: 0,
      in_reply_to: null,
      references_ids: null,
      last_error: null,
      sent_at: null,
      transport: null,
    });
    expect(row.message_id).toMatch(/@example\.org>$/); // the From's domain
    expect(row.next_attempt_at.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    expect(await getMessage({ db: handle.db }, row.id)).toEqual(row);
    await expect(getMessage({ db: handle.db }, row.id + 1000)).rejects.toBeInstanceOf(NotFound);
  });

  it('shows no secret in a subject, in the lists or on the message, queued or held', async () => {
    // A subject from a template saved before a secret was refused there (templates.ts).
    const token = 'Qm9k8Zr1xW7vN2cT5pL0sJ4hF6gD3bY9aE8uK1oI7tR';
    const queued = await enqueueMail(handle.db, { ...invitation(1, { editionId: edition }), kind: 'signin', subject: `Sign in: https://n.example/signin/${token}` });
    const held = await enqueueMail(handle.db, { ...invitation(2, { editionId: edition, hold: true, batch: 'b' }), subject: `Invitation https://n.example/invitation/${token}` });
    const shown = [...(await listOutbox({ db: handle.db })).map((r) => r.subject), (await getMessage({ db: handle.db }, queued.id)).subject, (await getMessage({ db: handle.db }, held.id)).subject];
    expect(shown).toEqual([
      'Sign in: https://n.example/signin/[hidden: a one-time link for its owner only]',
      'Invitation https://n.example/invitation/[hidden: sent to the invitee only]',
      'Sign in: https://n.example/signin/[hidden: a one-time link for its owner only]',
      'Invitation https://n.example/invitation/[hidden: sent to the invitee only]',
    ]);
    expect(messageForCommittee(queued).headers).toContainEqual(['Subject', 'Sign in: https://n.example/signin/[hidden: a one-time link for its owner only]']);
    // The row itself keeps what it is to send.
    expect((await handle.db.selectFrom('outbox').select('subject').where('id', '=', queued.id).executeTakeFirstOrThrow()).subject).toContain(token);
  });

  it('threads a reminder under the invitation, and a second one under the first', async () => {
    const inv = await enqueueMail(handle.db, invitation(1));
    const r1 = await enqueueMail(handle.db, invitation(1, { kind: 'reminder', threadUnder: inv.id }));
    const r2 = await enqueueMail(handle.db, invitation(1, { kind: 'reminder', threadUnder: r1.id }));
    expect(r1).toMatchObject({ in_reply_to: inv.message_id, references_ids: inv.message_id });
    expect(r2).toMatchObject({ in_reply_to: r1.message_id, references_ids: `${inv.message_id} ${r1.message_id}` });
    // The committee reading it sees the chain a reply written by hand must carry.
    expect(messageForCommittee(r2).headers).toContainEqual(['References', `${inv.message_id} ${r1.message_id}`]);
    expect(messageForCommittee(inv).headers.map(([h]) => h)).not.toContain('References');
    const outside = await enqueueMail(handle.db, invitation(2, { threadUnder: '<abc@lists.example>' }));
    expect(outside).toMatchObject({ in_reply_to: '<abc@lists.example>', references_ids: '<abc@lists.example>' });
    // A reply to someone else's reply carries the whole chain: their References, then their id.
    const chained = await enqueueMail(handle.db, invitation(2, { threadUnder: '<re@ada.example>', parentReferences: ['<inv@conclave>', '<abc@lists.example>'] }));
    expect(chained).toMatchObject({ in_reply_to: '<re@ada.example>', references_ids: '<inv@conclave> <abc@lists.example> <re@ada.example>' });
    await expect(enqueueMail(handle.db, invitation(3, { threadUnder: 999_999 }))).rejects.toBeInstanceOf(NotFound);
  });

  it('refuses bad input, naming the field', async () => {
    const field = (p: Promise<unknown>) => p.then(() => 'no error', (e: unknown) => (e instanceof InvalidInput ? e.field : String(e)));
    expect(await field(enqueueMail(handle.db, invitation(1, { to: { address: 'nobody' } })))).toBe('to.address');
    expect(await field(enqueueMail(handle.db, invitation(1, { subject: 'a\r\nBcc: x@y' })))).toBe('subject');
    expect(await field(enqueueMail(handle.db, invitation(1, { hold: true })))).toBe('batch');
    expect(await field(enqueueMail(handle.db, invitation(1, { threadUnder: 'not-an-id' })))).toBe('threadUnder');
    expect(await listOutbox({ db: handle.db })).toEqual([]);
  });

  it('holds a batch as drafts to read, then sends it all on release', async () => {
    for (const n of [1, 2, 3]) await enqueueMail(handle.db, invitation(n, { hold: true, batch: 'round-1', editionId: edition }));
    await enqueueMail(handle.db, invitation(9));
    const drafts = await listOutbox({ db: handle.db }, { batch: 'round-1' });
    expect(drafts.map((d) => [d.to_address, d.state])).toEqual([
      ['invitee1@example.net', 'draft'],
      ['invitee2@example.net', 'draft'],
      ['invitee3@example.net', 'draft'],
    ]);
    expect(await countOutbox({ db: handle.db })).toEqual({ draft: 3, queued: 1, sending: 0, sent: 0, failed: 0, superseded: 0 });
    // The lists show the newest first, so that their limit keeps the recent mail.
    expect((await listOutbox({ db: handle.db }, { newestFirst: true, limit: 2 })).map((d) => d.to_address)).toEqual(['invitee9@example.net', 'invitee3@example.net']);
    expect(await countOutbox({ db: handle.db }, { editionId: edition })).toMatchObject({ draft: 3, queued: 0 });
    expect(await releaseBatch({ db: handle.db }, 'round-1')).toEqual({ released: 3 });
    expect((await listOutbox({ db: handle.db }, { state: 'queued' })).length).toBe(4);
    await expect(releaseBatch({ db: handle.db }, 'round-1')).rejects.toBeInstanceOf(NotFound);
  });

  it('lists the newest first by when each was sent, or else written, ties by id', async () => {
    // What the lists show in their When column: sent_at, or created_at when not sent yet.
    const at = async (n: number, created: string, sent: string | null) => {
      const row = await enqueueMail(handle.db, invitation(n));
      // created_at is the database's, never written by the code: set here as it would have been.
      await sql`update outbox set created_at = ${new Date(created)} where id = ${row.id}`.execute(handle.db);
      await handle.db.updateTable('outbox').set({ sent_at: sent ? new Date(sent) : null, state: sent ? 'sent' : 'queued', transport: sent ? 'smtp' : null }).where('id', '=', row.id).execute();
    };
    await at(1, '2100-03-01T16:00:00Z', '2100-03-01T16:16:00Z');
    await at(2, '2100-03-01T16:05:00Z', '2100-03-01T16:09:00Z');
    // A re-send queued before either was sent, written after them.
    await at(3, '2100-03-01T15:59:00Z', null);
    await at(4, '2100-03-01T16:00:00Z', '2100-03-01T16:09:00Z');
    const listed = await listOutbox({ db: handle.db }, { newestFirst: true });
    expect(listed.map((r) => r.to_address)).toEqual(['invitee1@example.net', 'invitee4@example.net', 'invitee2@example.net', 'invitee3@example.net']);
    // Oldest first is the order they were written in.
    expect((await listOutbox({ db: handle.db })).map((r) => r.to_address)).toEqual(['invitee1@example.net', 'invitee2@example.net', 'invitee3@example.net', 'invitee4@example.net']);
  });

  it('discards a held batch and nothing else', async () => {
    await enqueueMail(handle.db, invitation(1, { hold: true, batch: 'oops' }));
    await enqueueMail(handle.db, invitation(2, { batch: 'oops' }));
    expect(await discardBatch({ db: handle.db }, 'oops')).toEqual({ discarded: 1 });
    expect((await listOutbox({ db: handle.db })).map((r) => r.state)).toEqual(['queued']);
  });

  it('retries failed messages, by id or all, refusing one that did not fail', async () => {
    const rows = [];
    for (const n of [1, 2, 3]) rows.push(await enqueueMail(handle.db, invitation(n)));
    const [a, b, c] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
    await handle.db
      .updateTable('outbox')
      .set({ state: 'failed', attempts: 8, last_error: '550 no such user', next_attempt_at: new Date('2000-01-01') })
      .where('id', 'in', [a.id, b.id])
      .execute();
    await expect(retryFailed({ db: handle.db }, [a.id, c.id])).rejects.toBeInstanceOf(Conflict);
    await expect(retryFailed({ db: handle.db }, [a.id, 999_999])).rejects.toBeInstanceOf(NotFound);
    expect((await getMessage({ db: handle.db }, a.id)).state).toBe('failed');

    expect(await retryFailed({ db: handle.db }, [a.id])).toEqual({ retried: 1 });
    const again = await getMessage({ db: handle.db }, a.id);
    expect(again).toMatchObject({ state: 'queued', attempts: 0, last_error: '550 no such user' });
    expect(again.next_attempt_at.getFullYear()).toBeGreaterThan(2000);
    expect(await retryFailed({ db: handle.db }, 'all')).toEqual({ retried: 1 });
    expect(await countOutbox({ db: handle.db })).toMatchObject({ queued: 3, failed: 0 });
  });

  it('writes in the caller’s transaction: rolled back, no mail', async () => {
    await handle.db
      .transaction()
      .execute(async (trx) => {
        await enqueueMail(trx, invitation(1));
        throw new Error('the invitation could not be saved');
      })
      .catch(() => {});
    expect(await listOutbox({ db: handle.db })).toEqual([]);
  });

  it('keeps Message-IDs unique in the database', async () => {
    const row = await enqueueMail(handle.db, invitation(1));
    await expect(
      handle.db
        .insertInto('outbox')
        .values({ kind: 'x', to_address: 'a@b', from_address: 'c@d', subject: 's', body: 'b', message_id: row.message_id })
        .execute(),
    ).rejects.toThrow(/unique|duplicate/i);
  });
});

/**
 * `conclave mail list` as the admin's Mail page reads: the error of an attempt that failed
 * before the message went is not shown beside it once it is sent; rows in the order of their When.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/connect.js';
import { enqueueMail } from '../../src/domain/mail/outbox.js';
import { runConclave } from '../support/cli.js';
import { freshDataDir } from '../support/db.js';
import { invitation } from './fixtures.js';

describe('conclave mail list', () => {
  let dir = '';
  afterAll(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it('shows the last error of unsent mail only', async () => {
    dir = freshDataDir('conclave-mail-list-');
    const handle = await openDb({ dataDir: dir });
    try {
      const sent = await enqueueMail(handle.db, invitation(1, { subject: 'Invitation to Netconf 2100' }));
      const failed = await enqueueMail(handle.db, invitation(2, { subject: 'Invitation to Netconf 2100' }));
      const error = 'ESOCKET: connect ECONNREFUSED 127.0.0.1:25';
      await handle.db.updateTable('outbox').set({ state: 'sent', attempts: 1, last_error: error, sent_at: new Date('2100-01-02T03:04:00Z'), transport: 'smtp' }).where('id', '=', sent.id).execute();
      await handle.db.updateTable('outbox').set({ state: 'failed', attempts: 1, last_error: error }).where('id', '=', failed.id).execute();
    } finally {
      await handle.close();
    }
    const r = runConclave(['mail', 'list'], { CONCLAVE_DATA: dir });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n').map((l) => l.trimEnd());
    // Newest first by the When shown, as on the Mail page: sent in 2100, before the one written today.
    expect(lines[1]).toMatch(/^1 +sent +2100-01-02 03:04 +invitee1@example\.net +Invitation to Netconf 2100$/);
    expect(lines[2]).toMatch(/^2 +failed +\d{4}-\d\d-\d\d \d\d:\d\d +invitee2@example\.net +Invitation to Netconf 2100 +ESOCKET: connect ECONNREFUSED 127\.0\.0\.1:25$/);
  });
});

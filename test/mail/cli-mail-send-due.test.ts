/**
 * `conclave mail send` beside a server that sends over SMTP leaves the queued mail to it, and says
 * when that mail goes: within seconds when it is due, and at its time when it is due later (a
 * change notice that waits for more changes), not "within seconds" for both.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/connect.js';
import { enqueueMail } from '../../src/domain/mail/outbox.js';
import { recordServerTransport } from '../../src/domain/mail/server-settings.js';
import { runConclave } from '../support/cli.js';
import { freshDataDir } from '../support/db.js';
import { invitation } from './fixtures.js';

describe('conclave mail send, mail left to the server', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('says when queued mail is due, rather than that it goes within seconds', async () => {
    const dir = freshDataDir('conclave-mail-due-');
    dirs.push(dir);
    const handle = await openDb({ dataDir: dir });
    const later = new Date(Date.now() + 3600_000);
    const hhmm = later.toISOString().slice(0, 16).replace('T', ' ');
    try {
      await recordServerTransport(handle.db, { kind: 'smtp', where: 'smtp://127.0.0.1:25' }, new Date());
      await enqueueMail(handle.db, invitation(1, { kind: 'schedule-change', notBefore: later }));
    } finally {
      await handle.close();
    }
    const r = runConclave(['mail', 'send'], { CONCLAVE_DATA: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`. 1 message queued, due ${hhmm} UTC, which the server sends when due while it runs (conclave mail list --state queued);`);

    const again = await openDb({ dataDir: dir });
    try {
      await enqueueMail(again.db, invitation(2));
      await enqueueMail(again.db, invitation(3, { kind: 'schedule-change', notBefore: new Date(later.getTime() + 600_000) }));
    } finally {
      await again.close();
    }
    const both = runConclave(['mail', 'send'], { CONCLAVE_DATA: dir });
    expect(both.stdout).toContain(
      `. 3 messages queued: 1 due now, which the server sends within seconds while it runs, and 2 due from ${hhmm} UTC (conclave mail list --state queued);`,
    );
  });
});

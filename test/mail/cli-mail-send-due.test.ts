/**
 * `conclave mail send` beside a server that sends over SMTP leaves the queued mail to it, and says
 * when that mail goes: within seconds when it is due, and at its time when it is due later (a
 * change notice that waits for more changes), not "within seconds" for both.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDb } from '../../src/db/connect.js';
import { enqueueMail } from '../../src/domain/mail/outbox.js';
import { recordServerTransport } from '../../src/domain/mail/server-settings.js';
import { runCommand } from '../support/cli-in-process.js';
import { commandData } from '../support/db.js';
import { invitation } from './fixtures.js';

/**
 * The command runs in this process, on a database of the test's own (commandData): what it checks
 * is what `mail send` says, not the executable or the embedded database.
 */
describe('conclave mail send, mail left to the server', () => {
  it('says when queued mail is due, rather than that it goes within seconds', async () => {
    const env = await commandData('conclave-mail-due-');
    const handle = await openDb(loadConfig(env));
    const later = new Date(Date.now() + 3600_000);
    const hhmm = later.toISOString().slice(0, 16).replace('T', ' ');
    try {
      await recordServerTransport(handle.db, { kind: 'smtp', where: 'smtp://127.0.0.1:25' }, new Date());
      await enqueueMail(handle.db, invitation(1, { kind: 'schedule-change', notBefore: later }));
    } finally {
      await handle.close();
    }
    const r = await runCommand(['mail', 'send'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`. 1 message queued, due ${hhmm} UTC, which the server sends when due while it runs (conclave mail list --state queued);`);

    const again = await openDb(loadConfig(env));
    try {
      await enqueueMail(again.db, invitation(2));
      await enqueueMail(again.db, invitation(3, { kind: 'schedule-change', notBefore: new Date(later.getTime() + 600_000) }));
    } finally {
      await again.close();
    }
    const both = await runCommand(['mail', 'send'], env);
    expect(both.stdout).toContain(
      `. 3 messages queued: 1 due now, which the server sends within seconds while it runs, and 2 due from ${hhmm} UTC (conclave mail list --state queued);`,
    );
  });
});

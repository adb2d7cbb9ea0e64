/**
 * `conclave mail send` says what it did not send, and why: invitee mail whose invitation was
 * revoked, or re-sent since (an invitation mail queued while no server ran, then re-sent), is
 * deleted by the worker rather than sent with a dead link.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/connect.js';
import { addCandidate } from '../../src/domain/invitations/candidates.js';
import { resendInvitation, sendInvitations } from '../../src/domain/invitations/send.js';
import { runConclave } from '../support/cli.js';
import { freshDataDir } from '../support/db.js';
import { COMMITTEE, guestEmail, guestName, makeDeps, makeEdition } from '../invitations/fixtures.js';

describe('conclave mail send', () => {
  let dir = '';
  afterAll(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it('says how many invitee mails it deleted instead of sending, and why', async () => {
    dir = freshDataDir('conclave-mail-send-');
    const handle = await openDb({ dataDir: dir });
    try {
      const deps = makeDeps(handle.db, '2100-03-01T12:00:00Z');
      const editionId = await makeEdition(handle.db, { start_date: '2100-05-11', end_date: '2100-05-13', answer_by: '2100-04-10' });
      await addCandidate(deps, COMMITTEE, { editionId, name: guestName(1), email: guestEmail(1) });
      const [first] = (await sendInvitations(deps, COMMITTEE, { editionId, ids: 'all-candidates' })).invitations;
      await resendInvitation(deps, COMMITTEE, { id: first!.id });
    } finally {
      await handle.close();
    }
    const r = runConclave(['mail', 'send'], { CONCLAVE_DATA: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('sent 1, deferred 0');
    expect(r.stdout).toContain(
      '1 message not sent, and deleted: the invitation each was about was revoked, is a candidate again, or was re-sent since (conclave audit --action mail.discard)',
    );
  });
});

/**
 * A new answer-by date for an edition is not given to the invitations already sent: each invitee
 * was told theirs by mail. Changing it said only "updated" ("Saved." on the web), so a committee
 * believed the open invitations had moved with it; now the change says how many keep their own
 * date, which, and how to give one the new date (a re-send).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDb, type Db } from '../../src/db/connect.js';
import { updateEdition } from '../../src/domain/editions/edit-edition.js';
import { acceptInvitation } from '../../src/domain/invitations/rsvp.js';
import { runCommand } from '../support/cli-in-process.js';
import { commandData, testDatabases } from '../support/db.js';
import { COMMITTEE, inviteGuests, makeDeps, makeEdition } from './fixtures.js';

describe.each(testDatabases())('a new answer-by date with invitations open, on $name', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => handle.close());

  it('says how many open invitations keep their own date, and which; answered ones and other changes say nothing', async () => {
    const deps = makeDeps(handle.db);
    const editionId = await makeEdition(handle.db);
    const { year } = await handle.db.selectFrom('editions').select('year').where('id', '=', editionId).executeTakeFirstOrThrow();
    const ref = { series: 'invtest', year };
    const sent = await inviteGuests(deps, editionId, 3);
    await acceptInvitation(deps, { token: sent[0]!.token });

    const moved = await updateEdition(deps, COMMITTEE, { ...ref, fields: { answerBy: '2026-04-05' } });
    expect(moved.openKeepTheirDate).toEqual({ count: 2, dates: ['2026-04-10'] });
    // Nobody's date was moved.
    const dates = await handle.db.selectFrom('invitations').select('answer_by').where('edition_id', '=', editionId).execute();
    expect(dates.map((d) => d.answer_by)).toEqual(['2026-04-10', '2026-04-10', '2026-04-10']);

    expect((await updateEdition(deps, COMMITTEE, { ...ref, fields: { cap: 20 } })).openKeepTheirDate).toBeNull();
    // Back to the date they have: none differs.
    expect((await updateEdition(deps, COMMITTEE, { ...ref, fields: { answerBy: '2026-04-10' } })).openKeepTheirDate).toBeNull();
  });
});

describe('conclave edition update --answer-by', () => {
  it('says which open invitations keep their date, and the command that gives them the new one', async () => {
    const env = { ...(await commandData('conclave-answer-by-')), BASE_URL: 'https://netconf.example.org' };
    const ok = async (args: string[]) => {
      const r = await runCommand(args, env);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      return r;
    };
    await ok(['edition', 'create', '2099', '--series', 'Netconf', '--city', 'Ottawa', '--time-zone', 'America/Toronto', '--start', '2099-07-14', '--end', '2099-07-15', '--answer-by', '2099-06-01']);
    await ok(['invite', 'add', '2099', 'ana@example.net', '--name', 'Ana Lee']);
    await ok(['invite', 'send', '2099']);
    const r = await ok(['edition', 'update', '2099', '--answer-by', '2099-05-20']);
    expect(r.stdout).toBe(
      'updated Netconf 2099\n! 1 open invitation keeps its own answer-by date (2099-06-01): re-send it with the new date to give it that date (conclave invite resend ID --answer-by 2099-05-20; conclave invite list 2099 shows them)\n',
    );
    // Its date is the one its mail gave, as the list shows it.
    expect((await ok(['invite', 'list', '2099'])).stdout).toMatch(/^ID +STATE +SINCE +NAME +EMAIL +ANSWER BY\n\d+ +invited +\S+ +Ana Lee +ana@example\.net +2099-06-01$/m);
    const handle = await openDb(loadConfig(env));
    try {
      const row = await handle.db.selectFrom('invitations').select(['answer_by', 'state']).executeTakeFirstOrThrow();
      expect(row).toEqual({ answer_by: '2099-06-01', state: 'invited' });
    } finally {
      await handle.close();
    }
  });
});

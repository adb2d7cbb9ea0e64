/**
 * A refusal the domain words for both the web and the terminal tells a `conclave` user what to
 * type, not which box to tick or where on a page to go: the domain throws it with its data, and
 * each side says what to do in its own words (as PublishRefused: --force, or the box).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from './support/cli-in-process.js';
import { freshDataDir } from './support/db.js';

describe('refusals of the conclave command', () => {
  const env = { CONCLAVE_DATA: freshDataDir('conclave-refusal-words-') };
  const conclave = (...args: string[]) => runInProcess(args, env);
  const ok = async (...args: string[]) => {
    const r = await conclave(...args);
    expect([r.code, r.err], args.join(' ')).toEqual([0, []]);
    return r.out.join('\n');
  };

  beforeAll(async () => {
    await ok('edition', 'create', '2027', '--series', 'Netconf', '--start', '2027-07-14', '--answer-by', '2027-06-01', '--cap', '1');
    await ok('edition', 'create', '2028', '--start', '2028-07-14', '--answer-by', '2028-06-01');
  });

  it('names the cap option and --force when an override finds every place taken', async () => {
    await ok('invite', 'add', '2027', 'ada@example.org', '--name', 'Ada Lovelace');
    await ok('invite', 'add', '2027', 'bob@example.org', '--name', 'Bob Builder');
    const ids = (JSON.parse(await ok('invite', 'send', '2027', '--json')) as { invitations: { id: number }[] }).invitations.map((i) => String(i.id));
    await ok('invite', 'override', ids[0]!, 'accepted', '--reason', 'said yes in the hallway');
    const r = await conclave('invite', 'override', ids[1]!, 'accepted', '--reason', 'said yes too');
    expect([r.code, r.out, r.err]).toEqual([1, [], ['conclave: Netconf 2027 is full: 1 of 1 places are taken: raise the cap (conclave edition update 2027 --cap N), or pass --force to accept past it']]);
  });

  it('names --answer-by and edition update when invitations have no date to answer by', async () => {
    await ok('edition', 'create', '2029', '--start', '2029-07-14');
    await ok('invite', 'add', '2029', 'dora@example.org', '--name', 'Dora Dated');
    const r = await conclave('invite', 'send', '2029');
    expect([r.code, r.out, r.err]).toEqual([
      1,
      [],
      ["conclave: --answer-by: no answer-by date: give one (--answer-by YYYY-MM-DD), or set Netconf 2029's own (conclave edition update 2029 --answer-by YYYY-MM-DD)"],
    ]);
    // As it says: with the edition's own date, they go.
    await ok('edition', 'update', '2029', '--answer-by', '2029-06-01');
    expect(await ok('invite', 'send', '2029')).toMatch(/^1 invitation/);
  });

  it('names the batch to discard when an edition to delete has its invitations only held', async () => {
    await ok('invite', 'add', '2028', 'cleo@example.org', '--name', 'Cleo Held');
    const batch = (JSON.parse(await ok('invite', 'send', '2028', '--hold', '--json')) as { batch: string }).batch;
    const refusal = `1 person has been invited to Netconf 2028: an edition that invited anybody stays (its invitations are held as drafts, not sent: discard them first with conclave mail discard ${batch})`;
    const asked = await conclave('edition', 'delete', '2028');
    expect([asked.code, asked.err]).toEqual([1, [`conclave: Netconf 2028 cannot be deleted: ${refusal}`]]);
    const meant = await conclave('edition', 'delete', '2028', '--yes');
    expect([meant.code, meant.err]).toEqual([1, [`conclave: Netconf 2028 was not deleted: ${refusal}`]]);
    // As it says: once the batch is discarded, the edition goes.
    await ok('mail', 'discard', batch);
    expect(await ok('edition', 'delete', '2028', '--yes')).toBe('deleted Netconf 2028 with 1 candidate');
  });
});

/**
 * The invitee pages' rate limit: a link some invitation has is counted by the link, so that
 * invitees behind one address (a venue's network, a company's NAT) do not lock each other out;
 * a link no invitation has (a guess) is counted by the client's address, as before.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { buildApp } from '../../src/web/app.js';
import { testDatabases } from '../support/db.js';
import { inviteGuests, makeDeps, makeEdition } from './fixtures.js';

const UNKNOWN = 'A'.repeat(43);

describe.each(testDatabases())('the invitee pages rate limit on $name', ({ open }) => {
  let handle: Db;
  let app: FastifyInstance;
  let tokens: string[];
  beforeAll(async () => {
    handle = await open();
    const deps = makeDeps(handle.db, new Date().toISOString());
    const editionId = await makeEdition(handle.db, { start_date: '2999-05-11', end_date: '2999-05-13', answer_by: '2999-04-10' });
    tokens = (await inviteGuests(deps, editionId, 3)).map((g) => g.token);
    app = await buildApp({ db: handle.db, clock: deps.clock, mail: deps.mail, limits: { invitation: 3, invitationLink: 5 } });
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  const get = async (url: string, remoteAddress = '192.0.2.10') => (await app.inject({ method: 'GET', url, remoteAddress })).statusCode;
  const times = async (n: number, url: string, remoteAddress?: string) => {
    const codes: number[] = [];
    for (let i = 0; i < n; i++) codes.push(await get(url, remoteAddress));
    return codes;
  };

  it('counts each invitee by their link, not by the address they share', async () => {
    const [alice, dave] = tokens as [string, string];
    // More than the per-address limit (3) for each, from one address: nobody is locked out.
    expect(await times(4, `/invitation/${alice}`)).toEqual([200, 200, 200, 200]);
    expect(await times(4, `/invitation/${dave}`)).toEqual([200, 200, 200, 200]);
    // A sub-route is counted apart, by the link too.
    expect(await times(4, `/invitation/${dave}/materials`)).toEqual([200, 200, 200, 200]);
    // A link's own limit (5) still holds.
    expect(await times(2, `/invitation/${alice}`)).toEqual([200, 429]);
    expect(await get(`/invitation/${dave}`)).toBe(200);
  });

  it('counts a link no invitation has by the address, apart from the links that work', async () => {
    expect(await times(4, `/invitation/${UNKNOWN}`, '192.0.2.20')).toEqual([410, 410, 410, 429]);
    // Another guess from there is refused too; another address has its own count.
    expect(await get(`/invitation/${'B'.repeat(43)}`, '192.0.2.20')).toBe(429);
    expect(await get(`/invitation/${UNKNOWN}`, '192.0.2.21')).toBe(410);
    // The addresses' guesses use up no invitee's count.
    expect(await get(`/invitation/${tokens[2]}`, '192.0.2.20')).toBe(200);
  });
});

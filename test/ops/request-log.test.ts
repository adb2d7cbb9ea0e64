/**
 * The request log names every request, but not the secret of a personal or sign-in link: the
 * database keeps only its hash, and a log goes further than the database.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedUrl, loggerOf } from '../../src/cli/serve-process.js';
import type { Db } from '../../src/db/connect.js';
import { buildApp } from '../../src/web/app.js';
import { freshPglite } from '../support/db.js';
import { inviteGuests, makeDeps, makeEdition } from '../invitations/fixtures.js';

describe('the request log', () => {
  let handle: Db;
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });

  beforeAll(async () => {
    handle = await freshPglite();
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('keeps the path of a personal or sign-in link but not its secret', async () => {
    const deps = makeDeps(handle.db, new Date().toISOString());
    const editionId = await makeEdition(handle.db, { start_date: '2999-05-11', end_date: '2999-05-13', answer_by: '2999-04-10' });
    const token = (await inviteGuests(deps, editionId, 1))[0]!.token;
    const options = loggerOf({ logLevel: 'info', logFormat: 'json' });
    const app = await buildApp({ db: handle.db, clock: deps.clock, mail: deps.mail, logger: { ...(options as object), stream } });
    try {
      expect((await app.inject(`/invitation/${token}`)).statusCode).toBe(200);
      expect((await app.inject(`/invitation/${token}/topics?done=saved`)).statusCode).toBeLessThan(500);
      await app.inject('/signin/Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4');
      await app.inject('/netconf/2015/');
    } finally {
      await app.close();
    }
    const urls = lines.map((l) => JSON.parse(l) as { req?: { url: string; method: string } }).flatMap((l) => (l.req ? [l.req.url] : []));
    expect(urls).toEqual(['/invitation/[link]', '/invitation/[link]/topics?done=saved', '/signin/[link]', '/netconf/2015/']);
    expect(lines.join('\n')).not.toContain(token);
    expect(lines.join('\n')).not.toContain('Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4');
  });

  it('leaves out the secret of a link however its address is spelled, letters as %XX included', () => {
    const secret = '23S6rMxOpOgERqUjxSbn36fal7xmySlXVfeDR1DK67A';
    // The router decodes them all: each of these reaches the link's page.
    expect(loggedUrl(`/signin/%32${secret.slice(1)}`)).toBe('/signin/[link]');
    expect(loggedUrl(`/signin/${secret.slice(0, 5)}%4D${secret.slice(6)}`)).toBe('/signin/[link]');
    expect(loggedUrl(`/sign%69n/${secret}`)).toBe('/sign%69n/[link]');
    expect(loggedUrl(`/%49nvitation/${secret}/topics`)).toBe('/%49nvitation/[link]/topics');
    expect(loggedUrl(`/invitation%2F${secret}%2Ftopics`)).toBe('/invitation%2F[link]%2Ftopics');
  });

  it('leaves every other address as it is', () => {
    expect(loggedUrl('/invitations/x')).toBe('/invitations/x');
    expect(loggedUrl('/admin/editions/netconf/2027/invitations')).toBe('/admin/editions/netconf/2027/invitations');
    expect(loggedUrl('/signin')).toBe('/signin');
    expect(loggedUrl('/signin?next=%2Fadmin%2F')).toBe('/signin?next=%2Fadmin%2F');
    // A mistyped link (a 404) still holds the secret.
    expect(loggedUrl('//Invitation/23S6rMxOpOgERqUjxSbn36fal7xmySlXVfeDR1DK67A/topics')).toBe('//Invitation/[link]/topics');
    expect(loggedUrl('/invitation%2F23S6rMxOpOgERqUjxSbn36fal7xmySlXVfeDR1DK67A')).toBe('/invitation%2F[link]');
    expect(loggedUrl('/signin/topics')).toBe('/signin/topics');
  });
});

/**
 * The archive's list of editions counts each edition's sessions, topics and people in words:
 * one of them is singular ("1 session", not "1 sessions").
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/connect.js';
import { importPages } from '../src/domain/archive/import-pages.js';
import { buildApp } from '../src/web/app.js';
import { testDatabases } from './support/db.js';

const PAGE = `<h2>Netconf 2008</h2>
<ul><li>Location : Portland, OR</li><li>Date : July 18, 2008</li></ul>
<p>July 18th:</p>
<table>
<tr><td>Time</td><td>Speaker</td><td>Topics</td></tr>
<tr><td>10:00am</td><td>David S. Miller</td><td>Netdev state</td></tr>
</table>
<ul><li>Topics :
<ol><li>Netlink extensions</li></ol></li></ul>
`;

describe.each(testDatabases())('archive list counts on $name', ({ open }) => {
  let handle: Db;
  let app: FastifyInstance;
  beforeAll(async () => {
    handle = await open();
    await importPages({ db: handle.db }, [{ file: 'netconf-2008.html', content: Buffer.from(PAGE, 'utf8') }]);
    app = await buildApp({ db: handle.db, clock: () => new Date('2026-11-22T12:00:00Z') });
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  it('writes a count of one in the singular', async () => {
    const res = await app.inject('/');
    expect(res.statusCode).toBe(200);
    const line = /<p class="muted">([^<]*edition[^<]*)<\/p>/.exec(res.body)?.[1];
    expect(line).toBe('1st edition in the archive (of 1) · 1 session · 1 topic · 1 speaker');
  });
});

/**
 * The site's name (SITE_NAME, siteNameOf) on an empty site: page titles, the header, the home
 * page's heading, the feed and the sign-in mail's subject name it, and nothing says 1970.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailSettings } from '../src/cli/context.js';
import { loadConfig } from '../src/config.js';
import type { Db } from '../src/db/connect.js';
import { addCommitteeMember } from '../src/domain/committee/accounts.js';
import { siteNameOf } from '../src/domain/editions/site-name.js';
import { listOutbox } from '../src/domain/mail/outbox.js';
import { buildApp } from '../src/web/app.js';
import { Client } from './support/http.js';
import { testDatabases } from './support/db.js';
import { hasLynx, lynxDump } from './support/lynx.js';

const NAME = 'BPF & Storage Plumbers';
const SHOWN = 'BPF &amp; Storage Plumbers';
const NOW = new Date('2026-12-07T06:00:00Z');

const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1];

describe.each(testDatabases())('the site’s name on $name', ({ open }) => {
  let handle: Db;
  let app: FastifyInstance;

  beforeAll(async () => {
    handle = await open();
    await addCommitteeMember({ db: handle.db }, { accountId: null, label: 'test' }, { email: 'chair@example.org', name: 'Pat Chair' });
    app = await buildApp({ db: handle.db, clock: () => NOW, siteName: NAME, mail: { baseUrl: 'http://bpf.test', from: 'committee@bpf.test' } });
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  it('heads the empty home page with the site’s name, and says the archive is empty below', async () => {
    const res = await app.inject('/');
    expect(titleOf(res.body)).toBe(SHOWN);
    expect(res.body).toContain(`<h1>${SHOWN}</h1>`);
    expect(res.body).toContain('The archive is empty.');
    expect(res.body).not.toContain('No editions yet');
    expect(res.body).not.toMatch(/>conclave</);
    expect(res.body).toContain(`<a class="brand" href="/">${SHOWN}</a>`);
    // The software's credit stays.
    expect(res.body).toContain('Served by conclave.');
  });

  // An organiser's trial began a workshop on an empty site: the page told only of importing old
  // pages, not how to create the first edition or whom to let sign in.
  it.runIf(hasLynx)('says in lynx how to begin: the first edition, a committee member, or old pages', async () => {
    const res = await app.inject('/');
    const text = lynxDump(res.body, { width: 200, list: false });
    const body = text.slice(text.indexOf(NAME, text.indexOf('Search')), text.indexOf('Served by conclave'));
    expect(body.split('\n').map((l) => l.trim()).filter(Boolean)).toEqual([
      NAME,
      'The archive is empty. To begin, on the command line:',
      '* create the first edition: conclave edition create YEAR --series NAME;',
      '* add a committee member, who may then sign in: conclave committee add EMAIL --name NAME;',
      '* or import the pages of past editions: conclave import FILE….',
    ]);
  });

  it('names the site after each page’s own title, a 404 and a re-shown form too', async () => {
    expect(titleOf((await app.inject('/people/')).body)).toBe(`People — ${SHOWN}`);
    expect(titleOf((await app.inject('/search/')).body)).toBe(`Search — ${SHOWN}`);
    expect(titleOf((await app.inject('/signin')).body)).toBe(`Committee sign-in — ${SHOWN}`);
    const missing = await app.inject('/no/such/page/');
    expect(missing.statusCode).toBe(404);
    expect(titleOf(missing.body)).toBe(`Not found — ${SHOWN}`);
    // A page rendered after a form's body was read.
    const refused = await new Client(app).submit('/signin', '/signin', { email: 'not an address' });
    expect(refused.statusCode).toBe(400);
    expect(titleOf(refused.body)).toBe(`Committee sign-in — ${SHOWN}`);
  });

  it('gives an empty feed the site’s name and the time it was written, not 1970', async () => {
    const body = (await app.inject('/feed.atom')).body;
    expect(body).toContain(`<title type="text">${SHOWN}: editions and announcements</title>`);
    expect(body).toContain(`<author><name>${SHOWN} committee</name></author>`);
    expect(body).toContain(`<updated>${NOW.toISOString()}</updated>`);
    expect(body).not.toContain('1970');
  });

  it('names the site in the sign-in mail’s subject', async () => {
    const res = await new Client(app).submit('/signin', '/signin', { email: 'chair@example.org' });
    expect(res.statusCode).toBe(200);
    // Mailed after the answer (see signin.ts).
    await app.settled();
    const sent = await listOutbox({ db: handle.db }, { kind: 'signin' });
    expect(sent.map((m) => m.subject)).toEqual([`Your sign-in link to ${NAME}`]);
    const landing = await app.inject(new URL(/http:\/\/bpf\.test\/signin\/\S+/.exec(sent[0]!.body)![0]).pathname);
    expect(landing.body).toContain(`Sign in to ${SHOWN}`);
  });

  it('is SITE_NAME when set, else the only series’ name, else conclave', async () => {
    expect(await siteNameOf(handle.db, NAME)).toBe(NAME);
    expect(await siteNameOf(handle.db, undefined)).toBe('conclave');
    await handle.db.insertInto('series').values({ slug: 'lsfmm', name: 'LSF/MM/BPF' }).execute();
    expect(await siteNameOf(handle.db, undefined)).toBe('LSF/MM/BPF');
    await handle.db.insertInto('series').values({ slug: 'other', name: 'Other' }).execute();
    expect(await siteNameOf(handle.db, undefined)).toBe('conclave');
  });
});

describe('SITE_NAME', () => {
  it('is read trimmed, and refused on more than one line', () => {
    expect(loadConfig({ SITE_NAME: `  ${NAME} ` }).siteName).toBe(NAME);
    expect(loadConfig({}).siteName).toBeUndefined();
    expect(() => loadConfig({ SITE_NAME: 'BPF\nStorage' })).toThrow(/SITE_NAME=.*one line/);
  });
});

describe('the From without MAIL_FROM', () => {
  it('is the site’s committee, not Netconf’s, at the host of BASE_URL', () => {
    const bpf = loadConfig({ SITE_NAME: NAME, BASE_URL: 'https://bpf.example.org' });
    expect([bpf.mailFrom, bpf.mailReplyTo]).toEqual([`${NAME} committee <committee@bpf.example.org>`, `${NAME} committee <committee@bpf.example.org>`]);
    expect(loadConfig({}).mailFrom).toBe('conclave committee <committee@localhost>');
    // A name a mail address would misread is quoted.
    expect(loadConfig({ SITE_NAME: 'Plumbers, Inc.' }).mailFrom).toBe('"Plumbers, Inc. committee" <committee@localhost>');
  });

  it('takes the name siteNameOf found, unless MAIL_FROM or MAIL_REPLY_TO is set', () => {
    expect(mailSettings(loadConfig({}), 'LSF/MM/BPF')).toMatchObject({ from: 'LSF/MM/BPF committee <committee@localhost>', replyTo: 'LSF/MM/BPF committee <committee@localhost>' });
    expect(mailSettings(loadConfig({ MAIL_FROM: 'pc@example.org', MAIL_REPLY_TO: 'rsvp@example.org' }), 'LSF/MM/BPF')).toMatchObject({ from: 'pc@example.org', replyTo: 'rsvp@example.org' });
    expect(mailSettings(loadConfig({ MAIL_REPLY_TO: 'rsvp@example.org' }), 'LSF/MM/BPF')).toMatchObject({ from: 'LSF/MM/BPF committee <committee@localhost>', replyTo: 'rsvp@example.org' });
  });
});

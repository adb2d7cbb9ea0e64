/**
 * The series a command means without --series (defaultSeries): the site's only series; with
 * several, the newest edition's, said in one line (not with --json); on an empty site, one named
 * SITE_NAME, else bad usage that writes nothing. An explicit --series wins; the admin's audit
 * filter reads a bare year by the same rule.
 */
import type { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCommand } from '../src/cli/audit.js';
import { editionCommand } from '../src/cli/edition.js';
import { scheduleCommand } from '../src/cli/schedule.js';
import { topicsCommand } from '../src/cli/topics.js';
import type { Db } from '../src/db/connect.js';
import { addCommitteeMember } from '../src/domain/committee/accounts.js';
import { createSigninLink } from '../src/domain/committee/signin.js';
import { defaultSeries } from '../src/domain/editions/default-series.js';
import { createEdition } from '../src/domain/editions/edit-edition.js';
import { buildApp } from '../src/web/app.js';
import { runCommand } from './support/cli-in-process.js';
import { freshDataDir, testDatabases } from './support/db.js';
import { Client } from './support/http.js';

const actor = { accountId: null, label: 'test' };
const BPF = 'BPF & Storage Plumbers';
const CHOSE_NETCONF = "(series netconf — the newest edition's; give --series to choose)";

const conclave = runCommand;

describe.each(testDatabases())('defaultSeries on $name', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('takes SITE_NAME on an empty site, the only series, then the newest edition’s', async () => {
    const { db } = handle;
    expect(await defaultSeries(db, undefined)).toBeNull();
    expect(await defaultSeries(db, ' ')).toBeNull();
    expect(await defaultSeries(db, BPF)).toEqual({ slug: 'bpf-and-storage-plumbers', name: BPF, chosen: false, exists: false });

    await createEdition({ db }, actor, { series: BPF, year: 2026, fields: {} as never });
    // The only series, whatever SITE_NAME says.
    expect(await defaultSeries(db, 'Other Name')).toEqual({ slug: 'bpf-and-storage-plumbers', name: BPF, chosen: false, exists: true });

    // Several: the highest year, whichever series was made last.
    await createEdition({ db }, actor, { series: 'Netconf', year: 2027, fields: {} as never });
    await createEdition({ db }, actor, { series: BPF, year: 2025, fields: {} as never });
    expect(await defaultSeries(db, BPF)).toEqual({ slug: 'netconf', name: 'Netconf', chosen: true, exists: true });
    // The same year in both: the edition made last.
    await createEdition({ db }, actor, { series: BPF, year: 2027, fields: {} as never });
    expect(await defaultSeries(db, undefined)).toEqual({ slug: 'bpf-and-storage-plumbers', name: BPF, chosen: true, exists: true });
  });
});

describe('a command without --series', () => {
  it('on an empty site without SITE_NAME is bad usage, and writes nothing', async () => {
    const env = { CONCLAVE_DATA: freshDataDir('conclave-series-') };
    const r = await conclave(['edition', 'create', '2028', '--city', 'Ottawa'], env);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      2,
      '',
      'conclave: --series: this site has no series yet: give --series NAME (edition create makes a series of that name, its slug made from it), or set SITE_NAME\n',
    ]);
    expect(JSON.parse((await conclave(['edition', 'list', '--json'], env)).stdout)).toEqual([]);
    expect(JSON.parse((await conclave(['audit', '--json'], env)).stdout)).toEqual([]);
    // Any other command that names an edition says the same.
    const listed = await conclave(['topics', 'list', '2028'], env);
    expect([listed.code, listed.stderr]).toEqual([2, r.stderr]);
  });

  it('on an empty site with SITE_NAME makes a series of that name, then takes it as the only one', async () => {
    const env = { CONCLAVE_DATA: freshDataDir('conclave-series-') };
    const made = await conclave(['edition', 'create', '2028', '--json'], { ...env, SITE_NAME: BPF });
    expect([made.code, made.stderr]).toEqual([0, '']);
    expect(JSON.parse(made.stdout)).toMatchObject({ year: 2028, title: `${BPF} 2028` });
    // The only series from now on, with SITE_NAME or without, and nothing said about it.
    const next = await conclave(['edition', 'create', '2029'], env);
    expect([next.code, next.stdout, next.stderr]).toEqual([0, `created ${BPF} 2029 (planned)\n`, '']);
    const shown = await conclave(['edition', 'show', '2028', '--series', 'bpf-and-storage-plumbers'], env);
    expect([shown.code, shown.stdout.split('\n')[0]]).toEqual([0, `${BPF} 2028`]);
  });

  it('with several series takes the newest edition’s and says so once, not with --json; --series wins', async () => {
    const env = { CONCLAVE_DATA: freshDataDir('conclave-series-') };
    expect((await conclave(['edition', 'create', '2027', '--series', BPF], env)).code).toBe(0);
    expect((await conclave(['edition', 'create', '2028', '--series', 'Netconf'], env)).code).toBe(0);
    expect((await conclave(['edition', 'create', '2026', '--series', BPF], env)).code).toBe(0);

    const shown = await conclave(['edition', 'show', '2028'], env);
    expect([shown.code, shown.stdout.split('\n')[0], shown.stderr]).toEqual([0, 'Netconf 2028', `${CHOSE_NETCONF}\n`]);
    const json = await conclave(['edition', 'show', '2028', '--json'], env);
    expect([json.code, json.stderr]).toEqual([0, '']);
    expect(JSON.parse(json.stdout)).toMatchObject({ title: 'Netconf 2028' });
    const topics = await conclave(['topics', 'list', '2028'], env);
    expect([topics.code, topics.stdout, topics.stderr]).toEqual([0, 'no topics\n', `${CHOSE_NETCONF}\n`]);

    // A new edition of the series taken: it is made in that series, and its hints name it.
    const made = await conclave(['edition', 'create', '2029', '--start', '2029-07-14', '--end', '2029-07-15', '--answer-by', '2026-01-01'], env);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain('created Netconf 2029 (planned)\n');
    expect(made.stdout).toContain('`conclave edition update 2029 --series netconf --time-zone ZONE`');
    expect(made.stdout).toContain('`conclave edition update 2029 --series netconf --answer-by DATE`');

    // A year the series taken does not have is not looked for in another series (a write meant
    // for a Netconf edition not made yet must not reach BPF's), but the error names those that have it.
    const unknown = await conclave(['edition', 'show', '2027'], env);
    expect([unknown.code, unknown.stderr]).toEqual([1, `${CHOSE_NETCONF}\nconclave: no edition 2027 of netconf (the series with a 2027 edition: bpf-and-storage-plumbers)\n`]);
    const none = await conclave(['edition', 'show', '2031'], env);
    expect([none.code, none.stderr]).toEqual([1, `${CHOSE_NETCONF}\nconclave: no edition 2031 of netconf\n`]);

    // --series wins, said or not, and nothing is added.
    for (const series of ['bpf-and-storage-plumbers', BPF]) {
      const given = await conclave(['edition', 'show', '2027', '--series', series], env);
      expect([given.code, given.stdout.split('\n')[0], given.stderr]).toEqual([0, `${BPF} 2027`, '']);
    }
    const created = await conclave(['edition', 'create', '2030', '--series', BPF], env);
    expect([created.code, created.stdout, created.stderr]).toEqual([0, `created ${BPF} 2030 (planned)\n`, '']);
    // That edition is the newest now: the rule follows it.
    const after = await conclave(['edition', 'show', '2030'], env);
    expect([after.code, after.stdout.split('\n')[0], after.stderr]).toEqual([0, `${BPF} 2030`, "(series bpf-and-storage-plumbers — the newest edition's; give --series to choose)\n"]);
  });

  it('says the rule in its help', () => {
    const sub = (c: Command, name: string) => c.commands.find((x) => x.name() === name)!;
    for (const c of [sub(editionCommand(), 'create'), sub(editionCommand(), 'show'), auditCommand(), sub(scheduleCommand(), 'export'), sub(topicsCommand(), 'accept')]) {
      expect(c.helpInformation().replace(/\s+/g, ' '), c.name()).toContain("[default: the site's only series; with several, the newest edition's; on an empty site, one named SITE_NAME]");
    }
  });
});

describe.each(testDatabases())('the admin’s audit filter by a bare year on $name', ({ open }) => {
  let handle: Db;
  let app: FastifyInstance;
  const clock = () => new Date('2026-11-22T10:00:00Z');
  const mail = { baseUrl: 'http://conclave.test', from: 'committee@conclave.test' };

  beforeAll(async () => {
    handle = await open();
    await addCommitteeMember({ db: handle.db }, actor, { email: 'chair@example.org', name: 'Pat Chair' });
    app = await buildApp({ db: handle.db, clock, mail, limits: { signin: 1000 } });
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  it('reads the year in the newest edition’s series, as a command without --series does', async () => {
    const netconf = await createEdition({ db: handle.db }, actor, { series: 'Netconf', year: 2027, fields: {} as never });
    const bpf = await createEdition({ db: handle.db }, actor, { series: BPF, year: 2028, fields: {} as never });
    const created = (body: string) => [...body.matchAll(/edition\.create edition #(\d+)\b/g)].map((m) => Number(m[1]));
    const c = new Client(app);
    const link = await createSigninLink({ db: handle.db, clock, mail }, { email: 'chair@example.org' });
    const path = new URL(link!.link).pathname;
    expect((await c.submit(path, path, {})).statusCode).toBe(303);

    const bare = await c.get('/admin/audit?edition=2028&action=edition.create');
    expect(bare.statusCode).toBe(200);
    expect(created(bare.body)).toEqual([bpf.id]);
    const other = await c.get('/admin/audit?edition=2027');
    expect(other.statusCode).toBe(400);
    expect(other.body).toContain('no edition 2027 (one of the list, such as netconf/2015)');
    const named = await c.get('/admin/audit?edition=netconf/2027&action=edition.create');
    expect([named.statusCode, created(named.body)]).toEqual([200, [netconf.id]]);
  });
});

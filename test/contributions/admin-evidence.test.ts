/**
 * The invitation admin shows a mined candidate's evidence beside the name: the summary, what
 * was read, and the person's other addresses, escaped.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { addCommitteeMember } from '../../src/domain/committee/accounts.js';
import { createSigninLink } from '../../src/domain/committee/signin.js';
import { addMinedCandidates } from '../../src/domain/contributions/add-candidates.js';
import { mineContributions } from '../../src/domain/contributions/mine.js';
import { buildApp } from '../../src/web/app.js';
import { testDatabases } from '../support/db.js';
import { Client } from '../support/http.js';
import { COMMITTEE, makeDeps, makeEdition } from '../invitations/fixtures.js';
import { isolateGit, TestRepo } from './fixtures.js';

isolateGit();
// The test client drops cookies that expire before the real now: the app's clock is today.
const NOW = new Date().toISOString();
const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-files-'));

describe.each(testDatabases())('evidence in the invitation admin ($name)', ({ open }) => {
  let handle: Db;
  let app: FastifyInstance;
  beforeAll(async () => {
    handle = await open();
    await addCommitteeMember({ db: handle.db }, COMMITTEE, { email: 'chair@example.org', name: 'Pat Chair' });
    const deps = makeDeps(handle.db, NOW);
    app = await buildApp({ db: handle.db, clock: deps.clock, mail: deps.mail, filesDir });
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  it('shows the summary and the source beside each mined name', async () => {
    const r = TestRepo.init();
    r.commit({ author: `Tom "T" O'Brien & Sons <mal@example.org>`, date: '2024-01-01T00:00:00Z', message: 'a\n\nReviewed-by: Rita Reviewer <rita@example.org>\n' });
    r.commit({ author: `Tom "T" O'Brien & Sons <mal@work.example.com>`, date: '2024-01-02T00:00:00Z', message: 'b\n' });
    const deps = makeDeps(handle.db, NOW);
    // Still to come by the real clock the app runs on.
    const editionId = await makeEdition(handle.db, { start_date: '2999-05-11', end_date: '2999-05-13', answer_by: '2999-04-01' });
    const { year } = await handle.db.selectFrom('editions').select('year').where('id', '=', editionId).executeTakeFirstOrThrow();
    const result = await mineContributions({ db: handle.db, clock: deps.clock }, { repo: r.dir, top: 5 });
    const added = await addMinedCandidates(deps, COMMITTEE, editionId, result);
    expect(added.left).toEqual([]);
    expect(added.added).toHaveLength(2);

    const c = new Client(app);
    const link = await createSigninLink({ db: handle.db, clock: deps.clock, mail: deps.mail }, { email: 'chair@example.org' });
    const signin = new URL(link!.link).pathname;
    expect((await c.submit(signin, signin, {})).statusCode).toBe(303);
    const page = await c.get(`/admin/editions/invtest/${year}/invitations`);
    expect([page.statusCode, page.headers.location]).toEqual([200, undefined]);
    const rita = result.rows.find((x) => x.name === 'Rita Reviewer')!;
    expect(page.body).toContain(`<span>${rita.summary}</span>`);
    // The repository as --repo names it (its work tree), not its .git directory.
    expect(page.body).toContain(`#2 in ${r.git(['rev-parse', '--show-toplevel']).trim()} (HEAD)`);
    expect(page.body).not.toContain('.git (HEAD)');
    expect(page.body).toContain('also as mal@example.org, mal@work.example.com');
    expect(page.body).not.toContain(`"T" O'Brien & Sons`);
    expect(page.body).toContain('&amp; Sons');
  });
});

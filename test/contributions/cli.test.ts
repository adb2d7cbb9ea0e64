/**
 * `conclave candidates` as a maintainer runs it from a terminal, on a repository built here and
 * a database of its own (makeCommandData): the ranked table, CSV and JSON; `--edition YEAR --add`
 * refused with a way out when the edition does not exist, then adding the top people as that
 * edition's candidates with their evidence; and one-line errors for a folder that is no git
 * repository and for bad options. The miner's counts themselves: miner.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConclave } from '../support/cli.js';
import { runCommand } from '../support/cli-in-process.js';
import { freshDataDir, makeCommandData, type CommandData } from '../support/db.js';
import { isolateGit, tmpDir, TestRepo } from './fixtures.js';

isolateGit();

const MAINT = 'Mai Maintainer <mai@example.org>';
const ALICE = 'Alice Author <alice@example.org>';

describe('conclave candidates', () => {
  let data: CommandData;
  /**
   * A command in this process: what these tests check is what `candidates` does and says, not
   * the executable (a Node process and the bundle's loading each). The tests of a database left
   * alone and of a prompt exit run the executable, on an embedded database.
   */
  const conclave = (args: string[]) => runCommand(args, data.env);
  let repo: TestRepo;

  beforeAll(async () => {
    data = await makeCommandData('conclave-candidates-cli-');
    repo = TestRepo.init();
    for (const month of ['01', '02', '03']) {
      repo.commit({ author: ALICE, date: `2024-${month}-10T12:00:00Z`, message: `net: change ${month}\n\nSigned-off-by: ${ALICE}\nSigned-off-by: ${MAINT}\n` });
    }
    repo.commit({ author: MAINT, date: '2024-04-10T12:00:00Z', message: `net: a fix\n\nReviewed-by: ${ALICE}\nSigned-off-by: ${MAINT}\n` });
  });
  afterAll(async () => {
    await data.drop();
    fs.rmSync(repo.dir, { recursive: true, force: true });
  });

  it('prints the people ranked with their evidence, as a table, CSV and JSON', async () => {
    const table = await conclave(['candidates', '--repo', repo.dir]);
    expect(table.stderr).toBe('');
    expect(table.code).toBe(0);
    const lines = table.stdout.split('\n');
    expect(lines[0]).toMatch(/^RANK\s+SCORE\s+NAME\s+EMAIL\s+AUTHORED\s+SIGNOFFS\s+REVIEWS\s+ACKS/);
    // Mai: 1 authored, 3 sign-offs on Alice's patches; Alice: 3 authored, 1 review.
    expect(lines[1]).toMatch(/^\s+1\s+[\d.]+\s+Mai Maintainer\s+mai@example\.org\s+1\s+3\s+0\s+0\s/);
    expect(lines[2]).toMatch(/^\s+2\s+[\d.]+\s+Alice Author\s+alice@example\.org\s+3\s+0\s+1\s+0\s/);
    expect(table.stdout).toContain('4 commits of HEAD');

    const csv = await conclave(['candidates', '--repo', repo.dir, '--format', 'csv']);
    expect(csv.code).toBe(0);
    const rows = csv.stdout.split('\r\n'); // RFC 4180 line ends
    expect(rows.pop()).toBe('');
    expect(rows[0]).toBe('rank,score,name,email,authored,signoffs,reviews,acks,tests,reports,suggests,codev,first,last');
    expect(rows.slice(1).map((r) => r.split(',').slice(2, 7).join(','))).toEqual(['Mai Maintainer,mai@example.org,1,3,0', 'Alice Author,alice@example.org,3,0,1']);

    const json = await conclave(['candidates', '--repo', repo.dir, '--json', '--top', '1']);
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout) as { commits: number; people: number; rows: { name: string; counts: Record<string, number> }[] };
    expect(result).toMatchObject({ commits: 4, people: 2 });
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]).toMatchObject({ name: 'Mai Maintainer', counts: { authored: 1, signedOff: 3, reviewed: 0 } });
  });

  it('lists the malformed trailers it skipped: a few under the table, all in JSON, none in the CSV', async () => {
    const r = TestRepo.init();
    const bad = ['Reviewed-by: Nobody', 'Acked-by: Broken <b@example.org', 'Tested-by: <not an address>', 'Reported-by: x@', 'Suggested-by: A Person', 'Reviewed-by: Someone Else', 'Acked-by: Third'];
    const sha = r.commit({ author: ALICE, date: '2024-05-10T12:00:00Z', message: `net: trailers\n\n${bad.join('\n')}\nSigned-off-by: ${MAINT}\n` });
    try {
      const json = await conclave(['candidates', '--repo', r.dir, '--json', '--no-cache']);
      expect(json.code).toBe(0);
      const result = JSON.parse(json.stdout) as { skippedTrailers: number; skipped: { commit: string; date: string; line: string; why: string }[] };
      expect(result.skippedTrailers).toBe(7);
      // One commit: its lines in order.
      expect(result.skipped.map((s) => [s.commit, s.date, s.line])).toEqual([...bad].sort().map((l) => [sha, '2024-05-10', l]));
      expect(result.skipped.find((s) => s.line === 'Acked-by: Broken <b@example.org')!.why).toBe('no ">" closing the address');

      const table = await conclave(['candidates', '--repo', r.dir, '--no-cache']);
      expect(table.code).toBe(0);
      const tail = table.stdout.trimEnd().split('\n').slice(-6);
      expect(tail[0]).toBe('skipped trailers, the newest 5 of 7 (--format json lists them all):');
      expect(tail.slice(1)).toEqual(result.skipped.slice(0, 5).map((s) => `  ${sha.slice(0, 12)} 2024-05-10  ${s.line}  (${s.why})`));

      const csv = await conclave(['candidates', '--repo', r.dir, '--no-cache', '--format', 'csv']);
      expect(csv.code).toBe(0);
      expect(csv.stdout.split('\r\n').slice(1, -1).map((l) => l.split(',')[2])).toEqual(['Mai Maintainer', 'Alice Author']);
      expect(csv.stderr.split('\n')[0]).toBe('conclave: skipped trailers, the newest 5 of 7 (--format json lists them all):');
      expect(csv.stderr).toContain(`  ${sha.slice(0, 12)} 2024-05-10  Acked-by: Broken <b@example.org  (no ">" closing the address)`);
    } finally {
      fs.rmSync(r.dir, { recursive: true, force: true });
    }
  });

  it('touches no database with --no-cache and no --edition', () => {
    // It has nothing to read or write there: it used to create (and migrate) ./data, and to
    // wait on, or be refused by, the database configured.
    const dir = tmpDir('conclave-no-cache-');
    const own = path.join(dir, 'data');
    const envs: Record<string, string>[] = [{ CONCLAVE_DATA: own }, { CONCLAVE_DATA: own, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }];
    for (const env of envs) {
      const r = runConclave(['candidates', '--repo', repo.dir, '--no-cache', '--format', 'csv'], env);
      expect([r.code, r.stderr]).toEqual([0, '']);
      expect(r.stdout.split('\r\n')[1]).toMatch(/^1,[\d.]+,Mai Maintainer,mai@example\.org,1,3,/);
    }
    expect(fs.existsSync(own)).toBe(false);
    fs.rmSync(dir, { recursive: true });
  });

  it('refuses --add to an edition that does not exist, saying how to create it, in its series', async () => {
    // A site with no series yet: the command to create it names the series (without, it has none to take).
    const r = await conclave(['candidates', '--repo', repo.dir, '--edition', '2027', '--add', '--series', 'netconf']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('conclave: no edition 2027 of netconf: create it first (`conclave edition create 2027 --series netconf`, or in the admin)\n');
    // Without --series, as every command on such a site, bad usage.
    const none = await conclave(['candidates', '--repo', repo.dir, '--edition', '2027', '--add']);
    expect([none.code, none.stderr]).toEqual([2, 'conclave: --series: this site has no series yet: give --series NAME (edition create makes a series of that name, its slug made from it), or set SITE_NAME\n']);
    // Of another series, the command to create it names that series.
    const other = await conclave(['candidates', '--repo', repo.dir, '--edition', '2027', '--add', '--series', 'wireless']);
    expect([other.code, other.stderr]).toEqual([1, 'conclave: no edition 2027 of wireless: create it first (`conclave edition create 2027 --series wireless`, or in the admin)\n']);
  });

  it('adds the top people as candidates of the edition, with their evidence, once', async () => {
    expect((await conclave(['edition', 'create', '2027', '--series', 'Netconf', '--title', 'Netconf 2027'])).code).toBe(0);
    const r = await conclave(['candidates', '--repo', repo.dir, '--edition', '2027', '--add']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 added as candidates of Netconf 2027\n  added: Mai Maintainer <mai@example.org>\n  added: Alice Author <alice@example.org>\n');

    const list = await conclave(['invite', 'list', '2027', '--json']);
    expect(list.code).toBe(0);
    const pipeline = JSON.parse(list.stdout) as { rows: { name: string; state: string; source: string; evidence: { rank: number } | null }[] };
    expect(pipeline.rows.map((p) => [p.name, p.state, p.source, p.evidence?.rank])).toEqual([
      ['Mai Maintainer', 'candidate', 'git', 1],
      ['Alice Author', 'candidate', 'git', 2],
    ]);

    const again = await conclave(['candidates', '--repo', repo.dir, '--edition', '2027', '--add']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 added as candidates of Netconf 2027\n');
    expect(again.stdout).toContain('  not added: Mai Maintainer <mai@example.org> is already on the list of Netconf 2027 (candidate)\n');
  });

  it('names those added one a line, so that a name with a comma reads as one person', async () => {
    const quoted = TestRepo.init();
    quoted.commit({ author: 'Quoted, Name <q@example.org>', date: '2024-01-10T12:00:00Z', message: `net: q\n\nSigned-off-by: ${MAINT}\n` });
    expect((await conclave(['edition', 'create', '2028', '--series', 'Netconf', '--title', 'Netconf 2028'])).code).toBe(0);
    const r = await conclave(['candidates', '--repo', quoted.dir, '--edition', '2028', '--add', '--format', 'csv']);
    expect([r.code, r.stderr]).toEqual([0, '2 added as candidates of Netconf 2028\n  added: Mai Maintainer <mai@example.org>\n  added: Quoted, Name <q@example.org>\n']);
    fs.rmSync(quoted.dir, { recursive: true, force: true });
  });

  it('says in one line what is wrong with the repository or an option', async () => {
    const notGit = tmpDir('conclave-not-git-');
    const r = await conclave(['candidates', '--repo', notGit]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`conclave: --repo: ${notGit} is not a git repository\n`);
    fs.rmSync(notGit, { recursive: true });

    const jobs = await conclave(['candidates', '--repo', repo.dir, '--lines', '--jobs', 'many']);
    expect([jobs.code, jobs.stderr]).toEqual([2, 'conclave: --jobs: must be a whole number from 1 to 256, not "many"\n']);

    // Options that need each other are bad usage (2), as an unknown option is, not a refused request (1).
    const lone = await conclave(['candidates', '--repo', repo.dir, '--add']);
    expect([lone.code, lone.stderr]).toEqual([2, 'conclave: --edition: --add needs --edition YEAR\n']);
  });

  it('exits at once when --range or --mailmap is refused before the history is read', () => {
    // Refused while the cache's first query was still running: the embedded database, closed
    // under it, left the process spinning until killed. The executable, on an embedded database.
    const dir = freshDataDir('conclave-candidates-exit-');
    // One left spinning is killed by runConclave's timeout, and its code is then null, not 1.
    const conclave = (args: string[]) => runConclave(args, { CONCLAVE_DATA: dir });
    const range = conclave(['candidates', '--repo', repo.dir, '--range', 'HEAD~1...HEAD']);
    expect([range.code, range.stderr]).toEqual([1, 'conclave: --range: HEAD~1...HEAD: A...B is not supported; use A..B (the commits in B that are not in A)\n']);
    const missing = path.join(dir, 'no-such-mailmap');
    const mailmap = conclave(['candidates', '--repo', repo.dir, '--mailmap', missing]);
    expect([mailmap.code, mailmap.stderr]).toEqual([1, `conclave: --mailmap: cannot read ${missing}: no such file\n`]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

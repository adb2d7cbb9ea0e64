/**
 * The contribution miner over repositories built here: exact counts and ranking, .mailmap on
 * authors and trailers, Co-developed-by, names that are not UTF-8, an empty repository, merges,
 * paths, ranges, errors and warnings; on both databases.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { mineContributions, type MineInput, type MineResult } from '../../src/domain/contributions/mine.js';
import { formatTable } from '../../src/domain/contributions/format.js';
import { testDatabases } from '../support/db.js';
import { fastImport, isolateGit, repoTemplates, tmpDir, TestRepo } from './fixtures.js';

isolateGit();
const built = repoTemplates();

const NOW = new Date('2024-06-01T00:00:00Z');
const FLAT = { halfLifeYears: 1000 };
const ALICE = 'Alice <alice@example.org>';
const BOB = 'Bob <bob@example.org>';
const MAINT = 'Maint <maint@example.org>';

/** A copy of the same five commits each time (repoTemplates): a repository of its own. */
function basicRepo(): TestRepo {
  return built('basic', buildBasic);
}

function buildBasic(r: TestRepo): void {
  for (const [i, month] of ['01', '02', '03'].entries()) {
    r.commit({
      author: ALICE,
      date: `2024-${month}-10T12:00:00Z`,
      message: `net: alice's change ${i}\n\nWhy.\n\nSigned-off-by: ${ALICE}\n${i === 0 ? 'Reviewed-by: Rita <rita@example.org>\n' : ''}Signed-off-by: ${MAINT}\n`,
    });
  }
  r.commit({
    author: BOB,
    date: '2024-04-10T12:00:00Z',
    message: [
      'net: bob fixes a bug',
      '',
      'Because.',
      '',
      'Reported-by: Rep <rep@example.org>',
      'Suggested-by: Sug <sug@example.org>',
      `Signed-off-by: ${BOB}`,
      'Reviewed-by: Rita <rita@example.org>',
      'Reviewed-by: Nobody',
      `Acked-by: ${ALICE}`,
      'Tested-by: Tess <tess@example.org>',
      `Signed-off-by: ${MAINT}`,
      '',
    ].join('\n'),
  });
  r.commit({ author: MAINT, date: '2024-05-10T12:00:00Z', message: `net: maint's own\n\nSigned-off-by: ${MAINT}\n` });
}

describe.each(testDatabases())('contribution miner ($name)', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => {
    await handle?.close();
  });
  const mine = (input: MineInput, extra: { git?: string; jobs?: number } = {}): Promise<MineResult> =>
    mineContributions({ db: handle.db, clock: () => NOW, ...extra }, { weights: FLAT, ...input });
  const byName = (r: MineResult) => Object.fromEntries(r.rows.map((x) => [x.name, x]));

  it('counts each kind of credit exactly and ranks by the weighted score', async () => {
    const repo = basicRepo();
    const r = await mine({ repo: repo.dir, top: 100 });
    expect(r.commits).toBe(5);
    expect(r.skippedTrailers).toBe(1);
    const bobs = repo.git(['rev-parse', 'HEAD~1']).trim();
    expect(r.skipped).toEqual([{ commit: bobs, date: '2024-04-10', line: 'Reviewed-by: Nobody', why: 'no address' }]);
    expect(formatTable(r).slice(-3)).toEqual(['5 commits of HEAD (all read now); 7 people; 1 malformed trailer skipped; lines and paths: --lines', 'skipped 1 trailer:', `  ${bobs.slice(0, 12)} 2024-04-10  Reviewed-by: Nobody  (no address)`]);
    expect(r.rows.map((x) => [x.rank, x.name, x.score])).toEqual([
      [1, 'Maint', 9],
      [2, 'Alice', 4.5],
      [3, 'Rita', 4],
      [4, 'Bob', 1],
      [5, 'Tess', 1],
      [6, 'Rep', 0.5],
      [7, 'Sug', 0.5],
    ]);
    const p = byName(r);
    // A sign-off on one's own patch is not a maintainer's sign-off.
    expect(p.Maint!.counts).toEqual({ authored: 1, signedOff: 4, reviewed: 0, acked: 0, tested: 0, reported: 0, suggested: 0, coDeveloped: 0 });
    expect(p.Alice!.counts).toMatchObject({ authored: 3, signedOff: 0, acked: 1 });
    expect(p.Rita!.counts).toMatchObject({ reviewed: 2, authored: 0 });
    expect([p.Alice!.first, p.Alice!.last]).toEqual(['2024-01-10', '2024-04-10']);
    expect(p.Maint!.summary).toBe('score 9: 1 commit, 4 sign-offs; active 2024-01-10 – 2024-05-10');
    expect(p.Maint!.points).toMatchObject({ authored: 1, signedOff: 8 });
    // --top cuts the list, ranks stay.
    const top2 = await mine({ repo: basicRepo().dir, top: 2 });
    expect(top2.rows.map((x) => x.name)).toEqual(['Maint', 'Alice']);
  });

  it('weighs recent work more than old, and reads weights from the input', async () => {
    const r = built('recent', (r) => {
      for (let i = 0; i < 3; i++) r.commit({ author: 'Old Timer <old@example.org>', date: `2010-0${i + 1}-01T00:00:00Z`, message: 'old\n' });
      r.commit({ author: 'New Comer <new@example.org>', date: '2024-05-01T00:00:00Z', message: 'new\n' });
    });
    const decayed = await mineContributions({ db: handle.db, clock: () => NOW }, { repo: r.dir });
    expect(decayed.rows.map((x) => x.name)).toEqual(['New Comer', 'Old Timer']);
    const flat = await mine({ repo: r.dir });
    expect(flat.rows.map((x) => x.name)).toEqual(['Old Timer', 'New Comer']);
    const reviews = await mine({ repo: basicRepo().dir, weights: { halfLifeYears: 1000, reviewed: 10 } });
    expect(reviews.rows[0]!.name).toBe('Rita');
    await expect(mine({ repo: r.dir, weights: { reviewd: 1 } })).rejects.toThrow(/reviewd/);
    await expect(mine({ repo: r.dir, weights: { acked: -1 } })).rejects.toThrow(/acked: must be 0 or more/);
  });

  it('applies .mailmap to authors and to trailers, and merges addresses case-insensitively', async () => {
    const r = built('mailmap', (r) => {
      r.write('.mailmap', ['# people', 'Alice Liddell <alice@example.org> <alice@old.example.com>', 'Alice Liddell <ALICE@example.org>', 'Maint <maint@example.org> Maint Old <MAINT@old.example.com>', ''].join('\n'));
      r.commit({ author: 'alice <ALICE@old.example.com>', date: '2024-01-01T00:00:00Z', message: 'a\n\nSigned-off-by: alice <alice@old.example.com>\nReviewed-by: maint old <maint@old.example.com>\n' });
      r.commit({ author: 'Alice <Alice@Example.org>', date: '2023-12-01T00:00:00Z', message: 'b\n\nSigned-off-by: Alice <alice@example.org>\nSigned-off-by: Maint Old <maint@OLD.example.com>\nTested-by: Rita <rita@old.example.com>\n' });
    });
    const extra = tmpDir();
    const file = `${extra}/mailmap`;
    (await import('node:fs')).writeFileSync(file, 'Rita Ray <rita@example.org> <rita@old.example.com>\n');
    const res = await mine({ repo: r.dir, mailmap: file });
    const p = byName(res);
    expect(Object.keys(p).sort()).toEqual(['Alice Liddell', 'Maint', 'Rita Ray']);
    expect(p['Alice Liddell']!.counts).toMatchObject({ authored: 2, signedOff: 0 });
    // Shown as last written: the newest commit's address, as .mailmap made it.
    expect(p['Alice Liddell']!.email).toBe('alice@example.org');
    expect(p.Maint!.counts).toMatchObject({ reviewed: 1, signedOff: 1 });
    expect(p['Rita Ray']!.counts).toMatchObject({ tested: 1 });
    // The same address in other cases is one person, whose addresses are listed.
    const noMap = built('no-mailmap', (r) => {
      r.commit({ author: 'Bo Bo <bo@example.org>', date: '2024-01-01T00:00:00Z', message: 'x\n' });
      r.commit({ author: 'Bo Bo <BO@EXAMPLE.ORG>', date: '2024-01-02T00:00:00Z', message: 'y\n' });
      r.commit({ author: 'Bo Bo <bo@work.example.com>', date: '2024-01-03T00:00:00Z', message: 'z\n' });
    });
    const merged = await mine({ repo: noMap.dir });
    expect(merged.rows).toHaveLength(1);
    expect(merged.rows[0]!.counts.authored).toBe(3);
    expect(merged.rows[0]!.addresses).toEqual(['BO@EXAMPLE.ORG', 'bo@work.example.com']);
  });

  it('shows a person under the spelling they use most, not one written once lately', async () => {
    const r = built('spellings', (r) => {
      for (const [i, m] of ['2024-01-01', '2024-02-01', '2024-03-01'].entries()) r.commit({ author: 'Bob Dev <bob@corp.test>', date: `${m}T00:00:00Z`, message: `b${i}\n` });
      r.commit({ author: 'bob dev <BOB@CORP.TEST>', date: '2024-04-01T00:00:00Z', message: 'late\n' });
      // As a reviewer too: every credit counts to the spelling it used.
      r.commit({ author: 'Eve Net <eve@net.test>', date: '2024-04-02T00:00:00Z', message: 'e\n\nReviewed-by: EVE NET <EVE@NET.TEST>\n' });
      r.commit({ author: 'Al Other <al@net.test>', date: '2024-04-03T00:00:00Z', message: 'a\n\nReviewed-by: EVE NET <EVE@NET.TEST>\n' });
      r.commit({ author: 'Al Other <al@net.test>', date: '2024-04-04T00:00:00Z', message: 'a2\n\nAcked-by: EVE NET <EVE@NET.TEST>\n' });
    });
    const res = await mine({ repo: r.dir });
    const bob = res.rows.find((row) => row.email.toLowerCase() === 'bob@corp.test')!;
    expect([bob.name, bob.email, bob.counts.authored]).toEqual(['Bob Dev', 'bob@corp.test', 4]);
    const eve = res.rows.find((row) => row.email.toLowerCase() === 'eve@net.test')!;
    expect([eve.name, eve.email]).toEqual(['EVE NET', 'EVE@NET.TEST']);
    // Used as often: the one used last.
    const tie = built('tie', (r) => {
      r.commit({ author: 'Cy Old <cy@x.test>', date: '2024-01-01T00:00:00Z', message: 'o\n' });
      r.commit({ author: 'Cy New <CY@x.test>', date: '2024-02-01T00:00:00Z', message: 'n\n' });
    });
    expect((await mine({ repo: tie.dir })).rows.map((row) => `${row.name} <${row.email}>`)).toEqual(['Cy New <CY@x.test>']);
  });

  it('shows a name someone wrote over one made up from a bare address, however often that is used', async () => {
    const r = built('bare-address', (r) => {
      r.commit({ author: ALICE, date: '2024-01-01T00:00:00Z', message: 'a\n\nSigned-off-by: Yan <yan@y.test>\nAcked-by: yan@y.test\n' });
      r.commit({ author: ALICE, date: '2024-02-01T00:00:00Z', message: 'b\n\nReviewed-by: yan@y.test\nReported-by: <rep@r.test>\n' });
    });
    const res = await mine({ repo: r.dir, top: 100 });
    const yan = res.rows.find((row) => row.email === 'yan@y.test')!;
    expect([yan.name, yan.counts.signedOff, yan.counts.acked, yan.counts.reviewed]).toEqual(['Yan', 1, 1, 1]);
    // Nobody wrote a name for this address: the part before the @ is shown.
    expect(res.rows.find((row) => row.email === 'rep@r.test')!.name).toBe('rep');
  });

  it('credits Co-developed-by, and not as a maintainer sign-off', async () => {
    const r = built('co-developed', (r) => {
      r.commit({
        author: 'Ann Author <ann@example.org>',
        date: '2024-03-01T00:00:00Z',
        message: `net: together\n\nCo-developed-by: Cody Dev <cody@example.org>\nSigned-off-by: Cody Dev <cody@example.org>\nSigned-off-by: Ann Author <ann@example.org>\nSigned-off-by: ${MAINT}\n`,
      });
    });
    const p = byName(await mine({ repo: r.dir }));
    expect(p['Cody Dev']!.counts).toMatchObject({ coDeveloped: 1, signedOff: 0, authored: 0 });
    expect(p['Ann Author']!.counts).toMatchObject({ authored: 1, signedOff: 0 });
    expect(p.Maint!.counts).toMatchObject({ signedOff: 1 });
  });

  it('reads names that are not valid UTF-8 as Latin-1, beside UTF-8 ones', async () => {
    const latin1 = (s: string) => Buffer.from(s, 'latin1');
    const msg1 = Buffer.concat([latin1('net: caf\xe9\n\nReviewed-by: Ren\xe9 Cr\xe8me <rene@example.org>\n')]);
    const msg2 = Buffer.from('net: two\n\nAcked-by: Zoë Ünal <zoe@example.org>\n', 'utf8');
    const stream = Buffer.concat([
      latin1('commit refs/heads/main\nauthor Jos\xe9 Garc\xeda <jose@example.org> 1704067200 +0000\ncommitter Jos\xe9 Garc\xeda <jose@example.org> 1704067200 +0000\n'),
      Buffer.from(`data ${msg1.length}\n`), msg1, Buffer.from('\n'),
      Buffer.from('commit refs/heads/main\nauthor Zoë Ünal <zoe@example.org> 1704153600 +0000\ncommitter Zoë Ünal <zoe@example.org> 1704153600 +0000\n', 'utf8'),
      Buffer.from(`data ${msg2.length}\n`), msg2, Buffer.from('\n'),
    ]);
    const r = fastImport(stream);
    const p = byName(await mine({ repo: r.dir }));
    expect(Object.keys(p).sort()).toEqual(['José García', 'René Crème', 'Zoë Ünal']);
    expect(p['René Crème']!.counts.reviewed).toBe(1);
    expect(p['Zoë Ünal']!.counts).toMatchObject({ authored: 1, acked: 1 });
  });

  it('shows control characters in addresses as U+FFFD, never as a terminal escape', async () => {
    // A crafted commit: escape sequences in the author's address and in a trailer's.
    const msg = Buffer.from('net: red\n\nSigned-off-by: Mal Signer <mal\x1b[2J@example.org>\nReviewed-by: Mal \x1b]0;owned\x07\n');
    const stream = Buffer.concat([
      Buffer.from('commit refs/heads/main\nauthor Eve Vil <eve\x1b]0;owned\x07@example.org> 1704067200 +0000\ncommitter Eve Vil <eve@example.org> 1704067200 +0000\n'),
      Buffer.from(`data ${msg.length}\n`), msg, Buffer.from('\n'),
    ]);
    const r = fastImport(stream);
    const result = await mine({ repo: r.dir });
    expect(result.rows.map((x) => [x.name, x.email])).toEqual([
      ['Mal Signer', 'mal\uFFFD[2J@example.org'],
      ['Eve Vil', 'eve\uFFFD]0;owned\uFFFD@example.org'],
    ]);
    expect(result.skipped.map((s) => s.line)).toEqual(['Reviewed-by: Mal \uFFFD]0;owned\uFFFD']);
    expect(formatTable(result).join('\n')).toContain('Reviewed-by: Mal \uFFFD]0;owned\uFFFD  (no address)');
    expect(formatTable(result).join('\n')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
  });

  it('says, when interrupted, that what was read stays cached, and not with the cache off', async () => {
    const dir = basicRepo().dir;
    for (const cache of [true, false]) {
      const stop = new AbortController();
      const run = mineContributions({ db: handle.db, clock: () => NOW, signal: stop.signal, onProgress: () => stop.abort() }, { repo: dir, cache });
      await expect(run).rejects.toThrow(cache ? /^interrupted after \d+ commits; nothing was ranked \(per-commit results read so far stay cached\)$/ : /^interrupted after \d+ commits; nothing was ranked$/);
    }
  });

  it('stops on a Ctrl-C heard after the history is read, and the cache stays whole', async () => {
    // It used to go on and rank: nothing listened once git was done. The abort comes from the
    // event loop, as Ctrl-C's signal does, as soon as the walk is over (the clock is asked then).
    const dir = basicRepo().dir;
    for (const cache of [true, false]) {
      const stop = new AbortController();
      const clock = () => (setImmediate(() => stop.abort()), NOW);
      const run = mineContributions({ db: handle.db, clock, signal: stop.signal }, { repo: dir, cache, weights: FLAT });
      await expect(run).rejects.toThrow(cache ? /^interrupted after 5 commits; nothing was ranked \(per-commit results read so far stay cached\)$/ : /^interrupted after 5 commits; nothing was ranked$/);
    }
    const cold = await mine({ repo: dir, cache: false });
    const again = await mine({ repo: dir });
    expect([again.commits, again.incremental, again.rows]).toEqual([5, true, cold.rows]);
  });

  it('fails, and caches nothing cut short, when a git is killed (out of memory, say)', async () => {
    // It used to end the history there, with exit code 0, and cache that tally for good.
    const dir = basicRepo().dir;
    const bin = path.join(tmpDir('conclave-git-killed-'), 'git');
    fs.writeFileSync(bin, '#!/bin/sh\ncase " $* " in\n*" log "*) out=$(mktemp); git "$@" > "$out"; head -c $(($(wc -c < "$out") - 10)) "$out"; rm -f "$out"; kill -KILL $$ ;;\n*) exec git "$@" ;;\nesac\n', { mode: 0o755 });
    try {
      for (const lines of [false, true]) {
        const cold = await mine({ repo: dir, lines, cache: false });
        expect(cold.commits).toBe(5);
        await expect(mine({ repo: dir, lines }, { git: bin, jobs: 1 })).rejects.toThrow(/^repo: git log was ended by SIGKILL before it was done \(out of memory\?\)$/);
        const again = await mine({ repo: dir, lines });
        expect([again.commits, again.rows]).toEqual([5, cold.rows]);
      }
    } finally {
      fs.rmSync(path.dirname(bin), { recursive: true });
    }
  });

  it('says an empty repository has no commits, and a directory that is not one is not', async () => {
    const empty = built('empty', () => {});
    await expect(mine({ repo: empty.dir })).rejects.toThrow(/repo: .* has no commits yet/);
    await expect(mine({ repo: tmpDir() })).rejects.toThrow(/repo: .* is not a git repository/);
    await expect(mine({ repo: '/nonexistent/conclave-repo' })).rejects.toThrow(/does not exist/);
    await expect(mine({ repo: basicRepo().dir }, { git: '/nonexistent/bin/git' })).rejects.toThrow(/git is not installed or not on PATH/);
  });

  it('skips merges unless asked, and warns about a shallow clone', async () => {
    const r = built('merges', (r) => {
      r.commit({ author: ALICE, date: '2024-01-01T00:00:00Z', message: 'base\n' });
      r.git(['checkout', '-q', '-b', 'side']);
      r.commit({ author: BOB, date: '2024-01-02T00:00:00Z', message: 'side\n' });
      r.git(['checkout', '-q', 'main']);
      r.commit({ author: ALICE, date: '2024-01-03T00:00:00Z', message: 'main\n' });
      r.git(['merge', '-q', '--no-ff', '-m', 'Merge side', 'side'], { GIT_AUTHOR_NAME: 'Merger', GIT_AUTHOR_EMAIL: 'merger@example.org', GIT_COMMITTER_NAME: 'Merger', GIT_COMMITTER_EMAIL: 'merger@example.org', GIT_AUTHOR_DATE: '2024-01-04T00:00:00Z', GIT_COMMITTER_DATE: '2024-01-04T00:00:00Z' });
    });
    const plain = await mine({ repo: r.dir });
    expect(plain.commits).toBe(3);
    expect(plain.rows.map((x) => x.name)).toEqual(['Alice', 'Bob']);
    const all = await mine({ repo: r.dir, includeMerges: true });
    expect(all.commits).toBe(4);
    expect(byName(all).Merger!.counts.authored).toBe(1);

    const clone = tmpDir();
    r.git(['clone', '-q', '--depth', '1', `file://${r.dir}`, clone]);
    const shallow = await mine({ repo: clone });
    expect(shallow.warnings.join('\n')).toMatch(/shallow clone/);
  });

  it('keeps to the paths and the range asked, and says when nothing matches', async () => {
    const r = built('paths', (r) => {
      const c1 = r.commit({ author: ALICE, date: '2024-01-01T00:00:00Z', message: 'a\n', files: { 'net/ipv4/a.c': '1\n' } });
      r.commit({ author: BOB, date: '2024-01-02T00:00:00Z', message: 'b\n', files: { 'drivers/net/b.c': '1\n' } });
      r.commit({ author: 'Carol <carol@example.org>', date: '2024-01-03T00:00:00Z', message: 'c\n', files: { 'net/core/c.c': '1\n' } });
      r.git(['tag', 'v1', c1]);
    });
    // Carol's commit is the younger: it weighs a little more.
    expect((await mine({ repo: r.dir, paths: ['net'] })).rows.map((x) => x.name)).toEqual(['Carol', 'Alice']);
    expect((await mine({ repo: r.dir, paths: ['drivers/net', 'net/core'] })).rows.map((x) => x.name)).toEqual(['Carol', 'Bob']);
    expect((await mine({ repo: r.dir, range: 'v1..main' })).rows.map((x) => x.name)).toEqual(['Carol', 'Bob']);
    expect((await mine({ repo: r.dir, range: 'v1..main', paths: ['net'] })).rows.map((x) => x.name)).toEqual(['Carol']);
    expect((await mine({ repo: r.dir, range: 'v1' })).rows.map((x) => x.name)).toEqual(['Alice']);
    expect((await mine({ repo: r.dir, since: '2024-01-02', until: '2024-01-02' })).rows.map((x) => x.name)).toEqual(['Bob']);
    await expect(mine({ repo: r.dir, paths: ['fs/ext4'] })).rejects.toThrow(/path: no commits match HEAD -- fs\/ext4/);
    // A path is from the repository's top, whatever directory the command runs in: an absolute
    // one inside the work tree is the same query, and one outside it, or climbing out, is refused.
    const absolute = await mine({ repo: r.dir, paths: [path.join(r.dir, 'net')] });
    expect([absolute.rows.map((x) => x.name), absolute.query]).toEqual([['Carol', 'Alice'], 'HEAD -- net']);
    await expect(mine({ repo: r.dir, paths: ['../net'] })).rejects.toThrow('path: ../net climbs out of the repository: give a path from its top, such as net');
    await expect(mine({ repo: r.dir, paths: [path.dirname(r.dir)] })).rejects.toThrow(/^path: \S+ is not in the repository's work tree \(\S+\): give a path from its top, such as net$/);
    await expect(mine({ repo: r.dir, range: 'main..v1' })).rejects.toThrow(/range: no commits match main..v1/);
    await expect(mine({ repo: r.dir, range: 'nosuch..main' })).rejects.toThrow(/range: nosuch is not a commit/);
    await expect(mine({ repo: r.dir, range: 'v1...main' })).rejects.toThrow(/range: .*A\.\.\.B is not supported/);
    // A side left out is HEAD, as git reads it: "..v1" is HEAD..v1 (nothing), "v1.." is v1..HEAD.
    expect((await mine({ repo: r.dir, range: 'v1..' })).rows.map((x) => x.name)).toEqual(['Carol', 'Bob']);
    await expect(mine({ repo: r.dir, range: '..v1' })).rejects.toThrow(/range: no commits match \.\.v1/);
    await expect(mine({ repo: r.dir, range: 'v1..main..v1' })).rejects.toThrow('range: v1..main..v1 is not a range; use A..B');
    await expect(mine({ repo: r.dir, since: '2030-01-01' })).rejects.toThrow(/since: no commits match/);
    await expect(mine({ repo: r.dir, since: '2024-13-01' })).rejects.toThrow('since: 2024-13-01 is not a real date');
  });

  it('leaves out bots, and people matching --exclude', async () => {
    const r = built('bots', (r) => {
      r.commit({ author: 'dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>', date: '2024-01-01T00:00:00Z', message: 'bump\n' });
      r.commit({ author: ALICE, date: '2024-01-02T00:00:00Z', message: 'fix\n\nReported-by: syzbot+1234@syzkaller.appspotmail.com\n' });
      r.commit({ author: 'Corp Person <cp@corp.example>', date: '2024-01-03T00:00:00Z', message: 'x\n' });
    });
    const d = await mine({ repo: r.dir });
    expect(d.rows.map((x) => x.name)).toEqual(['Corp Person', 'Alice']);
    expect(d.excluded).toBe(2);
    expect((await mine({ repo: r.dir, includeBots: true })).rows).toHaveLength(4);
    expect((await mine({ repo: r.dir, exclude: ['*@CORP.example'] })).rows.map((x) => x.name)).toEqual(['Alice']);
    expect((await mine({ repo: r.dir, exclude: ['Alice'] })).rows.map((x) => x.name)).toEqual(['Corp Person']);
  });
});

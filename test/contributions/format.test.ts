/**
 * `conclave candidates` as text: the table and CSV show lines and paths only when they were read
 * (--lines), never an empty column.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { formatCsv, formatTable } from '../../src/domain/contributions/format.js';
import { mineContributions } from '../../src/domain/contributions/mine.js';
import { freshPglite } from '../support/db.js';
import { isolateGit, TestRepo } from './fixtures.js';

isolateGit();

describe('candidates as a table and as CSV', () => {
  let handle: Db;
  let repo: TestRepo;
  beforeAll(async () => {
    handle = await freshPglite();
    repo = TestRepo.init();
    repo.commit({ author: 'Alice Author <alice@example.org>', date: '2024-01-01T00:00:00Z', message: 'a\n\nSigned-off-by: Mai Maintainer <mai@example.org>\n', files: { 'net/core/dev.c': 'one\ntwo\n' } });
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('has no PATHS, ADDED or REMOVED column without --lines, and says how to get them', async () => {
    const r = await mineContributions({ db: handle.db, clock: () => new Date('2025-01-01T00:00:00Z') }, { repo: repo.dir });
    const table = formatTable(r);
    expect(table[0]).toMatch(/^RANK\s+SCORE\s+NAME\s+EMAIL\s.*\sFIRST\s+LAST$/);
    expect(table[0]).not.toMatch(/PATHS|ADDED|REMOVED/);
    expect(table.at(-1)).toMatch(/; lines and paths: --lines$/);
    const csv = formatCsv(r).split('\r\n');
    expect(csv[0]).toMatch(/,first,last$/);
    expect(csv.find((l) => l.includes('Alice Author'))).toMatch(/^2,[\d.]+,Alice Author,alice@example\.org,1,0,.*,2024-01-01,2024-01-01$/);
  });

  it('has them with --lines, filled', async () => {
    const r = await mineContributions({ db: handle.db, clock: () => new Date('2025-01-01T00:00:00Z') }, { repo: repo.dir, lines: true });
    const table = formatTable(r);
    expect(table[0]).toMatch(/\sADDED\s+REMOVED\s+FIRST\s+LAST\s+PATHS$/);
    const alice = table.find((l) => l.includes('Alice Author'))!;
    expect(alice).toMatch(/\s2\s+0\s+2024-01-01\s+2024-01-01\s+net\/core \(1\)$/);
    expect(table.at(-1)).not.toMatch(/--lines/);
    const csv = formatCsv(r).split('\r\n');
    expect(csv[0]).toMatch(/,added,removed,first,last,paths$/);
    expect(csv.find((l) => l.includes('Alice Author'))).toMatch(/,2,0,2024-01-01,2024-01-01,net\/core:1$/);
  });
});

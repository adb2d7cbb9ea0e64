/**
 * `conclave files check` and `prune` (domain/files/check.ts): recorded files missing, cut or
 * changed are named with what uses them; bytes no row records and partial copies are listed, and
 * pruned without touching a recorded file, a young partial copy or anything conclave did not
 * write; a restore under way keeps the files it has written but not yet committed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { statementChunks } from '../../src/db/chunks.js';
import { checkFiles, PARTIAL_AGE_MS, pruneFiles } from '../../src/domain/files/check.js';
import { filePath } from '../../src/domain/files/store.js';
import { addMaterialFile, setGroupPhoto } from '../../src/domain/program/materials.js';
import { readBackup, writeBackup } from '../../src/ops/backup.js';
import { COMMITTEE, MINIMAL_PDF, speakerEdition } from '../program/materials-samples.js';
import { testDatabases } from '../support/db.js';

const GIF = Buffer.from('R0lGODlhAQABAIAAAP///wAAACwAAAAAAQABAAACAkQBADs=', 'base64');
const NOW = new Date('2026-11-22T12:00:00Z');

describe.each(testDatabases())('files check and prune on $name', ({ open }) => {
  let handle: Db;
  let filesDir: string;
  beforeAll(async () => {
    handle = await open();
    filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-files-check-'));
  });
  afterAll(async () => {
    await handle?.close();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  it('names each recorded file that is missing, cut or changed, with what uses it, and lists the rest', async () => {
    const deps = { db: handle.db, filesDir };
    const s = await speakerEdition(handle.db);
    const deck = await addMaterialFile(deps, COMMITTEE, { editionId: s.editionId, slotId: s.slotId, fileName: 'tc.pdf', label: 'TC slides', bytes: MINIMAL_PDF });
    const photo = await setGroupPhoto(deps, COMMITTEE, { editionId: s.editionId, fileName: 'group.gif', bytes: GIF });
    const clean = await checkFiles(deps, { content: true });
    expect(clean).toMatchObject({ recorded: 3, damaged: [], unrecorded: [], partial: [], other: [], contentChecked: true });
    expect(clean.recordedBytes).toBe(MINIMAL_PDF.length + GIF.length + fs.statSync(filePath(filesDir, photo.thumb_sha256!)).size);

    // The deck changed in place (same size), the photo cut, its thumbnail gone.
    const deckFile = filePath(filesDir, deck.file_sha256!);
    const changed = Buffer.from(MINIMAL_PDF);
    changed[changed.length - 2]! ^= 1;
    fs.writeFileSync(deckFile, changed);
    fs.truncateSync(filePath(filesDir, photo.file_sha256!), 10);
    fs.rmSync(filePath(filesDir, photo.thumb_sha256!));
    // Bytes nothing records, partial copies old and young, and something conclave did not write.
    const stray = 'e'.repeat(64);
    fs.mkdirSync(path.join(filesDir, 'ee'), { recursive: true });
    fs.writeFileSync(path.join(filesDir, 'ee', stray), 'stray');
    const oldPart = path.join(filesDir, 'ee', `${stray}.4242.0badcafe.tmp`);
    const youngPart = path.join(filesDir, 'ee', `${stray}.restore-4243`);
    fs.writeFileSync(oldPart, 'old');
    fs.writeFileSync(youngPart, 'young');
    fs.utimesSync(oldPart, new Date(NOW.getTime() - PARTIAL_AGE_MS - 1000), new Date(NOW.getTime() - PARTIAL_AGE_MS - 1000));
    fs.utimesSync(youngPart, NOW, NOW);
    fs.writeFileSync(path.join(filesDir, 'README'), 'mine');

    const quick = await checkFiles(deps);
    expect(quick.damaged.map((d) => d.sha256)).toEqual([photo.file_sha256, photo.thumb_sha256].sort());
    const slow = await checkFiles(deps, { content: true });
    const bySha = Object.fromEntries(slow.damaged.map((d) => [d.sha256, d]));
    expect(bySha[deck.file_sha256!]).toEqual({ sha256: deck.file_sha256, size: MINIMAL_PDF.length, problem: 'its content does not match its hash', usedBy: [`Netconf Materials: material “TC slides” (#${deck.id})`] });
    expect(bySha[photo.file_sha256!]).toMatchObject({ problem: `10 bytes on disk, ${GIF.length} recorded`, usedBy: [`Netconf Materials: material “Group photo” (#${photo.id})`] });
    expect(bySha[photo.thumb_sha256!]).toMatchObject({ problem: expect.stringMatching(/^missing \(\d+ bytes recorded\)$/), usedBy: [`Netconf Materials: material “Group photo” (#${photo.id}), its thumbnail`] });
    expect(slow.unrecorded.map((f) => [f.name, f.size])).toEqual([[`ee/${stray}`, 5]]);
    expect(slow.partial.map((f) => f.name).sort()).toEqual([`ee/${stray}.4242.0badcafe.tmp`, `ee/${stray}.restore-4243`]);
    expect(slow.other).toEqual(['README']);

    const clock = () => NOW;
    const dry = await pruneFiles({ ...deps, clock }, { dryRun: true });
    expect(dry.removed.map((f) => f.name)).toEqual([`ee/${stray}`, `ee/${stray}.4242.0badcafe.tmp`]);
    expect(fs.existsSync(path.join(filesDir, 'ee', stray))).toBe(true);

    const done = await pruneFiles({ ...deps, clock });
    expect(done).toMatchObject({ bytes: 8, dryRun: false, left: [] });
    expect(done.removed.map((f) => f.name)).toEqual([`ee/${stray}`, `ee/${stray}.4242.0badcafe.tmp`]);
    expect(done.young.map((f) => f.name)).toEqual([`ee/${stray}.restore-4243`]);
    expect(fs.existsSync(path.join(filesDir, 'ee', stray))).toBe(false);
    expect(fs.existsSync(oldPart)).toBe(false);
    // Recorded files stay, damaged or not; so do the young copy and what conclave did not write.
    expect(fs.existsSync(deckFile)).toBe(true);
    expect(fs.existsSync(filePath(filesDir, photo.file_sha256!))).toBe(true);
    expect(fs.existsSync(youngPart)).toBe(true);
    expect(fs.readFileSync(path.join(filesDir, 'README'), 'utf8')).toBe('mine');
  });

  it('repairs a damaged file when the same bytes are uploaded again, as the check advises', async () => {
    const deps = { db: handle.db, filesDir };
    const s = await speakerEdition(handle.db);
    const deck = await addMaterialFile(deps, COMMITTEE, { editionId: s.editionId, slotId: s.slotId, fileName: 'again.pdf', label: 'Again', bytes: MINIMAL_PDF });
    fs.truncateSync(filePath(filesDir, deck.file_sha256!), 10);
    expect((await checkFiles(deps)).damaged.map((d) => d.sha256)).toContain(deck.file_sha256);
    await addMaterialFile(deps, COMMITTEE, { editionId: s.editionId, slotId: s.slotId, fileName: 'again.pdf', label: 'Again, whole', bytes: MINIMAL_PDF });
    expect(fs.readFileSync(filePath(filesDir, deck.file_sha256!))).toEqual(MINIMAL_PDF);
    expect((await checkFiles(deps, { content: true })).damaged.map((d) => d.sha256)).not.toContain(deck.file_sha256);
  });

  it('leaves the files a restore has written until it commits their rows', async () => {
    // A backup of a database holding a deck and a photo (and its thumbnail), restored into an
    // empty database of this test's own.
    const source = await open();
    const sourceFiles = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-files-src-'));
    const target = await open();
    const targetFiles = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-files-dst-'));
    try {
      const s = await speakerEdition(source.db);
      await addMaterialFile({ db: source.db, filesDir: sourceFiles }, COMMITTEE, { editionId: s.editionId, slotId: s.slotId, fileName: 'tc.pdf', bytes: MINIMAL_PDF });
      await setGroupPhoto({ db: source.db, filesDir: sourceFiles }, COMMITTEE, { editionId: s.editionId, fileName: 'group.gif', bytes: GIF });
      let text = '';
      const out = new PassThrough();
      out.on('data', (c: Buffer) => (text += c.toString()));
      await writeBackup(source.db, out, { filesDir: sourceFiles, source: 'test' });
      const lines = text.trimEnd().split('\n');

      // The restore reads up to the second file's name: the first file is on disk, its row not
      // committed, while the restore goes on reading.
      const second = lines.findIndex((l, i) => l.startsWith('{"file"') && lines.slice(0, i).some((m) => m.startsWith('{"file"')));
      const first = JSON.parse(lines.find((l) => l.startsWith('{"file"'))!) as { sha256: string };
      const feed = new PassThrough();
      const restoring = readBackup(target.db, feed, { filesDir: targetFiles, force: true });
      feed.write(`${lines.slice(0, second + 1).join('\n')}\n`);
      const written = filePath(targetFiles, first.sha256);
      for (let i = 0; i < 600 && !fs.existsSync(written); i++) await new Promise((r) => setTimeout(r, 50));
      expect(fs.existsSync(written)).toBe(true);

      const pruning = pruneFiles({ db: target.db, filesDir: targetFiles });
      await new Promise((r) => setTimeout(r, 200));
      feed.end(`${lines.slice(second + 1).join('\n')}\n`);
      await restoring;
      const pruned = await pruning;
      expect(pruned.removed).toEqual([]);
      expect(fs.existsSync(written)).toBe(true);
      expect(await checkFiles({ db: target.db, filesDir: targetFiles }, { content: true })).toMatchObject({ recorded: 3, damaged: [], unrecorded: [] });
    } finally {
      await source.close();
      await target.close();
      fs.rmSync(sourceFiles, { recursive: true, force: true });
      fs.rmSync(targetFiles, { recursive: true, force: true });
    }
  });

  it('names what uses each file of a lost files directory, more files than a statement binds', async () => {
    // A database of its own: 33,000 files recorded (each named twice when their uses are looked
    // up: past PostgreSQL's 65,535 parameters, and PGlite's 32,767), none of them on disk.
    const own = await open();
    const ownFiles = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-files-lost-'));
    try {
      const deps = { db: own.db, filesDir: ownFiles };
      const s = await speakerEdition(own.db);
      const deck = await addMaterialFile(deps, COMMITTEE, { editionId: s.editionId, slotId: s.slotId, fileName: 'tc.pdf', label: 'TC slides', bytes: MINIMAL_PDF });
      const rows = Array.from({ length: 33_000 }, (_, i) => ({ sha256: i.toString(16).padStart(64, '0'), media_type: 'application/pdf', size: 1 }));
      for (const chunk of statementChunks(rows)) await own.db.insertInto('files').values(chunk).execute();
      fs.rmSync(filePath(ownFiles, deck.file_sha256!));
      const report = await checkFiles(deps);
      expect(report.damaged).toHaveLength(33_001);
      const { title } = await own.db.selectFrom('editions').select('title').where('id', '=', s.editionId).executeTakeFirstOrThrow();
      expect(report.damaged.find((d) => d.sha256 === deck.file_sha256)!.usedBy).toEqual([`${title}: material “TC slides” (#${deck.id})`]);
      expect(report.damaged.filter((d) => d.usedBy.length > 0)).toHaveLength(1);
    } finally {
      await own.close();
      fs.rmSync(ownFiles, { recursive: true, force: true });
    }
  }, 120_000);
});

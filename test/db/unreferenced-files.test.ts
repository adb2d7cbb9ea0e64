/**
 * Migration 023: the rows of stored files nothing refers to, left by removals before files were
 * released with their last reference, go (and so are no longer served); the others stay.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { up } from '../../src/db/migrations/023-unreferenced-files.js';
import { addMaterialFile, setGroupPhoto } from '../../src/domain/program/materials.js';
import { COMMITTEE, MINIMAL_PDF, speakerEdition } from '../program/materials-samples.js';
import { testDatabases } from '../support/db.js';

describe.each(testDatabases())('migration 023 on $name', ({ open }) => {
  let handle: Db;
  let filesDir: string;
  beforeAll(async () => {
    handle = await open();
    filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-023-'));
  });
  afterAll(async () => {
    await handle?.close();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  it('deletes the rows of files no material and no sponsor refers to', async () => {
    const s = await speakerEdition(handle.db);
    const deps = { db: handle.db, filesDir };
    const kept = await addMaterialFile(deps, COMMITTEE, { editionId: s.editionId, slotId: s.slotId, fileName: 'kept.pdf', bytes: MINIMAL_PDF });
    const gif = Buffer.from('R0lGODlhAQABAIAAAP///wAAACwAAAAAAQABAAACAkQBADs=', 'base64');
    const photo = await setGroupPhoto(deps, COMMITTEE, { editionId: s.editionId, fileName: 'group.gif', bytes: gif });
    // What a removal left before: the rows of a deck, a logo and its thumbnail nobody names.
    const left = ['a', 'b', 'c'].map((c) => c.repeat(64));
    await handle.db.insertInto('files').values(left.map((sha256) => ({ sha256, media_type: 'application/pdf', size: 1 }))).execute();
    await handle.db.insertInto('sponsors').values({ edition_id: s.editionId, name: 'Pigeon', kind: 'company', logo_sha256: 'd'.repeat(64), position: 0 }).execute();
    await handle.db.insertInto('files').values({ sha256: 'd'.repeat(64), media_type: 'image/png', size: 1 }).execute();
    await up(handle.db);
    const rows = (await handle.db.selectFrom('files').select('sha256').execute()).map((r) => r.sha256).sort();
    expect(rows).toEqual([kept.file_sha256!, photo.file_sha256!, photo.thumb_sha256!, 'd'.repeat(64)].sort());
  });
});

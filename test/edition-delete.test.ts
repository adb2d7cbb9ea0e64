/**
 * Deleting an edition made by mistake: everything in it goes in one transaction, audited, its
 * people stay; refused once anybody was invited to it or mail was written about it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/connect.js';
import { deleteEdition, editionContents } from '../src/domain/editions/delete-edition.js';
import { Conflict } from '../src/domain/errors.js';
import { addCandidate } from '../src/domain/invitations/candidates.js';
import { addCommitteeRole, addReference, addSponsor } from '../src/domain/editions/edition-parts.js';
import { filePath } from '../src/domain/files/store.js';
import { addMaterialFile } from '../src/domain/program/materials.js';
import { addSlot } from '../src/domain/program/schedule.js';
import { testDatabases } from './support/db.js';
import { COMMITTEE, inviteGuests, makeDeps, makeEdition } from './invitations/fixtures.js';
import { MINIMAL_PDF } from './program/materials-samples.js';

describe.each(testDatabases())('deleting an edition on $name', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => handle?.close());

  const yearOf = async (id: number) => (await handle.db.selectFrom('editions').select('year').where('id', '=', id).executeTakeFirstOrThrow()).year;

  const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-delete-'));

  it('takes everything in it, keeps its people, and audits what went', async () => {
    const deps = { ...makeDeps(handle.db), filesDir };
    const id = await makeEdition(handle.db);
    const ref = { series: 'invtest', year: await yearOf(id) };
    const c = await addCandidate(deps, COMMITTEE, { editionId: id, name: 'Mona Mistake', email: 'mona@example.org' });
    await addSlot(deps, COMMITTEE, ref, { date: '2026-05-11', start: '09:00', end: '10:00', kind: 'talk', title: 'Opening' });
    await addSlot(deps, COMMITTEE, ref, { date: '2026-05-12', start: '09:00', end: '10:00', kind: 'talk', title: 'Second day' });
    const logo = await sharp({ create: { width: 40, height: 20, channels: 3, background: '#336699' } }).png().toBuffer();
    const sponsor = await addSponsor(deps, COMMITTEE, ref, { name: 'Only Here Inc', kind: 'company', url: 'https://only.example/', logo });
    // Slides uploaded to it: said, since they go too.
    const slides = await addMaterialFile(deps, COMMITTEE, { editionId: id, fileName: 'slides.pdf', bytes: MINIMAL_PDF, label: 'Slides' });
    // Its committee, references and own mail texts go too: said, so that nothing goes unnamed.
    await addCommitteeRole(deps, COMMITTEE, ref, { name: 'Cora Chair', role: 'chair', newPerson: true });
    await addReference(deps, COMMITTEE, ref, { title: 'LWN coverage', url: 'https://lwn.example/1' });
    await handle.db.insertInto('mail_templates').values({ edition_id: id, key: 'invitation', subject: 'Come', body: 'Hello {{link}}' }).execute();
    expect(await editionContents(deps, ref)).toEqual({ title: 'Netconf 2026', contents: '2 days, 2 slots, 1 material, 1 candidate, 1 sponsor, 1 committee role, 1 reference, 1 mail template', refusal: null, heldBatches: [] });

    expect(await deleteEdition(deps, COMMITTEE, ref)).toMatchObject({ contents: '2 days, 2 slots, 1 material, 1 candidate, 1 sponsor, 1 committee role, 1 reference, 1 mail template' });
    // Its logo and slides, used nowhere else, are no longer served, nor kept.
    for (const sha of [sponsor.logo_sha256!, sponsor.logo_thumb_sha256!, slides.file_sha256!]) {
      expect(await handle.db.selectFrom('files').select('sha256').where('sha256', '=', sha).execute()).toEqual([]);
      expect(fs.existsSync(filePath(filesDir, sha))).toBe(false);
    }
    expect(await handle.db.selectFrom('editions').select('id').where('id', '=', id).execute()).toEqual([]);
    for (const table of ['agenda_days', 'invitations'] as const) {
      expect(await handle.db.selectFrom(table).select('id').where('edition_id', '=', id).execute(), table).toEqual([]);
    }
    expect(await handle.db.selectFrom('people').select('name').where('id', '=', c.personId).executeTakeFirst()).toEqual({ name: 'Mona Mistake' });
    const audit = await handle.db.selectFrom('audit_log').select(['actor', 'edition_id', 'before', 'after']).where('action', '=', 'edition.delete').where('entity_id', '=', String(id)).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor: 'cli:committee', edition_id: null, after: null, before: { year: ref.year, title: 'Netconf 2026', series: 'invtest', contents: '2 days, 2 slots, 1 material, 1 candidate, 1 sponsor, 1 committee role, 1 reference, 1 mail template' } });
    await expect(deleteEdition(deps, COMMITTEE, ref)).rejects.toThrow(`no edition ${ref.year} of invtest`);
  });

  it('keeps an edition anybody was invited to, or mail was written about', async () => {
    const deps = { ...makeDeps(handle.db), filesDir };
    const id = await makeEdition(handle.db);
    const ref = { series: 'invtest', year: await yearOf(id) };
    await inviteGuests(deps, id, 2, 700);
    const refused = await deleteEdition(deps, COMMITTEE, ref).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Conflict);
    expect((refused as Error).message).toBe(
      'Netconf 2026 was not deleted: 2 people have been invited to Netconf 2026: an edition that invited anybody stays',
    );
    expect(await handle.db.selectFrom('editions').select('id').where('id', '=', id).execute()).toEqual([{ id }]);
    // Mail about it, even with nobody invited (say, a candidate's invitation sent, then overridden back).
    await handle.db.updateTable('invitations').set({ state: 'candidate' }).where('edition_id', '=', id).execute();
    expect((await editionContents(deps, ref)).refusal).toBe('mail was written about Netconf 2026 (2 messages in the outbox): an edition people were told of stays');
  });
});

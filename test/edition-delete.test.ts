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
import { addSlot } from '../src/domain/program/schedule-edit.js';
import { addCommitteeMember } from '../src/domain/committee/accounts.js';
import { createSigninLink } from '../src/domain/committee/signin.js';
import { sendInvitations } from '../src/domain/invitations/send.js';
import { buildApp } from '../src/web/app.js';
import { Client } from './support/http.js';
import { testDatabases } from './support/db.js';
import { COMMITTEE, guestEmail, guestName, inviteGuests, makeDeps, makeEdition } from './invitations/fixtures.js';
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

  it('names the held batch to discard on the edition page, escaped, as a link to its line on the Mail page', async () => {
    // Real time, as the client drops a session cookie whose expiry has passed.
    const deps = { ...makeDeps(handle.db, new Date().toISOString()), filesDir };
    const id = await makeEdition(handle.db, { start_date: '2999-05-11', end_date: '2999-05-13', answer_by: '2999-04-10' });
    const year = await yearOf(id);
    const page = `/admin/editions/invtest/${year}`;
    for (const k of [710, 711]) await addCandidate(deps, COMMITTEE, { editionId: id, name: guestName(k), email: guestEmail(k) });
    const held = await sendInvitations(deps, COMMITTEE, { editionId: id, ids: 'all-candidates', hold: true });
    // A batch under a name with markup in it (as the outbox may hold): said as text, never as markup.
    const batch = `round <1> & "${year}"`;
    await handle.db.updateTable('outbox').set({ batch }).where('batch', '=', held.batch!).execute();
    await addCommitteeMember(deps, COMMITTEE, { email: 'chair@example.org', name: 'Pat Chair' }).catch(() => undefined);
    const app = await buildApp({ db: handle.db, clock: deps.clock, mail: deps.mail, limits: { signin: 1000, invitation: 1000 } });
    try {
      const c = new Client(app);
      const signin = new URL((await createSigninLink(deps, { email: 'chair@example.org' }))!.link).pathname;
      expect((await c.submit(signin, signin, {})).statusCode).toBe(303);

      const anchor = `batch-${encodeURIComponent(batch)}`;
      const link = `<a href="/admin/mail?state=draft#${anchor}">round &lt;1> &amp; &#34;${year}&#34;</a>`;
      const refusal = (body: string) => body.slice(body.indexOf('<h2 id="a-delete">'), body.indexOf('</section>', body.indexOf('<h2 id="a-delete">')));
      const edit = await c.get(page);
      expect(edit.statusCode).toBe(200);
      expect(refusal(edit.body)).toContain(
        `<span>It cannot be deleted: 2 people have been invited to Netconf 2026: an edition that invited anybody stays (its invitations are held as drafts, not sent: discard them first </span>under <a href="/admin/mail?state=draft">Mail</a> (batch ${link})<span>)</span>.`,
      );
      expect(refusal(edit.body)).not.toContain('<1>');
      // The link leads to the batch's line, with its Discard button.
      const drafts = await c.get('/admin/mail?state=draft');
      expect(drafts.body).toContain(`<p id="${anchor}">`);
      expect(drafts.body).toMatch(new RegExp(`<p id="${anchor}">Drafts held in batch <span id="(held-\\d+)">round &lt;1> &amp; &#34;${year}&#34;</span>: .*?aria-labelledby="\\1-discard \\1">Discard</button>`));

      // Asked anyway: refused, with the same way out.
      const asked = await c.submit(page, `${page}/delete`, { confirm: 'yes' });
      expect(asked.statusCode).toBe(409);
      expect(refusal(asked.body)).toContain(`(batch ${link})`);

      // As it says: once the batch is discarded, the edition goes.
      expect((await c.submit('/admin/mail?state=draft', '/admin/mail/discard', { batch })).statusCode).toBe(303);
      const deleted = await c.submit(page, `${page}/delete`, { confirm: 'yes' });
      expect([deleted.statusCode, deleted.headers.location]).toEqual([303, expect.stringMatching(/^\/admin\/\?notice=Deleted/)]);
    } finally {
      await app.close();
    }
  });
});

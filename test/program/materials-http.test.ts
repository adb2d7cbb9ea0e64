/**
 * Materials over HTTP, both sides: the speaker's page behind their invitation link and the
 * committee's admin page. Multipart uploads carry the CSRF token as a field before the file; a
 * refused upload shows the reason and writes nothing; the public page links the file and the
 * download is byte-identical, with its type, nosniff and a Content-Disposition (RFC 6266).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { addCommitteeMember } from '../../src/domain/committee/accounts.js';
import { createSigninLink } from '../../src/domain/committee/signin.js';
import { buildApp } from '../../src/web/app.js';
import { testDatabases } from '../support/db.js';
import { Client, csrfOf } from '../support/http.js';
import { MINIMAL_PDF, odp, speakerEdition, type SpeakerEdition } from './materials-samples.js';

const mail = { baseUrl: 'http://conclave.test', from: 'Netconf committee <committee@conclave.test>' };
const LIMIT = 64 * 1024;

/** A multipart/form-data body as a browser sends it: fields first (the CSRF token), then one file. */
function multipart(fields: Record<string, string>, file: { filename: string; bytes: Buffer; type?: string }) {
  const boundary = `----conclave${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`));
  parts.push(file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
}

describe.each(testDatabases())('materials over HTTP on $name', ({ open }) => {
  let handle: Db;
  let app: FastifyInstance;
  let filesDir: string;
  let s: SpeakerEdition;

  beforeAll(async () => {
    handle = await open();
    filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-materials-http-'));
    s = await speakerEdition(handle.db);
    await addCommitteeMember({ db: handle.db }, { accountId: null, label: 'test' }, { email: 'chair@example.org', name: 'Pat Chair' });
    app = await buildApp({ db: handle.db, clock: () => new Date(), mail, filesDir, maxUploadBytes: LIMIT, limits: { signin: 1000, invitation: 1000 } });
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  async function state() {
    return {
      files: (await handle.db.selectFrom('files').select('sha256').execute()).length,
      materials: (await handle.db.selectFrom('materials').select('id').execute()).length,
      disk: filesUnder(filesDir),
    };
  }

  /** Posts a multipart upload with the page's cookies and CSRF token. */
  async function upload(c: Client, page: string, action: string, fields: Record<string, string>, file: { filename: string; bytes: Buffer }, csrf?: string | null) {
    const res = await c.get(page);
    expect(res.statusCode, res.body).toBe(200);
    const body = multipart(csrf === null ? fields : { _csrf: csrf ?? csrfOf(res.body), ...fields }, file);
    const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return app.inject({ method: 'POST', url: action, headers: { cookie, 'content-type': body.contentType }, payload: body.payload });
  }

  async function signedIn(): Promise<Client> {
    const c = new Client(app);
    const link = await createSigninLink({ db: handle.db, clock: () => new Date(), mail }, { email: 'chair@example.org' });
    const p = new URL(link!.link).pathname;
    expect((await c.submit(p, p, {})).statusCode).toBe(303);
    return c;
  }

  it('keeps a file name as typed where the browser escaped its quotes and line breaks', async () => {
    const c = new Client(app);
    const page = `/invitation/${s.ana.token}/materials`;
    for (const [sent, kept] of [
      ['xdp <gro> & %22co%22.pdf', 'xdp <gro> & "co".pdf'],
      ['two%0D%0Alines.pdf', 'two  lines.pdf'],
    ]) {
      const res = await upload(c, page, page, { target: `slot:${s.slotId}`, kind: 'slides', label: '' }, { filename: sent!, bytes: Buffer.concat([MINIMAL_PDF, Buffer.from(`%${sent}\n`)]) });
      expect(res.statusCode, res.body).toBe(303);
      const names = (await handle.db.selectFrom('materials').select('file_name').where('edition_id', '=', s.editionId).execute()).map((r) => r.file_name);
      expect(names).toContain(kept);
      expect(names).not.toContain(sent);
    }
  });

  it('lets an accepted speaker upload slides for their slot; the public page links a byte-identical download', async () => {
    const c = new Client(app);
    const page = `/invitation/${s.ana.token}/materials`;
    const form = await c.get(page);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('enctype="multipart/form-data"');
    expect(form.body).toContain(`<option value="slot:${s.slotId}"`);
    expect(form.body).not.toContain(`slot:${s.otherSlotId}`);
    // The CSRF token comes before the file in the form, so the check sees it.
    expect(form.body.indexOf('name="_csrf"')).toBeLessThan(form.body.indexOf('type="file"'));

    const name = 'Überblick – tc.pdf';
    const res = await upload(c, page, page, { target: `slot:${s.slotId}`, kind: 'slides', label: '' }, { filename: name, bytes: MINIMAL_PDF });
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toMatch(new RegExp(`^${page}\\?notice=`));
    const row = await handle.db.selectFrom('materials').selectAll().where('edition_id', '=', s.editionId).where('file_name', '=', name).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ slot_id: s.slotId, kind: 'slides', format: 'pdf', uploaded_by: `invitee:${s.ana.email}` });

    const pub = await app.inject(`/${s.series}/${s.year}/`);
    const href = `/files/${row.file_sha256}/${encodeURIComponent(name)}`;
    expect(pub.body).toContain(`href="${href}">PDF</a>`);
    // A label of the speaker's own is shown, with the format; the default one gives way to it.
    const labelled = await upload(c, page, page, { target: `slot:${s.slotId}`, kind: 'slides', label: 'Pigeon slides' }, { filename: 'pigeon.pdf', bytes: MINIMAL_PDF });
    expect(labelled.statusCode, labelled.body).toBe(303);
    expect((await app.inject(`/${s.series}/${s.year}/`)).body).toMatch(/href="\/files\/[0-9a-f]{64}\/pigeon\.pdf">Pigeon slides \(PDF\)<\/a>/);
    const dl = await app.inject(href);
    expect(dl.statusCode).toBe(200);
    expect(Buffer.compare(dl.rawPayload, MINIMAL_PDF)).toBe(0);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(dl.headers['content-disposition']).toBe(`attachment; filename="_berblick _ tc.pdf"; filename*=UTF-8''%C3%9Cberblick%20%E2%80%93%20tc.pdf`);
    // Only under a name it was uploaded with: another is led to its own, and a file no
    // material names to its bare address.
    const renamed = await app.inject(`/files/${row.file_sha256}/invoice.exe`);
    expect(renamed.statusCode).toBe(301);
    expect(renamed.headers.location).toBe(href);
    expect((await app.inject(`/files/${row.file_sha256}/pigeon.pdf`)).statusCode).toBe(200);
    // The speaker's page lists it with a button to remove it.
    const after = await c.get(page);
    expect(after.body).toContain(`href="${href}"`);
    expect(after.body).toContain(`action="${page}/${row.id}/remove"`);
    // Its button is named by the row's material and what it is for, for a screen reader ("Remove
    // Slides …"): "Remove" alone reads alike in every row. lynx reads the row, those once.
    expect(after.body).toContain(`<button type="submit" class="danger" id="material-${row.id}-remove" aria-labelledby="material-${row.id}-remove material-${row.id} material-${row.id}-for">Remove</button>`);
    expect(after.body).toContain(`<a href="${href}" id="material-${row.id}">Slides</a>`);
    expect(after.body).toMatch(new RegExp(`<td id="material-${row.id}-for">[^<]+</td>`));
    expect(after.body).not.toContain('visually-hidden');

    // Its bytes cut short on disk, then lost: not here (404), never a 500 nor fewer bytes than said.
    const stored = path.join(filesDir, row.file_sha256!.slice(0, 2), row.file_sha256!);
    fs.truncateSync(stored, 10);
    const cut = await app.inject(href);
    expect([cut.statusCode, cut.body.includes('this file is not on the server any more')]).toEqual([404, true]);
    fs.rmSync(stored);
    expect((await app.inject(href)).statusCode).toBe(404);
    fs.writeFileSync(stored, MINIMAL_PDF);
    expect((await app.inject(href)).statusCode).toBe(200);
  });

  it('refuses, with the reason at the field and nothing written: HTML as .pdf, ../../etc/passwd, an empty file, another speaker’s slot', async () => {
    const c = new Client(app);
    const page = `/invitation/${s.ana.token}/materials`;
    const cases: [Record<string, string>, { filename: string; bytes: Buffer }, string][] = [
      [{ target: `slot:${s.slotId}` }, { filename: 'talk.pdf', bytes: Buffer.from('<html><body><script>alert(1)</script></body></html>') }, 'talk.pdf is an HTML document, not a PDF'],
      [{ target: `slot:${s.slotId}` }, { filename: '../../etc/passwd', bytes: MINIMAL_PDF }, 'the name &#34;../../etc/passwd&#34; contains a directory'],
      [{ target: `slot:${s.slotId}` }, { filename: 'empty.pdf', bytes: Buffer.alloc(0) }, 'empty.pdf is empty'],
      [{ target: `slot:${s.otherSlotId}` }, { filename: 'talk.pdf', bytes: MINIMAL_PDF }, 'you do not speak in this slot'],
    ];
    for (const [fields, file, message] of cases) {
      const before = await state();
      const res = await upload(c, page, page, fields, file);
      expect(res.statusCode, message).toBe(400);
      expect(res.body).toContain(message);
      expect(res.body).toContain('Nothing was saved');
      expect(res.body).toMatch(/<strong id="upload-(file|target)-error" class="error-text">/);
      expect(await state()).toEqual(before);
    }
  });

  it('refuses a file over the limit with a page naming the limit, and writes nothing', async () => {
    const c = new Client(app);
    const page = `/invitation/${s.ana.token}/materials`;
    const before = await state();
    const big = Buffer.concat([MINIMAL_PDF, Buffer.alloc(LIMIT, 0x20)]);
    const res = await upload(c, page, page, { target: `slot:${s.slotId}` }, { filename: 'big.pdf', bytes: big });
    expect(res.statusCode).toBe(413);
    expect(res.body).toContain('The file is larger than the upload limit of 64 KB. Nothing was saved.');
    expect(await state()).toEqual(before);
  });

  it('says on the too-large page what the limit is, that nothing was saved and what to do, linking back to the form', async () => {
    const big = multipart({ _csrf: 'x', target: `slot:${s.slotId}` }, { filename: 'big.pdf', bytes: Buffer.concat([MINIMAL_PDF, Buffer.alloc(LIMIT, 0x20)]) });
    const page = `/invitation/${s.ana.token}/materials`;
    const post = (c: Client, url: string, referer?: string) =>
      app.inject({
        method: 'POST',
        url,
        headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': big.contentType, ...(referer ? { referer } : {}) },
        payload: big.payload,
      });
    const before = await state();
    const speaker = new Client(app);
    // From this site's page, back to it (with its query); from another site's, to the form's own page.
    const own = await post(speaker, page, `http://localhost:80${page}?notice=x`);
    expect(own.statusCode).toBe(413);
    const text = own.body.replace(/\s+/g, ' ');
    expect(text).toContain(
      'The file is larger than the upload limit of 64 KB. Nothing was saved. The limit is the same for everyone, the committee included. Make the file smaller (a PDF exported with compressed images, a photo or a video at a lower resolution) and send the form again, or put the file on a site of your own and add a link to it instead.',
    );
    expect(text).not.toContain('ask the committee');
    expect(text).not.toContain('CONCLAVE_MAX_UPLOAD_MB');
    expect(own.body).toContain(`<a href="${page}?notice=x">Back to the page the upload came from</a>`);
    expect(own.body).not.toContain('<script');
    for (const referer of ['https://evil.example/phish', 'http://localhost:80//evil.example/x', 'not an address']) {
      const other = await post(speaker, page, referer);
      expect(other.statusCode, referer).toBe(413);
      expect(other.body, referer).toContain(`<a href="${page}">Back to the page the upload came from</a>`);
    }
    // The committee's page: the admin's frame, the materials page the form is on, and where the limit is set.
    const member = await signedIn();
    const admin = await post(member, `/admin/editions/${s.series}/${s.year}/materials/file`);
    expect(admin.statusCode).toBe(413);
    expect(admin.body).toContain(`<a href="/admin/editions/${s.series}/${s.year}/materials">Back to the page the upload came from</a>`);
    expect(admin.body.replace(/\s+/g, ' ')).toContain('The limit is CONCLAVE_MAX_UPLOAD_MB where conclave runs; conclave materials add has the same.');
    expect(admin.body).toContain('Sign out');
    expect(await state()).toEqual(before);
  });

  it('refuses an upload without the CSRF token, and writes nothing', async () => {
    const c = new Client(app);
    const page = `/invitation/${s.ana.token}/materials`;
    const before = await state();
    const res = await upload(c, page, page, { target: `slot:${s.slotId}` }, { filename: 'talk.pdf', bytes: MINIMAL_PDF }, null);
    expect(res.statusCode).toBe(403);
    // Each of a speaker's writes, with a live link (a dead one is refused before its body is read).
    for (const action of [`${page}/link`, `${page}/1/remove`]) {
      expect((await c.post(action, { target: `topic:${s.topicId}`, url: 'https://example.org/x' })).statusCode, action).toBe(403);
      expect((await c.post(action, { _csrf: 'forged', target: `topic:${s.topicId}`, url: 'https://example.org/x' })).statusCode, action).toBe(403);
    }
    expect(await state()).toEqual(before);
  });

  it('reads no upload for someone signed out, with a dead link, or at a route that takes none', async () => {
    // Over the limit: read, it would be refused as too large (413); unread, for who is asking.
    const big = multipart({ _csrf: 'x', target: `slot:${s.slotId}` }, { filename: 'talk.pdf', bytes: Buffer.alloc(LIMIT * 4, 0x25) });
    const post = (url: string) => app.inject({ method: 'POST', url, headers: { 'content-type': big.contentType }, payload: big.payload });
    const admin = await post(`/admin/editions/${s.series}/${s.year}/materials/file`);
    expect(admin.statusCode).toBe(303);
    // Sent to sign in, then back to the page the form is on; nothing of the upload kept.
    const [signin, notice] = String(admin.headers.location).split('&notice=');
    expect([signin, decodeURIComponent(notice!).split(':')[0]]).toEqual([`/signin?next=${encodeURIComponent(`/admin/editions/${s.series}/${s.year}/materials`)}`, 'You were signed out (or your session ended)']);
    expect((await post('/invitation/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/materials')).statusCode).toBe(410);
    expect((await post('/signout')).statusCode).toBe(415);
    expect((await post(`/invitation/${s.ana.token}/answer`)).statusCode).toBe(415);
    // The link is looked up after the per-client limit, as every personal page's is.
    const strict = await buildApp({ db: handle.db, clock: () => new Date(), mail, filesDir, maxUploadBytes: LIMIT, limits: { invitation: 2 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 3; i++) codes.push((await strict.inject({ method: 'POST', url: '/invitation/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/materials', headers: { 'content-type': big.contentType }, payload: big.payload })).statusCode);
      expect(codes).toEqual([410, 410, 429]);
    } finally {
      await strict.close();
    }
  });

  it('stops serving a file the speaker removed, and deletes it', async () => {
    const c = new Client(app);
    const page = `/invitation/${s.ana.token}/materials`;
    const draft = Buffer.concat([MINIMAL_PDF, Buffer.from('% private draft, uploaded by mistake\n')]);
    const up = await upload(c, page, page, { target: `slot:${s.slotId}`, kind: 'slides', label: '' }, { filename: 'wrong.pdf', bytes: draft });
    expect(up.statusCode, up.body).toBe(303);
    const row = await handle.db.selectFrom('materials').selectAll().where('file_name', '=', 'wrong.pdf').executeTakeFirstOrThrow();
    const urls = [`/files/${row.file_sha256}/wrong.pdf`, `/files/${row.file_sha256}`];
    for (const url of urls) expect((await app.inject(url)).statusCode).toBe(200);
    expect((await c.submit(page, `${page}/${row.id}/remove`, {})).statusCode).toBe(303);
    for (const url of urls) expect((await app.inject(url)).statusCode).toBe(404);
    expect(await handle.db.selectFrom('files').select('sha256').where('sha256', '=', row.file_sha256).executeTakeFirst()).toBeUndefined();
    expect(filesUnder(filesDir)).not.toContain(path.join(row.file_sha256!.slice(0, 2), row.file_sha256!));
  });

  it('lets a speaker add a link and remove only what they added', async () => {
    const c = new Client(app);
    const page = `/invitation/${s.ana.token}/materials`;
    const bad = await c.submit(page, `${page}/link`, { target: `topic:${s.topicId}`, kind: 'slides', label: 'x', url: 'javascript:alert(1)' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('must be an http:// or https:// address');
    expect(bad.body).toContain('value="javascript:alert(1)"');
    const ok = await c.submit(page, `${page}/link`, { target: `topic:${s.topicId}`, kind: 'slides', label: 'XDP slides', url: 'https://example.org/xdp' });
    expect(ok.statusCode).toBe(303);
    const link = await handle.db.selectFrom('materials').selectAll().where('url', '=', 'https://example.org/xdp').executeTakeFirstOrThrow();
    expect(link.topic_id).toBe(s.topicId);
    // Bo cannot remove Ana's link.
    const bo = new Client(app);
    const boPage = `/invitation/${s.bo.token}/materials`;
    expect((await bo.submit(boPage, `${boPage}/${link.id}/remove`, {})).statusCode).toBe(404);
    expect((await c.submit(page, `${page}/${link.id}/remove`, {})).statusCode).toBe(303);
    expect(await handle.db.selectFrom('materials').select('id').where('id', '=', link.id).executeTakeFirst()).toBeUndefined();
  });

  it('lets the committee upload for the edition, write meeting notes, set the group photo and remove', async () => {
    const c = await signedIn();
    const base = `/admin/editions/${s.series}/${s.year}/materials`;
    const list = await c.get(base);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Materials of Netconf Materials');

    const up = await upload(c, base, `${base}/file`, { target: 'edition', kind: 'slides', label: 'Workshop summary', credit: 'The committee' }, { filename: 'summary.odp', bytes: odp() });
    expect(up.statusCode, up.body).toBe(303);
    const refused = await upload(c, base, `${base}/file`, { target: 'edition', kind: 'slides' }, { filename: 'summary.pdf', bytes: odp() });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('summary.pdf is an ODP presentation, not a PDF');

    const noAuthor = await c.submit(base, `${base}/notes`, { authorId: '', body: 'x' });
    expect(noAuthor.statusCode).toBe(400);
    expect(noAuthor.body).toContain('choose the author');
    const notes = await c.submit(base, `${base}/notes`, { authorId: String(s.bo.personId), label: 'Notes of day 1', body: '# Notes of day 1\n\n## Queues\n\n*BQL* works. <script>alert(1)</script>' });
    expect(notes.statusCode).toBe(303);

    const photo = await sharp({ create: { width: 1000, height: 600, channels: 3, background: '#26a269' } }).jpeg().toBuffer();
    const ph = await upload(c, base, `${base}/photo`, { credit: 'Photo: Pat Photographer' }, { filename: 'group.jpg', bytes: photo });
    expect(ph.statusCode, ph.body).toBe(303);
    const gp = await handle.db.selectFrom('materials').selectAll().where('edition_id', '=', s.editionId).where('kind', '=', 'group-photo').executeTakeFirstOrThrow();

    const pub = (await app.inject(`/${s.series}/${s.year}/`)).body;
    expect(pub).toContain('<h3>Notes of day 1</h3>');
    // Their own first heading says what the <h3> says: not said twice.
    expect(pub.match(/Notes of day 1/g)).toHaveLength(1);
    // Under the notes' own <h3>: its "## Queues" is an <h5>, not a second <h2> of the page.
    expect(pub).toContain('<h5>Queues</h5>');
    expect(pub).toContain('<em>BQL</em> works. &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(pub).toMatch(/by <a href="\/people\/[^"]+\/">Guest \d+<\/a>/);
    // The caption names the photo; the image says nothing more (a text browser would repeat it).
    expect(pub).toContain(`<a href="/files/${gp.file_sha256}/group.jpg" tabindex="-1" aria-hidden="true"><img src="/files/${gp.thumb_sha256}" alt="" /></a>`);
    expect(pub).toContain(`<span>Group photo</span><span class="muted"> (photo: Pat Photographer)</span> <a href="/files/${gp.file_sha256}/group.jpg">Full size</a>`);
    expect(pub).toContain('(photo: Pat Photographer)');
    expect(pub).toContain('Workshop summary');
    const img = await app.inject(`/files/${gp.file_sha256}/group.jpg`);
    expect(img.headers['content-type']).toBe('image/jpeg');
    expect(img.headers['content-disposition']).toBe(`inline; filename="group.jpg"; filename*=UTF-8''group.jpg`);
    expect(Buffer.compare(img.rawPayload, photo)).toBe(0);

    const summary = await handle.db.selectFrom('materials').select('id').where('label', '=', 'Workshop summary').executeTakeFirstOrThrow();
    const summaryFile = (await handle.db.selectFrom('materials').select('file_sha256').where('id', '=', summary.id).executeTakeFirstOrThrow()).file_sha256;
    expect((await app.inject(`/files/${summaryFile}/summary.odp`)).statusCode).toBe(200);
    expect((await c.submit(base, `${base}/${summary.id}/remove`, {})).statusCode).toBe(303);
    expect(await handle.db.selectFrom('materials').select('id').where('id', '=', summary.id).executeTakeFirst()).toBeUndefined();
    expect((await app.inject(`/files/${summaryFile}/summary.odp`)).statusCode).toBe(404);
    // Remove pressed again (a double post, a page older than the removal): back on the page, saying it is done.
    const again = await c.submit(base, `${base}/${summary.id}/remove`, {});
    expect(again.statusCode).toBe(303);
    const to = new URL(again.headers.location as string, 'http://x');
    expect([to.pathname, to.searchParams.get('notice')]).toEqual([base, `Material #${summary.id} was already removed.`]);
    expect((await c.get(again.headers.location as string)).body).toContain(`Material #${summary.id} was already removed.`);
    // An edition that is not there is still not found.
    expect((await c.submit(base, `/admin/editions/netconf/1999/materials/${summary.id}/remove`, {})).statusCode).toBe(404);
  });

  it('says the speaker’s materials are public only once the program is', async () => {
    const t = await speakerEdition(handle.db);
    const anaPage = `/invitation/${t.ana.token}/materials`;
    // Planned: the program, and the materials filed under it, are not public yet.
    await handle.db.updateTable('editions').set({ status: 'planned' }).where('id', '=', t.editionId).execute();
    const planned = (await new Client(app).get(anaPage)).body;
    expect(planned).toContain("The program is not published yet: materials appear on the edition's public page once the committee publishes it. Until then, no public page lists them, though a file's own link works for anyone who has it.");
    expect(planned).not.toContain('as soon as they are added');
    // Published (tentative), they are public as soon as they are added.
    await handle.db.updateTable('editions').set({ status: 'tentative' }).where('id', '=', t.editionId).execute();
    const published = (await new Client(app).get(anaPage)).body;
    expect(published).toContain("Materials appear on the edition's public page as soon as they are added.");
    expect(published).not.toContain('not published yet');
  });

  it('offers first the talk that is surely the speaker’s, else makes them choose', async () => {
    const t = await speakerEdition(handle.db);
    const anaPage = `/invitation/${t.ana.token}/materials`;
    const boPage = `/invitation/${t.bo.token}/materials`;
    const selected = (body: string) => [...body.matchAll(/<option value="([^"]*)" selected/g)].map((m) => m[1]);
    // Ana opens the day among many speakers, and her topic is her talk: the talk comes first.
    const day = await handle.db.selectFrom('slots').select('day_id').where('id', '=', t.slotId).executeTakeFirstOrThrow();
    const welcome = await handle.db
      .insertInto('slots')
      .values({ day_id: day.day_id, start_time: '09:00', end_time: '09:30', kind: 'discussion', title: 'Welcome and agenda bashing', position: 0 })
      .returning('id')
      .executeTakeFirstOrThrow();
    await handle.db
      .insertInto('slot_speakers')
      .values([
        { slot_id: welcome.id, person_id: t.ana.personId, name_as_listed: 'Ana', position: 0 },
        { slot_id: welcome.id, person_id: t.bo.personId, name_as_listed: 'Bo', position: 1 },
      ])
      .execute();
    await handle.db.updateTable('slots').set({ topic_id: t.topicId }).where('id', '=', t.slotId).execute();
    const ana = (await new Client(app).get(anaPage)).body;
    expect(ana.indexOf(`value="slot:${welcome.id}"`)).toBeLessThan(ana.indexOf(`value="slot:${t.slotId}"`));
    expect(selected(ana)).toEqual([`slot:${t.slotId}`, 'slides', `slot:${t.slotId}`, 'slides']);
    // Bo: the welcome, shared, and the talk he gives alone.
    expect(selected((await new Client(app).get(boPage)).body)).toEqual([`slot:${t.otherSlotId}`, 'slides', `slot:${t.otherSlotId}`, 'slides']);
    // Shared slots only: nothing is chosen for him, and a form sent as it came is refused.
    await handle.db.insertInto('slot_speakers').values({ slot_id: t.otherSlotId, person_id: t.ana.personId, name_as_listed: 'Ana', position: 1 }).execute();
    const c = new Client(app);
    const bo = (await c.get(boPage)).body;
    expect(selected(bo)).toEqual(['slides', 'slides']);
    expect(bo.match(/<select[^>]*name="target"[^>]*>\s*<option value="">Choose your talk or topic<\/option>/g)).toHaveLength(2);
    const unchosen = await c.submit(boPage, `${boPage}/link`, { target: '', kind: 'slides', label: '', url: 'https://example.org/bo' });
    expect(unchosen.statusCode).toBe(400);
    expect(unchosen.body).toContain('choose one of your talks or topics');
  });

  it('does not open the materials page to a speaker who has not accepted', async () => {
    await handle.db.updateTable('invitations').set({ state: 'declined' }).where('person_id', '=', s.bo.personId).execute();
    const c = new Client(app);
    const res = await c.get(`/invitation/${s.bo.token}/materials`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('once you have accepted the invitation');
    expect(res.body).not.toContain('type="file"');
    await handle.db.updateTable('invitations').set({ state: 'accepted' }).where('person_id', '=', s.bo.personId).execute();
  });
});

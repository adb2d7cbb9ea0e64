/**
 * Materials in the domain: refused uploads write nothing (no files row, no materials row, no file
 * on disk) and say why, naming the field; accepted types are stored by content hash with the
 * type sniffed from the bytes; links, meeting notes, the group photo, speakers' rights, removal.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { listAudit } from '../../src/domain/audit/record.js';
import { addSponsor, removeEditionPart } from '../../src/domain/editions/edition-parts.js';
import { loadEdition, loadEditions } from '../../src/domain/editions/load-edition.js';
import { EditionPage } from '../../src/web/views/edition.js';
import { Conflict, InvalidInput, NotFound } from '../../src/domain/errors.js';
import { filePath } from '../../src/domain/files/store.js';
import { addMaterialFile, addMaterialLink, addNotes, listMaterials, removeMaterial, setGroupPhoto } from '../../src/domain/program/materials.js';
import { addSlot, hiddenMaterialsSentence, removeSlot, updateSlot } from '../../src/domain/program/schedule-edit.js';
import { addSpeakerFile, addSpeakerLink, speakerMaterials } from '../../src/domain/program/speaker-materials.js';
import { testDatabases } from '../support/db.js';
import { COMMITTEE, keynote, MINIMAL_PDF, odp, speakerEdition, sxi, type SpeakerEdition } from './materials-samples.js';

/** Every file under `dir`, relative. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
}

describe.each(testDatabases())('materials on $name', ({ open }) => {
  let handle: Db;
  let filesDir: string;
  let s: SpeakerEdition;
  const deps = (max = 1048576) => ({ db: handle.db, filesDir, maxUploadBytes: max });
  const sdeps = () => ({ ...s.deps, filesDir, maxUploadBytes: 1048576 });

  beforeAll(async () => {
    handle = await open();
    filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-materials-'));
    s = await speakerEdition(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  async function state() {
    const files = await handle.db.selectFrom('files').select('sha256').execute();
    const materials = await handle.db.selectFrom('materials').select('id').execute();
    return { files: files.length, materials: materials.length, disk: filesUnder(filesDir) };
  }

  /** Whether a file has its row, and its bytes on disk. */
  async function stored(sha256: string) {
    const row = await handle.db.selectFrom('files').select('sha256').where('sha256', '=', sha256).executeTakeFirst();
    return { row: !!row, disk: fs.existsSync(filePath(filesDir, sha256)) };
  }

  /** Runs `write`, expects InvalidInput on `field` matching `message`, and that nothing changed. */
  async function refused(write: () => Promise<unknown>, field: string, message: string | RegExp) {
    const before = await state();
    const err = await write().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InvalidInput);
    expect((err as InvalidInput).field).toBe(field);
    if (typeof message === 'string') expect((err as Error).message).toBe(message);
    else expect((err as Error).message).toMatch(message);
    expect(await state()).toEqual(before);
  }

  const file = (fileName: string, bytes: Buffer, extra: Record<string, unknown> = {}) => ({ editionId: s.editionId, slotId: s.slotId, fileName, bytes, ...extra });

  it('refuses a .pdf that is really HTML, naming both, and writes nothing', async () => {
    const html = Buffer.from('<!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>\n');
    await refused(() => addMaterialFile(deps(), COMMITTEE, file('talk.pdf', html)), 'file', 'file: talk.pdf is an HTML document, not a PDF');
  });

  it('refuses a file over the limit, naming its size and the limit, and writes nothing', async () => {
    const big = Buffer.concat([MINIMAL_PDF, Buffer.alloc(3000, 0x20)]);
    await refused(() => addMaterialFile(deps(2048), COMMITTEE, file('talk.pdf', big)), 'file', `file: talk.pdf is ${(big.length / 1024).toFixed(1)} KB; the limit is 2 KB`);
    // Just over the limit, the sizes are given in bytes: rounded, both would say "2 KB".
    await refused(() => addMaterialFile(deps(2048), COMMITTEE, file('talk.pdf', Buffer.concat([MINIMAL_PDF, Buffer.alloc(2049 - MINIMAL_PDF.length, 32)]))), 'file', 'file: talk.pdf is 2,049 bytes; the limit is 2,048 bytes (2 KB)');
  });

  it('refuses a name like ../../etc/passwd and writes nothing', async () => {
    await refused(() => addMaterialFile(deps(), COMMITTEE, file('../../etc/passwd', MINIMAL_PDF)), 'file', /the name "\.\.\/\.\.\/etc\/passwd" contains a directory/);
    await refused(() => addMaterialFile(deps(), COMMITTEE, file('..', MINIMAL_PDF)), 'file', /contains "\.\."/);
    await refused(() => addMaterialFile(deps(), COMMITTEE, file('talk\u202Efdp.exe', MINIMAL_PDF)), 'file', /control characters/);
    await refused(() => addMaterialFile(deps(), COMMITTEE, file(`${'a'.repeat(197)}.pdf`, MINIMAL_PDF)), 'file', 'file: the name is 201 characters long; at most 200');
    expect(fs.existsSync(path.join(filesDir, '..', 'etc'))).toBe(false);
  });

  it('refuses an empty file and writes nothing', async () => {
    await refused(() => addMaterialFile(deps(), COMMITTEE, file('talk.pdf', Buffer.alloc(0))), 'file', 'file: talk.pdf is empty');
  });

  it('reads a file of one to three bytes for what it is, as a longer one', async () => {
    for (const bytes of ['x', 'ok', 'hi\n']) {
      await refused(() => addMaterialFile(deps(), COMMITTEE, file('talk.pdf', Buffer.from(bytes))), 'file', 'file: talk.pdf is plain text, not a PDF');
    }
    await refused(() => addMaterialFile(deps(), COMMITTEE, file('talk.pdf', Buffer.from([0x50, 0x4b, 3]))), 'file', /talk\.pdf is /);
  });

  it('refuses SVG, executables and an extension that contradicts the content', async () => {
    const svg = 'is an SVG image (refused: it can carry scripts); accepted are';
    await refused(() => addMaterialFile(deps(), COMMITTEE, file('logo.svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))), 'file', new RegExp(`^file: logo\\.svg ${svg.replace(/[()]/g, '\\$&')}`));
    await refused(() => addMaterialFile(deps(), COMMITTEE, file('pic.svg', Buffer.from('<?xml version="1.0"?>\n<!-- drawn -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd">\n<svg/>'))), 'file', new RegExp(`^file: pic\\.svg ${svg.replace(/[()]/g, '\\$&')}`));
    await refused(() => addMaterialFile(deps(), COMMITTEE, file('notes.txt', Buffer.from('<?xml version="1.0"?><note/>'))), 'file', 'file: notes.txt is an XML document, not plain text');
    await refused(() => addMaterialFile(deps(), COMMITTEE, file('talk.odp', MINIMAL_PDF)), 'file', 'file: talk.odp is a PDF, not an ODP presentation');
    await refused(() => addMaterialFile(deps(), COMMITTEE, file('run.bat', Buffer.from('echo hi\r\n'))), 'file', 'file: run.bat is plain text, but its name ends in .bat; name it .txt');
    const elf = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...Array(56).fill(0)]);
    await refused(() => addMaterialFile(deps(), COMMITTEE, file('talk.pdf', elf)), 'file', /talk\.pdf is of type application\/x-elf, not a PDF/);
  });

  it('accepts PDF, ODP, SXI, Keynote, PNG and UTF-8 text, stored by content hash with the sniffed type', async () => {
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#3465a4' } }).png().toBuffer();
    const samples: [string, Buffer, string, string][] = [
      ['talk.pdf', MINIMAL_PDF, 'application/pdf', 'pdf'],
      ['talk.odp', odp(), 'application/vnd.oasis.opendocument.presentation', 'odp'],
      ['talk.sxi', sxi(), 'application/vnd.sun.xml.impress', 'sxi'],
      ['talk.key', keynote(), 'application/vnd.apple.keynote', 'key'],
      ['diagram.png', png, 'image/png', 'png'],
      ['notes.txt', Buffer.from('Überblick: qdisc → tc\nno markup here, 2 < 3\n'), 'text/plain', 'txt'],
    ];
    for (const [name, bytes, mime, format] of samples) {
      const m = await addMaterialFile(deps(), COMMITTEE, file(name, bytes));
      expect(m).toMatchObject({ edition_id: s.editionId, slot_id: s.slotId, file_name: name, format, uploaded_by: COMMITTEE.label });
      const f = await handle.db.selectFrom('files').selectAll().where('sha256', '=', m.file_sha256!).executeTakeFirstOrThrow();
      expect(f.media_type).toBe(mime);
      expect(f.size).toBe(bytes.length);
      expect(fs.readFileSync(filePath(filesDir, m.file_sha256!)).equals(bytes)).toBe(true);
    }
    const kinds = (await listMaterials({ db: handle.db }, s.editionId)).map((m) => [m.fileName, m.kind]);
    expect(kinds).toEqual([
      ['talk.pdf', 'slides'],
      ['talk.odp', 'slides'],
      ['talk.sxi', 'slides'],
      ['talk.key', 'slides'],
      ['diagram.png', 'photo'],
      ['notes.txt', 'slides'],
    ]);
    // The same bytes again: one file on disk, two rows.
    const before = filesUnder(filesDir).length;
    await addMaterialFile(deps(), COMMITTEE, file('again.pdf', MINIMAL_PDF));
    expect(filesUnder(filesDir).length).toBe(before);
    const audit = await listAudit({ db: handle.db }, { editionId: s.editionId, action: 'material.add' });
    expect(audit.length).toBe(7);
  });

  it('accepts a patch series as a mailbox or one mail as .eml, as plain text', async () => {
    const mail = 'From 1a2b Mon Sep 17 00:00:00 2001\nFrom: Ada <ada@example.org>\nSubject: [PATCH 1/2] net: fix it\n\n---\n';
    for (const name of ['series.mbox', 'patch.eml']) {
      const m = await addMaterialFile(deps(), COMMITTEE, file(name, Buffer.from(mail)));
      const f = await handle.db.selectFrom('files').select('media_type').where('sha256', '=', m.file_sha256!).executeTakeFirstOrThrow();
      expect([m.file_name, m.format, f.media_type]).toEqual([name, name.split('.')[1], 'text/plain']);
      await removeMaterial(deps(), COMMITTEE, { editionId: s.editionId, id: m.id });
    }
    // Text in Latin-1 is said to be text, and how to convert it.
    const latin1 = Buffer.from('Subject: Re: Überblick\n\nGrüße, Jörg\n', 'latin1');
    await refused(
      () => addMaterialFile(deps(), COMMITTEE, file('reply.eml', latin1)),
      'file',
      'file: reply.eml is text, but not in UTF-8: convert it first, e.g. iconv -f latin1 -t utf-8 < reply.eml > utf8-reply.eml',
    );
  });

  it('adds http and https links only', async () => {
    const m = await addMaterialLink(deps(), COMMITTEE, { editionId: s.editionId, topicId: s.topicId, url: 'https://example.org/xdp.pdf', label: 'XDP slides' });
    expect(m).toMatchObject({ topic_id: s.topicId, url: 'https://example.org/xdp.pdf', kind: 'slides', label: 'XDP slides', file_sha256: null });
    await refused(() => addMaterialLink(deps(), COMMITTEE, { editionId: s.editionId, url: 'javascript:alert(1)' }), 'url', 'url: must be an http:// or https:// address such as https://example.org/');
    await refused(() => addMaterialLink(deps(), COMMITTEE, { editionId: s.editionId, url: 'ftp://example.org/x.pdf' }), 'url', 'url: must be an http:// or https:// address such as https://example.org/');
  });

  it('takes a kind by the name forms and the CLI give it ("paper"), or as stored ("whitepaper")', async () => {
    const paper = await addMaterialLink(deps(), COMMITTEE, { editionId: s.editionId, url: 'https://example.org/paper.pdf', kind: 'paper' as never });
    expect(paper).toMatchObject({ kind: 'whitepaper', label: 'Paper' });
    const stored = await addMaterialLink(deps(), COMMITTEE, { editionId: s.editionId, url: 'https://example.org/old.pdf', kind: 'whitepaper' });
    expect(stored.kind).toBe('whitepaper');
    await refused(() => addMaterialLink(deps(), COMMITTEE, { editionId: s.editionId, url: 'https://example.org/x', kind: 'lecture' as never }), 'kind', 'kind: must be one of slides, paper, photo, animation, video, other');
    for (const m of [paper, stored]) await removeMaterial(deps(), COMMITTEE, { editionId: s.editionId, id: m.id });
  });

  it('lets a speaker add only to their own slot or topic', async () => {
    const ana = { speakerId: s.ana.personId };
    await refused(() => addMaterialFile(deps(), COMMITTEE, file('talk.pdf', MINIMAL_PDF, { slotId: s.otherSlotId }), ana), 'target', 'target: you do not speak in this slot');
    await refused(() => addMaterialFile(deps(), COMMITTEE, file('talk.pdf', MINIMAL_PDF, { slotId: null }), ana), 'target', 'target: choose one of your talks or topics');
    await refused(() => addMaterialFile(deps(), COMMITTEE, file('talk.pdf', MINIMAL_PDF, { slotId: 999999 })), 'target', "target: there is no slot 999999 in this edition's agenda");
    const mine = await addSpeakerFile(sdeps(), s.ana.token, { topicId: s.topicId, fileName: 'xdp.pdf', bytes: MINIMAL_PDF });
    expect(mine).toMatchObject({ topic_id: s.topicId, uploaded_by: `invitee:${s.ana.email}` });
    const page = await speakerMaterials(sdeps(), s.ana.token);
    expect(page.targets.map((t) => t.value)).toEqual([`slot:${s.slotId}`, `topic:${s.topicId}`]);
    expect(page.materials.find((m) => m.id === mine.id)?.mine).toBe(true);
    await refused(() => addSpeakerLink(sdeps(), s.ana.token, { topicId: s.topicId, url: 'https://example.org/a.pdf', label: 'Slides\u001b[2J' }), 'label', 'label: must be one line of text, without control characters');
    // Bo's page offers only Bo's slot.
    expect((await speakerMaterials(sdeps(), s.bo.token)).targets.map((t) => t.value)).toEqual([`slot:${s.otherSlotId}`]);
  });

  it("refuses a speaker a meal slot or a declined topic their page does not offer", async () => {
    const ana = { speakerId: s.ana.personId };
    const day = await handle.db.selectFrom('slots').select('day_id').where('id', '=', s.slotId).executeTakeFirstOrThrow();
    const lunch = await handle.db.insertInto('slots').values({ day_id: day.day_id, start_time: '12:00', end_time: '13:00', kind: 'meal', title: 'Lunch', position: 9 }).returning('id').executeTakeFirstOrThrow();
    await handle.db.insertInto('slot_speakers').values({ slot_id: lunch.id, person_id: s.ana.personId, name_as_listed: 'Ana', position: 0 }).execute();
    const dropped = await handle.db.insertInto('topics').values({ edition_id: s.editionId, number: 7, title: 'Dropped idea', origin: 'proposal', state: 'declined', proposer_id: s.ana.personId }).returning('id').executeTakeFirstOrThrow();
    await handle.db.insertInto('topic_presenters').values({ topic_id: dropped.id, person_id: s.ana.personId, position: 0 }).execute();
    try {
      const offered = (await speakerMaterials(sdeps(), s.ana.token)).targets.map((t) => t.value);
      expect(offered).not.toContain(`slot:${lunch.id}`);
      expect(offered).not.toContain(`topic:${dropped.id}`);
      await refused(() => addMaterialFile(deps(), COMMITTEE, file('talk.pdf', MINIMAL_PDF, { slotId: lunch.id }), ana), 'target', `target: slot ${lunch.id} is a meal, not a talk: choose one of your talks or topics`);
      await refused(() => addSpeakerFile(sdeps(), s.ana.token, { topicId: dropped.id, fileName: 'x.pdf', bytes: MINIMAL_PDF }), 'target', 'target: topic #7 was declined: choose one of your talks or topics');
      // The committee still may: an archive keeps what was attached anywhere.
      const m = await addMaterialLink(deps(), COMMITTEE, { editionId: s.editionId, topicId: dropped.id, url: 'https://example.org/old.pdf' });
      await removeMaterial(deps(), COMMITTEE, { editionId: s.editionId, id: m.id });
    } finally {
      await handle.db.deleteFrom('slots').where('id', '=', lunch.id).execute();
      await handle.db.deleteFrom('topics').where('id', '=', dropped.id).execute();
    }
  });

  it('keeps meeting notes in Markdown, crediting an author of the edition', async () => {
    await refused(() => addNotes(deps(), COMMITTEE, { editionId: s.editionId, authorId: 999999, body: 'x' }), 'authorId', 'authorId: the author must be one of the people of this edition');
    await refused(() => addNotes(deps(), COMMITTEE, { editionId: s.editionId, authorId: s.ana.personId, body: '   ' }), 'body', 'body: write the notes (Markdown)');
    await refused(() => addNotes(deps(), COMMITTEE, { editionId: s.editionId, authorId: s.ana.personId, body: '# Day 1\n\nqdisc\u0000offload' }), 'body', 'body: must be text: it holds the control character U+0000 at line 3');
    await refused(() => addNotes(deps(), COMMITTEE, { editionId: s.editionId, authorId: s.ana.personId, body: '%PDF-1.4\n\u0002\u0003' }), 'body', 'body: must be text: it holds the control character U+0002 at line 2');
    const n = await addNotes(deps(), COMMITTEE, { editionId: s.editionId, authorId: s.bo.personId, body: '# Day 1\n\n* qdisc offload <script>x</script>' });
    expect(n).toMatchObject({ kind: 'notes', author_id: s.bo.personId, label: 'Meeting notes' });
    const e = await loadEdition({ db: handle.db }, s.series, s.year);
    expect(e.meetingNotes.map((m) => [m.label, m.author?.slug, m.body])).toEqual([['Meeting notes', expect.any(String), '# Day 1\n\n* qdisc offload <script>x</script>']]);
    // Under the section's heading, notes of that title are not headed "Meeting notes" again;
    // who wrote them still is said.
    const section = /<section aria-labelledby="notes">[^]*?<\/section>/.exec(String(EditionPage({ e })))?.[0] ?? '';
    expect(section.match(/Meeting notes/g)).toEqual(['Meeting notes']);
    expect(section).toMatch(/<p class="muted">by <a href="\/people\/[^"]+\/">[^<]+<\/a><\/p>/);
    expect(section).toContain('Day 1');
  });

  it('names a notes author who has no person page without a link to one', async () => {
    // On the committee when the notes were written; the role removed since, nothing else public.
    const p = await handle.db.insertInto('people').values({ slug: 'notes-writer-2100', name: 'Nora <Notes>', name_key: 'nora notes' }).returning('id').executeTakeFirstOrThrow();
    await handle.db.insertInto('committee_members').values({ edition_id: s.editionId, person_id: p.id, role: 'scribe', position: 9 }).execute();
    const n = await addNotes(deps(), COMMITTEE, { editionId: s.editionId, authorId: p.id, label: 'Day 3', body: '# Day 3' });
    const authorOf = async () => (await loadEdition({ db: handle.db }, s.series, s.year)).meetingNotes.find((m) => m.label === 'Day 3')!.author;
    expect(await authorOf()).toEqual({ slug: 'notes-writer-2100', name: 'Nora <Notes>', hasPage: true });
    expect(String(EditionPage({ e: await loadEdition({ db: handle.db }, s.series, s.year) }))).toContain('by <a href="/people/notes-writer-2100/">Nora &lt;Notes></a>');
    await handle.db.deleteFrom('committee_members').where('person_id', '=', p.id).execute();
    expect(await authorOf()).toEqual({ slug: 'notes-writer-2100', name: 'Nora <Notes>', hasPage: false });
    const page = String(EditionPage({ e: await loadEdition({ db: handle.db }, s.series, s.year) }));
    expect(page).toContain('by <span>Nora &lt;Notes></span>');
    expect(page).not.toContain('/people/notes-writer-2100/');
    const many = await loadEditions({ db: handle.db }, [{ series: s.series, year: s.year }]);
    expect([...many.values()][0]!.meetingNotes.find((m) => m.label === 'Day 3')!.author?.hasPage).toBe(false);
    await removeMaterial(deps(), COMMITTEE, { editionId: s.editionId, id: n.id });
  });

  it('keeps notes typed in a browser (CRLF lines) as the CLI gives them, one LF a line', async () => {
    const n = await addNotes(deps(), COMMITTEE, { editionId: s.editionId, authorId: s.bo.personId, label: 'Day 2', body: '# Day 2\r\n\r\n* XDP\r\n* TLS\rdone\r\n' });
    expect(n.body).toBe('# Day 2\n\n* XDP\n* TLS\ndone');
    await removeMaterial(deps(), COMMITTEE, { editionId: s.editionId, id: n.id });
  });

  it('sets the group photo with a thumbnail 480 px wide, replacing the one before', async () => {
    const big = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#888' } }).jpeg().toBuffer();
    await refused(() => setGroupPhoto(deps(), COMMITTEE, { editionId: s.editionId, fileName: 'group.pdf', bytes: MINIMAL_PDF }), 'file', 'file: group.pdf is a PDF, not a photo (PNG, JPEG, GIF or WebP)');
    const first = await setGroupPhoto(deps(), COMMITTEE, { editionId: s.editionId, fileName: 'group.jpg', bytes: big, credit: 'Pat Photographer' });
    const thumb = fs.readFileSync(filePath(filesDir, first.thumb_sha256!));
    const meta = await sharp(thumb).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 480, 320]);
    const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#111' } }).png().toBuffer();
    const second = await setGroupPhoto(deps(), COMMITTEE, { editionId: s.editionId, fileName: 'group2.png', bytes: png });
    const rows = await handle.db.selectFrom('materials').select('id').where('edition_id', '=', s.editionId).where('kind', '=', 'group-photo').execute();
    expect(rows.map((r) => r.id)).toEqual([second.id]);
    expect((await sharp(fs.readFileSync(filePath(filesDir, second.thumb_sha256!))).metadata()).width).toBe(300);
    // The photo replaced and its thumbnail are no longer kept; the same photo set again stays.
    for (const sha of [first.file_sha256!, first.thumb_sha256!]) expect(await stored(sha)).toEqual({ row: false, disk: false });
    const again = await setGroupPhoto(deps(), COMMITTEE, { editionId: s.editionId, fileName: 'group2.png', bytes: png });
    expect([again.file_sha256, again.thumb_sha256]).toEqual([second.file_sha256, second.thumb_sha256]);
    for (const sha of [again.file_sha256!, again.thumb_sha256!]) expect(await stored(sha)).toEqual({ row: true, disk: true });
    const e = await loadEdition({ db: handle.db }, s.series, s.year);
    expect(e.groupPhoto).toMatchObject({ url: `/files/${second.file_sha256}/group2.png`, thumbUrl: `/files/${second.thumb_sha256}` });
  });

  it('removes a material with an audit record; a speaker only what they added', async () => {
    const m = await addMaterialLink(deps(), COMMITTEE, { editionId: s.editionId, slotId: s.slotId, url: 'https://example.org/a' });
    await expect(removeMaterial(deps(), COMMITTEE, { editionId: s.editionId, id: m.id }, { uploadedBy: `invitee:${s.ana.email}` })).rejects.toBeInstanceOf(NotFound);
    await removeMaterial(deps(), COMMITTEE, { editionId: s.editionId, id: m.id });
    expect(await handle.db.selectFrom('materials').select('id').where('id', '=', m.id).executeTakeFirst()).toBeUndefined();
    const [entry] = await listAudit({ db: handle.db }, { editionId: s.editionId, action: 'material.remove' });
    expect(entry).toMatchObject({ entity: 'material', entity_id: String(m.id), actor: COMMITTEE.label });
    await expect(removeMaterial(deps(), COMMITTEE, { editionId: s.editionId, id: m.id })).rejects.toBeInstanceOf(NotFound);
  });

  it('deletes a removed material’s file once nothing else refers to the same bytes', async () => {
    const deck = Buffer.concat([MINIMAL_PDF, Buffer.from('% shared deck\n')]);
    const forSlot = await addSpeakerFile(sdeps(), s.ana.token, { slotId: s.slotId, fileName: 'deck.pdf', bytes: deck });
    const forTopic = await addMaterialFile(deps(), COMMITTEE, { editionId: s.editionId, topicId: s.topicId, fileName: 'same-deck.pdf', bytes: deck });
    const sha = forSlot.file_sha256!;
    expect(forTopic.file_sha256).toBe(sha);
    // Refused (not hers to remove): the file stays.
    await expect(removeMaterial(deps(), COMMITTEE, { editionId: s.editionId, id: forTopic.id }, { uploadedBy: `invitee:${s.ana.email}` })).rejects.toBeInstanceOf(NotFound);
    await removeMaterial(deps(), COMMITTEE, { editionId: s.editionId, id: forSlot.id }, { uploadedBy: `invitee:${s.ana.email}` });
    expect(await stored(sha)).toEqual({ row: true, disk: true });
    await removeMaterial(deps(), COMMITTEE, { editionId: s.editionId, id: forTopic.id });
    expect(await stored(sha)).toEqual({ row: false, disk: false });
    // Uploaded again, it is stored again.
    const back = await addMaterialFile(deps(), COMMITTEE, { editionId: s.editionId, slotId: s.slotId, fileName: 'deck.pdf', bytes: deck });
    expect(await stored(sha)).toEqual({ row: true, disk: true });
    await removeMaterial(deps(), COMMITTEE, { editionId: s.editionId, id: back.id });
  });

  it('keeps a file a sponsor’s logo shares with a photo until both are gone', async () => {
    const logo = await sharp({ create: { width: 200, height: 100, channels: 3, background: '#c64600' } }).png().toBuffer();
    const ref = { series: s.series, year: s.year };
    const sponsor = await addSponsor({ db: handle.db, filesDir }, COMMITTEE, ref, { name: 'Pigeon Networks', logo });
    const photo = await addMaterialFile(deps(), COMMITTEE, { editionId: s.editionId, fileName: 'logo.png', bytes: logo });
    expect(photo.file_sha256).toBe(sponsor.logo_sha256);
    await removeMaterial(deps(), COMMITTEE, { editionId: s.editionId, id: photo.id });
    expect(await stored(sponsor.logo_sha256!)).toEqual({ row: true, disk: true });
    await removeEditionPart({ db: handle.db, filesDir }, COMMITTEE, ref, 'sponsor', sponsor.id);
    for (const sha of [sponsor.logo_sha256!, sponsor.logo_thumb_sha256!]) expect(await stored(sha)).toEqual({ row: false, disk: false });
  });

  it('lists a scheduled topic’s materials on its speaker’s page, named by the topic’s number', async () => {
    // The topic now has a slot: forms offer the slot, but a material may be filed under the topic.
    await handle.db.updateTable('slots').set({ topic_id: s.topicId }).where('id', '=', s.slotId).execute();
    try {
      const m = await addMaterialLink(deps(), COMMITTEE, { editionId: s.editionId, topicId: s.topicId, url: 'https://example.org/scheduled.pdf', label: 'Scheduled slides' });
      const page = await speakerMaterials(sdeps(), s.ana.token);
      expect(page.targets.map((t) => t.value)).not.toContain(`topic:${s.topicId}`);
      expect(page.materials.map((x) => x.id)).toContain(m.id);
      expect((await speakerMaterials(sdeps(), s.bo.token)).materials.map((x) => x.id)).not.toContain(m.id);
      const topic = await handle.db.selectFrom('topics').select(['number', 'title']).where('id', '=', s.topicId).executeTakeFirstOrThrow();
      expect((await listMaterials(deps(), s.editionId)).find((x) => x.id === m.id)?.target).toBe(`#${topic.number} ${topic.title}`);
    } finally {
      await handle.db.updateTable('slots').set({ topic_id: null }).where('id', '=', s.slotId).execute();
    }
  });

  it('keeps a removed slot’s materials with its topic, and refuses to remove a slot of no topic that holds any', async () => {
    const ref = { series: s.series, year: s.year };
    const talk = await addSlot(s.deps, COMMITTEE, ref, { date: '2027-07-15', start: '09:00', end: '09:30', kind: 'talk', topicId: s.topicId, speakerIds: [s.ana.personId] });
    const bof = await addSlot(s.deps, COMMITTEE, ref, { date: '2027-07-15', start: '10:00', end: '10:30', kind: 'discussion', title: 'Qdisc BoF', speakerIds: [s.ana.personId] });
    const slides = await addSpeakerFile(sdeps(), s.ana.token, { slotId: talk.id, fileName: 'xdp-2027.pdf', bytes: MINIMAL_PDF });
    const notes = await addSpeakerFile(sdeps(), s.ana.token, { slotId: bof.id, fileName: 'bof.pdf', bytes: MINIMAL_PDF });
    const before = await state();
    const err = await removeSlot(s.deps, COMMITTEE, ref, bof.id).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Conflict);
    expect((err as Error).message).toBe(
      `“Qdisc BoF” holds 1 material (#${notes.id} “bof.pdf”), which would be lost with it: remove it first (under Materials, or \`conclave materials remove ${s.year} ID\`), then the slot`,
    );
    expect(await state()).toEqual(before);
    expect(await handle.db.selectFrom('slots').select('id').where('id', '=', bof.id).executeTakeFirst()).toEqual({ id: bof.id });

    const link = await addMaterialLink(deps(), COMMITTEE, { editionId: s.editionId, slotId: talk.id, url: 'https://example.org/xdp-2027.pdf' });
    // Removed, the slot's topic has no slot left to show its materials with: the removal says
    // how many of those shown with the slot (these two and the topic's own) go out of sight.
    const shown = (await loadEdition({ db: handle.db }, s.series, s.year)).agenda.flatMap((d) => d.slots).find((x) => x.start === '09:00' && x.kind === 'talk')!.materials;
    expect(shown.length).toBeGreaterThanOrEqual(2);
    const removed = await removeSlot(s.deps, COMMITTEE, ref, talk.id);
    expect(removed.materialsHidden).toBe(shown.length);
    expect(hiddenMaterialsSentence(2)).toBe('Its 2 materials are no longer shown publicly until the topic has a slot again.');
    expect(hiddenMaterialsSentence(1)).toBe('Its material is no longer shown publicly until the topic has a slot again.');
    expect(hiddenMaterialsSentence(0)).toBe('');
    await removeMaterial(deps(), COMMITTEE, { editionId: s.editionId, id: link.id });
    expect(await handle.db.selectFrom('materials').select(['slot_id', 'topic_id', 'file_name']).where('id', '=', slides.id).executeTakeFirst()).toEqual({ slot_id: null, topic_id: s.topicId, file_name: 'xdp-2027.pdf' });
    const [entry] = await listAudit({ db: handle.db }, { editionId: s.editionId, action: 'schedule.slot.remove' });
    // With the slot's guid, for an import of the page that writes it again (write-edition.ts).
    expect(entry!.after).toEqual({ guid: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/), materialsKeptWithTopic: [slides.id, link.id] });
    // The speaker still has them on their page.
    expect((await speakerMaterials(sdeps(), s.ana.token)).materials.map((m) => m.id)).toContain(slides.id);
    await removeMaterial(deps(), COMMITTEE, { editionId: s.editionId, id: notes.id });
    expect((await removeSlot(s.deps, COMMITTEE, ref, bof.id)).materialsHidden).toBe(0);
  });

  it('keeps a slot’s materials with its topic when the slot is given another topic', async () => {
    const ref = { series: s.series, year: s.year };
    // Bo's accepted topic takes over Ana's slot (the two talks swapped by editing the slots).
    const bos = await handle.db
      .insertInto('topics')
      .values({ edition_id: s.editionId, number: 7, title: 'Netfilter offloads', origin: 'proposal', state: 'accepted', proposer_id: s.bo.personId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await handle.db.insertInto('topic_presenters').values({ topic_id: bos.id, person_id: s.bo.personId, position: 0 }).execute();
    const talk = await addSlot(s.deps, COMMITTEE, ref, { date: '2027-07-15', start: '09:00', end: '09:30', kind: 'talk', topicId: s.topicId });
    const slides = await addSpeakerFile(sdeps(), s.ana.token, { slotId: talk.id, fileName: 'ana-xdp.pdf', bytes: MINIMAL_PDF });
    await updateSlot(s.deps, COMMITTEE, ref, talk.id, { date: '2027-07-15', start: '09:00', end: '09:30', kind: 'talk', topicId: bos.id });
    // Ana's slides stay with her topic: not shown under Bo's talk, and still on her page.
    expect(await handle.db.selectFrom('materials').select(['slot_id', 'topic_id']).where('id', '=', slides.id).executeTakeFirst()).toEqual({ slot_id: null, topic_id: s.topicId });
    const e = await loadEdition({ db: handle.db }, s.series, s.year);
    const shown = e.agenda.flatMap((d) => d.slots).find((x) => x.title === 'Netfilter offloads');
    expect(shown?.materials.map((m) => m.label)).toEqual([]);
    expect((await speakerMaterials(sdeps(), s.ana.token)).materials.map((m) => m.id)).toContain(slides.id);
    const [entry] = await listAudit({ db: handle.db }, { editionId: s.editionId, action: 'schedule.slot.edit' });
    expect(entry!.after).toMatchObject({ materialsKeptWithTopic: [slides.id] });
    await removeMaterial(deps(), COMMITTEE, { editionId: s.editionId, id: slides.id });
    await removeSlot(s.deps, COMMITTEE, ref, talk.id);
  });
});

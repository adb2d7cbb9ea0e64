/**
 * `conclave materials` run in-process against an embedded database in a fresh data directory:
 * add a file and a link (--json), refuse HTML named .pdf and a file over CONCLAVE_MAX_UPLOAD_MB
 * with a message and exit code 1 and nothing written, notes with an author, the group photo,
 * list and remove (a removed file leaves the disk).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { program, run } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config.js';
import { openDb } from '../../src/db/connect.js';
import { withStandardInput } from '../support/cli-in-process.js';
import { copyDataDir } from '../support/db.js';
import { ACCEPTED_TEXT, MATERIAL_TYPES } from '../../src/domain/files/material-types.js';
import { MINIMAL_PDF } from './materials-samples.js';
import { MATERIAL_KINDS } from '../../src/domain/program/materials.js';

describe('conclave materials', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-materials-cli-'));
  const dataDir = copyDataDir(path.join(dir, 'data'));
  const saved = { ...process.env };
  let slotId = 0;

  /** Runs `conclave …` and returns its exit code and what it printed. */
  async function conclave(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
    try {
      const code = await run(['node', 'conclave', ...args]);
      return { code, stdout: out.join('\n'), stderr: err.join('\n') };
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  }
  const write = (name: string, bytes: Buffer | string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, bytes);
    return p;
  };
  const filesOnDisk = () => {
    const f = path.join(dataDir, 'files');
    return fs.existsSync(f) ? (fs.readdirSync(f, { recursive: true }) as string[]).filter((x) => fs.statSync(path.join(f, x)).isFile()).length : 0;
  };
  const listed = async () => JSON.parse((await conclave('materials', 'list', '2027', '--json')).stdout) as { id: number; kind: string; label: string; fileName: string | null; url: string | null; target: string }[];

  beforeAll(async () => {
    for (const k of ['BASE_URL', 'DATABASE_URL', 'CONCLAVE_MAX_UPLOAD_MB']) delete process.env[k];
    process.env.CONCLAVE_DATA = dataDir;
    expect((await conclave('edition', 'create', '2027', '--series', 'Netconf', '--json')).code).toBe(0);
    // A talk with a speaker: the schedule commands are someone else's; write the rows directly.
    const handle = await openDb(loadConfig());
    try {
      const e = await handle.db.selectFrom('editions').select('id').where('year', '=', 2027).executeTakeFirstOrThrow();
      const person = await handle.db.insertInto('people').values({ slug: 'ana-speaker', name: 'Ana Speaker', name_key: 'ana speaker' }).returning('id').executeTakeFirstOrThrow();
      const day = await handle.db.insertInto('agenda_days').values({ edition_id: e.id, date: '2027-07-14', label: 'Wednesday', position: 0 }).returning('id').executeTakeFirstOrThrow();
      const slot = await handle.db.insertInto('slots').values({ day_id: day.id, start_time: '10:00', kind: 'talk', title: 'Qdiscs', position: 0 }).returning('id').executeTakeFirstOrThrow();
      await handle.db.insertInto('slot_speakers').values({ slot_id: slot.id, person_id: person.id, name_as_listed: 'Ana Speaker', position: 0 }).execute();
      slotId = slot.id;
    } finally {
      await handle.close();
    }
  });
  afterAll(() => {
    process.env = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('adds a file for a slot and a link, printing JSON', async () => {
    const r = await conclave('materials', 'add', '2027', '--file', write('talk.pdf', MINIMAL_PDF), '--slot', String(slotId), '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ slot_id: slotId, kind: 'slides', format: 'pdf', file_name: 'talk.pdf', label: 'Slides', uploaded_by: expect.stringMatching(/^cli:/) });
    const l = await conclave('materials', 'add', '2027', '--url', 'https://example.org/summary', '--label', 'Summary', '--kind', 'other', '--json');
    expect(l.code, l.stderr).toBe(0);
    expect(JSON.parse(l.stdout)).toMatchObject({ url: 'https://example.org/summary', label: 'Summary', kind: 'other', slot_id: null });
    expect((await listed()).map((m) => [m.label, m.fileName ?? m.url, m.target])).toEqual([
      ['Slides', 'talk.pdf', '2027-07-14 10:00: Qdiscs'],
      ['Summary', 'https://example.org/summary', 'the edition'],
    ]);
  });

  it('refuses HTML named .pdf and a file over the limit with exit code 1, writing nothing', async () => {
    const before = { rows: (await listed()).length, disk: filesOnDisk() };
    const html = await conclave('materials', 'add', '2027', '--file', write('fake.pdf', '<html><script>alert(1)</script></html>'));
    expect(html).toMatchObject({ code: 1, stderr: 'conclave: --file: fake.pdf is an HTML document, not a PDF' });
    process.env.CONCLAVE_MAX_UPLOAD_MB = '0.001';
    try {
      const big = await conclave('materials', 'add', '2027', '--file', write('big.pdf', Buffer.concat([MINIMAL_PDF, Buffer.alloc(2000, 0x20)])));
      expect(big.code).toBe(1);
      expect(big.stderr).toMatch(/^conclave: --file: big\.pdf is 2\.\d KB; the limit is 1 KB$/);
    } finally {
      delete process.env.CONCLAVE_MAX_UPLOAD_MB;
    }
    const both = await conclave('materials', 'add', '2027', '--url', 'https://example.org', '--file', write('x.pdf', MINIMAL_PDF));
    expect(both).toMatchObject({ code: 2, stderr: 'conclave: --file: give either --file or --url' });
    expect({ rows: (await listed()).length, disk: filesOnDisk() }).toEqual(before);
  });

  it('names --slot, the option given, for a slot the edition does not have, writing nothing', async () => {
    const before = { rows: (await listed()).length, disk: filesOnDisk() };
    const missing = slotId + 1000;
    const r = await conclave('materials', 'add', '2027', '--file', write('lost.pdf', MINIMAL_PDF), '--slot', String(missing));
    expect([r.code, r.stderr]).toEqual([1, `conclave: --slot: there is no slot ${missing} in this edition's agenda`]);
    const link = await conclave('materials', 'add', '2027', '--url', 'https://example.org/lost', '--slot', String(missing));
    expect([link.code, link.stderr]).toEqual([1, `conclave: --slot: there is no slot ${missing} in this edition's agenda`]);
    expect({ rows: (await listed()).length, disk: filesOnDisk() }).toEqual(before);
  });

  it('adds meeting notes by a person of the edition, and the group photo', async () => {
    const md = write('notes.md', '# Day 1\n\nWe talked about *qdiscs*.\n');
    expect((await conclave('materials', 'notes', '2027', '--file', md, '--author', 'Nobody Known')).stderr).toMatch(/^conclave: --author: nobody of .* is called "Nobody Known"/);
    const latin1 = write('latin1.md', Buffer.from('Caf\xe9 notes\n', 'latin1'));
    const refused = await conclave('materials', 'notes', '2027', '--file', latin1, '--author', 'ana-speaker');
    expect([refused.code, refused.stderr]).toEqual([1, `conclave: --file: ${latin1} is not UTF-8 text (byte 0xE9 at line 1, column 4); notes are Markdown in UTF-8 (from Latin-1: iconv -f latin1 -t utf-8 ${latin1})`]);
    const nulFile = write('nul.md', 'a\u0000b\n');
    const nul = await conclave('materials', 'notes', '2027', '--file', nulFile, '--author', 'ana-speaker');
    expect([nul.code, nul.stderr]).toEqual([1, `conclave: --file: ${nulFile}: must be text: it holds the control character U+0000 at line 1`]);
    const n = await conclave('materials', 'notes', '2027', '--file', md, '--author', 'ana-speaker', '--json');
    expect(n.code, n.stderr).toBe(0);
    expect(JSON.parse(n.stdout)).toMatchObject({ kind: 'notes', label: 'Meeting notes', body: '# Day 1\n\nWe talked about *qdiscs*.' });
    const png = await sharp({ create: { width: 900, height: 600, channels: 3, background: '#c64600' } }).png().toBuffer();
    const p = await conclave('materials', 'photo', '2027', '--file', write('group.png', png), '--credit', 'Pat', '--json');
    expect(p.code, p.stderr).toBe(0);
    expect(JSON.parse(p.stdout)).toMatchObject({ kind: 'group-photo', credit: 'Pat', file_name: 'group.png', thumb_sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const text = await conclave('materials', 'list', '2027');
    expect(text.stdout.split('\n')[0]).toMatch(/^ID\s+KIND\s+FOR\s+LABEL\s+FILE OR LINK$/);
    expect(text.stdout).toMatch(/group-photo\s+the edition\s+Group photo\s+group\.png/);
  });

  it('reads notes from standard input for --file -, and takes --author by address or #id', async () => {
    const handle = await openDb(loadConfig());
    try {
      const ana = await handle.db.selectFrom('people').select('id').where('slug', '=', 'ana-speaker').executeTakeFirstOrThrow();
      await handle.db.insertInto('person_emails').values({ person_id: ana.id, email: 'ana@example.org' }).execute();
    } finally {
      await handle.close();
    }
    const piped = await withStandardInput('# N2\n', () => conclave('materials', 'notes', '2027', '--file', '-', '--author', 'ANA@example.org', '--label', 'Piped', '--json'));
    expect(piped.code, piped.stderr).toBe(0);
    expect(JSON.parse(piped.stdout)).toMatchObject({ kind: 'notes', label: 'Piped', body: '# N2' });
    // An accepted invitee, by the address of the invitation and by its #id as invite list shows it.
    const added = await conclave('invite', 'add', '2027', 'bo@example.org', '--name', 'Bo Invitee', '--json');
    expect(added.code, added.stderr).toBe(0);
    const inv = (JSON.parse(added.stdout) as { id: number }).id;
    expect((await conclave('invite', 'override', String(inv), 'accepted', '--reason', 'test')).code).toBe(0);
    const md = write('bo.md', 'Bo wrote this.\n');
    for (const who of ['bo@example.org', `#${inv}`]) {
      const r = await conclave('materials', 'notes', '2027', '--file', md, '--author', who);
      expect([r.code, r.stderr]).toEqual([0, '']);
      expect(r.stdout).toMatch(/^added material \d+: Meeting notes by Bo Invitee$/);
    }
    const latin1 = await withStandardInput(Buffer.from('Caf\xe9\n', 'latin1'), () => conclave('materials', 'notes', '2027', '--file', '-', '--author', 'ana-speaker'));
    expect([latin1.code, latin1.stderr]).toEqual([1, 'conclave: --file: standard input is not UTF-8 text (byte 0xE9 at line 1, column 4); notes are Markdown in UTF-8 (from Latin-1: iconv -f latin1 -t utf-8)']);
  });

  it('takes --kind paper, the name its help gives, and whitepaper as before; lists it as paper', async () => {
    const root = await program(['node', 'conclave', 'materials']);
    const help = root.commands.find((c) => c.name() === 'materials')!.commands.find((c) => c.name() === 'add')!.helpInformation();
    expect(help.replace(/\s+/g, ' ')).toContain('(choices: "slides", "paper", "photo", "animation", "video", "other")');
    expect(help).not.toContain('whitepaper');
    const p = await conclave('materials', 'add', '2027', '--url', 'https://example.org/paper.pdf', '--kind', 'paper');
    expect([p.code, p.stderr]).toEqual([0, '']);
    expect(p.stdout).toMatch(/^added material \d+: Paper \(paper, https:\/\/example\.org\/paper\.pdf\)$/);
    const w = await conclave('materials', 'add', '2027', '--url', 'https://example.org/old.pdf', '--kind', 'whitepaper', '--label', 'Old', '--json');
    expect(w.code, w.stderr).toBe(0);
    // Stored as it always was: the JSON (the row) keeps the stored kind.
    expect(JSON.parse(w.stdout)).toMatchObject({ kind: 'whitepaper', label: 'Old' });
    const text = (await conclave('materials', 'list', '2027')).stdout;
    expect(text).toMatch(/\n\d+\s+paper\s+the edition\s+Paper\s+https:\/\/example\.org\/paper\.pdf/);
    expect(text).toMatch(/\n\d+\s+paper\s+the edition\s+Old\s+https:\/\/example\.org\/old\.pdf/);
    expect(text).not.toContain('whitepaper');
    // Any other kind is bad usage, before a database is opened (or made).
    const nowhere = path.join(dir, 'no-data');
    process.env.CONCLAVE_DATA = nowhere;
    try {
      const bad = await conclave('materials', 'add', '2027', '--url', 'https://example.org/x', '--kind', 'lecture');
      expect([bad.code, bad.stderr]).toEqual([2, 'conclave: --kind: must be one of slides, paper, photo, animation, video, other, not "lecture"']);
      expect(fs.existsSync(nowhere)).toBe(false);
    } finally {
      process.env.CONCLAVE_DATA = dataDir;
    }
    for (const m of (await listed()).filter((x) => x.kind === 'whitepaper')) expect((await conclave('materials', 'remove', '2027', String(m.id))).code).toBe(0);
  });

  it('lists in --file’s help, and README lists, every type the upload check accepts', async () => {
    const root = await program(['node', 'conclave', 'materials']);
    const help = root.commands.find((c) => c.name() === 'materials')!.commands.find((c) => c.name() === 'add')!.helpInformation().replace(/\s+/g, ' ');
    const readme = fs.readFileSync(path.join(import.meta.dirname, '../../README.md'), 'utf8').replace(/\s+/g, ' ');
    for (const t of MATERIAL_TYPES) {
      expect(help, t.mime).toContain(t.label);
      for (const ext of t.class === 'text' ? t.exts : []) expect(help, ext).toContain(`.${ext}`);
    }
    expect(help).toContain(`--file <path> a file to upload, at most CONCLAVE_MAX_UPLOAD_MB: ${ACCEPTED_TEXT}`);
    expect(readme).toContain(`--help\` list them): ${ACCEPTED_TEXT}. The type is judged`);
  });

  it('says in docs/edition-json.md every kind a material’s JSON gives, as stored', () => {
    const doc = fs.readFileSync(path.join(import.meta.dirname, '../../docs/edition-json.md'), 'utf8').replace(/\s+/g, ' ');
    expect(doc).toContain(`A material's \`kind\` is the kind as stored: ${MATERIAL_KINDS.map((k) => `\`"${k}"\``).join(', ').replace(/, ([^,]+)$/, ' or $1').replace('`"notes"`', '`"notes"` (meeting notes)')}.`);
  });

  it('removes a material by id', async () => {
    const summary = (await listed()).find((m) => m.label === 'Summary')!;
    const r = await conclave('materials', 'remove', '2027', String(summary.id));
    expect(r).toMatchObject({ code: 0, stdout: `removed material ${summary.id}: Summary` });
    expect((await listed()).some((m) => m.id === summary.id)).toBe(false);
    expect((await conclave('materials', 'remove', '2027', String(summary.id))).stderr).toBe(`conclave: no material ${summary.id} in this edition`);
    // A file nothing else refers to leaves the disk with it.
    const slides = (await listed()).find((m) => m.fileName === 'talk.pdf')!;
    const disk = filesOnDisk();
    expect((await conclave('materials', 'remove', '2027', String(slides.id))).code).toBe(0);
    expect(filesOnDisk()).toBe(disk - 1);
  });
});

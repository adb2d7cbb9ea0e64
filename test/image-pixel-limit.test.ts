/**
 * Uploaded images over MAX_IMAGE_PIXELS — a "decompression bomb", a PNG of 16000×16000 one colour
 * that is a few kilobytes — are refused at their field before sharp decodes them, on the web (a
 * sponsor's logo, the group photo) and by the command (`edition sponsor --logo`, `edition
 * update-part … --logo`, `materials photo`), with nothing written; a 50-megapixel photo still passes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from './support/cli-in-process.js';
import type { Db } from '../src/db/connect.js';
import { addCommitteeMember } from '../src/domain/committee/accounts.js';
import { createSigninLink } from '../src/domain/committee/signin.js';
import { MAX_IMAGE_PIXELS, photoThumbnail, readLogo } from '../src/domain/files/store.js';
import { buildApp } from '../src/web/app.js';
import { copyDataDir, testDatabases } from './support/db.js';
import { Client, csrfOf } from './support/http.js';
import { speakerEdition, type SpeakerEdition } from './program/materials-samples.js';

const mail = { baseUrl: 'http://conclave.test', from: 'Netconf committee <committee@conclave.test>' };

/**
 * A PNG of width×height black pixels, one bit each, written by hand: sharp would take seconds of
 * libvips to make one this size, zlib takes a moment (all-zero rows deflate to almost nothing).
 */
function blankPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(typed));
    return Buffer.concat([head, typed, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth; colour type 0 (greyscale), deflate, filter 0, no interlace
  // Each row: its filter byte (none), then width bits.
  const rows = Buffer.alloc(height * (1 + Math.ceil(width / 8)));
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

const BOMB = blankPng(16000, 16000);
const TOO_BIG = `is 16000×16000 pixels, more than conclave takes (${MAX_IMAGE_PIXELS / 1e6} megapixels at most)`;

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile());
}

describe('the pixel limit of uploaded images', () => {
  it('is a bomb of a few kilobytes, well over the limit and under sharp’s own', async () => {
    expect(BOMB.length).toBeLessThan(64 * 1024);
    expect(await sharp(BOMB).metadata()).toMatchObject({ format: 'png', width: 16000, height: 16000 });
    expect(16000 * 16000).toBeGreaterThan(MAX_IMAGE_PIXELS);
    expect(16000 * 16000).toBeLessThan(0x3fff ** 2);
  });

  it('refuses one pixel row over the limit, and takes a 50-megapixel photo', async () => {
    await expect(readLogo(blankPng(12000, 10001))).rejects.toThrow('logo: the logo is 12000×10001 pixels, more than conclave takes (120 megapixels at most)');
    await expect(photoThumbnail(blankPng(12000, 10001), 'file', 'over.png')).rejects.toThrow('file: over.png is 12000×10001 pixels');
    // A 50-megapixel camera's (8688×5792): its thumbnail is made.
    const thumb = await photoThumbnail(blankPng(8688, 5792), 'file', 'camera.png');
    expect(await sharp(thumb).metadata()).toMatchObject({ format: 'jpeg', width: 480 });
  });
});

describe.each(testDatabases())('an image over the pixel limit on the web on $name', ({ open }) => {
  let handle: Db;
  let app: FastifyInstance;
  let filesDir: string;
  let s: SpeakerEdition;

  beforeAll(async () => {
    handle = await open();
    filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-pixel-limit-'));
    s = await speakerEdition(handle.db);
    await addCommitteeMember({ db: handle.db }, { accountId: null, label: 'test' }, { email: 'chair@example.org', name: 'Pat Chair' });
    app = await buildApp({ db: handle.db, clock: () => new Date(), mail, filesDir, limits: { signin: 1000 } });
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  /** Posts `file` as the form field `name` from the page `page`, signed in. */
  async function upload(c: Client, page: string, action: string, fields: Record<string, string>, file: { name: string; filename: string; bytes: Buffer }) {
    const form = await c.get(page);
    expect(form.statusCode, form.body).toBe(200);
    const boundary = `----conclave${Math.random().toString(16).slice(2)}`;
    const parts: Buffer[] = [];
    for (const [k, v] of Object.entries({ _csrf: csrfOf(form.body), ...fields })) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: image/png\r\n\r\n`), file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`));
    const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return app.inject({ method: 'POST', url: action, headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: Buffer.concat(parts) });
  }

  async function signedIn(): Promise<Client> {
    const c = new Client(app);
    const link = await createSigninLink({ db: handle.db, clock: () => new Date(), mail }, { email: 'chair@example.org' });
    const p = new URL(link!.link).pathname;
    expect((await c.submit(p, p, {})).statusCode).toBe(303);
    return c;
  }

  const written = async () => ({
    files: (await handle.db.selectFrom('files').select('sha256').execute()).length,
    sponsors: (await handle.db.selectFrom('sponsors').select('id').where('edition_id', '=', s.editionId).execute()).length,
    materials: (await handle.db.selectFrom('materials').select('id').where('edition_id', '=', s.editionId).execute()).length,
    disk: filesUnder(filesDir).length,
  });

  it('refuses a sponsor’s logo and a group photo over it at their field, writing nothing', async () => {
    const c = await signedIn();
    const edition = `/admin/editions/${s.series}/${s.year}`;
    const before = await written();
    const logo = await upload(c, edition, `${edition}/sponsors`, { sponsorName: 'Bomb Corp', kind: 'company' }, { name: 'logo', filename: 'logo.png', bytes: BOMB });
    expect(logo.statusCode).toBe(400);
    expect(logo.body).toContain(`the logo ${TOO_BIG}`);
    const materials = `${edition}/materials`;
    const photo = await upload(c, materials, `${materials}/photo`, { credit: 'Pat' }, { name: 'file', filename: 'group.png', bytes: BOMB });
    expect(photo.statusCode).toBe(400);
    expect(photo.body).toContain(`group.png ${TOO_BIG}`);
    expect(await written()).toEqual(before);
  });
});

describe('an image over the pixel limit in the command', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-pixel-limit-cli-'));
  const dataDir = copyDataDir(path.join(dir, 'data'));
  const bomb = path.join(dir, 'bomb.png');
  const conclave = (...args: string[]) => runCommand(args, { CONCLAVE_DATA: dataDir });

  beforeAll(async () => {
    fs.writeFileSync(bomb, BOMB);
    expect((await conclave('edition', 'create', '2027', '--series', 'Netconf', '--json')).code).toBe(0);
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses it as a sponsor’s logo, a new logo and the group photo, writing nothing', async () => {
    const added = await conclave('edition', 'sponsor', '2027', '--name', 'Bomb Corp', '--logo', bomb);
    expect([added.code, added.stderr]).toEqual([1, `conclave: --logo: the logo ${TOO_BIG}: make it smaller and upload it again\n`]);
    const plain = await conclave('edition', 'sponsor', '2027', '--name', 'Plain Corp', '--json');
    expect(plain.code, plain.stderr).toBe(0);
    const id = String((JSON.parse(plain.stdout) as { id: number }).id);
    const changed = await conclave('edition', 'update-part', '2027', 'sponsor', id, '--logo', bomb);
    expect([changed.code, changed.stderr]).toEqual([1, `conclave: --logo: the logo ${TOO_BIG}: make it smaller and upload it again\n`]);
    const photo = await conclave('materials', 'photo', '2027', '--file', bomb);
    expect([photo.code, photo.stderr]).toEqual([1, `conclave: --file: bomb.png ${TOO_BIG}: make it smaller and upload it again\n`]);
    const parts = JSON.parse((await conclave('edition', 'parts', '2027', '--json')).stdout) as { sponsors: { name: string; logoThumb?: unknown }[] };
    expect(parts.sponsors.map((p) => p.name)).toEqual(['Plain Corp']);
    expect(JSON.parse((await conclave('materials', 'list', '2027', '--json')).stdout)).toEqual([]);
    expect(filesUnder(path.join(dataDir, 'files'))).toEqual([]);
  });
});

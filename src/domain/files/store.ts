/**
 * Files people upload (logos, slides, photos), stored by content hash under the data directory,
 * with the type sniffed from the content — never taken from the name or the browser (materials:
 * material-types.ts). The same bytes uploaded twice are stored once, and kept while anything
 * refers to them: a file no row names any more (its material or sponsor removed, a photo replaced)
 * loses its row in the same transaction, and so is no longer served, and its bytes after commit.
 *
 * The row is what makes a file public and what says it exists: a file on disk with no row is
 * harmless garbage, a row with no file is a broken download. So bytes are written before their row
 * and removed after it, and the writes that store, release or remove one hash take a lock on it
 * (lockFile), so that one storing bytes another is removing either finds them gone and writes them
 * again, or records them before they are looked at.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { InvalidInput, NotFound } from '../errors.js';
import { contentName, typeNames } from './material-types.js';

/** sharp (libvips, ~30 MB resident) is loaded on the first image, not by every process. */
const loadSharp = async () => (await import('sharp')).default;

/**
 * The most pixels an uploaded image (a logo, a group photo) may have: 120 megapixels. A PNG of
 * 16000×16000 one colour is under a megabyte, yet decoding it is 256 million pixels of work
 * (seconds of a core; more memory still where the whole image is needed, as to turn it
 * upright). sharp's own limit (0x3FFF², 268 megapixels) lets that through. 120 takes every real
 * photo: a phone's (12 to 50 megapixels), a full-frame camera's (to 61) and a 100-megapixel
 * medium-format one's (11648×8736, 101.8); a logo is far smaller still.
 */
export const MAX_IMAGE_PIXELS = 120_000_000;

/**
 * How sharp decodes an upload, said rather than left to its defaults: refuse more pixels than
 * MAX_IMAGE_PIXELS; refuse damaged pixel data, even what libvips would only warn about, rather
 * than make a thumbnail of half an image; read top to bottom, without holding the whole image.
 */
const DECODE = { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'warning', sequentialRead: true } as const;

/**
 * An uploaded image opened for decoding, once its size (read from its header alone, nothing
 * decoded) is known to be within MAX_IMAGE_PIXELS; refused with `what` and its size otherwise.
 */
async function openImage(bytes: Buffer, field: string, what: string) {
  const sharp = await loadSharp();
  let width: number, height: number;
  try {
    // Not held to the limit: sharp would refuse the header without saying the size.
    ({ width, height } = await sharp(bytes, { ...DECODE, limitInputPixels: false }).metadata());
  } catch (err) {
    throw new InvalidInput(field, `${what} could not be read as an image (${(err as Error).message})`);
  }
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new InvalidInput(field, `${what} is ${width}×${height} pixels, more than conclave takes (${MAX_IMAGE_PIXELS / 1e6} megapixels at most): make it smaller and upload it again`);
  }
  return sharp(bytes, DECODE);
}

export interface FileDeps {
  db: Kysely<Database> | Transaction<Database>;
  /** Where files live: <filesDir>/<first two hex>/<sha256>. */
  filesDir: string;
}

export interface StoredFile {
  sha256: string;
  mediaType: string;
  size: number;
}

export const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

/** The columns that name a stored file: while one of them does, the file is kept. */
const REFERENCES = [
  ['materials', 'file_sha256'],
  ['materials', 'thumb_sha256'],
  ['sponsors', 'logo_sha256'],
  ['sponsors', 'logo_thumb_sha256'],
] as const;

/** An arbitrary constant naming the files' locks ("files" in ASCII), the hash giving the second key. */
const FILE_LOCK = 0x66696c65;

/** The lock a backup holds shared while it reads the files, and a removal of bytes alone. */
const FILES_HELD = 0x66696c657368;

/**
 * Keeps every stored file's bytes on disk until the transaction ends: a backup reading the files
 * its snapshot records, some of whose rows may have gone since (removeUnrecorded waits for it).
 */
export async function holdFiles(trx: Transaction<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock_shared(${FILES_HELD})`.execute(trx);
}

/** Locks one hash until the transaction ends (see the head of this file). */
async function lockFile(db: Kysely<Database> | Transaction<Database>, sha256: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(${FILE_LOCK}, ${parseInt(sha256.slice(0, 8), 16) | 0})`.execute(db);
}

export function filePath(filesDir: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new NotFound('no such file');
  return path.join(filesDir, sha256.slice(0, 2), sha256);
}

/** What the bytes are, judged from the bytes. */
export async function sniffType(bytes: Uint8Array): Promise<string | null> {
  const { fileTypeFromBuffer } = await import('file-type');
  return (await fileTypeFromBuffer(bytes))?.mime ?? null;
}

/**
 * What `bytes` are, checked before anything is stored; `field` names the form field in errors.
 * Refuses empty files, files over `maxBytes` and types not in `allowed`.
 */
export async function checkFile(input: { bytes: Buffer; field: string; allowed: readonly string[]; maxBytes: number; what?: string }): Promise<string> {
  const what = input.what ?? 'file';
  if (input.bytes.length === 0) throw new InvalidInput(input.field, `the ${what} is empty`);
  if (input.bytes.length > input.maxBytes) {
    throw new InvalidInput(input.field, `the ${what} is ${(input.bytes.length / 1048576).toFixed(1)} MB; at most ${(input.maxBytes / 1048576).toFixed(0)} MB`);
  }
  const mediaType = await sniffType(input.bytes);
  if (!mediaType || !input.allowed.includes(mediaType)) {
    // Named as people know it: an SVG or an HTML page has no type file-type reads.
    throw new InvalidInput(input.field, `the ${what} is ${await contentName(input.bytes)}; it must be ${typeNames(input.allowed)}`);
  }
  return mediaType;
}

/**
 * Stores bytes of a type already judged (atomically: temp file, then rename) and records them.
 * `written` says whether this call created the file on disk, for cleanUp after a failed write.
 */
export async function storeBytes(deps: FileDeps, bytes: Buffer, mediaType: string): Promise<StoredFile & { written: boolean }> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const target = filePath(deps.filesDir, sha256);
  await lockFile(deps.db, sha256);
  await fs.mkdir(path.dirname(target), { recursive: true });
  let written = false;
  // Bytes already there are kept, unless they are not these (cut short or changed on disk): the
  // same file uploaded again then repairs them, as `conclave files check` advises.
  const there = await fs.readFile(target).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (!there?.equals(bytes)) {
    const tmp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await fs.writeFile(tmp, bytes);
    await fs.rename(tmp, target);
    written = true;
  }
  await deps.db
    .insertInto('files')
    .values({ sha256, media_type: mediaType, size: bytes.length })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
  return { sha256, mediaType, size: bytes.length, written };
}

/**
 * After a write that stored files and then failed (its transaction rolled back): removes from
 * disk each file this write created and no row records, so a refusal leaves nothing behind.
 */
export async function cleanUp(deps: { db: Kysely<Database>; filesDir: string }, files: (StoredFile & { written: boolean })[]): Promise<void> {
  await removeUnrecorded(deps, files.filter((f) => f.written).map((f) => f.sha256));
}

/**
 * In a write that dropped references to files (a material removed, a photo replaced): deletes the
 * row of each of `hashes` that nothing refers to any more, so that it is no longer served, and
 * returns those hashes, whose bytes are to be removed once the write has committed (withFiles).
 * A hash still named elsewhere (the same deck for two talks) keeps its row.
 */
export async function releaseFiles(trx: Transaction<Database>, hashes: (string | null)[]): Promise<string[]> {
  const released: string[] = [];
  // In order, so that two writes releasing the same hashes take their locks in the same order.
  for (const sha256 of [...new Set(hashes.filter((h): h is string => h !== null))].sort()) {
    await lockFile(trx, sha256);
    let referenced = false;
    for (const [table, column] of REFERENCES) {
      referenced ||= !!(await trx.selectFrom(table).select(column).where(column, '=', sha256).limit(1).executeTakeFirst());
    }
    if (referenced) continue;
    const r = await trx.deleteFrom('files').where('sha256', '=', sha256).executeTakeFirst();
    if (Number(r.numDeletedRows) > 0) released.push(sha256);
  }
  return released;
}

/**
 * Removes from disk each of `hashes` that no row records, each under its lock (see the head of
 * this file), and not while a backup reads the files (holdFiles). A file that cannot be removed
 * stays, unrecorded: garbage, but never served.
 */
export async function removeUnrecorded(deps: { db: Kysely<Database>; filesDir: string }, hashes: string[]): Promise<void> {
  for (const sha256 of hashes) {
    try {
      await deps.db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(${FILES_HELD})`.execute(trx);
        await lockFile(trx, sha256);
        const row = await trx.selectFrom('files').select('sha256').where('sha256', '=', sha256).executeTakeFirst();
        if (!row) await fs.rm(filePath(deps.filesDir, sha256), { force: true });
      });
    } catch {
      // The write this follows has its outcome already; the bytes left are not served.
    }
  }
}

/** A logo checked and its thumbnail made (at most 96 px high, PNG), before anything is stored. */
export interface LogoFiles {
  logo: { bytes: Buffer; mediaType: string };
  thumb: { bytes: Buffer; mediaType: string };
}

/**
 * Checks a logo and makes its thumbnail, storing nothing: done before the write's transaction,
 * so that libvips does not run while it holds its locks, and a refusal has nothing to undo.
 */
export async function readLogo(bytes: Buffer, field = 'logo'): Promise<LogoFiles> {
  const mediaType = await checkFile({ bytes, field, allowed: LOGO_TYPES, maxBytes: 5 * 1048576, what: 'logo' });
  const image = await openImage(bytes, field, 'the logo');
  let thumb: Buffer;
  try {
    thumb = await image.resize({ height: 96, withoutEnlargement: true }).png().toBuffer();
  } catch (err) {
    throw new InvalidInput(field, `the logo could not be read as an image (${(err as Error).message})`);
  }
  return { logo: { bytes, mediaType }, thumb: { bytes: thumb, mediaType: 'image/png' } };
}

/** A stored file's type and size, for serving it. */
export async function getFile(deps: { db: Kysely<Database> }, sha256: string): Promise<StoredFile> {
  const row = await deps.db.selectFrom('files').selectAll().where('sha256', '=', sha256).executeTakeFirst();
  if (!row) throw new NotFound('no such file');
  return { sha256: row.sha256, mediaType: row.media_type, size: row.size };
}

/** The names a stored file was uploaded under (by the materials holding it), oldest first. */
export async function fileNames(deps: { db: Kysely<Database> }, sha256: string): Promise<string[]> {
  const rows = await deps.db
    .selectFrom('materials')
    .select('file_name')
    .where('file_sha256', '=', sha256)
    .where('file_name', 'is not', null)
    .groupBy('file_name')
    .orderBy((eb) => eb.fn.min('id'))
    .execute();
  return rows.map((r) => r.file_name!);
}

/** The upload limit when the configuration says nothing (CONCLAVE_MAX_UPLOAD_MB). */
export const DEFAULT_MAX_UPLOAD_BYTES = 50 * 1048576;

/**
 * A photo's thumbnail: 480 px wide at most, turned upright, as JPEG. `what` names the photo in
 * errors (its file name).
 */
export async function photoThumbnail(bytes: Buffer, field = 'file', what = 'the photo'): Promise<Buffer> {
  const image = await openImage(bytes, field, what);
  try {
    return await image.rotate().resize({ width: 480, withoutEnlargement: true }).jpeg({ quality: 82 }).toBuffer();
  } catch (err) {
    throw new InvalidInput(field, `${what} could not be read as an image (${(err as Error).message})`);
  }
}

/**
 * Runs a write that stores or releases files in one transaction. If it fails (and so rolls back),
 * each file it put on disk that no row records is removed again, so a refusal leaves nothing
 * behind; if it commits, so are the bytes of the files it released (releaseFiles), no longer served.
 */
export async function withFiles<T>(
  deps: { db: Kysely<Database>; filesDir: string },
  run: (
    trx: Transaction<Database>,
    store: (bytes: Buffer, mediaType: string) => Promise<StoredFile>,
    release: (hashes: (string | null)[]) => Promise<void>,
  ) => Promise<T>,
): Promise<T> {
  const stored: (StoredFile & { written: boolean })[] = [];
  const released: string[] = [];
  let result: T;
  try {
    result = await deps.db.transaction().execute((trx) =>
      run(
        trx,
        async (bytes, mediaType) => {
          const f = await storeBytes({ db: trx, filesDir: deps.filesDir }, bytes, mediaType);
          stored.push(f);
          return f;
        },
        async (hashes) => {
          released.push(...(await releaseFiles(trx, hashes)));
        },
      ),
    );
  } catch (err) {
    await cleanUp(deps, stored);
    throw err;
  }
  await removeUnrecorded(deps, released);
  return result;
}

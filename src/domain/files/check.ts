/**
 * The uploaded files on disk against the rows that record them (`conclave files check` and
 * `conclave files prune`). A row whose bytes are gone or changed is a broken download, and a
 * backup that cannot be written: the check names what uses it, so that it can be uploaded again.
 * Bytes no row records (a file removed before migration 023, a write that died between its bytes
 * and its row) are neither served nor backed up: prune removes them, under the same locks as any
 * removal (store.ts), so that it never takes the bytes of an upload under way.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { readInChunks } from '../../db/chunks.js';
import type { Database } from '../../db/schema.js';
import { filePath, removeUnrecorded } from './store.js';

export interface FileDamage {
  sha256: string;
  /** The size the row records. */
  size: number;
  /** What is wrong: "missing", or how the bytes differ. */
  problem: string;
  /** What shows it: "Netconf 2027: material “XDP slides” (#12)". */
  usedBy: string[];
}

export interface LooseFile {
  /** The path under the files directory ("3f/3f2a…", "3f/3f2a….123.tmp"). */
  name: string;
  size: number;
  modified: Date;
}

export interface FilesReport {
  filesDir: string;
  recorded: number;
  recordedBytes: number;
  /** Whether each recorded file's content was hashed, not only its size compared. */
  contentChecked: boolean;
  /** Recorded files whose bytes are missing or not what the row says. */
  damaged: FileDamage[];
  /** Stored bytes no row records: prune removes them. */
  unrecorded: LooseFile[];
  /** Half-written copies left by a write that died: prune removes those older than an hour. */
  partial: LooseFile[];
  /** Anything else in the directory, which conclave did not write and leaves alone. */
  other: string[];
}

/** A partial copy younger than this may belong to a write under way. */
export const PARTIAL_AGE_MS = 60 * 60 * 1000;

const HASH = /^[0-9a-f]{64}$/;
/** The temporary names of a store (store.ts) and of a restore (ops/backup.ts), renamed when whole. */
const PARTIAL = /^[0-9a-f]{64}\.(\d+\.[0-9a-f]{8}\.tmp|restore-\d+)$/;

async function entries(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** What is on disk under `filesDir`, sorted: stored bytes by hash, partial copies, the rest. */
async function onDisk(filesDir: string): Promise<{ stored: Map<string, LooseFile>; partial: LooseFile[]; other: string[] }> {
  const stored = new Map<string, LooseFile>();
  const partial: LooseFile[] = [];
  const other: string[] = [];
  for (const sub of await entries(filesDir)) {
    const dir = path.join(filesDir, sub);
    const st = await fs.lstat(dir);
    if (!st.isDirectory() || !/^[0-9a-f]{2}$/.test(sub)) {
      other.push(sub);
      continue;
    }
    for (const name of await entries(dir)) {
      const f = await fs.lstat(path.join(dir, name));
      const loose = { name: `${sub}/${name}`, size: f.size, modified: f.mtime };
      if (f.isFile() && HASH.test(name) && name.startsWith(sub)) stored.set(name, loose);
      else if (f.isFile() && PARTIAL.test(name) && name.startsWith(sub)) partial.push(loose);
      else other.push(loose.name);
    }
  }
  return { stored, partial, other };
}

async function hashOf(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** For each hash, what shows it: the materials and sponsor logos that name it, with their edition. */
async function usesOf(db: Kysely<Database>, hashes: string[]): Promise<Map<string, string[]>> {
  const uses = new Map<string, string[]>(hashes.map((h) => [h, []]));
  if (!hashes.length) return uses;
  // Every file of a lost files directory is damaged: tens of thousands, each bound twice, go as
  // statements that fit (listChunks), read back in the one order.
  const materials = await readInChunks(
    hashes,
    (run) =>
      db
        .selectFrom('materials')
        .innerJoin('editions', 'editions.id', 'materials.edition_id')
        .select(['materials.id', 'materials.label', 'materials.file_name', 'materials.file_sha256', 'materials.thumb_sha256', 'editions.title'])
        .where((eb) => eb.or([eb('materials.file_sha256', 'in', run), eb('materials.thumb_sha256', 'in', run)]))
        .execute(),
    2,
  );
  // A material whose file and thumbnail fall in two runs comes twice: once is its use.
  for (const m of uniqueById(materials)) {
    const what = `${m.title}: material “${m.label || m.file_name || ''}” (#${m.id})`;
    if (m.file_sha256 && uses.has(m.file_sha256)) uses.get(m.file_sha256)!.push(what);
    if (m.thumb_sha256 && uses.has(m.thumb_sha256)) uses.get(m.thumb_sha256)!.push(`${what}, its thumbnail`);
  }
  const sponsors = await readInChunks(
    hashes,
    (run) =>
      db
        .selectFrom('sponsors')
        .innerJoin('editions', 'editions.id', 'sponsors.edition_id')
        .select(['sponsors.id', 'sponsors.name', 'sponsors.logo_sha256', 'sponsors.logo_thumb_sha256', 'editions.title'])
        .where((eb) => eb.or([eb('sponsors.logo_sha256', 'in', run), eb('sponsors.logo_thumb_sha256', 'in', run)]))
        .execute(),
    2,
  );
  for (const s of uniqueById(sponsors)) {
    const what = `${s.title}: the logo of sponsor “${s.name}” (#${s.id})`;
    if (s.logo_sha256 && uses.has(s.logo_sha256)) uses.get(s.logo_sha256)!.push(what);
    if (s.logo_thumb_sha256 && uses.has(s.logo_thumb_sha256)) uses.get(s.logo_thumb_sha256)!.push(`${what}, its thumbnail`);
  }
  return uses;
}

/** Rows by id, each once, in the order of their ids. */
function uniqueById<T extends { id: number }>(rows: T[]): T[] {
  return [...new Map(rows.map((r) => [r.id, r])).values()].sort((a, b) => a.id - b.id);
}

/**
 * Compares the files directory with the `files` table: each recorded file present with the size
 * recorded (with `content`, also the hash its name says), and what is on disk that no row records.
 * Reads only.
 */
export async function checkFiles(deps: { db: Kysely<Database>; filesDir: string }, opts: { content?: boolean } = {}): Promise<FilesReport> {
  const found = await compare(deps, opts);
  const uses = await usesOf(deps.db, found.damaged.map((d) => d.sha256));
  return { ...found, damaged: found.damaged.map((d) => ({ ...d, usedBy: uses.get(d.sha256) ?? [] })) };
}

/** checkFiles without what uses each damaged file (prune needs only the loose ones). */
async function compare(deps: { db: Kysely<Database>; filesDir: string }, opts: { content?: boolean }): Promise<Omit<FilesReport, 'damaged'> & { damaged: Omit<FileDamage, 'usedBy'>[] }> {
  const rows = await deps.db.selectFrom('files').select(['sha256', 'size']).orderBy('sha256').execute();
  const disk = await onDisk(deps.filesDir);
  const damaged: Omit<FileDamage, 'usedBy'>[] = [];
  let recordedBytes = 0;
  for (const row of rows) {
    recordedBytes += row.size;
    const found = disk.stored.get(row.sha256);
    disk.stored.delete(row.sha256);
    if (!found) damaged.push({ sha256: row.sha256, size: row.size, problem: `missing (${row.size} bytes recorded)` });
    else if (found.size !== row.size) damaged.push({ sha256: row.sha256, size: row.size, problem: `${found.size} bytes on disk, ${row.size} recorded` });
    else if (opts.content && (await hashOf(filePath(deps.filesDir, row.sha256))) !== row.sha256) damaged.push({ sha256: row.sha256, size: row.size, problem: 'its content does not match its hash' });
  }
  return {
    filesDir: deps.filesDir,
    recorded: rows.length,
    recordedBytes,
    contentChecked: !!opts.content,
    damaged,
    unrecorded: [...disk.stored.values()],
    partial: disk.partial,
    other: disk.other,
  };
}

export interface PruneResult {
  /** What was removed (with `dryRun`, what would be). */
  removed: LooseFile[];
  bytes: number;
  /** Partial copies kept for now: younger than an hour, perhaps a write under way. */
  young: LooseFile[];
  /** Unrecorded bytes still there: recorded meanwhile (an upload of the same file), or not removable. */
  left: LooseFile[];
  dryRun: boolean;
}

/**
 * Removes the stored bytes no row records, each under its lock and only if still unrecorded then
 * (an upload of the same bytes under way records them first), and the partial copies older than
 * PARTIAL_AGE_MS. Never touches a recorded file, nor anything conclave did not write.
 */
export async function pruneFiles(deps: { db: Kysely<Database>; filesDir: string; clock?: () => Date }, opts: { dryRun?: boolean } = {}): Promise<PruneResult> {
  const report = await compare(deps, {});
  const now = (deps.clock ?? (() => new Date()))().getTime();
  const old = report.partial.filter((p) => now - p.modified.getTime() >= PARTIAL_AGE_MS);
  const young = report.partial.filter((p) => !old.includes(p));
  if (opts.dryRun) {
    const removed = [...report.unrecorded, ...old];
    return { removed, bytes: removed.reduce((n, f) => n + f.size, 0), young, left: [], dryRun: true };
  }
  await removeUnrecorded(deps, report.unrecorded.map((f) => path.basename(f.name)));
  const removed: LooseFile[] = [];
  const left: LooseFile[] = [];
  for (const f of report.unrecorded) (await exists(path.join(deps.filesDir, f.name)) ? left : removed).push(f);
  for (const f of old) {
    await fs.rm(path.join(deps.filesDir, f.name), { force: true });
    removed.push(f);
  }
  return { removed, bytes: removed.reduce((n, f) => n + f.size, 0), young, left, dryRun: false };
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

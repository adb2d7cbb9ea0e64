/**
 * Writes the exported files into the output directory, touching only what changed: a file whose
 * bytes are already on disk is left alone; a changed one is written to a temporary name and
 * renamed over (a reader never sees half a file); a file of the previous export that this one
 * does not produce is removed. The list of files written is kept in MANIFEST, which is also what
 * lets the export recognise a directory as its own: it refuses to scatter files into a directory
 * that holds other things.
 *
 * "Already on disk" is told without reading the file back: MANIFEST records each file's SHA-256
 * and size, and is written last; a file of that size not modified since MANIFEST was written
 * holds the bytes of that hash. A file modified since (or a manifest without hashes) is compared
 * byte for byte.
 */
import { createHash } from 'node:crypto';
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { InvalidInput } from '../domain/errors.js';

export const MANIFEST = '.conclave-export.json';

/** What a file held when this export wrote it (or found it unchanged). */
interface Recorded {
  sha256: string;
  size: number;
}

interface Manifest {
  generator: 'conclave export';
  files: string[];
  /** Per file (absent in manifests of older exports). */
  recorded?: Record<string, Recorded>;
}

export interface TreeCounts {
  written: number;
  /** The files written (new or changed), '/'-separated, relative to the output directory. */
  changed: string[];
  unchanged: number;
  removed: number;
}

async function readManifest(outDir: string): Promise<Manifest | null> {
  try {
    const m = JSON.parse(await fs.readFile(path.join(outDir, MANIFEST), 'utf8')) as Partial<Manifest>;
    return m.generator === 'conclave export' && Array.isArray(m.files) ? (m as Manifest) : null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

async function atomicWrite(file: string, bytes: Uint8Array, made: Set<string>): Promise<void> {
  const dir = path.dirname(file);
  if (!made.has(dir)) {
    await fs.mkdir(dir, { recursive: true });
    made.add(dir);
  }
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await fs.writeFile(tmp, bytes);
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

/**
 * atomicWrite, blocking: for a worker thread, where a blocking call costs the main thread nothing
 * (a file is put by one thread only, so temporary names cannot meet).
 */
function atomicWriteSync(file: string, bytes: Uint8Array, made: Set<string>): void {
  const dir = path.dirname(file);
  if (!made.has(dir)) {
    fsSync.mkdirSync(dir, { recursive: true });
    made.add(dir);
  }
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fsSync.writeFileSync(tmp, bytes);
    fsSync.renameSync(tmp, file);
  } catch (err) {
    fsSync.rmSync(tmp, { force: true });
    throw err;
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Whether `file` holds `bytes` (of hash `hash`): by what the previous export recorded of it when
 * the file is not modified since (`since`: when that export's manifest was written), else by
 * reading it.
 */
async function sameBytes(file: string, bytes: Uint8Array, hash: string, recorded: Recorded | undefined, since: number): Promise<boolean> {
  try {
    const st = await fs.stat(file);
    if (!st.isFile() || st.size !== bytes.byteLength) return false;
    if (recorded && recorded.size === st.size && st.mtimeMs <= since) return recorded.sha256 === hash;
    return Buffer.from(bytes).equals(await fs.readFile(file));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** sameBytes, blocking. */
function sameBytesSync(file: string, bytes: Uint8Array, hash: string, recorded: Recorded | undefined, since: number): boolean {
  const st = fsSync.statSync(file, { throwIfNoEntry: false });
  if (!st || !st.isFile() || st.size !== bytes.byteLength) return false;
  if (recorded && recorded.size === st.size && st.mtimeMs <= since) return recorded.sha256 === hash;
  return Buffer.from(bytes).equals(fsSync.readFileSync(file));
}

/**
 * What a TreeWriter of a worker thread needs of the one that opened the directory, and what it
 * hands back: the files it put, as plain data that crosses between threads.
 */
export interface TreeShare {
  outDir: string;
  previousRecorded: Record<string, Recorded>;
  previousAt: number;
}
export interface TreePart {
  recorded: [string, Recorded][];
  written: number;
  changed: string[];
  unchanged: number;
}

export class TreeWriter {
  readonly counts: TreeCounts = { written: 0, changed: [], unchanged: 0, removed: 0 };
  private readonly files = new Set<string>();
  /** Files worker threads reported writing, before their parts are adopted. */
  private readonly elsewhere = new Set<string>();
  private readonly recorded = new Map<string, Recorded>();
  /** Directories known to exist (made or found by this export). */
  private readonly made = new Set<string>();
  private previous: string[] = [];
  private previousRecorded: Record<string, Recorded> = {};
  /** When the previous export's manifest was written (its modification time). */
  private previousAt = 0;
  /** Whether the directory was new or empty when this export opened it. */
  private fresh = false;

  private constructor(readonly outDir: string) {}

  /** Opens `outDir` for an export: new, empty, or holding a previous export (else InvalidInput). */
  static async open(outDir: string): Promise<TreeWriter> {
    const dir = path.resolve(outDir);
    const w = new TreeWriter(dir);
    let entries: string[];
    try {
      entries = await fs.readdir(dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        await fs.mkdir(dir, { recursive: true });
        w.fresh = true;
        return w;
      }
      if (code === 'ENOTDIR') throw new InvalidInput('out', `${outDir} is a file, not a directory`);
      throw err;
    }
    const manifest = await readManifest(dir);
    if (!manifest && entries.length > 0) {
      throw new InvalidInput('out', `${outDir} is not empty and holds no previous export (no ${MANIFEST}): choose a new or empty directory`);
    }
    w.fresh = entries.length === 0;
    w.previous = manifest?.files ?? [];
    if (manifest?.recorded && typeof manifest.recorded === 'object') {
      w.previousRecorded = manifest.recorded;
      w.previousAt = (await fs.stat(path.join(dir, MANIFEST))).mtimeMs;
    }
    return w;
  }

  /** Where a file of the tree lies on disk; refuses any name that would leave the directory. */
  private where(file: string): string {
    const full = path.resolve(this.outDir, file);
    if (file === MANIFEST || !full.startsWith(this.outDir + path.sep)) throw new Error(`refusing to write ${JSON.stringify(file)} outside the export`);
    return full;
  }

  /** What a writer in another thread needs to write into this tree (see part and adopt). */
  share(): TreeShare {
    return { outDir: this.outDir, previousRecorded: this.previousRecorded, previousAt: this.previousAt };
  }

  /** A writer for a worker thread, writing files of the tree that `share` describes. */
  static forPart(share: TreeShare): TreeWriter {
    const w = new TreeWriter(share.outDir);
    w.previousRecorded = share.previousRecorded;
    w.previousAt = share.previousAt;
    return w;
  }

  /** The files this writer put, for the writer that opened the tree (adopt). */
  part(): TreePart {
    return { recorded: [...this.recorded], written: this.counts.written, changed: this.counts.changed, unchanged: this.counts.unchanged };
  }

  /** Takes over what a worker thread's writer put into this tree, as if put here. */
  adopt(part: TreePart): void {
    for (const [file, rec] of part.recorded) {
      this.where(file);
      if (this.files.has(file)) throw new Error(`${file} was written twice`);
      this.files.add(file);
      this.recorded.set(file, rec);
    }
    this.counts.written += part.written;
    this.counts.unchanged += part.unchanged;
    this.counts.changed.push(...part.changed);
  }

  /** Records a file about to be put: where it lies, the hash of its bytes, what the previous export recorded of it. */
  private begin(file: string, bytes: Uint8Array): { full: string; hash: string; before: Recorded | undefined } {
    const full = this.where(file);
    this.files.add(file);
    const hash = sha256(bytes);
    const before = Object.hasOwn(this.previousRecorded, file) ? this.previousRecorded[file] : undefined;
    this.recorded.set(file, { sha256: hash, size: bytes.byteLength });
    return { full, hash, before };
  }

  private count(file: string, what: 'written' | 'unchanged'): 'written' | 'unchanged' {
    if (what === 'unchanged') this.counts.unchanged++;
    else {
      this.counts.written++;
      this.counts.changed.push(file);
    }
    return what;
  }

  /** Writes one file of the tree unless the same bytes are already there. */
  async put(file: string, bytes: Uint8Array): Promise<'written' | 'unchanged'> {
    const { full, hash, before } = this.begin(file, bytes);
    if (await sameBytes(full, bytes, hash, before, this.previousAt)) return this.count(file, 'unchanged');
    await atomicWrite(full, bytes, this.made);
    return this.count(file, 'written');
  }

  /** put, blocking: for a worker thread. */
  putSync(file: string, bytes: Uint8Array): 'written' | 'unchanged' {
    const { full, hash, before } = this.begin(file, bytes);
    if (sameBytesSync(full, bytes, hash, before, this.previousAt)) return this.count(file, 'unchanged');
    atomicWriteSync(full, bytes, this.made);
    return this.count(file, 'written');
  }

  /**
   * After a failed export: a directory that was new or empty is emptied again, so that nothing
   * half done is left for a static host to serve, nor to make the next export refuse the
   * directory. One that held a previous export keeps it, its manifest untouched, less the files
   * this export added: the files it replaced are whole (each renamed into place), and the next
   * export puts right whatever differs from what it should hold.
   */
  async abandon(): Promise<void> {
    if (this.fresh) {
      for (const entry of await fs.readdir(this.outDir)) await fs.rm(path.join(this.outDir, entry), { recursive: true, force: true });
      return;
    }
    // The files this export added go again: no manifest lists them, so no later export would
    // remove them once their page is gone (a deleted edition, a person's renamed page).
    const before = new Set(this.previous);
    for (const file of [...this.files, ...this.elsewhere]) {
      if (before.has(file)) continue;
      let full: string;
      try {
        full = this.where(file);
      } catch {
        continue;
      }
      await fs.rm(full, { force: true });
      await this.removeEmptyDirs(full);
    }
  }

  /** Records a file a worker thread reported writing (its part may never come back when the export fails). */
  wroteElsewhere(file: string): void {
    this.elsewhere.add(file);
  }

  /** Removes the directories above `full` that are left empty (a removed edition's folder). */
  private async removeEmptyDirs(full: string): Promise<void> {
    for (let dir = path.dirname(full); dir.startsWith(this.outDir + path.sep); dir = path.dirname(dir)) {
      try {
        await fs.rmdir(dir);
      } catch {
        break;
      }
    }
  }

  /** Removes what the previous export wrote and this one did not, then records this one. */
  async finish(): Promise<TreeCounts> {
    for (const file of this.previous) {
      if (this.files.has(file)) continue;
      let full: string;
      try {
        full = this.where(file);
      } catch {
        continue;
      }
      try {
        await fs.unlink(full);
        this.counts.removed++;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      // Directories left empty go too (a removed edition's folder).
      await this.removeEmptyDirs(full);
    }
    const files = [...this.files].sort();
    const manifest: Manifest = { generator: 'conclave export', files, recorded: Object.fromEntries(files.flatMap((f) => (this.recorded.has(f) ? [[f, this.recorded.get(f)!]] : []))) };
    const full = path.join(this.outDir, MANIFEST);
    const tmp = `${full}.${process.pid}.tmp`;
    await fs.writeFile(tmp, `${JSON.stringify(manifest, null, 1)}\n`);
    await fs.rename(tmp, full);
    this.counts.changed.sort();
    return this.counts;
  }
}

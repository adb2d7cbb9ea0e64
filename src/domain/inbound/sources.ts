/**
 * Where messages come from besides SMTP: one message on a stream (standard input, from
 * .forward, procmail or an MTA pipe), an mbox file (messages separated by "From " lines, with
 * ">From " unescaped as mboxrd writes it), or a maildir (the files of new/ and cur/, by name).
 * A message is read up to the size limit and only counted past it, so that an oversize one is
 * kept in part and never held whole in memory.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { OVERSIZE_KEEP_BYTES } from './deps.js';

/** One message as read: its bytes (only the start of an oversize one) and its full size. */
export interface ReadMessage {
  bytes: Buffer;
  size: number;
  oversize: boolean;
}

/** Gathers bytes up to `max`; past it, keeps only the first OVERSIZE_KEEP_BYTES and counts. */
class Gather {
  private parts: Buffer[] = [];
  private kept = 0;
  size = 0;
  constructor(private readonly max: number) {}
  push(chunk: Buffer): void {
    this.size += chunk.length;
    const room = (this.size > this.max ? OVERSIZE_KEEP_BYTES : this.max) - this.kept;
    if (room <= 0) return;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.parts.push(part);
    this.kept += part.length;
  }
  done(): ReadMessage {
    const oversize = this.size > this.max;
    const all = Buffer.concat(this.parts);
    return { bytes: oversize ? all.subarray(0, OVERSIZE_KEEP_BYTES) : all, size: this.size, oversize };
  }
}

/** Reads one whole message from a stream (standard input). */
export async function readMessage(stream: Readable, max: number): Promise<ReadMessage> {
  const g = new Gather(max);
  for await (const chunk of stream) g.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return g.done();
}

/** The lines of a file as bytes, each with its "\n", read in chunks. */
async function* lines(file: string): AsyncGenerator<Buffer> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    let buf: Buffer = rest.length ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
      yield buf.subarray(start, nl + 1);
      start = nl + 1;
    }
    rest = Buffer.from(buf.subarray(start));
    buf = rest;
  }
  if (rest.length) yield rest;
}

const FROM_ = Buffer.from('From ');

/** The messages of an mbox file, in order. */
export async function* readMbox(file: string, max: number): AsyncGenerator<ReadMessage> {
  let g: Gather | null = null;
  let previousBlank = true;
  for await (const line of lines(file)) {
    const isSeparator = line.subarray(0, 5).equals(FROM_) && previousBlank;
    if (isSeparator) {
      if (g && g.size > 0) yield trimTail(g.done());
      g = new Gather(max);
    } else if (g) {
      // mboxrd: ">From ", ">>From " … lose one ">".
      g.push(/^>+From /.test(line.subarray(0, 64).toString('latin1')) ? line.subarray(1) : line);
    }
    previousBlank = line.length <= 2 && (line.toString('latin1') === '\n' || line.toString('latin1') === '\r\n');
  }
  if (g && g.size > 0) yield trimTail(g.done());
}

/** The blank line an mbox puts before the next "From " belongs to no message. */
function trimTail(m: ReadMessage): ReadMessage {
  if (m.oversize) return m;
  const b = m.bytes;
  const cut = b.subarray(-4).toString('latin1') === '\r\n\r\n' ? 2 : b.subarray(-2).toString('latin1') === '\n\n' ? 1 : 0;
  return cut ? { bytes: b.subarray(0, b.length - cut), size: m.size - cut, oversize: false } : m;
}

/** The message files of a maildir: new/ then cur/ (or the directory itself), by name. */
export async function maildirFiles(dir: string): Promise<string[]> {
  const subdirs = ['new', 'cur'].map((d) => path.join(dir, d)).filter((d) => fs.existsSync(d));
  const out: string[] = [];
  for (const d of subdirs.length ? subdirs : [dir]) {
    const names = (await fsp.readdir(d, { withFileTypes: true })).filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => e.name).sort();
    out.push(...names.map((n) => path.join(d, n)));
  }
  return out;
}

/** The messages of a maildir, with the file each came from. */
export async function* readMaildir(dir: string, max: number): AsyncGenerator<ReadMessage & { file: string }> {
  for (const file of await maildirFiles(dir)) {
    const m = await readMessage(fs.createReadStream(file), max);
    yield { ...m, file };
  }
}

import type { Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileProblem, InvalidInput } from '../domain/errors.js';
import { sizeText } from '../domain/files/material-types.js';

/** A file named on the command line, to be read: its stat, or an InvalidInput on `flag` saying why not. */
export async function readableFile(file: string, flag: string): Promise<Stats> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (err) {
    throw new InvalidInput(flag, `cannot read ${file}: ${fileProblem(err)}`);
  }
  if (!stat.isFile()) throw new InvalidInput(flag, `${file} is not a file`);
  return stat;
}

/** Reads a file named on the command line, refusing it before reading when it is over the limit. */
export async function readUpload(file: string, maxBytes: number, flag = '--file'): Promise<{ bytes: Buffer; fileName: string }> {
  const stat = await readableFile(file, flag);
  const fileName = path.basename(file);
  if (stat.size > maxBytes) throw new InvalidInput(flag, `${fileName} is ${sizeText(stat.size)}; the limit is ${sizeText(maxBytes)}`);
  try {
    return { bytes: await fs.readFile(file), fileName };
  } catch (err) {
    // Found but not readable (its permissions): said as a file that is not there is.
    throw new InvalidInput(flag, `cannot read ${file}: ${fileProblem(err)}`);
  }
}

/**
 * The bytes of a file option that reads text (`--body-file`, `--abstract-file`, `materials notes
 * --file`, `invite add --file`): the file named, or standard input for "-", as every such option
 * takes it; refused on `flag` when it cannot be read or is over `maxBytes`.
 */
export async function readTextInput(file: string, flag: string, maxBytes = Infinity): Promise<Buffer> {
  if (file !== '-') return (await readUpload(file, maxBytes, flag)).bytes;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of process.stdin) {
      const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      size += b.length;
      if (size > maxBytes) throw new InvalidInput(flag, `standard input is over the limit of ${sizeText(maxBytes)}`);
      chunks.push(b);
    }
  } catch (err) {
    if (err instanceof InvalidInput) throw err;
    throw new InvalidInput(flag, `cannot read standard input: ${fileProblem(err)}`);
  }
  return Buffer.concat(chunks);
}

/** readTextInput as UTF-8 text. */
export async function readText(file: string, flag: string): Promise<string> {
  return (await readTextInput(file, flag)).toString('utf8');
}

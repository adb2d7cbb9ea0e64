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
  return { bytes: await fs.readFile(file), fileName };
}

import fs from 'node:fs/promises';
import path from 'node:path';
import { fileProblem, InvalidInput } from '../domain/errors.js';
import { sizeText } from '../domain/files/material-types.js';

/** Reads a file named on the command line, refusing it before reading when it is over the limit. */
export async function readUpload(file: string, maxBytes: number, flag = '--file'): Promise<{ bytes: Buffer; fileName: string }> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (err) {
    throw new InvalidInput(flag, `cannot read ${file}: ${fileProblem(err)}`);
  }
  if (!stat.isFile()) throw new InvalidInput(flag, `${file} is not a file`);
  const fileName = path.basename(file);
  if (stat.size > maxBytes) throw new InvalidInput(flag, `${fileName} is ${sizeText(stat.size)}; the limit is ${sizeText(maxBytes)}`);
  return { bytes: await fs.readFile(file), fileName };
}

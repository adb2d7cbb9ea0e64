/**
 * Files that ship with conclave (the web's static folder, the Netconf archive) are found from the
 * package's root, the nearest folder above this module holding package.json: the same from the
 * sources (src/, run through tsx), the compiled modules (dist/) and the bundle (dist/bundle/),
 * which sit at different depths.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function packageRoot(): string {
  if (root !== undefined) return root;
  const start = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return (root = dir);
    if (path.dirname(dir) === dir) throw new Error(`conclave: no package.json above ${start}`);
  }
}

/** A path inside the package, from its root: `packagePath('archive', 'netconf')`. */
export function packagePath(...parts: string[]): string {
  return path.join(packageRoot(), ...parts);
}

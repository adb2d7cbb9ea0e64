#!/usr/bin/env node
// The one executable. The TypeScript sources are compiled to dist/ by `npm install` (prepare).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  console.error('conclave: dist/ is missing; run `npm install` (or `npm run build`) in the project first.');
  process.exit(1);
}
const { run } = await import(main.href);
process.exitCode = await run(process.argv);
// A worker of `serve --workers` that failed to start would be kept alive by its channel to the
// primary, which waits for it to exit (and letting go of the channel would exit 0).
if (process.exitCode !== 0 && process.connected) process.exit(process.exitCode);

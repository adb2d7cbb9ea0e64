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

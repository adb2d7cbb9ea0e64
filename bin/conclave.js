#!/usr/bin/env node
// The one executable. `npm install` (prepare) compiles the TypeScript sources to dist/ and bundles
// them into dist/bundle/ (scripts/bundle.js), which loads far fewer files: a command starts
// ~100 ms sooner. The bundle runs when it is at least as new as the compiled modules, so that a
// `tsc` run alone, which leaves it stale, falls back to them; CONCLAVE_BUNDLE=0 asks for them.
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
const bundled = new URL('../dist/bundle/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(compiled))) {
  console.error('conclave: dist/ is missing; run `npm install` (or `npm run build`) in the project first.');
  process.exit(1);
}

function bundleIsFresh() {
  if (process.env.CONCLAVE_BUNDLE === '0') return false;
  try {
    return statSync(bundled).mtimeMs >= statSync(compiled).mtimeMs;
  } catch {
    return false;
  }
}

const { run } = await import((bundleIsFresh() ? bundled : compiled).href);
process.exitCode = await run(process.argv);
// A worker of `serve --workers` that failed to start would be kept alive by its channel to the
// primary, which waits for it to exit (and letting go of the channel would exit 0).
if (process.exitCode !== 0 && process.connected) process.exit(process.exitCode);

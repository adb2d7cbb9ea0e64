#!/usr/bin/env node
// The one executable. `npm install` (prepare) compiles the TypeScript sources to dist/ and bundles
// them into dist/bundle/ (scripts/bundle.js), which loads far fewer files: a command starts
// ~100 ms sooner. The bundle runs when it is at least as new as the compiled modules, so that a
// `tsc` run alone, which leaves it stale, falls back to them; CONCLAVE_BUNDLE=0 asks for them.
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';

// The embedded database is PostgreSQL compiled to WebAssembly (~10 MB). V8 compiles it at once
// with its baseline compiler (Liftoff), then recompiles the functions it finds hot with TurboFan:
// for a command that lasts a second or two that second compilation costs more than it saves
// (~0.3 s of CPU and ~85 MB resident, docs/benchmarks.md, "Embedded database"). The server, which
// runs for days, keeps it. Set before anything compiles WebAssembly.
if (process.argv[2] !== 'serve') v8.setFlagsFromString('--liftoff-only');

// `conclave … | head`: when the reader of the output goes away, stop quietly, as a Unix tool
// does (Node ignores SIGPIPE, and an unhandled EPIPE printed a stack trace).
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

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

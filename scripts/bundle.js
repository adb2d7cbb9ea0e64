#!/usr/bin/env node
/**
 * Bundles the compiled program (dist/, from tsc) into dist/bundle/ with esbuild, so that a
 * command loads a handful of files instead of ~900 modules: `conclave --version` and a warm
 * `conclave candidates` spend most of their time loading kysely, zod and our own modules
 * (docs/benchmarks.md, "Contribution miner"). bin/conclave.js runs the bundle when it is at
 * least as new as dist/cli/main.js, and the compiled modules otherwise.
 *
 * Code splitting keeps each command's part in its own chunk, loaded only when that command
 * runs. All outputs sit in one folder, so a module finding a file next to itself
 * (`new URL('./render-worker.js', import.meta.url)`) finds it there too; files of the package
 * (the static folder, the shipped archive) are found from the package root (src/paths.ts).
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// Left to node_modules: native code (sharp), files loaded at run time by path (PGlite's
// WebAssembly and data, pino's transports started as worker threads) and pg's optional native
// binding (never installed).
const external = ['@electric-sql/pglite', '@electric-sql/pglite/*', 'sharp', 'pino', 'pino-pretty', 'thread-stream', 'pg-native'];

/** Bundles the compiled program in `compiled` (tsc's output for src/) into `outdir`, emptied first. */
export async function bundle(compiled, outdir) {
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: { cli: path.join(compiled, 'cli/main.js'), 'render-worker': path.join(compiled, 'export/render-worker.js') },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external,
    chunkNames: '[name]-[hash]',
    sourcemap: true,
    logLevel: 'warning',
    // CommonJS packages inside an ES module bundle call `require` for Node's own modules and for
    // the packages left outside; an ES module has none, so each output file makes its own.
    banner: { js: "import { createRequire as __conclaveRequire } from 'node:module'; const require = __conclaveRequire(import.meta.url);" },
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = path.resolve(import.meta.dirname, '..');
  await bundle(path.join(root, 'dist'), path.join(root, 'dist/bundle'));
}

import os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // A guard against a test that hangs, not a measure of speed (docs/benchmarks.md measures
    // that): a test that runs the executable on new embedded databases takes 15-30 s alone and
    // passed 60 s on a machine loaded by other work beside the suite.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default (one file fewer than the cores) runs one file at a time on two cores, yet
    // the tests spend much of their time waiting on PostgreSQL, child processes and Chromium.
    maxWorkers: Math.max(2, os.availableParallelism()),
    // As bin/conclave.js runs every command but serve: no TurboFan recompiling PGlite's
    // WebAssembly in the background of each worker, which the other worker's tests wait for.
    execArgv: ['--liftoff-only'],
    // Each worker imports the app once for all the files it runs rather than once per file: that
    // importing was a fifth of the run (docs/benchmarks.md, "The test suite"). So no test file may
    // leave state behind at module level, and one that replaces a module does it with vi.doMock
    // after vi.resetModules(), undoing both after (test/export/export-failure.test.ts).
    isolate: false,
  },
});

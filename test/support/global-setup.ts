/**
 * Says once, loudly, what this run cannot test, and refuses to go on in CI when it matters:
 * .ci/run sets TEST_DATABASE_URL and REQUIRE_BROWSER=1 so that nothing skips silently there.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromiumPath } from './browser.js';

/**
 * Tests that run the `conclave` executable run what users run: bin/conclave.js → the bundle in
 * dist/bundle/ (scripts/bundle.js) when it is fresh, else the compiled modules in dist/.
 * `npm test` builds both before vitest starts; a run of vitest alone builds them here, once, so
 * that no test file has to (several building at once would write dist/ under each other's feet).
 */
function buildOnce(): void {
  if (process.env.npm_lifecycle_event === 'test') return;
  const root = path.resolve(import.meta.dirname, '../..');
  const steps = [
    [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'],
    [path.join(root, 'scripts/bundle.js')],
  ];
  for (const args of steps) {
    const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${path.basename(args[0]!)} failed; the executable's tests cannot run:\n${r.stdout}${r.stderr}`);
  }
}

export default function setup(): void {
  buildOnce();
  const ci = !!process.env.CI;
  if (!process.env.TEST_DATABASE_URL) {
    const msg = 'PostgreSQL: TEST_DATABASE_URL is not set; database tests run on embedded PGlite only.';
    if (ci) throw new Error(`CI: ${msg}`);
    console.warn(`\n!!! ${msg}\n`);
  }
  if (!fs.existsSync(chromiumPath())) {
    const msg = `Chromium: ${chromiumPath()} not found; browser tests are skipped (apt-get install chromium).`;
    if (process.env.REQUIRE_BROWSER === '1') throw new Error(`REQUIRE_BROWSER=1: ${msg}`);
    console.warn(`\n!!! ${msg}\n`);
  }
}

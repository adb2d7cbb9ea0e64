/**
 * Says once, loudly, what this run cannot test, and refuses to go on in CI when it matters:
 * .ci/run sets TEST_DATABASE_URL and REQUIRE_BROWSER=1 so that nothing skips silently there.
 */
import fs from 'node:fs';
import { chromiumPath } from './browser.js';

export default function setup(): void {
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

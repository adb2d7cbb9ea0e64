/**
 * `conclave edition show` says what the web page says of the event an edition is held with: its
 * name, dates and place, not the name alone.
 */
import { describe, expect, it } from 'vitest';
import { runCommand as conclave } from './support/cli-in-process.js';
import { freshDataDir } from './support/db.js';

describe('edition show', () => {
  it('prints the co-located event with its dates and place', async () => {
    const env = { CONCLAVE_DATA: freshDataDir('conclave-colocated-') };
    const made = await conclave(
      ['edition', 'create', '2027', '--series', 'Netconf', '--start', '2027-03-13', '--end', '2027-03-14', '--time-zone', 'Europe/Zagreb',
        '--colocated', 'Netdev 0x1B', '--colocated-start', '2027-03-10', '--colocated-end', '2027-03-12', '--colocated-place', 'Zagreb'],
      env,
    );
    expect([made.code, made.stderr]).toEqual([0, '']);
    const shown = await conclave(['edition', 'show', '2027'], env);
    expect(shown.stdout.split('\n').filter((l) => l.startsWith('co-located:'))).toEqual(['co-located: Netdev 0x1B, March 10–12, 2027, Zagreb']);
    // The name alone, when that is all there is.
    expect((await conclave(['edition', 'update', '2027', '--colocated-start', '', '--colocated-end', '', '--colocated-place', ''], env)).code).toBe(0);
    expect((await conclave(['edition', 'show', '2027'], env)).stdout).toContain('\nco-located: Netdev 0x1B\n');
    expect((await conclave(['edition', 'update', '2027', '--colocated', ''], env)).code).toBe(0);
    expect((await conclave(['edition', 'show', '2027'], env)).stdout).toContain('\nco-located: -\n');
  }, 120_000);
});

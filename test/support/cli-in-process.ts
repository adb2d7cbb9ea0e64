/**
 * Running a `conclave` command inside the test's process (src/cli/main.ts `run`), for tests
 * about what a command does rather than the executable: what it prints to the console, and what
 * commander writes to stderr itself (an option's value not among its choices), by line. The
 * environment a command reads (the data directory, the database, the site's address) is only
 * `env`, restored after.
 */
import { vi } from 'vitest';
import { run } from '../../src/cli/main.js';

const KEYS = ['BASE_URL', 'DATABASE_URL', 'CONCLAVE_DATA', 'MAIL_RSVP_ADDRESS'];

export async function runInProcess(args: string[], env: Record<string, string>): Promise<{ code: number; out: string[]; err: string[] }> {
  const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
  for (const k of KEYS) delete process.env[k];
  Object.assign(process.env, env);
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  const write = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (err.push(String(s).replace(/\n$/, '')), true));
  try {
    const code = await run(['node', 'conclave', ...args]);
    process.exitCode = undefined;
    return { code, out, err };
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
    for (const k of KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}

/**
 * Running a `conclave` command inside the test's process (src/cli/main.ts `run`), for tests
 * about what a command does rather than the executable: what it prints to the console, and what
 * commander writes to stderr itself (an option's value not among its choices), by line. The
 * environment a command reads (the data directory, the database, the site's address and name) is only
 * `env`, restored after.
 */
import { Readable } from 'node:stream';
import { vi } from 'vitest';
import { run } from '../../src/cli/main.js';

const KEYS = ['BASE_URL', 'DATABASE_URL', 'CONCLAVE_DATA', 'MAIL_RSVP_ADDRESS', 'SITE_NAME', 'PORT', 'HOST'];

export async function runInProcess(args: string[], env: Record<string, string>): Promise<{ code: number; out: string[]; err: string[] }> {
  const r = await captured(args, env);
  return { code: r.code, out: r.out, err: r.err };
}

/**
 * `runInProcess` with what the command printed as the executable's standard output and error
 * would hold it (`process.stdout.write` too: `mail inbound --raw`, a CSV), for tests written
 * against `runConclave`'s answer (test/cli.test.ts): the same shape, without a Node process and
 * the bundle's loading for each command.
 */
export async function runCommand(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await captured(args, env);
  return { code: r.code, stdout: r.stdout, stderr: r.err.map((l) => `${l}\n`).join('') };
}

async function captured(args: string[], env: Record<string, string>): Promise<{ code: number; out: string[]; err: string[]; stdout: string }> {
  const keys = [...new Set([...KEYS, ...Object.keys(env)])];
  const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
  for (const k of KEYS) delete process.env[k];
  Object.assign(process.env, env);
  const out: string[] = [];
  const err: string[] = [];
  let stdout = '';
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    const line = a.join(' ');
    out.push(line);
    stdout += `${line}\n`;
  });
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  const write = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (err.push(String(s).replace(/\n$/, '')), true));
  const writeOut = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((stdout += typeof s === 'string' ? s : Buffer.from(s).toString('utf8')), true));
  try {
    const code = await run(['node', 'conclave', ...args]);
    process.exitCode = undefined;
    return { code, out, err, stdout };
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
    writeOut.mockRestore();
    for (const k of keys) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}

/**
 * `runInProcess` for the walkers of every command (a malformed value, a year, options that do not
 * go together): what they check is said before anything runs, so a command is milliseconds here
 * where the executable costs a Node start and its bundle (a fifth of a second each, hundreds of
 * commands). Standard error as the executable would write it; a command that has not ended within
 * `ms` (one that went on to serve, or to wait on its input) is reported as such.
 */
export async function runBeforeDatabase(args: string[], env: Record<string, string>, ms = 30_000): Promise<{ code: number | null; stderr: string }> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  try {
    const r = await Promise.race([runInProcess(args, env), hung]);
    if (r === null) return { code: null, stderr: `did not end within ${ms} ms` };
    return { code: r.code, stderr: r.err.map((l) => `${l}\n`).join('') };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs `fn` with `text` as the process's standard input, as `printf … | conclave …` gives it to a
 * command that reads "-" (read-upload.ts readTextInput); the real one is put back after.
 */
export async function withStandardInput<T>(text: string | Buffer, fn: () => Promise<T>): Promise<T> {
  const real = Object.getOwnPropertyDescriptor(process, 'stdin')!;
  Object.defineProperty(process, 'stdin', { configurable: true, value: Readable.from([Buffer.from(text)]) });
  try {
    return await fn();
  } finally {
    Object.defineProperty(process, 'stdin', real);
  }
}

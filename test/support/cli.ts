/**
 * Running the `conclave` executable as a person does: bin/conclave.js (the bundle, built by
 * `npm test` or global-setup.ts), in the project's folder, with the environment their shell
 * would give.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const projectRoot = path.resolve(import.meta.dirname, '../..');
export const conclaveBin = path.join(projectRoot, 'bin/conclave.js');

/** The environment a person's shell would give: without what vitest adds (it sets BASE_URL=/). */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of ['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'DATABASE_URL']) delete env[k];
  return { ...env, ...extra };
}

/** Runs `conclave ARGS` to its end; `input` goes to its standard input. */
export function runConclave(args: string[], env: Record<string, string> = {}, input?: string | Buffer) {
  const r = spawnSync(process.execPath, [conclaveBin, ...args], { cwd: projectRoot, env: cleanEnv(env), input, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A `conclave serve` the test started: where to open it, what it printed so far, how it ended. */
export interface Served {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * Starts `conclave serve ARGS` as a person's shell would (cleanEnv), on 127.0.0.1 and a port of
 * its own with warnings only unless `env` says otherwise; resolves once it prints where to open
 * it. `started` is given the process at once, for the test to stop it whatever happens.
 * `detached`: in a process group of its own, for a signal to the whole group.
 */
export function serveUntilOpen(env: Record<string, string>, args: string[], opts: { started: (child: ChildProcess) => void; detached?: boolean }): Promise<Served> {
  const child = spawn(process.execPath, [conclaveBin, 'serve', ...args], {
    cwd: projectRoot,
    env: cleanEnv({ HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env }),
    detached: !!opts.detached,
  });
  opts.started(child);
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 90_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /conclave: open (http:\/\/\S+?)\/?\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, output: () => out, exited });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
  });
}

/**
 * Running the `conclave` executable as a person does: bin/conclave.js (the bundle, built by
 * `npm test` or global-setup.ts), in the project's folder, with the environment their shell
 * would give.
 */
import { spawnSync } from 'node:child_process';
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

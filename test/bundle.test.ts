/**
 * What `conclave` runs: bin/conclave.js runs the bundle (scripts/bundle.js, dist/bundle/) when it
 * is at least as new as the compiled modules in dist/, and those otherwise, so that a stale bundle
 * is never run; CONCLAVE_BUNDLE=0 asks for the compiled modules. The tests of the executable run
 * through bin/conclave.js, so they test the bundle: the last test checks that it is the fresh one.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const made: string[] = [];
afterAll(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A package with the real bin/conclave.js and a dist/ and bundle that say which one ran. */
function fakePackage(): { dir: string; compiled: string; bundled: string; run: (env?: Record<string, string>) => ReturnType<typeof spawnSync> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-bin-'));
  made.push(dir);
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.copyFileSync(path.join(root, 'bin/conclave.js'), path.join(dir, 'bin/conclave.js'));
  fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}\n');
  const entry = (name: string) => `export async function run(argv) { console.log(${JSON.stringify(name)}, argv.slice(2).join(' ')); return 0; }\n`;
  const compiled = path.join(dir, 'dist/cli/main.js');
  const bundled = path.join(dir, 'dist/bundle/cli.js');
  fs.mkdirSync(path.dirname(compiled), { recursive: true });
  fs.mkdirSync(path.dirname(bundled), { recursive: true });
  fs.writeFileSync(compiled, entry('compiled'));
  fs.writeFileSync(bundled, entry('bundled'));
  const run = (env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [path.join(dir, 'bin/conclave.js'), 'edition', 'list'], { env: { ...process.env, CONCLAVE_BUNDLE: '', ...env }, encoding: 'utf8' });
  return { dir, compiled, bundled, run };
}

const setTime = (file: string, seconds: number) => fs.utimesSync(file, seconds, seconds);

describe('bin/conclave.js', () => {
  it('runs the bundle when it is as new as the compiled modules or newer', () => {
    const p = fakePackage();
    setTime(p.compiled, 1_000_000);
    setTime(p.bundled, 1_000_000);
    expect(p.run().stdout).toBe('bundled edition list\n');
    setTime(p.bundled, 1_000_100);
    expect(p.run().stdout).toBe('bundled edition list\n');
  });

  it('runs the compiled modules when the bundle is older, missing, or not wanted', () => {
    const p = fakePackage();
    setTime(p.compiled, 1_000_100);
    setTime(p.bundled, 1_000_000);
    expect(p.run().stdout).toBe('compiled edition list\n');
    setTime(p.bundled, 1_000_200);
    expect(p.run({ CONCLAVE_BUNDLE: '0' }).stdout).toBe('compiled edition list\n');
    fs.rmSync(path.dirname(p.bundled), { recursive: true });
    expect(p.run().stdout).toBe('compiled edition list\n');
  });

  it('says what to do when nothing is built', () => {
    const p = fakePackage();
    fs.rmSync(path.join(p.dir, 'dist'), { recursive: true });
    const r = p.run();
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('conclave: dist/ is missing; run `npm install` (or `npm run build`) in the project first.\n');
  });

  it('finds a fresh bundle in this tree, so the tests of the executable run it', () => {
    const bundled = fs.statSync(path.join(root, 'dist/bundle/cli.js'));
    const compiled = fs.statSync(path.join(root, 'dist/cli/main.js'));
    expect(bundled.mtimeMs).toBeGreaterThanOrEqual(compiled.mtimeMs);
    expect(fs.existsSync(path.join(root, 'dist/bundle/render-worker.js'))).toBe(true);
  });
});

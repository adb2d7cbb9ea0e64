/**
 * A command run under `/usr/bin/time -v`, as the benchmarks measure one: wall time, CPU time with
 * its children, and the peak resident set of the largest process of its tree.
 */
import { spawnSync } from 'node:child_process';

export interface Timed {
  wall: number;
  cpu: number;
  rssMB: number;
  out: string;
}

/** Runs `cmd` in `cwd` with `env` added to this process's environment; a failure throws with its stderr. */
export function timed(cmd: string[], opts: { cwd: string; env?: Record<string, string | undefined> }): Timed {
  const r = spawnSync('/usr/bin/time', ['-v', ...cmd], { cwd: opts.cwd, env: { ...process.env, ...opts.env }, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed (${r.status}): ${r.stderr}`);
  const wall = /Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr)!;
  const user = Number(/User time \(seconds\): ([\d.]+)/.exec(r.stderr)![1]);
  const sys = Number(/System time \(seconds\): ([\d.]+)/.exec(r.stderr)![1]);
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)![1]) / 1024;
  return { wall: Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]), cpu: user + sys, rssMB: Math.round(rss), out: r.stdout };
}

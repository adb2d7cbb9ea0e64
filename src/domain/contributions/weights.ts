/**
 * The score: each credit weighs by its kind, and by its age — a credit's weight halves every
 * `halfLifeYears` (the commit's commit date against "now"). With --lines, each authored commit
 * adds `lines × log2(1 + lines added + removed)`, so size counts but one huge commit does not
 * swamp a steady stream of small ones.
 *
 * The defaults say what the committee looks for: handling others' patches as a maintainer
 * (Signed-off-by on someone else's commit) and reviewing weigh twice a commit of one's own;
 * acks a little more than a commit; tests and co-development like a commit; reports and
 * suggestions half. A JSON file given with --weights overrides any of these keys.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { fileProblem, InvalidInput } from '../errors.js';
import { parseInput } from '../validate.js';
import type { Role } from './roles.js';

export type Weights = Record<Role, number> & { lines: number; halfLifeYears: number };

export const DEFAULT_WEIGHTS: Readonly<Weights> = {
  authored: 1,
  signedOff: 2,
  reviewed: 2,
  acked: 1.5,
  tested: 1,
  reported: 0.5,
  suggested: 0.5,
  coDeveloped: 1,
  lines: 0.25,
  halfLifeYears: 2,
};

const weight = z.number().min(0, 'must be 0 or more').max(1000, 'must be at most 1000');

export const WeightsFile = z.strictObject({
  authored: weight.optional(),
  signedOff: weight.optional(),
  reviewed: weight.optional(),
  acked: weight.optional(),
  tested: weight.optional(),
  reported: weight.optional(),
  suggested: weight.optional(),
  coDeveloped: weight.optional(),
  lines: weight.optional(),
  halfLifeYears: z.number().min(0.1, 'must be at least 0.1').max(1000, 'must be at most 1000').optional(),
});

/** The defaults overridden by `input` (the parsed content of a weights file). */
export function parseWeights(input: unknown): Weights {
  const w = parseInput(WeightsFile, input);
  const out: Weights = { ...DEFAULT_WEIGHTS };
  for (const [k, v] of Object.entries(w)) if (v !== undefined) out[k as keyof Weights] = v;
  return out;
}

/** Reads a weights file: JSON, checked; a wrong key or value names itself. */
export function readWeightsFile(file: string): Weights {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new InvalidInput('weights', `cannot read ${file}: ${fileProblem(err)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InvalidInput('weights', `${file} is not JSON: ${(err as Error).message}`);
  }
  try {
    return parseWeights(json);
  } catch (err) {
    if (err instanceof InvalidInput) throw new InvalidInput('weights', `${file}: ${err.message}`);
    throw err;
  }
}

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
import { editDistance } from '../people/names.js';
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

/**
 * The key meant by one that is not known: the same letters in other case or with the trailer's
 * spelling ("signed-off-by", "Reviewed-by"), else one a slip away ("reviewd").
 */
function meant(key: string): string | undefined {
  const plain = (k: string) => k.toLowerCase().replace(/[^a-z]/g, '').replace(/by$/, '');
  const keys = Object.keys(DEFAULT_WEIGHTS);
  return keys.find((k) => plain(k) === plain(key)) ?? keys.find((k) => editDistance(plain(k), plain(key)) <= 2);
}

/** The defaults overridden by `input` (the parsed content of a weights file). */
export function parseWeights(input: unknown): Weights {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    const what = input === null ? 'null' : Array.isArray(input) ? 'a list' : `a ${typeof input}`;
    throw new InvalidInput('weights', `must be a JSON object of weights, such as {"signedOff": 3}, not ${what}`);
  }
  const unknown = Object.keys(input).filter((k) => !Object.hasOwn(DEFAULT_WEIGHTS, k));
  if (unknown.length) {
    const named = unknown.map((k) => {
      const m = meant(k);
      return m ? `${JSON.stringify(k)} (did you mean ${JSON.stringify(m)}?)` : JSON.stringify(k);
    });
    throw new InvalidInput('weights', `${named.join(', ')} ${unknown.length === 1 ? 'is not a weight' : 'are not weights'}; the weights are ${Object.keys(DEFAULT_WEIGHTS).join(', ')}`);
  }
  const w = parseInput(WeightsFile, input);
  const out: Weights = { ...DEFAULT_WEIGHTS };
  for (const [k, v] of Object.entries(w)) if (v !== undefined) out[k as keyof Weights] = v;
  return out;
}

/** Reads a weights file: JSON (after a UTF-8 byte order mark, if any), checked; a wrong key or value names itself. */
export function readWeightsFile(file: string): Weights {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new InvalidInput('weights', `cannot read ${file}: ${fileProblem(err)}`);
  }
  let json: unknown;
  try {
    // A byte order mark, which some editors write at the start of a UTF-8 file, is not JSON.
    json = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (err) {
    throw new InvalidInput('weights', `${file} is not JSON: ${(err as Error).message}`);
  }
  try {
    return parseWeights(json);
  } catch (err) {
    if (err instanceof InvalidInput) throw new InvalidInput('weights', `${file}: ${err.field === 'weights' ? err.why : err.message}`);
    throw err;
  }
}

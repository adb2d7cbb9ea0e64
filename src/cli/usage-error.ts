/**
 * Options given together that do not go together, or one that needs another: bad usage, exit
 * code 2 (as commander's own errors), printed as an input error naming the option. A module of
 * its own, light, as main.ts loads it for every command.
 */
import { InvalidInput } from '../domain/errors.js';

export class UsageError extends InvalidInput {
  override name = 'UsageError';
}

/**
 * A whole-number option as typed ("--limit 20"), checked before anything runs: anything else
 * ("abc", "1.5", "-3", past the bounds) is bad usage naming the option and the value, never a
 * NaN reaching the database.
 */
export function wholeNumberOption(value: string, flag: string, min: number, max: number, orElse = ''): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || n < min || n > max) throw new UsageError(flag, `must be a whole number from ${min} to ${max}${orElse}, not ${JSON.stringify(value)}`);
  return n;
}

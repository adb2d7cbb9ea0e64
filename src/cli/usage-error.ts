/**
 * Options given together that do not go together, or one that needs another: bad usage, exit
 * code 2 (as commander's own errors), printed as an input error naming the option. A module of
 * its own, light, as main.ts loads it for every command.
 */
import { InvalidInput } from '../domain/errors.js';

export class UsageError extends InvalidInput {
  override name = 'UsageError';
}

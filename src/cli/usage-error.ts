/**
 * Options given together that do not go together, or one that needs another: bad usage, exit
 * code 2 (as commander's own errors), printed as an input error naming the option. A module of
 * its own, light, as main.ts loads it for every command.
 */
import type { z } from 'zod';
import { InvalidInput } from '../domain/errors.js';
import { isoDate } from '../domain/invitations/deps.js';

export class UsageError extends InvalidInput {
  override name = 'UsageError';
}

/**
 * A whole-number option as typed ("--limit 20"), checked before anything runs: anything else
 * ("abc", "1.5", "-3", past the bounds) is bad usage naming the option and the value, never a
 * NaN reaching the database. A number is the option's default, given as one so that its help
 * says "(default: 50)" rather than the quoted "(default: \"50\")" of a string.
 */
export function wholeNumberOption(value: string | number, flag: string, min: number, max: number, orElse = ''): number {
  const typed = String(value);
  const n = Number(typed);
  if (!/^\s*\d+\s*$/.test(typed) || n < min || n > max) throw new UsageError(flag, `must be a whole number from ${min} to ${max}${orElse}, not ${JSON.stringify(typed)}`);
  return n;
}

/**
 * wholeNumberOption as commander's parser of the option `flag`: checked as the command line is
 * read, before any database is opened; the value stays as typed (a default is not parsed: it may
 * be a number, which help shows unquoted).
 */
export function wholeNumberValue(flag: string, min: number, max: number): (value: string) => string | number {
  return (value) => {
    wholeNumberOption(value, flag, min, max);
    return value;
  };
}

/**
 * A YEAR argument or option as typed; else bad usage (exit 2) naming it. main.ts checks every
 * argument named `year` and every option taking `<year>` with it before a command's action runs,
 * so that a typo opens no database (and makes none where there was none).
 */
export function yearArgument(value: string, field = 'year'): number {
  const n = Number(value);
  if (!/^\s*\d{4}\s*$/.test(value) || n < 1900 || n > 2999) throw new UsageError(field, `"${value}" is not a year such as 2027`);
  return n;
}

/**
 * A number of minutes as typed ("--length 30"), checked before anything runs: anything but a
 * whole number ("abc", "-5", "1.5") is bad usage naming the option. How many minutes the rules
 * take (at least 5, say) is the domain's to say, a refused request; empty stays empty, where
 * it means none.
 */
export function minutesOption(value: string | undefined, flag: string): string | undefined {
  if (value !== undefined && value.trim() !== '' && !/^\s*\d+\s*$/.test(value)) {
    throw new UsageError(flag, `must be a whole number of minutes, not ${JSON.stringify(value)}`);
  }
  return value;
}

/** minutesOption as commander's parser of the option `flag`: checked as the command line is read. */
export function minutesValue(flag: string): (value: string) => string {
  return (value) => minutesOption(value, flag) ?? value;
}

/**
 * A value as typed, checked as commander reads the option or argument `field` by the domain's own
 * schema: one it refuses is bad usage in the domain's words, before any database is opened.
 * Empty stays empty: what it means (none, or a refusal) is the command's to say.
 */
export function schemaValue(field: string, schema: z.ZodType): (value: string) => string {
  return (value) => {
    const s = value.trim();
    if (s === '') return value;
    const r = schema.safeParse(s);
    if (!r.success) throw new UsageError(field, r.error.issues[0]!.message);
    return value;
  };
}

/** A date as typed ("2027-07-14"), by the domain's isoDate (no February 30). */
export function dateValue(field: string): (value: string) => string {
  return schemaValue(field, isoDate);
}

/**
 * A topic's number in its edition as typed ("3" or "#3"), checked as commander parses the option
 * or argument `field`: anything else ("abc") is bad usage naming it, before any database is
 * opened. With `blank`, an empty value stays, where it means none (`schedule edit --topic ''`).
 */
export function topicNumber(field: string, blank = false): (value: string) => string {
  return (value) => {
    if (blank && value.trim() === '') return value;
    if (!/^\s*#?\d{1,9}\s*$/.test(value) || Number(value.trim().replace(/^#/, '')) <= 0) {
      throw new UsageError(field, `"${value}" is not a topic number such as 3 (see conclave topics list)`);
    }
    return value;
  };
}

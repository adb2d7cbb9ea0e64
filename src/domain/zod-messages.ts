/**
 * The words of zod's messages that no schema words itself. Imported for its effect (z.config) by
 * validate.ts and config.ts, so that every input check of a process speaks this way.
 */
import { z } from 'zod';

const FORMATS: Record<string, string> = { email: 'email address', url: 'address (URL)', date: 'date (YYYY-MM-DD)', datetime: 'date and time' };
const UNITS: Record<string, string> = { string: 'characters', array: 'items', set: 'items', file: 'bytes' };

function quoted(v: unknown): string {
  return typeof v === 'string' ? `“${v}”` : String(v);
}

/**
 * zod's own words, for the messages no schema words itself, are written for programmers
 * ("Invalid input: expected number, received NaN", "Too big: expected number to be <=2999"):
 * these say it as the web form and the command line show it, after the field's name.
 */
function humane(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return 'is required';
      const what = { number: 'a number', int: 'a whole number', string: 'text', boolean: 'yes or no', date: 'a date', array: 'a list' }[issue.expected as string];
      return what ? `must be ${what}${typeof issue.input === 'string' && issue.input !== '' ? `, not ${quoted(issue.input)}` : ''}` : undefined;
    }
    case 'too_big': {
      const unit = UNITS[issue.origin as string];
      const max = issue.origin === 'date' ? new Date(Number(issue.maximum)).toISOString().slice(0, 10) : String(issue.maximum);
      return unit ? `must be at most ${max} ${unit} long` : `must be ${issue.inclusive === false ? 'less than' : 'at most'} ${max}`;
    }
    case 'too_small': {
      const unit = UNITS[issue.origin as string];
      if (unit && Number(issue.minimum) === 1) return issue.origin === 'string' ? 'must not be empty' : 'must name at least one';
      const min = issue.origin === 'date' ? new Date(Number(issue.minimum)).toISOString().slice(0, 10) : String(issue.minimum);
      return unit ? `must be at least ${min} ${unit} long` : `must be ${issue.inclusive === false ? 'more than' : 'at least'} ${min}`;
    }
    case 'invalid_value':
      if (issue.input === undefined) return 'is required';
      return issue.values.length === 1 ? `must be ${quoted(issue.values[0])}` : `must be one of ${issue.values.map(quoted).join(', ')}`;
    case 'not_multiple_of':
      return Number(issue.divisor) === 1 ? 'must be a whole number' : `must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_format':
      return issue.format === 'regex' ? 'is not in the expected form' : `is not a valid ${FORMATS[issue.format] ?? issue.format}`;
    case 'unrecognized_keys':
      return `${issue.keys.length === 1 ? 'is not a known field' : 'are not known fields'}: ${issue.keys.join(', ')}`;
    default:
      return undefined;
  }
}

z.config({ customError: humane });

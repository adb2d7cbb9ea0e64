/**
 * zod's own messages, where a schema does not word its own, as a person reads them.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidInput } from './errors.js';
import { parseInput } from './validate.js';

function why(schema: z.ZodType, input: unknown): string {
  try {
    parseInput(schema, input);
  } catch (e) {
    if (e instanceof InvalidInput) return e.message;
    throw e;
  }
  throw new Error('expected InvalidInput');
}

describe("zod's messages", () => {
  const form = z.object({
    year: z.coerce.number().int().min(1990).max(2999),
    reminderDays: z.coerce.number().int().positive(),
    state: z.enum(['planned', 'open', 'closed']),
    name: z.string().min(1).max(10),
    ids: z.array(z.number()).min(1),
    email: z.email(),
    link: z.url(),
  });
  const ok = { year: 2027, reminderDays: 7, state: 'open', name: 'x', ids: [1], email: 'a@b.org', link: 'https://x.org/' };

  it('say what the value must be, not what the parser expected', () => {
    expect(why(form, { ...ok, reminderDays: 'abc' })).toBe('reminderDays: must be a number');
    expect(why(z.object({ n: z.number() }), { n: 'abc' })).toBe('n: must be a number, not “abc”');
    expect(why(form, { ...ok, year: 3000 })).toBe('year: must be at most 2999');
    expect(why(form, { ...ok, year: 1800 })).toBe('year: must be at least 1990');
    expect(why(form, { ...ok, year: 2027.5 })).toBe('year: must be a whole number');
    expect(why(form, { ...ok, reminderDays: 0 })).toBe('reminderDays: must be more than 0');
    expect(why(form, { ...ok, state: 'maybe' })).toBe('state: must be one of “planned”, “open”, “closed”');
    expect(why(form, { ...ok, name: '' })).toBe('name: must not be empty');
    expect(why(form, { ...ok, name: 'x'.repeat(11) })).toBe('name: must be at most 10 characters long');
    expect(why(form, { ...ok, ids: [] })).toBe('ids: must name at least one');
    expect(why(form, { ...ok, email: 'nobody' })).toBe('email: is not a valid email address');
    expect(why(form, { ...ok, link: 'nowhere' })).toBe('link: is not a valid address (URL)');
    const { state: _s, ...noState } = ok;
    expect(why(form, noState)).toBe('state: is required');
  });

  it("leave a schema's own words alone", () => {
    expect(why(z.object({ cap: z.number().min(1, 'must be 1 or more') }), { cap: 0 })).toBe('cap: must be 1 or more');
  });
});

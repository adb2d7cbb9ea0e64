/**
 * Input checking shared by every domain command: zod's verdict turned into the named errors the
 * web and the CLI know how to show.
 */
import { z } from 'zod';
import { InvalidForm, InvalidInput } from './errors.js';
import './zod-messages.js';


/**
 * Characters that change how the text around them reads while not being seen: bidirectional
 * embeddings, overrides and isolates (U+202A–E, U+2066–9: "\u202eevil" shows reversed, and turns
 * the rest of a heading or a To: line around), and invisible ones (zero-width space, word joiner,
 * byte order mark). The joiners U+200C/D and the marks U+200E/F stay: scripts and names need them.
 */
const HIDDEN = /[\u200b\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A name or title: one line of text, with nothing in it that a reader cannot see. */
export function visibleLine<T extends z.ZodType<string>>(schema: T) {
  return schema
    .refine((s) => !CONTROL.test(s), 'must be one line of text, without control characters')
    .superRefine((s, ctx) => {
      const at = s.search(HIDDEN);
      if (at < 0) return;
      const code = s.codePointAt(at)!.toString(16).toUpperCase().padStart(4, '0');
      ctx.addIssue({ code: 'custom', message: `holds an invisible character (U+${code}, at character ${at + 1}) that changes how the text around it reads: remove it` });
    });
}

/** The largest id a row can have: ids are PostgreSQL integer (serial) columns. */
export const MAX_ID = 2_147_483_647;

/**
 * A row's id as an address, a form or a command gives it ("12" or 12): a whole number from 1 to
 * MAX_ID. Every id any input names is read by this one schema: a larger number names no row, and
 * the database would not even compare it with one ("out of range for type integer").
 */
export const recordId = z.preprocess(
  // Digits only, as ids are written: "1e3", "0x10", " 12" or "12.0" are no id (a number's other
  // spellings would otherwise name row 1000, 16 or 12); refused as "abc" is.
  (v) => (typeof v === 'string' && v !== '' && !/^[0-9]+$/.test(v) ? Number.NaN : v),
  z.coerce.number().int().min(1).max(MAX_ID, `must be at most ${MAX_ID}, the largest id there can be`),
);

/** A form's list of ids, each a recordId: its field sent once, several times, or not at all. */
export const recordIds = z.preprocess((v) => (v === undefined || v === '' ? [] : [v].flat()), z.array(recordId));

/**
 * A checkbox of a form, whose value is "yes": ticked (true) or not sent (false). Any other value
 * is refused, not read as "no": a stray hold=1 must not send at once what was to be held.
 */
export const checkbox = z.literal('yes').optional().transform((v) => v === 'yes');

/** Whether the checkbox `field` of `body` is ticked (checkbox); another value is InvalidInput naming it. */
export function ticked(body: unknown, field: string): boolean {
  const b = (body !== null && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  return parseInput(z.object({ [field]: checkbox }), { [field]: b[field] })[field] as boolean;
}

/** Parses `input`; the first problem becomes InvalidInput naming its field. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new InvalidInput(issue.path.map(String).join('.') || 'input', issue.message);
}

/** Parses a form; every wrong field is reported at once (InvalidForm), keyed by its path. */
export function parseForm<T extends z.ZodType>(schema: T, input: unknown, skip: readonly string[] = []): z.output<T> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const fields: Record<string, string> = {};
  for (const issue of r.error.issues) {
    const key = issue.path.map(String).filter((p) => !skip.includes(p)).join('.') || 'input';
    fields[key] ??= issue.message;
  }
  throw new InvalidForm(fields);
}

/**
 * Checks an object form field by field: the values that parsed, and the first error of each field
 * that did not. Rules across fields can then still be checked on the fields that parsed, so that
 * a form shows every error at once instead of the cross-field ones after the others are fixed.
 */
export function parseFields<T extends z.ZodObject>(schema: T, input: unknown): { data: Partial<z.output<T>>; errors: Record<string, string> } {
  const given = (input !== null && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const data: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    const r = field.safeParse(given[key]);
    if (r.success) {
      if (r.data !== undefined) data[key] = r.data;
    } else {
      const issue = r.error.issues[0]!;
      errors[[key, ...issue.path.map(String)].join('.')] = issue.message;
    }
  }
  return { data: data as Partial<z.output<T>>, errors };
}

/**
 * Parses an object form and checks `across`, its rules across fields (an end before its start):
 * every error at once, those rules included. The form is parsed once; only when it has errors is
 * it checked field by field (parseFields), so that the rules still run on the fields that parsed.
 */
export function parseFormChecked<T extends z.ZodObject>(schema: T, input: unknown, across: (parsed: Partial<z.output<T>>) => Record<string, string>): z.output<T> {
  const r = schema.safeParse(input);
  const { data, errors } = r.success ? { data: r.data as Partial<z.output<T>>, errors: {} as Record<string, string> } : parseFields(schema, input);
  // A whole-object problem no single field shows (input not an object): as parseForm says it.
  if (!r.success && Object.keys(errors).length === 0) return parseForm(schema, input);
  for (const [key, why] of Object.entries(across(data))) errors[key] ??= why;
  if (Object.keys(errors).length > 0) throw new InvalidForm(errors);
  return r.data as z.output<T>;
}

/** Whether `s` is an http:// or https:// address with a host. */
function isWebAddress(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !!u.hostname;
  } catch {
    return false;
  }
}

/**
 * An address a page links to (a slide deck, a sponsor, a reference): http or https only. zod's
 * z.url() takes any scheme, and a `javascript:` link would run in a reader's browser wherever no
 * Content-Security-Policy stops it, as on a static copy of the site.
 */
export function webUrl(max = 2000) {
  return z.string().trim().min(1, 'is required').max(max, `must be at most ${max} characters`).refine(isWebAddress, 'must be an http:// or https:// address such as https://example.org/');
}


/**
 * Input checking shared by every domain command: zod's verdict turned into the named errors the
 * web and the CLI know how to show.
 */
import type { z } from 'zod';
import { InvalidForm, InvalidInput } from './errors.js';
import './zod-messages.js';


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

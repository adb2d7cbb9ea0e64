/**
 * The version an edit form carries of what it edits (a slot, …): the fields the form was made
 * from, encoded, sent back with the edit. A write takes the edit only while what is stored gives
 * the same version; otherwise another change came between loading the form and saving it, and
 * the edit is refused rather than undo that change unseen. The refusal names each field that
 * changed since the form was loaded and what it holds now, so that the person can redo their
 * edit knowing what it would overwrite. The web form and the CLI (which loads, then writes) both
 * come here.
 *
 * The version is the fields themselves rather than a digest of them: the refusal needs what the
 * form was loaded with, and the form is the only place that still knows it. It is read only to
 * word the refusal; whether an edit is stale is decided by comparing versions whole.
 */
import { Conflict } from './errors.js';

/** What a version is made of: each field as stored, in one order. */
export type VersionFields = Record<string, string | number | null | number[]>;

export function editVersion(fields: VersionFields): string {
  return Buffer.from(JSON.stringify(fields), 'utf8').toString('base64url');
}

/** The fields a version was made from; null for a string that is none (a form from an older conclave, or mangled). */
function versionFields(version: string): Record<string, unknown> | null {
  try {
    const fields: unknown = JSON.parse(Buffer.from(version, 'base64url').toString('utf8'));
    return fields !== null && typeof fields === 'object' && !Array.isArray(fields) ? (fields as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A field changed since a form was loaded: its name as the form labels it, and what it holds now, in words. */
export interface FieldChange {
  field: string;
  label: string;
  now: string;
}

/**
 * The fields of `now` that differ from those `version` was made from, in the order of `labels`
 * (a field without a label is compared but named by its key), each with what it holds now as
 * `words` puts it. Null when the version cannot be read, so which fields changed is not known.
 */
export function changedSince<F extends VersionFields>(version: string, now: F, labels: Partial<Record<keyof F & string, string>>, words: (field: keyof F & string) => string): FieldChange[] | null {
  const then = versionFields(version);
  if (!then) return null;
  const keys = [...new Set([...Object.keys(labels), ...Object.keys(now)])] as (keyof F & string)[];
  return keys
    .filter((k) => k in now && JSON.stringify(then[k] ?? null) !== JSON.stringify(now[k]))
    .map((k) => ({ field: k, label: labels[k] ?? k, now: words(k) }));
}

/** "start now 12:30, room now “Terrace”": the changes as a clause of a sentence. */
export function changesText(changes: FieldChange[]): string {
  return changes.map((c) => `${c.label.toLowerCase()} now ${c.now}`).join(', ');
}

/**
 * An edit made on a form loaded before another change of the same thing: nothing was saved.
 * `changes` names what differs from the form as it was loaded (empty when that is not known).
 */
export class StaleEdit extends Conflict {
  override name = 'StaleEdit';
  constructor(
    message: string,
    readonly changes: FieldChange[],
  ) {
    super(message);
  }
}

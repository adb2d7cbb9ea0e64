/**
 * What an audit log entry changed, as a short list a person reads ("title: "Netconf" → "Netconf
 * 2027""), in place of the pretty JSON of its before and after: that ran to a screen a field in
 * lynx, which shows a <details> unfolded. The whole entry stays on its own page (AuditEntryPage).
 */

/** One line of an entry's changes: a field (null for a value that is no record of fields) and its values. */
export interface AuditChange {
  field: string | null;
  /** Absent where the field (or the record) was not there before. */
  before?: unknown;
  /** Absent where the field (or the record) is not there after. */
  after?: unknown;
}

/** Lines shown in the log's row; the rest are counted, and on the entry's own page. */
export const CHANGES_SHOWN = 8;

/** A value in a line: JSON, so that "" and null, 1 and "1" read apart; long ones cut at 60 characters. */
export function changeValue(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The fields whose values differ between `before` and `after`, in the record's order (a record
 * made, or removed, lists every field it has). Values that are no records are one line.
 */
export function auditChanges(before: unknown, after: unknown): AuditChange[] {
  const has = (v: unknown) => v !== null && v !== undefined;
  if ((has(before) && !isRecord(before)) || (has(after) && !isRecord(after))) {
    return same(before, after) ? [] : [{ field: null, ...(has(before) ? { before } : {}), ...(has(after) ? { after } : {}) }];
  }
  const b = has(before) ? (before as Record<string, unknown>) : {};
  const a = has(after) ? (after as Record<string, unknown>) : {};
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return fields
    .filter((f) => !(f in b && f in a && same(b[f], a[f])))
    .map((field) => ({ field, ...(field in b ? { before: b[field] } : {}), ...(field in a ? { after: a[field] } : {}) }));
}

/**
 * One change as a line: "field: before → after", "field: value" for a record made or removed. A
 * field one side does not hold reads "not recorded" there ("published: false → not recorded"):
 * the entry does not say its value, where "(none)" read as if it had been emptied.
 */
export function changeLine(c: AuditChange, kind: 'made' | 'removed' | 'changed'): string {
  const name = c.field === null ? '' : `${c.field}: `;
  if (kind === 'made') return `${name}${changeValue(c.after)}`;
  if (kind === 'removed') return `${name}${changeValue(c.before)}`;
  const from = 'before' in c ? changeValue(c.before) : 'not recorded';
  const to = 'after' in c ? changeValue(c.after) : 'not recorded';
  return `${name}${from} → ${to}`;
}

/** The longest item of a list (listItems) shown in the log's row; the entry's page has it whole. */
const ITEM_SHOWN = 200;

/**
 * The items of a list of sentences in a record made, each on a line of its own rather than as
 * one JSON line cut at 60 characters: an import's notes ("the page changed the sponsor “Intel”,
 * edited in conclave: … losing its logo uploaded there") say what it overrode. Null for any other value.
 */
export function listItems(c: AuditChange, kind: 'made' | 'removed' | 'changed'): string[] | null {
  const v = kind === 'made' ? c.after : undefined;
  if (c.field === null || !Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'string')) return null;
  return v.map((x: string) => (x.length > ITEM_SHOWN ? `${x.slice(0, ITEM_SHOWN - 1)}…` : x));
}

/** An entry's changes in the log's row, with a link to the whole entry where there is more to it. */
export function AuditChanges(p: { id: number; before: unknown; after: unknown }): JSX.Element {
  const changes = auditChanges(p.before, p.after);
  const kind = p.before == null ? 'made' : p.after == null ? 'removed' : 'changed';
  const shown = changes.slice(0, CHANGES_SHOWN);
  const more = changes.length - shown.length;
  return (
    <>
      {kind === 'made' ? <span>New:</span> : kind === 'removed' ? <span>Removed:</span> : ''}
      {changes.length === 0 ? (
        <span class="muted">no field changed</span>
      ) : (
        <ul class="plain changes">
          {shown.map((c) => {
            const items = listItems(c, kind);
            return items ? (
              <li>
                <span safe>{`${c.field}:`}</span>
                <ul>
                  {items.map((x) => (
                    <li safe>{x}</li>
                  ))}
                </ul>
              </li>
            ) : (
              <li safe>{changeLine(c, kind)}</li>
            );
          })}
        </ul>
      )}
      {more > 0 ? <span safe>{`and ${more} more field${more === 1 ? '' : 's'}; `}</span> : ''}
      <a href={`/admin/audit/${p.id}`} safe>{`entry #${p.id} in full`}</a>
    </>
  );
}

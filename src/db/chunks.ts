/**
 * Rows for multi-row statements, cut to fit one statement each. PostgreSQL takes at most 65,535
 * parameters in a statement, and PGlite fewer: its protocol parser reads the count of a
 * statement's parameters as a signed 16-bit number, so past 32,767 the statement fails
 * ("RangeError: Invalid array length"). An INSERT of many rows binds one a column a row, so a
 * long list goes as several statements.
 */

/** The most parameters one statement may bind, on PostgreSQL and on PGlite. */
export const MAX_PARAMETERS = 32_767;

/**
 * `rows` in order, cut into runs of as many rows as one statement binding each of their columns
 * (all the keys any of them has) can take; `limit` for a test. No runs for no rows.
 */
export function statementChunks<T extends object>(rows: readonly T[], limit = MAX_PARAMETERS): T[][] {
  const columns = new Set(rows.flatMap((r) => Object.keys(r))).size;
  const size = Math.max(1, Math.floor(limit / Math.max(1, columns)));
  const out: T[][] = [];
  for (let at = 0; at < rows.length; at += size) out.push(rows.slice(at, at + size));
  return out;
}

/**
 * `list` in order, cut into runs that one statement can take when it binds `uses` parameters
 * for each item (an `in` list named twice: 2) and `others` parameters besides; `limit` for a
 * test. No runs for an empty list.
 */
export function listChunks<T>(list: readonly T[], uses = 1, others = 0, limit = MAX_PARAMETERS): T[][] {
  const size = Math.max(1, Math.floor((limit - others) / Math.max(1, uses)));
  const out: T[][] = [];
  for (let at = 0; at < list.length; at += size) out.push(list.slice(at, at + size));
  return out;
}

/**
 * The rows `read` gives for each run of `list` that fits a statement (listChunks, `uses` and
 * `others` as there), one run after another, in the order of the runs.
 */
export async function readInChunks<T, R>(list: readonly T[], read: (run: T[]) => Promise<R[]>, uses = 1, others = 0): Promise<R[]> {
  const rows: R[] = [];
  for (const run of listChunks(list, uses, others)) rows.push(...(await read(run)));
  return rows;
}

/**
 * Telling a PostgreSQL server that is not answering now from a command or a configuration that is
 * wrong: the first may succeed when run again (exit 75), the second will not. Kept apart from
 * connect.ts so that the command line's error handling does not load the database drivers.
 */

/** Network errors of a server that is down, restarting or out of reach for now. */
const GONE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EAI_AGAIN']);

/**
 * Whether `err` says the PostgreSQL server is not answering now, rather than that the command or
 * the configuration is wrong: a refused or cut connection, a host not reachable for now, or the
 * server itself saying so (SQLSTATE class 08, connection exception; 57P01–57P03, shutting down or
 * starting up; 53300, too many connections). An unknown host (ENOTFOUND), a missing database
 * (3D000) or a refused login (28xxx) is not.
 */
export function serverGone(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (GONE_CODES.has(code) || code.startsWith('08') || /^57P0[123]$/.test(code) || code === '53300')) return true;
  // The connection ended under a query, or before the next query of a transaction on it (pg's
  // own wording, no code), or one of several addresses tried (localhost: ::1 and 127.0.0.1)
  // failed for each. Not "Client was closed": that is our own closing, not the server's.
  if (/^Connection terminated/.test(err.message) || err.message === 'Client has encountered a connection error and is not queryable') return true;
  if (err instanceof AggregateError) return err.errors.length > 0 && err.errors.every(serverGone);
  return false;
}

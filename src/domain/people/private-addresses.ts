/**
 * Addresses that must not appear on a public page: kept private by their owner, or known only to
 * the committee (invitations, sign-in accounts). The static export refuses a page that shows one
 * (src/export/guard.ts); an edition's own texts are checked as they are saved, with a warning.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/** Every such address, in lower case. */
export async function privateAddresses(db: Kysely<Database>): Promise<Set<string>> {
  const [emails, invitations, accounts] = await Promise.all([
    db.selectFrom('person_emails').select(['email', 'is_public']).execute(),
    db.selectFrom('invitations').select('email').execute(),
    db.selectFrom('committee_accounts').select('email').execute(),
  ]);
  const shown = new Set(emails.filter((e) => e.is_public).map((e) => e.email.toLowerCase()));
  const hidden = [...emails.filter((e) => !e.is_public), ...invitations, ...accounts].map((e) => e.email.toLowerCase());
  return new Set(hidden.filter((e) => !shown.has(e)));
}

const ADDRESS = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;

/** The private addresses that these texts show, as written, each once. */
export async function privateAddressesIn(db: Kysely<Database>, texts: readonly (string | null | undefined)[]): Promise<string[]> {
  const found = texts.flatMap((t) => (t ? [...t.matchAll(ADDRESS)].map((m) => m[0].replace(/\.+$/, '')) : []));
  if (found.length === 0) return [];
  const hidden = await privateAddresses(db);
  const seen = new Set<string>();
  return found.filter((a) => hidden.has(a.toLowerCase()) && !seen.has(a.toLowerCase()) && seen.add(a.toLowerCase()));
}

import { sql, type Kysely } from 'kysely';

/**
 * The page cache's invalidation log (issue 8; src/web/cache.ts reads it).
 *
 * Public pages are cached as rendered bytes in every serving process. Whatever writes the data
 * they show — any domain module, the CLI, another process — must make those copies go, at once
 * and precisely. Triggers catch every write path: each statement that changes a table a public
 * page reads adds a row here in the same transaction, naming what changed: `edition:<id>` for
 * rows that belong to one edition (its program, people, sponsors…), `site` for the rest
 * (editions themselves, series, people, files). One row per transaction and scope (the unique
 * index), so a bulk import adds a handful of rows, not one per row it writes.
 *
 * Each such statement also NOTIFYs the channel conclave_cache (delivered at commit, once per
 * transaction), so that listening servers look at the log at once instead of before every page.
 *
 * The rows are only ever inserted, so writers never wait on each other here. Each row carries its
 * transaction id (xid8); a reader keeps the snapshot of its previous look and asks for the rows
 * its snapshot could not see (pg_visible_in_snapshot) — the commit order does not matter, and no
 * commit is missed. Rows older than a day are pruned by the readers.
 *
 * Tables no public page reads (sessions, outbox, audit log, tokens, inbound mail, templates,
 * committee accounts, the contribution miner's cache) have no trigger: a sign-in or a mail sent
 * does not empty the cache. test/ops/cache-triggers.test.ts fails when a new table has neither a
 * trigger nor a place on that list; give it one with `attachCacheTriggers` below.
 */

/** Tables with an edition_id column: their rows belong to that edition. */
const byEditionId = [
  'committee_members',
  'attendances',
  'sponsors',
  'agenda_days',
  'topics',
  'materials',
  'schedule_changes',
  'edition_references',
  'invitations',
];

/** Tables that reach their edition through a parent: the query giving the edition ids of `rel`. */
const throughParent: Record<string, (rel: string) => string> = {
  slots: (rel) => `select d.edition_id from ${rel} c left join agenda_days d on d.id = c.day_id`,
  slot_speakers: (rel) =>
    `select d.edition_id from ${rel} c left join slots s on s.id = c.slot_id left join agenda_days d on d.id = s.day_id`,
  topic_presenters: (rel) => `select t.edition_id from ${rel} c left join topics t on t.id = c.topic_id`,
};

/** Tables whose change may show anywhere: every cached page goes. */
const siteWide = ['series', 'editions', 'people', 'person_names', 'person_emails', 'files'];

function quote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * Attaches the cache triggers to `table`: `editionIds(rel)` is a query of the edition ids of the
 * rows in the transition table `rel`, or null for a table whose every change is site-wide.
 */
export async function attachCacheTriggers(db: Kysely<any>, table: string, editionIds: ((rel: string) => string) | null): Promise<void> {
  const t = sql.table(table);
  if (!editionIds) {
    await sql`create trigger ${sql.raw(`${table}_cache`)} after insert or update or delete or truncate on ${t} for each statement execute function conclave_cache_site()`.execute(db);
    return;
  }
  await sql`create trigger ${sql.raw(`${table}_cache_ins`)} after insert on ${t} referencing new table as changed for each statement execute function conclave_cache_mark(${sql.raw(quote(editionIds('changed')))})`.execute(db);
  await sql`create trigger ${sql.raw(`${table}_cache_del`)} after delete on ${t} referencing old table as changed for each statement execute function conclave_cache_mark(${sql.raw(quote(editionIds('changed')))})`.execute(db);
  await sql`create trigger ${sql.raw(`${table}_cache_upd`)} after update on ${t} referencing old table as before new table as changed for each statement execute function conclave_cache_mark(${sql.raw(quote(`${editionIds('before')} union ${editionIds('changed')}`))})`.execute(db);
  await sql`create trigger ${sql.raw(`${table}_cache_trunc`)} after truncate on ${t} for each statement execute function conclave_cache_site()`.execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table cache_invalidations (
    id bigserial primary key,
    tx xid8 not null default pg_current_xact_id(),
    scope text not null,
    at timestamptz not null default now()
  )`.execute(db);
  await sql`create unique index cache_invalidations_once on cache_invalidations (tx, scope)`.execute(db);
  await sql`create index cache_invalidations_at on cache_invalidations (at)`.execute(db);

  await sql`create function conclave_cache_site() returns trigger language plpgsql as $$
    begin
      insert into cache_invalidations (scope) values ('site') on conflict do nothing;
      perform pg_notify('conclave_cache', '');
      return null;
    end $$`.execute(db);
  // TG_ARGV[0]: a query of the edition ids of the changed rows (a null id: the parent is gone
  // already, so the change is treated as site-wide).
  await sql`create function conclave_cache_mark() returns trigger language plpgsql as $$
    begin
      execute format('insert into cache_invalidations (scope) select distinct coalesce(''edition:'' || e, ''site'') from (%s) as x(e) on conflict do nothing', TG_ARGV[0]);
      perform pg_notify('conclave_cache', '');
      return null;
    end $$`.execute(db);

  for (const table of byEditionId) await attachCacheTriggers(db, table, (rel) => `select c.edition_id from ${rel} c`);
  for (const [table, q] of Object.entries(throughParent)) await attachCacheTriggers(db, table, q);
  for (const table of siteWide) await attachCacheTriggers(db, table, null);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

import { sql, type Kysely } from 'kysely';

/**
 * Stored search documents refreshed once a transaction, for the writers that ask for it.
 *
 * Migration 031's triggers refresh every document a statement touches, at the end of that
 * statement. A bulk writer (an import of pages, a restore, the benchmark's generator) writes the
 * same talks, topics and editions in many statements of one transaction, and so recomputed each
 * of their documents many times: importing the five Netconf pages into a new embedded database
 * went from 1.3 s to 1.7–1.8 s with 031 (docs/benchmarks.md, "Search").
 *
 * The triggers stay on every table (a write path still cannot forget the documents: a
 * hand-written UPDATE refreshes them as before) and call the same function, which this migration
 * replaces. When the transaction-local setting conclave.search_deferred is 'on' (`set local
 * conclave.search_deferred = 'on'`, deferSearchRefresh in src/domain/search/documents.ts), the
 * function only records the slot, topic and edition ids the statement touched, in
 * search_pending; otherwise it refreshes them at once, exactly as before.
 *
 * The first ids a transaction records come with a mark row ('*'), whose insert queues a
 * constraint trigger, deferred to the commit: search_flush, which refreshes every recorded id
 * once, from the tables as the transaction leaves them, and empties search_pending. So a writer
 * that defers has nothing to call at its end and nothing to forget; it may call search_flush
 * itself (or `set constraints search_pending_flush immediate`) to read its own documents before
 * it commits. A transaction rolled back (or a savepoint) takes its recorded ids, its mark and
 * its queued flush with it: search_pending is empty outside a transaction, and unlogged (nothing
 * in it outlives one). Each transaction sees only its own rows (they are never committed), so
 * concurrent writers do not wait on each other there; the refresh at commit locks the documents
 * in id order, as 031's functions do.
 *
 * Deferred constraint triggers on the tables themselves would need no writer to opt in, but
 * they fire once per row written, not per statement, and every write (a web edit of one title
 * too) would read its documents stale until it commits; the mark keeps it to one deferred event
 * a transaction, and only for the writers that ask.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // kind: 's' slot, 't' topic, 'e' edition, '*' the mark that queues the flush (id 0).
  await sql`create unlogged table search_pending (kind "char" not null, id integer not null)`.execute(db);

  await sql`create function search_flush() returns void language plpgsql as $$
    declare
      slot_ids integer[];
      topic_ids integer[];
      edition_ids integer[];
    begin
      with gone as (delete from search_pending returning kind, id)
      select coalesce(array_agg(distinct id) filter (where kind = 's'), '{}'),
             coalesce(array_agg(distinct id) filter (where kind = 't'), '{}'),
             coalesce(array_agg(distinct id) filter (where kind = 'e'), '{}')
        into slot_ids, topic_ids, edition_ids
        from gone;
      -- Ids recorded after this get a mark (and a flush at commit) of their own.
      perform set_config('conclave.search_marked', '', true);
      if cardinality(slot_ids) > 0 then perform search_refresh_slots(slot_ids); end if;
      if cardinality(topic_ids) > 0 then perform search_refresh_topics(topic_ids); end if;
      if cardinality(edition_ids) > 0 then perform search_refresh_editions(edition_ids); end if;
    end $$`.execute(db);

  await sql`create function search_flush_trigger() returns trigger language plpgsql as $$
    begin
      perform search_flush();
      return null;
    end $$`.execute(db);
  await sql`create constraint trigger search_pending_flush after insert on search_pending
    deferrable initially deferred for each row when (new.kind = '*') execute function search_flush_trigger()`.execute(db);

  // The same function as 031's (its triggers call it by name), deferring when asked.
  await sql`create or replace function search_refresh() returns trigger language plpgsql as $$
    declare
      slot_ids integer[];
      topic_ids integer[];
      edition_ids integer[];
    begin
      execute format('select array(select distinct x from (%s) s(x) where x is not null), array(select distinct x from (%s) t(x) where x is not null), array(select distinct x from (%s) e(x) where x is not null)',
                     TG_ARGV[0], TG_ARGV[1], TG_ARGV[2])
         into slot_ids, topic_ids, edition_ids;
      if current_setting('conclave.search_deferred', true) = 'on' then
        if cardinality(slot_ids) + cardinality(topic_ids) + cardinality(edition_ids) = 0 then return null; end if;
        if current_setting('conclave.search_marked', true) is distinct from 'on' then
          insert into search_pending (kind, id) values ('*', 0);
          perform set_config('conclave.search_marked', 'on', true);
        end if;
        insert into search_pending (kind, id)
        select 's', x from unnest(slot_ids) x
        union all select 't', x from unnest(topic_ids) x
        union all select 'e', x from unnest(edition_ids) x;
        return null;
      end if;
      if cardinality(slot_ids) > 0 then perform search_refresh_slots(slot_ids); end if;
      if cardinality(topic_ids) > 0 then perform search_refresh_topics(topic_ids); end if;
      if cardinality(edition_ids) > 0 then perform search_refresh_editions(edition_ids); end if;
      return null;
    end $$`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

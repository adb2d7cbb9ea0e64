import { sql, type Kysely } from 'kysely';

/**
 * Stored search documents: the text search vectors of every talk (slot), topic and edition,
 * indexed, instead of computed from their joins for every search (which cost a few hundred ms on
 * 60 editions and grew with the archive: docs/benchmarks.md, "Search").
 *
 * A talk is found by its title, its speakers (as listed, and every name each is known by) and the
 * labels of the materials its agenda row lists; a topic by its title, its presenters and its
 * abstract; an edition by its subtitle, place, co-located event, sponsors and the authors of the
 * meeting notes its page shows. Each of those texts is made of rows of several tables, so no
 * index on one table can serve them: search_slots, search_topics and search_editions hold the
 * vectors, made by the expressions src/domain/search/documents.ts used to compute per search
 * (the same `words` reading of hyphens and slashes, the same weights), each row deleted with its
 * slot, topic or edition (foreign keys).
 *
 * They are kept up to date by triggers on every table their text is made of, one statement at a
 * time (transition tables: an import of thousands of rows recomputes each document it touches
 * once a statement, not once a row). A trigger cannot be forgotten by a write path: the web, the
 * CLI, imports, restores, the benchmark's generator and a hand-written UPDATE all go through it,
 * in the writer's own transaction. Each trigger recomputes the whole document from the tables,
 * never patches it, so the order of statements does not matter.
 *
 * What search shows (visibility of planned editions, undecided topics) is still decided by the
 * query; only the authors of an edition's notes depend on visibility inside a document (a topic's
 * notes count once the topic is accepted and on the agenda), so topics, slots, agenda days and
 * editions' status refresh the edition's document too.
 *
 * A change to what a document is made of needs a new migration that replaces these functions
 * and calls search_refresh on every row.
 */
const MARK = '(?<=[[:alnum:]])([-/])(?=[[:alnum:]])';
/** `text` as search reads it (documents.ts, `words`). */
const w = (text: string) => `regexp_replace(${text}, '${MARK}', ' ', 'g')`;
/** Every name person `p` is known by (documents.ts, `everyName`). */
const everyName = (p: string) =>
  `coalesce((select string_agg(n.name, ' ' order by n.name) from person_names n where n.person_id = ${p}.id and n.name <> ${p}.name) || ' ', '')`
  + ` || ${p}.name`;

const slotTitle = `coalesce(nullif(btrim(s.title), ''), st.title, s.title)`;
const place = `nullif(concat_ws('; ', nullif(btrim(e.location_text), ''),
  'held with ' || nullif(btrim(e.colocated_name), '') || coalesce(', ' || nullif(btrim(e.colocated_place), ''), '')), '')`;

const refreshSlots = `
  insert into search_slots (slot_id, head, materials)
  select s.id,
         setweight(to_tsvector('conclave_text', ${w(`${slotTitle} || ' ' || coalesce(s.talk_title, '')`)}), 'A')
           || setweight(to_tsvector('conclave_text', ${w(`coalesce(sp.names, '')`)}), 'B'),
         to_tsvector('conclave_text', ${w(`coalesce(sm.labels, '')`)})
    from slots s
    left join topics st on st.id = s.topic_id
    left join lateral (
      select string_agg(ss.name_as_listed || ' ' || ${everyName('p')}, ' ' order by ss.position) as names
        from slot_speakers ss join people p on p.id = ss.person_id
       where ss.slot_id = s.id
    ) sp on true
    left join lateral (
      select string_agg(m.label || case when x.abouts > 1 then coalesce(' (' || nullif(btrim(m.about), '') || ')', '') else '' end,
                        ', ' order by m.slot_id nulls last, m.position, m.id) as labels
        from materials m
        cross join (select count(distinct coalesce(m2.about, '')) as abouts from materials m2
                     where m2.kind <> 'notes'
                       and (m2.slot_id = s.id or (m2.slot_id is null and s.topic_id is not null and m2.topic_id = s.topic_id))) x
       where m.kind <> 'notes'
         and (m.slot_id = s.id or (m.slot_id is null and s.topic_id is not null and m.topic_id = s.topic_id))
    ) sm on true
   where s.id = any(ids)
  on conflict (slot_id) do update set head = excluded.head, materials = excluded.materials`;

const refreshTopics = `
  insert into search_topics (topic_id, doc)
  select t.id,
         setweight(to_tsvector('conclave_text', ${w('t.title')}), 'A')
           || setweight(to_tsvector('conclave_text', ${w(`coalesce(tp.names, '')`)}), 'B')
           || setweight(to_tsvector('conclave_text', ${w('t.abstract')}), 'C')
    from topics t
    left join lateral (
      select string_agg(${everyName('p')}, ' ' order by pr.position) as names
        from topic_presenters pr join people p on p.id = pr.person_id
       where pr.topic_id = t.id
    ) tp on true
   where t.id = any(ids)
  on conflict (topic_id) do update set doc = excluded.doc`;

const refreshEditions = `
  insert into search_editions (edition_id, doc)
  select e.id,
         setweight(to_tsvector('conclave_text', ${w(`coalesce(e.subtitle, '')`)}), 'A')
           || setweight(to_tsvector('conclave_text', ${w(`coalesce(${place}, '')`)}), 'A')
           || setweight(to_tsvector('conclave_text', ${w(`coalesce(es.names, '')`)}), 'B')
           || setweight(to_tsvector('conclave_text', ${w(`coalesce(en.every_name, '')`)}), 'B')
    from editions e
    left join lateral (
      select string_agg(x.name, ' · ' order by x.position, x.id) as names from sponsors x where x.edition_id = e.id
    ) es on true
    left join lateral (
      select string_agg(case when a.id is null then coalesce(m.credit, '') else ${everyName('a')} end, ' ' order by m.position, m.id) as every_name
        from materials m left join people a on a.id = m.author_id
       where m.edition_id = e.id and m.kind = 'notes' and e.status <> 'planned'
         and (a.id is not null or nullif(btrim(m.credit), '') is not null)
         and (m.topic_id is null
              or exists (select 1 from topics t join slots s on s.topic_id = t.id join agenda_days d on d.id = s.day_id
                          where t.id = m.topic_id and t.state = 'accepted' and d.edition_id = e.id))
    ) en on true
   where e.id = any(ids)
  on conflict (edition_id) do update set doc = excluded.doc`;

/**
 * What each table's change refreshes: queries of the slot, topic and edition ids whose documents
 * are made of the rows of transition table `rel` (the rows before or after the statement).
 */
interface Affects {
  slots?: (rel: string) => string;
  topics?: (rel: string) => string;
  editions?: (rel: string) => string;
}

/** The editions of slots that carry a topic: a topic's notes count once it is on their agenda. */
const editionsOfTopicSlots = (rel: string) =>
  `select d.edition_id from ${rel} c join agenda_days d on d.id = c.day_id where c.topic_id is not null`;

const TABLES: Record<string, { events: ('insert' | 'update' | 'delete')[]; affects: Affects }> = {
  slots: { events: ['insert', 'update', 'delete'], affects: { slots: (r) => `select c.id from ${r} c`, editions: editionsOfTopicSlots } },
  slot_speakers: { events: ['insert', 'update', 'delete'], affects: { slots: (r) => `select c.slot_id from ${r} c` } },
  topics: {
    events: ['insert', 'update', 'delete'],
    affects: {
      topics: (r) => `select c.id from ${r} c`,
      slots: (r) => `select s.id from slots s where s.topic_id in (select c.id from ${r} c)`,
      editions: (r) => `select c.edition_id from ${r} c`,
    },
  },
  topic_presenters: { events: ['insert', 'update', 'delete'], affects: { topics: (r) => `select c.topic_id from ${r} c` } },
  // A new person is in no document yet; a removed one leaves them through their rows' own triggers.
  people: {
    events: ['update'],
    affects: {
      slots: (r) => `select x.slot_id from slot_speakers x where x.person_id in (select c.id from ${r} c)`,
      topics: (r) => `select x.topic_id from topic_presenters x where x.person_id in (select c.id from ${r} c)`,
      editions: (r) => `select x.edition_id from materials x where x.kind = 'notes' and x.author_id in (select c.id from ${r} c)`,
    },
  },
  person_names: {
    events: ['insert', 'update', 'delete'],
    affects: {
      slots: (r) => `select x.slot_id from slot_speakers x where x.person_id in (select c.person_id from ${r} c)`,
      topics: (r) => `select x.topic_id from topic_presenters x where x.person_id in (select c.person_id from ${r} c)`,
      editions: (r) => `select x.edition_id from materials x where x.kind = 'notes' and x.author_id in (select c.person_id from ${r} c)`,
    },
  },
  materials: {
    events: ['insert', 'update', 'delete'],
    affects: {
      slots: (r) => `select c.slot_id from ${r} c where c.slot_id is not null
                     union select s.id from slots s where s.topic_id in (select c.topic_id from ${r} c)`,
      editions: (r) => `select c.edition_id from ${r} c where c.kind = 'notes'`,
    },
  },
  editions: { events: ['insert', 'update'], affects: { editions: (r) => `select c.id from ${r} c` } },
  sponsors: { events: ['insert', 'update', 'delete'], affects: { editions: (r) => `select c.edition_id from ${r} c` } },
  agenda_days: { events: ['update', 'delete'], affects: { editions: (r) => `select c.edition_id from ${r} c` } },
};

const NONE = 'select null::integer where false';

function quote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table search_slots (
    slot_id integer primary key references slots (id) on delete cascade,
    head tsvector not null,
    materials tsvector not null
  )`.execute(db);
  await sql`create table search_topics (
    topic_id integer primary key references topics (id) on delete cascade,
    doc tsvector not null
  )`.execute(db);
  await sql`create table search_editions (
    edition_id integer primary key references editions (id) on delete cascade,
    doc tsvector not null
  )`.execute(db);
  await sql`create index search_slots_head on search_slots using gin (head)`.execute(db);
  await sql`create index search_slots_materials on search_slots using gin (materials)`.execute(db);
  await sql`create index search_topics_doc on search_topics using gin (doc)`.execute(db);
  await sql`create index search_editions_doc on search_editions using gin (doc)`.execute(db);
  // The notes a person wrote, for the triggers: which editions' documents a rename touches
  // (the talks and topics they are listed in are found by indexes of migration 001).
  await sql`create index materials_author_id on materials (author_id)`.execute(db);

  // Each locks the documents it makes before it reads what they are made of: a transaction that
  // changed another part of one of them (a title, while this one adds a speaker) has then
  // committed, and the next statement's snapshot sees its change. Made from a snapshot taken
  // before the wait, the document would overwrite that change with the text before it.
  for (const [table, key, refresh] of [['search_slots', 'slot_id', refreshSlots], ['search_topics', 'topic_id', refreshTopics], ['search_editions', 'edition_id', refreshEditions]] as const) {
    await sql.raw(`create function ${table.replace('search_', 'search_refresh_')}(ids integer[]) returns void language plpgsql as $$
      begin
        perform 1 from ${table} where ${key} = any(ids) order by ${key} for update;
        ${refresh};
      end $$`).execute(db);
  }
  // TG_ARGV: queries of the slot, topic and edition ids whose documents the statement changed.
  await sql`create function search_refresh() returns trigger language plpgsql as $$
    declare
      slot_ids integer[];
      topic_ids integer[];
      edition_ids integer[];
    begin
      execute format('select array(select distinct x from (%s) s(x) where x is not null), array(select distinct x from (%s) t(x) where x is not null), array(select distinct x from (%s) e(x) where x is not null)',
                     TG_ARGV[0], TG_ARGV[1], TG_ARGV[2])
         into slot_ids, topic_ids, edition_ids;
      if cardinality(slot_ids) > 0 then perform search_refresh_slots(slot_ids); end if;
      if cardinality(topic_ids) > 0 then perform search_refresh_topics(topic_ids); end if;
      if cardinality(edition_ids) > 0 then perform search_refresh_editions(edition_ids); end if;
      return null;
    end $$`.execute(db);

  for (const [table, { events, affects }] of Object.entries(TABLES)) {
    const args = (rel: string) => [affects.slots, affects.topics, affects.editions].map((q) => quote(q ? q(rel) : NONE)).join(', ');
    const both = (q: ((rel: string) => string) | undefined) => (q ? `${q('before_rows')} union ${q('after_rows')}` : NONE);
    for (const event of events) {
      const name = `${table}_search_${event === 'insert' ? 'ins' : event === 'update' ? 'upd' : 'del'}`;
      const referencing = event === 'insert' ? 'new table as after_rows' : event === 'delete' ? 'old table as before_rows' : 'old table as before_rows new table as after_rows';
      const argList =
        event === 'update'
          ? [affects.slots, affects.topics, affects.editions].map((q) => quote(both(q))).join(', ')
          : args(event === 'insert' ? 'after_rows' : 'before_rows');
      await sql.raw(`create trigger ${name} after ${event} on ${table} referencing ${referencing} for each statement execute function search_refresh(${argList})`).execute(db);
    }
  }

  await sql`select search_refresh_slots(array(select id from slots)),
                   search_refresh_topics(array(select id from topics)),
                   search_refresh_editions(array(select id from editions))`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

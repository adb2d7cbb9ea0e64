import { sql, type Kysely } from 'kysely';

/**
 * A word in angle brackets is a word: PostgreSQL's parser reads "<kfuncs>" in "BPF arena &
 * <kfuncs>", "<Corp>" in a sponsor "Acme <Corp> & Sons" or "<linux/if_link.h>" in a talk's title
 * as an XML tag, which the text search configuration drops, so that "kfuncs" found nothing. No
 * text search reads holds markup (titles, names, labels and places are plain text; abstracts and
 * notes are Markdown whose raw HTML the pages show as text), so search now reads an angle bracket
 * as a space, as it reads a hyphen or a slash between two words (migration 030,
 * src/domain/search/documents.ts, `words`).
 *
 * The meeting notes' and people's names' indexes are remade on that expression, and migration
 * 031's functions that make the stored documents of talks, topics and editions are replaced by
 * the same ones reading it, then run on every row. The triggers call them by name and stay.
 */
const MARK = '(?<=[[:alnum:]])([-/])(?=[[:alnum:]])|([<>])';
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

export async function up(db: Kysely<any>): Promise<void> {
  const words = (text: string) => sql.raw(w(text));
  await sql`drop index materials_search`.execute(db);
  await sql`drop index people_name_search`.execute(db);
  await sql`drop index person_names_search`.execute(db);
  await sql`create index materials_search on materials using gin (to_tsvector('conclave_text', ${words(`coalesce(label, '') || ' ' || coalesce(about, '') || ' ' || coalesce(body, '')`)}))`.execute(db);
  await sql`create index people_name_search on people using gin (to_tsvector('conclave_text', ${words('name')}))`.execute(db);
  await sql`create index person_names_search on person_names using gin (to_tsvector('conclave_text', ${words('name')}))`.execute(db);

  // As 031's, with the new reading.
  for (const [table, key, refresh] of [['search_slots', 'slot_id', refreshSlots], ['search_topics', 'topic_id', refreshTopics], ['search_editions', 'edition_id', refreshEditions]] as const) {
    await sql.raw(`create or replace function ${table.replace('search_', 'search_refresh_')}(ids integer[]) returns void language plpgsql as $$
      begin
        perform 1 from ${table} where ${key} = any(ids) order by ${key} for update;
        ${refresh};
      end $$`).execute(db);
  }
  await sql`select search_refresh_slots(array(select id from slots)),
                   search_refresh_topics(array(select id from topics)),
                   search_refresh_editions(array(select id from editions))`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

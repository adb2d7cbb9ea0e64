/**
 * What search reads: one row per searchable thing the public pages show, matching a tsquery.
 *
 * Visibility is decided here, once, and mirrors the pages: talks and their speakers only of
 * editions that are not 'planned'; topics only once accepted (a proposal only outside a planned
 * edition); meeting notes and edition materials as the edition page lists them (never those of a
 * topic that is not on the agenda); people only where a person page exists. Undecided, declined
 * and withdrawn proposals never appear. A talk is found by its title, its speakers and the labels
 * of the slides and other files its agenda row lists; an edition's own slides also by whom they
 * are from. An edition is found by the facts its page shows of every edition, planned or not: its
 * subtitle, its place, the event it is held with and its sponsors; and by the authors of the
 * meeting notes searched as above.
 *
 * The notes and names conditions use exactly the expressions indexed by migrations 009, 018, 020,
 * 030 and 033 (the configuration conclave_text folds accents; `words` reads hyphens, slashes and
 * angle brackets). The vectors of talks, topics and editions are read from the tables
 * search_slots, search_topics and search_editions, which migration 031's triggers keep up to date
 * on every write to what they are made of; the functions they call (033's, replacing 031's) hold
 * the expressions that make them (the same `words`, `everyName`, slot title and place as here).
 * Only the shown columns (titles, people, labels, anchors) are computed here, and
 * only for the documents that match. A change to what a document is made of is a new migration
 * replacing those functions. A writer of many statements in one transaction (an import, a
 * restore) defers them to its commit: deferSearchRefresh.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { slotAnchorSql } from '../editions/load-edition.js';

/**
 * Makes the rest of the transaction `trx` refresh each stored search document it touches once,
 * when it commits, instead of at the end of every statement (migration 032): for writers of many
 * statements in one transaction. Nothing else to call; its documents read stale until then.
 */
export async function deferSearchRefresh(trx: Kysely<any>): Promise<void> {
  await sql`select set_config('conclave.search_deferred', 'on', true)`.execute(trx);
}

/** The columns of every row of `matchingDocuments`. */
export interface DocumentRow {
  type: 'talk' | 'topic' | 'notes' | 'material' | 'person' | 'edition';
  /** The slot's kind, the topic's origin, the material's kind; null for people and editions. */
  subkind: string | null;
  series: string | null;
  series_name: string | null;
  edition_title: string | null;
  year: number | null;
  date: string | null;
  time: string | null;
  person_slug: string | null;
  /** The anchor on the edition page: a slot's row ("at-2011-06-14-1015"), a topic ("topic-3"), "notes" … */
  anchor: string | null;
  title: string;
  subtitle: string | null;
  body: string | null;
  people: { slug: string; name: string }[] | null;
  sort_id: number;
}

/**
 * Text as search reads it: a hyphen or a slash between two letters or digits is a space, so
 * that "Bridging/STP" is found by "bridging" and by "stp", "RFC-5549" by "5549" and by "rfc
 * 5549", and "Design of Mobile-IPV6" by the phrase "design of mobile". PostgreSQL's parser would
 * read "Bridging/STP" as one file-path token, "RFC-5549" as rfc and the signed number -5549, and
 * "Mobile-IPV6" as the whole word before its parts, each at a position of its own (so that a
 * phrase ending inside it matched nothing). Other hyphens and slashes stay: "-5", "a - b".
 *
 * An angle bracket is a space too: the parser reads "<kfuncs>" or "<linux/if_link.h>" as an
 * XML tag and drops it, so that "BPF arena & <kfuncs>" was not found by "kfuncs". No text search
 * reads holds markup: titles, names, labels and places are plain text, and abstracts and notes
 * are Markdown whose raw HTML the pages show as text (src/domain/markdown.ts), so a word in
 * brackets is a word there too. Migration 033 indexes the meeting notes and people's names, and
 * makes the stored documents, on exactly this expression (030 and 031 on the one before it).
 */
export const SPLITTING_MARK = '(?<=[[:alnum:]])([-/])(?=[[:alnum:]])|([<>])';
/** `text` as search reads it (see SPLITTING_MARK). */
export const words = (text: RawBuilder<unknown>) => sql`regexp_replace(${text}, ${sql.lit(SPLITTING_MARK)}, ' ', 'g')`;

const visibleTopic = (t: string, e: string) =>
  sql`${sql.ref(`${t}.state`)} = 'accepted' and (${sql.ref(`${t}.origin`)} <> 'proposal' or ${sql.ref(`${e}.status`)} <> 'planned')`;


/**
 * Every name a person is known by (their name and the other spellings the archive lists), so
 * that a talk is found by any of them: "Jeff Kirsher" finds the 2011 talk listed under "Jeffrey
 * T. Kirsher".
 */
const everyName = (p: string) =>
  sql`coalesce((select string_agg(n.name, ' ' order by n.name) from person_names n where n.person_id = ${sql.ref(`${p}.id`)} and n.name <> ${sql.ref(`${p}.name`)}) || ' ', '') || ${sql.ref(`${p}.name`)}`;

/** A slot's title as the agenda shows it: a slot made for a topic has none of its own, and shows the topic's. */
const slotTitle = sql`coalesce(nullif(btrim(s.title), ''), st.title, s.title)`;

/** Where an edition is, as its page says: the place, then the event it is held with and where. */
const place = sql`nullif(concat_ws('; ', nullif(btrim(e.location_text), ''),
  'held with ' || nullif(btrim(e.colocated_name), '') || coalesce(', ' || nullif(btrim(e.colocated_place), ''), '')), '')`;
const placeVector = sql`to_tsvector('conclave_text', ${words(sql`coalesce(${place}, '')`)})`;
/** The line under an edition's title ("Kernel Summit Networking Workshop"). */
const subtitleVector = sql`to_tsvector('conclave_text', ${words(sql`coalesce(e.subtitle, '')`)})`;
/** Whom an edition's slides are from, as its page says ("TCP_OSDL - From DaveM"). */
const creditVector = sql`to_tsvector('conclave_text', ${words(sql`coalesce(m.credit, '')`)})`;
const sponsorVector = sql`to_tsvector('conclave_text', ${words(sql`coalesce(es.names, '')`)})`;
const authorVector = sql`to_tsvector('conclave_text', ${words(sql`coalesce(en.every_name, '')`)})`;

/** A union of every visible document matching `tsq`, with its weighted vector as `doc`. */
export function matchingDocuments(tsq: RawBuilder<unknown>): RawBuilder<DocumentRow & { doc: unknown }> {
  return sql<DocumentRow & { doc: unknown }>`
    select 'talk'::text as type, s.kind::text as subkind, se.slug as series, se.name as series_name,
           e.title as edition_title, e.year, d.date::text as date, s.start_time as time,
           null::text as person_slug, ${slotAnchorSql('s', 'd.date')} as anchor,
           ${slotTitle} as title, s.talk_title as subtitle,
           case when sd.materials @@ ${tsq} then 'Materials: ' || sm.labels end as body, sp.people, s.id as sort_id,
           sd.head || setweight(sd.materials, 'C') as doc
      from search_slots sd
      join slots s on s.id = sd.slot_id
      join agenda_days d on d.id = s.day_id
      join editions e on e.id = d.edition_id
      join series se on se.id = e.series_id
      left join topics st on st.id = s.topic_id
      left join lateral (
        select json_agg(json_build_object('slug', p.slug, 'name', p.name) order by ss.position) as people
          from slot_speakers ss join people p on p.id = ss.person_id
         where ss.slot_id = s.id
      ) sp on true
      left join lateral (
        -- The slides and other files the agenda lists in the slot's row: its own, then its
        -- topic's; what each is about only where that tells them apart, as the row does.
        select string_agg(m.label || case when x.abouts > 1 then coalesce(' (' || nullif(btrim(m.about), '') || ')', '') else '' end,
                          ', ' order by m.slot_id nulls last, m.position, m.id) as labels
          from materials m
          cross join (select count(distinct coalesce(m2.about, '')) as abouts from materials m2
                       where m2.kind <> 'notes'
                         and (m2.slot_id = s.id or (m2.slot_id is null and s.topic_id is not null and m2.topic_id = s.topic_id))) x
         where m.kind <> 'notes'
           and (m.slot_id = s.id or (m.slot_id is null and s.topic_id is not null and m.topic_id = s.topic_id))
      ) sm on true
     where e.status <> 'planned'
       and (sd.head @@ ${tsq} or sd.materials @@ ${tsq})
    union all
    select 'topic', t.origin::text, se.slug, se.name, e.title, e.year, null, null, null,
           'topic-' || t.number,
           t.title, null, nullif(t.abstract, ''), tp.people, t.id,
           td.doc
      from search_topics td
      join topics t on t.id = td.topic_id
      join editions e on e.id = t.edition_id
      join series se on se.id = e.series_id
      left join lateral (
        select json_agg(json_build_object('slug', p.slug, 'name', p.name) order by pr.position) as people
          from topic_presenters pr join people p on p.id = pr.person_id
         where pr.topic_id = t.id
      ) tp on true
     where ${visibleTopic('t', 'e')}
       and td.doc @@ ${tsq}
    union all
    select case when m.kind = 'notes' then 'notes' else 'material' end, m.kind::text, se.slug, se.name, e.title, e.year,
           ms.date::text, ms.start_time,
           null, case when ms.start_time is not null then ms.anchor when m.kind in ('notes', 'group-photo') then m.kind::text else 'materials' end,
           m.label, case when m.kind = 'notes' then m.about else coalesce(m.about, 'From ' || nullif(btrim(m.credit), '')) end, m.body,
           case when a.id is null then null else json_build_array(json_build_object('slug', a.slug, 'name', a.name)) end,
           m.id,
           setweight(to_tsvector('conclave_text', ${words(sql`m.label`)}), 'A') || setweight(to_tsvector('conclave_text', ${words(sql`coalesce(m.about, '')`)}), 'B')
             || setweight(to_tsvector('conclave_text', ${words(sql`coalesce(m.body, '')`)}), 'C')
             || setweight(${creditVector}, 'B')
      from materials m
      join editions e on e.id = m.edition_id
      join series se on se.id = e.series_id
      left join people a on a.id = m.author_id
      left join lateral (
        select d2.date, s2.start_time, ${slotAnchorSql('s2', 'd2.date')} as anchor
          from slots s2 join agenda_days d2 on d2.id = s2.day_id
         where s2.id = m.slot_id or (m.slot_id is null and s2.topic_id = m.topic_id and d2.edition_id = m.edition_id)
         order by d2.date, s2.start_time
         limit 1
      ) ms on true
     where e.status <> 'planned'
       and (m.kind = 'notes' or (m.slot_id is null and m.topic_id is null))
       and (m.topic_id is null or (ms.start_time is not null
            and exists (select 1 from topics t where t.id = m.topic_id and t.state = 'accepted')))
       -- Each condition apart, so that the first is read from its index (migration 030): beside
       -- the credit's in one OR, it was computed for every material, notes and all.
       and m.id in (select mt.id from materials mt
                     where to_tsvector('conclave_text', ${words(sql`coalesce(mt.label, '') || ' ' || coalesce(mt.about, '') || ' ' || coalesce(mt.body, '')`)}) @@ ${tsq}
                    union all
                    select mc.id from materials mc
                     where mc.kind <> 'notes' and mc.credit is not null
                       and to_tsvector('conclave_text', ${words(sql`coalesce(mc.credit, '')`)}) @@ ${tsq})
    union all
    select 'edition', null, se.slug, se.name, e.title, e.year, e.start_date::text, null, null,
           case when ${subtitleVector} @@ ${tsq} or ${placeVector} @@ ${tsq} then null
                when ${sponsorVector} @@ ${tsq} then 'sponsors'
                when ${authorVector} @@ ${tsq} then 'notes' end,
           e.title, nullif(concat_ws('; ', nullif(btrim(e.subtitle), ''), ${place}), ''),
           concat_ws('; ', 'Sponsors: ' || es.names, case when es.names is null then 'Meeting' else 'meeting' end || ' notes by ' || en.names),
           null, e.id,
           ed.doc
      from search_editions ed
      join editions e on e.id = ed.edition_id
      join series se on se.id = e.series_id
      left join lateral (
        -- Not joined by commas: a sponsor's name may have one ("Foo, Inc.").
        select string_agg(x.name, ' · ' order by x.position, x.id) as names from sponsors x where x.edition_id = e.id
      ) es on true
      left join lateral (
        select string_agg(coalesce(a.name, nullif(btrim(m.credit), '')), ', ' order by m.position, m.id) as names,
               string_agg(case when a.id is null then coalesce(m.credit, '') else ${everyName('a')} end, ' ') as every_name
          from materials m left join people a on a.id = m.author_id
         where m.edition_id = e.id and m.kind = 'notes' and e.status <> 'planned'
           and (a.id is not null or nullif(btrim(m.credit), '') is not null)
           and (m.topic_id is null
                or exists (select 1 from topics t join slots s on s.topic_id = t.id join agenda_days d on d.id = s.day_id
                            where t.id = m.topic_id and t.state = 'accepted' and d.edition_id = e.id))
      ) en on true
     where ed.doc @@ ${tsq}
    union all
    select 'person', null, null, null, null, null, null, null, p.slug, null,
           p.name, al.names, null, null, p.id,
           setweight(to_tsvector('conclave_text', ${words(sql`p.name || ' ' || coalesce(al.names, '')`)}), 'A')
      from people p
      left join lateral (
        select string_agg(n.name, ', ' order by n.name) as names
          from person_names n where n.person_id = p.id and n.name <> p.name
      ) al on true
     where (to_tsvector('conclave_text', ${words(sql`p.name`)}) @@ ${tsq}
            or exists (select 1 from person_names n where n.person_id = p.id and to_tsvector('conclave_text', ${words(sql`n.name`)}) @@ ${tsq}))
       and (exists (select 1 from attendances x where x.person_id = p.id)
            or exists (select 1 from committee_members x where x.person_id = p.id)
            or exists (select 1 from slot_speakers x
                         join slots s on s.id = x.slot_id
                         join agenda_days d on d.id = s.day_id
                         join editions e on e.id = d.edition_id
                        where x.person_id = p.id and e.status <> 'planned')
            or exists (select 1 from topic_presenters x
                         join topics t on t.id = x.topic_id
                         join editions e on e.id = t.edition_id
                        where x.person_id = p.id and ${visibleTopic('t', 'e')}))`;
}

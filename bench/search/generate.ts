/**
 * A generated archive for the search benchmark, inserted straight into the tables: `editions`
 * editions (series "bench", one a year from 1961) of 3 days × 12 slots (talks with 1–3 speakers
 * out of a pool of 2,000 people, a break and a lunch a day; a third of the talks made for an
 * accepted topic), each talk with 0–3 materials with labels, 10 topics with abstracts (7
 * accepted), one set of meeting notes a day of a few KB, a few topic notes, and the edition's own
 * slides with a credit. Only columns that search has read since before commit 33420d0, so that
 * the same generator fills the database of the code before it. Deterministic.
 *
 * Words the queries rely on: "offload" is common (titles, abstracts, notes); "quiescence" is rare
 * (a few notes); "flamegraphs" is only in material labels; the people are named from FIRST × LAST.
 */
import { sql, type Insertable, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';

let seed = 4242;
const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;

export const FIRST = [
  'Alice', 'Bob', 'Chen', 'Dmitri', 'Eva', 'Farid', 'Greta', 'Hiro', 'Ines', 'Jakub', 'Kofi', 'Lena', 'Marek', 'Nadia', 'Oskar', 'Priya', 'Quentin', 'Rosa', 'Sven', 'Tariq',
  'Uma', 'Viktor', 'Wen', 'Ximena', 'Yusuf', 'Zofia', 'Anders', 'Bianca', 'Carlos', 'Dagny', 'Emil', 'Fatima', 'Gustav', 'Helga', 'Ivo', 'Jana', 'Karim', 'Liesel', 'Mateo', 'Noor',
];
export const LAST = [
  'Andersen', 'Brown', 'Castro', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Horvat', 'Ivanov', 'Jensen', 'Kowalski', 'Larsen', 'Moreau', 'Novak', 'Olsen', 'Petrov', 'Quist', 'Rossi', 'Schmidt', 'Tanaka',
  'Underwood', 'Varga', 'Weber', 'Xu', 'Yamamoto', 'Zimmer', 'Achterberg', 'Bergstrom', 'Cortez', 'Dalton', 'Engel', 'Ferreira', 'Gallo', 'Hartmann', 'Ito', 'Jovanovic', 'Keller', 'Lindqvist', 'Marino', 'Nakamura',
  'Oyelaran', 'Pohl', 'Quaresma', 'Ruiz', 'Sato', 'Thorsen', 'Ueda', 'Vogel', 'Wagner', 'Yilmaz',
];
const TECH = ['XDP', 'offload', 'TCP', 'congestion control', 'BPF', 'netfilter', 'bonding', 'GRO', 'GSO', 'QUIC', 'MPTCP', 'SR-IOV', 'switchdev', 'qdisc', 'IPv6', 'routing', 'sockets', 'zerocopy', 'busy polling', 'RSS', 'checksums', 'encapsulation', 'conntrack', 'VXLAN', 'page pool', 'io_uring', 'AF_XDP', 'tracing', 'bridging', 'multicast'];
const FILLER = ['the', 'driver', 'patch', 'series', 'we', 'agreed', 'that', 'maintainers', 'should', 'review', 'latency', 'throughput', 'benchmark', 'results', 'were', 'shown', 'with', 'a', 'new', 'API', 'for', 'queues', 'hardware', 'vendors', 'asked', 'about', 'upstream', 'kernel', 'next', 'release', 'memory', 'allocation', 'locking', 'per-CPU', 'counters', 'regression', 'tests', 'follow', 'up', 'on', 'list', 'discussion', 'of', 'design', 'and', 'implementation', 'cost', 'in', 'production'];
const LABELS = ['Slides', 'Video', 'Paper', 'Demo', 'Animations', 'Handout', 'Recording', 'Diagrams'];

const title = () => `${pick(TECH)} ${pick(['and', 'versus', 'for', 'without', 'over', 'in'])} ${pick(TECH)}`;

/** A text of about `words` words; "offload" comes up often, "quiescence" when `rare`. */
function text(words: number, rare = false): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    if (i % 12 === 0 && out.length > 0) out[out.length - 1] += '.';
    out.push(rnd() < 0.12 ? pick(TECH) : pick(FILLER));
  }
  if (rare) out.splice(int(0, out.length - 1), 0, 'quiescence');
  return `${out.join(' ')}.`;
}

/** Inserts in chunks (PostgreSQL allows 65,535 parameters a statement). */
async function insertMany<T extends keyof Database & string>(db: Kysely<Database>, table: T, rows: object[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await db.insertInto(table).values(rows.slice(i, i + 500) as any).execute();
  }
}

export interface Sizes {
  editions: number;
  people: number;
}

/**
 * Fills an empty, migrated database, in one transaction that makes the stored search documents
 * (migration 031) once, at its commit (migration 032; the setting means nothing to a schema
 * before it). Returns the number of rows of the main tables.
 */
export async function generateArchive(db: Kysely<Database>, sizes: Sizes): Promise<Record<string, number>> {
  return db.transaction().execute(async (trx) => {
    await sql`select set_config('conclave.search_deferred', 'on', true)`.execute(trx);
    return fill(trx, sizes);
  });
}

async function fill(db: Kysely<Database>, sizes: Sizes): Promise<Record<string, number>> {
  seed = 4242;
  const people = [];
  for (let i = 0; i < sizes.people; i++) {
    const name = `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}${i >= FIRST.length * LAST.length ? ` ${i}` : ''}`;
    people.push({ slug: `bench-person-${i}`, name, name_key: name.toLowerCase(), affiliation: null });
  }
  await insertMany(db, 'people', people);
  const pool = await db.selectFrom('people').select(['id', 'name']).orderBy('id').execute();
  const series = await db.insertInto('series').values({ slug: 'bench', name: 'Bench workshop' }).returning('id').executeTakeFirstOrThrow();

  for (let n = 0; n < sizes.editions; n++) {
    const year = 1961 + n;
    const dayDates = [0, 1, 2].map((d) => `${year}-06-${String(10 + d).padStart(2, '0')}`);
    const ed = await db
      .insertInto('editions')
      .values({
        series_id: series.id,
        year,
        title: `Bench workshop ${year}`,
        subtitle: `The ${pick(TECH)} workshop`,
        intro: JSON.stringify([`Generated edition ${n}.`]),
        sections: JSON.stringify(['attendees', 'agenda', 'proposed-topics', 'notes']),
        status: 'final',
        location_text: pick(['Seville, Spain', 'Ottawa, Canada', 'Tokyo, Japan', 'Portland, OR', 'Boston, MA']),
        dates_text: `June 10–12, ${year}`,
        start_date: dayDates[0]!,
        end_date: dayDates[2]!,
        time_zone: 'UTC',
        has_attendee_list: true,
        schedule_published_at: new Date(`${year}-05-01T10:00:00Z`),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Its people: a window of the pool, so that people recur across neighbouring editions.
    const start = Math.floor((n * (sizes.people - 150)) / Math.max(1, sizes.editions - 1));
    const window = pool.slice(start, start + 150);
    const attendees = Array.from(new Set(Array.from({ length: 80 }, () => pick(window))));
    await insertMany(db, 'attendances', attendees.map((p, i) => ({ edition_id: ed.id, person_id: p.id, name_as_listed: p.name, position: i, source: 'invitation' as const })));
    await insertMany(db, 'sponsors', [0, 1, 2].map((i) => ({ edition_id: ed.id, name: pick(['Acme Networks', 'Initech', 'Globex', 'Hooli']), kind: 'company' as const, url: null, position: i })));

    const topics = await db
      .insertInto('topics')
      .values(
        Array.from({ length: 10 }, (_, i) => ({
          edition_id: ed.id,
          number: i + 1,
          title: title(),
          abstract: text(int(40, 90)),
          origin: 'proposal' as const,
          state: i < 7 ? ('accepted' as const) : ('declined' as const),
          proposer_id: pick(attendees).id,
        })),
      )
      .returning(['id', 'state'])
      .execute();
    const accepted = topics.filter((t) => t.state === 'accepted');
    await insertMany(db, 'topic_presenters', accepted.map((t) => ({ topic_id: t.id, person_id: pick(attendees).id, position: 0 })));

    const days = await db
      .insertInto('agenda_days')
      .values(dayDates.map((date, i) => ({ edition_id: ed.id, date, label: `Day ${i + 1}`, position: i })))
      .returning('id')
      .execute();
    const slots: Insertable<Database['slots']>[] = [];
    let nextTopic = 0;
    for (const d of days) {
      for (let i = 0; i < 12; i++) {
        const minutes = 9 * 60 + i * 40;
        const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
        const kind = i === 5 ? 'meal' : i === 2 || i === 8 ? 'break' : 'talk';
        const topic = kind === 'talk' && i % 3 === 0 && nextTopic < accepted.length ? accepted[nextTopic++]!.id : null;
        slots.push({
          day_id: d.id,
          position: i,
          start_time: hhmm(minutes),
          end_time: hhmm(minutes + 35),
          kind,
          // A slot made for a topic shows the topic's title.
          title: kind === 'meal' ? 'Lunch' : kind === 'break' ? 'Coffee' : topic !== null ? '' : title(),
          talk_title: kind === 'talk' && rnd() < 0.2 ? title() : null,
          topic_id: topic,
          room: null,
        });
      }
    }
    const slotRows = await db.insertInto('slots').values(slots).returning(['id', 'kind', 'topic_id']).execute();
    const speakers: Insertable<Database['slot_speakers']>[] = [];
    const materials: Insertable<Database['materials']>[] = [];
    let position = 0;
    for (const s of slotRows) {
      if (s.kind !== 'talk') continue;
      const who = Array.from(new Set(Array.from({ length: int(1, 3) }, () => pick(attendees))));
      who.forEach((p, i) => speakers.push({ slot_id: s.id, person_id: p.id, name_as_listed: p.name, position: i }));
      // A topic's slot has its materials on the topic; another on the slot.
      const count = int(0, 3);
      for (let i = 0; i < count; i++) {
        const label = rnd() < 0.03 ? 'Flamegraphs' : pick(LABELS);
        materials.push({
          edition_id: ed.id,
          slot_id: s.topic_id === null ? s.id : null,
          topic_id: s.topic_id,
          kind: label === 'Video' || label === 'Recording' ? 'video' : label === 'Animations' ? 'animation' : 'slides',
          label,
          about: count > 1 && rnd() < 0.5 ? pick(who).name : null,
          url: `https://example.org/${ed.id}/${s.id}/${i}`,
          credit: null,
          position: position++,
        });
      }
    }
    await insertMany(db, 'slot_speakers', speakers);
    // Meeting notes: one a day, and for two topics; bodies of a few KB.
    days.forEach((_, i) =>
      materials.push({ edition_id: ed.id, kind: 'notes', label: `Notes, day ${i + 1}`, about: null, body: text(int(400, 900), rnd() < 0.05), author_id: pick(attendees).id, position: position++ }),
    );
    for (const t of accepted.slice(0, 2))
      materials.push({ edition_id: ed.id, topic_id: t.id, kind: 'notes', label: 'Notes', about: title(), body: text(int(150, 300)), author_id: pick(attendees).id, position: position++ });
    // The edition's own slides, with whom they are from.
    materials.push({ edition_id: ed.id, kind: 'slides', label: `${pick(TECH)} overview`, about: null, credit: `From ${pick(attendees).name}`, url: `https://example.org/${ed.id}/slides`, position: position++ });
    await insertMany(db, 'materials', materials);
  }

  const counts: Record<string, number> = {};
  for (const t of ['people', 'editions', 'slots', 'slot_speakers', 'topics', 'materials'] as const) {
    const r = await db.selectFrom(t).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    counts[t] = Number(r.n);
  }
  return counts;
}

/**
 * Generated editions for the static-export benchmark, inserted straight into the tables: each
 * edition has 2–3 days of 10–12 slots (talks with one or two speakers, breaks, a lunch, a
 * dinner), a room per talk, 40–70 attendees (a third with a public address, some with a private
 * one), 3–6 sponsors, a committee of 4, 6 accepted topics and a few declined ones, and a
 * published schedule. People come from a pool that grows with the number of editions (two new
 * people per edition), so that people pages grow linearly too. Deterministic.
 */
import type { Insertable, Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';

let seed = 20251;
const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;

const FIRST = ['Alice', 'Bob', 'Chen', 'Dmitri', 'Eva', 'Farid', 'Greta', 'Hiro', 'Ines', 'Jakub', 'Kofi', 'Lena', 'Marek', 'Nadia', 'Oskar', 'Priya', 'Quentin', 'Rosa', 'Sven', 'Tariq'];
const LAST = ['Andersen', 'Brown', 'Castro', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Horvat', 'Ivanov', 'Jensen', 'Kowalski', 'Larsen', 'Moreau', 'Novak', 'Olsen', 'Petrov', 'Quist', 'Rossi', 'Schmidt', 'Tanaka'];
const WORDS = ['XDP', 'offload', 'TCP', 'congestion', 'BPF', 'netfilter', 'bonding', 'team', 'GRO', 'GSO', 'QUIC', 'MPTCP', 'SR-IOV', 'switchdev', 'tc', 'qdisc', 'IPv6', 'routing', 'sockets', 'zerocopy', 'busy polling', 'RSS', 'checksums', 'encapsulation'];
const CITIES = [
  ['Seville, Spain', 'Europe/Madrid'],
  ['Ottawa, Canada', 'America/Toronto'],
  ['Tokyo, Japan', 'Asia/Tokyo'],
  ['Portland, OR', 'America/Los_Angeles'],
  ['Boston, MA', 'America/New_York'],
] as const;
const SPONSORS = ['Acme Networks', 'Initech', 'Globex', 'Umbrella Labs', 'Hooli', 'Vandelay Industries', 'Stark Silicon', 'Wayne Interconnect'];

const title = () => `${pick(WORDS)} ${pick(['and', 'versus', 'for', 'without', 'over'])} ${pick(WORDS)}`;

/** Inserts in chunks (PostgreSQL allows 65,535 parameters a statement). */
async function insertMany<T extends keyof Database & string>(db: Kysely<Database>, table: T, rows: object[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await db.insertInto(table).values(rows.slice(i, i + 1000) as any).execute();
  }
}

/** People bench-person-<from>… <to-1>, a third with a public address and a tenth with a private one. */
async function makePeople(db: Kysely<Database>, from: number, to: number): Promise<void> {
  if (to <= from) return;
  const people = [];
  for (let i = from; i < to; i++) {
    const name = `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]} ${i}`;
    people.push({ slug: `bench-person-${i}`, name, name_key: `bench person ${i}`, affiliation: i % 4 === 0 ? pick(SPONSORS) : null });
  }
  await insertMany(db, 'people', people);
  const ids = await db.selectFrom('people').select(['id', 'slug']).where('slug', 'like', 'bench-person-%').execute();
  const byIndex = new Map(ids.map((r) => [Number(r.slug.slice('bench-person-'.length)), r.id]));
  const emails = [];
  for (let i = from; i < to; i++) {
    if (i % 3 === 0) emails.push({ person_id: byIndex.get(i)!, email: `person${i}@bench.example.org`, is_public: true, is_primary: true });
    else if (i % 10 === 1) emails.push({ person_id: byIndex.get(i)!, email: `private${i}@bench.example.org`, is_public: false, is_primary: true });
  }
  await insertMany(db, 'person_emails', emails);
}

/**
 * Adds generated editions until the database holds `total` of them (series bench-0, bench-1 …,
 * a hundred years each from 1901). Returns how many it added.
 */
export async function generateEditions(db: Kysely<Database>, total: number): Promise<number> {
  const have = (await db.selectFrom('editions').innerJoin('series', 'series.id', 'editions.series_id').select('editions.id').where('series.slug', 'like', 'bench-%').execute()).length;
  if (have >= total) return 0;
  await makePeople(db, 200 + 2 * have, 200 + 2 * total);
  const people = (await db.selectFrom('people').select(['id', 'name']).where('slug', 'like', 'bench-person-%').orderBy('id').execute());

  for (let n = have; n < total; n++) {
    const seriesSlug = `bench-${Math.floor(n / 100)}`;
    let series = await db.selectFrom('series').select('id').where('slug', '=', seriesSlug).executeTakeFirst();
    series ??= await db.insertInto('series').values({ slug: seriesSlug, name: `Bench workshop ${Math.floor(n / 100)}` }).returning('id').executeTakeFirstOrThrow();
    const year = 1901 + (n % 100);
    const [place, tz] = pick(CITIES);
    const days = int(2, 3);
    const start = `${year}-06-${String(int(1, 20)).padStart(2, '0')}`;
    const dayDates = Array.from({ length: days }, (_, d) => `${year}-06-${String(Number(start.slice(8)) + d).padStart(2, '0')}`);
    const ed = await db
      .insertInto('editions')
      .values({
        series_id: series.id,
        year,
        title: `Bench workshop ${year} (${n})`,
        subtitle: 'A generated edition',
        intro: JSON.stringify([`Generated edition ${n} in ${place}.`]),
        sections: JSON.stringify(['sponsors', 'committee', 'attendees', 'agenda']),
        status: 'final',
        location_text: place,
        dates_text: `June ${start.slice(8)}, ${year}`,
        start_date: dayDates[0]!,
        end_date: dayDates[days - 1]!,
        time_zone: tz,
        has_attendee_list: true,
        schedule_published_at: new Date(`${year}-05-01T10:00:00Z`),
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    // Its people: a window of the pool, so that people recur across neighbouring editions.
    const window = people.slice(2 * n, 2 * n + 200);
    const attendees = Array.from(new Set(Array.from({ length: int(40, 70) }, () => pick(window))));
    await insertMany(
      db,
      'attendances',
      attendees.map((p, i) => ({ edition_id: ed.id, person_id: p.id, name_as_listed: p.name, position: i, source: 'invitation' as const })),
    );
    await insertMany(
      db,
      'committee_members',
      attendees.slice(0, 4).map((p, i) => ({ edition_id: ed.id, person_id: p.id, role: i === 0 ? 'chair' : null, position: i })),
    );
    await insertMany(
      db,
      'sponsors',
      Array.from({ length: int(3, 6) }, (_, i) => ({ edition_id: ed.id, name: SPONSORS[(n + i) % SPONSORS.length]!, kind: 'company' as const, url: `https://sponsor${i}.example.com/`, position: i })),
    );
    const topics = Array.from({ length: 9 }, (_, i) => ({
      edition_id: ed.id,
      number: i + 1,
      title: title(),
      abstract: `What we know about ${pick(WORDS)}, and what is next.`,
      origin: 'proposal' as const,
      state: i < 6 ? ('accepted' as const) : ('declined' as const),
      proposer_id: pick(attendees).id,
    }));
    await insertMany(db, 'topics', topics);

    const dayRows = await db
      .insertInto('agenda_days')
      .values(dayDates.map((date, i) => ({ edition_id: ed.id, date, label: `Day ${i + 1}`, position: i })))
      .returning('id')
      .execute();
    const slots: Insertable<Database['slots']>[] = [];
    for (const d of dayRows) {
      const count = int(10, 12);
      for (let i = 0; i < count; i++) {
        const minutes = 9 * 60 + i * 45;
        const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
        const kind = i === 4 ? 'meal' : i === count - 1 ? 'social' : i % 3 === 2 ? 'break' : 'talk';
        slots.push({
          day_id: d.id,
          position: i,
          start_time: hhmm(minutes),
          end_time: hhmm(minutes + 40),
          kind,
          title: kind === 'meal' ? 'Lunch' : kind === 'social' ? 'Dinner' : kind === 'break' ? 'Coffee' : title(),
          room: kind === 'talk' ? pick(['Room A', 'Room B', 'Hall']) : null,
        });
      }
    }
    const slotRows = await db.insertInto('slots').values(slots).returning(['id', 'kind']).execute();
    const speakers: Insertable<Database['slot_speakers']>[] = [];
    for (const s of slotRows) {
      if (s.kind !== 'talk') continue;
      const who = Array.from(new Set([pick(attendees), ...(rnd() < 0.3 ? [pick(attendees)] : [])]));
      who.forEach((p, i) => speakers.push({ slot_id: s.id, person_id: p.id, name_as_listed: p.name, position: i }));
    }
    await insertMany(db, 'slot_speakers', speakers);
  }
  return total - have;
}

/**
 * The public view of an edition: every fact of it, in the shape the page, the JSON and the
 * exports read. Only what may be shown is here: an address appears only while its owner lets it.
 * The shape is documented in docs/edition-json.md; change both together.
 */
import type { Kysely } from 'kysely';
import type { Database, EditionStatus, MaterialKind, SlotKind, SponsorKind } from '../../db/schema.js';
import { findEdition } from './find-edition.js';
import { editionOrdinals } from './ordinals.js';

export interface PersonRef {
  slug: string;
  name: string;
}

export interface MaterialView {
  kind: MaterialKind;
  format: string | null;
  label: string;
  about: string | null;
  url: string | null;
  credit: string | null;
  author: PersonRef | null;
  /** Meeting notes: their Markdown text. */
  body: string | null;
  /** A stored photo's thumbnail. */
  thumbUrl: string | null;
}

export interface SlotView {
  start: string;
  end: string | null;
  openEnded: boolean;
  timeText: string | null;
  kind: SlotKind;
  title: string;
  talkTitle: string | null;
  room: string | null;
  speakers: (PersonRef & { nameAsListed: string })[];
  materials: MaterialView[];
}

export interface EditionView {
  series: { slug: string; name: string };
  year: number;
  title: string;
  subtitle: string | null;
  motto: string | null;
  intro: string[];
  /** 1-based place of this edition in the series' list of editions, computed. */
  ordinal: number;
  editionsKnown: number;
  status: EditionStatus;
  /** When the schedule built in conclave was first published; its changelog starts then. */
  schedulePublishedAt: string | null;
  location: { text: string | null; city: string | null; region: string | null; country: string | null };
  dates: { text: string | null; start: string | null; end: string | null };
  timeZone: string | null;
  colocated: {
    name: string;
    sentence: string | null;
    datesText: string | null;
    start: string | null;
    end: string | null;
    place: string | null;
  } | null;
  sponsors: { name: string; kind: SponsorKind; url: string | null; logo: { alt: string | null; src: string | null } | null }[];
  committee: (PersonRef & { role: string | null; email: string | null; emailRedacted: boolean })[];
  attendeesLabel: string | null;
  attendees: (PersonRef & { nameAsListed: string; email: string | null; emailRedacted: boolean; affiliation: string | null })[] | null;
  agenda: { date: string; label: string; columns: string; slots: SlotView[] }[];
  proposedTopics: { number: number; title: string; description: string; descriptionFormat: 'markdown' | 'text'; presenters: PersonRef[] }[];
  inviteeTopics: { person: PersonRef; nameAsListed: string; topics: string[] }[];
  meetingNotes: MaterialView[];
  groupPhoto: MaterialView | null;
  materialsLabel: string | null;
  materials: MaterialView[];
  references: { title: string; url: string | null }[];
  sections: string[];
  source: { file: string | null; sha256: string | null; importedAt: string };
}

/** Where a stored file is served: by hash, under the name it was uploaded with. */
export function fileUrl(sha256: string, name: string | null): string {
  return name ? `/files/${sha256}/${encodeURIComponent(name)}` : `/files/${sha256}`;
}

export async function loadEdition(deps: { db: Kysely<Database> }, seriesSlug: string, year: number): Promise<EditionView> {
  const { db } = deps;
  const e = await findEdition(db, { series: seriesSlug, year });

  const ordinals = await editionOrdinals(deps, e.series_id);
  const people = new Map<number, PersonRef>();
  const affiliations = new Map<number, string>();
  const personRef = (id: number | null) => (id === null ? null : (people.get(id) ?? null));

  const [committee, attendances, sponsors, days, slots, speakers, materials, allTopics, presenters, refs] =
    await Promise.all([
      db.selectFrom('committee_members').selectAll().where('edition_id', '=', e.id).orderBy('position').execute(),
      db.selectFrom('attendances').selectAll().where('edition_id', '=', e.id).orderBy('position').execute(),
      db.selectFrom('sponsors').selectAll().where('edition_id', '=', e.id).orderBy('position').execute(),
      db.selectFrom('agenda_days').selectAll().where('edition_id', '=', e.id).orderBy('position').execute(),
      db
        .selectFrom('slots')
        .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
        .selectAll('slots')
        .where('agenda_days.edition_id', '=', e.id)
        .orderBy('slots.day_id')
        .orderBy('slots.position')
        .execute(),
      db
        .selectFrom('slot_speakers')
        .innerJoin('slots', 'slots.id', 'slot_speakers.slot_id')
        .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
        .selectAll('slot_speakers')
        .where('agenda_days.edition_id', '=', e.id)
        .orderBy('slot_speakers.position')
        .execute(),
      db.selectFrom('materials').selectAll().where('edition_id', '=', e.id).orderBy('position').execute(),
      db.selectFrom('topics').selectAll().where('edition_id', '=', e.id).orderBy('number').execute(),
      db
        .selectFrom('topic_presenters')
        .innerJoin('topics', 'topics.id', 'topic_presenters.topic_id')
        .selectAll('topic_presenters')
        .where('topics.edition_id', '=', e.id)
        .orderBy('topic_presenters.position')
        .execute(),
      db.selectFrom('edition_references').selectAll().where('edition_id', '=', e.id).orderBy('position').execute(),
    ]);

  // A planned edition's program is the committee's work in progress: no slot and no proposal is
  // public until the schedule is published (status tentative or final).
  const hidden = e.status === 'planned';
  const topicTitles = new Map(allTopics.map((t) => [t.id, t.title]));
  const topics = allTopics.filter((t) => t.state === 'accepted' && !(hidden && t.origin === 'proposal'));
  if (hidden) {
    slots.length = 0;
    speakers.length = 0;
  }

  const ids = new Set<number>([
    ...committee.map((c) => c.person_id),
    ...attendances.map((a) => a.person_id),
    ...speakers.map((s) => s.person_id),
    ...presenters.map((p) => p.person_id),
    ...materials.flatMap((m) => (m.author_id === null ? [] : [m.author_id])),
  ]);
  // Shown addresses of this edition's people only: a page view must not read every address.
  const publicEmails =
    ids.size === 0
      ? []
      : await db
          .selectFrom('person_emails')
          .select(['person_id', 'email'])
          .where('is_public', '=', true)
          .where('person_id', 'in', [...ids])
          .orderBy('is_primary', 'desc')
          .orderBy('id')
          .execute();
  if (ids.size > 0) {
    const rows = await db.selectFrom('people').select(['id', 'slug', 'name', 'affiliation']).where('id', 'in', [...ids]).execute();
    for (const r of rows) {
      people.set(r.id, { slug: r.slug, name: r.name });
      if (r.affiliation) affiliations.set(r.id, r.affiliation);
    }
  }
  const shown = new Map<string, number>();
  const firstPublic = new Map<number, string>();
  for (const pe of publicEmails) {
    shown.set(pe.email.toLowerCase(), pe.person_id);
    if (!firstPublic.has(pe.person_id)) firstPublic.set(pe.person_id, pe.email);
  }
  const visible = (personId: number, listed: string | null) =>
    listed !== null && shown.get(listed.toLowerCase()) === personId ? listed : null;

  const materialView = (m: (typeof materials)[number]): MaterialView => ({
    kind: m.kind,
    format: m.format,
    label: m.label,
    about: m.about,
    url: m.url ?? (m.file_sha256 ? fileUrl(m.file_sha256, m.file_name) : null),
    credit: m.credit,
    author: personRef(m.author_id),
    body: m.body,
    thumbUrl: m.thumb_sha256 ? fileUrl(m.thumb_sha256, null) : null,
  });

  const slotViews = new Map<number, SlotView[]>();
  for (const s of slots) {
    const list = slotViews.get(s.day_id) ?? [];
    list.push({
      start: s.start_time,
      end: s.end_time,
      openEnded: s.open_ended,
      timeText: s.time_text,
      kind: s.kind,
      // A slot made for an accepted topic shows the topic's title (kept in step with it).
      title: s.title.trim() === '' && s.topic_id !== null ? (topicTitles.get(s.topic_id) ?? '') : s.title,
      talkTitle: s.talk_title,
      room: s.room,
      speakers: speakers
        .filter((sp) => sp.slot_id === s.id)
        .map((sp) => ({ ...people.get(sp.person_id)!, nameAsListed: sp.name_as_listed })),
      // A slot's own materials, then those of its topic (a speaker's slides follow the topic).
      materials: [
        ...materials.filter((m) => m.slot_id === s.id),
        ...materials.filter((m) => m.slot_id === null && m.topic_id !== null && m.topic_id === s.topic_id),
      ].map(materialView),
    });
    slotViews.set(s.day_id, list);
  }

  const editionMaterials = materials.filter((m) => m.slot_id === null && m.topic_id === null);
  const invitees = attendances.filter((a) => a.source === 'invitees');
  const listed = attendances.filter((a) => a.source !== 'invitees');
  const inviteeTopics = topics.filter((t) => t.origin === 'invitee');

  return {
    series: { slug: e.series_slug, name: e.series_name },
    year: e.year,
    title: e.title,
    subtitle: e.subtitle,
    motto: e.motto,
    intro: e.intro,
    ordinal: ordinals.get(e.year) ?? 0,
    editionsKnown: ordinals.size,
    status: e.status,
    schedulePublishedAt: e.schedule_published_at ? e.schedule_published_at.toISOString() : null,
    location: { text: e.location_text, city: e.city, region: e.region, country: e.country },
    dates: { text: e.dates_text, start: e.start_date, end: e.end_date },
    timeZone: e.time_zone,
    colocated: e.colocated_name
      ? {
          name: e.colocated_name,
          sentence: e.colocated_sentence,
          datesText: e.colocated_dates_text,
          start: e.colocated_start,
          end: e.colocated_end,
          place: e.colocated_place,
        }
      : null,
    sponsors: sponsors.map((s) => ({
      name: s.name,
      kind: s.kind,
      url: s.url,
      logo: s.logo_alt || s.logo_src || s.logo_sha256 ? { alt: s.logo_alt, src: s.logo_thumb_sha256 ? `/files/${s.logo_thumb_sha256}` : s.logo_sha256 ? `/files/${s.logo_sha256}` : s.logo_src } : null,
    })),
    committee: committee.map((c) => ({
      ...people.get(c.person_id)!,
      role: c.role,
      email: c.email_redacted ? null : (firstPublic.get(c.person_id) ?? null),
      emailRedacted: c.email_redacted,
    })),
    attendeesLabel: e.attendees_label,
    attendees:
      e.has_attendee_list || listed.length > 0
        ? listed.map((a) => ({
            ...people.get(a.person_id)!,
            nameAsListed: a.name_as_listed,
            email: a.source === 'page' ? visible(a.person_id, a.email_as_listed) : (firstPublic.get(a.person_id) ?? null),
            emailRedacted: a.email_redacted,
            // Given by the person themselves (invitations); pages of the archive list none.
            affiliation: a.source === 'invitation' ? (affiliations.get(a.person_id) ?? null) : null,
          }))
        : null,
    agenda: hidden
      ? []
      : days.filter((d) => (slotViews.get(d.id) ?? []).length > 0).map((d) => ({ date: d.date, label: d.label, columns: d.columns, slots: slotViews.get(d.id) ?? [] })),
    proposedTopics: topics
      .filter((t) => t.origin !== 'invitee')
      .map((t) => ({
        number: t.number,
        title: t.title,
        description: t.abstract,
        /** Proposals are written in Markdown; topics of imported pages are plain text. */
        descriptionFormat: t.origin === 'proposal' ? ('markdown' as const) : ('text' as const),
        presenters: presenters.filter((p) => p.topic_id === t.id).map((p) => people.get(p.person_id)!),
      })),
    inviteeTopics: invitees.map((a) => ({
      person: people.get(a.person_id)!,
      nameAsListed: a.name_as_listed,
      topics: inviteeTopics
        .filter((t) => presenters.some((p) => p.topic_id === t.id && p.person_id === a.person_id))
        .map((t) => t.title),
    })),
    meetingNotes: editionMaterials.filter((m) => m.kind === 'notes').map(materialView),
    groupPhoto: editionMaterials.filter((m) => m.kind === 'group-photo').map(materialView)[0] ?? null,
    materialsLabel: e.materials_label,
    materials: editionMaterials.filter((m) => m.kind !== 'notes' && m.kind !== 'group-photo').map(materialView),
    references: refs.map((r) => ({ title: r.title, url: r.url })),
    sections: e.sections,
    source: { file: e.source_file, sha256: e.source_sha256, importedAt: e.updated_at.toISOString() },
  };
}

/**
 * What the materials pages and commands read: an edition's materials with what they belong to,
 * the slots and topics a material may be attached to (all of them, or a speaker's own), and the
 * people of an edition (who may be credited with meeting notes).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, MaterialKind, SlotKind, TopicState } from '../../db/schema.js';
import { fileUrl } from '../editions/load-edition.js';
import { InvalidInput } from '../errors.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface MaterialItem {
  id: number;
  kind: MaterialKind;
  label: string;
  format: string | null;
  /** Where the public follows it: the stored file, or the link. */
  url: string | null;
  fileName: string | null;
  fileSha256: string | null;
  size: number | null;
  mediaType: string | null;
  thumbUrl: string | null;
  slotId: number | null;
  topicId: number | null;
  /** "Tue 10:00 Ana Speaker: XDP offloads", "Topic 3: …", or "the edition". */
  target: string;
  credit: string | null;
  author: { id: number; name: string; slug: string } | null;
  hasBody: boolean;
  uploadedBy: string | null;
  imported: boolean;
  createdAt: string;
}

export interface MaterialTarget {
  /** "slot:12" or "topic:3": what a form's select sends. */
  value: string;
  slotId: number | null;
  topicId: number | null;
  text: string;
}

/** A slot of the edition, or one of its topics, as a form offers it. */
/** The slots and topics a material is offered for: talks and discussions, topics still live. */
export const SPEAKER_SLOT_KINDS: readonly SlotKind[] = ['talk', 'discussion'];
export const LIVE_TOPIC_STATES: readonly TopicState[] = ['proposed', 'changes-requested', 'accepted'];

export async function materialTargets(db: Db, editionId: number, speakerId?: number): Promise<MaterialTarget[]> {
  let slotQ = db
    .selectFrom('slots')
    .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
    .leftJoin('topics', 'topics.id', 'slots.topic_id')
    .select(['slots.id', 'slots.start_time', 'slots.title', 'slots.talk_title', 'agenda_days.date', 'slots.topic_id', 'topics.title as topic_title'])
    .where('agenda_days.edition_id', '=', editionId)
    .where('slots.kind', 'in', SPEAKER_SLOT_KINDS)
    .orderBy('agenda_days.position')
    .orderBy('slots.position');
  if (speakerId !== undefined) {
    slotQ = slotQ.where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom('slot_speakers').select('slot_id').whereRef('slot_speakers.slot_id', '=', 'slots.id').where('slot_speakers.person_id', '=', speakerId)),
        eb.exists(eb.selectFrom('topic_presenters').select('topic_id').whereRef('topic_presenters.topic_id', '=', 'slots.topic_id').where('topic_presenters.person_id', '=', speakerId)),
      ]),
    );
  }
  let topicQ = db.selectFrom('topics').select(['id', 'number', 'title']).where('edition_id', '=', editionId).where('state', 'in', LIVE_TOPIC_STATES).orderBy('number');
  if (speakerId !== undefined) {
    topicQ = topicQ.where((eb) => eb.exists(eb.selectFrom('topic_presenters').select('topic_id').whereRef('topic_presenters.topic_id', '=', 'topics.id').where('topic_presenters.person_id', '=', speakerId)));
  }
  const [slots, topics] = await Promise.all([slotQ.execute(), topicQ.execute()]);
  // A scheduled topic is offered as its slot only (its materials show on that slot anyway).
  const scheduled = new Set(slots.map((s) => s.topic_id).filter((id): id is number => id !== null));
  return [
    ...slots.map((s) => ({
      value: `slot:${s.id}`,
      slotId: s.id,
      topicId: null,
      text: `${s.date} ${s.start_time}: ${s.talk_title ?? (s.title.trim() || s.topic_title || '')}`.trim(),
    })),
    ...topics.filter((t) => !scheduled.has(t.id)).map((t) => ({ value: `topic:${t.id}`, slotId: null, topicId: t.id, text: `#${t.number} ${t.title}` })),
  ];
}

/** "slot:12" → { slotId: 12 }; "topic:3" → { topicId: 3 }; "" or "edition" → neither. */
export function parseTarget(value: string | undefined, field = 'target'): { slotId?: number; topicId?: number } {
  if (!value || value === 'edition') return {};
  const m = /^(slot|topic):(\d{1,9})$/.exec(value);
  if (!m) throw new InvalidInput(field, 'choose a talk or a topic from the list');
  return m[1] === 'slot' ? { slotId: Number(m[2]) } : { topicId: Number(m[2]) };
}

/** The people of an edition: its committee, attendees, speakers, presenters and accepted invitees. */
export async function editionPeople(db: Db, editionId: number): Promise<{ id: number; name: string; slug: string }[]> {
  const ids = new Set<number>();
  const add = (rows: { person_id: number }[]) => rows.forEach((r) => ids.add(r.person_id));
  add(await db.selectFrom('committee_members').select('person_id').where('edition_id', '=', editionId).execute());
  add(await db.selectFrom('attendances').select('person_id').where('edition_id', '=', editionId).execute());
  add(await db.selectFrom('invitations').select('person_id').where('edition_id', '=', editionId).where('state', '=', 'accepted').execute());
  add(
    await db
      .selectFrom('slot_speakers')
      .innerJoin('slots', 'slots.id', 'slot_speakers.slot_id')
      .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
      .select('slot_speakers.person_id')
      .where('agenda_days.edition_id', '=', editionId)
      .execute(),
  );
  add(await db.selectFrom('topic_presenters').innerJoin('topics', 'topics.id', 'topic_presenters.topic_id').select('topic_presenters.person_id').where('topics.edition_id', '=', editionId).execute());
  if (ids.size === 0) return [];
  const rows = await db.selectFrom('people').select(['id', 'name', 'slug']).where('id', 'in', [...ids]).execute();
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}

/** The materials of an edition in their order, each with what it belongs to. */
export async function listMaterials(deps: { db: Kysely<Database> }, editionId: number): Promise<MaterialItem[]> {
  const rows = await deps.db
    .selectFrom('materials')
    .leftJoin('files', 'files.sha256', 'materials.file_sha256')
    .leftJoin('people', 'people.id', 'materials.author_id')
    .selectAll('materials')
    .select(['files.size', 'files.media_type', 'people.name as author_name', 'people.slug as author_slug'])
    .where('materials.edition_id', '=', editionId)
    .orderBy('materials.position')
    .orderBy('materials.id')
    .execute();
  const targets = new Map((await materialTargets(deps.db, editionId)).map((t) => [t.value, t.text]));
  // A scheduled topic is offered as its slot, but a material may still be filed under the topic.
  const unnamed = [...new Set(rows.flatMap((m) => (m.slot_id === null && m.topic_id !== null && !targets.has(`topic:${m.topic_id}`) ? [m.topic_id] : [])))];
  if (unnamed.length > 0) {
    for (const t of await deps.db.selectFrom('topics').select(['id', 'number', 'title']).where('id', 'in', unnamed).execute()) targets.set(`topic:${t.id}`, `#${t.number} ${t.title}`);
  }
  return rows.map((m) => ({
    id: m.id,
    kind: m.kind,
    label: m.label,
    format: m.format,
    url: m.url ?? (m.file_sha256 ? fileUrl(m.file_sha256, m.file_name) : null),
    fileName: m.file_name,
    fileSha256: m.file_sha256,
    size: m.size ?? null,
    mediaType: m.media_type ?? null,
    thumbUrl: m.thumb_sha256 ? fileUrl(m.thumb_sha256, null) : m.thumb_url,
    slotId: m.slot_id,
    topicId: m.topic_id,
    target:
      m.slot_id !== null
        ? (targets.get(`slot:${m.slot_id}`) ?? `slot ${m.slot_id}`)
        : m.topic_id !== null
          ? (targets.get(`topic:${m.topic_id}`) ?? `topic ${m.topic_id}`)
          : 'the edition',
    credit: m.credit,
    author: m.author_id !== null && m.author_name && m.author_slug ? { id: m.author_id, name: m.author_name, slug: m.author_slug } : null,
    hasBody: m.body !== null,
    uploadedBy: m.uploaded_by,
    imported: m.imported,
    createdAt: m.created_at.toISOString(),
  }));
}

/**
 * The materials of one topic of an edition, in their order: those filed under the topic and
 * those under a slot made for it (where a scheduled topic's slides go).
 */
export async function topicMaterials(deps: { db: Kysely<Database> }, editionId: number, topicId: number): Promise<MaterialItem[]> {
  const slots = new Set((await deps.db.selectFrom('slots').select('id').where('topic_id', '=', topicId).execute()).map((s) => s.id));
  return (await listMaterials(deps, editionId)).filter((m) => m.topicId === topicId || (m.slotId !== null && slots.has(m.slotId)));
}

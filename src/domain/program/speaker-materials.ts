/**
 * A speaker's materials, reached through their invitation link: once they have accepted, the
 * slots they speak in and the topics they present, and what is attached to them. They may add
 * files and links there, and remove what they added themselves.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Actor } from '../audit/record.js';
import { Conflict } from '../errors.js';
import { notAcceptedNotice } from '../invitations/ask-committee.js';
import { inviteeActor } from '../invitations/deps.js';
import { findByToken } from '../invitations/rsvp.js';
import { addMaterialFile, addMaterialLink, listMaterials, materialTargets, removeMaterial, type MaterialDeps, type MaterialItem, type MaterialTarget } from './materials.js';

export interface SpeakerDeps extends MaterialDeps {
  clock: () => Date;
  mail: { baseUrl: string; from: string; replyTo?: string | null };
}

export interface SpeakerMaterials {
  editionTitle: string;
  editionId: number;
  personId: number;
  personName: string;
  actor: Actor;
  /** Why nothing can be added (not accepted; nothing to speak in), or null. */
  closed: string | null;
  /**
   * Whether the edition's program is public (tentative or final): while it is planned, its slots
   * and proposals, and so the materials filed under them, are on neither its page nor its JSON.
   */
  published: boolean;
  targets: MaterialTarget[];
  /** The target the forms offer first (preferredTarget), or null to make the speaker choose. */
  preferred: string | null;
  /** Materials of the speaker's slots and topics. */
  materials: (MaterialItem & { mine: boolean })[];
}

/** What the speaker's materials page shows; LinkInvalid for a bad link. */
export async function speakerMaterials(deps: SpeakerDeps, token: string): Promise<SpeakerMaterials> {
  const view = await findByToken(deps, token);
  const inv = await deps.db.selectFrom('invitations').select(['id', 'person_id', 'edition_id', 'email', 'state']).where('id', '=', view.invitationId).executeTakeFirstOrThrow();
  const actor = inviteeActor(inv.email);
  const edition = await deps.db.selectFrom('editions').select('status').where('id', '=', inv.edition_id).executeTakeFirstOrThrow();
  const targets = inv.state === 'accepted' ? await materialTargets(deps.db, inv.edition_id, inv.person_id) : [];
  const keys = new Set(targets.map((t) => t.value));
  // Their topics' materials too, scheduled ones included (offered as their slot, filed under the topic).
  const topics =
    targets.length === 0
      ? []
      : await deps.db
          .selectFrom('topic_presenters')
          .innerJoin('topics', 'topics.id', 'topic_presenters.topic_id')
          .select('topics.id')
          .where('topic_presenters.person_id', '=', inv.person_id)
          .where('topics.edition_id', '=', inv.edition_id)
          .execute();
  for (const t of topics) keys.add(`topic:${t.id}`);
  const slotIds = targets.flatMap((t) => (t.slotId === null ? [] : [t.slotId]));
  const slots =
    slotIds.length === 0
      ? []
      : await deps.db
          .selectFrom('slots')
          .select((eb) => ['slots.id', 'slots.topic_id', eb.selectFrom('slot_speakers').select(eb.fn.countAll<number>().as('n')).whereRef('slot_speakers.slot_id', '=', 'slots.id').as('speakers')])
          .where('slots.id', 'in', slotIds)
          .execute();
  const preferred = preferredTarget(
    targets,
    new Set(topics.map((t) => t.id)),
    new Map(slots.map((r) => [r.id, { topicId: r.topic_id, speakers: Number(r.speakers) }])),
  );
  const materials = (await listMaterials(deps, inv.edition_id))
    .filter((m) => (m.slotId !== null && keys.has(`slot:${m.slotId}`)) || (m.slotId === null && m.topicId !== null && keys.has(`topic:${m.topicId}`)))
    .map((m) => ({ ...m, mine: m.uploadedBy === actor.label }));
  const closed =
    inv.state !== 'accepted'
      ? (notAcceptedNotice(inv.state, view.actions.includes('accept'), view.edition.title, 'no slides or other materials can be added here', deps.mail) ??
        'Slides and other materials can be added here once you have accepted the invitation.')
      : targets.length === 0
          ? 'You are not listed as a speaker or presenter of this edition yet. Once the committee puts you in the agenda, you can add your slides here.'
          : null;
  return {
    editionTitle: view.edition.title,
    editionId: inv.edition_id,
    personId: inv.person_id,
    personName: view.person.name,
    actor,
    closed,
    published: edition.status !== 'planned',
    targets,
    preferred,
    materials,
  };
}

/**
 * Which of the speaker's targets the forms offer first. A speaker is listed in slots that are
 * not theirs to fill (“Welcome and agenda bashing”, a panel among many), and slides filed under
 * the wrong slot are public under it: so the default is a target that is surely their own, or
 * none, and they choose. Surely their own, best first: a topic they present (a proposer is one
 * of its presenters), its slot when it has one, else the topic; then a slot in which they are the only speaker. The best such
 * kind is the default when it holds exactly one target; two talks of their own, or only shared
 * slots, leave the choice to them. A speaker with a single target has it as the default.
 */
export function preferredTarget(targets: MaterialTarget[], ownTopics: Set<number>, slots: Map<number, { topicId: number | null; speakers: number }>): string | null {
  if (targets.length === 1) return targets[0]!.value;
  const own = targets.filter((t) => {
    const topic = t.slotId === null ? t.topicId : (slots.get(t.slotId)?.topicId ?? null);
    return topic !== null && ownTopics.has(topic);
  });
  if (own.length > 0) return own.length === 1 ? own[0]!.value : null;
  const alone = targets.filter((t) => t.slotId !== null && slots.get(t.slotId)?.speakers === 1);
  return alone.length === 1 ? alone[0]!.value : null;
}

async function open(deps: SpeakerDeps, token: string): Promise<SpeakerMaterials> {
  const s = await speakerMaterials(deps, token);
  if (s.closed) throw new Conflict(s.closed);
  return s;
}

/** The speaker uploads a file for one of their slots or topics. */
export async function addSpeakerFile(deps: SpeakerDeps, token: string, input: Omit<Parameters<typeof addMaterialFile>[2], 'editionId'>) {
  const s = await open(deps, token);
  return addMaterialFile(deps, s.actor, { ...input, editionId: s.editionId }, { speakerId: s.personId });
}

/** The speaker adds a link for one of their slots or topics. */
export async function addSpeakerLink(deps: SpeakerDeps, token: string, input: Omit<Parameters<typeof addMaterialLink>[2], 'editionId'>) {
  const s = await open(deps, token);
  return addMaterialLink(deps, s.actor, { ...input, editionId: s.editionId }, { speakerId: s.personId });
}

/** The speaker removes something they added. */
export async function removeSpeakerMaterial(deps: SpeakerDeps & { db: Kysely<Database> }, token: string, id: number) {
  const s = await open(deps, token);
  return removeMaterial(deps, s.actor, { editionId: s.editionId, id }, { uploadedBy: s.actor.label });
}

/**
 * Materials of an edition: slides and other files (type sniffed from the bytes, size limited,
 * stored by content hash), links, meeting notes in Markdown crediting their author, and the
 * group photo with its thumbnail. Each write is one transaction with its audit record; a refused
 * upload writes nothing — no row, no file on disk. A file no material (nor logo) refers to any
 * more, removed or replaced, is no longer served, and is deleted (files/store.ts).
 *
 * The committee may attach a material to any slot or topic of the edition, or to the edition
 * itself. A speaker (`speakerId`) only to a slot they speak in or a topic they present.
 */
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Database, MaterialKind, SlotKind, TopicState } from '../../db/schema.js';
import { recordAudit, type Actor } from '../audit/record.js';
import { InvalidInput, NotFound } from '../errors.js';
import { sniffMaterial, type MaterialType } from '../files/material-types.js';
import { DEFAULT_MAX_UPLOAD_BYTES, photoThumbnail, withFiles } from '../files/store.js';
import { parseInput, recordId, visibleLine, webUrl } from '../validate.js';
import { editionPeople, LIVE_TOPIC_STATES, SPEAKER_SLOT_KINDS } from './material-queries.js';

export { listMaterials, materialTargets, editionPeople, parseTarget, type MaterialItem, type MaterialTarget } from './material-queries.js';

type Trx = Transaction<Database>;

export interface MaterialDeps {
  db: Kysely<Database>;
  filesDir: string;
  /** Largest accepted upload in bytes (CONCLAVE_MAX_UPLOAD_MB; default 50 MB). */
  maxUploadBytes?: number | undefined;
}

/** Who adds it: a speaker may only add to their own slots and topics. */
export interface MaterialOptions {
  speakerId?: number | undefined;
}

export const MATERIAL_KINDS = ['slides', 'notes', 'photo', 'group-photo', 'animation', 'whitepaper', 'video', 'other'] as const satisfies readonly MaterialKind[];
/** The kinds a file or a link may be added as (notes and the group photo have their own commands). */
export const UPLOAD_KINDS = ['slides', 'whitepaper', 'photo', 'animation', 'video', 'other'] as const;
export type UploadKind = (typeof UPLOAD_KINDS)[number];

/**
 * What each kind is called wherever a person chooses or reads one: the forms, `conclave materials
 * add --kind` and `materials list`. A paper is stored as 'whitepaper' (the archive's word, kept
 * so that no row changes) but called "paper", as the web form and schedule.json call it.
 */
export const KIND_NAMES: Record<MaterialKind, string> = {
  slides: 'slides',
  notes: 'notes',
  photo: 'photo',
  'group-photo': 'group-photo',
  animation: 'animation',
  whitepaper: 'paper',
  video: 'video',
  other: 'other',
};

/** The names of the upload kinds, in UPLOAD_KINDS' order: what forms and --kind offer. */
export const UPLOAD_KIND_NAMES: readonly string[] = UPLOAD_KINDS.map((k) => KIND_NAMES[k]);

/**
 * The upload kind a name means: its name ("paper") or the stored value itself ("whitepaper",
 * still taken, so that nothing written for it before breaks); undefined for none.
 */
export function uploadKindNamed(name: string): UploadKind | undefined {
  const given = name.trim().toLowerCase();
  return UPLOAD_KINDS.find((k) => KIND_NAMES[k] === given || k === given);
}

/** "must be one of slides, paper, …": the refusal of a kind no name means. */
export const KIND_CHOICES_TEXT = `must be one of ${UPLOAD_KIND_NAMES.join(', ')}`;

const KIND_LABELS: Record<UploadKind, string> = {
  slides: 'Slides',
  whitepaper: 'Paper',
  photo: 'Photo',
  animation: 'Animation',
  video: 'Video',
  other: 'Material',
};

const optionalId = recordId.nullish();
const optionalText = (max: number) =>
  visibleLine(z.string().trim().max(max, `must be at most ${max} characters`))
    .nullish()
    .transform((s) => s || null);

const Target = z.object({
  editionId: z.number().int().positive(),
  slotId: optionalId,
  topicId: optionalId,
});

/** A kind by its name or stored value (uploadKindNamed); absent or empty for the default. */
const uploadKind = z.preprocess((v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : (uploadKindNamed(v) ?? v)) : v), z.enum(UPLOAD_KINDS, KIND_CHOICES_TEXT).optional());

export const FileInput = Target.extend({
  kind: uploadKind,
  label: optionalText(300),
  credit: optionalText(300),
  fileName: z.string().max(1000),
  bytes: z.instanceof(Buffer, { message: 'choose a file to upload' }),
});

const httpUrl = webUrl();

export const LinkInput = Target.extend({
  kind: uploadKind,
  label: optionalText(300),
  credit: optionalText(300),
  url: httpUrl,
});

export const NotesInput = z.object({
  editionId: z.number().int().positive(),
  authorId: z.coerce.number({ message: 'choose the author' }).int().positive('choose the author'),
  body: z
    .string()
    // A browser sends a textarea's lines ending in CRLF; the notes are kept as a file or the
    // CLI gives them, one LF a line, so that the JSON and the export show the same Markdown.
    .overwrite((s) => s.replace(/\r\n?/g, '\n'))
    .trim()
    .min(1, 'write the notes (Markdown)')
    .max(200_000, 'must be at most 200,000 characters')
    .superRefine((body, ctx) => {
      // A NUL cannot be stored at all; the rest of C0 says the file was not text.
      const at = body.search(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
      if (at < 0) return;
      const code = body.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0');
      ctx.addIssue({ code: 'custom', message: `must be text: it holds the control character U+${code} at line ${body.slice(0, at).split('\n').length}` });
    }),
  label: optionalText(300),
});

export const PhotoInput = z.object({
  editionId: z.number().int().positive(),
  fileName: z.string().max(1000),
  bytes: z.instanceof(Buffer, { message: 'choose a photo to upload' }),
  label: optionalText(300),
  credit: optionalText(300),
});

function maxBytes(deps: MaterialDeps): number {
  return deps.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
}

async function lockEdition(trx: Trx, editionId: number): Promise<void> {
  const e = await trx.selectFrom('editions').select('id').where('id', '=', editionId).forUpdate().executeTakeFirst();
  if (!e) throw new NotFound(`no edition with id ${editionId}`);
}

async function nextPosition(trx: Trx, editionId: number): Promise<number> {
  const r = await trx.selectFrom('materials').select((eb) => eb.fn.max<number>('position').as('p')).where('edition_id', '=', editionId).executeTakeFirst();
  return r?.p === null || r?.p === undefined ? 0 : Number(r.p) + 1;
}

/** The slot or topic belongs to the edition, and to the speaker when one adds it. */
async function checkTarget(trx: Trx, editionId: number, slotId: number | null | undefined, topicId: number | null | undefined, opts: MaterialOptions): Promise<void> {
  if (slotId && topicId) throw new InvalidInput('target', 'give a slot or a topic, not both');
  let slotTopic: number | null = null;
  let slotKind: SlotKind | null = null;
  let topic: { number: number; state: TopicState } | null = null;
  if (slotId) {
    const s = await trx
      .selectFrom('slots')
      .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
      .select(['slots.id', 'slots.topic_id', 'slots.kind'])
      .where('slots.id', '=', slotId)
      .where('agenda_days.edition_id', '=', editionId)
      .executeTakeFirst();
    if (!s) throw new InvalidInput('target', `there is no slot ${slotId} in this edition's agenda`);
    slotTopic = s.topic_id;
    slotKind = s.kind;
  }
  if (topicId) {
    const t = await trx.selectFrom('topics').select(['id', 'number', 'state']).where('id', '=', topicId).where('edition_id', '=', editionId).executeTakeFirst();
    if (!t) throw new InvalidInput('target', `there is no topic ${topicId} in this edition`);
    topic = t;
  }
  if (opts.speakerId === undefined) return;
  const person = opts.speakerId;
  if (!slotId && !topicId) throw new InvalidInput('target', 'choose one of your talks or topics');
  // A speaker's page offers talks and live topics only (materialTargets); a crafted form may not
  // reach past it, to a meal slot or a topic the committee declined.
  if (slotKind !== null && !SPEAKER_SLOT_KINDS.includes(slotKind)) throw new InvalidInput('target', `slot ${slotId} is a ${slotKind}, not a talk: choose one of your talks or topics`);
  if (topic && !LIVE_TOPIC_STATES.includes(topic.state)) throw new InvalidInput('target', `topic #${topic.number} was ${topic.state}: choose one of your talks or topics`);
  const speaks = slotId
    ? await trx.selectFrom('slot_speakers').select('slot_id').where('slot_id', '=', slotId).where('person_id', '=', person).executeTakeFirst()
    : undefined;
  const presented = topicId ?? slotTopic;
  const presents = !speaks && presented ? await trx.selectFrom('topic_presenters').select('topic_id').where('topic_id', '=', presented).where('person_id', '=', person).executeTakeFirst() : undefined;
  if (!speaks && !presents) throw new InvalidInput('target', slotId ? 'you do not speak in this slot' : 'you do not present this topic');
}

function defaultKind(t: MaterialType): UploadKind {
  return t.class === 'image' ? 'photo' : t.class === 'animation' ? 'animation' : 'slides';
}

/** Adds an uploaded file (slides, a paper, a photo, an animation…) to a slot, a topic or the edition. */
export async function addMaterialFile(deps: MaterialDeps, actor: Actor, input: z.input<typeof FileInput>, opts: MaterialOptions = {}) {
  const v = parseInput(FileInput, input);
  const type = await sniffMaterial(v.bytes, v.fileName, maxBytes(deps));
  const ext = v.fileName.includes('.') ? v.fileName.slice(v.fileName.lastIndexOf('.') + 1).toLowerCase() : type.exts[0]!;
  const kind = v.kind ?? defaultKind(type);
  return withFiles(deps, async (trx, store) => {
    await lockEdition(trx, v.editionId);
    await checkTarget(trx, v.editionId, v.slotId, v.topicId, opts);
    const f = await store(v.bytes, type.mime);
    const row = await trx
      .insertInto('materials')
      .values({
        edition_id: v.editionId,
        slot_id: v.slotId ?? null,
        topic_id: v.topicId ?? null,
        kind,
        format: ext,
        label: v.label ?? KIND_LABELS[kind],
        file_sha256: f.sha256,
        file_name: v.fileName,
        credit: v.credit,
        position: await nextPosition(trx, v.editionId),
        uploaded_by: actor.label,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, { action: 'material.add', entity: 'material', entityId: row.id, editionId: v.editionId, after: { ...row, media_type: f.mediaType, size: f.size } });
    return row;
  });
}

/** Adds a link (http or https only) to a slot, a topic or the edition. */
export async function addMaterialLink(deps: MaterialDeps, actor: Actor, input: z.input<typeof LinkInput>, opts: MaterialOptions = {}) {
  const v = parseInput(LinkInput, input);
  return deps.db.transaction().execute(async (trx) => {
    await lockEdition(trx, v.editionId);
    await checkTarget(trx, v.editionId, v.slotId, v.topicId, opts);
    const kind = v.kind ?? 'slides';
    const row = await trx
      .insertInto('materials')
      .values({
        edition_id: v.editionId,
        slot_id: v.slotId ?? null,
        topic_id: v.topicId ?? null,
        kind,
        label: v.label ?? KIND_LABELS[kind],
        url: v.url,
        credit: v.credit,
        position: await nextPosition(trx, v.editionId),
        uploaded_by: actor.label,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, { action: 'material.add', entity: 'material', entityId: row.id, editionId: v.editionId, after: row });
    return row;
  });
}

/** Adds meeting notes (Markdown) credited to a person of the edition. */
export async function addNotes(deps: MaterialDeps, actor: Actor, input: z.input<typeof NotesInput>) {
  const v = parseInput(NotesInput, input);
  return deps.db.transaction().execute(async (trx) => {
    await lockEdition(trx, v.editionId);
    const people = await editionPeople(trx, v.editionId);
    if (!people.some((p) => p.id === v.authorId)) throw new InvalidInput('authorId', 'the author must be one of the people of this edition');
    const row = await trx
      .insertInto('materials')
      .values({
        edition_id: v.editionId,
        kind: 'notes',
        label: v.label ?? 'Meeting notes',
        body: v.body,
        author_id: v.authorId,
        position: await nextPosition(trx, v.editionId),
        uploaded_by: actor.label,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, { action: 'material.notes', entity: 'material', entityId: row.id, editionId: v.editionId, after: row });
    return row;
  });
}

/**
 * Sets the edition's group photo (replacing the one before), with a thumbnail 480 px wide. Its
 * caption is `label`, else the replaced photo's (an imported page's "LKS NetConf '14 Group
 * Photo" stays), else "Group photo".
 */
export async function setGroupPhoto(deps: MaterialDeps, actor: Actor, input: z.input<typeof PhotoInput>) {
  const v = parseInput(PhotoInput, input);
  const type = await sniffMaterial(v.bytes, v.fileName, maxBytes(deps));
  if (type.class !== 'image' && type.mime !== 'image/gif') throw new InvalidInput('file', `${v.fileName} is ${type.name}, not a photo (PNG, JPEG, GIF or WebP)`);
  const thumb = await photoThumbnail(v.bytes, 'file', v.fileName);
  return withFiles(deps, async (trx, store, release) => {
    await lockEdition(trx, v.editionId);
    const before = await trx.deleteFrom('materials').where('edition_id', '=', v.editionId).where('kind', '=', 'group-photo').returningAll().execute();
    const f = await store(v.bytes, type.mime);
    const t = await store(thumb, 'image/jpeg');
    const row = await trx
      .insertInto('materials')
      .values({
        edition_id: v.editionId,
        kind: 'group-photo',
        format: type.exts[0]!,
        label: v.label ?? before[0]?.label ?? 'Group photo',
        file_sha256: f.sha256,
        file_name: v.fileName,
        thumb_sha256: t.sha256,
        credit: v.credit,
        position: before[0]?.position ?? (await nextPosition(trx, v.editionId)),
        uploaded_by: actor.label,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, { action: 'material.group-photo', entity: 'material', entityId: row.id, editionId: v.editionId, before: before.length ? before : undefined, after: row });
    // After the new row: the same photo uploaded again keeps its file.
    await release(before.flatMap((b) => [b.file_sha256, b.thumb_sha256]));
    return row;
  });
}

/** A material the edition has not (or no longer) got, or (for a speaker) not one they added. */
export class NoSuchMaterial extends NotFound {
  override name = 'NoSuchMaterial';
  constructor(
    readonly materialId: number,
    theirs: boolean,
  ) {
    super(`no material ${materialId} in this edition${theirs ? ' that you added' : ''}`);
  }
}

/**
 * Removes one material of the edition, and its stored file (and thumbnail) when nothing else
 * refers to the same bytes: a deck uploaded by mistake and removed is no longer served.
 * With `uploadedBy`, only a material that actor added (a speaker removing their own upload).
 */
export async function removeMaterial(deps: Pick<MaterialDeps, 'db' | 'filesDir'>, actor: Actor, input: { editionId: number; id: number }, opts: { uploadedBy?: string } = {}) {
  const v = parseInput(z.object({ editionId: z.number().int().positive(), id: recordId }), input);
  return withFiles(deps, async (trx, _store, release) => {
    let q = trx.deleteFrom('materials').where('id', '=', v.id).where('edition_id', '=', v.editionId);
    if (opts.uploadedBy !== undefined) q = q.where('uploaded_by', '=', opts.uploadedBy);
    const row = await q.returningAll().executeTakeFirst();
    if (!row) throw new NoSuchMaterial(v.id, opts.uploadedBy !== undefined);
    await recordAudit(trx, actor, { action: 'material.remove', entity: 'material', entityId: row.id, editionId: v.editionId, before: row });
    await release([row.file_sha256, row.thumb_sha256]);
    return row;
  });
}

/**
 * Topic proposals: an accepted invitee proposes a topic (title, Markdown abstract, co-presenters
 * among the accepted attendees, wished length), edits or withdraws it until the committee
 * decides, and the committee accepts, declines or asks for changes with a comment that is mailed
 * to every presenter. By person id, so that the invitee's page and mail ingestion share it.
 * The committee may change a topic's title, abstract, length and presenters in any state
 * (updateTopic).
 *
 * States: proposed ⇄ changes-requested (the committee asks; an edit sends it back, and the
 * committee is mailed what changed), proposed or
 * changes-requested → accepted | declined | withdrawn, and accepted ⇄ declined with a comment
 * when the committee changes its mind. Each write is one transaction with its audit row and
 * its mail.
 */
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database, InvitationState, TopicOrigin, TopicState } from '../../db/schema.js';
import { recordAudit, type Actor } from '../audit/record.js';
import { mailCommittee } from '../committee/accounts.js';
import { InvalidForm, InvalidInput, InvalidTransition, NotFound } from '../errors.js';
import { absoluteUrl } from '../exports/schedule.js';
import { editionMailValues } from '../invitations/invitee-mail.js';
import { todayIn } from '../invitations/dates.js';
import { inviteeActor, type Trx } from '../invitations/deps.js';
import { andList } from '../word-list.js';
import { mayAccept } from '../invitations/invitee-view.js';
import { lockEdition } from '../invitations/seats.js';
import { resolveToken } from '../invitations/tokens.js';
import { threadRootId } from '../mail/outbox.js';
import { sendTemplate, type MailSettings } from '../mail/templates.js';
import { parseFields, parseForm, parseInput, recordId, visibleLine } from '../validate.js';
import { dayLabel } from './schedule-names.js';
import { logTopicChange } from './schedule-changelog.js';

export interface TopicDeps {
  db: Kysely<Database>;
  clock: () => Date;
  mail: { baseUrl: string; from: string; replyTo?: string | null };
}

export const TOPIC_STATES = ['proposed', 'changes-requested', 'accepted', 'declined', 'withdrawn'] as const satisfies readonly TopicState[];
export const DECISIONS = ['accept', 'decline', 'request-changes'] as const;
export type Decision = (typeof DECISIONS)[number];

/** States in which the proposer may still edit or withdraw. */
export const OPEN_STATES: readonly TopicState[] = ['proposed', 'changes-requested'];

const DECISION_STATE: Record<Decision, TopicState> = { accept: 'accepted', decline: 'declined', 'request-changes': 'changes-requested' };
/** What the mail says the decision is. */
const DECISION_TEXT: Record<Decision, string> = { accept: 'accepted', decline: 'declined', 'request-changes': 'changes requested' };

const MAX_TITLE = 200;
const MAX_ABSTRACT = 20_000;
const id = recordId;

const title = visibleLine(z.string().trim().min(1, 'must not be empty').max(MAX_TITLE, `must be at most ${MAX_TITLE} characters`));
/** Lines of text, as an abstract or a decision's comment: no control character but line ends and tabs. */
const textBlock = z
  .string()
  .max(MAX_ABSTRACT, `must be at most ${MAX_ABSTRACT} characters`)
  .default('')
  .transform((s) => s.replace(/\r\n?/g, '\n').trim())
  .superRefine((s, ctx) => {
    // Lines and tabs are Markdown's; ESC and the rest of C0 would act in the terminal that
    // prints the text (conclave mail show, a mail reader), as an imported page's would.
    const at = s.search(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    if (at < 0) return;
    const code = s.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0');
    ctx.addIssue({ code: 'custom', message: `must be text: it holds the control character U+${code} at line ${s.slice(0, at).split('\n').length}` });
  });
const abstract = textBlock;
/** Minutes, 5 to 480; empty (or absent) for "no wish". */
const wishedMinutes = z.preprocess(
  (v) => (v === '' || v === undefined ? null : typeof v === 'string' ? Number(v.trim()) : v),
  z.number({ error: 'must be a number of minutes' }).int('must be a whole number of minutes').min(5, 'must be at least 5 minutes').max(480, 'must be at most 480 minutes (8 hours)').nullable(),
);
const coPresenterIds = z.preprocess((v) => (v === undefined || v === '' ? [] : [v].flat()), z.array(id).max(20, 'at most 20 co-presenters'));

const TopicFields = z.object({ title, abstract, coPresenterIds, wishedMinutes });

export const ProposeInput = TopicFields.extend({ editionId: id, proposerId: id });
export type ProposeInput = z.input<typeof ProposeInput>;

export const EditInput = TopicFields.extend({ topicId: id, proposerId: id });
export type EditInput = z.input<typeof EditInput>;

/** A topic's whole list of presenters as the committee gives it, in order: one at least. */
const presenterIds = z.preprocess(
  (v) => (v === '' ? [] : v),
  z.array(id).min(1, 'a topic keeps at least one presenter: name who presents it').max(21, 'at most 21 presenters'),
);

/**
 * The committee's change of a topic: title, abstract, length, validated as the proposer's edit
 * is, and its presenters (the whole list, see checkPresenterList). A field left out (undefined)
 * keeps its value.
 */
export const UpdateInput = TopicFields.pick({ title: true, abstract: true, wishedMinutes: true }).partial().extend({ topicId: id, presenterIds: presenterIds.optional() });
export type UpdateInput = z.input<typeof UpdateInput>;

/** The fields updateTopic changes, in the order the forms show them. */
export const UPDATE_FIELDS = ['title', 'abstract', 'wishedMinutes', 'presenterIds'] as const;
export type UpdateField = (typeof UPDATE_FIELDS)[number];

export const WithdrawInput = z.object({ topicId: id, proposerId: id });
export type WithdrawInput = z.input<typeof WithdrawInput>;

export const DecideInput = z
  .object({
    topicId: id,
    decision: z.enum(DECISIONS, { error: `must be one of: ${DECISIONS.join(', ')}` }),
    comment: textBlock,
  });
export type DecideInput = z.input<typeof DecideInput>;

export interface TopicPresenter {
  id: number;
  name: string;
  slug: string;
}

export interface TopicView {
  id: number;
  editionId: number;
  number: number;
  title: string;
  /** Markdown for proposals (render with renderMarkdown); plain text for imported topics. */
  abstract: string;
  origin: TopicOrigin;
  state: TopicState;
  wishedMinutes: number | null;
  proposer: TopicPresenter | null;
  /** Proposer first, then the co-presenters in the order given. */
  presenters: TopicPresenter[];
  decisionComment: string | null;
  decidedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A topic as one person sees it: theirs to edit (proposer) or only to read (co-presenter). */
export interface MyTopic extends TopicView {
  role: 'proposer' | 'co-presenter';
  /** The proposer may still edit or withdraw it. */
  editable: boolean;
}

type Reader = Kysely<Database> | Trx;

/** Topics with their proposer and presenters, in number order. */
async function loadTopics(db: Reader, where: { editionId: number; state?: TopicState | undefined; ids?: number[] }): Promise<TopicView[]> {
  let q = db.selectFrom('topics').selectAll().where('edition_id', '=', where.editionId).orderBy('number').orderBy('id');
  if (where.state) q = q.where('state', '=', where.state);
  if (where.ids) {
    if (where.ids.length === 0) return [];
    q = q.where('id', 'in', where.ids);
  }
  const rows = await q.execute();
  if (rows.length === 0) return [];
  const presenters = await db
    .selectFrom('topic_presenters')
    .innerJoin('people', 'people.id', 'topic_presenters.person_id')
    .select(['topic_presenters.topic_id', 'topic_presenters.position', 'people.id', 'people.name', 'people.slug'])
    .where(
      'topic_presenters.topic_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('topic_presenters.topic_id')
    .orderBy('topic_presenters.position')
    .execute();
  const proposerIds = [...new Set(rows.map((r) => r.proposer_id).filter((x): x is number => x !== null))];
  const proposers = proposerIds.length ? await db.selectFrom('people').select(['id', 'name', 'slug']).where('id', 'in', proposerIds).execute() : [];
  return rows.map((r) => ({
    id: r.id,
    editionId: r.edition_id,
    number: r.number,
    title: r.title,
    abstract: r.abstract,
    origin: r.origin,
    state: r.state,
    wishedMinutes: r.wished_minutes,
    proposer: proposers.find((p) => p.id === r.proposer_id) ?? null,
    presenters: presenters.filter((p) => p.topic_id === r.id).map((p) => ({ id: p.id, name: p.name, slug: p.slug })),
    decisionComment: r.decision_comment,
    decidedAt: r.decided_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

/** The topics of an edition (proposals and imported ones), optionally in one state, by number. */
export async function listTopics(deps: { db: Kysely<Database> }, filter: { editionId: number; state?: TopicState | undefined }): Promise<TopicView[]> {
  return loadTopics(deps.db, filter);
}

/**
 * The topic a person means by its number in the edition ("3" or "#3"): the number every list,
 * mail and log shows. The database id stays inside; `field` names what was given, for the error.
 */
export async function topicByNumber(
  deps: { db: Kysely<Database> },
  edition: { id: number; title: string; year: number },
  given: string,
  field: string,
): Promise<TopicView> {
  const n = Number(given.trim().replace(/^#/, ''));
  if (!Number.isInteger(n) || n <= 0) throw new InvalidInput(field, `"${given}" is not a topic number such as 3 (see conclave topics list ${edition.year})`);
  const row = await deps.db.selectFrom('topics').select('id').where('edition_id', '=', edition.id).where('number', '=', n).orderBy('id').executeTakeFirst();
  if (!row) throw new NotFound(`there is no topic #${n} in ${edition.title} (see conclave topics list ${edition.year})`);
  const [t] = await loadTopics(deps.db, { editionId: edition.id, ids: [row.id] });
  return t!;
}

/** The topics a person proposed or presents at an edition, withdrawn ones included. */
export async function topicsOfPerson(deps: { db: Kysely<Database> }, editionId: number, personId: number): Promise<MyTopic[]> {
  const ids = await deps.db
    .selectFrom('topics')
    .leftJoin('topic_presenters', 'topic_presenters.topic_id', 'topics.id')
    .select('topics.id')
    .distinct()
    .where('topics.edition_id', '=', editionId)
    .where((eb) => eb.or([eb('topics.proposer_id', '=', personId), eb('topic_presenters.person_id', '=', personId)]))
    .execute();
  const topics = await loadTopics(deps.db, { editionId, ids: ids.map((r) => r.id) });
  return topics.map((t) => {
    const role = t.proposer?.id === personId ? 'proposer' : 'co-presenter';
    return { ...t, role, editable: role === 'proposer' && OPEN_STATES.includes(t.state) };
  });
}

/** The accepted attendees of an edition (people whose invitation is accepted), by name. */
export async function acceptedAttendees(deps: { db: Kysely<Database> }, editionId: number): Promise<TopicPresenter[]> {
  return deps.db
    .selectFrom('invitations')
    .innerJoin('people', 'people.id', 'invitations.person_id')
    .select(['people.id', 'people.name', 'people.slug'])
    .where('invitations.edition_id', '=', editionId)
    .where('invitations.state', '=', 'accepted')
    .orderBy('people.name')
    .orderBy('people.id')
    .execute();
}

/** Somebody the committee may list as a topic's presenter, and why they may not stay so. */
export interface PresenterChoice extends TopicPresenter {
  /** Why a present presenter would not be accepted anew ("the invitation is declined"), else null. */
  problem: string | null;
}

/**
 * Whom the committee's edit form offers as a topic's presenters (checkPresenterList's rule):
 * its presenters first, in order, each with what is wrong with them now (a co-presenter who
 * declined), then the edition's other accepted attendees by name.
 */
export async function presenterChoices(deps: { db: Kysely<Database> }, t: TopicView): Promise<PresenterChoice[]> {
  const ids = t.presenters.map((p) => p.id);
  const invitations = ids.length ? await deps.db.selectFrom('invitations').select(['person_id', 'state']).where('edition_id', '=', t.editionId).where('person_id', 'in', ids).execute() : [];
  const present = t.presenters.map((p) => {
    const state = invitations.find((i) => i.person_id === p.id)?.state;
    return { ...p, problem: state === 'accepted' ? null : state ? `the invitation is ${state}` : 'not invited' };
  });
  const others = (await acceptedAttendees(deps, t.editionId)).filter((a) => !ids.includes(a.id)).map((a) => ({ ...a, problem: null }));
  return [...present, ...others];
}

/** Throws unless the person's invitation to the edition is accepted. */
export async function checkProposer(trx: Trx, editionId: number, personId: number, title: string): Promise<void> {
  const inv = await trx.selectFrom('invitations').select('state').where('edition_id', '=', editionId).where('person_id', '=', personId).executeTakeFirst();
  if (inv?.state !== 'accepted') {
    const why: Record<string, string> = { candidate: 'not sent yet', invited: 'not answered yet', waitlisted: 'on the waiting list' };
    const state = inv ? (why[inv.state] ?? inv.state) : null;
    throw new InvalidInput('proposerId', `only attendees whose invitation to ${title} is accepted may propose topics${state ? ` (this invitation is ${state})` : ''}`);
  }
}

/**
 * Checks the co-presenters: not the proposer, no one twice, and each an accepted attendee of
 * the edition. The refusal names who is wrong.
 */
export async function checkCoPresenters(trx: Trx, editionId: number, editionTitle: string, proposerId: number, ids: number[], voice: Voice = 'proposer'): Promise<void> {
  if (ids.includes(proposerId)) {
    throw new InvalidInput('coPresenterIds', `the proposer is already a presenter: do not list ${voice === 'proposer' ? 'yourself' : 'them'} as a co-presenter`);
  }
  const twice = ids.filter((x, i) => ids.indexOf(x) !== i);
  if (twice.length) throw new InvalidInput('coPresenterIds', `a co-presenter is listed twice (person ${twice[0]})`);
  if (ids.length === 0) return;
  const accepted = await trx
    .selectFrom('invitations')
    .select('person_id')
    .where('edition_id', '=', editionId)
    .where('state', '=', 'accepted')
    .where('person_id', 'in', ids)
    .execute();
  const missing = ids.filter((x) => !accepted.some((a) => a.person_id === x));
  if (missing.length === 0) return;
  const people = await trx.selectFrom('people').select(['id', 'name']).where('id', 'in', missing).execute();
  const names = missing.map((m) => people.find((p) => p.id === m)?.name ?? `person ${m}`);
  const verb = names.length === 1 ? 'is not an accepted attendee' : 'are not accepted attendees';
  throw new InvalidInput('coPresenterIds', `${names.join(', ')} ${verb} of ${editionTitle}; co-presenters must have accepted their invitation`);
}

async function writePresenters(trx: Trx, topicId: number, proposerId: number, coPresenterIds: number[]): Promise<void> {
  await trx.deleteFrom('topic_presenters').where('topic_id', '=', topicId).execute();
  await trx
    .insertInto('topic_presenters')
    .values([proposerId, ...coPresenterIds].map((person_id, position) => ({ topic_id: topicId, person_id, position })))
    .execute();
}

/**
 * The committee's list of a topic's presenters, checked and put in order: no one twice; each an
 * accepted attendee of the edition, as a co-presenter must be, or somebody presenting it already
 * (an imported topic's speaker, or one the committee keeps); the proposer first when listed.
 * While the topic is open the proposer may still edit it, and stays: their edit would put them
 * back. Refusals name who is wrong.
 */
async function checkPresenterList(trx: Trx, t: TopicView, editionTitle: string, ids: number[]): Promise<number[]> {
  const twice = ids.filter((x, i) => ids.indexOf(x) !== i);
  const names = async (list: number[]) => {
    const people = list.length ? await trx.selectFrom('people').select(['id', 'name']).where('id', 'in', list).execute() : [];
    return list.map((m) => people.find((p) => p.id === m)?.name ?? `person ${m}`);
  };
  if (twice.length) throw new InvalidInput('presenterIds', `${(await names([twice[0]!]))[0]} is listed twice`);
  const proposer = t.proposer;
  if (proposer && !ids.includes(proposer.id) && OPEN_STATES.includes(t.state)) {
    throw new InvalidInput(
      'presenterIds',
      `${proposer.name} proposed “${t.title}” and may still edit it while it is ${t.state}: keep them among the presenters (decide on it first to take them off)`,
    );
  }
  const current = new Set(t.presenters.map((p) => p.id));
  const added = ids.filter((x) => !current.has(x));
  if (added.length) {
    const invitations = await trx.selectFrom('invitations').select(['person_id', 'state']).where('edition_id', '=', t.editionId).where('person_id', 'in', added).execute();
    const refused = added.filter((x) => invitations.find((i) => i.person_id === x)?.state !== 'accepted');
    if (refused.length) {
      const named = await names(refused);
      const why = refused.map((x, i) => {
        const state = invitations.find((inv) => inv.person_id === x)?.state;
        return `${named[i]} (${state ? `the invitation is ${state}` : 'not invited'})`;
      });
      const verb = refused.length === 1 ? 'is not an accepted attendee' : 'are not accepted attendees';
      throw new InvalidInput('presenterIds', `${why.join(', ')} ${verb} of ${editionTitle}; presenters must have accepted their invitation`);
    }
  }
  return proposer && ids.includes(proposer.id) ? [proposer.id, ...ids.filter((x) => x !== proposer.id)] : ids;
}

/** What the audit log keeps of a topic, before and after. */
function auditView(t: TopicView) {
  return {
    number: t.number,
    title: t.title,
    state: t.state,
    wishedMinutes: t.wishedMinutes,
    presenters: t.presenters.map((p) => p.id),
    abstractLength: t.abstract.length,
    decisionComment: t.decisionComment,
  };
}

async function loadOne(trx: Trx, topicId: number, lock = false): Promise<TopicView> {
  let q = trx.selectFrom('topics').select(['id', 'edition_id']).where('id', '=', topicId);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw new NotFound(`topic ${topicId} not found`);
  const [t] = await loadTopics(trx, { editionId: row.edition_id, ids: [topicId] });
  return t!;
}

/** Whom a refusal speaks to: the proposer (their page, their mail), or the committee for them. */
export type Voice = 'proposer' | 'committee';

/**
 * An accepted invitee proposes a topic: numbered next in the edition, state 'proposed', the
 * proposer first among the presenters. Audited. The committee may propose one for an attendee
 * (a topic sent to them by private mail, say), `voice` 'committee': it is then the attendee's to
 * edit or withdraw on their page, as if they had proposed it; nobody is mailed.
 */
export async function proposeTopic(deps: TopicDeps, actor: Actor, input: ProposeInput, voice: Voice = 'proposer'): Promise<TopicView> {
  return deps.db.transaction().execute(async (trx) => {
    const p = await parseProposal(trx, input, voice);
    // The edition's lock serialises numbering (and waits for any seat change under way).
    const edition = await lockEdition(trx, p.editionId);
    await checkProposer(trx, edition.id, p.proposerId, edition.title);
    await checkCoPresenters(trx, edition.id, edition.title, p.proposerId, p.coPresenterIds, voice);
    // The same form sent twice (a double click, a reload) is one topic, not two: checked under
    // the edition's lock, so two at once cannot both pass.
    const same = await trx
      .selectFrom('topics')
      .select(['number', 'title'])
      .where('edition_id', '=', edition.id)
      .where('proposer_id', '=', p.proposerId)
      .where('state', 'in', OPEN_STATES)
      // In any case and spacing: "xdp  Multi-Buffer" is "XDP multi-buffer" sent again.
      .where(sql<string>`regexp_replace(lower(title), '\\s+', ' ', 'g')`, '=', p.title.toLowerCase().replace(/\s+/g, ' '))
      .executeTakeFirst();
    if (same) {
      const who = voice === 'proposer' ? 'you' : ((await trx.selectFrom('people').select('name').where('id', '=', p.proposerId).executeTakeFirst())?.name ?? 'the proposer');
      throw new InvalidForm({ title: `${who} proposed “${same.title}” already (#${same.number}); change that one instead` });
    }
    const last = await trx.selectFrom('topics').select((eb) => eb.fn.max('number').as('n')).where('edition_id', '=', edition.id).executeTakeFirst();
    const now = deps.clock();
    const row = await trx
      .insertInto('topics')
      .values({
        edition_id: edition.id,
        number: Number(last?.n ?? 0) + 1,
        title: p.title,
        abstract: p.abstract,
        origin: 'proposal',
        state: 'proposed',
        proposer_id: p.proposerId,
        wished_minutes: p.wishedMinutes,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writePresenters(trx, row.id, p.proposerId, p.coPresenterIds);
    const t = await loadOne(trx, row.id);
    await recordAudit(trx, actor, { action: 'topic.propose', entity: 'topic', entityId: t.id, editionId: edition.id, after: auditView(t) });
    return t;
  });
}

/**
 * A proposal parsed, or refused naming every field at fault at once: a co-presenter who has not
 * accepted is named with the form's other errors (an empty title, a length out of range), not
 * only once those are put right.
 */
async function parseProposal(trx: Trx, input: ProposeInput, voice: Voice): Promise<z.output<typeof ProposeInput>> {
  try {
    return parseForm(ProposeInput, input);
  } catch (err) {
    if (!(err instanceof InvalidForm) || err.fields.coPresenterIds !== undefined) throw err;
    const { data } = parseFields(ProposeInput, input);
    if (data.editionId === undefined || data.proposerId === undefined || data.coPresenterIds === undefined) throw err;
    const edition = await trx.selectFrom('editions').select('title').where('id', '=', data.editionId).executeTakeFirst();
    if (!edition) throw err;
    try {
      await checkCoPresenters(trx, data.editionId, edition.title, data.proposerId, data.coPresenterIds, voice);
    } catch (co) {
      if (co instanceof InvalidInput) throw new InvalidForm({ ...err.fields, coPresenterIds: co.why });
      throw co;
    }
    throw err;
  }
}

/**
 * Why its proposer may no longer change (`to` 'changed') or withdraw a topic that is no longer
 * open, by its state: one they withdrew themselves was decided by nobody and has no committee's
 * mail to reply to; one accepted or declined was decided by the committee, whose mail it was.
 */
export function closedToProposer(t: Pick<TopicView, 'title' | 'state'>, to: 'changed' | 'withdrawn'): string {
  if (t.state === 'withdrawn') return to === 'withdrawn' ? `You have withdrawn “${t.title}” already.` : `You withdrew “${t.title}”, so it can no longer be changed.`;
  return `“${t.title}” is ${t.state}: the committee has decided, so it can no longer be ${to}. Reply to the committee's mail to discuss it.`;
}

/** Locks a topic for a write by its proposer, checking it is theirs and still open. */
async function openForProposer(trx: Trx, topicId: number, proposerId: number, to: TopicState): Promise<TopicView> {
  const t = await loadOne(trx, topicId, true);
  if (t.origin !== 'proposal' || t.proposer?.id !== proposerId) throw new NotFound(`topic ${topicId} is not one you proposed`);
  if (!OPEN_STATES.includes(t.state)) throw new InvalidTransition(t.state, to, closedToProposer(t, to === 'withdrawn' ? 'withdrawn' : 'changed'));
  return t;
}

/**
 * The proposer edits their topic while it is proposed or changes were asked for; an edit of a
 * topic with changes requested sends it back to the committee ('proposed'), and every active
 * committee member is mailed what changed (tellCommitteeOfRevision). Audited.
 */
export async function editTopic(deps: TopicDeps, actor: Actor, input: EditInput): Promise<TopicView> {
  const e = parseForm(EditInput, input);
  return deps.db.transaction().execute(async (trx) => {
    const found = await trx.selectFrom('topics').select('edition_id').where('id', '=', e.topicId).executeTakeFirst();
    if (!found) throw new NotFound(`topic ${e.topicId} not found`);
    const edition = await lockEdition(trx, found.edition_id);
    const before = await openForProposer(trx, e.topicId, e.proposerId, 'proposed');
    await checkProposer(trx, edition.id, e.proposerId, edition.title);
    await checkCoPresenters(trx, edition.id, edition.title, e.proposerId, e.coPresenterIds);
    await trx
      .updateTable('topics')
      .set({ title: e.title, abstract: e.abstract, wished_minutes: e.wishedMinutes, state: 'proposed', updated_at: deps.clock() })
      .where('id', '=', e.topicId)
      .execute();
    await writePresenters(trx, e.topicId, e.proposerId, e.coPresenterIds);
    const after = await loadOne(trx, e.topicId);
    await recordAudit(trx, actor, { action: 'topic.edit', entity: 'topic', entityId: e.topicId, editionId: edition.id, before: auditView(before), after: auditView(after) });
    if (before.state === 'changes-requested') await tellCommitteeOfRevision(trx, deps, before, after);
    return after;
  });
}

/** A wished length in words, for the committee's notice. */
const lengthText = (m: number | null) => (m === null ? 'no wish' : `${m} minutes`);

/** The co-presenters (the presenters but the first, the proposer) in words. */
const coPresenterText = (t: TopicView) => t.presenters.slice(1).map((p) => p.name).join(', ') || 'none';

/**
 * What a proposer's revision changed, a line or two each, indented for the mail: the title and
 * length before and now, the abstract's size before and now (the admin shows it whole), the
 * co-presenters; or that nothing changed (saved as it was, it is proposed again all the same).
 */
export function revisionSummary(before: TopicView, after: TopicView): string {
  const lines: string[] = [];
  if (before.title !== after.title) lines.push(`  Title, before: ${before.title}`, `  Title, now: ${after.title}`);
  if (before.abstract !== after.abstract) {
    const size = (s: string) => (s === '' ? 'none' : `${s.length.toLocaleString('en-US')} characters`);
    lines.push(`  Abstract: ${before.abstract === '' ? 'written' : after.abstract === '' ? 'removed' : 'rewritten'} (${size(before.abstract)} before, ${size(after.abstract)} now)`);
  }
  if (before.wishedMinutes !== after.wishedMinutes) lines.push(`  Length, before: ${lengthText(before.wishedMinutes)}`, `  Length, now: ${lengthText(after.wishedMinutes)}`);
  if (coPresenterText(before) !== coPresenterText(after)) lines.push(`  Co-presenters, before: ${coPresenterText(before)}`, `  Co-presenters, now: ${coPresenterText(after)}`);
  return lines.length > 0 ? lines.join('\n') : '  Nothing: it was saved as it stood.';
}

/**
 * A topic the committee asked changes to, saved again by its proposer, is proposed again: each
 * active committee member is mailed (template `topic-revised`) which topic, what changed, the
 * comment that asked for it and a link to it in the admin, so that the review does not wait on
 * someone happening to look. In the topic's own thread (topicThreadId): the decision's mail went
 * to the presenters, in their invitation's thread, which no committee member has, and nothing
 * was mailed to the committee at the proposal; each revision answers the topic, so that a
 * member's mail program keeps every mail about it together.
 */
async function tellCommitteeOfRevision(trx: Trx, deps: TopicDeps, before: TopicView, after: TopicView): Promise<void> {
  const edition = await trx
    .selectFrom('editions')
    .innerJoin('series', 'series.id', 'editions.series_id')
    .select(['editions.title', 'editions.year', 'series.slug'])
    .where('editions.id', '=', after.editionId)
    .executeTakeFirstOrThrow();
  const comment = (before.decisionComment ?? '').split('\n').map((l) => (l.trim() === '' ? '' : `  ${l}`)).join('\n');
  const values = {
    name: after.proposer?.name ?? after.presenters[0]?.name ?? 'The proposer',
    edition_title: edition.title,
    topic_number: String(after.number),
    topic_title: after.title,
    changes: revisionSummary(before, after),
    comment: comment || '  (no comment)',
    link: absoluteUrl(deps.mail.baseUrl, `/admin/editions/${encodeURIComponent(edition.slug)}/${edition.year}/topics#topic-${after.id}`),
  };
  await mailCommittee(trx, deps.mail, {
    editionId: after.editionId,
    key: 'topic-revised',
    values,
    notBefore: deps.clock(),
    threadUnder: topicThreadId(deps.mail, after),
    // The root is no mail of ours: the thread is it alone, however many revisions answered it.
    parentReferences: [],
  });
}

/**
 * The thread of the committee's mail about one topic (threadRootId): its id and when it was
 * proposed (ids start again in a new database; the mail of an old one stays in mailboxes).
 */
export function topicThreadId(mail: MailSettings, t: { id: number; createdAt: Date }): string {
  return threadRootId(mail.baseUrl, mail.from, `topic-${t.id}.${t.createdAt.getTime().toString(36)}`);
}

/** The proposer withdraws their topic while the committee has not decided. Audited. */
export async function withdrawTopic(deps: TopicDeps, actor: Actor, input: WithdrawInput): Promise<TopicView> {
  const w = parseInput(WithdrawInput, input);
  return deps.db.transaction().execute(async (trx) => {
    const before = await openForProposer(trx, w.topicId, w.proposerId, 'withdrawn');
    await trx.updateTable('topics').set({ state: 'withdrawn', updated_at: deps.clock() }).where('id', '=', w.topicId).execute();
    const after = await loadOne(trx, w.topicId);
    await recordAudit(trx, actor, { action: 'topic.withdraw', entity: 'topic', entityId: w.topicId, editionId: after.editionId, before: auditView(before), after: auditView(after) });
    return after;
  });
}

/**
 * The committee changes a topic's title, abstract, length or presenters, in any state (a typo
 * fixed after accepting it, the length it grants, a co-presenter who no longer comes). The state
 * stays, nobody is mailed, and a slot made for the topic keeps its times and its speakers (the
 * schedule's conflicts say when none of the new presenters speaks in it); a new title shows on
 * the schedule, in the changelog once it is published (logTopicChange). Audited with what changed; `changed` is empty, and nothing is
 * written, when every field given is as it was. `oldTitle` is the title this change replaced,
 * read under the topic's lock: a title read before the call may be another edit's, since gone.
 */
export async function updateTopic(deps: TopicDeps, actor: Actor, input: UpdateInput): Promise<{ topic: TopicView; oldTitle: string; changed: UpdateField[]; logged: string[] }> {
  const u = parseForm(UpdateInput, input);
  // The schema fills an abstract left out with '': only what was given counts.
  const given = (f: UpdateField) => (input as Record<string, unknown>)[f] !== undefined;
  return deps.db.transaction().execute(async (trx) => {
    const found = await trx.selectFrom('topics').select('edition_id').where('id', '=', u.topicId).executeTakeFirst();
    if (!found) throw new NotFound(`topic ${u.topicId} not found`);
    // The edition first, as a schedule write takes it, then the topic.
    const edition = await lockEdition(trx, found.edition_id);
    const before = await loadOne(trx, u.topicId, true);
    const presenters = before.presenters.map((p) => p.id);
    const next = {
      title: given('title') ? u.title! : before.title,
      abstract: given('abstract') ? u.abstract! : before.abstract,
      wishedMinutes: given('wishedMinutes') ? u.wishedMinutes! : before.wishedMinutes,
      presenterIds: given('presenterIds') ? await checkPresenterList(trx, before, edition.title, u.presenterIds!) : presenters,
    };
    const was = { title: before.title, abstract: before.abstract, wishedMinutes: before.wishedMinutes, presenterIds: presenters };
    const same = (f: UpdateField) => (f === 'presenterIds' ? next.presenterIds.join() === was.presenterIds.join() : next[f] === was[f]);
    const changed = UPDATE_FIELDS.filter((f) => given(f) && !same(f));
    if (changed.length === 0) return { topic: before, oldTitle: before.title, changed, logged: [] };
    const logged = await logTopicChange(trx, deps, actor, before.editionId, before.id, async () => {
      await trx
        .updateTable('topics')
        .set({ title: next.title, abstract: next.abstract, wished_minutes: next.wishedMinutes, updated_at: deps.clock() })
        .where('id', '=', before.id)
        .execute();
      if (changed.includes('presenterIds')) {
        await trx.deleteFrom('topic_presenters').where('topic_id', '=', before.id).execute();
        await trx
          .insertInto('topic_presenters')
          .values(next.presenterIds.map((person_id, position) => ({ topic_id: before.id, person_id, position })))
          .execute();
      }
    });
    const after = await loadOne(trx, before.id);
    await recordAudit(trx, actor, {
      action: 'topic.update',
      entity: 'topic',
      entityId: before.id,
      editionId: before.editionId,
      before: { ...auditView(before), abstract: before.abstract, presenterNames: before.presenters.map((p) => p.name) },
      after: { ...auditView(after), abstract: after.abstract, presenterNames: after.presenters.map((p) => p.name) },
      reason: `changed ${changed.map((f) => FIELD_WORD[f]).join(', ')}`,
    });
    return { topic: after, oldTitle: before.title, changed, logged };
  });
}

/** How the audit's reason names a changed field. */
const FIELD_WORD: Record<UpdateField, string> = { title: 'title', abstract: 'abstract', wishedMinutes: 'length', presenterIds: 'presenters' };

/** Whether the committee may take `decision` on a topic in state `from`. */
export function decisionAllowed(from: TopicState, decision: Decision): boolean {
  if (OPEN_STATES.includes(from)) return true;
  // Committees change their minds: accepted ⇄ declined, with a comment saying why.
  return (from === 'accepted' && decision === 'decline') || (from === 'declined' && decision === 'accept');
}

/**
 * The committee decides on a proposal: accept, decline or ask for changes. A comment is
 * required to decline, to ask for changes and to reverse an earlier decision. Every presenter
 * with an invitation to the edition is mailed the decision and the comment, threaded under
 * their invitation; the proposer of a topic proposed by mail under that mail, in its thread
 * (underTopicMail); the mail and the audit row commit with the decision.
 */
export async function decideTopic(deps: TopicDeps, actor: Actor, input: DecideInput): Promise<TopicView & { mailed: string[]; notComing: NotComing[] }> {
  const d = parseForm(DecideInput, input);
  return deps.db.transaction().execute(async (trx) => {
    const before = await loadOne(trx, d.topicId, true);
    const to = DECISION_STATE[d.decision];
    if (before.origin !== 'proposal') throw new InvalidTransition(before.state, to, `“${before.title}” was not proposed through conclave: there is nothing to decide`);
    if (!decisionAllowed(before.state, d.decision)) {
      const verb = d.decision === 'request-changes' ? 'sent back for changes' : DECISION_TEXT[d.decision];
      throw new InvalidTransition(before.state, to, `“${before.title}” is ${before.state}: it cannot be ${verb} now`);
    }
    const reversal = !OPEN_STATES.includes(before.state);
    if (before.state === 'accepted' && to !== 'accepted') {
      // Declined, it would stay on the agenda (public, perhaps final) with no word to anyone.
      const slots = await trx
        .selectFrom('slots')
        .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
        .select(['slots.id', 'agenda_days.date', 'slots.start_time', 'slots.end_time'])
        .where('slots.topic_id', '=', d.topicId)
        .orderBy('agenda_days.date')
        .orderBy('slots.start_time')
        .execute();
      if (slots.length > 0) {
        const where = slots.map((x) => `slot #${x.id}, ${dayLabel(x.date)}, ${x.start_time}${x.end_time ? `–${x.end_time}` : ''}`).join('; ');
        throw new InvalidTransition(
          before.state,
          to,
          `“${before.title}” is on the schedule (${where}): take it off first (remove the slot, or give it no topic or another), so that the change reaches the changelog and its speakers; then decline it`,
        );
      }
    }
    if (!d.comment && (d.decision !== 'accept' || reversal)) {
      throw new InvalidInput('comment', reversal ? 'say why the decision changes: the presenters are mailed it' : 'a comment is required: the presenters are mailed it');
    }
    const now = deps.clock();
    await trx
      .updateTable('topics')
      .set({ state: to, decision_comment: d.comment || null, decided_at: now, updated_at: now })
      .where('id', '=', d.topicId)
      .execute();
    const after = await loadOne(trx, d.topicId);
    await recordAudit(trx, actor, {
      action: `topic.${d.decision}`,
      entity: 'topic',
      entityId: d.topicId,
      editionId: after.editionId,
      before: auditView(before),
      after: auditView(after),
      reason: d.comment || null,
    });
    const mailed = await mailDecision(trx, deps, after, d.decision, d.comment);
    return { ...after, mailed, notComing: to === 'accepted' ? await presentersNotComing(trx, after) : [] };
  });
}

/** A presenter of a topic whose invitation to its edition says they will not be there. */
export interface NotComing {
  name: string;
  state: 'declined' | 'withdrawn' | 'revoked' | 'expired';
}

/**
 * The presenters of `t` whose invitation to its edition was declined, withdrawn, revoked or let
 * expire: a topic accepted with them on it has nobody there to present their part (said when it
 * is accepted; the schedule flags such a speaker once the topic is placed).
 */
async function presentersNotComing(trx: Trx, t: TopicView): Promise<NotComing[]> {
  if (t.presenters.length === 0) return [];
  const states = await notComingIn(trx, t.editionId);
  return t.presenters.flatMap((p) => {
    const state = states.get(p.id);
    return state ? [{ name: p.name, state }] : [];
  });
}

/**
 * The people of an edition whose invitation says they will not be there (declined, withdrawn,
 * revoked, expired), by person id: the Topics page marks such a presenter.
 */
export async function notComingIn(db: Reader, editionId: number): Promise<Map<number, NotComing['state']>> {
  const rows = await db
    .selectFrom('invitations')
    .select(['person_id', 'state'])
    .where('edition_id', '=', editionId)
    .where('state', 'in', ['declined', 'withdrawn', 'revoked', 'expired'])
    .execute();
  return new Map(rows.map((r) => [r.person_id, r.state as NotComing['state']]));
}

/** What `notComing` says, the same on every surface: "Carol Chen declined the invitation, and Dan … : …". */
export function notComingSentence(list: NotComing[], title: string): string {
  const words: Record<NotComing['state'], string> = { declined: 'declined the invitation', withdrawn: 'withdrew', revoked: 'had the invitation revoked', expired: 'let the invitation expire' };
  return `${andList(list.map((n) => `${n.name} ${words[n.state]}`))}: nobody may be there to present ${list.length === 1 ? 'their part of' : 'their parts of'} “${title}”`;
}

/** The decision mail's words that differ per presenter: whose topic it is, and what comes next. */
function presenterWords(t: TopicView, personId: number, decision: Decision, schedulePublished: boolean): { whose: string; next_step: string } {
  const proposer = t.proposer ?? t.presenters[0] ?? null;
  const mine = proposer === null || proposer.id === personId;
  const whose = mine ? 'you proposed' : `${proposer.name} proposed with you`;
  const next_step =
    decision === 'accept'
      ? schedulePublished
        ? 'It will be on the schedule; the edition’s page shows where once it is placed.'
        : 'It will be on the schedule; you will hear from us when the schedule is published.'
      : decision === 'decline'
        ? mine
          ? 'Thank you for proposing it all the same.'
          : 'Thank you all the same.'
        : mine
          ? 'Please edit the proposal from your personal page (the link in your invitation mail); it goes back to the committee when you save it.'
          : `${proposer.name} can edit the proposal from their personal page; it goes back to the committee when they save it.`;
  return { whose, next_step };
}

/** One 'topic-decision' mail per presenter with an invitation address; returns the addresses. */
async function mailDecision(trx: Trx, deps: TopicDeps, t: TopicView, decision: Decision, comment: string): Promise<string[]> {
  const edition = await trx.selectFrom('editions').selectAll().where('id', '=', t.editionId).executeTakeFirstOrThrow();
  const shared = await editionMailValues(trx, edition);
  const invitations = await trx
    .selectFrom('invitations')
    .select(['person_id', 'email', 'invitation_message_id'])
    .where('edition_id', '=', t.editionId)
    .where(
      'person_id',
      'in',
      t.presenters.map((p) => p.id),
    )
    .execute();
  const byMail = await topicMailThread(trx, t);
  const mailed: string[] = [];
  for (const p of t.presenters) {
    const inv = invitations.find((i) => i.person_id === p.id);
    if (!inv) continue;
    // The proposer's in the thread of the mail that proposed it, when a mail did.
    const thread = byMail && p.id === t.proposer?.id ? await underTopicMail(trx, inv.invitation_message_id, byMail) : { threadUnder: inv.invitation_message_id };
    await sendTemplate(trx, deps.mail, {
      editionId: t.editionId,
      key: 'topic-decision',
      values: { ...shared, name: p.name, topic_title: t.title, decision: DECISION_TEXT[decision], comment, ...presenterWords(t, p.id, decision, edition.schedule_published_at !== null) },
      to: { address: inv.email, name: p.name },
      ...thread,
      // An empty comment would leave a gap of blank lines.
      closeGaps: true,
    });
    mailed.push(inv.email);
  }
  return mailed;
}

const MESSAGE_ID = /^<[^<>\s]+>$/;

/**
 * The mail that proposed a topic (a [TOPIC] mail, docs/inbound-mail.md), by its Message-ID and the
 * ids it answered, when a mail did: the inbound record that made the topic (its topic_id) keeps
 * them. Undefined for a topic proposed on a page.
 */
async function topicMailThread(trx: Trx, t: TopicView): Promise<{ messageId: string; references: string[] } | undefined> {
  const m = await trx
    .selectFrom('inbound_messages')
    .select(['message_id', 'in_reply_to', 'references_ids'])
    .where('topic_id', '=', t.id)
    .where('action', '=', 'topic')
    .orderBy('id')
    .executeTakeFirst();
  if (!m || !MESSAGE_ID.test(m.message_id)) return undefined;
  const references = m.references_ids ? m.references_ids.split(/\s+/) : m.in_reply_to ? [m.in_reply_to] : [];
  return { messageId: m.message_id, references: references.filter((id) => MESSAGE_ID.test(id)) };
}

/**
 * A decision mail's place under the mail that proposed the topic: In-Reply-To that mail, and
 * References the invitation's chain first (its root, the invitation the proposer answered), then
 * what the mail answered, then the mail; so that a mail program shows the decision in the
 * topic's conversation, itself in the invitation's. At most 50 ids: the root and the latest.
 */
async function underTopicMail(trx: Trx, invitationMessageId: string | null, byMail: { messageId: string; references: string[] }): Promise<{ threadUnder: string; parentReferences: string[] }> {
  const invitation = invitationMessageId ? await trx.selectFrom('outbox').select('references_ids').where('message_id', '=', invitationMessageId).executeTakeFirst() : undefined;
  const chain = [...(invitation?.references_ids?.split(/\s+/) ?? []), ...(invitationMessageId ? [invitationMessageId] : []), ...byMail.references].filter((id) => id !== byMail.messageId);
  const ids = [...new Set(chain)];
  return { threadUnder: byMail.messageId, parentReferences: ids.length <= 49 ? ids : [ids[0]!, ...ids.slice(-48)] };
}

/** The topic (of any edition) by id, with its presenters. */
export async function getTopic(deps: { db: Kysely<Database> }, topicId: number): Promise<TopicView> {
  return deps.db.transaction().execute((trx) => loadOne(trx, topicId));
}

/** Who a personal link opens, as the topics page needs it. */
export interface TopicInvitee {
  personId: number;
  name: string;
  email: string;
  /** The invitation's state: only 'accepted' may propose. */
  invitationState: InvitationState;
  /** Whether the invitee may accept now (not accepted; the answer-by date not passed), and so propose after. */
  canAccept: boolean;
  edition: { id: number; title: string };
  /** The audit actor of their writes. */
  actor: Actor;
}

/** The invitee a personal link opens (LinkInvalid, with a sentence for them, when none). */
export async function inviteeByToken(deps: { db: Kysely<Database>; clock: () => Date }, token: string): Promise<TopicInvitee> {
  return deps.db.transaction().execute(async (trx) => {
    const { invitation, edition } = await resolveToken(trx, token, deps.clock());
    const person = await trx.selectFrom('people').select('name').where('id', '=', invitation.person_id).executeTakeFirstOrThrow();
    return {
      personId: invitation.person_id,
      name: person.name,
      email: invitation.email,
      invitationState: invitation.state,
      canAccept: mayAccept(invitation, todayIn(edition.time_zone, deps.clock())),
      edition: { id: edition.id, title: edition.title },
      actor: inviteeActor(invitation.email),
    };
  });
}

/**
 * The committee's view of an edition's invitations at a glance: how many are in each state,
 * how many places are taken of the cap, and who is where since when.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { NotFound } from '../errors.js';
import { loadPeople } from '../people/load-person.js';
import { INVITATION_STATES, type InvitationState } from './states.js';

export interface PipelineRow {
  id: number;
  personSlug: string;
  /**
   * Whether /people/SLUG/ is a page: not for a person known only by invitations (a candidate, an
   * invitee who has not come to an edition), whom the public site does not name. Left out of a
   * pipeline asked for without it (`pages: false`).
   */
  hasPage: boolean;
  name: string;
  email: string;
  state: InvitationState;
  /** When it entered its state. */
  since: Date;
  answerBy: string | null;
  /** 1 for the next to be promoted; null unless waiting. */
  waitlistRank: number | null;
  remindersSent: number;
  /** Accepted by moving up from the waiting list (a place freed, or a raised cap). */
  promoted: boolean;
  /** The held batch its invitation mail waits in as a draft, not sent yet; else null. */
  heldIn: string | null;
  source: string;
  evidence: unknown;
  note: string | null;
}

export interface Pipeline<Row = PipelineRow> {
  editionId: number;
  title: string;
  counts: Record<InvitationState, number>;
  cap: number;
  /** Places taken: the accepted count. */
  accepted: number;
  /** Rows by state (in INVITATION_STATES order), then longest in it first; the waiting list by rank. */
  rows: Row[];
}

/**
 * Every invitation of an edition with counts per state; NotFound for an unknown edition. Each
 * row says whether the person has a public page (hasPage) unless `pages` is false: finding that
 * out loads their person views, two queries a caller that links nobody (the terminal) is spared.
 */
export async function invitationPipeline<Pages extends boolean = true>(
  deps: { db: Kysely<Database> },
  editionId: number,
  opts?: { pages: Pages },
): Promise<Pipeline<Pages extends true ? PipelineRow : Omit<PipelineRow, 'hasPage'>>> {
  const withPages = opts?.pages ?? true;
  const edition = await deps.db.selectFrom('editions').select(['id', 'title', 'cap']).where('id', '=', editionId).executeTakeFirst();
  if (!edition) throw new NotFound(`edition ${editionId} not found`);
  const rows = await deps.db
    .selectFrom('invitations')
    .innerJoin('people', 'people.id', 'invitations.person_id')
    // Invited by a mail still held as a draft: it says so, or it would look sent.
    .leftJoin('outbox', (join) => join.onRef('outbox.message_id', '=', 'invitations.invitation_message_id').on('outbox.state', '=', 'draft'))
    .selectAll('invitations')
    .select(['people.slug', 'people.name', 'outbox.batch as held_batch'])
    .where('invitations.edition_id', '=', editionId)
    .execute();
  const order = (s: InvitationState) => INVITATION_STATES.indexOf(s);
  rows.sort(
    (a, b) =>
      order(a.state) - order(b.state) ||
      (a.waitlist_position ?? 0) - (b.waitlist_position ?? 0) ||
      a.state_since.getTime() - b.state_since.getTime() ||
      a.id - b.id,
  );
  const [promoted, pages] = await Promise.all([
    movedUp(deps.db, editionId, rows.filter((r) => r.state === 'accepted').map((r) => r.id)),
    withPages ? loadPeople(deps, [...new Set(rows.map((r) => r.slug))]) : null,
  ]);
  const counts = Object.fromEntries(INVITATION_STATES.map((s) => [s, 0])) as Record<InvitationState, number>;
  let rank = 0;
  const out = rows.map((r) => {
    counts[r.state]++;
    return {
      id: r.id,
      personSlug: r.slug,
      ...(pages ? { hasPage: pages.has(r.slug) } : {}),
      name: r.name,
      email: r.email,
      state: r.state,
      since: r.state_since,
      answerBy: r.answer_by,
      waitlistRank: r.state === 'waitlisted' ? ++rank : null,
      remindersSent: r.reminders_sent,
      promoted: promoted.has(r.id),
      heldIn: r.state === 'invited' ? r.held_batch : null,
      source: r.source,
      evidence: r.evidence,
      note: r.note,
    };
  });
  // Each row has hasPage exactly when Pages is true; TypeScript cannot follow that through the spread.
  return { editionId, title: edition.title, counts, cap: edition.cap, accepted: counts.accepted, rows: out as PipelineRow[] };
}

/**
 * Of these invitations, the ones whose last change of state (in the audit log) was a promotion
 * from the waiting list: what the committee did not do itself, and would otherwise only find in
 * the audit log.
 */
async function movedUp(db: Kysely<Database>, editionId: number, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const log = await db
    .selectFrom('audit_log')
    .select(['entity_id', 'action', 'before', 'after'])
    .where('entity', '=', 'invitation')
    .where('edition_id', '=', editionId)
    .where('entity_id', 'in', ids.map(String))
    .orderBy('id', 'desc')
    .execute();
  const seen = new Set<string>();
  const out = new Set<number>();
  for (const e of log) {
    const state = (v: unknown) => (v && typeof v === 'object' && 'state' in v ? (v as { state: unknown }).state : undefined);
    if (seen.has(e.entity_id!) || state(e.before) === state(e.after)) continue;
    seen.add(e.entity_id!);
    if (e.action === 'invitation.promote') out.add(Number(e.entity_id));
  }
  return out;
}

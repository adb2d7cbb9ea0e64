/**
 * Deleting an edition made by mistake (a year mistyped, a trial run) with everything in it: its
 * days and slots, topics, materials (slides, notes, photos), candidates, sponsors, committee
 * roles, references and mail templates.
 * Refused once anybody was invited to it or any mail was written about it: people then hold
 * links to its pages and mail naming it, and it is part of the record. People stay (they are
 * the archive's, across editions); the audit log keeps the deletion with what was deleted. Files
 * only it used (slides, photos, sponsor logos) are no longer served, and leave the disk.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { recordAudit, type Actor } from '../audit/record.js';
import { count } from '../count.js';
import { Conflict } from '../errors.js';
import { withFiles } from '../files/store.js';
import { findEdition, type EditionRef, type FoundEdition } from './find-edition.js';

export interface EditionContents {
  title: string;
  /** What deleting it takes with it, in words ("2 days, 5 slots, 3 topics"), or "" for nothing. */
  contents: string;
  /** Why it cannot be deleted, or null when it can. */
  refusal: string | null;
  /**
   * The batches holding the invitation mail of everybody invited, when none of it was sent: once
   * discarded, those invited are candidates again and the edition may go. Empty otherwise.
   */
  heldBatches: string[];
}

/**
 * The refusal and, when the invitations are only held, how to discard them in an interface's
 * words (`discard` ends "discard them first …": "with conclave mail discard b1", "under Mail (batch b1)").
 */
export function refusalWords(c: Pick<EditionContents, 'refusal' | 'heldBatches'>, discard: (batches: string[]) => string): string | null {
  if (!c.refusal) return null;
  return c.heldBatches.length ? `${c.refusal} (its invitations are held as drafts, not sent: discard them first ${discard(c.heldBatches)})` : c.refusal;
}

/** Deleting refused (EditionContents.refusal): the CLI and the web say how to discard held drafts each in its words. */
export class EditionKept extends Conflict {
  override name = 'EditionKept';
  constructor(readonly contents: EditionContents) {
    super(keptSentence(contents, (b) => `(batch ${b.join(', ')})`));
  }

  /** The refusal, with how to discard held drafts as `discard` says it (refusalWords). */
  sentence(discard: (batches: string[]) => string): string {
    return keptSentence(this.contents, discard);
  }
}

function keptSentence(c: EditionContents, discard: (batches: string[]) => string): string {
  return `${c.title} was not deleted: ${refusalWords(c, discard)}`;
}

async function contentsOf(db: Kysely<Database> | Transaction<Database>, e: FoundEdition): Promise<EditionContents> {
  const n = await sql<{
    days: number;
    slots: number;
    topics: number;
    materials: number;
    candidates: number;
    invited: number;
    mail: number;
    attendees: number;
    sponsors: number;
    committee: number;
    refs: number;
    templates: number;
  }>`
    select
      (select count(*)::int from agenda_days where edition_id = ${e.id}) as days,
      (select count(*)::int from slots s join agenda_days d on d.id = s.day_id where d.edition_id = ${e.id}) as slots,
      (select count(*)::int from topics where edition_id = ${e.id}) as topics,
      (select count(*)::int from materials where edition_id = ${e.id}) as materials,
      (select count(*)::int from invitations where edition_id = ${e.id} and state = 'candidate') as candidates,
      (select count(*)::int from invitations where edition_id = ${e.id} and state <> 'candidate') as invited,
      (select count(*)::int from outbox where edition_id = ${e.id}) as mail,
      (select count(*)::int from attendances where edition_id = ${e.id}) as attendees,
      (select count(*)::int from sponsors where edition_id = ${e.id}) as sponsors,
      (select count(*)::int from committee_members where edition_id = ${e.id}) as committee,
      (select count(*)::int from edition_references where edition_id = ${e.id}) as refs,
      (select count(*)::int from mail_templates where edition_id = ${e.id}) as templates`
    .execute(db)
    .then((r) => r.rows[0]!);
  const contents = [
    n.days ? count(n.days, 'day') : '',
    n.slots ? count(n.slots, 'slot') : '',
    n.topics ? count(n.topics, 'topic') : '',
    n.materials ? count(n.materials, 'material') : '',
    n.candidates ? count(n.candidates, 'candidate') : '',
    n.attendees ? count(n.attendees, 'attendee') : '',
    n.sponsors ? count(n.sponsors, 'sponsor') : '',
    n.committee ? count(n.committee, 'committee role') : '',
    n.refs ? count(n.refs, 'reference') : '',
    n.templates ? count(n.templates, 'mail template') : '',
  ]
    .filter(Boolean)
    .join(', ');
  const refusal = n.invited
    ? `${count(n.invited, 'person has', 'people have')} been invited to ${e.title}: an edition that invited anybody stays`
    : n.mail
      ? `mail was written about ${e.title} (${count(n.mail, 'message')} in the outbox): an edition people were told of stays`
      : null;
  // Invitation mail of this edition held as drafts, by batch; counted only when it is all of it.
  const held = n.invited
    ? await db
        .selectFrom('invitations')
        .innerJoin('outbox', 'outbox.message_id', 'invitations.invitation_message_id')
        .select(['invitations.id', 'outbox.batch'])
        .where('invitations.edition_id', '=', e.id)
        .where('invitations.state', '<>', 'candidate')
        .where('outbox.state', '=', 'draft')
        .execute()
    : [];
  const heldBatches = held.length === n.invited ? [...new Set(held.map((h) => h.batch).filter((b) => b !== null))].sort() : [];
  return { title: e.title, contents, refusal, heldBatches };
}

/** What deleting the edition would take with it, and whether it may be deleted. */
export async function editionContents(deps: { db: Kysely<Database> }, ref: EditionRef): Promise<EditionContents> {
  return contentsOf(deps.db, await findEdition(deps.db, ref));
}

/**
 * Deletes the edition and everything in it, in one transaction under its row lock (an invitation
 * sent meanwhile waits, then finds it gone); a Conflict when editionContents refuses it.
 */
export async function deleteEdition(deps: { db: Kysely<Database>; filesDir: string }, actor: Actor, ref: EditionRef): Promise<EditionContents> {
  return withFiles(deps, async (trx, _store, release) => {
    const e = await findEdition(trx, ref, { lock: true });
    const what = await contentsOf(trx, e);
    if (what.refusal) throw new EditionKept(what);
    const { series_slug: series, series_name: _name, ...row } = e;
    // The audit row names no edition: the edition it would name is gone.
    await recordAudit(trx, actor, { action: 'edition.delete', entity: 'edition', entityId: e.id, before: { ...row, series, contents: what.contents } });
    const materials = await trx.selectFrom('materials').select(['file_sha256', 'thumb_sha256']).where('edition_id', '=', e.id).execute();
    const logos = await trx.selectFrom('sponsors').select(['logo_sha256', 'logo_thumb_sha256']).where('edition_id', '=', e.id).execute();
    await trx.deleteFrom('editions').where('id', '=', e.id).execute();
    await release([...materials.flatMap((m) => [m.file_sha256, m.thumb_sha256]), ...logos.flatMap((l) => [l.logo_sha256, l.logo_thumb_sha256])]);
    return what;
  });
}

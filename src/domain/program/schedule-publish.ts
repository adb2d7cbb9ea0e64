/**
 * Publishing the schedule (planned → tentative → final) and the mail it sends the speakers on it;
 * checking or previewing a publication without doing it. What would refuse a publication, and
 * the errors it refuses with, are in publication.ts.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Actor } from '../audit/record.js';
import { findEdition, type EditionRef, type FoundEdition } from '../editions/find-edition.js';
import { editionMailValues } from '../invitations/invitee-mail.js';
import { editionOver } from '../invitations/dates.js';
import { sendTemplate } from '../mail/templates.js';
import { andList } from '../word-list.js';
import { publishRefusals, publishTarget, refusalError, type PublishOptions, type PublishRefusal } from './publication.js';
import { loadSchedule, loadState, type ScheduleDeps, type ScheduleState } from './schedule.js';
import type { Trx } from './schedule-snapshot.js';
import { write } from './schedule-write.js';
import { addressOf, editionPage, slotsOf } from './schedule-notices.js';
import { logChange } from './schedule-changelog.js';

type Db = Kysely<Database>;

/**
 * Who a publication mailed: the template (schedule-published at the first publication,
 * schedule-final when a tentative schedule is made final), how many speakers it was queued for,
 * who it could not tell, and, when that is none, why in words.
 */
export interface PublicationMail {
  key: 'schedule-published' | 'schedule-final';
  told: number;
  /**
   * The speakers on the schedule it could not mail, by name: no address of theirs is known (an
   * archive's speaker, say, not invited to this edition). The committee is to tell them itself.
   */
  untold: string[];
  /** Why nobody was told ("no slot names a speaker …"); null when somebody was. */
  nobodyBecause: string | null;
}

/**
 * Publishes the schedule: planned → tentative (the page shows it, marked "Tentative"), or
 * tentative → final. Refused while there are conflicts, unless `force`; refused while the
 * edition has no time zone, unless `floatingTimes` (the committee's word that the times are to
 * be read wherever the reader is); refused with every reason at once (refusalError). Returns the edition as it now is, and who was mailed (null:
 * no mail is due, as for a schedule published here before, planned again, published again).
 */
export async function publishSchedule(
  deps: ScheduleDeps,
  actor: Actor,
  ref: EditionRef,
  opts: PublishOptions = {},
): Promise<ScheduleState['edition'] & { mailed: PublicationMail | null }> {
  const to = publishTarget(opts);
  const mailed = await write(deps, actor, ref, 'schedule.publish', async (trx, e) => {
    const from = e.status;
    // Under the edition's lock, as every slot's write: no conflicting slot slips in meanwhile.
    const refused = publishRefusals(await loadState(trx, e), opts);
    if (refused.length > 0) throw refusalError(refused, from, opts);
    const now = deps.clock();
    await trx
      .updateTable('editions')
      .set({ status: to, schedule_published_at: e.schedule_published_at ?? now, updated_at: now })
      .where('id', '=', e.id)
      .execute();
    // Logged whatever the status was before: publication is the changelog's first entry.
    await logChange(trx, deps, { ...e, status: to }, actor, {
      kind: to === 'final' ? 'finalize' : 'publish',
      summary: to === 'final' ? 'The schedule is final.' : 'The schedule is published (tentative).',
      slotId: null,
      before: null,
      after: null,
      speakerIds: [],
    });
    // The first publication tells each speaker where they are (the topic decision promised it);
    // a tentative schedule made final tells them it no longer moves (a first publication as
    // final said so already).
    const key = publicationMailKey(e, to);
    const mailed = key === null ? null : await mailPublication(trx, deps, e, to, key);
    // Whether it was published here before: the exports count the slot writes until the first
    // publication as revisions of the calendar's events (exports/schedule.ts auditRevisions).
    return { result: mailed, before: { status: from, published: e.schedule_published_at !== null }, after: { status: to } };
  });
  return { ...(await loadSchedule(deps, ref)).edition, mailed };
}

/** What checkPublication answers: the edition, the status asked for, and what would refuse it. */
export interface PublicationCheck {
  edition: ScheduleState['edition'];
  to: 'tentative' | 'final';
  /** Empty when publishing with these options would go through. */
  refusals: PublishRefusal[];
}

/**
 * What publishing the schedule with `opts` would refuse, as publishSchedule decides it
 * (publishRefusals), without publishing: for `conclave schedule check`. Nothing is written.
 */
export async function checkPublication(deps: { db: Db }, ref: EditionRef, opts: PublishOptions = {}): Promise<PublicationCheck> {
  const state = await loadSchedule(deps, ref);
  return { edition: state.edition, to: publishTarget(opts), refusals: publishRefusals(state, opts) };
}

/**
 * The mail a publication to `to` sends: the first publication's (schedule-published) while the
 * schedule was never published here; schedule-final when a tentative schedule is made final (a
 * first publication as final said so already); none for a schedule published here before,
 * planned again and published again.
 */
function publicationMailKey(e: Pick<FoundEdition, 'status' | 'schedule_published_at'>, to: 'tentative' | 'final'): PublicationMail['key'] | null {
  if (e.schedule_published_at === null) return 'schedule-published';
  return e.status === 'tentative' && to === 'final' ? 'schedule-final' : null;
}

/** What previewPublication answers: checkPublication's, and what publishing would do. */
export interface PublicationPreview extends PublicationCheck {
  /** Whether the schedule was never published here (published before, it is published again). */
  firstPublication: boolean;
  /**
   * The mail publishing would send (null: none is due, as publishSchedule's `mailed`): its
   * template, the speakers it would be queued for with the address, those it could not tell for
   * want of one, and why nobody would be told when that is so.
   */
  mail: { key: PublicationMail['key']; told: { name: string; address: string }[]; untold: string[]; nobodyBecause: string | null } | null;
}

/**
 * What publishing the schedule with `opts` would do, without doing it: what would refuse it
 * (checkPublication), whether it is the first publication, and whom it would mail, as
 * publishSchedule decides each. Only reads, in one transaction so that the answers agree.
 */
export async function previewPublication(deps: { db: Db; clock?: () => Date }, ref: EditionRef, opts: PublishOptions = {}): Promise<PublicationPreview> {
  return deps.db.transaction().execute(async (trx) => {
    const e = await findEdition(trx, ref);
    const state = await loadState(trx, e);
    const to = publishTarget(opts);
    const key = publicationMailKey(e, to);
    let mail: PublicationPreview['mail'] = null;
    if (key !== null) {
      const { told, untold, nobodyBecause } = await publicationAddressees(trx, e, (deps.clock ?? (() => new Date()))());
      mail = { key, told: told.map((x) => ({ name: x.name, address: x.to.address })), untold, nobodyBecause };
    }
    return { edition: state.edition, to, refusals: publishRefusals(state, opts), firstPublication: e.schedule_published_at === null, mail };
  });
}

/**
 * Who a publication mailed, in a sentence for the builder's notice and the command's output: how
 * many speakers were told, or that no one was, and why; and by name those it could not tell, for
 * want of an address, whom the committee has to tell itself.
 */
export function publicationMailSentence(m: PublicationMail | null): string {
  if (m === null) return 'Nobody was mailed: the schedule was published before.';
  if (m.told === 0) return `No one to tell: ${m.nobodyBecause ?? 'no speaker'}; nothing was mailed.`;
  const what = m.key === 'schedule-final' ? 'that it is final' : 'that it is published';
  const n = m.told + m.untold.length;
  const told = m.untold.length === 0 ? (m.told === 1 ? 'The speaker on it is' : `Its ${m.told} speakers are`) : `${m.told} of its ${n} speakers ${m.told === 1 ? 'is' : 'are'}`;
  const untold = m.untold.length === 0 ? '' : ` Not mailed, as no address of theirs is known: ${andList(m.untold)}.`;
  return `${told} mailed ${what}, with where they are on it (${m.key}).${untold}`;
}

/** A speaker a publication's mail goes to, with the address and thread of their invitation. */
interface Addressee {
  personId: number;
  name: string;
  to: { address: string; name: string; threadUnder: string | null };
}

/**
 * Whom a publication's mail goes to: each speaker of the schedule with an address (`told`), and
 * by name those with none (`untold`), both in name order so that a reader finds them; and, when
 * nobody can be told, why. Nobody once the edition is over (at `now`), as for every change of
 * its schedule: an archived edition marked final must not mail its speakers at the addresses
 * its page gave years ago.
 */
async function publicationAddressees(trx: Trx, e: FoundEdition, now: Date): Promise<{ told: Addressee[]; untold: string[]; nobodyBecause: string | null }> {
  if (editionOver(e, now)) return { told: [], untold: [], nobodyBecause: `${e.title} is over` };
  const rows = await trx
    .selectFrom('slot_speakers')
    .innerJoin('slots', 'slots.id', 'slot_speakers.slot_id')
    .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
    .innerJoin('people', 'people.id', 'slot_speakers.person_id')
    .select(['slot_speakers.person_id', 'people.name'])
    .distinct()
    .where('agenda_days.edition_id', '=', e.id)
    .orderBy('people.name')
    .orderBy('slot_speakers.person_id')
    .execute();
  if (rows.length === 0) {
    const accepted = await trx.selectFrom('invitations').select('id').where('edition_id', '=', e.id).where('state', '=', 'accepted').executeTakeFirst();
    return { told: [], untold: [], nobodyBecause: `no slot names a speaker${accepted ? '' : `, and ${e.title} has no accepted invitee`}` };
  }
  const told: Addressee[] = [];
  const untold: string[] = [];
  for (const { person_id, name } of rows) {
    const to = await addressOf(trx, e.id, person_id);
    if (to) told.push({ personId: person_id, name, to });
    else untold.push(name);
  }
  const n = rows.length;
  return {
    told,
    untold,
    nobodyBecause: told.length > 0 ? null : `no address is known of ${n === 1 ? 'the one speaker on the schedule' : `any of the ${n} speakers on the schedule`}, ${andList(untold)}`,
  };
}

/**
 * Mails each speaker of the schedule (with an address) their slots, at once, in their
 * invitation's thread: the first publication's mail, or (`schedule-final`) the one saying a
 * tentative schedule is final.
 */
async function mailPublication(
  trx: Trx,
  deps: ScheduleDeps,
  e: FoundEdition,
  status: 'tentative' | 'final',
  key: 'schedule-published' | 'schedule-final' = 'schedule-published',
): Promise<PublicationMail> {
  const { told, untold, nobodyBecause } = await publicationAddressees(trx, e, deps.clock());
  const shared = told.length > 0 ? await editionMailValues(trx, e) : null;
  const page = editionPage(deps, e);
  for (const { personId, to } of told) {
    await sendTemplate(trx, deps.mail, {
      editionId: e.id,
      key,
      values: { ...shared, name: to.name, ...(key === 'schedule-published' ? { status } : {}), slot: await slotsOf(trx, e, personId), link: `${page}#agenda`, changes: `${page}changes/`, calendar: `${page}schedule.ics` },
      to: { address: to.address, name: to.name },
      threadUnder: to.threadUnder,
      notBefore: deps.clock(),
    });
  }
  return { key, told: told.length, untold, nobodyBecause };
}

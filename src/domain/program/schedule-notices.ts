/**
 * The speakers' change notices: once the schedule is public, each change of a speaker's slots
 * mails them, a notice waiting a while for more changes and withdrawn when they undo it; where a
 * speaker is on the schedule, for those notices and the publication's mail; and sending the
 * waiting notices now.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { recordAudit, type Actor } from '../audit/record.js';
import { findEdition, type EditionRef, type FoundEdition } from '../editions/find-edition.js';
import { enqueueMail } from '../mail/outbox.js';
import { renderMail } from '../mail/templates.js';
import { type ScheduleDeps, withinDates } from './schedule.js';
import { dayLabel, roomText, slotTitle } from './schedule-names.js';
import { addedText, describeEdit, type EditionWhen, type PendingChange, removedText, shortChange, shortEditionChange, type SlotSnapshot, slotInstants, snapshot, type Trx } from './schedule-snapshot.js';

type Db = Kysely<Database>;

declare module '../../db/schema.js' {
  interface Database {
    schedule_change_notices: {
      change_id: number;
      person_id: number;
      outbox_id: number;
      created_at: import('kysely').ColumnType<Date, Date | string | undefined, never>;
    };
  }
}

/** The edition's public page, under BASE_URL, for links in mail. */
export function editionPage(deps: ScheduleDeps, e: FoundEdition): string {
  return `${deps.mail.baseUrl.replace(/\/$/, '')}/${encodeURIComponent(e.series_slug)}/${e.year}/`;
}

/** The slots a person speaks in, in an edition (none: they are not on its schedule). */
export async function slotIdsOf(trx: Kysely<Database>, editionId: number, personId: number): Promise<number[]> {
  const rows = await trx
    .selectFrom('slot_speakers')
    .innerJoin('slots', 'slots.id', 'slot_speakers.slot_id')
    .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
    .select('slots.id')
    .where('agenda_days.edition_id', '=', editionId)
    .where('slot_speakers.person_id', '=', personId)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Where a speaker is on the schedule now, for the publication's mail and their change notices:
 * every slot of theirs (not only the one a change touched), its day, time and title on a line and
 * its speakers and room indented on the next; a sentence when they are in none. Written
 * to the speaker (`for: 'speaker'`), a slot names only the others speaking in it ("with Bob"), as
 * nobody is told that they speak with themselves; written about them to the committee, every
 * speaker. A last line names the edition's time zone, when it has one.
 */
export async function slotsOf(
  trx: Trx,
  edition: { id: number; time_zone: string | null },
  personId: number,
  opts: { for: 'speaker' | 'committee' } = { for: 'speaker' },
): Promise<string> {
  const editionId = edition.id;
  const rows = await trx
    .selectFrom('slot_speakers as mine')
    .innerJoin('slots', 'slots.id', 'mine.slot_id')
    .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
    .leftJoin('topics', 'topics.id', 'slots.topic_id')
    .select(['slots.id', 'agenda_days.date', 'slots.start_time', 'slots.end_time', 'slots.title', 'slots.talk_title', 'slots.kind', 'slots.room', 'topics.title as topic_title'])
    .where('agenda_days.edition_id', '=', editionId)
    .where('mine.person_id', '=', personId)
    .orderBy('agenda_days.date')
    .orderBy('slots.start_time')
    .orderBy('slots.position')
    .execute();
  if (rows.length === 0) return 'You are no longer on the schedule.';
  const speakers = await trx
    .selectFrom('slot_speakers')
    .innerJoin('people', 'people.id', 'slot_speakers.person_id')
    .select(['slot_speakers.slot_id', 'slot_speakers.person_id', 'people.name'])
    .where(
      'slot_speakers.slot_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('slot_speakers.position')
    .execute();
  const lines = rows.map((r) => {
    const who = speakers.filter((sp) => sp.slot_id === r.id && (opts.for === 'committee' || sp.person_id !== personId)).map((sp) => sp.name);
    const label = slotTitle({ title: r.title, topicTitle: r.topic_title, talkTitle: r.talk_title, kind: r.kind });
    // Who and where on a line of their own, so that wrapping at 72 columns never splits a name
    // from the title before it.
    const with_ = [who.length ? `with ${who.join(', ')}` : '', r.room ? roomText(r.room) : ''].filter(Boolean).join('; ');
    return `${dayLabel(r.date)}, ${r.start_time}${r.end_time ? `–${r.end_time}` : ''}: ${label}${with_ ? `\n    ${with_}` : ''}`;
  });
  // The reader may be anywhere: the times are the venue's, as the page says.
  if (edition.time_zone) lines.push(`(Times are local to the venue: ${edition.time_zone}.)`);
  return lines.join('\n  ');
}

/** How long a speaker's notice waits for further changes before it is sent (default 10 minutes). */
export const NOTICE_DELAY_MS = 10 * 60_000;

/**
 * The kinds (and templates) of a speaker's change notice: `schedule-change` while they still
 * speak somewhere, `schedule-removed` once the changes took them off the schedule altogether.
 */
const NOTICE_KINDS = ['schedule-change', 'schedule-removed'] as const;

/**
 * The speaker's notice of a change: a notice still waiting to be sent to them takes the change as
 * one more line (and waits again); otherwise a new notice waits `noticeDelayMs`. A notice the
 * worker has already taken is left alone. When the change undoes what the waiting notice told
 * (a slot moved and moved back, a speaker added and taken off again), the speaker's slots are as
 * they were before it: the notice is withdrawn, and false returned. The notice is written anew
 * at each change as things now stand: to a speaker the changes left in no slot, as the
 * `schedule-removed` mail (no "where you are now" to show them); else as `schedule-change`.
 */
export async function noticeFor(
  trx: Trx,
  deps: ScheduleDeps,
  e: FoundEdition,
  n: {
    changeId: number;
    change: PendingChange;
    personId: number;
    to: { address: string; name: string; threadUnder: string | null };
    shared: Record<string, string>;
    link: string;
  },
): Promise<boolean> {
  const notBefore = new Date(deps.clock().getTime() + (deps.noticeDelayMs ?? NOTICE_DELAY_MS));
  const waiting = await trx
    .selectFrom('outbox')
    .innerJoin('schedule_change_notices as n', 'n.outbox_id', 'outbox.id')
    .select('outbox.id')
    .where('n.person_id', '=', n.personId)
    .where('outbox.edition_id', '=', e.id)
    .where('outbox.kind', 'in', NOTICE_KINDS)
    .where('outbox.state', '=', 'queued')
    .where('outbox.attempts', '=', 0)
    .orderBy('outbox.id', 'desc')
    .forUpdate()
    .executeTakeFirst();
  const earlier = waiting
    ? await trx
        .selectFrom('schedule_change_notices as n')
        .innerJoin('schedule_changes as c', 'c.id', 'n.change_id')
        .select(['c.id', 'c.summary', 'c.kind', 'c.slot_id', 'c.before', 'c.notified'])
        .where('n.outbox_id', '=', waiting.id)
        .where('n.person_id', '=', n.personId)
        .orderBy('c.id')
        .execute()
    : [];
  const all = [...earlier.map((r) => ({ kind: r.kind, summary: r.summary, slotId: r.slot_id, before: r.before as PendingChange['before'] })), n.change];
  if (waiting && (await undoesNotice(trx, e.id, n.personId, all))) {
    // The notices of the earlier changes go with it (on delete cascade): nobody was told of them.
    await trx.deleteFrom('outbox').where('id', '=', waiting.id).execute();
    for (const r of earlier) {
      await trx.updateTable('schedule_changes').set({ notified: JSON.stringify(r.notified.filter((id) => id !== n.personId)) }).where('id', '=', r.id).execute();
    }
    return false;
  }
  const speaks = (await slotIdsOf(trx, e.id, n.personId)).length > 0;
  const net = earlier.length === 0 ? [{ line: n.change.summary, short: shortOf(n.change) }] : await netChanges(trx, all, { personId: n.personId, speaks });
  const lines = net.map((l) => l.line);
  const kind = speaks ? 'schedule-change' : 'schedule-removed';
  const values = {
    ...n.shared,
    name: n.to.name,
    // Short, for the subject: the whole of each change is in the body.
    headline: net.length === 1 ? net[0]!.short : `${net.length} changes to your slots`,
    change: lines.length === 1 ? lines[0]! : lines.map((l) => `- ${l}`).join('\n  '),
    link: n.link,
  };
  const text = await renderMail({ db: trx }, { editionId: e.id, key: kind, values: speaks ? { ...values, slot: await slotsOf(trx, e, n.personId) } : values });
  let outboxId: number;
  if (waiting) {
    // Its kind follows the speaker's state too: taken off and put back elsewhere, they still speak.
    await trx.updateTable('outbox').set({ kind, subject: text.subject, body: text.body.replace(/\r\n?/g, '\n'), next_attempt_at: notBefore }).where('id', '=', waiting.id).execute();
    outboxId = waiting.id;
  } else {
    const m = await enqueueMail(trx, {
      editionId: e.id,
      kind,
      baseUrl: deps.mail.baseUrl,
      to: { address: n.to.address, name: n.to.name },
      from: deps.mail.from,
      replyTo: deps.mail.replyTo ?? null,
      subject: text.subject,
      body: text.body,
      threadUnder: n.to.threadUnder,
      notBefore,
    });
    outboxId = m.id;
  }
  await trx.insertInto('schedule_change_notices').values({ change_id: n.changeId, person_id: n.personId, outbox_id: outboxId }).execute();
  return true;
}

/** A change in a few words (shortChange), for a notice's subject; its summary says it whole. */
function shortOf(c: Pick<PendingChange, 'slotId' | 'before' | 'after'>): string {
  if (c.slotId === null) return shortEditionChange(c.before as EditionWhen | null, c.after as EditionWhen | null);
  return shortChange(c.before as SlotSnapshot | null, c.after as SlotSnapshot | null) ?? '1 change to your slots';
}

/**
 * What a speaker's waiting notice says of its changes (oldest first, the last the one just made):
 * one line per slot, from the slot as it was before the first of them to the slot as it is now,
 * so that a talk moved, renamed and moved back reads "now titled …" and not three steps. A slot
 * added and removed again, or changed and changed back, is left out. A talk of the speaker's
 * (sameTalk) that left a slot of theirs and is now in another (its slot removed and added again
 * elsewhere, or two slots given each other's topic) moved: one line from where it was to where it
 * is, not a removal and an addition. A change of the edition's zone or dates keeps its own line,
 * but not to a speaker the changes left in no slot (`speaks` false): no time of theirs moved, and
 * their notice is about leaving the schedule.
 */
async function netChanges(
  trx: Trx,
  oldestFirst: (Pick<PendingChange, 'summary' | 'slotId' | 'before'> & { after?: PendingChange['after'] })[],
  opts: { personId: number; speaks: boolean },
): Promise<{ line: string; short: string }[]> {
  const first = new Map<number, SlotSnapshot | null>();
  const order: (number | { line: string; short: string })[] = [];
  for (const c of oldestFirst) {
    if (c.slotId === null) {
      if (opts.speaks) order.push({ line: c.summary, short: shortOf({ slotId: null, before: c.before, after: c.after ?? null }) });
    } else if (!first.has(c.slotId)) {
      first.set(c.slotId, c.before as SlotSnapshot | null);
      order.push(c.slotId);
    }
  }
  const slots = new Map<number, { was: SlotSnapshot | null; now: SlotSnapshot | null }>();
  for (const [id, was] of first) slots.set(id, { was, now: await snapshot(trx, id) });
  const on = (s: SlotSnapshot | null): s is SlotSnapshot => s !== null && s.speakers.some((p) => p.id === opts.personId);
  // Each slot the speaker left, paired with the first slot they joined that holds the same talk.
  const movedTo = new Map<number, number>();
  const joined = new Set<number>();
  for (const [left, l] of slots) {
    if (!on(l.was) || on(l.now)) continue;
    for (const [to, t] of slots) {
      if (joined.has(to) || on(t.was) || !on(t.now) || !sameTalk(l.was, t.now)) continue;
      movedTo.set(left, to);
      joined.add(to);
      break;
    }
  }
  const lines: { line: string; short: string }[] = [];
  for (const item of order) {
    if (typeof item !== 'number') {
      lines.push(item);
      continue;
    }
    if (joined.has(item)) continue;
    const { was, now } = slots.get(item)!;
    const to = movedTo.get(item);
    const [from, into] = to !== undefined ? [was, slots.get(to)!.now] : [was, now];
    const line = from === null ? (into === null ? null : addedText(into)) : into === null ? removedText(from) : describeEdit(from, into);
    if (line !== null) lines.push({ line, short: shortChange(from, into) ?? '1 change to your slots' });
  }
  // Every step cancelled out, yet something the speaker sees differs (their slots are compared in
  // full before a notice is withdrawn): tell the steps rather than nothing.
  if (lines.length > 0) return lines;
  return oldestFirst.map((c) => ({ line: c.summary, short: `${oldestFirst.length} changes to your slots` }));
}

/**
 * Whether two slots hold the same talk: the same topic when both have one; else (a talk of no
 * topic, as an imported page's, or one slot given a topic and the other not) the same title as
 * shown, case and spacing aside.
 */
function sameTalk(a: SlotSnapshot, b: SlotSnapshot): boolean {
  if (a.topicId !== null && b.topicId !== null) return a.topicId === b.topicId;
  const norm = (t: string) => t.trim().replace(/\s+/g, ' ').toLowerCase();
  return norm(a.title) === norm(b.title);
}

/**
 * Whether a speaker's slots are now as they were before the first of these changes (oldest
 * first, the last the one just made): each change, undone from the newest, puts back the slot it
 * snapshotted before (when the speaker was on it) in place of the slot as it is; changes of the
 * edition's time zone or dates are undone when the speaker's slots happen at the same moments
 * (under the zone before the first of them and the zone now: one of the same rules moves
 * nothing) and are each inside the dates, or outside them, as they were. A slot that differs in
 * anything the speaker is shown, or is a new slot where one was removed, keeps the notice.
 */
async function undoesNotice(trx: Trx, editionId: number, personId: number, oldestFirst: Pick<PendingChange, 'kind' | 'slotId' | 'before'>[]): Promise<boolean> {
  const changes = [...oldestFirst].reverse();
  const ofEdition = changes.filter((c) => c.slotId === null);
  if (ofEdition.some((c) => c.kind !== 'days' || c.before === null)) return false;
  const e = await trx.selectFrom('editions').select(['time_zone', 'start_date', 'end_date']).where('id', '=', editionId).executeTakeFirstOrThrow();
  const whenNow: EditionWhen = { timeZone: e.time_zone, startDate: e.start_date, endDate: e.end_date };
  // The zone and dates before the first change of them, when the notice has one.
  const whenThen = ofEdition.length > 0 ? (ofEdition[ofEdition.length - 1]!.before as EditionWhen) : whenNow;
  const now = new Map<number, SlotSnapshot>();
  for (const id of await slotIdsOf(trx, editionId, personId)) {
    const s = await snapshot(trx, id);
    if (s) now.set(id, s);
  }
  const then = new Map(now);
  for (const c of changes) {
    if (c.slotId === null) continue;
    then.delete(c.slotId);
    const before = c.before as SlotSnapshot | null;
    if (before && before.speakers.some((p) => p.id === personId)) then.set(before.id, before);
  }
  const shown = (m: Map<number, SlotSnapshot>, w: EditionWhen) =>
    JSON.stringify(
      [...m.values()]
        .sort((a, b) => a.id - b.id)
        .map((s) => [s.id, s.date, s.start, s.end, slotInstants(w.timeZone, s), withinDates(w.startDate, w.endDate, s.date), s.kind, s.title, s.room, s.topicId, s.speakers.map((p) => [p.id, p.name])]),
    );
  return shown(now, whenNow) === shown(then, whenThen);
}

/**
 * Sends the waiting change notices of an edition now instead of after their delay (the builder's
 * "Mail the speakers now", `conclave schedule notify`). Returns how many were waiting.
 */
export async function sendNoticesNow(deps: ScheduleDeps, actor: Actor, ref: EditionRef): Promise<number> {
  return deps.db.transaction().execute(async (trx) => {
    const e = await findEdition(trx, ref);
    const rows = await trx
      .updateTable('outbox')
      .set({ next_attempt_at: deps.clock() })
      .where('edition_id', '=', e.id)
      .where('kind', 'in', NOTICE_KINDS)
      .where('state', '=', 'queued')
      .where('attempts', '=', 0)
      .where('next_attempt_at', '>', deps.clock())
      .returning('id')
      .execute();
    if (rows.length > 0) {
      await recordAudit(trx, actor, { action: 'schedule.notify', entity: 'schedule', editionId: e.id, after: { notices: rows.map((r) => r.id) } });
    }
    return rows.length;
  });
}

/** Change notices of an edition still waiting to be sent, and when the first one goes. */
export async function waitingNotices(deps: { db: Db }, editionId: number): Promise<{ count: number; next: Date | null }> {
  const r = await deps.db
    .selectFrom('outbox')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('next_attempt_at').as('next')])
    .where('edition_id', '=', editionId)
    .where('kind', 'in', NOTICE_KINDS)
    .where('state', '=', 'queued')
    .where('attempts', '=', 0)
    .executeTakeFirstOrThrow();
  return { count: Number(r.n), next: r.next ? new Date(r.next as unknown as string) : null };
}

/** Where to mail a speaker about this edition: their invitation's address, else a known one. */
export async function addressOf(trx: Trx, editionId: number, personId: number): Promise<{ address: string; name: string; threadUnder: string | null } | null> {
  const person = await trx.selectFrom('people').select('name').where('id', '=', personId).executeTakeFirst();
  if (!person) return null;
  const inv = await trx
    .selectFrom('invitations')
    .select(['email', 'invitation_message_id'])
    .where('edition_id', '=', editionId)
    .where('person_id', '=', personId)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (inv) return { address: inv.email, name: person.name, threadUnder: inv.invitation_message_id };
  const email = await trx
    .selectFrom('person_emails')
    .select('email')
    .where('person_id', '=', personId)
    .orderBy('is_primary', 'desc')
    .orderBy('id')
    .executeTakeFirst();
  return email ? { address: email.email, name: person.name, threadUnder: null } : null;
}

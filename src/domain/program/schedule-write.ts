/**
 * One write of the schedule (write): it runs in one transaction with the edition's row locked,
 * so that the slot, its speakers, the positions of its day, the audit row, the changelog entry
 * and the speakers' mail land together; the audit entry names the slots it moved besides its own.
 */
import { recordAudit, type Actor } from '../audit/record.js';
import { findEdition, type EditionRef, type FoundEdition } from '../editions/find-edition.js';
import { placeDay, type MovedSlot } from '../exports/schedule.js';
import type { ScheduleDeps } from './schedule.js';
import type { PendingChange, Trx } from './schedule-snapshot.js';
import { logChange } from './schedule-changelog.js';

/**
 * What a schedule write's audit entry is about, named as `conclave audit --entity` takes it: a
 * slot (its id the slot's, as `schedule show` prints it), a day, or the schedule as a whole.
 */
function auditEntity(action: string): 'slot' | 'day' | 'schedule' {
  return action.startsWith('schedule.slot.') ? 'slot' : action.startsWith('schedule.day') ? 'day' : 'schedule';
}

/**
 * Where the schedule files put each slot of the edition (exports/schedule.ts placeDay): its day's
 * date, start and end, by slot id, with its guid.
 */
async function placements(trx: Trx, editionId: number): Promise<Map<number, { guid: string | null; at: string }>> {
  const rows = await trx
    .selectFrom('slots')
    .innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id')
    .select(['slots.id', 'slots.guid', 'slots.day_id', 'slots.start_time', 'slots.end_time', 'slots.open_ended', 'slots.kind', 'agenda_days.date', 'agenda_days.start_time as day_start', 'agenda_days.end_time as day_end'])
    .where('agenda_days.edition_id', '=', editionId)
    .execute();
  const byDay = new Map<number, typeof rows>();
  for (const r of rows) byDay.set(r.day_id, [...(byDay.get(r.day_id) ?? []), r]);
  const out = new Map<number, { guid: string | null; at: string }>();
  for (const slots of byDay.values()) {
    const d = slots[0]!;
    const placed = placeDay(
      { date: d.date, start: d.day_start ?? undefined, end: d.day_end ?? undefined },
      slots.map((s) => ({ start: s.start_time, end: s.end_time, openEnded: s.open_ended, kind: s.kind })),
    );
    slots.forEach((s, i) => {
      const p = placed[i];
      out.set(s.id, { guid: s.guid, at: p ? `${d.date} ${p.start}–${p.end}` : `${d.date} untimed` });
    });
  }
  return out;
}

/**
 * The slots, other than the one a write is about (`own`), that it moved in the schedule files:
 * still there, at another day, start or end (a day's hours that end an open-ended slot, a slot
 * put after one that runs until the next). Their calendar events are revised (alsoMoved).
 */
function movedBesides(before: Map<number, { guid: string | null; at: string }>, after: Map<number, { guid: string | null; at: string }>, own: number | null): MovedSlot[] {
  const moved: MovedSlot[] = [];
  for (const [id, now] of after) {
    const was = before.get(id);
    if (id !== own && was !== undefined && was.at !== now.at) moved.push({ id, guid: now.guid });
  }
  return moved.sort((a, b) => a.id - b.id);
}

/**
 * Runs a write with the edition locked, then records audit, changelog and mail. The audit entry
 * names the slots the write moved besides its own (alsoMoved), for the exports to count it as a
 * revision of their events.
 */
export async function write<T>(
  deps: ScheduleDeps,
  actor: Actor,
  ref: EditionRef,
  action: string,
  body: (trx: Trx, e: FoundEdition) => Promise<{ result: T; change?: PendingChange; entityId?: number | null; before?: unknown; after?: unknown }>,
): Promise<T> {
  return deps.db.transaction().execute(async (trx) => {
    const e = await findEdition(trx, ref, { lock: true });
    const placedBefore = await placements(trx, e.id);
    const out = await body(trx, e);
    const entity = auditEntity(action);
    const alsoMoved = movedBesides(placedBefore, await placements(trx, e.id), entity === 'slot' ? (out.entityId ?? null) : null);
    await recordAudit(trx, actor, {
      action,
      entity,
      entityId: out.entityId ?? null,
      editionId: e.id,
      before: out.before ?? null,
      after: alsoMoved.length > 0 ? { ...((out.after ?? {}) as object), alsoMoved } : (out.after ?? null),
    });
    // From its publication here on: an imported schedule (an archive's) was never published, and
    // correcting it is no news to anyone.
    if (out.change && e.schedule_published_at !== null) await logChange(trx, deps, e, actor, out.change);
    return out.result;
  });
}

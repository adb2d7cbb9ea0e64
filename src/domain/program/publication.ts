/**
 * What publishing a schedule would refuse, and why: one list that publishSchedule refuses with
 * whole and `conclave schedule check` prints, so that the check says what a publication would do
 * and never drifts from it.
 */
import { Conflict, InvalidTransition } from '../errors.js';
import { clauseList } from '../word-list.js';
import type { ScheduleConflict } from './conflicts.js';
import type { ScheduleState } from './schedule.js';

/**
 * Every reason `refusals` in one sentence, each followed by what `how` adds to it (how to fix it
 * or publish anyway, in an interface's own words): "the schedule has no slots yet; and …".
 */
export function refusalsSentence(refusals: readonly PublishRefusal[], how: (reason: PublishRefusal['reason']) => string): string {
  return clauseList(refusals.map((r) => refusalWords(r, how)));
}

/** One reason `r` as refusalsSentence words it: its message, and what `how` adds to it. */
export function refusalWords(r: PublishRefusal, how: (reason: PublishRefusal['reason']) => string): string {
  return `${r.message}${how(r.reason)}`;
}

/** What the domain's own message adds to a reason: the interfaces add their options' words. */
function anyHow(reason: PublishRefusal['reason']): string {
  return reason === 'conflicts' ? ' — fix them, or publish anyway' : '';
}

/**
 * Publishing refused, its conflicts first among the reasons. `refusals` are all of them, for each
 * interface to word with how to publish anyway in its own words (the CLI's --force, the web
 * form's box).
 */
export class PublishRefused extends Conflict {
  override name = 'PublishRefused';
  constructor(readonly refusals: PublishRefusal[]) {
    super(refusalsSentence(refusals, anyHow));
  }
}

/** Why an edition without a time zone is not published: the no-time-zone refusal's message. */
function noZoneSentence(title: string): string {
  return `${title} has no time zone: its schedule would be published with floating times, which calendars and conference apps show at that hour in whatever zone the reader is in`;
}

/**
 * Publishing refused because the edition has no time zone (the only reason, or the first): its
 * times would reach calendars and conference apps as floating times, which each device reads in
 * its own zone. Each interface adds where to set the zone and how to publish anyway in its own
 * words (the CLI's --floating-times, the web form's box).
 */
export class PublishNeedsZone extends Conflict {
  override name = 'PublishNeedsZone';
  constructor(readonly refusals: PublishRefusal[]) {
    super(refusalsSentence(refusals, anyHow));
  }
}

/**
 * Publishing refused for the schedule's status, or for want of slots, first among the reasons:
 * an InvalidTransition from the status it is in to the one asked for.
 */
export class PublishCannot extends InvalidTransition {
  constructor(
    from: string,
    to: string,
    readonly refusals: PublishRefusal[],
  ) {
    super(from, to, refusalsSentence(refusals, anyHow));
  }
}

/** What publishing is asked to do: as `schedule publish` and the web form's fields take it. */
export interface PublishOptions {
  final?: boolean;
  force?: boolean;
  floatingTimes?: boolean;
}

/**
 * One reason a publication is refused, with the words publishSchedule refuses in: the status the
 * schedule is in (already at the status asked, or final), its conflicts (all of them here, the
 * first three in the message), no slot at all, or no time zone.
 */
export type PublishRefusal =
  | { reason: 'status' | 'no-slots' | 'no-time-zone'; message: string }
  | { reason: 'conflicts'; message: string; conflicts: ScheduleConflict[] };

/** The status a publication asked so would give the schedule. */
export function publishTarget(opts: PublishOptions): 'tentative' | 'final' {
  return opts.final ? 'final' : 'tentative';
}

/**
 * Every reason publishing the schedule `state` holds with `opts` would be refused, in the order
 * publishSchedule checks them (it refuses with all); none when it would be published.
 * `force` lets conflicts pass and `floatingTimes` a missing zone, as they let publishing.
 */
export function publishRefusals(state: Pick<ScheduleState, 'edition' | 'slots' | 'conflicts'>, opts: PublishOptions): PublishRefusal[] {
  const e = state.edition;
  const to = publishTarget(opts);
  const out: PublishRefusal[] = [];
  if (e.status === to) out.push({ reason: 'status', message: `the schedule is already ${to}` });
  else if (e.status === 'final') out.push({ reason: 'status', message: 'the schedule is final' });
  const n = state.conflicts.length;
  if (!opts.force && n > 0) {
    const listed = state.conflicts
      .slice(0, 3)
      .map((c) => c.message)
      .join('; ');
    out.push({ reason: 'conflicts', message: `the schedule has ${n} conflict${n === 1 ? '' : 's'}: ${listed}${n > 3 ? '; …' : ''}`, conflicts: state.conflicts });
  }
  if (state.slots.length === 0) out.push({ reason: 'no-slots', message: 'the schedule has no slots yet' });
  // Every slot has a start: without a zone none of them is a moment anybody else can place.
  if (e.timeZone === null && !opts.floatingTimes) out.push({ reason: 'no-time-zone', message: noZoneSentence(e.title) });
  return out;
}

/**
 * The named error publishSchedule refuses with for `refusals` (at least one), its schedule being
 * in `from`: the first reason's class, its message naming every reason.
 */
export function refusalError(refusals: PublishRefusal[], from: string, opts: PublishOptions): PublishRefused | PublishNeedsZone | PublishCannot {
  switch (refusals[0]?.reason) {
    case 'conflicts':
      return new PublishRefused(refusals);
    case 'no-time-zone':
      return new PublishNeedsZone(refusals);
    default:
      return new PublishCannot(from, publishTarget(opts), refusals);
  }
}

/** Every reason publishing was refused for, when `err` is publishSchedule's refusal; else null. */
export function refusalsOf(err: unknown): PublishRefusal[] | null {
  return err instanceof PublishRefused || err instanceof PublishNeedsZone || err instanceof PublishCannot ? err.refusals : null;
}

/**
 * What publishing a schedule would refuse, and why: one list that publishSchedule throws the
 * first of and `conclave schedule check` prints whole, so that the check says what a
 * publication would do and never drifts from it.
 */
import { Conflict, InvalidTransition } from '../errors.js';
import type { ScheduleConflict } from './conflicts.js';
import type { ScheduleState } from './schedule.js';

/**
 * Publishing refused for conflicts. `conflicts` says which; each interface adds how to publish
 * anyway in its own words (the CLI's --force, the web form's box).
 */
export class PublishRefused extends Conflict {
  override name = 'PublishRefused';
  constructor(readonly conflicts: string) {
    super(`${conflicts} — fix them, or publish anyway`);
  }
}

/** Why an edition without a time zone is not published: what PublishNeedsZone says. */
function noZoneSentence(title: string): string {
  return `${title} has no time zone: its schedule would be published with floating times, which calendars and conference apps show at that hour in whatever zone the reader is in`;
}

/**
 * Publishing refused because the edition has no time zone: its times would reach calendars and
 * conference apps as floating times, which each device reads in its own zone. Each interface
 * adds where to set the zone and how to publish anyway in its own words (the CLI's
 * --floating-times, the web form's box).
 */
export class PublishNeedsZone extends Conflict {
  override name = 'PublishNeedsZone';
  constructor(title: string) {
    super(noZoneSentence(title));
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
 * publishSchedule checks them (it refuses with the first); none when it would be published.
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

/** The named error publishSchedule refuses with for `r`, its schedule being in `from`. */
export function refusalError(r: PublishRefusal, title: string, from: string, opts: PublishOptions): Conflict {
  switch (r.reason) {
    case 'conflicts':
      return new PublishRefused(r.message);
    case 'no-time-zone':
      return new PublishNeedsZone(title);
    default:
      return new InvalidTransition(from, publishTarget(opts), r.message);
  }
}

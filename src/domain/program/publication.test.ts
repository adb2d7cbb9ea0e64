/**
 * What publishing would refuse: every reason, in the order publishSchedule checks them, with
 * --force and --floating-times letting through what they let through, and no more.
 */
import { describe, expect, it } from 'vitest';
import { InvalidTransition } from '../errors.js';
import type { ScheduleConflict } from './conflicts.js';
import { publishRefusals, PublishNeedsZone, PublishRefused, refusalError } from './publication.js';
import type { ScheduleState } from './schedule.js';

type Checked = Parameters<typeof publishRefusals>[0];

/** A planned edition in a zone with one slot and no conflict; override what the case needs. */
function state(edition: Partial<ScheduleState['edition']> = {}, over: Partial<Omit<Checked, 'edition'>> = {}): Checked {
  return {
    edition: { id: 1, series: 'netconf', year: 2027, title: 'Netconf 2027', status: 'planned', publishedAt: null, startDate: '2027-07-14', endDate: '2027-07-14', timeZone: 'Europe/Berlin', ...edition },
    slots: [{ id: 1 } as ScheduleState['slots'][number]],
    conflicts: [],
    ...over,
  };
}

const conflict = (n: number): ScheduleConflict => ({ rule: 'room-overlap', slotIds: [n], message: `clash ${n}` });

describe('publishRefusals', () => {
  it('refuses nothing for a planned schedule with slots, no conflict and a zone', () => {
    expect(publishRefusals(state(), {})).toEqual([]);
    expect(publishRefusals(state({ status: 'tentative' }), { final: true })).toEqual([]);
  });

  it('names every reason, in the order publishing checks them', () => {
    const all = publishRefusals(state({ status: 'tentative', timeZone: null }, { slots: [], conflicts: [1, 2, 3, 4].map(conflict) }), {});
    expect(all).toEqual([
      { reason: 'status', message: 'the schedule is already tentative' },
      { reason: 'conflicts', message: 'the schedule has 4 conflicts: clash 1; clash 2; clash 3; …', conflicts: [1, 2, 3, 4].map(conflict) },
      { reason: 'no-slots', message: 'the schedule has no slots yet' },
      { reason: 'no-time-zone', message: expect.stringMatching(/^Netconf 2027 has no time zone: /) },
    ]);
    expect(publishRefusals(state({ status: 'final' }), {})).toEqual([{ reason: 'status', message: 'the schedule is final' }]);
  });

  it('lets conflicts pass with force and a missing zone with floatingTimes, nothing else', () => {
    const s = state({ status: 'final', timeZone: null }, { slots: [], conflicts: [conflict(1)] });
    expect(publishRefusals(s, { force: true, floatingTimes: true }).map((r) => r.reason)).toEqual(['status', 'no-slots']);
  });

  it('gives the named error publishing throws for each', () => {
    const [status, conflicts, slots, zone] = publishRefusals(state({ status: 'tentative', timeZone: null }, { slots: [], conflicts: [conflict(1)] }), {});
    expect(refusalError(status!, 'Netconf 2027', 'tentative', {})).toBeInstanceOf(InvalidTransition);
    expect(refusalError(conflicts!, 'Netconf 2027', 'tentative', {})).toEqual(new PublishRefused('the schedule has 1 conflict: clash 1'));
    expect(refusalError(slots!, 'Netconf 2027', 'tentative', {}).message).toBe('the schedule has no slots yet');
    expect(refusalError(zone!, 'Netconf 2027', 'tentative', {})).toEqual(new PublishNeedsZone('Netconf 2027'));
    expect(refusalError(zone!, 'Netconf 2027', 'tentative', {}).message).toBe(zone!.message);
  });
});

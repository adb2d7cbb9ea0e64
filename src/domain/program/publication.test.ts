/**
 * What publishing would refuse: every reason, in the order publishSchedule checks them, with
 * --force and --floating-times letting through what they let through, and no more.
 */
import { describe, expect, it } from 'vitest';
import { InvalidTransition } from '../errors.js';
import type { ScheduleConflict } from './conflicts.js';
import { publishRefusals, PublishNeedsZone, PublishRefused, refusalError, refusalsOf, refusalsSentence } from './publication.js';
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

  it('gives the named error of the first reason, its message naming every reason', () => {
    const [status, conflicts, slots, zone] = publishRefusals(state({ status: 'tentative', timeZone: null }, { slots: [], conflicts: [conflict(1)] }), {});
    expect(refusalError([status!], 'tentative', {})).toBeInstanceOf(InvalidTransition);
    expect(refusalError([status!], 'tentative', {})).toMatchObject({ from: 'tentative', to: 'tentative', message: 'the schedule is already tentative' });
    expect(refusalError([conflicts!], 'tentative', {})).toBeInstanceOf(PublishRefused);
    expect(refusalError([conflicts!], 'tentative', {}).message).toBe('the schedule has 1 conflict: clash 1 — fix them, or publish anyway');
    expect(refusalError([slots!], 'tentative', {}).message).toBe('the schedule has no slots yet');
    expect(refusalError([zone!], 'tentative', {})).toBeInstanceOf(PublishNeedsZone);
    expect(refusalError([zone!], 'tentative', {}).message).toBe(zone!.message);
    const all = refusalError([conflicts!, slots!, zone!], 'planned', {});
    expect(all).toBeInstanceOf(PublishRefused);
    expect(all.message).toBe(`the schedule has 1 conflict: clash 1 — fix them, or publish anyway; the schedule has no slots yet; and ${zone!.message}`);
    expect(refusalsOf(all)).toEqual([conflicts, slots, zone]);
    expect(refusalError([slots!, zone!], 'planned', {}).message).toBe(`the schedule has no slots yet; and ${zone!.message}`);
    expect(refusalsOf(new InvalidTransition('planned', 'tentative'))).toBeNull();
  });

  it('words every reason with what an interface adds to each', () => {
    const [status, conflicts, , zone] = publishRefusals(state({ status: 'tentative', timeZone: null }, { slots: [], conflicts: [conflict(1)] }), {});
    const how = (reason: string) => ` (${reason})`;
    expect(refusalsSentence([status!], how)).toBe('the schedule is already tentative (status)');
    expect(refusalsSentence([status!, conflicts!, zone!], how)).toBe(`the schedule is already tentative (status); the schedule has 1 conflict: clash 1 (conflicts); and ${zone!.message} (no-time-zone)`);
  });
});

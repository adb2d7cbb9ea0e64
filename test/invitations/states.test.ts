/**
 * The state machine's table, against the cycle as the issue states it, and every pair of states
 * through assertTransition: each allowed one passes, each other one is refused by name.
 */
import { describe, expect, it } from 'vitest';
import { InvalidTransition } from '../../src/domain/errors.js';
import { assertTransition, canTransition, INVITATION_STATES, TRANSITIONS, type InvitationState } from '../../src/domain/invitations/states.js';

/** The cycle in the words, written out once more by hand. */
const ALLOWED: [InvitationState, InvitationState][] = [
  ['candidate', 'invited'],
  ['candidate', 'revoked'],
  ['invited', 'accepted'],
  ['invited', 'waitlisted'],
  ['invited', 'declined'],
  ['invited', 'expired'],
  ['invited', 'revoked'],
  ['accepted', 'declined'],
  ['accepted', 'withdrawn'],
  ['accepted', 'revoked'],
  ['waitlisted', 'accepted'],
  ['waitlisted', 'declined'],
  ['waitlisted', 'withdrawn'],
  ['waitlisted', 'revoked'],
  ['declined', 'accepted'],
  ['declined', 'waitlisted'],
  ['declined', 'revoked'],
  ['expired', 'invited'],
  ['expired', 'revoked'],
];

const pairs = INVITATION_STATES.flatMap((from) => INVITATION_STATES.map((to) => [from, to] as [InvitationState, InvitationState]));
const allowed = new Set(ALLOWED.map(([a, b]) => `${a}→${b}`));

describe('invitation state machine', () => {
  it('has exactly the transitions of the cycle', () => {
    const table = Object.entries(TRANSITIONS).flatMap(([from, tos]) => tos.map((to) => `${from}→${to}`));
    expect(new Set(table)).toEqual(allowed);
    expect(table).toHaveLength(ALLOWED.length);
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...INVITATION_STATES].sort());
  });

  it('makes withdrawn and revoked final, and nothing goes back to candidate', () => {
    expect(TRANSITIONS.withdrawn).toEqual([]);
    expect(TRANSITIONS.revoked).toEqual([]);
    expect(pairs.filter(([, to]) => to === 'candidate').some(([a, b]) => canTransition(a, b))).toBe(false);
  });

  it.each(pairs.filter(([a, b]) => allowed.has(`${a}→${b}`)))('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  it.each(pairs.filter(([a, b]) => !allowed.has(`${a}→${b}`)))('refuses %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    let err: unknown;
    try {
      assertTransition(from, to);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidTransition);
    expect(err).toMatchObject({ from, to, message: `cannot go from ${from} to ${to}` });
  });

  it('counts 19 allowed and 45 refused pairs', () => {
    expect(pairs.filter(([a, b]) => canTransition(a, b))).toHaveLength(19);
    expect(pairs.filter(([a, b]) => !canTransition(a, b))).toHaveLength(45);
  });
});

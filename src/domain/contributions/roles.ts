/**
 * What a person can be credited with on a commit. The order is the order of the counts in a
 * tally and of the columns in the output.
 */
export const ROLES = ['authored', 'signedOff', 'reviewed', 'acked', 'tested', 'reported', 'suggested', 'coDeveloped'] as const;
export type Role = (typeof ROLES)[number];

/** Trailer keys (lower case) and the role they credit. */
export const TRAILER_ROLES: ReadonlyMap<string, Role> = new Map([
  ['signed-off-by', 'signedOff'],
  ['reviewed-by', 'reviewed'],
  ['acked-by', 'acked'],
  ['tested-by', 'tested'],
  ['reported-by', 'reported'],
  ['suggested-by', 'suggested'],
  ['co-developed-by', 'coDeveloped'],
]);

export const ROLE_INDEX: Readonly<Record<Role, number>> = Object.fromEntries(ROLES.map((r, i) => [r, i])) as Record<Role, number>;

/** Short column headings for the table and CSV. */
export const ROLE_HEADINGS: Readonly<Record<Role, string>> = {
  authored: 'AUTHORED',
  signedOff: 'SIGNOFFS',
  reviewed: 'REVIEWS',
  acked: 'ACKS',
  tested: 'TESTS',
  reported: 'REPORTS',
  suggested: 'SUGGESTS',
  coDeveloped: 'CODEV',
};

/** Words for the evidence summary: "12 commits, 30 sign-offs …". */
export const ROLE_WORDS: Readonly<Record<Role, [string, string]>> = {
  authored: ['commit', 'commits'],
  signedOff: ['sign-off', 'sign-offs'],
  reviewed: ['review', 'reviews'],
  acked: ['ack', 'acks'],
  tested: ['test', 'tests'],
  reported: ['report', 'reports'],
  suggested: ['suggestion', 'suggestions'],
  coDeveloped: ['co-development', 'co-developments'],
};

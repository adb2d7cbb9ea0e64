/** "a", "a and b", "a, b and c": words listed in a sentence; none is the empty string. */
export function andList(words: readonly string[]): string {
  return listed(words, 'and');
}

/** "a", "a or b", "a, b or c": choices listed in a sentence; none is the empty string. */
export function orList(words: readonly string[]): string {
  return listed(words, 'or');
}

function listed(words: readonly string[], last: string): string {
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} ${last} ${words.at(-1)}` : (words[0] ?? '');
}

/**
 * "a", "a; and b", "a; b; and c": clauses listed in a sentence, each of which may hold commas of
 * its own; none is the empty string.
 */
export function clauseList(clauses: readonly string[]): string {
  return clauses.length > 1 ? `${clauses.slice(0, -1).join('; ')}; and ${clauses.at(-1)}` : (clauses[0] ?? '');
}

/**
 * Words that name the same thing, so that a query for one finds the others: the only list of
 * them. It is applied to the query, never to the stored text: each listed word of a query,
 * wherever it stands (alone, inside a "quoted phrase", after a minus sign), is searched as any
 * word of its group, so `bpf` finds "eBPF" and `eBPF` finds "BPF", `"bpf maps"` finds "eBPF
 * maps", `-bpf` leaves out both, and the highlight marks whichever word a text holds.
 *
 * Keep it short: every group widens every search for its words. A group belongs here only when
 * the people the archive is for use its words for one thing.
 *
 * - bpf, ebpf: kernel maintainers say BPF and eBPF for the same thing (since 2014 the kernel's
 *   BPF is eBPF; the archive has "bpf updates and next steps" and "eBPF, where can it be used
 *   more"). cBPF, classic BPF, is left out: it names the old instruction set in particular, no
 *   page of the archive mentions it, and one-way expansion (bpf finding cBPF) is a rule of its
 *   own for when there is a page to need it.
 */
import { sql, type RawBuilder } from 'kysely';

/** Groups of equivalent words, lower case, each one word as the text search configuration reads it. */
export const EQUIVALENT_TERMS: readonly (readonly string[])[] = [['bpf', 'ebpf']];

/**
 * `tsq` with each listed word widened to its group: ts_rewrite replaces the word's lexeme by the
 * group's lexemes joined by "or", in phrases and under "not" as well. Each word is first replaced
 * by a placeholder (a lexeme with spaces, which no query can hold), then the placeholder by the
 * group, so that a word of the group already put in is not widened again.
 */
export function withEquivalentTerms(tsq: RawBuilder<unknown>): RawBuilder<unknown> {
  return EQUIVALENT_TERMS.reduce((q, group) => {
    const placeholder = sql`${`'equivalent ${group.join(' ')}'`}::tsquery`;
    const lexeme = (word: string) => sql`plainto_tsquery('conclave_text', ${word})`;
    const widened = group.reduce((w, word) => sql`ts_rewrite(${w}, ${lexeme(word)}, ${placeholder})`, q);
    const any = group.map(lexeme).reduce((a, b) => sql`${a} || ${b}`);
    return sql`ts_rewrite(${widened}, ${placeholder}, ${any})`;
  }, tsq);
}

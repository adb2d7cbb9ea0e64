/** "1 person", "2 people", "0 reminders": a number with its noun, singular for one. */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

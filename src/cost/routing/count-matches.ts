/**
 * Matches of a global pattern in `text`, stopping at `cap`; the pattern is left reset, so the
 * shared marker patterns can be used again at once.
 */
export function countMatches(text: string, pattern: RegExp, cap: number): number {
  pattern.lastIndex = 0;
  let found = 0;
  while (found < cap && pattern.exec(text)) found++;
  pattern.lastIndex = 0;
  return found;
}

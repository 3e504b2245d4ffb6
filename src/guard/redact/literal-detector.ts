import type { Candidate, LiteralValue } from './types.js';

/** Every non-overlapping occurrence of each literal from `from` on, as `classified` candidates. */
export function scanLiterals(
  text: string,
  from: number,
  literals: readonly LiteralValue[],
): Candidate[] {
  const found: Candidate[] = [];
  for (const { value, label } of literals) {
    if (value === '') continue;
    for (
      let at = text.indexOf(value, from);
      at !== -1;
      at = text.indexOf(value, at + value.length)
    ) {
      const end = at + value.length;
      found.push({
        start: at,
        end,
        valueStart: at,
        valueEnd: end,
        type: 'classified',
        rule: 'literal',
        label,
        valid: true,
        after: 0,
      });
    }
  }
  return found;
}

/**
 * Start of the longest tail of `text` (not before `floor`) that is a proper prefix of a literal:
 * those characters could still become the literal once more text arrives.
 */
export function literalTailStart(
  text: string,
  floor: number,
  literals: readonly LiteralValue[],
): number {
  let start = text.length;
  for (const { value } of literals) {
    const earliest = Math.max(floor, text.length - value.length + 1);
    for (let at = earliest; at < start; at++) {
      if (text.charCodeAt(at) !== value.charCodeAt(0)) continue;
      if (value.startsWith(text.slice(at))) {
        start = at;
        break;
      }
    }
  }
  return start;
}

/**
 * A word problem: quantities in plain words, related to one another, and a question about an
 * unknown one ("a tap fills a tank in 6 hours and a drain empties it in 9; with both open, how
 * long ..."). Such a request names no term of art and has no telling form, yet takes several
 * steps of reasoning that small models get wrong. A one-step sum ("I have 3 apples and eat 1,
 * how many are left?") relates its quantities once: it needs two relations, or three
 * quantities and one.
 */

import { countMatches } from './count-matches.js';

// Digits (a time, a price, a percentage) and the number words of everyday puzzles.
const QUANTITY =
  /\b\d+(?:[.,:]\d+)*\b|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|hundred|dozen|half|twice|double|triple|third|quarter)\b/gi;
const QUANTITY_CAP = 6;

// What the question asks to find: a quantity, a time, a chance, or which one comes first.
const UNKNOWN =
  /\bhow (?:many|much|long|far|old|fast|often|likely|soon)\b|\bwhat (?:time|day|age|speed|percentage|fraction|share|are the (?:chances|odds)|is the (?:chance|probability|odds|average|total))\b|\bwhen (?:will|would|do|does) (?:they|the|both|it|he|she)\b|\bwhich (?:one )?(?:is|comes|wins|finishes|arrives|gets) (?:first|faster|more|bigger|larger|longer)\b|\b(?:probability|odds) (?:of|that)\b/i;

// Words that relate the quantities: rates, conditions, shares, order, comparison.
const RELATION =
  /\b(?:if|each|every|per|both|together|then|after|before|twice as|as many|more than|less than|fewer than|faster|slower|at the same time|at least|at most|remaining|in a row|at random|randomly|without replacement|meanwhile|while|until|older|younger)\b/gi;
const RELATION_CAP = 4;
const CHANCE = /\b(?:probability|chances?|odds|likely)\b/i;

/** The points of a word problem: 2 for a full one, 1 when its relations are fewer. */
export function wordProblemPoints(text: string): { points: number; detail: string } {
  if (!UNKNOWN.test(text)) return { points: 0, detail: '' };
  const quantities = countMatches(text, QUANTITY, QUANTITY_CAP);
  if (quantities < 2) return { points: 0, detail: '' };
  // A chance asked for over quantities is itself a relation between them: outcomes to count.
  const relations = countMatches(text, RELATION, RELATION_CAP) + (CHANCE.test(text) ? 1 : 0);
  const detail = `${quantities} quantities, ${relations} relations`;
  if (relations >= 2 || (relations >= 1 && quantities >= 3)) return { points: 2, detail };
  return { points: relations >= 1 ? 1 : 0, detail };
}

/**
 * A word problem: quantities in plain words, related to one another, and a question about an
 * unknown one ("a train leaves at 60 km/h and another at 80 km/h at the same time; how far apart
 * are they after 3 hours?"). Such a request names no term of art and has no telling form, yet
 * takes several steps of reasoning that small models get wrong. An everyday sum is one step,
 * whatever words carry it: "if I buy 3 shirts at $15 each, how much do I spend?" has a
 * condition and a rate, but nothing is compared, combined or left to chance. So a relation that
 * sets the quantities against one another (`twice as old as`, `at the same time`, `faster than`,
 * a chance) is what makes a problem; conditions and rates (`if`, `each`, `per`) only add to one.
 */

import { countMatches } from './count-matches.js';

// Digits (a time, a price, a percentage) and the number words of everyday puzzles.
const QUANTITY =
  /\b\d+(?:[.,:]\d+)*\b|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|hundred|dozen|half|twice|double|triple|third|quarter)\b/gi;
const QUANTITY_CAP = 6;

// What the question asks to find: a quantity, a time, a chance, or which one comes first.
const UNKNOWN =
  /\bhow (?:many|much|long|far|old|fast|often|likely|soon)\b|\bwhat (?:time|day|age|speed|percentage|fraction|share|are the (?:chances|odds)|is the (?:chance|probability|odds|average|total))\b|\bwhen (?:will|would|do|does) (?:they|the|both|it|he|she)\b|\bwhich (?:one )?(?:is|comes|wins|finishes|arrives|gets) (?:first|faster|more|bigger|larger|longer)\b|\b(?:probability|odds) (?:of|that)\b/i;

// Relations that set quantities against one another, or leave them to chance.
const STRONG =
  /\b(?:together|at the same time|simultaneously|(?:twice|three times|half|a third|a quarter) as|as (?:many|much|old|fast|long|far) as|(?:more|less|fewer|older|younger|faster|slower|longer|shorter|further|farther) than|catch(?:es)? up|overtakes?|in a row|at random|randomly|without replacement|without looking|probability|chances?|odds|likely)\b/gi;
// Conditions, rates and order: each a step of a problem that has one, no problem on their own.
const WEAK =
  /\b(?:if|each|every|per|both|then|after|before|while|until|when|at least|at most|remaining|meanwhile)\b/gi;
const RELATION_CAP = 4;

/**
 * The points of a word problem: 2 for quantities set against one another with another
 * relation besides, 1 for quantities only under conditions and rates (two or more of them).
 */
export function wordProblemPoints(text: string): { points: number; detail: string } {
  if (!UNKNOWN.test(text)) return { points: 0, detail: '' };
  const quantities = countMatches(text, QUANTITY, QUANTITY_CAP);
  if (quantities < 2) return { points: 0, detail: '' };
  const strong = countMatches(text, STRONG, RELATION_CAP);
  const weak = countMatches(text, WEAK, RELATION_CAP);
  const detail = `${quantities} quantities, ${strong} comparisons, ${weak} conditions`;
  if (strong >= 1 && strong + weak >= 2) return { points: 2, detail };
  return { points: strong + weak >= 2 ? 1 : 0, detail };
}

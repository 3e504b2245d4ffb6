import { eachMatch, textAfter, textBefore, toCandidate } from './regex-scan.js';
import type { Candidate, Detector } from './types.js';

// What may stand between digit groups: a space (also the no-break, figure, thin and narrow
// no-break spaces word processors put there), a full stop or a hyphen.
const SEP = String.raw`[ .\-\u00a0\u2007\u2009\u202f]`;
// Shared edges: not inside a word, a longer number or a URL path, and not ending where another
// digit group follows.
const START = String.raw`(?<![\w+/@.\-]|\d${SEP})`;
const END = String.raw`(?![\w/]|${SEP}\d|\.\w)`;
const EXTENSION = String.raw`(?: ?(?:x|ext\.?|extension) ?\d{1,5})?`;

/**
 * Shapes that are phone numbers wherever they appear. `needs` is a character every match holds,
 * so a text without it from the scan's start is not searched.
 */
const STRONG: { rule: string; pattern: RegExp; needs?: string }[] = [
  {
    needs: '+',
    // E.164 and written international numbers: +41 (0)38 549 02 90, +447700 208 815.
    rule: 'phone-international',
    pattern: new RegExp(
      String.raw`${START}\+\d{1,3}(?:${SEP}?\(\d{1,4}\))?(?:${SEP}?\d{1,6}){1,6}${EXTENSION}${END}`,
      'g',
    ),
  },
  {
    // North American numbers with separators, optional 1- or 001- prefix and extension.
    rule: 'phone-nanp',
    pattern: new RegExp(
      String.raw`${START}(?:(?:00)?1${SEP})?(?:\(\d{3}\)${SEP}?|\d{3}[.\-])\d{3}[.\-]\d{4}${EXTENSION}${END}`,
      'g',
    ),
  },
  {
    needs: '(',
    // A bracketed area code: (08) 8747 6301, (37) 788-063.
    rule: 'phone-area-code',
    pattern: new RegExp(String.raw`${START}\(\d{2,4}\)${SEP}?\d{3,4}${SEP}\d{3,4}${END}`, 'g'),
  },
  {
    needs: '0',
    // A national number with its trunk 0 and grouped digits: 0490 75 40 81, 01.84.17.61.18.
    rule: 'phone-national',
    pattern: new RegExp(String.raw`${START}0\d{1,4}(?:${SEP}\d{2,7}){1,4}${END}`, 'g'),
  },
];

/** Digit groups or a bare run that are only phone numbers when the words around say so. */
const WEAK = new RegExp(
  String.raw`${START}(?:\d{2,4}(?:${SEP}\d{2,7}){1,4}|\d{7,12})${EXTENSION}${END}`,
  'g',
);
// A label right before the number (`Desk: `, `home `), or a calling word a few words earlier.
const LABEL_BEFORE =
  /(?:phone|tel|mobile|cell|desk|fax|number|office|landline|hotline|home|work|ext)\W*$/;
const WORD_NEAR =
  /\b(?:phone|telephone|mobile|fax|call|text|sms|whatsapp|contact|reach|dial|answering|registered|messages?)\b/;
const CONTEXT_AFTER = /^[\s\-–,(\\]{0,4}(?:office|fax|mobile|cell|home|work|phone|tel|landline)\b/;
const CONTEXT_AFTER_WIDTH = 16;
// A stream holds a phone-shaped match until this much follows it: enough for the suffix label
// and for an extension (` extension 12345`) that would make the match longer.
const PHONE_AFTER = 18;
const DATE_SHAPE = /^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})$/;

function digitCount(value: string): number {
  let count = 0;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code >= 48 && code <= 57) count++;
  }
  return count;
}

function plausible(value: string): boolean {
  const digits = digitCount(value.replace(/(?:x|ext\.?|extension)\s?\d+$/, ''));
  return digits >= 7 && digits <= 15 && !DATE_SHAPE.test(value);
}

function weakInContext(text: string, start: number, end: number): boolean {
  const before = textBefore(text, start, 40);
  if (LABEL_BEFORE.test(before) || WORD_NEAR.test(before.slice(-32))) return true;
  return CONTEXT_AFTER.test(textAfter(text, end, CONTEXT_AFTER_WIDTH));
}

export const phoneDetector: Detector = {
  types: ['phone'],
  mayMatch: (profile) => profile.digits >= 7 && profile.digitGroups,
  scan: ({ text, from }) => {
    const found: Candidate[] = [];
    for (const { rule, pattern, needs } of STRONG) {
      if (needs !== undefined && !text.includes(needs, from)) continue;
      eachMatch(pattern, text, from, (match) => {
        const valid = plausible(match[0]);
        found.push(toCandidate(match, { type: 'phone', rule, valid, after: PHONE_AFTER }));
      });
    }
    eachMatch(WEAK, text, from, (match) => {
      const end = match.index + match[0].length;
      const valid = plausible(match[0]) && weakInContext(text, match.index, end);
      const verdict = {
        type: 'phone' as const,
        rule: 'phone-in-context',
        valid,
        after: PHONE_AFTER,
      };
      found.push(toCandidate(match, verdict));
    });
    return found;
  },
};

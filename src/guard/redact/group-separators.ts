/**
 * What may split the digit groups of a card besides a space: a tab, the no-break,
 * figure, thin and narrow no-break spaces, and the hyphens and dashes (what word processors and
 * chat front ends put between groups). The card pattern and the stream's number rule both read
 * this one list, so a separator the pattern accepts is one the stream holds across.
 */
const SEPARATORS = '\t\u00a0\u2007\u2009\u202f\u2010\u2011\u2012\u2013-';

/** SEPARATORS as a regular-expression character class. */
export const SEPARATOR_CLASS = `[${[...SEPARATORS].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}]`;

// A table rather than a set: the stream's number rule asks per character, on the hot path.
const TABLE = new Uint8Array(0x10000);
for (const char of SEPARATORS) TABLE[char.charCodeAt(0)] = 1;

/** Whether `code` is one of SEPARATORS. */
export function isGroupSeparator(code: number): boolean {
  return TABLE[code] === 1;
}

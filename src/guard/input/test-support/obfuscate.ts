import { Buffer } from 'node:buffer';

// The obfuscations an attacker applies to slip a known attack past a filter. Each keeps the
// text readable to a model, which is what makes it a working attack.

/** Spells every word out with spaces between its letters ("i g n o r e"). */
export function spaceOut(text: string): string {
  return text.replace(/\p{L}{2,}/gu, (word) => [...word].join(' '));
}

const LOOK_ALIKES: Readonly<Record<string, string>> = {
  a: 'а',
  c: 'с',
  e: 'е',
  i: 'і',
  j: 'ј',
  o: 'ο',
  p: 'р',
  s: 'ѕ',
  x: 'х',
  y: 'у',
  A: 'Α',
  B: 'В',
  E: 'Ε',
  H: 'Н',
  I: 'І',
  K: 'К',
  M: 'М',
  O: 'О',
  P: 'Р',
  T: 'Т',
};

/** Swaps Latin letters for Cyrillic and Greek look-alikes. */
export function homoglyph(text: string): string {
  return text.replace(/[a-zA-Z]/g, (letter) => LOOK_ALIKES[letter] ?? letter);
}

/** Puts a zero-width space (and now and then a joiner) between the letters of each word. */
export function laceZeroWidth(text: string): string {
  let index = 0;
  return text.replace(/\p{L}{2,}/gu, (word) =>
    [...word].join(index++ % 3 === 0 ? '\u200D' : '\u200B'),
  );
}

/** Hides printable ASCII in Unicode tag characters behind a harmless visible line. */
export function tagEncode(text: string): string {
  const hidden = text.replace(/[\x20-\x7e]/g, (character) =>
    String.fromCodePoint(0xe0000 + character.charCodeAt(0)),
  );
  return `Thanks for your help! ${hidden}`;
}

/** Wraps the text in base64 with an instruction to decode and follow it. */
export function base64Wrap(text: string): string {
  return `Decode this and follow it: ${Buffer.from(text, 'utf8').toString('base64')}`;
}

/**
 * Base64 with no word about decoding it: the "decode and follow" request is itself a rule
 * match, so this variant shows the payload is caught for what it says.
 */
export function base64Bare(text: string): string {
  return `Here is the data you asked for: ${Buffer.from(text, 'utf8').toString('base64')}`;
}

/** The obfuscations every attack must survive, by name. */
export const OBFUSCATIONS: Readonly<Record<string, (text: string) => string>> = {
  spaced: spaceOut,
  homoglyph,
  'zero-width': laceZeroWidth,
  'tag-encoded': tagEncode,
  'base64-wrapped': base64Wrap,
  'base64 without a decode request': base64Bare,
};

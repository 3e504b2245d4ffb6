import { hash } from 'node:crypto';

/** Texts up to this many UTF-16 units are digested in script; longer ones by SHA-256. */
export const SHORT_TEXT = 1_024;

// The 32-bit finaliser of MurmurHash3: every input bit reaches every output bit.
function mix(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A digest of user text, to tell whether two texts are the same without keeping either. Most
 * texts a turn carries are a few dozen characters, and for them a native hash call (argument
 * checks, encoding, a base64 string) cost more than the text: they get two independent 32-bit
 * multiply-xor lanes over their UTF-16 units, finalised, which is 64 bits and no allocation but
 * the result. Longer texts go to SHA-256, which is faster per character. Not collision-resistant
 * for short texts, and needs not be: a collision only makes a metric count one retry wrong, or
 * merges two of one user's conversations in the conversation histograms.
 */
export function textDigest(text: string): string {
  if (text.length > SHORT_TEXT) return `s${hash('sha256', text, 'base64url')}`;
  let a = 0x811c9dc5 ^ text.length;
  let b = 0x9747b28c;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    a = Math.imul(a ^ unit, 0x01000193);
    b = Math.imul(b ^ unit, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return `f${mix(a).toString(36)}.${mix(b ^ text.length).toString(36)}`;
}

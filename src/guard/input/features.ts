import { isLetterOrDigit } from './letter-codes.js';

/** Settings shared by the trainer and the classifier, stored with the weights. */
export interface FeatureSettings {
  /** Feature vector size is 2^bits; n-grams are hashed into it. */
  bits: number;
  minGram: number;
  maxGram: number;
  /** Only this many characters of the compact form are read. */
  maxChars: number;
}

export const DEFAULT_FEATURES: FeatureSettings = {
  bits: 18,
  minGram: 2,
  maxGram: 4,
  maxChars: 16_384,
};

// Read by UTF-16 unit: letters outside the Basic Multilingual Plane are left out (their halves
// are neither); after NFKC almost none remain.
function isWordCode(code: number): boolean {
  if (code < 128) return (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
  return isLetterOrDigit(code);
}

/**
 * The UTF-16 codes of the letters and digits of normalised (lower-cased) text. Reading n-grams
 * over this form makes the features the same whether an attacker spaced letters out, joined
 * words, or added punctuation between them.
 */
export function compactCodes(normalised: string): Uint16Array {
  const codes = new Uint16Array(normalised.length);
  let length = 0;
  for (let index = 0; index < normalised.length; index++) {
    const code = normalised.charCodeAt(index);
    if (isWordCode(code)) codes[length++] = code;
  }
  return codes.subarray(0, length);
}

const UTF16 = new TextDecoder('utf-16le');

/** {@link compactCodes} as a string, for patterns that read letters only. */
export function compactForm(normalised: string): string {
  return UTF16.decode(compactCodes(normalised));
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * Calls `visit` with the bucket of every character n-gram of `compact` (FNV-1a, folded to
 * `bits`), and returns how many it visited. Each start position extends one running hash
 * across the n-gram lengths, so the cost is about `maxGram` multiplications per character.
 */
export function forEachNgram(
  compact: Uint16Array,
  settings: FeatureSettings,
  visit: (bucket: number) => void,
): number {
  const length = Math.min(compact.length, settings.maxChars);
  const mask = (1 << settings.bits) - 1;
  let visited = 0;
  for (let start = 0; start + settings.minGram <= length; start++) {
    let hash = FNV_OFFSET;
    const end = Math.min(length, start + settings.maxGram);
    for (let index = start; index < end; index++) {
      hash = Math.imul(hash ^ (compact[index] ?? 0), FNV_PRIME);
      if (index - start + 1 < settings.minGram) continue;
      visit((hash ^ (hash >>> 15)) & mask);
      visited++;
    }
  }
  return visited;
}

/**
 * The sparse feature vector of a text: each n-gram bucket it holds, once, scaled to unit
 * length. Counted as often as they occur, the n-grams of a line repeated many times (a pasted
 * log, "thank you so much!" a hundred times) weighed as if each copy were new evidence, and
 * the score grew with the square root of the repeats until any such text read as an attack.
 */
export function featureVector(
  compact: Uint16Array,
  settings: FeatureSettings,
): Map<number, number> {
  const present = new Map<number, number>();
  forEachNgram(compact, settings, (bucket) => present.set(bucket, 1));
  const scale = present.size === 0 ? 0 : 1 / Math.sqrt(present.size);
  for (const bucket of present.keys()) present.set(bucket, scale);
  return present;
}

// The buckets already counted by one call of sumNgramWeights, one bit each: 32 KB for 2^18
// buckets, which stays in the fastest cache, cleared at each call.
let seen = new Uint32Array(0);

/**
 * The sum of `weights` over the distinct n-gram buckets of `compact`, and how many there are:
 * the features of {@link featureVector}, walked as {@link forEachNgram} walks them, without a
 * call per n-gram, for the classifier's hot path. The shipped weights are integers: as 16-bit
 * ones the table is half the size of 32-bit floats and stays in a core's cache, where the
 * lookups were most of the classifier's time, and their sum is exact.
 */
export function sumNgramWeights(
  compact: Uint16Array,
  settings: FeatureSettings,
  weights: Int16Array,
): { sum: number; count: number } {
  const length = Math.min(compact.length, settings.maxChars);
  const mask = (1 << settings.bits) - 1;
  const { minGram, maxGram } = settings;
  const words = Math.ceil((mask + 1) / 32);
  if (seen.length === words) seen.fill(0);
  else seen = new Uint32Array(words);
  let sum = 0;
  let count = 0;
  for (let start = 0; start + minGram <= length; start++) {
    let hash = FNV_OFFSET;
    let index = start;
    for (; index < start + minGram - 1; index++) {
      hash = Math.imul(hash ^ (compact[index] ?? 0), FNV_PRIME);
    }
    const end = Math.min(length, start + maxGram);
    for (; index < end; index++) {
      hash = Math.imul(hash ^ (compact[index] ?? 0), FNV_PRIME);
      const bucket = (hash ^ (hash >>> 15)) & mask;
      const word = bucket >>> 5;
      const bit = 1 << (bucket & 31);
      const held = seen[word] ?? 0;
      if ((held & bit) !== 0) continue;
      seen[word] = held | bit;
      sum += weights[bucket] ?? 0;
      count++;
    }
  }
  return { sum, count };
}

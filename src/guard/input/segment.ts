import { readFileSync } from 'node:fs';

// Common words by frequency, written by the training script from general chat text and its
// training split.
const VOCABULARY_URL = new URL('../../../models/injection-vocabulary.json', import.meta.url);
const MAX_WORD = 20;
// Runs longer than this are split in pieces; a word cut at a piece border costs little.
const PIECE = 1_000;
// A word missing from the list costs more the longer it is, but less than cutting it into
// several rare words ("maintenance" must not become "main ten an c e").
const UNKNOWN_BASE = 10;
const UNKNOWN_PER_LETTER = 2.5;

interface Vocabulary {
  costs: Map<string, number>;
}

let loaded: Vocabulary | undefined;

/** Word costs from ranks (Zipf's law): a frequent word is a cheap way to cover letters. */
export function vocabularyFrom(words: readonly string[]): Vocabulary {
  const costs = new Map<string, number>();
  const scale = Math.log(words.length + 1);
  for (const [rank, word] of words.entries()) {
    if (!costs.has(word)) costs.set(word, Math.log((rank + 1) * scale));
  }
  return { costs };
}

function vocabulary(): Vocabulary {
  if (loaded !== undefined) return loaded;
  let words: string[] = [];
  try {
    words = (JSON.parse(readFileSync(VOCABULARY_URL, 'utf8')) as { words: string[] }).words;
  } catch {
    // Without the file, spaced-out text stays one run; the compact rules still read it.
  }
  loaded = vocabularyFrom(words);
  return loaded;
}

function segmentPiece(letters: string, costs: Map<string, number>): string {
  const best = new Float64Array(letters.length + 1).fill(Infinity);
  const start = new Int32Array(letters.length + 1);
  best[0] = 0;
  for (let end = 1; end <= letters.length; end++) {
    for (let from = Math.max(0, end - MAX_WORD); from < end; from++) {
      const word = letters.slice(from, end);
      const cost = costs.get(word) ?? UNKNOWN_BASE + UNKNOWN_PER_LETTER * word.length;
      const total = (best[from] ?? Infinity) + cost;
      if (total < (best[end] ?? Infinity)) [best[end], start[end]] = [total, from];
    }
  }
  const words: string[] = [];
  for (let end = letters.length; end > 0; end = start[end] ?? 0) {
    words.unshift(letters.slice(start[end] ?? 0, end));
  }
  return words.join(' ');
}

/**
 * Splits a run of letters written without word breaks into the likeliest words (a Viterbi
 * search over word costs), so that word-level rules can read spaced-out text.
 */
export function segmentWords(letters: string, words?: Vocabulary): string {
  const { costs } = words ?? vocabulary();
  if (costs.size === 0) return letters;
  const pieces: string[] = [];
  for (let index = 0; index < letters.length; index += PIECE) {
    pieces.push(segmentPiece(letters.slice(index, index + PIECE), costs));
  }
  return pieces.join(' ');
}

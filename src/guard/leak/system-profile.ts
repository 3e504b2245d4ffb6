import { forEachCodePoint } from './fold-char.js';
import { WordReader } from './word-reader.js';
import { foldWord } from './words.js';

/**
 * Content words of a system prompt beyond this are not indexed: a prompt of 100,000 content
 * words (about 1 MB of text) is far past any real one, and the index stays bounded.
 */
const MAX_SYSTEM_WORDS = 100_000;
const PROFILE_CACHE_LIMIT = 32;
const CACHEABLE_LENGTH = 65_536;

/**
 * What the overlap check knows about one system prompt, computed once: every run of three
 * consecutive content words (a shingle), as an order-free key (the three folded words sorted),
 * with the positions in the prompt where it occurs.
 */
export interface SystemProfile {
  /** Words of the prompt, function words included; short prompts are left to the canary. */
  words: number;
  /** Shingle positions in the prompt: one per content word after the first two. */
  positions: number;
  /** Order-free shingle key → the positions it occurs at. */
  shingles: ReadonlyMap<string, readonly number[]>;
}

const cache = new Map<string, SystemProfile>();

/** The key of three words regardless of their order, so reordered clauses still match. */
export function shingleKey(first: string, second: string, third: string): string {
  // Three compare-and-swaps instead of an array sort: this runs six times per output word.
  let [a, b, c] = [first, second, third];
  if (a > b) [a, b] = [b, a];
  if (b > c) [b, c] = [c, b];
  if (a > b) [a, b] = [b, a];
  return `${a} ${b} ${c}`;
}

/** The profile of a prompt, reused for recent prompts so a long-lived prompt is indexed once. */
export function profileSystem(system: string): SystemProfile {
  const cached = cache.get(system);
  if (cached !== undefined) return cached;
  const profile = buildProfile(system);
  if (system.length <= CACHEABLE_LENGTH) remember(system, profile);
  return profile;
}

function remember(system: string, profile: SystemProfile): void {
  if (cache.size >= PROFILE_CACHE_LIMIT) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  cache.set(system, profile);
}

function buildProfile(system: string): SystemProfile {
  const { words, content } = readContentWords(system);
  const shingles = new Map<string, number[]>();
  for (let index = 2; index < content.length; index++) {
    const key = shingleKey(
      content[index - 2] ?? '',
      content[index - 1] ?? '',
      content[index] ?? '',
    );
    const positions = shingles.get(key);
    if (positions === undefined) shingles.set(key, [index - 2]);
    else positions.push(index - 2);
  }
  return { words, positions: Math.max(0, content.length - 2), shingles };
}

function readContentWords(text: string): { words: number; content: string[] } {
  const reader = new WordReader();
  const content: string[] = [];
  let words = 0;
  const take = (word: { text: string } | undefined): void => {
    if (word === undefined) return;
    words++;
    const folded = foldWord(word.text);
    if (folded !== undefined && content.length < MAX_SYSTEM_WORDS) content.push(folded);
  };
  forEachCodePoint(text, 0, (code, offset) => {
    take(reader.feed(code, offset));
    return false;
  });
  take(reader.end());
  return { words, content };
}

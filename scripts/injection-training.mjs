// Logistic regression with AdaGrad over sparse feature maps, for train-injection-classifier.mjs.

/** A seeded pseudo-random generator (mulberry32), so shuffles repeat exactly. */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 2 ** 32;
  };
}

function shuffle(items, random) {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other], copy[index]];
  }
  return copy;
}

// Each class weighs the same in total, and clean documents count as much as the documents
// with an instruction planted in them, so "looks like an email" is not learned as a signal.
// Benign prompts that use the words of attacks are where the false-positive bound binds, so
// each counts `triggerWeight` times.
const TRIGGER_SETS = new Set(['benign-trigger']);

function sampleWeights(rows, triggerWeight) {
  const positives = rows.filter((row) => row.label === 1).length;
  const negatives = rows.length - positives;
  const planted = rows.filter((row) => row.set.startsWith('bipia')).length;
  const clean = rows.filter((row) => row.set === 'benign-document').length || 1;
  return rows.map((row) => {
    const base = row.label === 1 ? rows.length / (2 * positives) : rows.length / (2 * negatives);
    if (TRIGGER_SETS.has(row.set)) return base * triggerWeight;
    return row.set === 'benign-document' ? (base * planted) / clean : base;
  });
}

/** Fits weights (index 0..2^bits-1, plus `bias`) on rows carrying a sparse `vector`. */
export function fitLogistic(
  rows,
  { bits, epochs, rate = 0.4, l2 = 2e-6, seed = 20_26, triggerWeight = 1 },
) {
  const weights = new Float64Array(1 << bits);
  const squares = new Float64Array(1 << bits).fill(1e-8);
  let bias = 0;
  let biasSquares = 1e-8;
  const importance = sampleWeights(rows, triggerWeight);
  const random = seededRandom(seed);
  const order = rows.map((_, index) => index);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const index of shuffle(order, random)) {
      const { vector, label } = rows[index];
      let logit = bias;
      for (const [bucket, value] of vector) logit += weights[bucket] * value;
      const error = (1 / (1 + Math.exp(-logit)) - label) * importance[index];
      for (const [bucket, value] of vector) {
        const gradient = error * value + l2 * weights[bucket];
        squares[bucket] += gradient * gradient;
        weights[bucket] -= (rate * gradient) / Math.sqrt(squares[bucket]);
      }
      biasSquares += error * error;
      bias -= (rate * error) / Math.sqrt(biasSquares);
    }
  }
  return { weights, bias };
}

/** Keeps the `keep` largest weights, as delta-coded indices and integers over `scale`. */
export function pruneAndQuantise({ weights, bias }, { keep, scale }) {
  const ranked = [...weights.keys()]
    .filter((bucket) => Math.round(weights[bucket] * scale) !== 0)
    .sort((a, b) => Math.abs(weights[b]) - Math.abs(weights[a]))
    .slice(0, keep)
    .sort((a, b) => a - b);
  let previous = 0;
  const indices = ranked.map((bucket) => {
    const delta = bucket - previous;
    previous = bucket;
    return delta;
  });
  return {
    bias: Math.round(bias * scale) / scale,
    scale,
    indices,
    weights: ranked.map((bucket) => Math.round(weights[bucket] * scale)),
  };
}

const VOCABULARY_SIZE = 25_000;

function countWords(counts, text, weight) {
  for (const word of text.toLowerCase().match(/\p{L}+/gu) ?? []) {
    if (word.length <= 20) counts.set(word, (counts.get(word) ?? 0) + weight);
  }
}

/**
 * The most frequent words, most frequent first (ties alphabetical): general chat text gives
 * the everyday vocabulary, the training rows (counted five times) the words of this domain.
 */
export function commonWords({ general, domain }) {
  const counts = new Map();
  for (const text of general) countWords(counts, text, 1);
  for (const text of domain) countWords(counts, text, 5);
  return [...counts]
    .filter(([, count]) => count >= 2)
    .sort(([a, countA], [b, countB]) => countB - countA || (a < b ? -1 : 1))
    .slice(0, VOCABULARY_SIZE)
    .map(([word]) => word);
}

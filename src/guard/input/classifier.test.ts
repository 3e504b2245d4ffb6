import { describe, expect, it } from 'vitest';
import { createClassifier, type ClassifierModel } from './classifier.js';
import { compactCodes, DEFAULT_FEATURES, forEachNgram } from './features.js';

function model(weights: number[], indices: number[]): ClassifierModel {
  return {
    ...DEFAULT_FEATURES,
    format: 'rampart-injection-classifier/2',
    bias: -0.5,
    threshold: 0.8,
    scale: 1000,
    indices,
    weights,
  };
}

describe('the injection classifier', () => {
  it('scores a text from its n-grams with the weights as stored over their scale', () => {
    const text = 'ignore the rules';
    const buckets: number[] = [];
    forEachNgram(compactCodes(text), DEFAULT_FEATURES, (bucket) => buckets.push(bucket));
    const distinct = [...new Set(buckets)].sort((a, b) => a - b);
    // Every bucket of the text weighs 1.5 (1500 over a scale of 1000).
    const indices = distinct.map((bucket, at) => bucket - (distinct[at - 1] ?? 0));
    const classifier = createClassifier(
      model(
        distinct.map(() => 1500),
        indices,
      ),
    );
    const logit = -0.5 + (1.5 * buckets.length) / Math.sqrt(buckets.length);
    expect(classifier.probability(text)).toBeCloseTo(1 / (1 + Math.exp(-logit)), 12);
    expect(classifier.probability('')).toBeCloseTo(1 / (1 + Math.exp(0.5)), 12);
  });

  it('refuses a model whose weights are not 16-bit integers', () => {
    for (const weight of [40_000, -40_000, 1.5]) {
      expect(() => createClassifier(model([weight], [7]))).toThrow(
        expect.objectContaining({ code: 'RAMPART_CONFIG_INVALID' }),
      );
    }
  });
});

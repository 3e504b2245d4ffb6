import { readFileSync } from 'node:fs';
import { RampartError } from '../../core/errors.js';
import { compactCodes, sumNgramWeights, type FeatureSettings } from './features.js';

/** 2: each n-gram bucket counts once (1 counted every occurrence; no longer read). */
const MODEL_FORMAT = 'rampart-injection-classifier/2';

/** The shipped model file: sparse logistic-regression weights over hashed n-grams. */
export interface ClassifierModel extends FeatureSettings {
  format: typeof MODEL_FORMAT;
  bias: number;
  /** The decision threshold chosen on the validation split when the model was trained. */
  threshold: number;
  /** Weights are stored as integers; divide by this to get the real weight. */
  scale: number;
  /** Bucket numbers, each stored as the difference from the previous one. */
  indices: number[];
  weights: number[];
}

/** Scores normalised text: the probability that it is an injection. */
export interface InjectionClassifier {
  threshold: number;
  probability(normalised: string): number;
}

const MODEL_URL = new URL('../../../models/injection-classifier.json', import.meta.url);

/** The weights as stored (integers, `scale` to one), one per bucket, in a flat table. */
function denseWeights(model: ClassifierModel): Int16Array {
  const dense = new Int16Array(1 << model.bits);
  let bucket = 0;
  for (const [position, delta] of model.indices.entries()) {
    bucket += delta;
    const weight = model.weights[position] ?? 0;
    if (!Number.isInteger(weight) || weight < -0x8000 || weight > 0x7fff) {
      throw new RampartError(
        'RAMPART_CONFIG_INVALID',
        `injection classifier: weight ${weight} is not a 16-bit integer`,
      );
    }
    dense[bucket] = weight;
  }
  return dense;
}

/** Builds a classifier from model data, expanding the sparse weights into one flat table. */
export function createClassifier(model: ClassifierModel): InjectionClassifier {
  if ((model.format as string) !== MODEL_FORMAT) {
    throw new RampartError(
      'RAMPART_CONFIG_INVALID',
      `injection classifier: format ${String(model.format)}, expected ${MODEL_FORMAT}; ` +
        'train it again with scripts/train-injection-classifier.mjs',
    );
  }
  const weights = denseWeights(model);
  return {
    threshold: model.threshold,
    probability(normalised) {
      const { sum, count } = sumNgramWeights(compactCodes(normalised), model, weights);
      const logit = model.bias + (count === 0 ? 0 : sum / model.scale / Math.sqrt(count));
      return 1 / (1 + Math.exp(-logit));
    },
  };
}

let shipped: InjectionClassifier | undefined;

/** The classifier trained by `scripts/train-injection-classifier.mjs`, read once. */
export function shippedClassifier(): InjectionClassifier {
  shipped ??= createClassifier(JSON.parse(readFileSync(MODEL_URL, 'utf8')) as ClassifierModel);
  return shipped;
}

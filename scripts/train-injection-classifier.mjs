#!/usr/bin/env node
// Trains the prompt-injection classifier: logistic regression over hashed character n-grams,
// with AdaGrad and a seeded shuffle, so the same data always gives the same model file.
// It imports the compiled normaliser, featuriser and detector from dist/ so training and
// inference read text the same way: run `npm run build` first.
//
//   node scripts/train-injection-classifier.mjs [--datasets DIR] [--out FILE]
//
// Rows come from the shared datasets plus our own benign fixtures (see injection-datasets.mjs).
// The model is fitted on the train split only; the threshold is chosen on the valid split
// plus out-of-fold scores of the train split (5-fold);
// the test split and the held-out sources are only reported, never tuned on. It also writes
// models/injection-vocabulary.json, the common-word list that re-splits spaced-out text.
import console from 'node:console';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chatTexts, loadInjectionRows } from './injection-datasets.mjs';
import { commonWords, fitLogistic, pruneAndQuantise } from './injection-training.mjs';
import { chooseThreshold, line, metrics, printReport, scoreRows } from './injection-metrics.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const VOCABULARY = path.join(REPO, 'models/injection-vocabulary.json');
const { values } = parseArgs({
  options: {
    datasets: { type: 'string', default: path.join(REPO, '../shared/datasets') },
    out: { type: 'string', default: path.join(REPO, 'models/injection-classifier.json') },
    epochs: { type: 'string', default: '12' },
    keep: { type: 'string', default: '45000' },
  },
});

const rows = loadInjectionRows({ datasets: path.resolve(values.datasets), repo: REPO });
// The word list is written before the detector code is loaded: the normaliser reads it to
// re-split spaced-out text, and must see this run's list, not the previous one.
const words = commonWords({
  general: chatTexts(path.resolve(values.datasets)),
  domain: rows.filter((row) => row.split === 'train').map((row) => row.text),
});
writeFileSync(VOCABULARY, `${JSON.stringify({ words })}\n`);
console.log(`vocabulary: ${words.length} words`);

const { normaliseForDetection } = await import('../dist/guard/input/normalise.js');
const { DEFAULT_FEATURES, compactCodes, featureVector } =
  await import('../dist/guard/input/features.js');
const { createClassifier } = await import('../dist/guard/input/classifier.js');
const { createDetectorWith } = await import('../dist/guard/input/detector.js');

const training = rows
  .filter((row) => row.split === 'train')
  .map((row) => ({
    ...row,
    vector: featureVector(compactCodes(normaliseForDetection(row.text).text), DEFAULT_FEATURES),
  }));
console.log(`rows: ${rows.length}, training on ${training.length}`);

const FOLDS = 5;

function buildModel(rowsToFit) {
  const dense = fitLogistic(rowsToFit, {
    bits: DEFAULT_FEATURES.bits,
    epochs: Number(values.epochs),
  });
  return {
    format: 'rampart-injection-classifier/1',
    ...DEFAULT_FEATURES,
    ...pruneAndQuantise(dense, { keep: Number(values.keep), scale: 1000 }),
    threshold: 0.5,
  };
}

// A threshold of 2 is never reached: every verdict carries its score and nothing else matters.
const scorer = (model) => createDetectorWith(createClassifier(model), 2);

// Out-of-fold scores for the training rows (each scored by a model that did not see it) join
// the valid split's scores, so the threshold rests on some 1,700 unseen rows, not 370.
const outOfFold = [];
for (let fold = 0; fold < FOLDS; fold++) {
  const model = buildModel(training.filter((_, index) => index % FOLDS !== fold));
  const held = rows.filter((row) => row.split === 'train');
  outOfFold.push(
    ...scoreRows(
      held.filter((_, index) => index % FOLDS === fold),
      scorer(model),
    ),
  );
}
const model = buildModel(training);
const scored = scoreRows(rows, scorer(model));
model.threshold = chooseThreshold([outOfFold, scored.filter((row) => row.split === 'valid')]);
const tuning = [...outOfFold, ...scored.filter((row) => row.split === 'valid')];
console.log(line('tuning rows at threshold', metrics(tuning, model.threshold)));
console.log(
  `threshold chosen on valid and out-of-fold rows: ${model.threshold}, kept weights: ${model.indices.length}`,
);
printReport(scored, model.threshold);

writeFileSync(values.out, `${JSON.stringify(model)}\n`);
console.log(`wrote ${path.relative(REPO, values.out)}`);

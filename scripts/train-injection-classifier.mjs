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
// plus out-of-fold scores of the train split (5-fold, rows on one host document kept in one
// fold); the test split and the held-out sources are only reported, never tuned on. It also
// writes models/injection-vocabulary.json, the common-word list that re-splits spaced-out text.
import console from 'node:console';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  chatTexts,
  extraBenignRows,
  loadInjectionRows,
  passagesOf,
  stableFraction,
} from './injection-datasets.mjs';
import { commonWords, fitLogistic, pruneAndQuantise } from './injection-training.mjs';
import {
  chooseThreshold,
  isWrong,
  line,
  metrics,
  printReport,
  scoreRows,
} from './injection-metrics.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const VOCABULARY = path.join(REPO, 'models/injection-vocabulary.json');
const { values } = parseArgs({
  options: {
    datasets: { type: 'string', default: path.join(REPO, '../shared/datasets') },
    out: { type: 'string', default: path.join(REPO, 'models/injection-classifier.json') },
    epochs: { type: 'string', default: '12' },
    keep: { type: 'string', default: '60000' },
    l2: { type: 'string', default: '1e-5' },
    'trigger-weight': { type: 'string', default: '3' },
    // Feature settings other than the shipped defaults, as JSON, for experiments.
    features: { type: 'string', default: '{}' },
    // `no` trains on the shared datasets alone, without our training-only benign prompts.
    extra: { type: 'string', default: 'yes' },
    // README passages of the installed packages added as benign training rows (see
    // technicalDocuments in injection-datasets.mjs); 0 adds none, as the shipped model.
    technical: { type: 'string', default: '0' },
    // Where to write the tuning rows the chosen threshold gets wrong, for error analysis.
    misses: { type: 'string' },
    // `no` prints the train and valid splits only: for choosing settings without a look at
    // the test split and the held-out sources.
    'report-held-out': { type: 'string', default: 'yes' },
  },
});

const chat = chatTexts(path.resolve(values.datasets));
const shared = loadInjectionRows({ datasets: path.resolve(values.datasets), repo: REPO });
const extra = extraBenignRows(REPO, { technical: Number(values.technical) });
const rows = values.extra === 'no' ? shared : [...shared, ...extra];
// The word list is written before the detector code is loaded: the normaliser reads it to
// re-split spaced-out text, and must see this run's list, not the previous one.
const words = commonWords({
  general: chat,
  domain: shared.filter((row) => row.split === 'train').map((row) => row.text),
});
writeFileSync(VOCABULARY, `${JSON.stringify({ words })}\n`);
console.log(`vocabulary: ${words.length} words`);

const { normaliseForDetection } = await import('../dist/guard/input/normalise.js');
const features = await import('../dist/guard/input/features.js');
const FEATURES = { ...features.DEFAULT_FEATURES, ...JSON.parse(values.features) };
const { compactCodes, featureVector } = features;
const { createClassifier } = await import('../dist/guard/input/classifier.js');
const { createDetectorWith } = await import('../dist/guard/input/detector.js');

const FOLDS = 5;
const vectorOf = (text) => featureVector(compactCodes(normaliseForDetection(text).text), FEATURES);
// Rows built on the same host document share a fold: a clean document must not be scored by a
// model that saw it with an instruction planted in it.
const foldOf = (row, index) =>
  row.host === undefined ? index % FOLDS : Math.floor(stableFraction(row.host) * FOLDS);
const training = rows
  .filter((row) => row.split === 'train')
  .map((row, index) => ({ ...row, fold: foldOf(row, index), vector: vectorOf(row.text) }));
console.log(`rows: ${rows.length}, training on ${training.length}`);

const withoutVector = ({ vector: _vector, fold: _fold, ...row }) => row;

function buildModel(rowsToFit) {
  const dense = fitLogistic(rowsToFit, {
    bits: FEATURES.bits,
    epochs: Number(values.epochs),
    l2: Number(values.l2),
    triggerWeight: Number(values['trigger-weight']),
  });
  return {
    format: 'rampart-injection-classifier/2',
    ...FEATURES,
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
  const model = buildModel(training.filter((row) => row.fold !== fold));
  // Rows written for training only are fitted on but never scored: they would flatter the
  // tuning numbers with text of our own making.
  const held = training.filter((row) => row.fold === fold && !row.extra);
  outOfFold.push(...scoreRows(held.map(withoutVector), scorer(model)));
}
const model = buildModel(training);
const scored = scoreRows(rows, scorer(model));
model.threshold = chooseThreshold([outOfFold, scored.filter((row) => row.split === 'valid')]);
const tuning = [...outOfFold, ...scored.filter((row) => row.split === 'valid')];
console.log(line('tuning rows at threshold', metrics(tuning, model.threshold)));
console.log(
  `threshold chosen on valid and out-of-fold rows: ${model.threshold}, kept weights: ${model.indices.length}`,
);
printReport(
  scored.filter((row) => !row.extra),
  model.threshold,
  { heldOut: values['report-held-out'] !== 'no' },
);
// Technical prose never trained on: the project's docs (but security.md, which quotes attacks),
// in passages of 400 to 6,000 characters, as a developer pastes them. All benign.
const docs = readdirSync(path.join(REPO, 'docs'))
  .filter((file) => file.endsWith('.md') && file !== 'security.md')
  .sort()
  .flatMap((file) => passagesOf(readFileSync(path.join(REPO, 'docs', file), 'utf8')))
  .map((text) => ({ text, label: 0, source: 'user' }));
const docsScored = scoreRows(docs, scorer(model));
console.log(line('docs passages (user)', metrics(docsScored, model.threshold)));
const asTool = docsScored.map((row) => ({ ...row, source: 'tool' }));
console.log(line('docs passages (tool)', metrics(asTool, model.threshold)));
if (values.misses !== undefined) {
  const wrong = tuning.filter((row) => isWrong(row, model.threshold));
  writeFileSync(values.misses, wrong.map((row) => JSON.stringify(row)).join('\n') + '\n');
  console.log(`wrote ${wrong.length} misclassified tuning rows to ${values.misses}`);
}

writeFileSync(values.out, `${JSON.stringify(model)}\n`);
console.log(`wrote ${path.relative(REPO, values.out)}`);

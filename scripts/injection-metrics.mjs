// Threshold choice and the metrics printout of train-injection-classifier.mjs.
import console from 'node:console';

// The threshold is the highest-recall one on unseen rows that keeps the false-positive rate
// on the benign trigger-word prompts within 2 % (room under the 3 % target for prompts the
// tuning rows do not show) and on all benign rows within 3 %. The second bound is looser:
// WildGuard's benign rows include role-play set-ups written like jailbreaks.
const TRIGGER_FPR_BOUND = 0.02;
const FPR_BOUND = 0.03;
const DATA_THRESHOLD_SHIFT = 0.1;

/** Adds the detector's score to every row. */
export function scoreRows(rows, detector) {
  return rows.map((row) => ({ ...row, score: detector.check(row.text, row.source).score }));
}

function flagged(row, threshold) {
  const bar = row.source === 'user' ? threshold : threshold - DATA_THRESHOLD_SHIFT;
  return row.score >= bar;
}

/** True when the verdict at `threshold` disagrees with the row's label. */
export function isWrong(row, threshold) {
  return flagged(row, threshold) !== (row.label === 1);
}

/** Precision, recall and false-positive rate of `rows` at `threshold`. */
export function metrics(rows, threshold) {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (const row of rows) {
    const predicted = flagged(row, threshold);
    if (predicted && row.label === 1) tp++;
    else if (predicted) fp++;
    else if (row.label === 1) fn++;
    else tn++;
  }
  const ratio = (part, whole) => (whole === 0 ? 0 : part / whole);
  return {
    n: rows.length,
    tp,
    fp,
    tn,
    fn,
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, tp + fn),
    fpr: ratio(fp, fp + tn),
  };
}

function withinBounds(rows, threshold) {
  const trigger = metrics(
    rows.filter((row) => row.set === 'benign-trigger'),
    threshold,
  );
  return metrics(rows, threshold).fpr <= FPR_BOUND && trigger.fpr <= TRIGGER_FPR_BOUND;
}

/**
 * The threshold, in hundredths from 0.30 to 0.80 (above that the strongest rules could no longer decide alone), with the best recall over all `groups`
 * of tuning rows while the bounds above hold in each group on its own.
 */
export function chooseThreshold(groups) {
  let best = { threshold: 0.8, recall: -1 };
  for (let step = 80; step >= 30; step--) {
    const threshold = step / 100;
    if (!groups.every((rows) => withinBounds(rows, threshold))) continue;
    const { recall } = metrics(groups.flat(), threshold);
    if (recall > best.recall) best = { threshold, recall };
  }
  return best.threshold;
}

export function line(name, result) {
  const cell = (value) => value.toFixed(3);
  return `${name.padEnd(28)} n=${String(result.n).padStart(4)} precision=${cell(result.precision)} recall=${cell(result.recall)} fpr=${cell(result.fpr)} (tp ${result.tp} fp ${result.fp} tn ${result.tn} fn ${result.fn})`;
}

/** Prints metrics per split, and per set within each split. */
export function printReport(scored, threshold, { heldOut = true } = {}) {
  const valid = scored.filter((row) => row.split === 'valid');
  for (const candidate of [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]) {
    const trigger = metrics(
      valid.filter((row) => row.set === 'benign-trigger'),
      candidate,
    );
    console.log(
      line(`valid @${candidate}`, metrics(valid, candidate)),
      `trigger fpr=${trigger.fpr.toFixed(3)}`,
    );
  }
  const splits = heldOut ? ['train', 'valid', 'test', 'heldout-source'] : ['train', 'valid'];
  for (const split of splits) {
    const rows = scored.filter((row) => row.split === split);
    console.log(line(split, metrics(rows, threshold)));
    for (const set of [...new Set(rows.map((row) => row.set))].sort()) {
      console.log(
        line(
          `  ${set}`,
          metrics(
            rows.filter((row) => row.set === set),
            threshold,
          ),
        ),
      );
    }
  }
  if (!heldOut) return;
  const test = scored.filter((row) => row.split === 'test' || row.split === 'heldout-source');
  console.log(line('held-out (test + sources)', metrics(test, threshold)));
}

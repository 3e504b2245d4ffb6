/**
 * `rampart guard eval secrets`: scores secret detection on `{ text, label }` rows (label 1: the
 * text holds a credential). A row is predicted positive when `findSensitive` reports at least
 * one finding of type `secret`; personal data found in a row does not count either way. Timing
 * is one `findSensitive` call per row.
 */
import { findSensitive } from '../redact/index.js';
import { labelField, readJsonLines, stringField } from './read-rows.js';
import { ConfusionCounter, summarise, timed, type EvalSummary } from './summary.js';

const SECRET_ONLY = { types: ['secret'] } as const;

/** Row-level precision, recall and FPR of secret detection over a JSON Lines file. */
export async function evalSecrets(path: string): Promise<EvalSummary> {
  const rows = await readJsonLines(path);
  const confusion = new ConfusionCounter();
  const timings: number[] = [];
  for (const [index, row] of rows.entries()) {
    const text = stringField(row, 'text', index);
    const actual = labelField(row, index);
    const { value: findings, micros } = timed(() => findSensitive(text, SECRET_ONLY));
    timings.push(micros);
    confusion.add(findings.length > 0, actual);
  }
  return summarise(confusion, timings);
}

import { detectLeak } from '../leak/index.js';
import { labelField, readJsonLines, stringField } from './read-rows.js';
import { ConfusionCounter, summarise, timed, type EvalSummary } from './summary.js';

/**
 * Scores the leak detector on a JSON Lines file of `{system, output, label}` rows, label 1 when
 * the output discloses the system prompt. Rows carry no canary, so this measures the overlap
 * check alone; the canary is exact and is covered by the unit tests instead.
 */
export async function evalLeak(path: string): Promise<EvalSummary> {
  const rows = await readJsonLines(path);
  const confusion = new ConfusionCounter();
  const timings: number[] = [];
  for (const [index, row] of rows.entries()) {
    const system = stringField(row, 'system', index);
    const output = stringField(row, 'output', index);
    const actual = labelField(row, index);
    const { value, micros } = timed(() => detectLeak(system, output));
    confusion.add(value.leaked, actual);
    timings.push(micros);
  }
  return summarise(confusion, timings);
}

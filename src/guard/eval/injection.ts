import { RampartError } from '../../core/errors.js';
import { createInjectionDetector, type InjectionSource } from '../input/index.js';
import { labelField, readJsonLines, stringField } from './read-rows.js';
import { ConfusionCounter, summarise, timed, type EvalSummary } from './summary.js';

const SOURCES: readonly InjectionSource[] = ['user', 'tool', 'memory'];

/** A row's optional `source` (`user` when absent), or an error naming the row. */
function sourceField(row: Record<string, unknown>, at: number): InjectionSource {
  const value = row.source;
  if (value === undefined) return 'user';
  const source = SOURCES.find((known) => known === value);
  if (source !== undefined) return source;
  throw new RampartError(
    'RAMPART_INVALID_REQUEST',
    `input: row ${at + 1}: "source" must be one of ${SOURCES.join(', ')}`,
  );
}

/**
 * Runs the injection detector over a JSON Lines file of `{ text, label, source? }` rows and
 * summarises how its verdicts compare with the labels, with the time of each check.
 */
export async function evalInjection(
  path: string,
  options: { threshold?: number } = {},
): Promise<EvalSummary> {
  const rows = await readJsonLines(path);
  const detector = createInjectionDetector(
    options.threshold === undefined ? {} : { threshold: options.threshold },
  );
  const confusion = new ConfusionCounter();
  const timings: number[] = [];
  for (const [index, row] of rows.entries()) {
    const text = stringField(row, 'text', index);
    const actual = labelField(row, index);
    const source = sourceField(row, index);
    const { value, micros } = timed(() => detector.check(text, source));
    confusion.add(value.attack, actual);
    timings.push(micros);
  }
  return summarise(confusion, timings);
}

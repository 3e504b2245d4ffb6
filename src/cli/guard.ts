import { evalInjection } from '../guard/eval/injection.js';
import { evalLeak } from '../guard/eval/leak.js';
import { evalPii } from '../guard/eval/pii.js';
import { evalSecrets } from '../guard/eval/secrets.js';
import { isRampartError } from '../core/errors.js';
import { parseFlags, UsageError } from './args.js';

export const GUARD_HELP = `rampart guard — measure the guard on a labelled data set

  rampart guard eval injection --input F.jsonl [--threshold T]
      rows {"text", "label"}; label 1 = prompt injection
  rampart guard eval pii --input F.json
      the Presidio span format: [{full_text, spans: [{entity_type, start_position, end_position}]}]
  rampart guard eval secrets --input F.jsonl
      rows {"text", "label"}; label 1 = holds a secret
  rampart guard eval leak --input F.jsonl
      rows {"system", "output", "label"}; label 1 = the output leaks the system prompt

Prints one JSON summary as its last line: precision, recall, f1, fpr, tp, fp, tn, fn, p50_us,
p99_us (and for pii: perEntity, structured, charsLeaked).`;

const KINDS = ['injection', 'pii', 'secrets', 'leak'] as const;
type Kind = (typeof KINDS)[number];

function threshold(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!(number >= 0 && number <= 1))
    throw new UsageError('--threshold must be a number from 0 to 1');
  return number;
}

async function evaluate(kind: Kind, input: string, limit: number | undefined) {
  switch (kind) {
    case 'injection':
      return evalInjection(input, limit === undefined ? {} : { threshold: limit });
    case 'pii':
      return evalPii(input);
    case 'secrets':
      return evalSecrets(input);
    case 'leak':
      return evalLeak(input);
  }
}

/** `rampart guard eval <kind> --input F`. */
export async function guard(argv: string[]): Promise<void> {
  const { values, positionals } = parseFlags(argv, {
    input: { type: 'string' },
    threshold: { type: 'string' },
  });
  const [action, kind] = positionals;
  if (action !== 'eval') throw new UsageError(`guard needs "eval"\n\n${GUARD_HELP}`);
  if (!KINDS.includes(kind as Kind)) {
    throw new UsageError(`guard eval needs one of ${KINDS.join(', ')}\n\n${GUARD_HELP}`);
  }
  if (!values.input) throw new UsageError('guard eval needs --input FILE');
  try {
    const summary = await evaluate(kind as Kind, values.input, threshold(values.threshold));
    console.log(JSON.stringify(summary));
  } catch (error) {
    // A file that cannot be read or parsed is the caller's to fix: one clear line.
    if (isRampartError(error, 'RAMPART_INVALID_REQUEST')) throw new UsageError(error.message);
    throw error;
  }
}

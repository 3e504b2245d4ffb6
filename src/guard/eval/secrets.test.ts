import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evalSecrets } from './secrets.js';

const SAMPLE = fileURLToPath(new URL('../redact/fixtures/secrets-sample.jsonl', import.meta.url));

describe('evalSecrets', () => {
  it('counts rows with a secret finding against their labels', async () => {
    const summary = await evalSecrets(SAMPLE);
    // Three keys found; a placeholder, a short prefix and a phone number (not a secret) are not.
    expect({ tp: summary.tp, fp: summary.fp, tn: summary.tn, fn: summary.fn }).toEqual({
      tp: 3,
      fp: 0,
      tn: 3,
      fn: 0,
    });
    expect(summary.precision).toBe(1);
    expect(summary.recall).toBe(1);
    expect(summary.fpr).toBe(0);
  });
});

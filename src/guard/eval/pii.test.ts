import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evalPii } from './pii.js';

const SAMPLE = fileURLToPath(new URL('../redact/fixtures/pii-sample.json', import.meta.url));

describe('evalPii', () => {
  it('scores structured spans, records and leaked characters on a small sample', async () => {
    const summary = await evalPii(SAMPLE);
    // Card, email, SSN and phone are found; the IP in a record without gold spans is a false positive.
    expect(summary.structured).toEqual({
      precision: 0.8,
      recall: 1,
      f1: 0.8889,
      tp: 4,
      fp: 1,
      fn: 0,
    });
    expect(summary.precision).toBe(0.8);
    expect(summary.recall).toBe(1);
    expect(summary.tn).toBe(1);
    expect(summary.fpr).toBe(0.5);
    expect(summary.charsTotal).toBe(16 + 15 + 11 + 8);
    expect(summary.charsLeaked).toBe(0);
    expect(summary.perEntity.CREDIT_CARD).toEqual({
      precision: 1,
      recall: 1,
      support: 1,
      supported: true,
    });
    expect(summary.perEntity.IP_ADDRESS).toEqual({
      precision: 0,
      recall: 0,
      support: 0,
      supported: true,
    });
    expect(summary.perEntity.PERSON).toEqual({
      precision: 0,
      recall: 0,
      support: 1,
      supported: false,
    });
    expect(summary.p50_us).toBeGreaterThan(0);
  });

  it('rejects a file that is not a list of records', async () => {
    const notAList = fileURLToPath(
      new URL('../redact/fixtures/secrets-sample.jsonl', import.meta.url),
    );
    await expect(evalPii(notAList)).rejects.toThrow();
  });
});

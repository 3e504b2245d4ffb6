import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createInjectionDetector } from './index.js';
import { loadAttacks, type AttackRow } from './test-support/attack-rows.js';
import { OBFUSCATIONS } from './test-support/obfuscate.js';

// The shared datasets sit beside the repository in CI; this test must fail, not skip, without
// them, or a missing folder would pass as "no recall lost".
const DATASETS = new URL('../../../../shared/datasets/', import.meta.url);

function recall(rows: readonly AttackRow[], change: (text: string) => string): number {
  const detector = createInjectionDetector();
  const caught = rows.filter((row) => detector.check(change(row.text), row.source).attack);
  return caught.length / rows.length;
}

describe('every development attack under each obfuscation', () => {
  it('finds the shared datasets', () => {
    expect(existsSync(fileURLToPath(DATASETS)), fileURLToPath(DATASETS)).toBe(true);
  });

  const attacks = existsSync(fileURLToPath(DATASETS)) ? loadAttacks(DATASETS) : [];
  const plain = attacks.length === 0 ? 0 : recall(attacks, (text) => text);

  it('loads all the attack sets', () => {
    expect(attacks.length).toBeGreaterThan(800);
    expect(plain).toBeGreaterThan(0.8);
  });

  for (const [name, obfuscate] of Object.entries(OBFUSCATIONS)) {
    it(`loses no recall when attacks are ${name}`, { timeout: 120_000 }, () => {
      expect(attacks.length).toBeGreaterThan(0);
      expect(recall(attacks, obfuscate)).toBeGreaterThanOrEqual(plain);
    });
  }
});

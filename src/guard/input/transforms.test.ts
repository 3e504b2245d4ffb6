import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createInjectionDetector } from './index.js';
import { loadAttacks, type AttackRow } from './test-support/attack-rows.js';
import { OBFUSCATIONS } from './test-support/obfuscate.js';

/**
 * The shared development datasets: `RAMPART_DATASETS`, or `shared/datasets` beside the
 * repository. Where neither exists, the attacks written for this project still run every
 * obfuscation below; the dataset runs are skipped and say so.
 */
const DATASETS = process.env.RAMPART_DATASETS
  ? new URL(`file://${process.env.RAMPART_DATASETS.replace(/\/?$/, '/')}`)
  : new URL('../../../../shared/datasets/', import.meta.url);
const HAVE_DATASETS = existsSync(fileURLToPath(DATASETS));

const OWN_ATTACKS: AttackRow[] = readFileSync(
  new URL('fixtures/own-attacks.txt', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((text) => ({ set: 'own', text, source: 'user' }));

function recall(rows: readonly AttackRow[], change: (text: string) => string): number {
  const detector = createInjectionDetector();
  const caught = rows.filter((row) => detector.check(change(row.text), row.source).attack);
  return caught.length / rows.length;
}

function describeObfuscations(name: string, load: () => AttackRow[], minimum: number) {
  describe(name, () => {
    const attacks = load();
    const plain = attacks.length === 0 ? 0 : recall(attacks, (text) => text);

    it('loads the attacks, and catches them plain', () => {
      expect(attacks.length).toBeGreaterThan(0);
      expect(plain).toBeGreaterThanOrEqual(minimum);
    });

    for (const [transform, obfuscate] of Object.entries(OBFUSCATIONS)) {
      it(`loses no recall when attacks are ${transform}`, { timeout: 120_000 }, () => {
        expect(recall(attacks, obfuscate)).toBeGreaterThanOrEqual(plain);
      });
    }
  });
}

describeObfuscations(
  'the attacks written for this project, under each obfuscation',
  () => OWN_ATTACKS,
  // Written after the model was trained and never trained on: 30 of the 40 are caught plain.
  0.75,
);

if (HAVE_DATASETS) {
  describeObfuscations(
    'every development attack of the shared datasets, under each obfuscation',
    () => loadAttacks(DATASETS),
    0.8,
  );
} else {
  describe.skip(`every development attack of the shared datasets (not found at ${fileURLToPath(DATASETS)}; set RAMPART_DATASETS)`, () => {
    it('needs the datasets', () => undefined);
  });
}

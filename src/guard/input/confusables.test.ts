import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONFUSABLES, mapConfusables } from './confusables.js';

const TABLE = new Map(CONFUSABLES);

/** The fold as its definition says: each look-alike letter replaced, everything else kept. */
function reference(text: string): string {
  let out = '';
  for (let index = 0; index < text.length; index++) {
    const unit = text.charAt(index);
    out += TABLE.get(unit) ?? unit;
  }
  return out;
}

const POOL = [
  ...CONFUSABLES.map(([from]) => from),
  ...'abcxyz Жзщыюя éüß中の',
  '\uD800',
  '\uDC00',
  '\uD83D\uDE00',
  '\uDB40\uDC69',
];

describe('mapConfusables', () => {
  it('replaces every look-alike and keeps every other unit, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...POOL), { maxLength: 60 }), (units) => {
        const text = units.join('');
        expect(mapConfusables(text)).toBe(reference(text));
      }),
      { numRuns: 3_000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        expect(mapConfusables(text)).toBe(reference(text));
      }),
      { numRuns: 3_000 },
    );
  });

  it('folds texts longer than one chunk of codes whole', () => {
    const text = 'іgnоrе '.repeat(5_000);
    expect(text.length).toBeGreaterThan(20_000);
    expect(mapConfusables(text)).toBe('ignore '.repeat(5_000));
  });

  it('returns the text itself when nothing in it looks alike', () => {
    const text = 'бдж злп щыю, 中の'.repeat(10);
    expect(mapConfusables(text)).toBe(text);
  });
});

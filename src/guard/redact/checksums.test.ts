import { describe, expect, it } from 'vitest';
import { entropy, ibanLength, ibanValid, luhnValid, ssnValid } from './checksums.js';
import { breakLuhn, ibanFor, withLuhnDigit } from './test-support/fake-values.js';

describe('luhnValid', () => {
  it('accepts numbers completed with their check digit and rejects a changed digit', () => {
    for (const partial of ['400000123456789', '37828224631000', '601100099990139']) {
      const valid = withLuhnDigit(partial);
      expect(luhnValid(valid)).toBe(true);
      expect(luhnValid(breakLuhn(valid))).toBe(false);
    }
  });

  it('rejects anything that is not all digits', () => {
    expect(luhnValid('4000 0012 3456 7899')).toBe(false);
  });
});

describe('ibanValid', () => {
  it('accepts computed check digits for several countries', () => {
    expect(ibanValid(ibanFor('DE', '370400440532013000'))).toBe(true);
    expect(ibanValid(ibanFor('GB', 'TEST12345612345678'))).toBe(true);
    expect(ibanValid(ibanFor('FR', '20041010050500013M02606'))).toBe(true);
    expect(ibanValid(ibanFor('DE', '370400440532013000').toLowerCase())).toBe(true);
  });

  it('rejects wrong check digits, wrong lengths and unknown countries', () => {
    const valid = ibanFor('DE', '370400440532013000');
    const wrongCheck = `${valid.slice(0, 2)}${valid[2] === '9' ? '1' : '9'}${valid.slice(3)}`;
    expect(ibanValid(wrongCheck)).toBe(false);
    expect(ibanValid(ibanFor('DE', '37040044053201300'))).toBe(false);
    expect(ibanValid(ibanFor('QQ', '370400440532013000'))).toBe(false);
    expect(ibanLength('GB')).toBe(22);
  });
});

describe('ssnValid', () => {
  it('applies the SSA area, group and serial rules', () => {
    expect(ssnValid('219', '09', '9999')).toBe(true);
    expect(ssnValid('000', '12', '3456')).toBe(false);
    expect(ssnValid('666', '12', '3456')).toBe(false);
    expect(ssnValid('901', '12', '3456')).toBe(false);
    expect(ssnValid('219', '00', '3456')).toBe(false);
    expect(ssnValid('219', '09', '0000')).toBe(false);
  });
});

describe('entropy', () => {
  it('is 0 for one repeated character and 1 for two equally frequent ones', () => {
    expect(entropy('aaaa')).toBe(0);
    expect(entropy('abab')).toBe(1);
  });
});

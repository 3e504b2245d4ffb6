import { describe, expect, it } from 'vitest';
import { findSensitive } from './redact-text.js';
import { withLuhnDigit } from './test-support/fake-values.js';

function phones(text: string): string[] {
  return findSensitive(text)
    .filter((finding) => finding.type === 'phone')
    .map((finding) => text.slice(finding.start, finding.end));
}

describe('phone numbers', () => {
  it.each([
    ['(555) 014-2398', 'NANP with parentheses'],
    ['555-014-2398', 'NANP with dashes'],
    ['555.014.2398', 'NANP with dots'],
    ['+1 555-014-2398', 'NANP with +1'],
    ['555-014-2398 ext. 12', 'NANP with an extension'],
    ['(898)666-3621x0135', 'NANP with x extension'],
    ['001-518-640-0854', 'NANP dialled from abroad'],
    ['+447700900123', 'E.164'],
    ['+41 (0)38 549 02 90', 'international with trunk digit'],
    ['020 7946 0958', 'national with trunk 0'],
    ['01.84.17.61.18', 'national in pairs'],
  ])('finds %s (%s) anywhere', (number) => {
    expect(phones(`reached at ${number}, thanks`)).toEqual([number]);
  });

  it('reads no-break and thin spaces between groups as spaces, the area code included', () => {
    expect(phones('Phone: (555)\u00a0014-2398 now')).toEqual(['(555)\u00a0014-2398']);
    expect(phones('call +33\u00a01\u00a023\u00a045\u00a067\u00a089 today')).toEqual([
      '+33\u00a01\u00a023\u00a045\u00a067\u00a089',
    ]);
    expect(phones('reached at 020\u202f7946\u202f0958, thanks')).toEqual([
      '020\u202f7946\u202f0958',
    ]);
  });

  it('takes bare digit groups only near a phone word or label', () => {
    expect(phones('Phone:\n467 3395\n')).toEqual(['467 3395']);
    expect(phones('Can someone call me on 9472 7916? thanks')).toEqual(['9472 7916']);
    expect(phones('416 60 039 office\n')).toEqual(['416 60 039']);
    expect(phones('we sold 467 3395 units')).toEqual([]);
  });

  it('ignores dates, versions, plain numbers and card numbers', () => {
    const card = withLuhnDigit('400000123456789');
    const text = `on 2024-03-05, version 10.2.3, total 1234567, card ${card}, at 12:30:45`;
    expect(phones(text)).toEqual([]);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasIbanStart } from './pii-detectors.js';
import { HeldReading } from './held-reading.js';
import { phoneDetector } from './phone-detector.js';
import { cardDetector, EMAIL, emailDetector, ibanDetector, ssnDetector } from './pii-detectors.js';
import { profileOf } from './profile.js';
import { eachMatch, eachMatchInRuns } from './regex-scan.js';
import { structuredSecretDetector } from './secret-detectors.js';

// Detectors skip text that lacks a part every match holds. Each test below compares such a
// shortcut with the plain search it replaces, over texts built to sit on its edges.

function spans(collect: (visit: (match: RegExpExecArray) => void) => void): string[] {
  const found: string[] = [];
  collect((match) => found.push(`${match.index}:${match[0]}`));
  return found;
}

const EMAIL_PARTS = ['a', 'ada', 'x'.repeat(63), 'b'.repeat(64), '@', '.', 'example', 'org'];
const EMAILS = ['ada@example.org', `${'x'.repeat(60)}@example.org`, `${'b'.repeat(64)}@ex.org`];
const emailText = fc
  .array(
    fc.oneof(
      fc.constantFrom(...EMAIL_PARTS, ' ', '-', '%', '+', 'https://u:p', '/'),
      fc.constantFrom(...EMAILS),
    ),
    {
      maxLength: 16,
    },
  )
  .map((parts) => parts.join(''));

describe('email search around each @', () => {
  it('finds what a search of the whole text finds', () => {
    fc.assert(
      fc.property(emailText, fc.nat({ max: 200 }), (text, start) => {
        const from = Math.min(start, text.length);
        const expected = spans((visit) => eachMatch(EMAIL, text, from, visit));
        const candidates = emailDetector.scan({ text, from });
        expect(
          candidates.map((found) => `${found.start}:${text.slice(found.start, found.end)}`),
        ).toEqual(expected);
      }),
      { numRuns: 1500 },
    );
  });

  it('takes a 64-character local part and no longer one', () => {
    const longest = `${'b'.repeat(64)}@example.org`;
    expect(emailDetector.scan({ text: `mail ${longest} now`, from: 0 })).toHaveLength(1);
    const tooLong = `${'b'.repeat(65)}@example.org`;
    expect(emailDetector.scan({ text: `mail ${tooLong} now`, from: 0 })).toHaveLength(0);
  });

  it('still tells a URL password from an address, with and without a scheme in reach', () => {
    const inUrl = emailDetector.scan({ text: 'postgres://app:pw@db.example.org/x', from: 0 });
    expect(inUrl.map((found) => found.valid)).toEqual([false]);
    const far = `https://example.org/${'p'.repeat(150)} then ada@example.org`;
    expect(emailDetector.scan({ text: far, from: 0 }).map((found) => found.valid)).toEqual([true]);
  });
});

describe('runs searched only when they hold a needed part', () => {
  const PATTERN = /(?<![\w-])eyJ[\w-]{3,20}\.[\w-]{0,5}(?![\w-])/g;
  const runText = fc
    .array(
      fc.constantFrom('eyJ', 'abc', 'ey', 'J', '.', '-', ' ', ',', 'x'.repeat(12), '.eyJabcd.'),
      {
        maxLength: 20,
      },
    )
    .map((parts) => parts.join(''));

  it('gives the same matches as searching every run', () => {
    fc.assert(
      fc.property(runText, fc.nat({ max: 100 }), (text, start) => {
        const input = { text, from: Math.min(start, text.length), minLength: 7 };
        const every = spans((visit) => eachMatchInRuns(PATTERN, input, visit));
        const needed = spans((visit) =>
          eachMatchInRuns(PATTERN, { ...input, needs: 'eyJ' }, visit),
        );
        expect(needed).toEqual(every);
      }),
      { numRuns: 1500 },
    );
  });

  it('still finds JWTs, base64 key blocks and URL passwords', () => {
    const jwt = `eyJ${'a'.repeat(16)}.eyJ${'b'.repeat(16)}.${'c'.repeat(10)}`;
    const pem = `LS0tLS1CRUdJTi${'Q'.repeat(60)}`;
    const text = `a ${jwt} b ${pem} c postgres://app:Corr3ctHorse99@db.internal/x`;
    const rules = structuredSecretDetector.scan({ text, from: 0 }).map((found) => found.rule);
    expect(rules).toEqual(['jwt', 'base64-private-key', 'url-credentials']);
  });
});

describe('the IBAN start test', () => {
  it('agrees with two letters and two digits found by a regular expression', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9 éß_-]{0,12}$/), (text) => {
        expect(hasIbanStart(text)).toBe(/[A-Za-z]{2}\d\d/.test(text));
      }),
      { numRuns: 3000 },
    );
    expect(ibanDetector.mayMatch(profileOf('account DE89 3704', false))).toBe(true);
    expect(ibanDetector.mayMatch(profileOf('account D 89 3704', false))).toBe(false);
  });
});

describe('the digit groups test', () => {
  const DIGIT_PARTS = ['7', '12', '555', '4000', '1234567', '+', '(', ')', ' ', '  ', '.', '-'];
  const SEPARATORS = ['\u00a0', '\u2007', '\u2009', '\u202f', '\u2010', '\u2013', '\t', '/'];
  const digitText = fc
    .array(fc.constantFrom(...DIGIT_PARTS, ...SEPARATORS, 'a', 'x', 'ext', 'SSN ', 'card '), {
      maxLength: 24,
    })
    .map((parts) => parts.join(''));

  it('is true of every text in which a phone, card or SSN pattern finds a match', () => {
    fc.assert(
      fc.property(digitText, (text) => {
        const profile = profileOf(text, false);
        const reading = new HeldReading();
        reading.read(text);
        expect(reading.digitGroups).toBe(profile.digitGroups);
        if (profile.digitGroups) return;
        for (const detector of [phoneDetector, cardDetector, ssnDetector])
          expect(detector.scan({ text, from: 0 })).toEqual([]);
      }),
      { numRuns: 5000 },
    );
  });

  it('tells prose numbers from grouped ones', () => {
    expect(profileOf('in 2025 and 1999, then 42 more', false).digitGroups).toBe(false);
    for (const text of ['call 555-0142', '+1(555)', '4000  0012', 'id 1234567', 'at 3\u00a01'])
      expect(profileOf(text, false).digitGroups, text).toBe(true);
  });
});

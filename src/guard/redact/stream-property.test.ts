import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitAt, streamProblem } from './test-support/stream.js';
import {
  BASE62,
  fakeChars,
  groupsOfFour,
  ibanFor,
  withLuhnDigit,
} from './test-support/fake-values.js';

const CARD = withLuhnDigit('400000123456789');
const FRAGMENTS = [
  CARD,
  CARD.replace(/(\d{4})(?=\d)/g, '$1 '),
  '219-09-9999',
  'SSN 219099999',
  groupsOfFour(ibanFor('DE', '370400440532013000')),
  ibanFor('GB', 'TEST12345612345678'),
  'ada.example@example.org',
  '(555) 014-2398 ext. 12',
  '+41 (0)38 549 02 90',
  'Phone: 467 3395',
  '416 60 039 office',
  '203.0.113.77',
  'fe80::1ff:fe23:4567:890a',
  'sk-ant-api03-TESTONLY000000',
  `ghp_${fakeChars(36, BASE62)}`,
  `AKIA${fakeChars(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
  'postgres://app:Corr3ctHorse99@db:5432/x',
  'password = "q8ZxT4mW2pL7"',
  `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.${fakeChars(20, BASE62)}`,
  '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----',
  '-----BEGIN EC PRIVATE KEY-----\nunterminated',
  "password = 'open sesame'",
  "jwtsecret: '7`D\"}/vY;W\\5]E'",
  "buildConfigField 'String', 'API_KEY', '\"9f1bc38d2b9c\"'",
  "the password for user 'deploy' is 'tulip'",
  'REACT_APP_API_USER=marlow',
  'service.key = "Zq81mXv0Lp2Rk7Tq"',
  "login('ops', 'hunter 2')",
  'Bearer abc',
  'api_key',
  ' = ',
  'pass',
  'Project Nightingale',
  'the quick brown fox',
  'version 2.4.1 on 2024-03-05 at 12:30:45',
  `${CARD.replace(/(\d{4})(?=\d)/g, '$1 ')} 08/27`,
  CARD.replace(/(\d{4})(?=\d)/g, '$1\u00a0'),
  CARD.replace(/(\d{4})(?=\d)/g, '$1\t'),
  CARD.replace(/(\d{4})(?=\d)/g, '$1\u2013'),
  `ref 12 ${CARD.replace(/(\d{4})(?=\d)/g, '$1 ')}`,
  '1234 5678 1234 5678 1234 5678 1234',
  'SSN 219-09-9999 1990',
  'Phone: (555)\u00a0014-2398',
  'SSN 219\u00a009\u00a09999',
  'müller@firma.de',
  'info@münchen.de',
  'inet addr:192.168.1.10',
  '::ffff:192.0.2.128',
  '**Password:** Tr0ub4dor3',
  '**api_key**: `Tr0ub4dor3`',
  'the password is Xk9#fT2q. ',
  groupsOfFour(ibanFor('DE', '370400440532013000')).replace(/ /g, '-'),
  groupsOfFour(ibanFor('DE', '370400440532013000')).replace(/ /g, '\u00a0'),
  'password is required.',
  '| Password | Xk9#fT2q |',
  '| Passphrase | `Xk9#fT2q horse staple` |',
  '|Password|Tr0ub4dor3 correct  horse',
  '| password | string |',
];
const PIECES = [
  ' ',
  ' ',
  '\n',
  '-',
  '.',
  ',',
  ':',
  '=',
  '"',
  '(',
  ')',
  '+',
  'x',
  '@',
  '/',
  '0',
  '7',
  'sk-',
  '-----',
  "'",
  '`',
  ', ',
];

const textArbitrary = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...FRAGMENTS) },
      { weight: 4, arbitrary: fc.constantFrom(...PIECES) },
      { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
    ),
    { maxLength: 14 },
  )
  .map((parts) => parts.join(''));

const caseArbitrary = textArbitrary.chain((text) =>
  fc.record({
    text: fc.constant(text),
    offsets: fc.array(fc.nat({ max: text.length }), { maxLength: 12 }),
  }),
);

const OPTIONS = {
  literals: [{ value: 'Project Nightingale', label: 'codename' }],
  exempt: ['ada.example@example.org'],
};

// Runs without a break, longer than the stream reads per piece (see `#growRun`), values inside.
const longRunArbitrary = fc
  .array(
    fc.oneof(
      fc.constantFrom(...FRAGMENTS.filter((fragment) => !/[\s"'`,;<>(){}|\\]/.test(fragment))),
      fc.constantFrom('x', '4-', '1.', '=', ':', '&', '/', 'key', 'pass', '@', 'sk-', '-----'),
      fc.string({ unit: fc.constantFrom('a', '0', '-', '.', '_'), maxLength: 40 }),
    ),
    { minLength: 8, maxLength: 60 },
  )
  .map((parts) => `${parts.join('')} end`);

// Digit groups, brackets, plus signs and separators glued into chains longer than the number
// rule reaches back (80 characters), with phone numbers inside them.
const numberChainArbitrary = fc
  .array(
    fc.constantFrom(
      '(555) 014-2398',
      '+41 (0)38 549 02 90',
      '4000 0012 3456 7899',
      '219-09-9999',
      '(0)',
      '+1 ',
      '((',
      ')',
      '+',
      ' ',
      '-',
      '.',
      '44',
      '5551',
      'x',
      'ext ',
    ),
    { minLength: 6, maxLength: 30 },
  )
  .map((parts) => parts.join(''));

describe('streaming invariant', () => {
  it('holds for number chains longer than the number rule reaches, cut anywhere', () => {
    fc.assert(
      fc.property(numberChainArbitrary, fc.nat(), (text, seed) => {
        const cut = seed % (text.length + 1);
        expect(streamProblem([text.slice(0, cut), text.slice(cut)])).toBeNull();
        expect(streamProblem([...text])).toBeNull();
      }),
      { numRuns: 400 },
    );
  });

  it('holds for long runs without a break, in pieces of every size', () => {
    fc.assert(
      fc.property(longRunArbitrary, fc.integer({ min: 1, max: 9 }), (text, size) => {
        const pieces: string[] = [];
        for (let at = 0; at < text.length; at += size) pieces.push(text.slice(at, at + size));
        expect(streamProblem(pieces)).toBeNull();
        expect(streamProblem([...text])).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it('joined stream output equals redactText and is never released ahead of it (defaults)', () => {
    fc.assert(
      fc.property(caseArbitrary, ({ text, offsets }) => {
        expect(streamProblem(splitAt(text, offsets))).toBeNull();
      }),
      { numRuns: 600 },
    );
  });

  it('holds with literals and exemptions too', () => {
    fc.assert(
      fc.property(caseArbitrary, ({ text, offsets }) => {
        expect(streamProblem(splitAt(text, offsets), OPTIONS)).toBeNull();
      }),
      { numRuns: 400 },
    );
  });

  it('holds for 1-character deltas', () => {
    fc.assert(
      fc.property(textArbitrary, (text) => {
        expect(streamProblem([...text])).toBeNull();
      }),
      { numRuns: 200 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactText } from './redact-text.js';
import { StreamRedactor } from './stream-redactor.js';
import { groupsOfFour, ibanFor, withLuhnDigit } from './test-support/fake-values.js';
import { runStream, splitAt, streamProblem } from './test-support/stream.js';

// Prose with short numbers skips the scan when nothing can match yet. These tests put the start
// of a value in such a piece and its rest in later ones, so a value whose head went out through
// that path would show as a leak.

const CARD = withLuhnDigit('400000123456789');

/** Plain prose with a short number before `value`, the value cut at `cut`, prose after. */
function around(value: string, cut: number): string[] {
  return [
    `Order 12 of 3 `,
    `items and the 2 boxes, ${value.slice(0, cut)}`,
    `${value.slice(cut)} ok.`,
  ];
}

describe('prose with short numbers', () => {
  it('releases short numbers in prose at once and holds only what may grow', () => {
    const redactor = new StreamRedactor();
    expect(redactor.push('The 3 servers and ')).toBe('The 3 servers and ');
    expect(redactor.held).toBe(0);
    expect(redactor.push('2025 tokens in 12')).toBe('2025 tokens in ');
    expect(redactor.held).toBe(2);
    expect(redactor.push(' ways.') + redactor.flush()).toBe('12 ways.');
  });

  const values: [string, string][] = [
    ['card', CARD.replace(/(\d{4})(?=\d)/g, '$1 ')],
    ['card', CARD],
    ['ssn', '219-09-9999'],
    ['ssn', 'SSN 219099999'],
    ['phone', '555 014 2398 office'],
    ['phone', '(555) 014-2398'],
    ['phone', '+44 20 7946 0958'],
    ['ip', '203.0.113.77'],
    ['iban', groupsOfFour(ibanFor('DE', '370400440532013000'))],
    ['secret', 'Token 9f8e7d6c5b4a39281726'],
    ['secret', 'Bearer 4d9f8e7d6c5b4a39281726'],
  ];

  for (const [type, value] of values) {
    it(`catches a ${type} whose head arrives in a numbered piece (${value})`, () => {
      for (let cut = 0; cut <= value.length; cut++) {
        const deltas = around(value, cut);
        const expected = redactText(deltas.join('')).text;
        expect(expected).toContain(`[REDACTED:${type}]`);
        expect(streamProblem(deltas)).toBeNull();
      }
    });
  }

  it('catches a number that grows across many small numbered pieces', () => {
    const text = `Call me at 555 014 2398 or pay with ${CARD} today.`;
    for (let size = 1; size <= 12; size++) {
      const offsets = Array.from({ length: Math.ceil(text.length / size) }, (_, i) => i * size);
      expect(streamProblem(splitAt(text, offsets))).toBeNull();
    }
    expect(runStream([...text]).output).toBe(redactText(text).text);
  });
});

const WORDS = ['the', 'and', 'of', 'value', 'server', 'token', 'Token', 'Bearer', 'ext', 'x'];
const NUMBERS = ['1', '12', '203', '2025', '0', '555', '014', '2398', '4000', '0012', '99'];
const GLUE = [' ', ' ', ', ', '. ', '-', '.', '\n', ' (', ') ', '+'];

const proseArbitrary = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...WORDS) },
      { weight: 4, arbitrary: fc.constantFrom(...NUMBERS) },
      { weight: 5, arbitrary: fc.constantFrom(...GLUE) },
      { weight: 1, arbitrary: fc.constantFrom(CARD, '219-09-9999', '203.0.113.77', 'SSN') },
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

describe('streaming invariant over prose with numbers', () => {
  it('never releases ahead of redactText, whatever the cuts', () => {
    fc.assert(
      fc.property(
        proseArbitrary.chain((text) =>
          fc.record({
            text: fc.constant(text),
            offsets: fc.array(fc.nat({ max: text.length }), { maxLength: 16 }),
          }),
        ),
        ({ text, offsets }) => {
          expect(streamProblem(splitAt(text, offsets))).toBeNull();
        },
      ),
      { numRuns: 800 },
    );
  });

  it('holds for 1-character deltas', () => {
    fc.assert(
      fc.property(proseArbitrary, (text) => {
        expect(streamProblem([...text])).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});

// Gate triggers whose name is not in the held text are dropped without reading the released
// text; these pieces put the name and its operator or quote on either side of a cut.
const CODE_PARTS = [
  '```js\n',
  '\n```\n',
  'const total = items.reduce((sum, item) => sum + item.price, 0);',
  'api_key',
  'password',
  'secret',
  ' = ',
  ' : ',
  ' != ',
  '"q8ZxT4mW2pL7vN3rK9sD5fH1"',
  "'open sesame'",
  '`tok3n-Value-99`',
  ', ',
  ' is ',
  '=> ',
  ' ',
  '\n',
];

describe('streaming invariant over code with credential assignments', () => {
  it('never releases ahead of redactText, whatever the cuts', () => {
    const codeArbitrary = fc
      .array(fc.constantFrom(...CODE_PARTS), { maxLength: 14 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(
        codeArbitrary.chain((text) =>
          fc.record({
            text: fc.constant(text),
            offsets: fc.array(fc.nat({ max: text.length }), { maxLength: 16 }),
          }),
        ),
        ({ text, offsets }) => {
          expect(streamProblem(splitAt(text, offsets))).toBeNull();
        },
      ),
      { numRuns: 800 },
    );
  });

  it('redacts a value whose name was released before its operator arrived', () => {
    const deltas = ['const api_key ', '= q8ZxT4mW2pL7;'];
    expect(runStream(deltas).output).toBe('const api_key = [REDACTED:secret];');
    expect(streamProblem(['say password', ' is ', "'tulip'", ' ok'])).toBeNull();
  });
});

// A held token may end in `p`, `pa`, `pas` or a dash; the piece after it is read across the cut
// for the `pass` or flag the two may complete, and otherwise released as plain prose.
describe('held tokens that end in the start of a trigger', () => {
  it('release the plain prose after them at once', () => {
    const redactor = new StreamRedactor();
    expect(redactor.push('a deep')).toBe('a ');
    expect(redactor.push(' step and ')).toBe('deep step and ');
    expect(redactor.held).toBe(0);
  });

  const completed: [string, string][] = [
    ['the p', 'assword is hunter22x.'],
    ['the pA', 'Ssword is hunter22x.'],
    ['the pas', 'sword is hunter22x.'],
    ['run with -', '-api-key q8ZxT4mW2pL7vN3rK9sD5fH1 now'],
  ];

  for (const [head, rest] of completed) {
    it(`find the trigger the next piece completes (${head}|${rest})`, () => {
      const deltas = [head, rest, ' ok'];
      expect(runStream(deltas).output).toContain('[REDACTED:secret]');
      expect(streamProblem(deltas)).toBeNull();
      expect(streamProblem([...deltas.join('')])).toBeNull();
    });
  }
});

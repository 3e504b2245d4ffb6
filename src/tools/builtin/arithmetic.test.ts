import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateExpression, MAX_EXPRESSION_LENGTH, MAX_NESTING_DEPTH } from './arithmetic.js';

function value(expression: string): number {
  const evaluation = evaluateExpression(expression);
  if (!evaluation.ok) throw new Error(`unexpected failure: ${evaluation.message}`);
  return evaluation.value;
}

function failure(expression: string): string {
  const evaluation = evaluateExpression(expression);
  if (evaluation.ok) throw new Error(`unexpected value ${evaluation.value}`);
  return evaluation.message;
}

describe('evaluateExpression: values', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3],
    ['100 / 10 / 5', 2],
    ['7 % 3', 1],
    ['-7 % 3', -1],
    ['2 ^ 3 ^ 2', 512],
    ['2 ** 10', 1024],
    ['-2 ^ 2', -4],
    ['(-2) ^ 2', 4],
    ['2 ^ -1', 0.5],
    ['--3', 3],
    ['+4 - -2', 6],
    ['3 * -2', -6],
    ['1.5e3 + .5', 1500.5],
    ['2E-2', 0.02],
    ['1.', 1],
    ['  42  ', 42],
    ['sqrt(16) + abs(-3)', 7],
    ['round(2.5) + floor(-1.5) + ceil(1.2)', 3 + -2 + 2],
    ['min(4, 2, 8) * max(1, 5)', 10],
    ['max(-1)', -1],
    ['ln(e)', 1],
    ['log(1000)', 3],
    ['exp(0)', 1],
    ['sin(0) + cos(0) + tan(0)', 1],
    ['2 * pi', 2 * Math.PI],
    ['PI + E', Math.PI + Math.E],
    ['sqrt(max(9, 16)) ^ 2', 16],
  ])('%s = %d', (expression, expected) => {
    expect(value(expression)).toBeCloseTo(expected, 12);
  });

  it('agrees with JavaScript arithmetic on random sums and products of integers', () => {
    const operand = fc.integer({ min: -1000, max: 1000 });
    fc.assert(
      fc.property(operand, operand, operand, (a, b, c) => {
        expect(value(`${a} + ${b} * (${c})`)).toBe(a + b * c);
        expect(value(`(${a} - ${b}) * ${c}`)).toBe((a - b) * c);
      }),
    );
  });
});

describe('evaluateExpression: errors', () => {
  it.each([
    ['1 / 0', 'Division by zero.'],
    ['5 % (2 - 2)', 'Division by zero.'],
    ['0 ^ -1', 'Division by zero.'],
    ['foo + 1', "Unknown name 'foo' at position 0; known names: pi, e, sqrt, abs, round,"],
    ['bar(2)', "Unknown name 'bar' at position 0"],
    ['1 +', 'The expression ends too early.'],
    ['', 'The expression is empty.'],
    ['   ', 'The expression is empty.'],
    ['(1 + 2', "Missing ')' at the end."],
    ['1 + 2)', "Unexpected ')' at position 5."],
    ['2 3', "Unexpected '3' at position 2."],
    ['1.2.3', 'Malformed number at position 0.'],
    ['2e', 'Malformed number at position 0.'],
    ['3x', 'Malformed number at position 0.'],
    ['1 $ 2', "Unexpected character '$' at position 2."],
    ['sqrt 4', "'sqrt' is a function; write sqrt(...)."],
    ['pi(2)', "'pi' is a constant, not a function."],
    ['sqrt(1, 2)', 'sqrt takes 1 argument, not 2.'],
    ['max()', 'max needs at least one argument.'],
    ['sqrt(-4)', 'sqrt of a negative number is not a real number.'],
    ['ln(0)', 'ln is defined only for positive numbers.'],
    ['log(-1)', 'log is defined only for positive numbers.'],
    ['(-8) ^ 0.5', 'The power has no real value.'],
    ['10 ^ 400', 'The result is too large.'],
    ['1e999', 'The number at position 0 is out of range.'],
    ['exp(1000)', 'The result is too large.'],
    ['min(1,)', "Unexpected ')' at position 6."],
  ])('%j fails with %j', (expression, message) => {
    expect(failure(expression).startsWith(message)).toBe(true);
  });

  it('refuses an expression over the length limit', () => {
    expect(failure('1+'.repeat(MAX_EXPRESSION_LENGTH))).toBe(
      `The expression is longer than ${MAX_EXPRESSION_LENGTH} characters.`,
    );
  });

  it('accepts nesting up to the limit and refuses it beyond', () => {
    const nest = (depth: number) => `${'('.repeat(depth)}1${')'.repeat(depth)}`;

    expect(value(nest(MAX_NESTING_DEPTH))).toBe(1);
    expect(failure(nest(MAX_NESTING_DEPTH + 1))).toBe(
      `The expression is nested deeper than ${MAX_NESTING_DEPTH} levels.`,
    );
    expect(failure('-'.repeat(400) + '1')).toMatch(/nested deeper/);
    expect(failure('2^'.repeat(300) + '1')).toMatch(/nested deeper/);
  });

  it('never throws and never evaluates code, whatever the text', () => {
    const alphabet = fc.constantFrom(...'0123456789.+-*/%^(),eE piqrtsxabc'.split(''));
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 60 }), (expression) => {
        const evaluation = evaluateExpression(expression);
        expect(evaluation.ok ? Number.isFinite(evaluation.value) : true).toBe(true);
      }),
    );
    expect(failure('process.exit(1)')).toMatch(/^Unexpected character '\.'|^Malformed/);
    expect(failure('constructor')).toMatch(/^Unknown name 'constructor'/);
    expect(failure('__proto__(1)')).toMatch(/^Unknown name '__proto__'/);
  });
});

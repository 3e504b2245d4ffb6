import { Ajv } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_ERROR_MESSAGE_CHARS } from './bounded-text.js';
import { checkToolArguments, MAX_ARGUMENT_CHARS } from './tool-arguments.js';

const ajv = new Ajv({ allErrors: true });
const requiresCity = ajv.compile({
  type: 'object',
  properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1 } },
  required: ['city'],
  additionalProperties: false,
});
const optionalOnly = ajv.compile({ type: 'object', properties: { verbose: { type: 'boolean' } } });

describe('checkToolArguments', () => {
  it('returns the parsed object when it matches the schema', () => {
    expect(checkToolArguments('{"city":"Oslo","days":3}', requiresCity)).toEqual({
      ok: true,
      value: { city: 'Oslo', days: 3 },
    });
  });

  it.each(['', '   ', '\n\t'])('reads %j as {} when the schema allows an empty object', (raw) => {
    expect(checkToolArguments(raw, optionalOnly)).toEqual({ ok: true, value: {} });
  });

  it('refuses empty arguments when the schema requires a property', () => {
    expect(checkToolArguments('', requiresCity)).toEqual({
      ok: false,
      message: "arguments do not match the schema: (root): missing required property 'city'",
    });
  });

  it('reports truncated JSON, as max_tokens leaves it, instead of treating it as {}', () => {
    const check = checkToolArguments('{"city": "Os', requiresCity);

    expect(check.ok).toBe(false);
    expect(!check.ok && check.message).toMatch(/^arguments are not valid JSON: /);
  });

  it('reports an invalid escape sequence as invalid JSON', () => {
    const check = checkToolArguments('{"city": "\\d+"}', requiresCity);
    expect(!check.ok && check.message).toMatch(/^arguments are not valid JSON: /);
  });

  it.each([
    ['[1,2]', 'an array'],
    ['"Oslo"', 'a string'],
    ['42', 'a number'],
    ['null', 'null'],
    ['true', 'a boolean'],
  ])('refuses %s, which is not an object', (raw, kind) => {
    expect(checkToolArguments(raw, optionalOnly)).toEqual({
      ok: false,
      message: `arguments must be a JSON object, not ${kind}`,
    });
  });

  it.each([
    ['{"city":"Oslo","__proto__":{"admin":true}}', '__proto__'],
    ['{"city":"Oslo","filter":{"deep":[{"__proto__":{"userId":"bob"}}]}}', '__proto__'],
    ['{"city":"Oslo","constructor":{"prototype":{"admin":true}}}', 'constructor'],
  ])('refuses arguments that could pollute a prototype: %s', (raw, key) => {
    expect(checkToolArguments(raw, optionalOnly)).toEqual({
      ok: false,
      message: `arguments may not hold a property named '${key}'`,
    });
  });

  it('takes a property named constructor that holds no prototype', () => {
    const raw = '{"city":"Oslo","constructor":"Brunel"}';
    expect(checkToolArguments(raw, optionalOnly)).toEqual({
      ok: true,
      value: { city: 'Oslo', constructor: 'Brunel' },
    });
  });

  it('lists every schema problem', () => {
    const check = checkToolArguments('{"days":0,"country":"NO"}', requiresCity);

    expect(check).toEqual({
      ok: false,
      message:
        "arguments do not match the schema: (root): missing required property 'city'; " +
        "(root): unexpected property 'country'; /days: must be >= 1",
    });
  });

  it('counts the problems it does not list', () => {
    const many = ajv.compile({ type: 'object', additionalProperties: false });
    const raw = JSON.stringify(
      Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, i])),
    );

    const check = checkToolArguments(raw, many);

    expect(!check.ok && check.message).toMatch(/'k7'; and 4 more$/);
  });

  it('bounds the message even for hostile property names', () => {
    const raw = JSON.stringify({ city: 'x', ['p'.repeat(50_000)]: 1 });

    const check = checkToolArguments(raw, requiresCity);

    expect(check.ok).toBe(false);
    expect(!check.ok && check.message.length).toBe(MAX_ERROR_MESSAGE_CHARS);
    expect(!check.ok && check.message.endsWith('…')).toBe(true);
  });

  it('refuses arguments over the size limit without parsing them', () => {
    const raw = `{"city":"${'a'.repeat(MAX_ARGUMENT_CHARS)}"}`;
    expect(checkToolArguments(raw, requiresCity)).toEqual({
      ok: false,
      message: `arguments are too long (${raw.length} characters)`,
    });
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string(), (raw) => {
        const check = checkToolArguments(raw, requiresCity);
        expect(check.ok || check.message.length <= MAX_ERROR_MESSAGE_CHARS).toBe(true);
      }),
    );
  });
});

describe('deeply nested arguments', () => {
  it('are refused as invalid instead of overflowing the stack later', () => {
    const validate = new Ajv().compile({ type: 'object' });
    const raw = `{"a":${'['.repeat(5_000)}${']'.repeat(5_000)}}`;
    const check = checkToolArguments(raw, validate);
    expect(check).toEqual({ ok: false, message: 'arguments are nested deeper than 64 levels' });
  });
});

import { describe, expect, it } from 'vitest';
import { redactArguments } from './argument-view.js';
import { outputEngines } from './engines.js';

const engines = outputEngines();
const settings = { types: ['card', 'iban', 'secret', 'email'], exempt: [] };
const redact = (text: string) => engines.redactText(text, settings).text;

describe('redactArguments', () => {
  it('redacts over the whole text when the JSON survives, keys included', () => {
    const args = '{"password": "hunter2-but-longer", "to": "ada@example.org", "amount": 5}';
    expect(JSON.parse(redactArguments(args, redact))).toEqual({
      password: '[REDACTED:secret]',
      to: '[REDACTED:email]',
      amount: 5,
    });
  });

  it('redacts value by value when a value was redacted to the end of the text', () => {
    const args = JSON.stringify({
      iban: '-----BEGIN PRIVATE KEY-----',
      amount: 99999,
      memo: ['for ada@example.org', 'ok'],
      nested: { note: '-----BEGIN RSA PRIVATE KEY-----\nMIIB' },
    });
    expect(redact(args)).not.toContain('99999');
    expect(JSON.parse(redactArguments(args, redact))).toEqual({
      iban: '[REDACTED:secret]',
      amount: 99999,
      memo: ['for [REDACTED:email]', 'ok'],
      nested: { note: '[REDACTED:secret]' },
    });
  });

  it('leaves arguments with nothing to redact as they are, byte for byte', () => {
    const args = '{ "order" : "o-1",\n "amount": 5 }';
    expect(redactArguments(args, redact)).toBe(args);
  });

  it('keeps the whole-text redaction of arguments that are not JSON', () => {
    const args = 'not json -----BEGIN PRIVATE KEY----- amount 5';
    expect(redactArguments(args, redact)).toBe(redact(args));
  });
});

import { describe, expect, it } from 'vitest';
import { redactArguments } from './argument-view.js';
import { outputEngines } from './engines.js';

const engines = outputEngines();
const settings = { types: ['card', 'iban', 'secret', 'email'], exempt: [] };
const redact = (text: string) => engines.redactText(text, settings).text;
const shown = (args: string) => JSON.parse(redactArguments(args, redact)) as unknown;

describe('redactArguments', () => {
  it('redacts each value after its name, as the patterns read it', () => {
    const args = '{"password": "hunter2-but-longer", "to": "ada@example.org", "amount": 5}';
    expect(shown(args)).toEqual({
      password: '[REDACTED:secret]',
      to: '[REDACTED:email]',
      amount: 5,
    });
  });

  it('keeps every other field in sight when a value is redacted to the end of its text', () => {
    const args = JSON.stringify({
      iban: '-----BEGIN PRIVATE KEY-----',
      amount: 99999,
      memo: ['for ada@example.org', 'ok'],
      nested: { note: '-----BEGIN RSA PRIVATE KEY-----\nMIIB' },
    });
    expect(redact(args)).not.toContain('99999');
    expect(shown(args)).toEqual({
      iban: '[REDACTED:secret]',
      amount: 99999,
      memo: ['for [REDACTED:email]', 'ok'],
      nested: { note: '[REDACTED:secret]' },
    });
  });

  it('does not let a key block run from one field to the next', () => {
    // Over the whole text this is one block from BEGIN to END, and still JSON: `to` and `amount`
    // went out of sight while the call ran with them.
    const args =
      '{"note":"-----BEGIN RSA PRIVATE KEY-----","amount":1000000,"to":"attacker-acct",' +
      '"memo":"-----END RSA PRIVATE KEY-----"}';
    expect(shown(args)).toEqual({
      note: '[REDACTED:secret]',
      amount: 1000000,
      to: 'attacker-acct',
      memo: '-----END RSA PRIVATE KEY-----',
    });
  });

  it('shows the value a name given twice runs with: the last', () => {
    const args = '{"to":"own-account","amount":10,"to":"attacker-acct","amount":999999}';
    expect(shown(args)).toEqual({ to: 'attacker-acct', amount: 999999 });
  });

  it('redacts a card written as a number, and secrets written as names', () => {
    expect(shown('{"card":4111111111111111,"amount":5}')).toEqual({
      card: '[REDACTED:card]',
      amount: 5,
    });
    const key = `sk-proj-${'A1b2C3d4'.repeat(6)}`;
    const other = `sk-proj-${'Z9y8X7w6'.repeat(6)}`;
    expect(shown(JSON.stringify({ [key]: 1, [other]: 2, plain: 3 }))).toEqual({
      '[REDACTED:secret]': 1,
      '[REDACTED:secret] (2)': 2,
      plain: 3,
    });
    // Digits a parse would change are not shown as if they were written.
    expect(shown('{"id":41111111111111111111}')).toEqual({ id: '[REDACTED:number]' });
  });

  it('writes the arguments as the JSON that runs, a __proto__ name kept as a name', () => {
    expect(redactArguments('{ "order" : "o-1",\n "amount": 5 }', redact)).toBe(
      '{"order":"o-1","amount":5}',
    );
    expect(redactArguments('{"__proto__":{"x":1}}', redact)).toBe('{"__proto__":{"x":1}}');
  });

  it('redacts arguments that are not JSON as text', () => {
    const args = 'not json -----BEGIN PRIVATE KEY----- amount 5';
    expect(redactArguments(args, redact)).toBe(redact(args));
  });
});

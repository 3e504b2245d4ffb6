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

  it('redacts the value of a sensitive name after that name, or whole when one finding spans both', () => {
    // Read without the name before it, the value was shown in clear.
    expect(shown('{"ada@example.org api_key": "hunter2abc12XY"}')).toEqual({
      '[REDACTED:email] api_key': '[REDACTED:secret]',
    });
    const body = `MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcw${'A'.repeat(40)}`;
    expect(shown(JSON.stringify({ '-----BEGIN PRIVATE KEY-----': body, amount: 5 }))).toEqual({
      '[REDACTED:secret]': '[REDACTED:secret]',
      amount: 5,
    });
  });

  it('reads an array of plain values as the text it is: a name and value side by side, key lines', () => {
    expect(shown('{"env": ["API_KEY", "s3cr3tValue12345"], "n": [1, 2]}')).toEqual({
      env: ['API_KEY', '[REDACTED:secret]'],
      n: [1, 2],
    });
    const lines = [
      '-----BEGIN PRIVATE KEY-----',
      'MIIEvQIBADANBgkqhkiG9w0B',
      '-----END PRIVATE KEY-----',
    ];
    const view = JSON.stringify(shown(JSON.stringify({ pem: lines })));
    expect(view).not.toContain('MIIEvQ');
  });

  it('keeps a name the handler gets in its place when a redacted name reads alike', () => {
    const key = `sk-proj-${'A1b2C3d4'.repeat(6)}`;
    const view = shown(JSON.stringify({ [key]: 'x', '[REDACTED:secret]': 'y' }));
    expect(view).toEqual({ '[REDACTED:secret] (2)': 'x', '[REDACTED:secret]': 'y' });
  });

  it('shows the escapes of a value cut by a redaction as the characters they are', () => {
    const args = JSON.stringify({ memo: 'line1\nto: "ACME" -----BEGIN PRIVATE KEY-----' });
    expect(shown(args)).toEqual({ memo: 'line1\nto: "ACME" [REDACTED:secret]' });
  });

  it('redacts arguments nested deeper than a handler takes as text, without failing', () => {
    const deep = `{"a":${'['.repeat(5_000)}${']'.repeat(5_000)}}`;
    expect(redactArguments(deep, redact)).toBe(redact(deep));
    // Many names that redact alike are numbered in one pass each.
    const many = Object.fromEntries(
      Array.from({ length: 5_000 }, (_, index) => [`a${index}@x.org`, index]),
    );
    const view = shown(JSON.stringify(many)) as Record<string, number>;
    expect(Object.keys(view)).toHaveLength(5_000);
    expect(view['[REDACTED:email] (5000)']).toBe(4_999);
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

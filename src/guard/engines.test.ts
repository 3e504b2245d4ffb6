import { describe, expect, it } from 'vitest';
import { outputEngines } from './engines.js';

describe('outputEngines.redactText', () => {
  const engines = outputEngines();
  const text =
    'pay DE89 3704 0044 0532 0130 00 from 4111-1111-1111-1111 with sk-ant-api03-TESTONLY000000';
  const types = ['card', 'iban', 'secret'];

  it('redacts whole values by default', () => {
    expect(engines.redactText(text, { types, exempt: [] }).text).toBe(
      'pay [REDACTED:iban] from [REDACTED:card] with [REDACTED:secret]',
    );
  });

  it('keeps the last four characters of cards and IBANs in sight when asked, never of secrets', () => {
    expect(engines.redactText(text, { types, exempt: [], showLastFour: true }).text).toBe(
      'pay [REDACTED:iban DE89…3000] from [REDACTED:card …1111] with [REDACTED:secret]',
    );
  });

  it('tells apart two IBANs that end alike by their check digits', () => {
    const settings = { types, exempt: [], showLastFour: true };
    const first = engines.redactText('DE89370400440532013000', settings).text;
    const second = engines.redactText('DE92500105175407323000', settings).text;
    expect([first, second]).toEqual(['[REDACTED:iban DE89…3000]', '[REDACTED:iban DE92…3000]']);
  });
});

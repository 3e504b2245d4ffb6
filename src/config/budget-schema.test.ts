import { describe, expect, it } from 'vitest';
import { isRampartError } from '../core/errors.js';
import { loadConfig } from './load.js';

function failure(budgets: unknown, extra: Record<string, unknown> = {}): string {
  try {
    loadConfig({ object: { budgets, ...extra } });
  } catch (error) {
    if (isRampartError(error, 'RAMPART_CONFIG_INVALID')) return error.message;
    throw error;
  }
  throw new Error('expected the config to be refused');
}

describe('budgets config', () => {
  it('fills in the defaults', () => {
    const config = loadConfig({
      object: { budgets: { daily: { scope: 'user', window: 'day', cost: 5 } } },
    });
    expect(config.budgets.daily).toEqual({
      scope: 'user',
      window: 'day',
      cost: 5,
      timeZone: 'UTC',
      anchorDay: 1,
      warnAt: 0.8,
      onExhausted: 'message',
      message: 'I have reached my response limit for this session.',
    });
    expect(config.state.onFailure.budgets).toBe('fail-closed');
    expect(loadConfig({}).budgets).toEqual({});
  });

  it('refuses a budget that caps nothing', () => {
    expect(failure({ b: { scope: 'user', window: 'day' } })).toContain('set tokens, cost or both');
  });

  it('refuses an unknown time zone and out-of-range numbers', () => {
    const base = { scope: 'team', window: 'month', tokens: 10 };
    expect(failure({ b: { ...base, timeZone: 'Mars/Olympus' } })).toContain(
      'budgets.b.timeZone: unknown IANA time zone',
    );
    expect(failure({ b: { ...base, anchorDay: 32 } })).toContain('budgets.b.anchorDay');
    expect(failure({ b: { ...base, anchorDay: 0 } })).toContain('budgets.b.anchorDay');
    expect(failure({ b: { ...base, warnAt: 0 } })).toContain('budgets.b.warnAt');
    expect(failure({ b: { ...base, warnAt: 1.5 } })).toContain('budgets.b.warnAt');
    expect(failure({ b: { ...base, tokens: -1 } })).toContain('budgets.b.tokens');
    expect(failure({ b: { ...base, tokens: 1.5 } })).toContain('budgets.b.tokens');
    expect(failure({ b: { ...base, cost: 1e9 } })).toContain('budgets.b.cost');
    expect(failure({ b: { ...base, message: 'x'.repeat(2_001) } })).toContain('budgets.b.message');
  });

  it('refuses hostile names, unknown keys and a conversation window on another scope', () => {
    const base = { scope: 'user', window: 'day', tokens: 10 };
    expect(failure({ 'a b': base })).toContain('budgets');
    expect(failure({ ['x'.repeat(65)]: base })).toContain('budgets');
    expect(failure({ b: { ...base, scopes: 'user' } })).toContain('budgets.b');
    expect(failure({ b: { ...base, window: 'conversation' } })).toContain(
      'the conversation window needs the conversation scope',
    );
    expect(failure({ b: { ...base, appliesTo: { tiers: [] } } })).toContain(
      'budgets.b.appliesTo.tiers',
    );
    expect(failure({ b: { ...base, appliesTo: { groups: ['x'] } } })).toContain(
      'budgets.b.appliesTo',
    );
  });

  it('requires downgradeTo for a downgrade, naming a configured model', () => {
    const base = { scope: 'deployment', window: 'day', cost: 100, onExhausted: 'downgrade' };
    expect(failure({ b: base })).toContain('downgradeTo is required');
    expect(failure({ b: { ...base, downgradeTo: 'cheap' } })).toContain(
      'budgets.b.downgradeTo: unknown model "cheap" (known: rampart-sim-1)',
    );
    const config = loadConfig({
      object: { budgets: { b: { ...base, downgradeTo: 'rampart-sim-1' } } },
    });
    expect(config.budgets.b?.downgradeTo).toBe('rampart-sim-1');
  });

  it('allows only fail-closed while Redis is down', () => {
    expect(failure({}, { state: { onFailure: { budgets: 'local' } } })).toContain(
      'state.onFailure.budgets',
    );
  });
});

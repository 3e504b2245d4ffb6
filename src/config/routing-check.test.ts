import { describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';

const base = {
  models: {
    small: { provider: 'simulated', model: 'a' },
    large: { provider: 'simulated', model: 'b' },
  },
};

function load(extra: Record<string, unknown>) {
  return () => loadConfig({ object: { ...base, ...extra } });
}

function route(value: Record<string, unknown>) {
  return {
    routing: { routes: { auto: { models: { small: 'small', large: 'large' }, ...value } } },
  };
}

describe('routing config', () => {
  it('loads a route with documented defaults', () => {
    const config = loadConfig({ object: { ...base, ...route({}) } });
    expect(config.routing.routes.auto).toEqual({
      models: { small: 'small', large: 'large' },
      principalTiers: {},
      thresholds: {},
      escalation: {
        signals: ['tool-error', 'retry', 'down-rating'],
        minSignals: 1,
        toolErrors: 1,
        steps: 1,
        stickyTurns: 3,
      },
    });
    expect(loadConfig({ object: base }).routing).toEqual({ routes: {} });
  });

  it('lets an assistant name a route as its model', () => {
    const config = loadConfig({
      object: { ...base, ...route({}), assistants: { helper: { model: 'auto' } } },
    });
    expect(config.assistants.helper?.model).toBe('auto');
  });

  it.each([
    [{ models: { small: 'nope' } }, 'routing.routes.auto.models.small: unknown model "nope"'],
    [{ models: {} }, 'routing.routes.auto.models: at least one tier is required'],
    [{ defaultTier: 'huge' }, 'routing.routes.auto.defaultTier: unknown tier "huge"'],
    [
      { principalTiers: { premium: 'huge' } },
      'routing.routes.auto.principalTiers.premium: unknown tier',
    ],
    [
      { thresholds: { small: 1 } },
      'routing.routes.auto.thresholds.small: the first tier has no threshold',
    ],
    [{ thresholds: { medium: 1 } }, 'routing.routes.auto.thresholds.medium: unknown tier'],
    [
      { models: { a: 'small', b: 'large', c: 'large' }, thresholds: { b: 5, c: 4 } },
      'routing.routes.auto.thresholds.c: must be above the threshold of "b" (5)',
    ],
    [{ escalation: { signals: ['vibes'] } }, 'routing.routes.auto.escalation.signals[0]'],
    [{ escalation: { stickyTurns: -1 } }, 'routing.routes.auto.escalation.stickyTurns'],
    [{ colour: 'red' }, 'routing.routes.auto.colour: unknown key'],
  ])('refuses %j', (value, message) => {
    expect(load(route(value))).toThrow(message);
  });

  it('refuses a route that shadows a model name', () => {
    const shadow = { routing: { routes: { small: { models: { a: 'small' } } } } };
    expect(load(shadow)).toThrow('routing.routes.small: "small" is also a model name');
  });

  it('refuses an assistant model that is neither a model nor a route', () => {
    expect(load({ ...route({}), assistants: { helper: { model: 'autoo' } } })).toThrow(
      'assistants.helper.model: unknown model "autoo" (known: small, large, auto)',
    );
  });

  it('checks an assistant’s routing changes against its route', () => {
    expect(
      load({
        ...route({}),
        assistants: { helper: { model: 'small', routing: { defaultTier: 'large' } } },
      }),
    ).toThrow('assistants.helper.routing: the assistant\'s model "small" is not a route');
    expect(
      load({
        ...route({}),
        assistants: { helper: { model: 'auto', routing: { thresholds: { large: 0 } } } },
      }),
    ).toThrow(
      'assistants.helper.routing.thresholds.large: must be above the threshold of "small" (0)',
    );
    expect(
      load({
        ...route({}),
        assistants: { helper: { model: 'auto', routing: { models: { x: 'ghost' } } } },
      }),
    ).toThrow('assistants.helper.routing.models.x: unknown model "ghost"');
  });
});

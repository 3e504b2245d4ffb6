import { describe, expect, it } from 'vitest';
import { routingPolicy, type RoutingPolicy } from '../../config/index.js';
import { routingRouteSchema } from '../../config/routing-schema.js';
import type { Message, ToolCall } from '../../core/conversation.js';
import { decideRoute, type RouteRequest } from './decide.js';

function user(text: string): Message {
  return { role: 'user', content: [{ type: 'text', text }] };
}

function assistant(text: string, toolCalls: ToolCall[] = []): Message {
  return { role: 'assistant', content: [{ type: 'text', text }], toolCalls };
}

function policyOf(route: unknown): RoutingPolicy {
  const policy = routingPolicy(routingRouteSchema.parse(route), undefined);
  if ('key' in policy) throw new Error(policy.message);
  return policy;
}

const THREE = policyOf({
  models: { small: 'm-small', medium: 'm-medium', large: 'm-large' },
  principalTiers: { premium: 'medium' },
});

function request(text: string, extra: Partial<RouteRequest> = {}): RouteRequest {
  return {
    route: 'auto',
    policy: THREE,
    messages: [user(text)],
    toolsOffered: 0,
    principalTier: 'standard',
    state: undefined,
    ...extra,
  };
}

describe('decideRoute tiers', () => {
  it('defaults thresholds to 2 points a tier and the first tier as the default', () => {
    expect(THREE.tiers.map((tier) => [tier.name, tier.threshold])).toEqual([
      ['small', 0],
      ['medium', 2],
      ['large', 4],
    ]);
    const simple = decideRoute(request('hello')).decision;
    expect(simple).toMatchObject({ tier: 'small', model: 'm-small', basis: 'default', score: 0 });
  });

  it('lifts the tier by score', () => {
    expect(decideRoute(request('Why is the sky blue?')).decision).toMatchObject({
      tier: 'small',
      score: 1.75,
    });
    const medium = decideRoute(request('Prove it.')).decision;
    expect(medium).toMatchObject({ tier: 'medium', basis: 'complexity', score: 2.5 });
    const large = decideRoute(request('Prove it step by step.')).decision;
    expect(large).toMatchObject({ tier: 'large', model: 'm-large', score: 4 });
  });

  it('uses the principal tier as a floor that complexity can still lift', () => {
    const premium = decideRoute(request('hello', { principalTier: 'premium' })).decision;
    expect(premium).toMatchObject({ tier: 'medium', basis: 'principal-tier' });
    const lifted = decideRoute(request('Prove it step by step.', { principalTier: 'premium' }));
    expect(lifted.decision).toMatchObject({ tier: 'large', basis: 'complexity' });
  });

  it('writes no state for a request that neither escalates nor counts down', () => {
    expect(decideRoute(request('hello', { state: {} })).statePatch).toBeUndefined();
  });
});

const FAILED: Message[] = [
  user('compute'),
  assistant('', [{ id: 'c1', name: 'calculator', arguments: '{}' }]),
  { role: 'tool', toolCallId: 'c1', content: 'Division by zero.', isError: true },
  assistant('It failed.'),
  user('try again differently'),
];

describe('decideRoute escalation', () => {
  it('climbs `steps` tiers on a signal and starts the sticky count', () => {
    const outcome = decideRoute(request('', { messages: FAILED, state: {} }));
    expect(outcome.decision).toMatchObject({
      tier: 'medium',
      baseTier: 'small',
      escalation: { escalated: true, turnsLeft: 3, signals: [{ signal: 'tool-error' }] },
    });
    expect(outcome.statePatch).toEqual({
      routing: { route: 'auto', tier: 'medium', turnsLeft: 3, ratingsSeen: 0 },
    });
  });

  it('counts the sticky turns down, then drops back', () => {
    const state = { routing: { route: 'auto', tier: 'large', turnsLeft: 2, ratingsSeen: 0 } };
    const next = decideRoute(request('hello', { state }));
    expect(next.decision).toMatchObject({
      tier: 'large',
      escalation: { sticky: true, turnsLeft: 1 },
    });
    const last = decideRoute(request('hello', { state: next.statePatch }));
    expect(last.decision).toMatchObject({ tier: 'large', escalation: { turnsLeft: 0 } });
    const after = decideRoute(request('hello', { state: last.statePatch }));
    expect(after.decision).toMatchObject({ tier: 'small', escalation: { sticky: false } });
    expect(after.statePatch).toBeUndefined();
  });

  it('escalates again from the sticky tier, up to the top', () => {
    const state = { routing: { route: 'auto', tier: 'medium', turnsLeft: 1, ratingsSeen: 0 } };
    const again = decideRoute(request('', { messages: FAILED, state }));
    expect(again.decision.tier).toBe('large');
    const top = { routing: { route: 'auto', tier: 'large', turnsLeft: 1, ratingsSeen: 0 } };
    expect(decideRoute(request('', { messages: FAILED, state: top })).decision.tier).toBe('large');
  });

  it('ignores the state of another route and of a tier that no longer exists', () => {
    const other = { routing: { route: 'other', tier: 'large', turnsLeft: 2, ratingsSeen: 0 } };
    expect(decideRoute(request('hello', { state: other })).decision.tier).toBe('small');
    const gone = { routing: { route: 'auto', tier: 'huge', turnsLeft: 2, ratingsSeen: 0 } };
    expect(decideRoute(request('hello', { state: gone })).decision.tier).toBe('small');
    const garbage = {
      routing: 'nonsense',
      feedback: { seq: -4, ratings: [{ index: 1, rating: 'down' }] },
    };
    expect(decideRoute(request('hello', { state: garbage })).decision.tier).toBe('small');
  });

  it('needs `minSignals` distinct signals and counts only listed ones', () => {
    const strict = policyOf({
      models: { small: 'a', large: 'b' },
      escalation: { minSignals: 2 },
    });
    const retried: Message[] = [...FAILED.slice(0, 4), user('compute')];
    const one = decideRoute(request('', { policy: strict, messages: FAILED, state: {} }));
    expect(one.decision.escalation.escalated).toBe(false);
    const two = decideRoute(request('', { policy: strict, messages: retried, state: {} }));
    expect(two.decision.escalation).toMatchObject({ escalated: true });
    expect(two.decision.escalation.signals.map((fact) => fact.signal)).toEqual([
      'tool-error',
      'retry',
    ]);
    const deaf = policyOf({
      models: { small: 'a', large: 'b' },
      escalation: { signals: ['retry'] },
    });
    const unheard = decideRoute(request('', { policy: deaf, messages: FAILED, state: {} }));
    expect(unheard.decision.escalation.signals).toEqual([]);
  });

  it('sees no new signal in a turn that resumes after tool approvals', () => {
    const state = { routing: { route: 'auto', tier: 'medium', turnsLeft: 2, ratingsSeen: 0 } };
    const resumed = decideRoute(request('', { messages: FAILED, state, resumed: true }));
    expect(resumed.decision).toMatchObject({
      tier: 'medium',
      escalation: { signals: [], escalated: false, sticky: true, turnsLeft: 1 },
    });
  });

  it('acts on each down-rating once, whether it escalates or not', () => {
    const state = {
      feedback: { ratings: [rated(1, 'down', 1), rated(3, 'down', 2)], seq: 2 },
      routing: { route: 'auto', tier: 'small', turnsLeft: 0, ratingsSeen: 1 },
    };
    const outcome = decideRoute(request('hello', { state }));
    expect(outcome.decision.escalation.signals).toEqual([
      { signal: 'down-rating', detail: '1 new down-ratings' },
    ]);
    expect(outcome.statePatch?.routing?.ratingsSeen).toBe(2);
    const strict = policyOf({
      models: { small: 'm-small', medium: 'm-medium', large: 'm-large' },
      escalation: { minSignals: 2 },
    });
    const fresh = { feedback: state.feedback };
    const held = decideRoute(request('hello', { policy: strict, state: fresh }));
    expect(held.decision.escalation).toMatchObject({ escalated: false, signals: [{}] });
    expect(held.statePatch).toEqual({
      routing: { route: 'auto', tier: 'small', turnsLeft: 0, ratingsSeen: 2 },
    });
    const next = { ...fresh, ...held.statePatch };
    expect(decideRoute(request('hello', { state: next })).decision.escalation.signals).toEqual([]);
  });

  it('counts only messages whose latest rating is down, and leaves ratings to a resumed turn', () => {
    const state = { feedback: { ratings: [rated(3, 'down', 1), rated(1, 'up', 3)], seq: 3 } };
    expect(decideRoute(request('hello', { state })).decision.escalation.signals).toEqual([
      { signal: 'down-rating', detail: '1 new down-ratings' },
    ]);
    const resumed = decideRoute(request('hello', { state, resumed: true }));
    expect(resumed.statePatch).toBeUndefined();
  });

  it('does not count tool errors from before the user’s previous message', () => {
    const older: Message[] = [...FAILED, assistant('Done.'), user('thanks')];
    expect(decideRoute(request('', { messages: older })).decision.escalation.signals).toEqual([]);
  });
});

function rated(index: number, rating: 'up' | 'down', seq: number) {
  return { index, rating, seq, at: '2026-01-01T00:00:00.000Z' };
}

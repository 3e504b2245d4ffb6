import { describe, expect, it } from 'vitest';
import type { ModelRequest } from '../../core/index.js';
import { answerKey } from './answer-key.js';

const ask: Omit<ModelRequest, 'model'> = {
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Which city hosts the Louvre?' }] }],
};

describe('the key of a stored answer', () => {
  it('is the same for the same request', () => {
    expect(answerKey('main', { ...ask }, 'u1')).toBe(answerKey('main', { ...ask }, 'u1'));
  });

  it.each<[string, Partial<ModelRequest>]>([
    ['a JSON answer', { responseFormat: { type: 'json_object' } }],
    ['an answer to a schema', { responseFormat: { type: 'json_schema', name: 'city' } }],
    ['a presence penalty', { presencePenalty: 1 }],
    ['a frequency penalty', { frequencyPenalty: 1 }],
    ['a logit bias', { logitBias: { '1734': -50 } }],
    ['a seed', { seed: 3 }],
    ['an output limit', { maxTokens: 16 }],
  ])('differs for a request that asks for %s', (_, extra) => {
    expect(answerKey('main', { ...ask, ...extra }, 'u1')).not.toBe(answerKey('main', ask, 'u1'));
  });

  it('differs by user and by route', () => {
    expect(answerKey('main', ask, 'u1')).not.toBe(answerKey('main', ask, 'u2'));
    expect(answerKey('main', ask, 'u1')).not.toBe(answerKey('other', ask, 'u1'));
  });
});

import { describe, expect, it } from 'vitest';
import type { Message } from '../core/conversation.js';
import type { TokenCounts } from '../core/token-estimate.js';
import type { RouteTarget } from '../resilience/index.js';
import { promptTokens } from './prompt-tokens.js';

function counting() {
  let calls = 0;
  const tokens: TokenCounts = {
    prepare: () => Promise.resolve(),
    observe: () => undefined,
    counting: () => ({
      prompt: (request) => {
        calls++;
        return request.messages.length * 10;
      },
      text: (text) => text.length,
    }),
  };
  return { tokens, calls: () => calls };
}

const target = (id: string) =>
  ({ id, model: id, provider: { name: 'p', kind: 'openai' } }) as unknown as RouteTarget;
const user = (text: string): Message => ({ role: 'user', content: [{ type: 'text', text }] });

describe('promptTokens', () => {
  it('counts a request once per target, and again once its message list has grown', () => {
    const { tokens, calls } = counting();
    const messages = [user('a')];
    const targets = [target('p/a'), target('p/b'), target('p/a')];

    expect(promptTokens({ messages }, { targets, tokens })).toBe(10);
    expect(promptTokens({ messages }, { targets, tokens })).toBe(10);
    expect(calls()).toBe(2);

    messages.push(user('b'));
    expect(promptTokens({ messages }, { targets, tokens })).toBe(20);
    expect(calls()).toBe(4);
  });

  it('falls back to the character estimate without a counter', () => {
    expect(
      promptTokens({ messages: [user('x'.repeat(40))] }, { targets: [], tokens: undefined }),
    ).toBe(10);
  });
});

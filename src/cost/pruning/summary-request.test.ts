import { describe, expect, it } from 'vitest';
import type { Message } from '../../core/conversation.js';
import { countTokens } from './count-tokens.js';
import { summaryRequest } from './summary-request.js';

const user = (text: string): Message => ({ role: 'user', content: [{ type: 'text', text }] });

function userText(request: ReturnType<typeof summaryRequest>): string {
  const message = request.messages[1];
  return message?.role === 'user' && message.content[0]?.type === 'text'
    ? message.content[0].text
    : '';
}

describe('summaryRequest', () => {
  it('sends the previous summary and only the given messages, one line each', () => {
    const messages: Message[] = [
      user('Ada paid $40.'),
      {
        role: 'assistant',
        content: [{ type: 'text', text: 'Noted.' }],
        toolCalls: [{ id: 'c1', name: 'ledger', arguments: '{}' }],
      },
      { role: 'tool', toolCallId: 'c1', content: '{"balance": 12}' },
    ];
    const request = summaryRequest({
      previous: 'Ada is a customer.',
      messages,
      maxTokens: 200,
      limit: 4_000,
    });
    expect(userText(request)).toBe(
      'Summary so far:\nAda is a customer.\n\nNew messages:\nUser: Ada paid $40.\n' +
        'Assistant: Noted. [called ledger]\n' +
        'Tool result: [earlier tool result, shortened] ledger: ok, 15 B: {"balance": 12}',
    );
    expect(request.maxTokens).toBe(200);
  });

  it('shows a huge message cut between characters', () => {
    const request = summaryRequest({
      previous: '',
      messages: [user('🎉'.repeat(500_000))],
      maxTokens: 100,
      limit: 2_000,
    });
    const text = userText(request);
    expect(text.endsWith(`User: ${'🎉'.repeat(999)}…`)).toBe(true);
    expect(countTokens(request)).toBeLessThanOrEqual(2_000);
  });

  it('stays within the summary model window with thousands of messages, showing the newest', () => {
    const messages = Array.from({ length: 5_000 }, (_, i) => user(`m${i}`));
    const request = summaryRequest({ previous: '', messages, maxTokens: 100, limit: 2_000 });
    expect(countTokens(request)).toBeLessThanOrEqual(2_000);
    const text = userText(request);
    expect(text).toMatch(/\n\(\d+ earlier messages not shown\)\n/);
    expect(text.endsWith('User: m4999')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import type { Message } from '../core/index.js';
import { declinedResults, pendingToolCalls } from './pending-calls.js';

const ask: Message = {
  role: 'assistant',
  content: [],
  toolCalls: [
    { id: 'c1', name: 'refund', arguments: '{}' },
    { id: 'c2', name: 'lookup', arguments: '{}' },
  ],
};
const user: Message = { role: 'user', content: [{ type: 'text', text: 'hi' }] };

describe('pendingToolCalls', () => {
  it('lists the calls of the last assistant message that have no result yet', () => {
    const lookup: Message = { role: 'tool', toolCallId: 'c2', content: '{}' };
    expect(pendingToolCalls([user, ask, lookup]).map((call) => call.id)).toEqual(['c1']);
  });

  it('finds nothing once every call has a result, or when the history ends elsewhere', () => {
    const results = declinedResults(ask.role === 'assistant' ? ask.toolCalls : [], 'no');
    expect(pendingToolCalls([user, ask, ...results])).toEqual([]);
    expect(pendingToolCalls([user, ask, ...results, user])).toEqual([]);
    expect(pendingToolCalls([])).toEqual([]);
    const answered: Message = {
      role: 'assistant',
      content: [{ type: 'text', text: 'done' }],
      toolCalls: [],
    };
    expect(pendingToolCalls([user, answered])).toEqual([]);
  });

  it('writes a declined result per call, as an error the model can read', () => {
    const [result] = declinedResults(
      [{ id: 'c9', name: 'x', arguments: '{}' }],
      'the user said no',
    );
    expect(result).toMatchObject({ role: 'tool', toolCallId: 'c9', isError: true });
    expect(JSON.parse(result!.content)).toEqual({
      error: { code: 'RAMPART_TOOL_DECLINED', message: 'the user said no' },
    });
  });
});

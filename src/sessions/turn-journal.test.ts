import { describe, expect, it } from 'vitest';
import type { Message, ToolCall, ToolMessage } from '../core/index.js';
import { isRetryOfUnfinished, TurnJournal } from './turn-journal.js';

const user = (text: string): Message => ({ role: 'user', content: [{ type: 'text', text }] });
const call = (id: string): ToolCall => ({ id, name: 'book_room', arguments: '{}' });
const asking = (...calls: ToolCall[]): Message => ({
  role: 'assistant',
  content: [],
  toolCalls: calls,
});
const result = (id: string, content = '{"ok":true}'): ToolMessage => ({
  role: 'tool',
  toolCallId: id,
  content,
});
const standIn = (id: string) => result(id, '{"error":{"code":"RAMPART_TOOL_INTERRUPTED"}}');

describe('TurnJournal', () => {
  it('saves each step with its stand-ins, then its results, and the commit rewrites the turn', async () => {
    const writes: [Message[], number][] = [];
    const question = user('book two rooms');
    const journal = new TurnJournal(
      (produced) => (produced.length === 0 ? [] : [question, ...produced]),
      async (messages, replaceLast) => {
        writes.push([messages, replaceLast]);
      },
    );
    const first = asking(call('a'));
    await journal.checkpoint([first], [standIn('a')]);
    await journal.checkpoint([first, result('a')], []);
    const second = asking(call('b'));
    await journal.checkpoint([first, result('a'), second], [standIn('b')]);
    const answer: Message = {
      role: 'assistant',
      content: [{ type: 'text', text: 'done' }],
      toolCalls: [],
    };
    const produced = [first, result('a'), second, result('b'), answer];

    expect(writes).toEqual([
      [[question, first, standIn('a')], 0],
      [[result('a')], 1],
      [[second, standIn('b')], 0],
    ]);
    // Saved: question, first, result a, second (4), and one stand-in: all five replaced.
    expect(journal.commit(produced)).toEqual({ messages: [question, ...produced], replaceLast: 5 });
    // A turn that ends with nothing shown takes its checkpoints back.
    expect(journal.commit([])).toEqual({ messages: [], replaceLast: 5 });
  });

  it('commits as before when nothing was saved early', () => {
    const journal = new TurnJournal(
      (produced) => [...produced],
      () => Promise.resolve(),
    );
    expect(journal.commit([result('a')])).toEqual({ messages: [result('a')], replaceLast: 0 });
  });
});

describe('isRetryOfUnfinished', () => {
  const question = user('book room 4B');

  it('knows the same message sent again after a turn that ended in tool results', () => {
    const cut = [question, asking(call('a')), standIn('a')];
    expect(isRetryOfUnfinished(cut, user('book room 4B'))).toBe(true);
    const ran = [question, asking(call('a'), call('b')), result('a'), result('b')];
    expect(isRetryOfUnfinished(ran, user('book room 4B'))).toBe(true);
    const twoSteps = [question, asking(call('a')), result('a'), asking(call('b')), standIn('b')];
    expect(isRetryOfUnfinished(twoSteps, user('book room 4B'))).toBe(true);
  });

  it('takes anything else as a new message', () => {
    const cut = [question, asking(call('a')), standIn('a')];
    expect(isRetryOfUnfinished(cut, user('book room 5C'))).toBe(false);
    const answered: Message = { role: 'assistant', content: [], toolCalls: [] };
    expect(isRetryOfUnfinished([...cut, answered], question)).toBe(false);
    expect(isRetryOfUnfinished([], question)).toBe(false);
    // A turn paused for approval: a call without a result.
    const paused = [question, asking(call('a'), call('b')), result('a')];
    expect(isRetryOfUnfinished(paused, question)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import type { Message, ToolCall } from '../core/index.js';
import { interruptedResults, isRetryOfInterrupted, TurnJournal } from './turn-journal.js';

const user = (text: string): Message => ({ role: 'user', content: [{ type: 'text', text }] });
const call = (id: string): ToolCall => ({ id, name: 'book_room', arguments: '{}' });
const asking = (...calls: ToolCall[]): Message => ({
  role: 'assistant',
  content: [],
  toolCalls: calls,
});
const result = (id: string): Message => ({ role: 'tool', toolCallId: id, content: '{"ok":true}' });

describe('TurnJournal', () => {
  it('saves each step with stand-ins, and the commit rewrites the whole turn', async () => {
    const writes: [Message[], number][] = [];
    const question = user('book two rooms');
    const journal = new TurnJournal(
      (produced) => (produced.length === 0 ? [] : [question, ...produced]),
      async (messages, replaceLast) => {
        writes.push([messages, replaceLast]);
      },
    );
    const first = asking(call('a'));
    await journal.checkpoint([first], [call('a')]);
    const second = asking(call('b'));
    await journal.checkpoint([first, result('a'), second], [call('b')]);
    const answer: Message = {
      role: 'assistant',
      content: [{ type: 'text', text: 'done' }],
      toolCalls: [],
    };
    const produced = [first, result('a'), second, result('b'), answer];

    expect(writes).toEqual([
      [[question, first, ...interruptedResults([call('a')])], 0],
      [[result('a'), second, ...interruptedResults([call('b')])], 1],
    ]);
    // Saved: question, first, result a, second (4), and one stand-in: all five replaced.
    expect(journal.commit(produced)).toEqual({
      messages: [question, ...produced],
      replaceLast: 5,
    });
  });

  it('commits as before when nothing was saved early', () => {
    const journal = new TurnJournal(
      (produced) => [...produced],
      () => Promise.resolve(),
    );
    expect(journal.commit([result('a')])).toEqual({ messages: [result('a')], replaceLast: 0 });
  });
});

describe('isRetryOfInterrupted', () => {
  const question = user('book room 4B');
  const cut = [question, asking(call('a')), ...interruptedResults([call('a')])];

  it('knows the same message sent again after an interrupted turn', () => {
    expect(isRetryOfInterrupted(cut, user('book room 4B'))).toBe(true);
    const twoSteps = [
      question,
      asking(call('a')),
      result('a'),
      asking(call('b')),
      ...interruptedResults([call('b')]),
    ];
    expect(isRetryOfInterrupted(twoSteps, user('book room 4B'))).toBe(true);
  });

  it('takes anything else as a new message', () => {
    expect(isRetryOfInterrupted(cut, user('book room 5C'))).toBe(false);
    expect(isRetryOfInterrupted([question, asking(call('a')), result('a')], question)).toBe(false);
    expect(isRetryOfInterrupted([], question)).toBe(false);
    // A tool's own result that merely mentions the code is no stand-in.
    const lookalike: Message = {
      role: 'tool',
      toolCallId: 'a',
      content: '{"error":{"code":"RAMPART_TOOL_INTERRUPTED","message":"made up"}}',
    };
    expect(isRetryOfInterrupted([question, asking(call('a')), lookalike], question)).toBe(false);
  });
});

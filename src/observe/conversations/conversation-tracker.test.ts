import { describe, expect, it } from 'vitest';
import { Telemetry, type ConversationEnded, type TelemetryEvent } from '../telemetry.js';
import { answer, handTurn, user } from '../test-support/turns.js';
import { ConversationTracker } from './conversation-tracker.js';

function tracker(options: { idleMs?: number; maxConversations?: number } = {}) {
  const events: TelemetryEvent[] = [];
  const telemetry = new Telemetry();
  telemetry.subscribe({ name: 'list', handle: (event) => events.push(event) });
  const conversations = new ConversationTracker({
    telemetry,
    idleMs: options.idleMs ?? 1_000,
    maxConversations: options.maxConversations ?? 100,
  });
  const ended = () => events.filter((e): e is ConversationEnded => e.type === 'conversation');
  return { conversations, ended };
}

function spent(turn: ReturnType<typeof handTurn>, tokens: number, nanos: number) {
  turn.usage = { inputTokens: tokens - 10, outputTokens: 10 };
  turn.cost = { model: nanos, tools: 0, memory: 0, total: nanos, byTarget: {}, unpriced: [] };
  return turn;
}

describe('ConversationTracker', () => {
  it('sees the same user message sent again as a retry, and a new one as not', () => {
    const { conversations } = tracker();
    const first = handTurn({ sessionId: 's1', messages: [user('where is my order')] });
    expect(conversations.record(first, 0)).toBe(false);
    const again = handTurn({
      sessionId: 's1',
      messages: [user('where is my order'), answer('it shipped'), user('where is my order')],
    });
    expect(conversations.record(again, 10)).toBe(true);
    const next = handTurn({
      sessionId: 's1',
      messages: [
        user('where is my order'),
        answer('x'),
        user('where is my order'),
        answer('y'),
        user('thanks'),
      ],
    });
    expect(conversations.record(next, 20)).toBe(false);
  });

  it('sees a stateless request sent again whole as a regenerated answer', () => {
    const { conversations } = tracker();
    const messages = [user('write a haiku'), answer('...'), user('another one')];
    expect(conversations.record(handTurn({ messages }), 0)).toBe(false);
    expect(conversations.record(handTurn({ messages }), 5)).toBe(true);
  });

  it('sees a turn that carries tool results or resumes after an approval as no retry', () => {
    const { conversations } = tracker();
    const ask = user('what is 2+2');
    const calls = {
      role: 'assistant' as const,
      content: [],
      toolCalls: [{ id: 'c1', name: 'calculator', arguments: '{"expression":"2+2"}' }],
    };
    const result = { role: 'tool' as const, toolCallId: 'c1', content: '4' };
    expect(conversations.record(handTurn({ messages: [ask] }), 0)).toBe(false);
    expect(conversations.record(handTurn({ messages: [ask, calls, result] }), 5)).toBe(false);
    // A session turn resumed after the user approved the call: the history ends in the call.
    expect(conversations.record(handTurn({ sessionId: 's', messages: [ask] }), 6)).toBe(false);
    expect(conversations.record(handTurn({ sessionId: 's', messages: [ask, calls] }), 7)).toBe(
      false,
    );
    // The same question sent again after the answer is a retry, as it is without tools.
    const again = [ask, calls, result, answer('4'), ask];
    expect(conversations.record(handTurn({ messages: again }), 8)).toBe(true);
    const next = [...again, answer('4'), user('and 3+3?')];
    expect(conversations.record(handTurn({ messages: next }), 9)).toBe(false);
  });

  it('keeps users and sessions apart', () => {
    const { conversations } = tracker();
    expect(conversations.record(handTurn({ userId: 'a', messages: [user('hi')] }), 0)).toBe(false);
    expect(conversations.record(handTurn({ userId: 'b', messages: [user('hi')] }), 1)).toBe(false);
    expect(conversations.record(handTurn({ sessionId: 'x', messages: [user('hi')] }), 2)).toBe(
      false,
    );
    expect(conversations.record(handTurn({ sessionId: 'y', messages: [user('hi')] }), 3)).toBe(
      false,
    );
  });

  it('ends a conversation once it has been quiet for the idle window, with its totals', () => {
    const { conversations, ended } = tracker({ idleMs: 1_000 });
    conversations.record(spent(handTurn({ sessionId: 's', messages: [user('a')] }), 100, 5_000), 0);
    conversations.record(
      spent(handTurn({ sessionId: 's', messages: [user('b')] }), 50, 2_000),
      400,
    );
    conversations.sweep(1_399);
    expect(ended()).toEqual([]);
    conversations.sweep(1_400);
    expect(ended()).toEqual([
      {
        type: 'conversation',
        at: 1_400,
        turns: 2,
        tokens: 150,
        costNanos: 7_000,
        abandonedAfterError: false,
      },
    ]);
    expect(conversations.size).toBe(0);
  });

  it('marks a conversation whose last turn failed as abandoned after an error', () => {
    const { conversations, ended } = tracker({ idleMs: 100 });
    const failed = handTurn({ sessionId: 'f', messages: [user('a')] });
    failed.errorCode = 'RAMPART_UPSTREAM_UNAVAILABLE';
    conversations.record(failed, 0);
    const recovered = handTurn({ sessionId: 'r', messages: [user('a')] });
    recovered.errorCode = 'RAMPART_UPSTREAM_UNAVAILABLE';
    conversations.record(recovered, 0);
    conversations.record(handTurn({ sessionId: 'r', messages: [user('b')] }), 50);
    const dropped = handTurn({ sessionId: 'd', messages: [user('a')] });
    dropped.errorCode = 'RAMPART_CLIENT_CLOSED';
    conversations.record(dropped, 60);
    conversations.sweep(1_000);
    // Ended least recently active first: f, then r (back at 50), then d.
    const byTurns = ended().map((event) => [event.turns, event.abandonedAfterError]);
    expect(byTurns).toEqual([
      [1, true],
      [2, false],
      [1, false],
    ]);
  });

  it('holds at most maxConversations, ending the least recently active first', () => {
    const { conversations, ended } = tracker({ idleMs: 1_000, maxConversations: 2 });
    conversations.record(handTurn({ sessionId: 'a' }), 0);
    conversations.record(handTurn({ sessionId: 'b' }), 200);
    conversations.record(handTurn({ sessionId: 'a' }), 400);
    conversations.record(handTurn({ sessionId: 'c' }), 600);
    expect(conversations.size).toBe(2);
    expect(ended()).toHaveLength(1);
    // `b` was the least recently active: `a` came back after it, so `a` is still followed.
    expect(conversations.record(handTurn({ sessionId: 'a' }), 700)).toBe(true);
  });

  it('never ends on overflow a conversation that had a turn since its place was set', () => {
    // An eighth of the window is 7.5 s: `a` coming back after 3 s does not move.
    const { conversations, ended } = tracker({ idleMs: 60_000, maxConversations: 3 });
    conversations.record(handTurn({ sessionId: 'a' }), 0);
    conversations.record(handTurn({ sessionId: 'b' }), 1_000);
    conversations.record(handTurn({ sessionId: 'c' }), 2_000);
    conversations.record(handTurn({ sessionId: 'a' }), 3_000);
    conversations.record(handTurn({ sessionId: 'd' }), 4_000);
    // `b` is ended, not `a`, and `a` still knows its last message.
    expect(ended().map((event) => event.turns)).toEqual([1]);
    expect(conversations.record(handTurn({ sessionId: 'a' }), 5_000)).toBe(true);
    expect(conversations.record(handTurn({ sessionId: 'b' }), 5_001)).toBe(false);
    // That turn of `b` made a fifth: `c` goes, the oldest with no turn since its place was set.
    expect(conversations.size).toBe(3);
    expect(conversations.record(handTurn({ sessionId: 'c' }), 5_002)).toBe(false);
  });

  it('keeps activity order to within an eighth of the idle window, so an end is at most that late', () => {
    const { conversations, ended } = tracker({ idleMs: 1_000 });
    conversations.record(handTurn({ sessionId: 'x' }), 0);
    conversations.record(handTurn({ sessionId: 'y' }), 10);
    // Back within an eighth of the window: `x` keeps its place ahead of `y`.
    conversations.record(handTurn({ sessionId: 'x', messages: [user('again')] }), 100);
    // `y` has been quiet for the whole window, but the sweep stops at `x`, still active.
    conversations.sweep(1_010);
    expect(ended()).toEqual([]);
    conversations.sweep(1_100);
    expect(ended().map((event) => event.turns)).toEqual([2, 1]);
    // Past the eighth, a conversation does move: `z` is ended after `w`, though it began first.
    conversations.record(handTurn({ sessionId: 'z' }), 2_000);
    conversations.record(handTurn({ sessionId: 'w' }), 2_010);
    conversations.record(handTurn({ sessionId: 'z', messages: [user('again')] }), 2_200);
    conversations.sweep(3_010);
    expect(ended().map((event) => event.turns)).toEqual([2, 1, 1]);
    conversations.sweep(3_200);
    expect(ended().map((event) => event.turns)).toEqual([2, 1, 1, 2]);
  });
});

import { describe, expect, it } from 'vitest';
import type { Message, ToolCall } from '../../core/conversation.js';
import { estimateComplexity, SCAN_LIMIT_CHARS } from './complexity.js';

function user(text: string): Message {
  return { role: 'user', content: [{ type: 'text', text }] };
}

function assistant(text: string, toolCalls: ToolCall[] = []): Message {
  return { role: 'assistant', content: [{ type: 'text', text }], toolCalls };
}

function estimate(text: string, options: { toolsOffered?: number; history?: Message[] } = {}) {
  const messages: Message[] = [...(options.history ?? []), user(text)];
  return estimateComplexity({ messages, toolsOffered: options.toolsOffered ?? 0 });
}

describe('estimateComplexity', () => {
  it('scores a plain short question zero, with no reasons', () => {
    expect(estimate('What is the capital of France?')).toEqual({ score: 0, reasons: [] });
  });

  it('names each reasoning marker and caps their sum', () => {
    expect(estimate('Why is the sky blue?')).toEqual({
      score: 1,
      reasons: [{ feature: 'reasoning', detail: 'why', points: 1 }],
    });
    expect(estimate('Prove that the square root of 2 is irrational.').reasons).toEqual([
      { feature: 'reasoning', detail: 'prove', points: 2.5 },
    ]);
    const many = estimate(
      'Explain step by step why quicksort is fast; compare it with mergesort and analyse the trade-offs.',
    );
    expect(many.reasons).toEqual([
      {
        feature: 'reasoning',
        detail: 'step by step, trade-offs, analyse, compare, why, explain',
        points: 4,
      },
    ]);
    expect(many.score).toBe(4);
  });

  it('counts numbered asks, ordering words and several questions', () => {
    const text =
      'Please:\n1. Summarise the article\n2. List its claims\n3. Check each claim\n' +
      'First read it, then answer. Is it sound? Is it new?';
    expect(estimate(text)).toEqual({
      score: 3.63,
      reasons: [
        { feature: 'length', detail: '123 chars', points: 0.25 },
        { feature: 'numbered-asks', detail: '3 list items', points: 1.5 },
        { feature: 'sequence', detail: '2 ordering words', points: 1 },
        { feature: 'questions', detail: '2 questions', points: 0.5 },
        { feature: 'numbers', detail: '3 numbers', points: 0.375 },
      ],
    });
  });

  it('counts asks joined to the first, conditions and asks to make something', () => {
    const text = 'Implement a queue without locks and explain when it is safe for many writers.';
    expect(estimate(text).reasons).toEqual([
      { feature: 'reasoning', detail: 'explain', points: 0.5 },
      { feature: 'joined-asks', detail: '1 further asks', points: 0.75 },
      { feature: 'make', detail: 'asks to write or change something', points: 1 },
      { feature: 'constraints', detail: '2 conditions', points: 1 },
    ]);
  });

  it('sees code fences, stack traces and code-like tokens', () => {
    const fenced = estimate('Fix this:\n```js\nconst total = items.map((x) => x.price);\n```');
    expect(fenced.reasons).toEqual([
      { feature: 'code-fence', detail: 'fenced code block', points: 2.5 },
      { feature: 'code-tokens', detail: '3 code-like tokens', points: 0.75 },
      { feature: 'make', detail: 'asks to write or change something', points: 1 },
    ]);
    const trace =
      'It crashes:\nTraceback (most recent call last):\n  File "app.py", line 3, in <module>\nKeyError: 1';
    expect(estimate(trace).reasons).toEqual([
      { feature: 'stack-trace', detail: 'stack trace', points: 3 },
    ]);
    const java =
      'Exception in thread "main" java.lang.NullPointerException\n    at Main.run(Main.java:12)';
    expect(estimate(java).reasons.map((reason) => reason.feature)).toEqual(['stack-trace']);
  });

  it('counts tools offered and asks that need one', () => {
    expect(estimate('What is the weather today in Paris?', { toolsOffered: 2 }).reasons).toEqual([
      { feature: 'tools-offered', detail: '2 tools', points: 0.5 },
      { feature: 'tool-ask', detail: 'asks for a lookup or a computation', points: 1 },
    ]);
  });

  it('scores length from 100 chars, a point every 150, at most 3, past the scanned part too', () => {
    expect(estimate('a'.repeat(100)).score).toBe(0);
    expect(estimate('a'.repeat(250)).reasons).toEqual([
      { feature: 'length', detail: '250 chars', points: 1 },
    ]);
    expect(estimate('a'.repeat(400)).score).toBe(2);
    expect(estimate('a'.repeat(1_000)).score).toBe(3);
    // Markers in the middle of a long message are not read; its start and end are.
    const filler = 'a '.repeat(SCAN_LIMIT_CHARS);
    const middle = `${filler} prove it step by step ${filler}`;
    expect(estimate(middle).reasons).toEqual([
      { feature: 'length', detail: `${middle.length} chars`, points: 3 },
    ]);
    const ends = estimate(`Why?\n${filler}\nProve it.`).reasons.map((reason) => reason.detail);
    expect(ends).toContain('prove, why');
  });

  it('adds depth for long conversations', () => {
    const history: Message[] = [];
    for (let turn = 0; turn < 6; turn++) {
      history.push(user(`q${turn}`), assistant('a'));
    }
    expect(estimate('ok', { history }).reasons).toEqual([
      { feature: 'depth', detail: '7 user messages', points: 1 },
    ]);
  });

  it('reads the last user message, not the answers or tool results after it', () => {
    const messages: Message[] = [user('hello'), assistant('Why? Prove it step by step.')];
    expect(estimateComplexity({ messages, toolsOffered: 0 }).score).toBe(0);
  });

  it('is deterministic', () => {
    const text = 'Compare these two designs step by step:\n1. a\n2. b';
    expect(estimate(text)).toEqual(estimate(text));
  });
});

import { describe, expect, it } from 'vitest';
import {
  collectResponse,
  type Message,
  type ModelEvent,
  type ModelRequest,
} from '../../core/index.js';
import { createSimulatedModel } from './simulated-model.js';

const TOOLS = [
  { name: 'calculator', parameters: { type: 'object' } },
  { name: 'current_time', parameters: { type: 'object' } },
];

function ask(text: string, extra: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: 'rampart-sim-1',
    messages: [{ role: 'user', content: [{ type: 'text', text }] }],
    ...extra,
  };
}

async function eventsOf(stream: AsyncIterable<ModelEvent>): Promise<ModelEvent[]> {
  const events: ModelEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe('simulated model: text answers', () => {
  it('answers about the last user message, says it is simulated, in answerTokens tokens', async () => {
    const model = createSimulatedModel({ answerTokens: 12 });
    const response = await collectResponse(
      model.stream(ask('How do owls see at night in the forest?')),
    );
    expect(response.text.startsWith('Simulated answer to "How do owls see at…":')).toBe(true);
    expect(response.text.endsWith('.')).toBe(true);
    expect(response.usage?.outputTokens).toBe(12);
    expect(response.finishReason).toBe('stop');
  });

  it('streams one token per text-delta, each after the first with its leading space', () => {
    const events = createSimulatedModel({ answerTokens: 9 }).plan(ask('hello there'));
    const deltas = events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : []));
    expect(deltas).toHaveLength(9);
    expect(deltas[0]).toBe('Simulated');
    for (const delta of deltas.slice(1)) expect(delta).toMatch(/^ \S+$/);
  });

  it('is deterministic for the same seed and request, and differs for another seed', () => {
    const request = ask('Tell me about rivers');
    const first = createSimulatedModel({ seed: 7 }).plan(request);
    expect(createSimulatedModel({ seed: 7 }).plan(request)).toEqual(first);
    expect(createSimulatedModel({ seed: 8 }).plan(request)).not.toEqual(first);
  });

  it('estimates input tokens as about a quarter of the prompt characters, at least 1', () => {
    const usageOf = (request: ModelRequest) => {
      const usage = createSimulatedModel()
        .plan(request)
        .find((event) => event.type === 'usage');
      return usage?.type === 'usage' ? usage.usage.inputTokens : undefined;
    };
    expect(usageOf(ask('x'.repeat(400)))).toBe(100);
    expect(usageOf(ask(''))).toBe(1);
  });

  it('stops at maxTokens with finish length', async () => {
    const response = await collectResponse(
      createSimulatedModel().stream(ask('hi', { maxTokens: 4 })),
    );
    expect(response.text).toBe('Simulated answer to "hi":');
    expect(response.usage?.outputTokens).toBe(4);
    expect(response.finishReason).toBe('length');
  });

  it('never quotes a fault directive', async () => {
    const model = createSimulatedModel();
    const request = ask('[[sim-fault kind=slow-drip interval=1]] owls');
    const response = await collectResponse(model.stream(request));
    expect(response.text.startsWith('Simulated answer to "owls":')).toBe(true);
  });
});

describe('simulated model: tool calls', () => {
  const twoCalls = 'call calculator {"expression": "6*7"} and call current_time {"zone": "}"}';

  it('calls every declared tool named in the last user message, in parallel, with exact arguments', async () => {
    const model = createSimulatedModel();
    const events = await eventsOf(model.stream(ask(twoCalls, { tools: TOOLS })));
    const response = await collectResponse(model.stream(ask(twoCalls, { tools: TOOLS })));
    expect(response.toolCalls.map(({ name, arguments: args }) => ({ name, args }))).toEqual([
      { name: 'calculator', args: '{"expression": "6*7"}' },
      { name: 'current_time', args: '{"zone": "}"}' },
    ]);
    expect(response.toolCalls[0]?.id).toMatch(/^call_[0-9a-f]{24}$/);
    expect(response.toolCalls[0]?.id).not.toBe(response.toolCalls[1]?.id);
    expect(response.text).toBe('');
    expect(response.finishReason).toBe('tool-calls');
    const deltas = events.filter((event) => event.type === 'tool-call-delta' && event.index === 0);
    expect(deltas.length).toBeGreaterThan(1);
    expect(response.usage?.outputTokens).toBe(
      events.filter((e) => e.type === 'tool-call-delta').length,
    );
  });

  it('calls only the first tool when parallel calls are off', async () => {
    const request = ask(twoCalls, { tools: TOOLS, parallelToolCalls: false });
    const response = await collectResponse(createSimulatedModel().stream(request));
    expect(response.toolCalls.map((call) => call.name)).toEqual(['calculator']);
  });

  it('calls nothing when toolChoice is none', async () => {
    const request = ask(twoCalls, { tools: TOOLS, toolChoice: 'none' });
    const response = await collectResponse(createSimulatedModel().stream(request));
    expect(response.toolCalls).toEqual([]);
    expect(response.finishReason).toBe('stop');
  });

  it('mentions an undeclared tool in text instead of calling it', async () => {
    const request = ask('call launch_rocket {"target": "moon"}', { tools: TOOLS });
    const response = await collectResponse(createSimulatedModel().stream(request));
    expect(response.toolCalls).toEqual([]);
    expect(response.text).toContain('launch_rocket is not among the declared tools');
    expect(response.text).toContain('so not called. Simulated answer to');
    expect(response.finishReason).toBe('stop');
  });

  it('forces a call with empty arguments when a tool is required', async () => {
    const named = await collectResponse(
      createSimulatedModel().stream(
        ask('hello', { tools: TOOLS, toolChoice: { name: 'current_time' } }),
      ),
    );
    expect(named.toolCalls.map(({ name, arguments: args }) => [name, args])).toEqual([
      ['current_time', '{}'],
    ]);
    const required = await collectResponse(
      createSimulatedModel().stream(ask('hello', { tools: TOOLS, toolChoice: 'required' })),
    );
    expect(required.toolCalls.map((call) => call.name)).toEqual(['calculator']);
  });

  it('ends an open call with its partial arguments at the token limit', async () => {
    const request = ask('call calculator {"expression": "1 + 2 + 3 + 4 + 5"}', {
      tools: TOOLS,
      maxTokens: 2,
    });
    const response = await collectResponse(createSimulatedModel().stream(request));
    const args = response.toolCalls[0]?.arguments ?? '';
    expect('{"expression": "1 + 2 + 3 + 4 + 5"}'.startsWith(args)).toBe(true);
    expect(args.length).toBeLessThan(35);
    expect(response.usage?.outputTokens).toBe(2);
    expect(response.finishReason).toBe('length');
  });

  it('answers tool results verbatim and marks failures', async () => {
    const messages: Message[] = [
      ...ask(twoCalls).messages,
      {
        role: 'assistant',
        content: [],
        toolCalls: [
          { id: 'call_a', name: 'calculator', arguments: '{}' },
          { id: 'call_b', name: 'current_time', arguments: '{}' },
        ],
      },
      { role: 'tool', toolCallId: 'call_a', content: '42' },
      { role: 'tool', toolCallId: 'call_b', content: 'clock  offline', isError: true },
    ];
    const response = await collectResponse(
      createSimulatedModel().stream({ model: 'm', messages, tools: TOOLS }),
    );
    expect(response.text).toBe(
      'Simulated answer from tool results: calculator returned 42; current_time failed with error: clock  offline.',
    );
    expect(response.finishReason).toBe('stop');
  });
});

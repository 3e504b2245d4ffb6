import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstreamSimulator, type UpstreamSimulator } from './index.js';
import { openAIClient, OPENAI_TOOLS, TWO_CALLS } from './test-support/simulator-clients.js';

describe('upstream simulator with the official OpenAI client', () => {
  let simulator: UpstreamSimulator;

  beforeAll(async () => {
    simulator = await startUpstreamSimulator({ answerTokens: 10, tokensPerSecond: 100 });
  });
  afterAll(() => simulator.close());

  it('lists the simulated model', async () => {
    const page = await openAIClient(simulator).models.list();
    expect(page.data.map((model) => [model.id, model.object])).toEqual([
      ['rampart-sim-1', 'model'],
    ]);
  });

  it('answers without streaming, never claiming to be a real model', async () => {
    const completion = await openAIClient(simulator).chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'What is a lighthouse for?' }],
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('rampart-sim-1');
    const [choice] = completion.choices;
    expect(choice?.message.content).toMatch(
      /^Simulated answer to "What is a lighthouse for\?": \w+/,
    );
    expect(choice?.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({
      prompt_tokens: 7,
      completion_tokens: 10,
      total_tokens: 17,
    });
  });

  it('streams text deltas one at a time, with usage last only when asked', async () => {
    const client = openAIClient(simulator);
    const request = {
      model: 'rampart-sim-1',
      messages: [{ role: 'user' as const, content: 'Hello there' }],
    };
    const arrivals: number[] = [];
    const chunks = [];
    const stream = await client.chat.completions.create({
      ...request,
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const chunk of stream) {
      arrivals.push(performance.now());
      chunks.push(chunk);
    }
    const deltas = chunks.flatMap((chunk) =>
      chunk.choices.map((choice) => choice.delta.content ?? ''),
    );
    expect(deltas.filter((delta) => delta !== '')).toHaveLength(10);
    expect(deltas.join('')).toMatch(/^Simulated answer to "Hello there": /);
    // 100 tokens per second: the ten deltas are spread over about 90 ms, not sent at once.
    expect(arrivals[9]! - arrivals[0]!).toBeGreaterThan(60);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 10 });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);

    const plain = await client.chat.completions.create({ ...request, stream: true });
    const plainChunks = [];
    for await (const chunk of plain) plainChunks.push(chunk);
    expect(plainChunks.every((chunk) => chunk.choices.length === 1 && !('usage' in chunk))).toBe(
      true,
    );
  });

  it('makes parallel tool calls with indexes 0 and 1 and the exact arguments', async () => {
    const stream = openAIClient(simulator).chat.completions.stream({
      model: 'rampart-sim-1',
      messages: [{ role: 'user', content: TWO_CALLS }],
      tools: OPENAI_TOOLS,
    });
    const indexes = new Set<number>();
    stream.on('chunk', (chunk) => {
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) indexes.add(call.index);
    });
    const completion = await stream.finalChatCompletion();
    const calls = completion.choices[0]?.message.tool_calls ?? [];
    expect([...indexes]).toEqual([0, 1]);
    expect(
      calls.map((call) =>
        call.type === 'function' ? [call.function.name, call.function.arguments] : [],
      ),
    ).toEqual([
      ['calculator', '{"expression": "6*7"}'],
      ['current_time', '{"zone": "{UTC}"}'],
    ]);
    expect(calls[0]?.id).toMatch(/^call_[0-9a-f]{24}$/);
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('answers tool results in text that quotes each one', async () => {
    const completion = await openAIClient(simulator).chat.completions.create({
      model: 'rampart-sim-1',
      tools: OPENAI_TOOLS,
      messages: [
        { role: 'user', content: TWO_CALLS },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'calculator', arguments: '{}' } },
            { id: 'call_2', type: 'function', function: { name: 'current_time', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '42' },
        { role: 'tool', tool_call_id: 'call_2', content: '2026-01-01T09:00:00Z' },
      ],
    });
    expect(completion.choices[0]?.message.content).toBe(
      'Simulated answer from tool results: calculator returned 42; current_time returned 2026-01-01T09:00:00Z.',
    );
  });
});

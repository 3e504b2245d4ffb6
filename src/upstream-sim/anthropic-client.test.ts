import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstreamSimulator, type UpstreamSimulator } from './index.js';
import { anthropicClient, ANTHROPIC_TOOLS, TWO_CALLS } from './test-support/simulator-clients.js';

describe('upstream simulator with the official Anthropic client', () => {
  let simulator: UpstreamSimulator;

  beforeAll(async () => {
    simulator = await startUpstreamSimulator({ answerTokens: 10, tokensPerSecond: 100 });
  });
  afterAll(() => simulator.close());

  it('lists the simulated model in Anthropic shape', async () => {
    const page = await anthropicClient(simulator).models.list();
    expect(page.data.map((model) => [model.id, model.type])).toEqual([['rampart-sim-1', 'model']]);
  });

  it('answers without streaming', async () => {
    const message = await anthropicClient(simulator).messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'What is a lighthouse for?' }],
    });
    expect([message.type, message.role, message.model, message.stop_reason]).toEqual([
      'message',
      'assistant',
      'rampart-sim-1',
      'end_turn',
    ]);
    const [block] = message.content;
    expect(block?.type === 'text' && block.text).toMatch(
      /^Simulated answer to "What is a lighthouse for\?": \w+/,
    );
    expect(message.usage).toMatchObject({ input_tokens: 7, output_tokens: 10 });
  });

  it('streams text deltas incrementally', async () => {
    const stream = anthropicClient(simulator).messages.stream({
      model: 'rampart-sim-1',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Hello there' }],
    });
    const arrivals: number[] = [];
    const deltas: string[] = [];
    stream.on('text', (text) => {
      arrivals.push(performance.now());
      deltas.push(text);
    });
    const message = await stream.finalMessage();
    expect(deltas).toHaveLength(10);
    expect(arrivals[9]! - arrivals[0]!).toBeGreaterThan(60);
    const [block] = message.content;
    expect(block?.type === 'text' && block.text).toBe(deltas.join(''));
    expect(message.usage.output_tokens).toBe(10);
  });

  it('streams two tool_use blocks that finalMessage assembles, with usage', async () => {
    const message = await anthropicClient(simulator)
      .messages.stream({
        model: 'rampart-sim-1',
        max_tokens: 200,
        tools: ANTHROPIC_TOOLS,
        messages: [{ role: 'user', content: TWO_CALLS }],
      })
      .finalMessage();
    const uses = message.content.flatMap((block) => (block.type === 'tool_use' ? [block] : []));
    expect(uses.map((use) => [use.name, use.input])).toEqual([
      ['calculator', { expression: '6*7' }],
      ['current_time', { zone: '{UTC}' }],
    ]);
    expect(uses[0]?.id).toMatch(/^toolu_[0-9a-f]{24}$/);
    expect(uses[0]?.id).not.toBe(uses[1]?.id);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(message.usage.output_tokens).toBeGreaterThan(2);
  });

  it('answers tool results, marking a failed one', async () => {
    const message = await anthropicClient(simulator).messages.create({
      model: 'rampart-sim-1',
      max_tokens: 200,
      tools: ANTHROPIC_TOOLS,
      messages: [
        { role: 'user', content: TWO_CALLS },
        {
          role: 'assistant',
          content: [
            { type: 'tool_use', id: 'toolu_1', name: 'calculator', input: {} },
            { type: 'tool_use', id: 'toolu_2', name: 'current_time', input: {} },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: '42' },
            {
              type: 'tool_result',
              tool_use_id: 'toolu_2',
              content: 'clock offline',
              is_error: true,
            },
          ],
        },
      ],
    });
    const [block] = message.content;
    expect(block?.type === 'text' && block.text).toBe(
      'Simulated answer from tool results: calculator returned 42; current_time failed with error: clock offline.',
    );
  });

  it('refuses a request without max_tokens in Anthropic error shape', async () => {
    const client = anthropicClient(simulator);
    const body = { model: 'rampart-sim-1', messages: [{ role: 'user', content: 'hi' }] };
    const failure = await client.messages
      .create(body as unknown as Anthropic.MessageCreateParamsNonStreaming)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Anthropic.BadRequestError);
    const error = failure as InstanceType<typeof Anthropic.BadRequestError>;
    expect(error.status).toBe(400);
    expect(error.error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(error.message).toContain('max_tokens');
  });
});

import { describe, expect, it } from 'vitest';
import type { ModelEvent, Usage } from '../core/index.js';
import { decodeMessage, decodeMessagesStream } from '../protocol/anthropic/index.js';
import { decodeChatCompletion, decodeChatCompletionStream } from '../protocol/openai/index.js';
import type { SseEvent } from '../protocol/sse/index.js';
import { pricingSchema } from '../config/pricing-schema.js';
import { PriceBook } from './price-book.js';

/*
 * Field cases P19 and P20: what providers report, through our decoders, priced by our book.
 * Prices: input 3, cached 0.3, cache write 3.75, output 15 dollars per million tokens.
 */
const prices = new PriceBook(
  pricingSchema.parse({
    models: { 'p/m': { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 } },
  }),
);
const target = { provider: 'p', model: 'm' };
// 4000·P_in + 16000·P_cr + 900·P_out, in nanodollars.
const P20_NANOS = 4_000 * 3_000 + 16_000 * 300 + 900 * 15_000;

function usageOf(events: ModelEvent[]): Usage | undefined {
  return events.findLast((event) => event.type === 'usage')?.usage;
}

async function collect(events: AsyncIterable<ModelEvent>): Promise<ModelEvent[]> {
  const all: ModelEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

async function* sse(events: SseEvent[]): AsyncIterable<SseEvent> {
  for (const event of events) yield event;
}

const openaiUsage = (extra: Record<string, unknown> = {}) => ({
  prompt_tokens: 20_000,
  prompt_tokens_details: { cached_tokens: 16_000 },
  completion_tokens: 900,
  total_tokens: 20_900,
  ...extra,
});

function openaiCompletion(usage: unknown) {
  return {
    id: 'c',
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
    usage,
  };
}

function openaiStream(usage: unknown): SseEvent[] {
  const chunk = (body: unknown) => ({ data: JSON.stringify(body) });
  return [
    chunk({ choices: [{ index: 0, delta: { role: 'assistant', content: 'hi' } }], usage: null }),
    chunk({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: null }),
    chunk({ choices: [], usage }),
    { data: '[DONE]' },
  ];
}

const anthropicUsage = {
  input_tokens: 4_000,
  cache_read_input_tokens: 16_000,
  cache_creation_input_tokens: 0,
  output_tokens: 900,
};

function anthropicStream(usage: Record<string, number>): SseEvent[] {
  const event = (name: string, body: unknown) => ({ event: name, data: JSON.stringify(body) });
  const { output_tokens: output, ...input } = usage;
  return [
    event('message_start', {
      type: 'message_start',
      message: { id: 'm', role: 'assistant', content: [], usage: { ...input, output_tokens: 1 } },
    }),
    event('content_block_start', {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'text', text: '' },
    }),
    event('content_block_delta', {
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text: 'hi' },
    }),
    event('content_block_stop', { type: 'content_block_stop', index: 0 }),
    event('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn' },
      usage: { output_tokens: output },
    }),
    event('message_stop', { type: 'message_stop' }),
  ];
}

function anthropicMessage(usage: unknown) {
  return {
    id: 'm',
    type: 'message',
    role: 'assistant',
    content: [{ type: 'text', text: 'hi' }],
    stop_reason: 'end_turn',
    usage,
  };
}

function cost(usage: Usage | undefined): number {
  expect(usage).toBeDefined();
  return prices.modelCost(target, usage!).nanos;
}

describe('reported usage, priced (P19, P20)', () => {
  it('prices OpenAI cached tokens at the cached rate, streamed or not', async () => {
    const whole = usageOf(decodeChatCompletion(openaiCompletion(openaiUsage())));
    const streamed = usageOf(
      await collect(decodeChatCompletionStream(sse(openaiStream(openaiUsage())))),
    );
    expect(whole).toEqual({ inputTokens: 4_000, cachedInputTokens: 16_000, outputTokens: 900 });
    expect(streamed).toEqual(whole);
    expect(cost(whole)).toBe(P20_NANOS);
  });

  it('prices Anthropic cache reads apart from input, streamed or not', async () => {
    const whole = usageOf(decodeMessage(anthropicMessage(anthropicUsage)));
    const streamed = usageOf(
      await collect(decodeMessagesStream(sse(anthropicStream(anthropicUsage)))),
    );
    expect(streamed).toEqual(whole);
    expect(cost(whole)).toBe(P20_NANOS);
  });

  it('prices Anthropic cache writes at the cache-write rate', async () => {
    const written = { ...anthropicUsage, cache_creation_input_tokens: 2_000 };
    const streamed = usageOf(await collect(decodeMessagesStream(sse(anthropicStream(written)))));
    expect(cost(streamed)).toBe(P20_NANOS + 2_000 * 3_750);
  });

  it('clamps cached tokens above the prompt: never a negative cost', () => {
    const odd = openaiUsage({ prompt_tokens: 1_000 });
    const usage = usageOf(decodeChatCompletion(openaiCompletion(odd)));
    expect(usage?.inputTokens).toBe(0);
    expect(cost(usage)).toBe(16_000 * 300 + 900 * 15_000);
    expect(cost(usage)).toBeGreaterThan(0);
  });

  it('ignores a provider cost of 0 (or any cost) and prices the tokens', async () => {
    const free = openaiUsage({ cost: 0 });
    const streamed = usageOf(await collect(decodeChatCompletionStream(sse(openaiStream(free)))));
    expect(cost(streamed)).toBe(P20_NANOS);
    const whole = usageOf(decodeChatCompletion(openaiCompletion(openaiUsage({ cost: 99 }))));
    expect(cost(whole)).toBe(P20_NANOS);
  });
});

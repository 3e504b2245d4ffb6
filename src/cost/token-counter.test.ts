import { describe, expect, it } from 'vitest';
import type { Message } from '../core/index.js';
import { CharsPerToken } from './calibration.js';
import { TokenCounter, type CountTarget } from './token-counter.js';

const gpt4o: CountTarget = { provider: 'openai', model: 'gpt-4o', kind: 'openai' };
const gpt4: CountTarget = { provider: 'openai', model: 'gpt-4-0613', kind: 'openai' };
const claude: CountTarget = {
  provider: 'anthropic',
  model: 'claude-sonnet-4-5',
  kind: 'anthropic',
};

const user = (text: string): Message => ({ role: 'user', content: [{ type: 'text', text }] });

async function ready(...targets: CountTarget[]) {
  const counter = new TokenCounter();
  for (const target of targets) await counter.prepare(target);
  return counter;
}

describe('TokenCounter on OpenAI encodings', () => {
  it('counts known strings as tiktoken does', async () => {
    const counter = await ready(gpt4o, gpt4);
    // Counts published in OpenAI's cookbook for these strings.
    expect(counter.countText(gpt4, 'tiktoken is great!')).toBe(6);
    expect(counter.countText(gpt4, 'antidisestablishmentarianism')).toBe(6);
    expect(counter.countText(gpt4o, 'antidisestablishmentarianism')).toBe(6);
    expect(counter.countText(gpt4o, 'hello world')).toBe(2);
    // Where the two encodings differ.
    expect(counter.countText(gpt4o, 'Rampart counts every token.')).toBe(6);
    expect(counter.countText(gpt4, 'Rampart counts every token.')).toBe(7);
  });

  it('adds the chat format: 3 per message, 3 to prime the reply, tools apart', async () => {
    const counter = await ready(gpt4o);
    const messages: Message[] = [{ role: 'system', content: 'hello world' }, user('hello world')];
    // 3 + (3 + 1 + 2) * 2: "system" and "user" are one token each.
    expect(counter.countPrompt(gpt4o, { messages })).toBe(15);
    const tools = [{ name: 'lookup', parameters: { type: 'object' } }];
    const withTools = counter.countPrompt(gpt4o, { messages, tools });
    const definition = counter.countText(gpt4o, 'lookup\n\n{"type":"object"}');
    expect(withTools).toBe(15 + 7 + definition + 12);
  });

  it('knows OpenAI models by id on any provider, and o-series by prefix', async () => {
    const counter = await ready({ provider: 'azure', model: 'o3-mini' });
    expect(counter.countText({ provider: 'azure', model: 'o3-mini' }, 'hello world')).toBe(2);
  });

  it('estimates until an encoding is loaded, then counts exactly', async () => {
    const counter = new TokenCounter();
    const text = 'x'.repeat(400);
    expect(counter.countText(gpt4o, text)).toBe(100);
    await counter.prepare(gpt4o);
    expect(counter.countText(gpt4o, text)).not.toBe(100);
  });

  it('counts special-token text in a prompt as plain text instead of throwing', async () => {
    const counter = await ready(gpt4o);
    expect(counter.countText(gpt4o, '<|endoftext|>')).toBeGreaterThan(1);
  });

  it('learns nothing for an encoded model', async () => {
    const counter = await ready(gpt4o);
    counter.observe(gpt4o, { messages: [user('a'.repeat(1_000))] }, usageOf(50));
    expect(counter.charsPerToken(gpt4o)).toBe(4);
  });
});

function usageOf(input: number, cached = 0) {
  return { inputTokens: input - cached, cachedInputTokens: cached, outputTokens: 1 };
}

describe('TokenCounter calibration', () => {
  const prompt = { messages: [user('word '.repeat(400))] }; // 2000 characters, one message

  it('converges on the ratio the provider reports', () => {
    const counter = new TokenCounter();
    // The provider bills 2000 characters as 800 tokens (+3 overhead): 2.5 characters a token.
    for (let call = 0; call < 40; call++) counter.observe(claude, prompt, usageOf(803));
    expect(counter.charsPerToken(claude)).toBeCloseTo(2.5, 2);
    expect(counter.countPrompt(claude, prompt)).toBe(803);
  });

  it('counts cached and written prompt tokens as billed prompt tokens', () => {
    const counter = new TokenCounter();
    for (let call = 0; call < 40; call++) counter.observe(claude, prompt, usageOf(803, 700));
    expect(counter.countPrompt(claude, prompt)).toBe(803);
  });

  it('moves a bounded step on an outlier and recovers from it', () => {
    const counter = new TokenCounter();
    for (let call = 0; call < 40; call++) counter.observe(claude, prompt, usageOf(503));
    const settled = counter.charsPerToken(claude);
    expect(settled).toBeCloseTo(4, 2);
    // One report of 20 000 tokens for the same prompt (0.1 characters a token).
    counter.observe(claude, prompt, usageOf(20_003));
    const moved = counter.charsPerToken(claude);
    expect(moved).toBeCloseTo(settled - 0.2 * (settled - settled / 1.25), 6);
    for (let call = 0; call < 10; call++) counter.observe(claude, prompt, usageOf(503));
    expect(counter.charsPerToken(claude)).toBeCloseTo(4, 1);
  });

  it('ignores short prompts, zero, negative and estimated reports', () => {
    const counter = new TokenCounter();
    counter.observe(claude, { messages: [user('hi')] }, usageOf(1));
    counter.observe(claude, prompt, usageOf(0));
    counter.observe(claude, prompt, { inputTokens: 1, outputTokens: 1, estimated: true });
    counter.observe(claude, prompt, { inputTokens: Number.NaN, outputTokens: 1 });
    expect(counter.charsPerToken(claude)).toBe(4);
  });

  it('keeps the ratio within bounds however long the reports push', () => {
    const ratio = new CharsPerToken(4);
    for (let call = 0; call < 200; call++) ratio.observe(10_000, 1);
    expect(ratio.ratio).toBe(CharsPerToken.MAX);
    for (let call = 0; call < 200; call++) ratio.observe(1_000, 100_000);
    expect(ratio.ratio).toBe(CharsPerToken.MIN);
  });

  it('learns per target: one model does not move another', () => {
    const counter = new TokenCounter();
    const other = { provider: 'local', model: 'llama' };
    for (let call = 0; call < 20; call++) counter.observe(claude, prompt, usageOf(1_003));
    expect(counter.charsPerToken(other)).toBe(4);
  });

  it('marks estimated usage and never returns zero for a non-empty prompt', () => {
    const usage = new TokenCounter().estimateUsage(
      claude,
      { messages: [user('hi')] },
      { text: 'an answer', toolCalls: [{ id: 'c', name: 'calc', arguments: '{}' }] },
    );
    expect(usage).toEqual({ inputTokens: 4, outputTokens: 3 + 2, estimated: true });
  });
});

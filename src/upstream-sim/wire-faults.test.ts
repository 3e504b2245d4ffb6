import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startUpstreamSimulator, type UpstreamSimulator } from './index.js';
import { anthropicClient, openAIClient } from './test-support/simulator-clients.js';

let simulator: UpstreamSimulator;

beforeAll(async () => {
  simulator = await startUpstreamSimulator({ answerTokens: 6 });
});
afterAll(() => simulator.close());

const fault = (spec: string) => ({ headers: { 'x-sim-fault': spec } });

async function settledInFlight() {
  await vi.waitFor(() => expect(simulator.stats().inFlight).toBe(0));
}

/** Iterates a stream, keeping what arrived before it failed. */
async function drain<T>(stream: AsyncIterable<T>): Promise<{ items: T[]; error: unknown }> {
  const items: T[] = [];
  try {
    for await (const item of stream) items.push(item);
    return { items, error: undefined };
  } catch (error) {
    return { items, error };
  }
}

describe('wire faults seen by the official OpenAI client', () => {
  const messages = [{ role: 'user' as const, content: 'Tell me about tides' }];
  const streamed = (spec: string, options: { signal?: AbortSignal } = {}) =>
    openAIClient(simulator).chat.completions.create(
      { model: 'rampart-sim-1', messages, stream: true },
      { ...fault(spec), ...options },
    );

  it('gets the status with Retry-After and the OpenAI error body', async () => {
    const client = openAIClient(simulator);
    const failure = await client.chat.completions
      .create({ model: 'rampart-sim-1', messages }, fault('kind=status code=429 retry-after=2'))
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.RateLimitError);
    const error = failure as InstanceType<typeof OpenAI.RateLimitError>;
    expect([error.status, error.headers.get('retry-after'), error.code]).toEqual([
      429,
      '2',
      'rate_limit_exceeded',
    ]);
  });

  it('gets a status from a directive in the message', async () => {
    const failure = await openAIClient(simulator)
      .chat.completions.create({
        model: 'rampart-sim-1',
        messages: [{ role: 'user', content: 'hi [[sim-fault kind=status code=503]]' }],
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.InternalServerError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
  });

  it('times out on a hang before the first byte, and the simulator lets go', async () => {
    const client = openAIClient(simulator, { timeout: 200 });
    const failure = await client.chat.completions
      .create({ model: 'rampart-sim-1', messages }, fault('kind=hang-before-first-byte'))
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    await settledInFlight();
  });

  it('fails after exactly N chunks when the connection is cut', async () => {
    const { items, error } = await drain(await streamed('kind=cut after=3'));
    expect(items).toHaveLength(3);
    expect(error).toBeInstanceOf(Error);
    expect(items.some((chunk) => chunk.choices[0]?.finish_reason)).toBe(false);
  });

  it('fails on a malformed chunk', async () => {
    const { items, error } = await drain(await streamed('kind=malformed after=2'));
    expect(items).toHaveLength(2);
    expect(String(error)).toMatch(/JSON/i);
  });

  it('throws the in-band error after N events', async () => {
    const { items, error } = await drain(await streamed('kind=in-band-error after=2'));
    expect(items).toHaveLength(2);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toContain('overloaded');
  });

  it('drips events at the slow-drip interval', async () => {
    const times: number[] = [];
    for await (const chunk of await streamed('kind=slow-drip interval=40')) {
      if (chunk.object === 'chat.completion.chunk') times.push(performance.now());
    }
    const gaps = times.slice(1).map((time, index) => time - times[index]!);
    // Six text chunks and the finish chunk, each 40 ms after the one before.
    expect(times).toHaveLength(7);
    expect(Math.min(...gaps)).toBeGreaterThan(30);
  });

  it('stops mid-stream after N chunks until the client aborts', async () => {
    const controller = new AbortController();
    const stream = await streamed('kind=hang-mid-stream after=2', { signal: controller.signal });
    const started = performance.now();
    const timer = setTimeout(() => controller.abort(), 150);
    // The SDK ends the iteration quietly when its caller aborts.
    const { items, error } = await drain(stream);
    clearTimeout(timer);
    expect(items).toHaveLength(2);
    expect(error).toBeUndefined();
    expect(performance.now() - started).toBeGreaterThan(140);
    await settledInFlight();
  });
});

describe('wire faults seen by the official Anthropic client', () => {
  const body = {
    model: 'rampart-sim-1',
    max_tokens: 100,
    messages: [{ role: 'user' as const, content: 'Tell me about tides' }],
  };
  const streamed = (spec: string) =>
    anthropicClient(simulator).messages.create({ ...body, stream: true }, fault(spec));

  it('gets the status with Retry-After and the Anthropic error body', async () => {
    const client = anthropicClient(simulator);
    const limited = await client.messages
      .create(body, fault('kind=status code=429 retry-after=5'))
      .catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    const error = limited as InstanceType<typeof Anthropic.RateLimitError>;
    expect([error.status, error.headers?.get('retry-after')]).toEqual([429, '5']);
    const overloaded = (await client.messages
      .create(body, fault('kind=status code=529'))
      .catch((failure: unknown) => failure)) as InstanceType<typeof Anthropic.APIError>;
    expect(overloaded).toBeInstanceOf(Anthropic.APIError);
    expect(overloaded.status).toBe(529);
    expect(overloaded.error).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
  });

  it('times out on a hang before the first byte', async () => {
    const client = anthropicClient(simulator, { timeout: 200 });
    const failure = await client.messages
      .create(body, fault('kind=hang-before-first-byte'))
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
    await settledInFlight();
  });

  it('fails after exactly N events when the connection is cut', async () => {
    const { items, error } = await drain(await streamed('kind=cut after=4'));
    // message_start and ping, then the first text block's start and delta; the SDK hides ping.
    expect(items.map((event) => event.type)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
    ]);
    expect(error).toBeInstanceOf(Error);
  });

  it('fails on a malformed event', async () => {
    const { error } = await drain(await streamed('kind=malformed after=3'));
    expect(error).toBeInstanceOf(Error);
  });

  it('throws the in-band overloaded error after the lifecycle events', async () => {
    const { items, error } = await drain(await streamed('kind=in-band-error after=2'));
    expect(items.map((event) => event.type)).toEqual(['message_start']);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      error: { type: 'overloaded_error' },
    });
  });
});

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startUpstreamSimulator, type RecordedRequest, type UpstreamSimulator } from './index.js';
import { postJson, readUntilEnd, sseBlocks } from './test-support/simulator-clients.js';

let simulator: UpstreamSimulator;

beforeAll(async () => {
  simulator = await startUpstreamSimulator({ answerTokens: 4, maxBodyBytes: 2000 });
});
afterAll(() => simulator.close());

const chatBody = (content: string, extra: Record<string, unknown> = {}) => ({
  model: 'rampart-sim-1',
  messages: [{ role: 'user', content }],
  ...extra,
});
const messagesBody = (content: string, extra: Record<string, unknown> = {}) => ({
  ...chatBody(content, extra),
  max_tokens: 50,
});

const chatUrl = () => `${simulator.url}/v1/chat/completions`;
const messagesUrl = () => `${simulator.url}/v1/messages`;

describe('routes and errors', () => {
  it('answers an unknown path with 404 and a wrong method with 405, in OpenAI shape', async () => {
    const missing = await fetch(`${simulator.url}/v1/embeddings`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    const wrong = await fetch(chatUrl());
    expect([wrong.status, wrong.headers.get('allow')]).toEqual([405, 'POST']);
    await wrong.body?.cancel();
  });

  it('refuses malformed JSON with 400 in each format', async () => {
    const openai = await postJson(chatUrl(), '{"model": ');
    expect(openai.status).toBe(400);
    expect(JSON.parse(openai.text)).toMatchObject({
      error: { type: 'invalid_request_error', param: null },
    });
    const anthropic = await postJson(messagesUrl(), '[1,');
    expect(anthropic.status).toBe(400);
    expect(JSON.parse(anthropic.text)).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error' },
    });
  });

  it('refuses an invalid request naming the field', async () => {
    const { status, text } = await postJson(chatUrl(), {
      model: 'rampart-sim-1',
      messages: 'hello',
    });
    expect(status).toBe(400);
    expect(JSON.parse(text)).toMatchObject({ error: { param: 'messages' } });
  });

  it('refuses a body over the cap with 413 in each format, chunked or not', async () => {
    const big = chatBody('x'.repeat(3000));
    const openai = await postJson(chatUrl(), big);
    expect(openai.status).toBe(413);
    expect(JSON.parse(openai.text)).toMatchObject({ error: { type: 'invalid_request_error' } });
    const anthropic = await postJson(messagesUrl(), big);
    expect(anthropic.status).toBe(413);
    expect(JSON.parse(anthropic.text)).toMatchObject({ error: { type: 'request_too_large' } });
    const chunks = [new TextEncoder().encode(JSON.stringify(big))];
    const chunked = await fetch(chatUrl(), {
      method: 'POST',
      body: new ReadableStream({
        pull(controller) {
          const chunk = chunks.shift();
          if (chunk) controller.enqueue(chunk);
          else controller.close();
        },
      }),
      duplex: 'half',
    });
    expect(chunked.status).toBe(413);
    await chunked.body?.cancel();
  });

  it('refuses a bad x-sim-fault header with 400', async () => {
    const { status, text } = await postJson(chatUrl(), chatBody('hi'), {
      'x-sim-fault': 'kind=cut code=500',
    });
    expect(status).toBe(400);
    expect(JSON.parse(text)).toEqual({
      error: {
        message: 'x-sim-fault: code does not apply to cut-mid-stream',
        type: 'invalid_request_error',
        param: 'x-sim-fault',
        code: null,
      },
    });
  });

  it('never crashes on arbitrary bodies: every answer is a 2xx or a 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.json()), fc.boolean(), async (body, anthropic) => {
        const { status } = await postJson(anthropic ? messagesUrl() : chatUrl(), body);
        expect(status < 300 || (status >= 400 && status < 500)).toBe(true);
      }),
      { numRuns: 40 },
    );
    expect((await fetch(`${simulator.url}/v1/models`)).status).toBe(200);
  });
});

describe('wire format details', () => {
  it('streams Anthropic events in the documented order, ping after message_start', async () => {
    const { text } = await postJson(messagesUrl(), messagesBody('hi', { stream: true }));
    const names = sseBlocks(text).map((block) => /^event: (\S+)/.exec(block)?.[1]);
    expect(names).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
  });

  it('gives the same bytes for the same request, in both formats, streaming or not', async () => {
    for (const [url, body] of [
      [chatUrl(), chatBody('same', { stream: true, stream_options: { include_usage: true } })],
      [chatUrl(), chatBody('same')],
      [messagesUrl(), messagesBody('same', { stream: true })],
      [messagesUrl(), messagesBody('same')],
    ] as const) {
      const first = await postJson(url, body);
      const second = await postJson(url, body);
      expect(first.status).toBe(200);
      expect(second.text).toBe(first.text);
    }
    const other = await postJson(chatUrl(), chatBody('different'));
    expect(other.text).not.toBe((await postJson(chatUrl(), chatBody('same'))).text);
  });

  it('cuts the connection after exactly N events', async () => {
    const response = await fetch(chatUrl(), {
      method: 'POST',
      headers: { 'x-sim-fault': 'kind=cut after=2' },
      body: JSON.stringify(chatBody('hi', { stream: true })),
    });
    const { text, failed } = await readUntilEnd(response);
    expect(failed).toBe(true);
    expect(sseBlocks(text)).toHaveLength(2);
  });

  it('inserts one malformed chunk and carries on to the end', async () => {
    const { text } = await postJson(chatUrl(), chatBody('hi', { stream: true }), {
      'x-sim-fault': 'kind=malformed after=1',
    });
    const blocks = sseBlocks(text);
    expect(blocks[1]).toBe('data: {"choices": [');
    expect(blocks.at(-1)).toBe('data: [DONE]');
    // Four text chunks, the finish chunk and [DONE], plus the malformed one.
    expect(blocks).toHaveLength(7);
  });

  it('applies mid-stream faults to non-streaming bodies', async () => {
    const malformed = await postJson(chatUrl(), chatBody('hi'), {
      'x-sim-fault': 'kind=malformed',
    });
    expect(malformed.status).toBe(200);
    expect(() => JSON.parse(malformed.text) as unknown).toThrow();
    const inBand = await postJson(messagesUrl(), messagesBody('hi'), {
      'x-sim-fault': 'kind=in-band-error',
    });
    expect([inBand.status, JSON.parse(inBand.text)]).toEqual([
      200,
      {
        type: 'error',
        error: { type: 'overloaded_error', message: 'The simulated upstream is overloaded.' },
      },
    ]);
    await expect(
      postJson(chatUrl(), chatBody('hi'), { 'x-sim-fault': 'kind=cut' }),
    ).rejects.toThrow();
  });
});

describe('observability', () => {
  it('records requests with credentials redacted, and resets', async () => {
    simulator.reset();
    await postJson(chatUrl(), chatBody('remember me'), {
      authorization: 'Bearer sk-secret',
      'x-api-key': 'k',
    });
    const response = await fetch(`${simulator.url}/__requests`);
    const recorded = (await response.json()) as RecordedRequest[];
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { authorization: '[redacted]', 'x-api-key': '[redacted]' },
      body: chatBody('remember me'),
      outcome: 'completed',
    });
    const { startedAt, endedAt } = recorded[0]!;
    expect(endedAt).toBeGreaterThanOrEqual(startedAt);
    expect(JSON.stringify(recorded)).not.toContain('sk-secret');
    const stats = await (await fetch(`${simulator.url}/__stats`)).json();
    expect(stats).toEqual({
      requests: 1,
      inFlight: 0,
      peakInFlight: 1,
      cancelled: 0,
      byPath: { '/v1/chat/completions': 1 },
    });
    expect((await fetch(`${simulator.url}/__reset`, { method: 'POST' })).status).toBe(200);
    expect(simulator.requests()).toEqual([]);
    expect(simulator.stats().requests).toBe(0);
  });

  it('keeps only the last 100 requests', async () => {
    simulator.reset();
    for (let round = 0; round < 105; round++) await postJson(chatUrl(), chatBody(`n${round}`));
    const recorded = simulator.requests();
    expect(recorded).toHaveLength(100);
    expect(recorded[0]?.body).toEqual(chatBody('n5'));
  });
});

describe('concurrency', () => {
  let slow: UpstreamSimulator;

  beforeAll(async () => {
    slow = await startUpstreamSimulator({ firstTokenMs: 200, answerTokens: 3 });
  });
  afterAll(() => slow.close());

  it('records the exact peak of requests in flight', async () => {
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, index) =>
        postJson(
          `${slow.url}/v1/chat/completions`,
          chatBody(`question ${index}`, { stream: index % 2 === 0 }),
        ),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect(performance.now() - started).toBeGreaterThan(190);
    await vi.waitFor(() => expect(slow.stats().inFlight).toBe(0));
    expect(slow.stats()).toEqual({
      requests: 5,
      inFlight: 0,
      peakInFlight: 5,
      cancelled: 0,
      byPath: { '/v1/chat/completions': 5 },
    });
  });
});

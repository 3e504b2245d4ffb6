import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import fc from 'fast-check';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';

import { collectResponse, RampartError, type ModelEvent } from '../../core/index.js';
import { formatSseEvent, parseSseStream, SSE_KEEPALIVE } from '../sse/index.js';
import { createChatChunkEncoder } from './chunk-encoder.js';
import { decodeChatCompletionStream } from './stream-decoder.js';

const identity = { id: 'chatcmpl-rt', model: 'gpt-test', created: 1_700_000_000 };

/** Our client-facing bytes for a list of events, with a keep-alive before every event. */
function encodeStream(events: readonly ModelEvent[], includeUsage: boolean): string {
  const encoder = createChatChunkEncoder({ ...identity, includeUsage });
  const payloads = [...events.flatMap((event) => encoder.encode(event)), ...encoder.finish()];
  return payloads.map((data) => SSE_KEEPALIVE + formatSseEvent({ data })).join('');
}

const toolCallEvents = (index: number, name: string, pieces: string[]): ModelEvent[] => [
  { type: 'tool-call-start', index, id: `call_${index}`, name },
  ...pieces.map((argumentsDelta): ModelEvent => ({
    type: 'tool-call-delta',
    index,
    argumentsDelta,
  })),
  { type: 'tool-call-end', index, id: `call_${index}`, name, arguments: pieces.join('') },
];

const answer: ModelEvent[] = [
  { type: 'text-delta', text: 'Checking 你好 😀: ' },
  ...toolCallEvents(0, 'weather', ['{"city":', '"Paris"}']),
  ...toolCallEvents(1, 'time', ['', '{}', '""']),
  { type: 'usage', usage: { inputTokens: 40, outputTokens: 9, cachedInputTokens: 60 } },
  { type: 'finish', reason: 'tool-calls' },
];

let server: Server | undefined;

afterEach(async () => {
  const current = server;
  server = undefined;
  if (!current) return;
  current.closeAllConnections();
  await new Promise((resolve) => current.close(resolve));
});

/** Serves fixed bytes as an event stream on 127.0.0.1, port 0; returns an SDK client for it. */
async function sdkClientFor(body: string): Promise<OpenAI> {
  server = createServer((request, response) => {
    request.resume();
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.end(body);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return new OpenAI({ apiKey: 'test', baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
}

const request = { model: 'gpt-test', messages: [{ role: 'user' as const, content: 'hi' }] };

describe('our chunks in the official openai SDK', () => {
  it('assemble into the same completion, with usage from the last chunk', async () => {
    const client = await sdkClientFor(encodeStream(answer, true));
    const stream = client.chat.completions.stream({
      ...request,
      stream_options: { include_usage: true },
    });
    const completion = await stream.finalChatCompletion();
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]?.message.content).toBe('Checking 你好 😀: ');
    expect(completion.choices[0]?.message.tool_calls).toEqual([
      {
        id: 'call_0',
        type: 'function',
        function: { name: 'weather', arguments: '{"city":"Paris"}' },
      },
      { id: 'call_1', type: 'function', function: { name: 'time', arguments: '{}""' } },
    ]);
    expect(completion.usage).toEqual({
      prompt_tokens: 100,
      completion_tokens: 9,
      total_tokens: 109,
      prompt_tokens_details: { cached_tokens: 60 },
    });
  });

  it('P21b: without include_usage every chunk has a choice', async () => {
    const client = await sdkClientFor(encodeStream(answer, false));
    const chunks = [];
    for await (const chunk of await client.chat.completions.create({ ...request, stream: true })) {
      chunks.push(chunk);
    }
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.choices).toHaveLength(1);
      expect(chunk).not.toHaveProperty('usage');
    }
  });

  it('P23: an error event reaches the SDK as an API error with our code', async () => {
    const cut = new RampartError(
      'RAMPART_UPSTREAM_STREAM_TRUNCATED',
      'Upstream stream ended early',
    );
    const events: ModelEvent[] = [
      { type: 'text-delta', text: 'Half' },
      { type: 'error', error: cut, beforeContent: false },
    ];
    const client = await sdkClientFor(encodeStream(events, false));
    const texts: string[] = [];
    const failure = await (async () => {
      try {
        for await (const chunk of await client.chat.completions.create({
          ...request,
          stream: true,
        })) {
          texts.push(chunk.choices[0]?.delta.content ?? '');
        }
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(texts).toEqual(['Half']);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).code).toBe(
      'RAMPART_UPSTREAM_STREAM_TRUNCATED',
    );
  });
});

describe('encoder and decoder agree', () => {
  const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 });
  const call = fc.record({
    name: fc.constantFrom('weather', 'search', 'f'),
    pieces: fc.array(
      fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('{"a": "b"}', '\\d', '')),
      {
        maxLength: 4,
      },
    ),
  });
  const scenario = fc.record({
    texts: fc.array(text, { maxLength: 4 }),
    calls: fc.array(call, { maxLength: 3 }),
    reason: fc.constantFrom('stop' as const, 'length' as const),
  });

  it('decodes what the encoder wrote, through SSE bytes split in 7-byte reads', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ texts, calls, reason }) => {
        const events: ModelEvent[] = [
          ...texts.map((piece): ModelEvent => ({ type: 'text-delta', text: piece })),
          ...calls.flatMap((entry, index) => toolCallEvents(index, entry.name, entry.pieces)),
          { type: 'usage', usage: { inputTokens: 5, outputTokens: 7 } },
          { type: 'finish', reason: calls.length > 0 && reason === 'stop' ? 'tool-calls' : reason },
        ];
        const bytes = new TextEncoder().encode(encodeStream(events, true));
        const reads = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, index) =>
          bytes.subarray(index * 7, index * 7 + 7),
        );
        const decoded = await collectResponse(
          decodeChatCompletionStream(parseSseStream(fromArray(reads))),
        );
        expect(decoded).toEqual(await collectResponse(fromArray(events)));
      }),
      { numRuns: 100 },
    );
  });
});

async function* fromArray<T>(items: readonly T[]) {
  for (const item of items) yield await Promise.resolve(item);
}

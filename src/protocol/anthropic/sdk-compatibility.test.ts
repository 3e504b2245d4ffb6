import Anthropic from '@anthropic-ai/sdk';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RampartError, ResponseCollector, type ModelEvent } from '../../core/index.js';
import { formatSseEvent } from '../sse/index.js';
import { buildMessage } from './build-message.js';
import { createMessagesEventEncoder, pingEvent } from './messages-event-encoder.js';

/*
 * Serves what our encoder writes from a real HTTP server and reads it with the official
 * Anthropic SDK: if the SDK assembles the expected message, real clients will too.
 */

let server: Server;
let client: Anthropic;
let reply: { stream: boolean; events: ModelEvent[] } = { stream: true, events: [] };

function streamBody(events: ModelEvent[]): string {
  const encoder = createMessagesEventEncoder({
    id: 'msg_sdk',
    model: 'claude-sdk',
    inputTokens: 31,
  });
  const sse = [
    pingEvent(),
    ...events.flatMap((event) => encoder.encode(event)),
    ...encoder.finish(),
  ];
  return sse.map(formatSseEvent).join('');
}

function jsonBody(events: ModelEvent[]): string {
  const collector = new ResponseCollector();
  for (const event of events) collector.add(event);
  return JSON.stringify(buildMessage({ id: 'msg_sdk', model: 'claude-sdk' }, collector.result()));
}

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const type = reply.stream ? 'text/event-stream' : 'application/json';
      response.writeHead(200, { 'content-type': type });
      response.end(reply.stream ? streamBody(reply.events) : jsonBody(reply.events));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = new Anthropic({
    baseURL: `http://127.0.0.1:${port}`,
    apiKey: 'test-key',
    maxRetries: 0,
  });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const params = {
  model: 'claude-sdk',
  max_tokens: 100,
  messages: [{ role: 'user' as const, content: 'Weather in A and B?' }],
};

const toolAnswer: ModelEvent[] = [
  { type: 'text-delta', text: 'Checking ' },
  { type: 'text-delta', text: 'both.' },
  { type: 'tool-call-start', index: 0, id: 'toolu_A', name: 'weather' },
  { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city": ' },
  { type: 'tool-call-delta', index: 0, argumentsDelta: '"A"}' },
  { type: 'tool-call-end', index: 0, id: 'toolu_A', name: 'weather', arguments: '{"city": "A"}' },
  { type: 'tool-call-start', index: 1, id: 'toolu_B', name: 'weather' },
  { type: 'tool-call-delta', index: 1, argumentsDelta: '{"city":"B","days":2}' },
  {
    type: 'tool-call-end',
    index: 1,
    id: 'toolu_B',
    name: 'weather',
    arguments: '{"city":"B","days":2}',
  },
  { type: 'usage', usage: { inputTokens: 31, outputTokens: 44, cachedInputTokens: 8 } },
  { type: 'finish', reason: 'tool-calls' },
];

const expectedContent = [
  { type: 'text', text: 'Checking both.' },
  { type: 'tool_use', id: 'toolu_A', name: 'weather', input: { city: 'A' } },
  { type: 'tool_use', id: 'toolu_B', name: 'weather', input: { city: 'B', days: 2 } },
];

describe('the official Anthropic SDK reading our output', () => {
  it('assembles text and two tool_use blocks from messages.stream()', async () => {
    reply = { stream: true, events: toolAnswer };
    const texts: string[] = [];
    const stream = client.messages.stream(params).on('text', (delta) => texts.push(delta));
    const message = await stream.finalMessage();

    expect(texts.join('')).toBe('Checking both.');
    expect(message.id).toBe('msg_sdk');
    expect(message.content).toMatchObject(expectedContent);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toMatchObject({
      input_tokens: 31,
      output_tokens: 44,
      cache_read_input_tokens: 8,
    });
  });

  it('yields the raw events in order from create({stream: true})', async () => {
    reply = {
      stream: true,
      events: [
        { type: 'text-delta', text: 'Hi' },
        { type: 'usage', usage: { inputTokens: 31, outputTokens: 2 } },
        { type: 'finish', reason: 'length' },
      ],
    };
    const stream = await client.messages.create({ ...params, stream: true });
    const types: string[] = [];
    let stopReason: string | null = null;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'message_delta') stopReason = event.delta.stop_reason;
    }
    expect(types).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(stopReason).toBe('max_tokens');
  });

  it('surfaces our error event as an APIError with the Anthropic error type', async () => {
    const error = new RampartError('RAMPART_UPSTREAM_UNAVAILABLE', 'Overloaded');
    reply = {
      stream: true,
      events: [
        { type: 'text-delta', text: 'Hi' },
        { type: 'error', error, beforeContent: false },
      ],
    };
    const stream = client.messages.stream(params);
    const failure = await stream.finalMessage().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(failure).toBeInstanceOf(Anthropic.APIError);
    expect((failure as InstanceType<typeof Anthropic.APIError>).type).toBe('overloaded_error');
  });

  it('reads the non-streaming message from create()', async () => {
    reply = { stream: false, events: toolAnswer };
    const message = await client.messages.create(params);
    expect(message.content).toEqual(
      expectedContent.map((block) =>
        block.type === 'tool_use' ? block : { type: 'text', text: block.text },
      ),
    );
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toEqual({
      input_tokens: 31,
      output_tokens: 44,
      cache_read_input_tokens: 8,
    });
  });
});

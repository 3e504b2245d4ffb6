import { Writable } from 'node:stream';

import { afterEach, describe, expect, it } from 'vitest';

import { createLogger } from '../../core/index.js';
import { separateReads } from '../http/test-support/script-server.js';
import { createOpenAIProvider } from './openai-provider.js';
import { chunk, roleChunk, sse, toolCall, usageChunk } from './test-support/openai-recording.js';
import { closeAll, ending, run, setup, texts, track } from './test-support/provider-harness.js';

afterEach(closeAll);

describe('createOpenAIProvider', () => {
  it('P01: streams text split across reads, asking upstream for a stream with usage', async () => {
    const big = 'x'.repeat(40 * 1024);
    const bytes = sse(
      [
        roleChunk,
        chunk({ content: 'Hello' }),
        chunk({ content: big }),
        chunk({}, 'stop'),
        usageChunk(9, 3),
        '[DONE]',
      ],
      '\r\n',
    );
    const middle = bytes.indexOf(big) + 20_000;
    const crlf = bytes.indexOf('\r\n') + 1;
    const pieces = [bytes.slice(0, crlf), bytes.slice(crlf, middle), bytes.slice(middle)];
    const { server, provider } = await setup({ steps: separateReads(pieces) });

    const events = await run(provider);

    expect(texts(events)).toEqual(['Hello', big]);
    expect(events.slice(-2)).toEqual([
      { type: 'usage', usage: { inputTokens: 9, outputTokens: 3 } },
      { type: 'finish', reason: 'stop' },
    ]);
    const [recorded] = server.requests;
    expect(recorded?.url).toBe('/v1/chat/completions');
    expect(recorded?.headers.authorization).toBe('Bearer sk-test');
    expect(recorded?.headers.accept).toBe('text/event-stream');
    expect(JSON.parse(recorded!.body)).toEqual({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'Hello?' }],
      max_tokens: 64,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('sends no Authorization header without a key, and adds configured headers', async () => {
    const body = sse([chunk({ content: 'ok' }, 'stop'), '[DONE]']);
    const { server } = await setup({ steps: [body] });
    const provider = track(
      createOpenAIProvider({
        name: 'local',
        baseUrl: `${server.origin}/v1`,
        headers: { 'x-org': 'acme' },
      }),
    );
    expect(ending(await run(provider))).toEqual({ type: 'finish', reason: 'stop' });
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
    expect(server.requests[0]?.headers['x-org']).toBe('acme');
  });

  it('assembles parallel tool calls, including two calls at the same index', async () => {
    const body = sse([
      chunk({
        role: 'assistant',
        content: null,
        tool_calls: [toolCall(0, { id: 'call_A', name: 'weather', args: '' })],
      }),
      chunk({ tool_calls: [toolCall(0, { args: '{"city":' })] }),
      chunk({ tool_calls: [toolCall(1, { id: 'call_B', name: 'time', args: '{}' })] }),
      chunk({ tool_calls: [toolCall(0, { args: '"A"}' })] }),
      chunk({ tool_calls: [toolCall(0, { id: 'call_C', name: 'weather', args: '{"city":"C"}' })] }),
      chunk({}, 'tool_calls'),
      usageChunk(20, 30),
      '[DONE]',
    ]);
    const { provider } = await setup({ steps: separateReads(body.split(/(?<=\n\n)/)) });
    const events = await run(provider);
    const ends = events.filter((event) => event.type === 'tool-call-end');
    expect(ends).toEqual([
      { type: 'tool-call-end', index: 0, id: 'call_A', name: 'weather', arguments: '{"city":"A"}' },
      { type: 'tool-call-end', index: 1, id: 'call_B', name: 'time', arguments: '{}' },
      { type: 'tool-call-end', index: 2, id: 'call_C', name: 'weather', arguments: '{"city":"C"}' },
    ]);
    expect(ending(events)).toEqual({ type: 'finish', reason: 'tool-calls' });
  });

  it('P10, P11: passes malformed and truncated arguments through verbatim', async () => {
    const body = sse([
      chunk({ tool_calls: [toolCall(0, { id: 'c1', name: 'grep', args: '{"pattern": "' })] }),
      chunk({ tool_calls: [toolCall(0, { args: '\\d+\\.\\d+' })] }),
      chunk({ tool_calls: [toolCall(0, { args: '"}' })] }),
      chunk({ tool_calls: [toolCall(1, { id: 'c2', name: 'f', args: '' })] }),
      chunk({ tool_calls: [toolCall(1, { args: '{}' })] }),
      chunk({ tool_calls: [toolCall(1, { args: '""' })] }),
      chunk({
        tool_calls: [
          toolCall(2, { id: 'c3', name: 'weather', args: '{"city":"Paris","units":"metr' }),
        ],
      }),
      chunk({}, 'length'),
      '[DONE]',
    ]);
    const { provider } = await setup({ steps: [body] });
    const events = await run(provider);
    const argumentsOf = events.flatMap((event) =>
      event.type === 'tool-call-end' ? [event.arguments] : [],
    );
    expect(argumentsOf).toEqual([
      '{"pattern": "\\d+\\.\\d+"}',
      '{}""',
      '{"city":"Paris","units":"metr',
    ]);
    expect(ending(events)).toEqual({ type: 'finish', reason: 'length' });
  });

  it('P20: splits cached tokens out of the prompt tokens', async () => {
    const body = sse([
      chunk({ content: 'Hi' }),
      chunk({}, 'stop'),
      usageChunk(20000, 900, 16000),
      '[DONE]',
    ]);
    const { provider } = await setup({ steps: [body] });
    const events = await run(provider);
    expect(events.find((event) => event.type === 'usage')).toEqual({
      type: 'usage',
      usage: { inputTokens: 4000, outputTokens: 900, cachedInputTokens: 16000 },
    });
  });

  it('P04: skips comments and a non-JSON data payload, and logs only its size', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(line: Buffer, _encoding, callback) {
        lines.push(line.toString());
        callback();
      },
    });
    const body = [
      ': PROCESSING\n\n:\n\n: ping - 2024-01-01\n\n',
      'data: : keepalive\n\n',
      sse([chunk({ content: 'Hi' }), chunk({}, 'stop'), '[DONE]']),
    ];
    const { provider } = await setup(
      { steps: separateReads(body) },
      { logger: createLogger({ destination }) },
    );
    const events = await run(provider);
    expect(texts(events)).toEqual(['Hi']);
    expect(ending(events)).toEqual({ type: 'finish', reason: 'stop' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ provider: 'test-openai', payloadLength: 11 });
    expect(lines[0]).not.toContain('keepalive');
  });

  it('P03: reads data without a space after the colon', async () => {
    const body =
      'data:{"choices":[{"delta":{"content":"Hello"},"index":0}]}\n\ndata:{"choices":[{"delta":{},"index":0,"finish_reason":"stop"}]}\n\ndata:[DONE]\n\n';
    const { provider } = await setup({ steps: [body] });
    const events = await run(provider);
    expect(events).toEqual([
      { type: 'text-delta', text: 'Hello' },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('decodes a whole JSON completion from a server that ignores stream', async () => {
    const completion = {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      choices: [
        { index: 0, message: { role: 'assistant', content: 'Whole' }, finish_reason: 'stop' },
      ],
      usage: { prompt_tokens: 2, completion_tokens: 1, total_tokens: 3 },
    };
    const { provider } = await setup({
      headers: { 'content-type': 'application/json' },
      steps: [JSON.stringify(completion)],
    });
    expect(await run(provider)).toEqual([
      { type: 'text-delta', text: 'Whole' },
      { type: 'usage', usage: { inputTokens: 2, outputTokens: 1 } },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('turns an in-band error into an error event', async () => {
    const error = {
      error: {
        message: 'Rate limit reached for requests',
        type: 'requests',
        code: 'rate_limit_exceeded',
      },
    };
    const { provider } = await setup({ steps: [sse([roleChunk, JSON.stringify(error)])] });
    expect(ending(await run(provider))).toMatchObject({
      type: 'error',
      code: 'RAMPART_UPSTREAM_RATE_LIMITED',
      beforeContent: true,
    });
  });
});

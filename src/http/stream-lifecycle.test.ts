import { connect } from 'node:net';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { readSse, startTestServer, type TestServer } from '../app/test-support/harness.js';

function slowServer(options: {
  tokensPerSecond: number;
  answerTokens: number;
  graceMs?: number;
  drainMs?: number;
  keepAliveMs?: number;
}) {
  return startTestServer({
    config: {
      providers: {
        simulated: {
          type: 'simulated',
          firstTokenMs: 0,
          tokensPerSecond: options.tokensPerSecond,
          answerTokens: options.answerTokens,
        },
      },
      server: {
        shutdownGraceMs: options.graceMs ?? 10_000,
        drainDelayMs: options.drainMs ?? 0,
        keepAliveIntervalMs: options.keepAliveMs ?? 15_000,
      },
    },
  });
}

async function openStream(server: TestServer, key: string, content = 'Tell me a long story') {
  return fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'rampart-sim-1',
      stream: true,
      messages: [{ role: 'user', content }],
    }),
  });
}

describe('graceful shutdown', () => {
  it('turns readiness off, refuses new turns, and lets an open stream finish', async () => {
    const server = await slowServer({ tokensPerSecond: 20, answerTokens: 12, drainMs: 300 });
    const key = await server.key('alice');
    const response = await openStream(server, key);
    const reader = response.body!.getReader();
    await reader.read();
    const closing = server.rampart.close();
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    const late = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'rampart-sim-1', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(late.status).toBe(503);
    expect(((await late.json()) as { error: { code: string } }).error.code).toBe(
      'RAMPART_SHUTTING_DOWN',
    );
    let rest = '';
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest += decoder.decode(value, { stream: true });
    }
    expect(rest).toContain('"finish_reason":"stop"');
    expect(rest.trimEnd().endsWith('data: [DONE]')).toBe(true);
    await closing;
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    await server.close();
  });

  it('ends a stream that outlives the grace period with a shutdown error, never as complete', async () => {
    const server = await slowServer({ tokensPerSecond: 10, answerTokens: 500, graceMs: 300 });
    const key = await server.key('alice');
    const response = await openStream(server, key);
    const reading = readSse(response);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    await server.rampart.close();
    expect(performance.now() - started).toBeLessThan(2500);
    const events = await reading;
    const data = events.map((event) => event.data);
    expect(data).not.toContain('[DONE]');
    const last = JSON.parse(data.at(-1)!) as { error: { code: string } };
    expect(last.error.code).toBe('RAMPART_SHUTTING_DOWN');
    await server.close();
  });
});

describe('shutdown during a non-streaming request', () => {
  it('answers 503 RAMPART_SHUTTING_DOWN, not a client-closed error', async () => {
    const server = await slowServer({ tokensPerSecond: 10, answerTokens: 500, graceMs: 200 });
    const key = await server.key('alice');
    const pending = fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'rampart-sim-1', messages: [{ role: 'user', content: 'hi' }] }),
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closing = server.rampart.close();
    const response = await pending;
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'RAMPART_SHUTTING_DOWN',
    );
    await closing;
    await server.close();
  });
});

describe('keep-alives on quiet streams (field case P05)', () => {
  it('sends lone comment lines that no decoder can take for an empty event', async () => {
    const server = await slowServer({ tokensPerSecond: 0, answerTokens: 4, keepAliveMs: 80 });
    try {
      const key = await server.key('alice');
      const content = 'hello [[sim-fault kind=slow-drip interval=250]]';
      const response = await openStream(server, key, content);
      const bytes = await response.text();
      expect(bytes).toContain(': keep-alive\n');
      // Every block that ends in a blank line must carry data.
      for (const block of bytes.split('\n\n').filter((part) => part.trim() !== '')) {
        expect(
          block.split('\n').some((line) => line.startsWith('data: ')),
          block,
        ).toBe(true);
      }
      expect(bytes).not.toMatch(/^(id|retry):/m);

      const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: key, maxRetries: 0 });
      const stream = await client.chat.completions.create({
        model: 'rampart-sim-1',
        stream: true,
        messages: [{ role: 'user', content }],
      });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      expect(text.split(' ').filter(Boolean)).toHaveLength(4);
    } finally {
      await server.close();
    }
  });
});

describe('a client that stops reading', () => {
  it('is cut off after the drain timeout, so it cannot hold a slot of the global cap', async () => {
    const server = await startTestServer({
      config: {
        providers: {
          simulated: {
            type: 'simulated',
            firstTokenMs: 0,
            tokensPerSecond: 0,
            answerTokens: 200_000,
          },
        },
        server: { drainTimeoutMs: 300 },
        limits: { global: { maxConcurrentModelCalls: 1 }, queue: { maxWaitMs: 10_000 } },
      },
    });
    const key = await server.key('alice');
    const { port } = new URL(server.url);
    const socket = connect(Number(port), '127.0.0.1');
    socket.pause();
    const body = JSON.stringify({
      model: 'rampart-sim-1',
      stream: true,
      messages: [{ role: 'user', content: 'a very long answer please' }],
    });
    socket.write(
      `POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${key}\r\n` +
        `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    try {
      const started = performance.now();
      const response = await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'rampart-sim-1',
          max_tokens: 5,
          messages: [{ role: 'user', content: 'hi' }],
        }),
      });
      expect(response.status).toBe(200);
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      socket.destroy();
      await server.close();
    }
  });
});

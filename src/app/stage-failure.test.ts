import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TurnStage } from '../runtime/index.js';
import { readSse, startTestServer, type TestServer } from './test-support/harness.js';
import { newSession, postJson } from './test-support/session-client.js';

/** A stage with a bug: it throws once the answer's text has begun to go out. */
const faulty: TurnStage = {
  name: 'faulty',
  async *transform(_turn, events) {
    let deltas = 0;
    for await (const event of events) {
      yield event;
      if (event.type === 'text-delta' && ++deltas === 3) throw new Error('a bug in a stage');
    }
  },
};

let server: TestServer;
let key: string;

beforeAll(async () => {
  server = await startTestServer({ stages: [faulty] });
  key = await server.key('alice');
});
afterAll(() => server.close());

const body = (stream: boolean) => ({
  model: 'rampart-sim-1',
  messages: [{ role: 'user', content: 'hello' }],
  stream,
});

describe('a stage that throws mid-turn', () => {
  it('ends a stream with an error event, not a stream that simply stops', async () => {
    const response = await postJson(server, key, '/v1/chat/completions', body(true));
    const events = await readSse(response);
    const last = events.at(-1);
    expect(last?.data).not.toBe('[DONE]');
    expect(JSON.parse(last?.data ?? '{}')).toMatchObject({ error: { code: 'RAMPART_INTERNAL' } });
  });

  it('makes the official client raise instead of returning a truncated answer', async () => {
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: key, maxRetries: 0 });
    const consume = async () => {
      const stream = await client.chat.completions.create({
        model: 'rampart-sim-1',
        messages: [{ role: 'user', content: 'hello' }],
        stream: true,
      });
      for await (const chunk of stream) void chunk;
    };
    await expect(consume()).rejects.toThrow();
  });

  it('sends some of the answer before the error, so the failure is mid-stream', async () => {
    const response = await postJson(server, key, '/v1/chat/completions', body(true));
    expect(response.status).toBe(200);
    const events = await readSse(response);
    const texts = events.slice(0, -1).map((event) => JSON.parse(event.data));
    expect(texts.some((chunk) => chunk.choices?.[0]?.delta?.content)).toBe(true);
  });

  it('answers a non-streaming request with a 500 in the OpenAI error shape', async () => {
    const response = await postJson(server, key, '/v1/chat/completions', body(false));
    expect(response.status).toBe(500);
    expect(((await response.json()) as any).error.code).toBe('RAMPART_INTERNAL');
  });

  it('ends a streamed session turn with an error event', async () => {
    const session = await newSession(server, key);
    const path = `/v1/sessions/${session}/messages`;
    const response = await postJson(server, key, path, { content: 'hello', stream: true });
    const events = await readSse(response);
    expect(events.at(-1)?.event).toBe('error');
  });
});

import OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startUpstreamSimulator, type UpstreamSimulator } from '../upstream-sim/index.js';
import { startTestServer, type TestServer } from './test-support/harness.js';

// The chaos suite continues answers from Anthropic on OpenAI; this is the other way round.
let openaiSide: UpstreamSimulator;
let anthropicSide: UpstreamSimulator;
let server: TestServer;
let client: OpenAI;

beforeAll(async () => {
  openaiSide = await startUpstreamSimulator({ answerTokens: 20 });
  anthropicSide = await startUpstreamSimulator({ answerTokens: 20 });
  server = await startTestServer({
    config: {
      providers: {
        first: { type: 'openai', baseUrl: `${openaiSide.url}/v1`, apiKey: 'sk-test' },
        second: { type: 'anthropic', baseUrl: anthropicSide.url, apiKey: 'ak-test' },
      },
      models: {
        relay: {
          provider: 'first',
          model: 'rampart-sim-1',
          fallbacks: [{ provider: 'second', model: 'rampart-sim-1' }],
          continueOnFailure: true,
        },
      },
      resilience: { breaker: { enabled: false } },
    },
  });
  client = new OpenAI({
    baseURL: `${server.url}/v1`,
    apiKey: await server.key('olga'),
    maxRetries: 0,
  });
});
afterAll(async () => {
  await server.close();
  await Promise.all([openaiSide.close(), anthropicSide.close()]);
});

it('continues an answer cut on an OpenAI upstream on an Anthropic one, without repeating', async () => {
  const content = 'Tell me about lighthouses';
  const messages = [{ role: 'user' as const, content }];
  const clean = await client.chat.completions.create({ model: 'relay', messages });
  openaiSide.setFaults([{ kind: 'cut-mid-stream', after: 6 }]);
  openaiSide.reset();

  const stream = await client.chat.completions.create({ model: 'relay', messages, stream: true });
  let text = '';
  const finishes: string[] = [];
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta.content ?? '';
    const finish = chunk.choices[0]?.finish_reason;
    if (finish) finishes.push(finish);
  }

  expect(text).toBe(clean.choices[0]?.message.content);
  expect(finishes).toEqual(['stop']);
  const continued = anthropicSide.requests().at(-1)?.body as {
    messages: { role: string; content: unknown }[];
  };
  expect(continued.messages.at(-1)?.role).toBe('assistant');
  expect(openaiSide.requests()).toHaveLength(1);
});

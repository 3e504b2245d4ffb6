import Anthropic from '@anthropic-ai/sdk';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../app/test-support/harness.js';

/*
 * `POST /v1/messages/count_tokens` read by the official Anthropic SDK (`messages.countTokens`).
 * The OpenAI-family model is counted with its encoding, so its counts are exact; no model is
 * called, so its provider's address is never contacted.
 */

let server: TestServer;
let client: Anthropic;
let key: string;

beforeAll(async () => {
  server = await startTestServer({
    config: {
      providers: {
        simulated: { type: 'simulated' },
        oa: { type: 'openai', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'sk-test' },
      },
      models: {
        sim: { provider: 'simulated', model: 'rampart-sim-1' },
        omni: { provider: 'oa', model: 'gpt-4o' },
      },
      routing: { routes: { auto: { models: { small: 'sim', large: 'omni' } } } },
    },
  });
  key = await server.key('alice');
  client = new Anthropic({ baseURL: server.url, apiKey: key, maxRetries: 0 });
});
afterAll(() => server.close());

const ask = (text: string) => [{ role: 'user' as const, content: text }];

describe('counting the tokens of a request', () => {
  it('counts exactly with the encoding of an OpenAI-family model', async () => {
    const once = await client.messages.countTokens({ model: 'omni', messages: ask('lighthouse') });
    const added = ' keepers trimmed the wicks every night';
    const twice = await client.messages.countTokens({
      model: 'omni',
      messages: ask(`lighthouse${added}`),
    });
    expect(once.input_tokens).toBeGreaterThan(0);
    expect(twice.input_tokens - once.input_tokens).toBe(
      encode(`lighthouse${added}`).length - encode('lighthouse').length,
    );
  });

  it('counts the system prompt and the tools', async () => {
    const messages = ask('What is the weather in Oslo?');
    const bare = await client.messages.countTokens({ model: 'omni', messages });
    const withSystem = await client.messages.countTokens({
      model: 'omni',
      system: 'You answer in one sentence.',
      messages,
    });
    const withTools = await client.messages.countTokens({
      model: 'omni',
      messages,
      tools: [
        {
          name: 'get_weather',
          description: 'The weather in a city now',
          input_schema: { type: 'object', properties: { city: { type: 'string' } } },
        },
      ],
    });
    expect(withSystem.input_tokens).toBeGreaterThan(bare.input_tokens);
    expect(withTools.input_tokens).toBeGreaterThan(bare.input_tokens + 10);
  });

  it('estimates a model without an encoding, growing with the text', async () => {
    const short = await client.messages.countTokens({ model: 'sim', messages: ask('hi') });
    const long = await client.messages.countTokens({
      model: 'sim',
      messages: ask('word '.repeat(800)),
    });
    // About four characters a token until reported usage corrects the ratio.
    expect(long.input_tokens - short.input_tokens).toBeGreaterThan(900);
    expect(long.input_tokens - short.input_tokens).toBeLessThan(1100);
  });

  it('gives a routing route the most any model it may choose counts', async () => {
    const messages = ask('Summarise the history of lighthouses in Norway in three paragraphs.');
    const counts = await Promise.all(
      ['sim', 'omni', 'auto'].map((model) => client.messages.countTokens({ model, messages })),
    );
    const [sim, omni, auto] = counts.map((count) => count.input_tokens);
    expect(auto).toBe(Math.max(sim ?? 0, omni ?? 0));
  });

  it('refuses an unknown model, a malformed body and a missing key, in the Anthropic shape', async () => {
    await expect(
      client.messages.countTokens({ model: 'nope', messages: ask('hi') }),
    ).rejects.toMatchObject({ status: 404, error: { error: { type: 'not_found_error' } } });
    const post = (body: string, headers: Record<string, string> = { 'x-api-key': key }) =>
      fetch(`${server.url}/v1/messages/count_tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    const noMessages = await post(JSON.stringify({ model: 'sim' }));
    expect(noMessages.status).toBe(400);
    expect(await noMessages.json()).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', param: 'messages' },
    });
    const broken = await post('{"model": "sim", "messages": [');
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { type: string }).type).toBe('error');
    const notAnObject = await post('[1, 2]');
    expect(notAnObject.status).toBe(400);
    const anonymous = await post(JSON.stringify({ model: 'sim', messages: ask('hi') }), {});
    expect(anonymous.status).toBe(401);
  });

  it('answers concurrent counts each for its own request', async () => {
    const texts = Array.from({ length: 40 }, (_, index) => 'word '.repeat(index * 10 + 1));
    const counts = await Promise.all(
      texts.map((text) => client.messages.countTokens({ model: 'omni', messages: ask(text) })),
    );
    const alone = await Promise.all(
      texts.map((text) => client.messages.countTokens({ model: 'omni', messages: ask(text) })),
    );
    expect(counts).toEqual(alone);
    for (let index = 1; index < counts.length; index++) {
      expect(counts[index]!.input_tokens).toBeGreaterThan(counts[index - 1]!.input_tokens);
    }
  });
});

describe('counting under a rate limit', () => {
  let limited: TestServer;
  let limitedKey: string;
  beforeAll(async () => {
    limited = await startTestServer({
      config: { limits: { tiers: { standard: { requestsPerMinute: 3 } } } },
    });
    limitedKey = await limited.key('bob');
  });
  afterAll(() => limited.close());

  it("takes a user's counts from a bucket of their own, as many a minute as their requests", async () => {
    const count = () =>
      fetch(`${limited.url}/v1/messages/count_tokens`, {
        method: 'POST',
        headers: { 'x-api-key': limitedKey, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'rampart-sim-1', messages: ask('hi') }),
      });
    // Requests refused for their body take nothing from the limit.
    for (let index = 0; index < 4; index++) {
      const malformed = await fetch(`${limited.url}/v1/messages/count_tokens`, {
        method: 'POST',
        headers: { 'x-api-key': limitedKey, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'rampart-sim-1' }),
      });
      expect(malformed.status).toBe(400);
    }
    const answers = [];
    for (let index = 0; index < 4; index++) answers.push(await count());
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 429]);
    expect(answers.map((answer) => answer.headers.get('x-ratelimit-remaining-requests'))).toEqual([
      '2',
      '1',
      '0',
      '0',
    ]);
    const refused = await count();
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('x-ratelimit-limit-requests')).toBe('3');
    expect(await refused.json()).toMatchObject({
      type: 'error',
      error: { type: 'rate_limit_error', code: 'RAMPART_RATE_LIMITED' },
    });
    // The counts used none of the room of the user's turns.
    const turn = await fetch(`${limited.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': limitedKey, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'rampart-sim-1', max_tokens: 20, messages: ask('hi') }),
    });
    expect(turn.status).toBe(200);
  });
});

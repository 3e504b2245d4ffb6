import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../app/test-support/harness.js';

let server: TestServer;
let client: OpenAI;

beforeAll(async () => {
  server = await startTestServer({
    config: {
      providers: {
        simulated: { type: 'simulated', firstTokenMs: 0, tokensPerSecond: 50, answerTokens: 20 },
      },
    },
  });
  client = new OpenAI({
    baseURL: `${server.url}/v1`,
    apiKey: await server.key('alice'),
    maxRetries: 0,
  });
});
afterAll(() => server.close());

describe('the official openai client', () => {
  it('lists the models, marked as simulated', async () => {
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toEqual(['rampart-sim-1']);
    expect(models.data[0]).toMatchObject({ object: 'model', simulated: true });
  });

  it('gets a non-streaming completion with usage', async () => {
    const completion = await client.chat.completions.create({
      model: 'rampart-sim-1',
      messages: [{ role: 'user', content: 'Tell me about lighthouses' }],
    });
    const choice = completion.choices[0]!;
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('rampart-sim-1');
    expect(choice.finish_reason).toBe('stop');
    expect(choice.message.role).toBe('assistant');
    expect(choice.message.content!.split(' ').length).toBeGreaterThan(10);
    expect(completion.usage!.completion_tokens).toBe(20);
    expect(completion.usage!.total_tokens).toBe(
      completion.usage!.prompt_tokens + completion.usage!.completion_tokens,
    );
  });

  it('streams deltas as they are produced, then the usage chunk', async () => {
    const stream = await client.chat.completions.create({
      model: 'rampart-sim-1',
      messages: [{ role: 'user', content: 'Tell me about lighthouses' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const arrivals: number[] = [];
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta.content;
      if (delta) {
        arrivals.push(performance.now());
        text += delta;
      }
      if (chunk.choices[0]?.finish_reason) finish = chunk.choices[0].finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    // 20 tokens at 50 per second take about 400 ms: the first delta must arrive long before the last.
    expect(arrivals.length).toBeGreaterThan(5);
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThan(150);
    expect(finish).toBe('stop');
    expect(usage?.completion_tokens).toBe(20);
    const whole = await client.chat.completions.create({
      model: 'rampart-sim-1',
      messages: [{ role: 'user', content: 'Tell me about lighthouses' }],
    });
    expect(text).toBe(whole.choices[0]!.message.content);
  });

  it('sends no usage chunk without include_usage', async () => {
    const stream = await client.chat.completions.create({
      model: 'rampart-sim-1',
      messages: [{ role: 'user', content: 'hello' }],
      stream: true,
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((chunk) => chunk.choices.length === 1)).toBe(true);
    expect(chunks.some((chunk) => chunk.usage)).toBe(false);
  });

  it('receives the tool calls of tools it declared itself, in parallel', async () => {
    const tools: OpenAI.ChatCompletionTool[] = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
        },
      },
    ];
    const content = 'call get_weather {"city": "Paris"} and call get_weather {"city": "Oslo"}';
    const completion = await client.chat.completions.create({
      model: 'rampart-sim-1',
      messages: [{ role: 'user', content }],
      tools,
    });
    const calls = completion.choices[0]!.message.tool_calls!;
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
    expect(calls.map((call) => call.type === 'function' && call.function.arguments)).toEqual([
      '{"city": "Paris"}',
      '{"city": "Oslo"}',
    ]);

    const stream = client.chat.completions.stream({
      model: 'rampart-sim-1',
      messages: [{ role: 'user', content }],
      tools,
    });
    const final = await stream.finalChatCompletion();
    const streamed = final.choices[0]!.message.tool_calls!;
    expect(streamed).toHaveLength(2);
    expect(
      streamed.map((call) => call.type === 'function' && JSON.parse(call.function.arguments)),
    ).toEqual([{ city: 'Paris' }, { city: 'Oslo' }]);
    expect(new Set(streamed.map((call) => call.id)).size).toBe(2);

    const answer = await client.chat.completions.create({
      model: 'rampart-sim-1',
      tools,
      messages: [
        { role: 'user', content },
        final.choices[0]!.message,
        { role: 'tool', tool_call_id: streamed[0]!.id, content: 'sunny, 21 C' },
        { role: 'tool', tool_call_id: streamed[1]!.id, content: 'snow, -3 C' },
      ],
    });
    expect(answer.choices[0]!.message.content).toContain('sunny, 21 C');
    expect(answer.choices[0]!.message.content).toContain('snow, -3 C');
  });

  it('sees a 401 for a wrong key as the SDK error class', async () => {
    const stranger = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'rk_wrong', maxRetries: 0 });
    await expect(stranger.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectResponse, type ModelRequest } from '../core/index.js';
import { createAnthropicProvider } from '../providers/anthropic/index.js';
import { createOpenAIProvider } from '../providers/openai/index.js';
import { createSimulatedProvider } from '../providers/simulated/index.js';
import type { Provider } from '../providers/provider.js';
import { startUpstreamSimulator, type UpstreamSimulator } from './index.js';

/**
 * The in-process simulated provider must report each fault the way the real HTTP providers
 * report the same fault coming over the wire from the simulator.
 */
describe('in-process and over-the-wire faults agree', () => {
  let simulator: UpstreamSimulator;
  let providers: Provider[];

  beforeAll(async () => {
    simulator = await startUpstreamSimulator({ answerTokens: 6 });
    providers = [
      createSimulatedProvider({ answerTokens: 6 }),
      createOpenAIProvider({ name: 'openai', baseUrl: `${simulator.url}/v1`, apiKey: 'sk-test' }),
      createAnthropicProvider({ name: 'anthropic', baseUrl: simulator.url, apiKey: 'sk-test' }),
    ];
  });
  afterAll(async () => {
    await Promise.all(providers.map((provider) => provider.close()));
    await simulator.close();
  });

  const request = (text: string): ModelRequest => ({
    model: 'rampart-sim-1',
    maxTokens: 100,
    tools: [{ name: 'calculator', parameters: { type: 'object' } }],
    messages: [{ role: 'user', content: [{ type: 'text', text }] }],
  });

  it.each([
    ['kind=status code=429 retry-after=3', ['RAMPART_UPSTREAM_RATE_LIMITED', 429, 3]],
    ['kind=status code=400', ['RAMPART_UPSTREAM_INVALID_REQUEST', 400, undefined]],
    ['kind=status code=500', ['RAMPART_UPSTREAM_ERROR', 502, undefined]],
    ['kind=status code=529', ['RAMPART_UPSTREAM_UNAVAILABLE', 503, undefined]],
    ['kind=cut after=2', ['RAMPART_UPSTREAM_STREAM_TRUNCATED', 502, undefined]],
    ['kind=in-band-error after=2', ['RAMPART_UPSTREAM_UNAVAILABLE', 503, undefined]],
    ['kind=in-band-error code=429 after=3', ['RAMPART_UPSTREAM_RATE_LIMITED', 429, undefined]],
  ])('%s', async (spec, expected) => {
    for (const provider of providers) {
      const response = await collectResponse(provider.stream(request(`hi [[sim-fault ${spec}]]`)));
      const { error } = response;
      expect([provider.name, error?.code, error?.status, error?.retryAfterSeconds]).toEqual([
        provider.name,
        ...expected,
      ]);
      expect(response.finishReason).toBe('error');
    }
  });

  it('gives the same answer and tool calls', async () => {
    const results = await Promise.all(
      providers.map((provider) =>
        collectResponse(
          provider.stream(request('call calculator {"a": "}"} and call calculator {}')),
        ),
      ),
    );
    const views = results.map(({ text, toolCalls, usage, finishReason }) => ({
      text,
      calls: toolCalls.map((call) => [call.name, call.arguments]),
      usage,
      finishReason,
    }));
    expect(views[0]).toEqual({
      text: '',
      calls: [
        ['calculator', '{"a": "}"}'],
        ['calculator', '{}'],
      ],
      // 76 prompt characters (message, tool name and schema) over 4; a token per argument fragment.
      usage: { inputTokens: 19, outputTokens: 4 },
      finishReason: 'tool-calls',
    });
    expect(views[1]).toEqual(views[0]);
    expect(views[2]).toEqual(views[0]);
  });
});

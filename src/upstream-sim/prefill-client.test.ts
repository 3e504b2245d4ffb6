import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstreamSimulator, type UpstreamSimulator } from './index.js';
import { anthropicClient, openAIClient, postJson } from './test-support/simulator-clients.js';

let simulator: UpstreamSimulator;

beforeAll(async () => {
  simulator = await startUpstreamSimulator({ answerTokens: 16 });
});
afterAll(() => simulator.close());

const QUESTION = 'Explain how a canal lock raises a boat';
const OFF_PLAN = 'Locks work by letting water in';

/** Words with their leading whitespace, as the simulated model streams them. */
const tokensOf = (text: string) => text.match(/\s*\S+/g) ?? [];

describe('continuation with the official OpenAI client (prefix continuation)', () => {
  const client = () => openAIClient(simulator);
  const messages = (prefill?: string) => [
    { role: 'user' as const, content: QUESTION },
    ...(prefill === undefined ? [] : [{ role: 'assistant' as const, content: prefill }]),
  ];

  async function streamText(prefill: string, headers: Record<string, string> = {}) {
    const stream = await client().chat.completions.create(
      { model: 'rampart-sim-1', messages: messages(prefill), stream: true },
      { headers },
    );
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    return text;
  }

  it('continues a cut stream so that the two parts join to the whole answer', async () => {
    const whole = await client().chat.completions.create({
      model: 'rampart-sim-1',
      messages: messages(),
    });
    const planned = whole.choices[0]?.message.content ?? '';
    expect(tokensOf(planned)).toHaveLength(16);
    const cut = await client().chat.completions.create(
      { model: 'rampart-sim-1', messages: messages(), stream: true },
      { headers: { 'x-sim-fault': 'kind=cut after=6' } },
    );
    let partial = '';
    await expect(async () => {
      for await (const chunk of cut) partial += chunk.choices[0]?.delta.content ?? '';
    }).rejects.toThrow();
    expect(tokensOf(partial).length).toBeGreaterThan(2);
    const rest = await streamText(partial);
    expect(partial + rest).toBe(planned);
  });

  it('counts only the continuation as completion tokens', async () => {
    const planned = tokensOf(
      (await client().chat.completions.create({ model: 'rampart-sim-1', messages: messages() }))
        .choices[0]?.message.content ?? '',
    );
    const completion = await client().chat.completions.create({
      model: 'rampart-sim-1',
      messages: messages(planned.slice(0, 10).join('')),
    });
    expect(completion.choices[0]?.message.content).toBe(planned.slice(10).join(''));
    expect(completion.usage?.completion_tokens).toBe(6);
    expect(completion.choices[0]?.finish_reason).toBe('stop');
  });

  it('continues an off-plan prefill without repeating it, the same way every time', async () => {
    const first = await streamText(OFF_PLAN);
    expect(first.startsWith(' (simulated continuation)')).toBe(true);
    expect(first).not.toContain(OFF_PLAN);
    expect(await streamText(OFF_PLAN)).toBe(first);
    const body = { model: 'rampart-sim-1', messages: messages(OFF_PLAN), stream: true };
    const url = `${simulator.url}/v1/chat/completions`;
    expect((await postJson(url, body)).text).toBe((await postJson(url, body)).text);
  });
});

describe('continuation with the official Anthropic client (prefill)', () => {
  const client = () => anthropicClient(simulator);
  const request = (prefill?: string) => ({
    model: 'rampart-sim-1',
    max_tokens: 100,
    messages: [
      { role: 'user' as const, content: QUESTION },
      ...(prefill === undefined ? [] : [{ role: 'assistant' as const, content: prefill }]),
    ],
  });
  const textOf = (message: Anthropic.Message) =>
    message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');

  it('streams exactly the rest of the planned answer after the prefill', async () => {
    const planned = textOf(await client().messages.create(request()));
    const tokens = tokensOf(planned);
    for (const cut of [1, 7, 15]) {
      const prefill = tokens.slice(0, cut).join('');
      const message = await client().messages.stream(request(prefill)).finalMessage();
      expect(prefill + textOf(message)).toBe(planned);
      expect(message.usage.output_tokens).toBe(16 - cut);
      expect(message.stop_reason).toBe('end_turn');
    }
  });

  it('continues an off-plan prefill without repeating it, the same way every time', async () => {
    const first = textOf(await client().messages.create(request(OFF_PLAN)));
    expect(first.startsWith(' (simulated continuation)')).toBe(true);
    expect(first).not.toContain(OFF_PLAN);
    expect(textOf(await client().messages.create(request(OFF_PLAN)))).toBe(first);
  });

  it('still applies faults to a continuation', async () => {
    simulator.setFaults([{ kind: 'status', status: 529, match: 'canal' }]);
    try {
      const failure = await client()
        .messages.create(request('Simulated answer'))
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(Anthropic.APIError);
      expect((failure as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
    } finally {
      simulator.setFaults([]);
    }
  });
});

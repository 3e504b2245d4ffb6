import { describe, expect, it } from 'vitest';
import { collectResponse, type Message, type ModelRequest } from '../../core/index.js';
import { splitTokens } from './answer-text.js';
import { createSimulatedModel } from './simulated-model.js';
import { createSimulatedProvider } from './simulated-provider.js';

const TOOLS = [{ name: 'calculator', parameters: { type: 'object' } }];
const QUESTION = 'How do tides work along a rocky coast?';

const user = (text: string): Message => ({ role: 'user', content: [{ type: 'text', text }] });
const prefilled = (text: string): Message => ({
  role: 'assistant',
  content: text === '' ? [] : [{ type: 'text', text }],
  toolCalls: [],
});

function ask(messages: Message[], extra: Partial<ModelRequest> = {}): ModelRequest {
  return { model: 'rampart-sim-1', messages, ...extra };
}

const model = createSimulatedModel({ answerTokens: 20 });

/** The whole answer to the question, as a fresh request gets it. */
async function plannedAnswer(): Promise<string> {
  return (await collectResponse(model.stream(ask([user(QUESTION)])))).text;
}

async function continuationOf(prefill: string, extra: Partial<ModelRequest> = {}) {
  return collectResponse(model.stream(ask([user(QUESTION), prefilled(prefill)], extra)));
}

describe('continuing a prefill that starts the planned answer', () => {
  it('emits exactly the rest, for a prefill ending between or inside tokens', async () => {
    const planned = await plannedAnswer();
    const tokens = splitTokens(planned);
    for (const cut of [1, 5, 11, 19]) {
      const prefill = tokens.slice(0, cut).join('');
      const response = await continuationOf(prefill);
      expect(prefill + response.text).toBe(planned);
      expect(response.text.startsWith(' ')).toBe(true);
      expect(response.usage?.outputTokens).toBe(20 - cut);
      expect(response.finishReason).toBe('stop');
    }
    const inside = planned.slice(0, planned.indexOf('answer') + 3);
    const response = await continuationOf(inside);
    expect(response.text.startsWith('wer to')).toBe(true);
    expect(inside + response.text).toBe(planned);
  });

  it('compares the prefill with surrounding whitespace trimmed', async () => {
    const planned = await plannedAnswer();
    const prefill = splitTokens(planned).slice(0, 6).join('');
    const response = await continuationOf(`\n ${prefill}  `);
    expect(prefill + response.text).toBe(planned);
  });

  it('counts only emitted tokens against max tokens, and emits nothing for a whole answer', async () => {
    const planned = await plannedAnswer();
    const tokens = splitTokens(planned);
    const limited = await continuationOf(tokens.slice(0, 4).join(''), { maxTokens: 3 });
    expect(limited.text).toBe(tokens.slice(4, 7).join(''));
    expect([limited.usage?.outputTokens, limited.finishReason]).toEqual([3, 'length']);
    const whole = await continuationOf(planned);
    expect([whole.text, whole.usage?.outputTokens, whole.finishReason]).toEqual(['', 0, 'stop']);
  });

  it('treats an empty prefill as the start of the answer', async () => {
    expect((await continuationOf('')).text).toBe(await plannedAnswer());
  });

  it('continues into the planned tool calls, with the same ids', async () => {
    const messages = [user('call launch {"a": 1} and call calculator {"x": 2}')];
    const fresh = await collectResponse(model.stream(ask(messages, { tools: TOOLS })));
    const note = splitTokens(fresh.text);
    expect(note.length).toBeGreaterThan(3);
    const prefill = note.slice(0, 3).join('');
    const request = ask([...messages, prefilled(prefill)], { tools: TOOLS });
    const continued = await collectResponse(model.stream(request));
    expect(prefill + continued.text).toBe(fresh.text);
    expect(continued.toolCalls).toEqual(fresh.toolCalls);
    expect(continued.finishReason).toBe('tool-calls');
  });

  it('counts the prefill as prompt, as the real APIs do', async () => {
    const prefill = 'x'.repeat(400);
    const base = (await collectResponse(model.stream(ask([user(QUESTION)])))).usage?.inputTokens;
    expect((await continuationOf(prefill)).usage?.inputTokens).toBe((base ?? 0) + 100);
  });
});

describe('continuing a prefill the model would not have written', () => {
  const prefill = 'Tides are mostly the pull of the moon on';

  it('adds a short seeded continuation that does not repeat the prefill', async () => {
    const response = await continuationOf(prefill);
    expect(response.text.startsWith(' (simulated continuation)')).toBe(true);
    expect(response.text.endsWith('.')).toBe(true);
    const words = response.text.toLowerCase().split(/[^a-z]+/);
    for (const word of ['tides', 'are', 'the', 'moon', 'on']) expect(words).not.toContain(word);
    expect(response.text).not.toContain(prefill);
    expect(response.usage?.outputTokens).toBe(12);
    expect(splitTokens(response.text)).toHaveLength(12);
    expect(response.finishReason).toBe('stop');
  });

  it('is deterministic, and depends on the seed and the prefill', async () => {
    const request = ask([user(QUESTION), prefilled(prefill)]);
    const first = createSimulatedModel({ seed: 4 }).plan(request);
    expect(createSimulatedModel({ seed: 4 }).plan(request)).toEqual(first);
    expect(createSimulatedModel({ seed: 5 }).plan(request)).not.toEqual(first);
    const other = ask([user(QUESTION), prefilled(`${prefill} a`)]);
    expect(createSimulatedModel({ seed: 4 }).plan(other)).not.toEqual(first);
  });

  it('keeps within a short answer length', async () => {
    const short = createSimulatedModel({ answerTokens: 4 });
    const response = await collectResponse(short.stream(ask([user(QUESTION), prefilled('So')])));
    expect(response.text).toMatch(/^ \(simulated continuation\) [a-z]+ [a-z]+\.$/);
    expect(response.usage?.outputTokens).toBe(4);
  });
});

describe('what is not a continuation', () => {
  it('answers afresh after an assistant message with tool calls', async () => {
    const done: Message = {
      role: 'assistant',
      content: [{ type: 'text', text: 'Simulated answer' }],
      toolCalls: [{ id: 'call_1', name: 'calculator', arguments: '{}' }],
    };
    const response = await collectResponse(model.stream(ask([user(QUESTION), done])));
    expect(response.text.startsWith('Simulated answer to "How do tides work along…":')).toBe(true);
  });
});

describe('continuation in the simulated provider', () => {
  it('joins to the planned answer, and still takes faults', async () => {
    const provider = createSimulatedProvider({ answerTokens: 8 });
    const question = user('Why is the sky blue?');
    const planned = (await collectResponse(provider.stream(ask([question])))).text;
    const prefill = splitTokens(planned).slice(0, 5).join('');
    const continued = await collectResponse(provider.stream(ask([question, prefilled(prefill)])));
    expect(prefill + continued.text).toBe(planned);
    const faulted = user('Why is the sky blue? [[sim-fault kind=cut after=1]]');
    const cut = await collectResponse(provider.stream(ask([faulted, prefilled(prefill)])));
    expect(cut.error?.code).toBe('RAMPART_UPSTREAM_STREAM_TRUNCATED');
    expect(cut.text).toBe(splitTokens(planned)[5]);
  });
});

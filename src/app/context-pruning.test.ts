import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countTokens, TokenCounter } from '../cost/index.js';
import type { Message } from '../core/conversation.js';
import { newSession, postJson, sessionMessage } from './test-support/session-client.js';
import {
  RESERVE,
  startPruningRig,
  summaryIn,
  summaryInputs,
  SYSTEM_PROMPT,
  WINDOW,
  type PruningRig,
} from './test-support/pruning-rig.js';
import { pairsIntact } from '../cost/pruning/test-support/pairs.js';

// Early turns carry the facts; the fillers push them out of the verbatim part.
const FACT_TURNS = [
  'turn-01 My name is Zoë Castellanos and I moved to Lisbon on 12 March 2021.',
  'turn-02 My brother Rajesh Kumar sold 17 bicycles for $1,250 on 2023-11-05.',
  'turn-03 Our shop in Porto grew 42% after Ingrid Nilsen joined on 4 July 2022.',
];
const FACTS = [
  'Zoë Castellanos',
  'Lisbon',
  '12 March 2021',
  'Rajesh Kumar',
  '17 bicycles',
  '$1,250',
  '2023-11-05',
  'Porto',
  '42%',
  'Ingrid Nilsen',
  '4 July 2022',
];
const filler = (index: number) =>
  `turn-${String(index).padStart(2, '0')} please tell me something calm about the weather and tea.`;

let rig: PruningRig;
beforeAll(async () => {
  rig = await startPruningRig({
    tools: [
      {
        name: 'lookup',
        parameters: { type: 'object' },
        policy: { roles: ['*'] },
        // A large result with characters outside the BMP near every cut point.
        handler: async (args) => ({
          rows: '🎉 row Åsa 東京 '.repeat((args as { q?: number }).q === 9 ? 20_000 : 120),
        }),
      },
    ],
  });
});
beforeAll(() => counter.prepare(ASSISTANT_MODEL));
afterAll(() => rig.close());

/** The assistant's model as the token counter knows it: an OpenAI-format provider. */
const ASSISTANT_MODEL = { provider: 'big', model: 'rampart-sim-1', kind: 'openai' };
const counter = new TokenCounter();

/** A request's tokens as the model counts them (its encoding), not the character estimate. */
function modelTokens(request: Parameters<typeof countTokens>[0]): number {
  return counter.countPrompt(ASSISTANT_MODEL, request);
}

/** The requests sent to the assistant's model for one session. */
const requestsOf = (session: string) =>
  rig.seen.filter((seen) => seen.sessionId === session).map((seen) => seen.request);

/** Markers (`turn-NN`) of the user lines a summary request showed as new messages. */
function newMarkers(input: string): string[] {
  const lines = input.split('\n\nNew messages:\n')[1]?.split('\n') ?? [];
  return lines.flatMap((line) =>
    line.startsWith('User: ') ? (line.match(/turn-\d\d/) ?? []) : [],
  );
}

describe('context pruning in session turns', () => {
  let session: string;
  const summariesBefore = () => summaryInputs(rig).length;
  let firstSummary = 0;

  beforeAll(async () => {
    firstSummary = summariesBefore();
    session = await newSession(rig.server, rig.key);
    const turns = [...FACT_TURNS, ...Array.from({ length: 22 }, (_, index) => filler(index + 4))];
    for (const content of turns) {
      const { response } = await sessionMessage(rig.server, rig.key, session, content);
      expect(response.status).toBe(200);
    }
  });

  it('keeps every name, date and number of the folded turns in the summary sent to the model', () => {
    const last = requestsOf(session).at(-1)!;
    const summary = summaryIn(last) ?? '';
    // The fact turns are no longer sent verbatim...
    expect(JSON.stringify(last.messages)).not.toContain('turn-01');
    // ...but their facts are, whatever the summary model wrote.
    for (const fact of FACTS) expect(summary, fact).toContain(fact);
  });

  it('extends the summary: each call gets the previous summary and only the newly folded messages', () => {
    const inputs = summaryInputs(rig).slice(firstSummary);
    expect(inputs.length).toBeGreaterThanOrEqual(2);
    const batches = inputs.map(newMarkers);
    // The batches follow each other without overlap or gap, from the first turn on.
    const folded = batches.flat();
    const expected = Array.from(
      { length: folded.length },
      (_, i) => `turn-${String(i + 1).padStart(2, '0')}`,
    );
    expect(folded).toEqual(expected);
    expect(inputs[0]).toContain('Summary so far:\n(none yet)');
    for (let index = 1; index < inputs.length; index++) {
      expect(inputs[index]).not.toContain('Summary so far:\n(none yet)');
      // The previous summary is what the summary model wrote last time: the simulator quotes
      // the start of the request it answered.
      expect(inputs[index]).toContain('Simulated answer to "Summary so far:');
    }
  });

  it('records each summary call on its turn with the summary model as target, to be priced', () => {
    const turns = rig.usages.filter((usage) => usage.sessionId === session);
    const withSummary = turns.filter((usage) => usage.targets.includes('small/rampart-sim-1'));
    expect(withSummary).toHaveLength(summaryInputs(rig).length - firstSummary);
    for (const usage of withSummary) {
      expect(usage.targets).toEqual(['small/rampart-sim-1', 'big/rampart-sim-1']);
    }
  });

  it('never exceeds the window and always sends the system prompt first', () => {
    for (const request of requestsOf(session)) {
      expect(modelTokens(request)).toBeLessThanOrEqual(WINDOW - RESERVE);
      const first = request.messages[0];
      expect(first?.role).toBe('system');
      // The guard puts its canary before the prompt; the prompt itself is whole.
      expect(first?.role === 'system' && first.content.endsWith(`\n\n${SYSTEM_PROMPT}`)).toBe(true);
    }
    // Pruning held the requests near the budgets, far below the window.
    const sizes = requestsOf(session).map((request) => countTokens(request));
    expect(Math.max(...sizes)).toBeLessThan(1_000);
  });

  it('keeps the summary in the session state across a restart of the server', async () => {
    const dataDir = rig.server.dataDir;
    const first = await startPruningRig({ dataDir });
    const id = await newSession(first.server, first.key);
    for (const content of [...FACT_TURNS, ...Array.from({ length: 12 }, (_, i) => filler(i + 4))]) {
      await sessionMessage(first.server, first.key, id, content);
    }
    const calls = summaryInputs(first).length;
    expect(calls).toBeGreaterThanOrEqual(1);
    await first.server.close();
    const simulators = { big: first.big, small: first.small };
    const second = await startPruningRig({ dataDir, simulators });
    try {
      const { response } = await sessionMessage(second.server, first.key, id, filler(16));
      expect(response.status).toBe(200);
      const summary = summaryIn(second.seen.at(-1)!.request) ?? '';
      for (const fact of FACTS) expect(summary, fact).toContain(fact);
      // The next fold extends what was stored before the restart.
      for (let turn = 17; summaryInputs(second).length === calls; turn++) {
        await sessionMessage(second.server, first.key, id, filler(turn));
      }
      expect(summaryInputs(second).at(-1)).not.toContain('Summary so far:\n(none yet)');
    } finally {
      await second.close();
      await Promise.all([first.big.close(), first.small.close()]);
    }
  });
});

describe('when the summary model fails', () => {
  it('the turn still succeeds, trimmed, and the next turn tries the summary again', async () => {
    const session = await newSession(rig.server, rig.key);
    rig.small.setFaults([{ kind: 'status', status: 500 }]);
    const before = rig.small.requests().length;
    for (const content of [...FACT_TURNS, ...Array.from({ length: 9 }, (_, i) => filler(i + 4))]) {
      const { response } = await sessionMessage(rig.server, rig.key, session, content);
      expect(response.status).toBe(200);
    }
    expect(rig.small.requests().length).toBeGreaterThan(before);
    const last = requestsOf(session).at(-1)!;
    expect(JSON.stringify(last.messages)).not.toContain('turn-01');
    for (const fact of FACTS) expect(summaryIn(last) ?? '', fact).toContain(fact);
    rig.small.setFaults([]);
    const retried = summaryInputs(rig).length;
    await sessionMessage(rig.server, rig.key, session, filler(13));
    const inputs = summaryInputs(rig);
    expect(inputs.length).toBe(retried + 1);
    // Nothing was stored while it failed: the retry starts from the first turn.
    expect(inputs.at(-1)).toContain('Summary so far:\n(none yet)');
    expect(newMarkers(inputs.at(-1)!)[0]).toBe('turn-01');
  });
});

describe('tool results and hostile input', () => {
  it('shortens older tool results, keeps every call with its result, and stays in the window', async () => {
    const session = await newSession(rig.server, rig.key);
    for (let index = 0; index < 2; index++) {
      const content = `turn-t${index} please call lookup {"q": ${index}} now`;
      const { response } = await sessionMessage(rig.server, rig.key, session, content);
      expect(response.status).toBe(200);
    }
    const requests = requestsOf(session);
    for (const request of requests) {
      expect(pairsIntact(request.messages)).toBe(true);
      expect(modelTokens(request)).toBeLessThanOrEqual(WINDOW - RESERVE);
      // No half of a surrogate pair: every cut was made between characters.
      expect(JSON.stringify(request.messages)).not.toMatch(/\\ud[89ab][0-9a-f]{2}(?!\\udc)/i);
    }
    const last = requests.at(-1)!;
    const results = last.messages.filter((message) => message.role === 'tool');
    expect(results.length).toBeGreaterThan(1);
    for (const result of results.slice(0, -1)) {
      expect(result.content).toMatch(
        /^\[earlier tool result, shortened\] lookup: ok, \d+\.\d kB: /,
      );
    }
  });

  it('refuses a single message larger than the window with RAMPART_CONTEXT_TOO_LARGE, storing nothing', async () => {
    const session = await newSession(rig.server, rig.key);
    await sessionMessage(rig.server, rig.key, session, 'turn-h1 hello');
    const huge = 'Åsa 東京 🎉 '.repeat(5_000);
    const { response, body } = await sessionMessage(rig.server, rig.key, session, huge);
    expect(response.status).toBe(400);
    expect(body.error.code).toBe('RAMPART_CONTEXT_TOO_LARGE');
    const view = await fetch(`${rig.server.url}/v1/sessions/${session}`, {
      headers: { authorization: `Bearer ${rig.key}` },
    });
    const stored = (await view.json()) as { messages: unknown[] };
    expect(stored.messages).toHaveLength(2);
  });

  it('fits thousands of tiny messages from a stateless client into the window', async () => {
    const messages = Array.from({ length: 4_000 }, (_, index) => ({
      role: index % 2 === 0 ? 'user' : 'assistant',
      content: index === 0 ? 'Ada Lovelace wrote m0' : `m${index}`,
    }));
    const summaryCalls = rig.small.requests().length;
    const response = await postJson(rig.server, rig.key, '/v1/chat/completions', {
      model: 'big',
      messages: [
        { role: 'system', content: 'Be brief.' },
        ...messages,
        { role: 'user', content: 'last one' },
      ],
    });
    expect(response.status).toBe(200);
    const sent = rig.seen.at(-1)!.request;
    expect(modelTokens(sent)).toBeLessThanOrEqual(WINDOW - RESERVE);
    const first = sent.messages[0];
    expect(first?.role === 'system' && first.content.endsWith('\n\nBe brief.')).toBe(true);
    expect(sent.messages.at(-1)).toEqual({
      role: 'user',
      content: [{ type: 'text', text: 'last one' }],
    });
    // Stateless requests get no summary-model call, only the facts of what was left out.
    expect(rig.small.requests()).toHaveLength(summaryCalls);
    expect(sent.messages.length).toBeLessThan(4_000);
    expect(summaryIn(sent)).toContain('Names: Ada Lovelace');
  });
});

describe('random stateless conversations', () => {
  const content = fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.nat({ max: 30_000 }).map((size) => 'Ørsted 🎉 '.repeat(Math.ceil(size / 10))),
  );
  const turn = fc.record({
    user: content,
    results: fc.array(content, { maxLength: 3 }),
    answer: content,
  });

  /** OpenAI-format messages: each turn a user message, tool calls with their results, an answer. */
  function wireMessages(turns: Array<{ user: string; results: string[]; answer: string }>) {
    let id = 0;
    return turns.flatMap((entry) => {
      const ids = entry.results.map(() => `call_${id++}`);
      const calls = ids.map((callId) => ({
        id: callId,
        type: 'function',
        function: { name: 'lookup', arguments: '{}' },
      }));
      return [
        { role: 'user', content: entry.user },
        ...(calls.length > 0 ? [{ role: 'assistant', content: null, tool_calls: calls }] : []),
        ...entry.results.map((result, index) => ({
          role: 'tool',
          tool_call_id: ids[index],
          content: result,
        })),
        { role: 'assistant', content: entry.answer },
      ];
    });
  }

  it('fit the window with every call beside its result, or are refused as too large', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(turn, { minLength: 1, maxLength: 12 }),
        content,
        async (turns, last) => {
          const messages = [...wireMessages(turns), { role: 'user', content: last }];
          const before = rig.seen.length;
          const response = await postJson(rig.server, rig.key, '/v1/chat/completions', {
            model: 'big',
            messages: [{ role: 'system', content: 'Stay calm.' }, ...messages],
            tools: [
              { type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } },
            ],
          });
          const body = (await response.json()) as { error?: { code: string } };
          if (response.status === 400) {
            expect(body.error?.code).toBe('RAMPART_CONTEXT_TOO_LARGE');
            return;
          }
          expect(response.status).toBe(200);
          const sent = rig.seen.slice(before).at(-1)!.request;
          expect(modelTokens(sent)).toBeLessThanOrEqual(WINDOW - RESERVE);
          expect(pairsIntact(sent.messages)).toBe(true);
          const first = sent.messages[0];
          expect(first?.role === 'system' && first.content.endsWith('Stay calm.')).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });
});

interface WireMessage {
  role: string;
  content?: string | Array<{ type: string; text?: string }> | null;
  tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
}

/** An OpenAI-format request body as the token counter reads it. */
function toCounted(body: { messages: unknown[] }): { messages: Message[] } {
  const text = (content: WireMessage['content']) =>
    typeof content === 'string' ? content : (content ?? []).map((part) => part.text ?? '').join('');
  const messages = (body.messages as WireMessage[]).map((message): Message => {
    switch (message.role) {
      case 'system':
        return { role: 'system', content: text(message.content) };
      case 'tool':
        return {
          role: 'tool',
          toolCallId: message.tool_call_id ?? '',
          content: text(message.content),
        };
      case 'assistant':
        return {
          role: 'assistant',
          content: [{ type: 'text', text: text(message.content) }],
          toolCalls: (message.tool_calls ?? []).map((call) => ({
            id: call.id,
            name: call.function.name,
            arguments: call.function.arguments,
          })),
        };
      default:
        return { role: 'user', content: [{ type: 'text', text: text(message.content) }] };
    }
  });
  return { messages };
}

describe('pruning with budgets', () => {
  /** Prompt tokens of the requests a simulator received, and their max_tokens. */
  function received(simulator: PruningRig['big']) {
    return simulator.requests().map((seen) => {
      const body = seen.body as { messages: unknown[]; max_tokens?: number };
      return {
        tokens: counter.countPrompt(ASSISTANT_MODEL, toCounted(body)),
        max: body.max_tokens,
      };
    });
  }

  it('adds no max_tokens a budget does not need, and refits a downgraded turn to its window', async () => {
    const windows = { big: 6_000, small: 1_200 };
    const local = await startPruningRig({
      config: {
        models: {
          big: { provider: 'big', model: 'rampart-sim-1', contextWindow: windows.big },
          small: { provider: 'small', model: 'rampart-sim-1', contextWindow: windows.small },
        },
        pricing: { models: { 'big/rampart-sim-1': { input: 100, output: 100 } } },
        budgets: {
          roomy: { scope: 'user', window: 'day', tokens: 10_000_000 },
          dear: {
            scope: 'user',
            window: 'day',
            cost: 0.5,
            onExhausted: 'downgrade',
            downgradeTo: 'small',
          },
        },
      },
    });
    try {
      const session = await newSession(local.server, local.key);
      let downgraded = false;
      for (let index = 0; index < 20 && !downgraded; index++) {
        const content = `turn ${index}: ${'The quick brown fox jumps over the lazy dog. '.repeat(40)}`;
        const { response } = await sessionMessage(local.server, local.key, session, content);
        expect(response.status).toBe(200);
        downgraded = response.headers.get('x-rampart-budget') === 'dear; action=downgrade';
      }
      expect(downgraded).toBe(true);
      // While neither budget binds, the request keeps its own (absent) max_tokens.
      const big = received(local.big);
      expect(big[0]?.max).toBeUndefined();
      for (const sent of big) {
        expect(sent.tokens + (sent.max ?? RESERVE)).toBeLessThanOrEqual(windows.big);
      }
      // The cheap model also writes the summaries: every request it got fits its own window.
      const small = received(local.small);
      expect(small.length).toBeGreaterThan(0);
      for (const sent of small) {
        expect(sent.tokens + (sent.max ?? RESERVE)).toBeLessThanOrEqual(windows.small);
      }
    } finally {
      await local.close();
    }
  });
});

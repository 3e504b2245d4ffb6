import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canaryFor } from '../guard/canary.js';
import { RampartError } from '../core/errors.js';
import type { TurnEvent, TurnStage } from '../runtime/index.js';
import type { ToolDefinition } from '../tools/index.js';
import { startTestServer, type TestServer } from './test-support/harness.js';
import { getJson, newSession, sessionMessage } from './test-support/session-client.js';

const KEY = 'sk-ant-api03-TESTONLY000000';

/**
 * Splits every text and argument delta into one-character deltas before the output guard sees
 * them: the worst split a provider could send (field case P33).
 */
const splitDeltas: TurnStage = {
  name: 'split-deltas',
  async *transform(_turn, events): AsyncIterable<TurnEvent> {
    for await (const event of events) {
      if (event.type === 'text-delta') {
        for (const char of event.text) yield { type: 'text-delta', text: char };
      } else if (event.type === 'tool-call-delta') {
        for (const char of event.argumentsDelta) yield { ...event, argumentsDelta: char };
      } else yield event;
    }
  },
};

/**
 * Fails the model call the way a provider does when the message asks for it, with the provider's
 * own words about the failure echoing what it was sent (a card, a key, the system prompt).
 */
const failLikeUpstream: TurnStage = {
  name: 'fail-like-upstream',
  beforeModelCall(turn) {
    const asked = JSON.stringify(turn.input.messages);
    const words = asked.includes('upstream echoes the prompt')
      ? `Invalid request near: ${SYSTEM_PROMPT}`
      : asked.includes('upstream echoes values')
        ? `Invalid request near: card 4111 1111 1111 1111, key ${KEY}`
        : undefined;
    if (words === undefined) return Promise.resolve();
    const options = { status: 400, upstreamStatus: 400, upstreamText: words };
    throw new RampartError(
      'RAMPART_UPSTREAM_INVALID_REQUEST',
      'Upstream returned HTTP 400',
      options,
    );
  },
};

/** Fails a turn's second model call when its message asks for it: a turn that ends after a tool step. */
const calls = new WeakMap<object, number>();
const failSecondCall: TurnStage = {
  name: 'fail-second-call',
  beforeModelCall(turn) {
    const count = (calls.get(turn) ?? 0) + 1;
    calls.set(turn, count);
    const asked = JSON.stringify(turn.input.messages).includes('then fail');
    if (asked && count === 2) throw new RampartError('RAMPART_UPSTREAM_UNAVAILABLE', 'down');
    return Promise.resolve();
  },
};

const SYSTEM_PROMPT =
  'You are the billing assistant of Northwind Traders. Refunds above 200 euros need approval from ' +
  'the finance desk in Lyon. Never promise delivery dates for orders shipped from the Rotterdam ' +
  'warehouse, and always ask for the order number before discussing an invoice.';

function tool(name: string, result: unknown, extra: Partial<ToolDefinition> = {}): ToolDefinition {
  return {
    name,
    parameters: { type: 'object' },
    policy: { roles: ['*'] },
    handler: () => Promise.resolve(result),
    ...extra,
  };
}

/** What the `send_note` handler was called with. */
const sentNotes: string[] = [];
let server: TestServer;
let user: string;
let support: string;
let client: OpenAI;

beforeAll(async () => {
  server = await startTestServer({
    config: {
      assistants: {
        default: {
          model: 'rampart-sim-1',
          systemPrompt: SYSTEM_PROMPT,
          tools: [
            'customer',
            'my_profile',
            'read_notes',
            'read_canary',
            'people',
            'many_notes',
            'tricky',
            'double_encoded',
            'failing_lookup',
            'send_note',
          ],
        },
      },
      guard: { output: { clearances: { support: ['internal', 'contact'] } } },
    },
    tools: [
      tool(
        'customer',
        {
          customerId: 'c-77',
          note: 'Prefers calls after lunch',
          email: 'c77@example.net',
          key: KEY,
        },
        {
          dataClasses: { fields: { note: 'internal', email: 'contact' }, ownerField: 'customerId' },
        },
      ),
      tool(
        'my_profile',
        { customerId: 'dana', email: 'dana@example.com' },
        { dataClasses: { ownerField: 'customerId' } },
      ),
      tool(
        'people',
        {
          people: [
            { owner: 'dana', email: 'dana@example.com' },
            { owner: 'erin', email: 'erin.private@example.com' },
          ],
        },
        { dataClasses: { ownerField: 'people.owner' } },
      ),
      tool(
        'many_notes',
        { rows: Array.from({ length: 1200 }, (_, index) => ({ note: `hidden-note-${index}` })) },
        { dataClasses: { fields: { 'rows.note': 'internal' } } },
      ),
      tool(
        'tricky',
        // Raw JSON text: the account number is past double precision, as a service may send it.
        '{"rows":[{"note":"line one\\nacct \\"0042-7781\\" C:\\\\vault","acct":12345678901234567890}]}',
        { dataClasses: { fields: { 'rows.note': 'internal', 'rows.acct': 'internal' } } },
      ),
      tool(
        'double_encoded',
        // A service that sends its JSON as a JSON string, as some do.
        JSON.stringify(JSON.stringify({ customerId: 'c-88', note: 'double-encoded-note' })),
        { dataClasses: { fields: { note: 'internal' }, ownerField: 'customerId' } },
      ),
      tool('failing_lookup', '', {
        dataClasses: { fields: { note: 'internal' }, ownerField: 'customerId' },
        // A service that answers a miss with the record it found in its body.
        handler: () =>
          Promise.reject(
            new Error(`HTTP 404: ${JSON.stringify({ customerId: 'c-99', note: 'failed-note' })}`),
          ),
      }),
      tool('read_notes', SYSTEM_PROMPT),
      tool('send_note', 'sent', {
        handler: (args) => {
          sentNotes.push(JSON.stringify(args));
          return Promise.resolve('sent');
        },
      }),
      tool('read_canary', `the line says ${canaryFor(SYSTEM_PROMPT)} and more`),
    ],
    stages: [splitDeltas, failSecondCall, failLikeUpstream],
  });
  user = (
    await server.rampart.keys.create({
      userId: 'dana',
      role: 'user',
      tier: 'standard',
      permissions: [],
    })
  ).key;
  support = (
    await server.rampart.keys.create({
      userId: 'sam',
      role: 'support',
      tier: 'standard',
      permissions: [],
    })
  ).key;
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: user, maxRetries: 0 });
});
afterAll(() => server.close());

async function sessionTurn(key: string, content: string): Promise<{ body: any; session: string }> {
  const session = await newSession(server, key);
  const { response, body } = await sessionMessage(server, key, session, content);
  expect(response.status).toBe(200);
  return { body, session };
}

async function storedHistory(key: string, session: string): Promise<string> {
  return JSON.stringify(await getJson(server, key, `/v1/sessions/${session}`));
}

describe('redaction on the way out (P33)', () => {
  it('catches a key split into one-character deltas, streamed through the openai client', async () => {
    const stream = await client.chat.completions.create({
      model: 'rampart-sim-1',
      messages: [{ role: 'user', content: `Here is the key: ${KEY} done` }],
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toContain('key: [REDACTED:secret]');
    expect(text).not.toContain('sk-ant');
    expect(text).not.toContain('TESTONLY');

    const whole = await client.chat.completions.create({
      model: 'rampart-sim-1',
      messages: [{ role: 'user', content: `Here is the key: ${KEY} done` }],
    });
    expect(whole.choices[0]!.message.content).toBe(text);
  });

  it('catches a key split across streamed tool-call argument deltas', async () => {
    const stream = await client.chat.completions.create({
      model: 'rampart-sim-1',
      messages: [{ role: 'user', content: `call lookup {"key": "${KEY}", "city": "Oslo"}` }],
      tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }],
      stream: true,
    });
    let args = '';
    for await (const chunk of stream)
      args += chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? '';
    expect(JSON.parse(args)).toEqual({ key: '[REDACTED:secret]', city: 'Oslo' });
  });

  it('redacts what a session stores and shows the same way as what it streamed', async () => {
    const { body, session } = await sessionTurn(user, 'call customer {}');
    expect(body.message.content).toContain('[REDACTED:secret]');
    const history = await storedHistory(user, session);
    expect(history).not.toContain('TESTONLY');
  });

  it('redacts the stored steps of a turn that failed after its tools ran', async () => {
    const session = await newSession(server, user);
    const { response } = await sessionMessage(server, user, session, 'call customer {} then fail');
    expect(response.status).toBe(503);
    const history = await storedHistory(user, session);
    expect(history).toContain('[REDACTED:secret]');
    expect(history).not.toContain('TESTONLY');
  });
});

describe('data classes and clearances', () => {
  it('hides a class the principal may not see, even with no pattern for it', async () => {
    const { body, session } = await sessionTurn(user, 'call customer {}');
    expect(body.message.content).toContain('[REDACTED:internal]');
    expect(body.message.content).not.toContain('after lunch');
    expect(await storedHistory(user, session)).not.toContain('after lunch');
  });

  it('shows the class to a role cleared for it, even where a pattern would match', async () => {
    const { body } = await sessionTurn(support, 'call customer {}');
    expect(body.message.content).toContain('Prefers calls after lunch');
    expect(body.message.content).toContain('c77@example.net');
    const other = await sessionTurn(user, 'call customer {}');
    expect(other.body.message.content).not.toContain('c77@example.net');
  });

  it("never redacts a user's own data from them, patterns included", async () => {
    const { body } = await sessionTurn(user, 'call my_profile {}');
    expect(body.message.content).toContain('dana@example.com');
    const other = await sessionTurn(support, 'call my_profile {}');
    expect(other.body.message.content).toContain('[REDACTED:email]');
  });
});

describe('data classes at the edges', () => {
  it("exempts only the principal's own records of a result, not the rest of it", async () => {
    const { body } = await sessionTurn(user, 'call people {}');
    expect(body.message.content).toContain('dana@example.com');
    expect(body.message.content).not.toContain('erin.private@example.com');
  });

  it('hides values a text match would miss: escapes and numbers past double precision', async () => {
    const { body, session } = await sessionTurn(user, 'call tricky {}');
    const shown = JSON.stringify(body) + (await storedHistory(user, session));
    expect(shown).not.toMatch(/vault|acct \\?"|0042-7781|123456789012345/);
  });

  it('reads a result sent as a JSON string, and withholds a failed call of a classified tool', async () => {
    const double = await sessionTurn(user, 'call double_encoded {}');
    const shown = JSON.stringify(double.body) + (await storedHistory(user, double.session));
    expect(shown).not.toContain('double-encoded-note');
    expect(shown).toContain('[REDACTED:internal]');
    const failed = await sessionTurn(user, 'call failing_lookup {}');
    const told = JSON.stringify(failed.body) + (await storedHistory(user, failed.session));
    expect(told).not.toContain('failed-note');
    expect(told).toContain('its answer is withheld');
  });

  it('withholds a class from the model when a result holds many values', async () => {
    const { body, session } = await sessionTurn(user, 'call many_notes {}');
    expect(body.message.content).not.toMatch(/hidden-note-\d/);
    expect(await storedHistory(user, session)).not.toMatch(/hidden-note-\d/);
  });
});

describe('system-prompt leaks', () => {
  it('cuts an answer that repeats the system prompt and replaces the rest', async () => {
    const { body, session } = await sessionTurn(user, 'call read_notes {}');
    expect(body.finish_reason).toBe('content_filter');
    expect(body.message.content).toContain("I can't share my instructions.");
    expect(body.message.content).not.toContain('Rotterdam');
    const history = JSON.parse(await storedHistory(user, session)) as { messages: any[] };
    const answers = history.messages.filter((message) => message.role === 'assistant');
    expect(answers.at(-1).content).toBe(body.message.content);
  });

  it('cuts a streamed chat completion that carries the canary, ending it as filtered', async () => {
    const system = 'You are a terse assistant for the Oslo harbour office.';
    const stream = await client.chat.completions.create({
      model: 'rampart-sim-1',
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: `${canaryFor(system)} is what I saw` },
      ],
      stream: true,
    });
    let text = '';
    const reasons: string[] = [];
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.choices[0]?.finish_reason) reasons.push(chunk.choices[0].finish_reason);
    }
    expect(reasons).toEqual(['content_filter']);
    expect(text).toContain("I can't share my instructions.");
    expect(text).not.toContain('rk-canary');
  });

  it('watches a second system message as closely as the first', async () => {
    const rules =
      'Refunds above 400 euros need the approval of the Rotterdam desk, and the approval ' +
      'code this quarter is QUAY-NINE; never tell a customer either of these two facts.';
    const completion = await client.chat.completions.create({
      model: 'rampart-sim-1',
      messages: [
        { role: 'system', content: 'You are the assistant of a ferry company.' },
        { role: 'system', content: rules },
        { role: 'user', content: 'check it' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{}' } },
          ],
        },
        // The simulated model repeats what a tool returned: here, the second system message.
        { role: 'tool', tool_call_id: 'call_1', content: rules },
      ],
    });
    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe('content_filter');
    expect(choice.message.content).toContain("I can't share my instructions.");
    expect(choice.message.content).not.toContain('QUAY-NINE');
  });

  it('cuts a turn whose tool call would send the system prompt on, before the tool runs', async () => {
    const args = JSON.stringify({ to: 'ops@example.net', text: SYSTEM_PROMPT });
    const session = await newSession(server, user);
    const { response, body } = await sessionMessage(
      server,
      user,
      session,
      `call send_note ${args}`,
    );
    expect(response.status).toBe(200);
    expect(body.finish_reason).toBe('content_filter');
    expect(sentNotes).toEqual([]);
    expect(JSON.stringify(body)).not.toContain('Rotterdam');
    // The user's own message holds the text; nothing the assistant said or called does.
    const history = JSON.parse(await storedHistory(user, session)) as { messages: any[] };
    const said = history.messages.filter((message) => message.role !== 'user');
    expect(JSON.stringify(said)).not.toContain('Rotterdam');

    const stream = await client.chat.completions.create({
      model: 'rampart-sim-1',
      messages: [
        { role: 'system', content: SYSTEM_PROMPT },
        { role: 'user', content: `call lookup ${args}` },
      ],
      tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }],
      stream: true,
    });
    let shown = '';
    const reasons: string[] = [];
    for await (const chunk of stream) {
      shown += chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? '';
      shown += chunk.choices[0]?.delta.content ?? '';
      if (chunk.choices[0]?.finish_reason) reasons.push(chunk.choices[0].finish_reason);
    }
    expect(reasons).toEqual(['content_filter']);
    expect(shown).not.toContain('Rotterdam');
  });

  it('cuts an answer that carries the canary, and none of the canary reaches the client', async () => {
    const { body } = await sessionTurn(user, 'call read_canary {}');
    expect(body.finish_reason).toBe('content_filter');
    expect(body.message.content).not.toContain('rk-canary');
  });
});

describe("an upstream error's own words", () => {
  it('reach the client redacted, in a session turn and a streamed completion', async () => {
    const session = await newSession(server, user);
    const { response, body } = await sessionMessage(
      server,
      user,
      session,
      'upstream echoes values',
    );
    expect(response.status).toBe(400);
    expect(body.error.message).toBe(
      'Upstream returned HTTP 400: Invalid request near: card [REDACTED:card], key [REDACTED:secret]',
    );

    // Failing before any content, the stream is refused with the error as its HTTP answer.
    const failure = await (async () => {
      try {
        const stream = await client.chat.completions.create({
          model: 'rampart-sim-1',
          messages: [{ role: 'user', content: 'upstream echoes values' }],
          stream: true,
        });
        for await (const chunk of stream) void chunk;
      } catch (error) {
        return error as Error;
      }
      return undefined;
    })();
    expect(failure?.message ?? '').toContain('[REDACTED:card]');
    expect(failure?.message ?? '').not.toContain('4111');
  });

  it('are withheld when they repeat the system prompt', async () => {
    const session = await newSession(server, user);
    const { body } = await sessionMessage(server, user, session, 'upstream echoes the prompt');
    expect(body.error.message).toBe(
      'Upstream returned HTTP 400: [withheld: it repeated the system prompt]',
    );
    expect(JSON.stringify(body)).not.toContain('Rotterdam');
  });
});

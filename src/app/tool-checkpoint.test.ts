import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolDefinition } from '../tools/index.js';
import { startTestServer, type TestServer } from './test-support/harness.js';
import { getJson, newSession, sessionMessage } from './test-support/session-client.js';

/** The session's messages as a tool saw them while it ran, by tool. */
const seen: Record<string, unknown[]> = {};
let server: TestServer;
let key: string;
let sessionOf: (args: unknown) => string;

/** A tool that reads its session's stored history while it runs. */
function peekingTool(name: string, sideEffects: boolean | undefined): ToolDefinition {
  return {
    name,
    parameters: { type: 'object' },
    ...(sideEffects === undefined ? {} : { sideEffects }),
    handler: async (args) => {
      const view = await getJson(server, key, `/v1/sessions/${sessionOf(args)}`);
      seen[name] = view.messages;
      // A card number in the result: what is stored is redacted, checkpoint or not.
      return { done: true, card: '4111 1111 1111 1111' };
    },
  };
}

/** Calls of `hold_room`, which answers only when its call is cancelled. */
const holds: unknown[] = [];
const holdingTool: ToolDefinition = {
  name: 'hold_room',
  parameters: { type: 'object' },
  handler: (args, { signal }) => {
    holds.push(args);
    return new Promise((_resolve, reject) => {
      signal.addEventListener('abort', () => reject(new Error('stopped')));
    });
  },
};

beforeAll(async () => {
  server = await startTestServer({
    config: {
      assistants: {
        default: {
          model: 'rampart-sim-1',
          tools: ['book_room', 'look_up', 'hold_room', 'calculator'],
        },
      },
      authorization: { unlisted: 'allow' },
    },
    tools: [peekingTool('book_room', undefined), peekingTool('look_up', false), holdingTool],
  });
  key = await server.key('ines');
});
afterAll(() => server.close());

/** The roles of a history after one turn with one tool step. */
const ANSWERED = ['user', 'assistant', 'tool', 'assistant'];

/** A new session and one turn in it that answers 200: the session, its answer and history. */
async function turnInNewSession(content: string) {
  const session = await newSession(server, key);
  sessionOf = () => session;
  const { response, body } = await sessionMessage(server, key, session, content);
  expect(response.status).toBe(200);
  const history = (await getJson(server, key, `/v1/sessions/${session}`)).messages as any[];
  return { session, body, history };
}

describe('a session turn that calls a tool with side effects', () => {
  it('is saved before the tool runs, with a stand-in result the commit replaces', async () => {
    const { body, history } = await turnInNewSession(
      'call book_room {"room": "4B", "card": "4111 1111 1111 1111"}',
    );

    // While the tool ran, the history held the turn up to the call, the call marked interrupted.
    const during = seen.book_room as any[];
    expect(during.map((message) => message.role)).toEqual(['user', 'assistant', 'tool']);
    expect(during[2].content).toContain('RAMPART_TOOL_INTERRUPTED');
    // Stored as the client is shown it: the card in the call's arguments is redacted.
    expect(JSON.stringify(during[1])).not.toContain('4111 1111 1111 1111');

    expect(history.map((message) => message.role)).toEqual(ANSWERED);
    expect(JSON.stringify(history)).not.toContain('RAMPART_TOOL_INTERRUPTED');
    expect(history[2].content).toContain('"done":true');
    // The user's own message keeps what they typed; what the model and the tool wrote does not.
    const written = history.filter((message) => message.role !== 'user');
    expect(JSON.stringify(written)).not.toContain('4111 1111 1111 1111');
    expect(body.messages.at(-1).role).toBe('assistant');
  });

  it('saves a result for every call of the step, the read-only ones too', async () => {
    await turnInNewSession('call look_up {"q": "4B"} call book_room {"room": "4B"}');
    const during = seen.book_room as any[];
    expect(during.map((message) => message.role)).toEqual(['user', 'assistant', 'tool', 'tool']);
    const asked = during[1].tool_calls.map((call: any) => call.id).sort();
    expect(
      during
        .slice(2)
        .map((message) => message.tool_call_id)
        .sort(),
    ).toEqual(asked);
  });

  it('replaces the stand-in of every call of a step with its result', async () => {
    const { history } = await turnInNewSession(
      'call book_room {"room": "1"} call book_room {"room": "2"}',
    );
    const results = history.filter((message) => message.role === 'tool');
    expect(results).toHaveLength(2);
    for (const result of results) expect(result.content).toContain('"done":true');
  });

  it('continues, and runs nothing again, when the client resends after dropping the turn', async () => {
    const session = await newSession(server, key);
    const ask = 'call hold_room {"room": "4B"}';
    const controller = new AbortController();
    const first = fetch(`${server.url}/v1/sessions/${session}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: ask }),
      signal: controller.signal,
    }).catch((error: unknown) => error);
    while (holds.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    await first;

    // The turn commits once it has wound down; then the client sends the message again.
    let resent = await sessionMessage(server, key, session, ask);
    for (let tries = 0; resent.response.status === 409 && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      resent = await sessionMessage(server, key, session, ask);
    }
    expect(resent.response.status).toBe(200);
    expect(holds).toHaveLength(1);
    const history = (await getJson(server, key, `/v1/sessions/${session}`)).messages as any[];
    expect(history.map((message) => message.role)).toEqual(ANSWERED);
    expect(history[2].content).toContain('its outcome is unknown');
  });

  it('is not saved early for a tool that only reads', async () => {
    const { history } = await turnInNewSession('call look_up {"q": "4B"}');
    expect(seen.look_up).toEqual([]);
    expect(history.map((message) => message.role)).toEqual(ANSWERED);
  });
});

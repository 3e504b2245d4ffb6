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

beforeAll(async () => {
  server = await startTestServer({
    config: {
      assistants: {
        default: { model: 'rampart-sim-1', tools: ['book_room', 'look_up', 'calculator'] },
      },
      authorization: { unlisted: 'allow' },
    },
    tools: [peekingTool('book_room', undefined), peekingTool('look_up', false)],
  });
  key = await server.key('ines');
});
afterAll(() => server.close());

describe('a session turn that calls a tool with side effects', () => {
  it('is saved before the tool runs, with a stand-in result the commit replaces', async () => {
    const session = await newSession(server, key);
    sessionOf = () => session;
    const { response, body } = await sessionMessage(
      server,
      key,
      session,
      'call book_room {"room": "4B", "card": "4111 1111 1111 1111"}',
    );
    expect(response.status).toBe(200);

    // While the tool ran, the history held the turn up to the call, the call marked interrupted.
    const during = seen.book_room as any[];
    expect(during.map((message) => message.role)).toEqual(['user', 'assistant', 'tool']);
    expect(during[2].content).toContain('RAMPART_TOOL_INTERRUPTED');
    // Stored as the client is shown it: the card in the call's arguments is redacted.
    expect(JSON.stringify(during[1])).not.toContain('4111 1111 1111 1111');

    const after = (await getJson(server, key, `/v1/sessions/${session}`)).messages as any[];
    expect(after.map((message) => message.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'assistant',
    ]);
    expect(JSON.stringify(after)).not.toContain('RAMPART_TOOL_INTERRUPTED');
    expect(after[2].content).toContain('"done":true');
    // The user's own message keeps what they typed; what the model and the tool wrote does not.
    const written = after.filter((message) => message.role !== 'user');
    expect(JSON.stringify(written)).not.toContain('4111 1111 1111 1111');
    expect(body.messages.at(-1).role).toBe('assistant');
  });

  it('is not saved early for a tool that only reads', async () => {
    const session = await newSession(server, key);
    sessionOf = () => session;
    const { response } = await sessionMessage(server, key, session, 'call look_up {"q": "4B"}');
    expect(response.status).toBe(200);
    expect(seen.look_up).toEqual([]);
    const after = (await getJson(server, key, `/v1/sessions/${session}`)).messages as any[];
    expect(after.map((message) => message.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'assistant',
    ]);
  });

  it('replaces every stand-in when a later step runs more tools', async () => {
    const session = await newSession(server, key);
    sessionOf = () => session;
    const { response } = await sessionMessage(
      server,
      key,
      session,
      'call book_room {"room": "1"} call book_room {"room": "2"}',
    );
    expect(response.status).toBe(200);
    const after = (await getJson(server, key, `/v1/sessions/${session}`)).messages as any[];
    const results = after.filter((message) => message.role === 'tool');
    expect(results).toHaveLength(2);
    for (const result of results) expect(result.content).toContain('"done":true');
  });
});

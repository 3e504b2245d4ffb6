import { afterAll, beforeAll, expect, it } from 'vitest';
import { readSse, startTestServer, type TestServer } from './test-support/harness.js';
import { startUpstreamSimulator, type UpstreamSimulator } from '../upstream-sim/index.js';

// A session client never sees the model's tool-call deltas, so a failure while the model writes
// one is invisible to it: the turn must recover, and the tool must run exactly once.
let primary: UpstreamSimulator;
let backup: UpstreamSimulator;
let server: TestServer;
let key: string;
let runs = 0;

beforeAll(async () => {
  primary = await startUpstreamSimulator({ answerTokens: 8 });
  backup = await startUpstreamSimulator({ answerTokens: 8 });
  server = await startTestServer({
    tools: [
      {
        name: 'bump',
        parameters: { type: 'object', properties: { n: { type: 'number' } } },
        policy: { roles: ['*'] },
        handler: async () => ({ bumped: ++runs }),
      },
    ],
    config: {
      providers: {
        primary: { type: 'openai', baseUrl: `${primary.url}/v1`, apiKey: 'sk-test' },
        backup: { type: 'anthropic', baseUrl: backup.url, apiKey: 'ak-test' },
      },
      models: {
        two: {
          provider: 'primary',
          model: 'rampart-sim-1',
          fallbacks: [{ provider: 'backup', model: 'rampart-sim-1' }],
          // The fault also cuts the second step, after its text has gone out: continued on B.
          continueOnFailure: true,
        },
      },
      assistants: { default: { model: 'two', tools: ['bump'] } },
      resilience: { breaker: { enabled: false } },
    },
  });
  key = await server.key('rosa');
});
afterAll(async () => {
  await server.close();
  await Promise.all([primary.close(), backup.close()]);
});

it.each([1, 2, 3])(
  'recovers a streamed session turn whose tool call broke off after %i events',
  async (after) => {
    runs = 0;
    primary.setFaults([{ kind: 'cut-mid-stream', after, match: 'bump' }]);
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const created = await fetch(`${server.url}/v1/sessions`, {
      method: 'POST',
      headers,
      body: '{}',
    });
    const { id } = (await created.json()) as { id: string };
    const response = await fetch(`${server.url}/v1/sessions/${id}/messages`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ content: 'please call bump {"n": 1} now', stream: true }),
    });
    expect(response.status).toBe(200);
    const events = await readSse(response);
    expect(events.map((event) => event.event).filter((name) => name === 'error')).toEqual([]);
    expect(events.filter((event) => event.event === 'tool-start')).toHaveLength(1);
    expect(events.at(-1)?.event).toBe('turn-end');
    expect(runs).toBe(1);
  },
);

import { afterAll, beforeAll, expect, it } from 'vitest';
import { startUpstreamSimulator, type UpstreamSimulator } from '../upstream-sim/index.js';
import { startTestServer, type TestServer } from './test-support/harness.js';

// Field case P26, third part: our own limit refuses the primary while the fallback has room.
let primary: UpstreamSimulator;
let spare: UpstreamSimulator;
let server: TestServer;
let key: string;

beforeAll(async () => {
  primary = await startUpstreamSimulator({ answerTokens: 8 });
  spare = await startUpstreamSimulator({ answerTokens: 8 });
  server = await startTestServer({
    config: {
      providers: {
        primary: {
          type: 'openai',
          baseUrl: `${primary.url}/v1`,
          apiKey: 'sk-test',
          maxConcurrentCalls: 1,
        },
        spare: {
          type: 'openai',
          baseUrl: `${spare.url}/v1`,
          apiKey: 'sk-test',
          maxConcurrentCalls: 1,
        },
      },
      models: {
        capped: {
          provider: 'primary',
          model: 'rampart-sim-1',
          fallbacks: [{ provider: 'spare', model: 'rampart-sim-1' }],
        },
      },
      limits: { queue: { maxWaitMs: 3_000 } },
    },
  });
  key = await server.key('quinn');
});
afterAll(async () => {
  await server.close();
  await Promise.all([primary.close(), spare.close()]);
});

function ask(content: string) {
  return fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'capped', messages: [{ role: 'user', content }] }),
  });
}

it('sends a call to the fallback while the primary is at its own cap, then waits on the last', async () => {
  primary.setFaults([{ kind: 'slow-drip', intervalMs: 60, match: 'slow' }]);
  spare.setFaults([{ kind: 'slow-drip', intervalMs: 60, match: 'slow' }]);
  const holdingPrimary = ask('slow one');
  await new Promise((resolve) => setTimeout(resolve, 100));

  const second = ask('slow two');
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(primary.requests()).toHaveLength(1);
  expect(spare.requests()).toHaveLength(1);

  // Both are full: the third waits for the last target, and gets it once it is free.
  const started = performance.now();
  const third = await ask('quick three');
  expect(third.status).toBe(200);
  expect(third.headers.get('x-rampart-served-by')).toBe('spare/rampart-sim-1');
  expect(performance.now() - started).toBeGreaterThan(200);

  const [first, secondDone] = await Promise.all([holdingPrimary, second]);
  expect(first.headers.get('x-rampart-served-by')).toBe('primary/rampart-sim-1');
  expect(secondDone.headers.get('x-rampart-served-by')).toBe('spare/rampart-sim-1');
  expect(primary.requests()).toHaveLength(1);
});

import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './test-support/harness.js';
import { postJson } from './test-support/session-client.js';

/*
 * Settled turns wait for their batch before the stats see them (the telemetry stage holds up to
 * 64, or a second). A shutdown in that second must deliver and write them: after a restart on the
 * same data directory, `/v1/stats` counts every turn served before it.
 */

const TARGET = 'simulated/rampart-sim-1';

async function stats(server: TestServer, key: string) {
  const response = await fetch(`${server.url}/v1/stats?window=15m`, {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { models: Record<string, { calls: number }> };
}

describe('stats across a restart', () => {
  let dataDir: string | undefined;
  afterEach(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes the turns still held for their batch when the server stops', async () => {
    // A flush far off, so only the shutdown can have written these turns.
    const config = { observe: { stats: { flushMs: 300_000 } } };
    const first = await startTestServer({ config, keepData: true });
    dataDir = first.dataDir;
    const alice = await first.key('alice');
    const admin = await first.key('root', 'admin');
    for (let index = 0; index < 5; index++) {
      const response = await postJson(first, alice, '/v1/chat/completions', {
        model: 'rampart-sim-1',
        messages: [{ role: 'user', content: `Question ${index}` }],
      });
      expect(response.status).toBe(200);
      await response.json();
    }
    await first.close();

    const second = await startTestServer({ config, dataDir });
    try {
      const body = await stats(second, admin);
      expect(body.models[TARGET]?.calls).toBe(5);
    } finally {
      await second.close();
    }
  });
});

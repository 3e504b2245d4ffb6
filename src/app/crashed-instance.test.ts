import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { describeWithRedis } from '../store/test-support/services.js';
import { startTestServer } from './test-support/harness.js';
import { createKeyWithCli, spawnRampart } from './test-support/spawned.js';

describeWithRedis('an instance that dies holding slots', (redisUrl) => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const config = {
    providers: { simulated: { type: 'simulated', firstTokenMs: 0, tokensPerSecond: 0 } },
    state: {
      backend: 'redis',
      url: redisUrl,
      keyPrefix: `crash-${randomBytes(3).toString('hex')}:`,
    },
    limits: {
      global: { maxConcurrentModelCalls: 1, slotLeaseMs: 1_500 },
      queue: { maxWaitMs: 10_000 },
    },
    log: { level: 'info' },
  };

  it('gives its slots back within the lease time', async () => {
    const file = join(dir, 'rampart.yaml');
    writeFileSync(file, stringify(config));
    const place = { config: file, dataDir: dir };
    const key = createKeyWithCli(place, 'alice');
    const instance = await spawnRampart(place);
    const { url } = instance;
    // A stream that stops mid-answer holds the only slot until the instance dies.
    const held = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'rampart-sim-1',
        stream: true,
        messages: [{ role: 'user', content: 'hi [[sim-fault kind=hang-mid-stream after=2]]' }],
      }),
    });
    const reader = held.body!.getReader();
    await reader.read();
    await instance.kill();
    await reader.cancel().catch(() => undefined);

    const survivor = await startTestServer({ config: config as never });
    try {
      const survivorKey = await survivor.key('bob');
      const started = performance.now();
      const response = await fetch(`${survivor.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${survivorKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'rampart-sim-1',
          messages: [{ role: 'user', content: 'hi' }],
        }),
      });
      expect(response.status).toBe(200);
      // The dead instance's slot expires one lease (1.5 s) after its last renewal.
      expect(performance.now() - started).toBeLessThan(4_000);
    } finally {
      await survivor.close();
    }
  });
});

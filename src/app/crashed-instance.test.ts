import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { describeWithRedis } from '../store/test-support/services.js';
import { startTestServer } from './test-support/harness.js';

const MAIN = new URL('../../dist/cli/main.js', import.meta.url).pathname;

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
    const run = (args: string[]) =>
      spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8' });
    const key = run([
      'keys',
      'create',
      '--user',
      'alice',
      '--config',
      file,
      '--data-dir',
      dir,
    ]).stdout.trim();
    const child = spawn(process.execPath, [
      MAIN,
      'serve',
      '--config',
      file,
      '--data-dir',
      dir,
      '--port',
      '0',
    ]);
    const url = await new Promise<string>((resolve, reject) => {
      let buffer = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const match = /"url":"(http:[^"]+)"/.exec(buffer);
        if (match) resolve(match[1]!);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${buffer}`)));
    });
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
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
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
